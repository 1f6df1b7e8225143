"""Frozen entry point of the window (PyInstaller needs a script, not an entry point)."""

import sys

from examsite.ui.app import main

sys.exit(main())
