"""Frozen entry point of examsite-cli."""

import sys

from examsite.cli import main

sys.exit(main())
