"""``python -m examsite.ui``: the same as the ``examsite`` command."""

import sys

from examsite.ui.app import main

sys.exit(main())
