"""`python -m iro_desktop`: the same as the `iro-desktop` command."""

import sys

from iro_desktop.cli import main

sys.exit(main())
