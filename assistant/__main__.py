"""`python -m assistant` is the same as `expert-chat` (the entry point lives with the other interfaces)."""

import sys

from ui.cli import main

sys.exit(main())
