"""The moment every test runs at (``examsite.clock.now()``, fixed by the autouse fixture in
``conftest.py``); importable from every test folder, as ``tests`` is on ``sys.path``."""

from __future__ import annotations

import datetime as dt

#: Inside the example plan 2232100001's registration window (2026-12-16 .. 2027-01-07);
#: the demo templates are made at this moment too, so the demo plan's window is open.
TEST_NOW = dt.datetime(2026, 12, 20, 9, 0)
