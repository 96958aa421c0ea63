"""`python -m assistant` is the same as `expert-chat`."""

import sys

from assistant.cli import main

sys.exit(main())
