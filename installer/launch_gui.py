"""Frozen entry point of the window (PyInstaller needs a script, not an entry point)."""

import multiprocessing
import sys

from examsite.ui.app import main

# The photo checks run in worker processes: a frozen build must let them start.
multiprocessing.freeze_support()
sys.exit(main())
