"""The program's clock: the one place that says what time it is.

Deadlines (the registration window locks registrations), the demo's dates and the step
statuses all ask ``now()``. Tests fix it with ``fixed(moment)``; nothing else reads the
system time for a business rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Clock = Callable[[], dt.datetime]


def _system() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


_source: Clock = _system


def now() -> dt.datetime:
    """The current local time (naive, to the second), or the fixed moment of a test."""
    return _source()


@contextmanager
def fixed(moment: dt.datetime) -> Iterator[None]:
    """Within the block, ``now()`` is ``moment``."""
    global _source
    previous, _source = _source, lambda: moment
    try:
        yield
    finally:
        _source = previous
