"""`python -m ui` is the same as `expert-chat`."""

import sys

from ui.cli import main

sys.exit(main())
