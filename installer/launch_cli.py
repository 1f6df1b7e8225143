"""Frozen entry point of examsite-cli."""

import multiprocessing
import sys

from examsite.cli import main

# The photo checks run in worker processes: a frozen build must let them start.
multiprocessing.freeze_support()
sys.exit(main())
