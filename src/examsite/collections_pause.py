"""Fewer garbage collections while a use case builds tens of thousands of objects.

CPython's cyclic collector runs a young-generation pass every 700 allocations and, every
so often, a full pass over every live object. A 20,000-row score import keeps the sheet's
cells, the rows and the registration index alive while it allocates: the full passes walk
them again and again, about a sixth of the import's time, and find nothing to free (these
objects hold no cycles). ``fewer_collections`` raises the thresholds for the block and puts
them back after it; nothing is disabled, so a real cycle is still collected, later.

The thresholds are process-wide and the window runs use cases on worker threads: the
first block to enter raises them, the last to leave restores them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Final, ParamSpec, TypeVar

#: A young-generation pass every 100,000 allocations instead of 700; the older passes
#: twice as rarely as CPython's default (10, 10).
BULK_THRESHOLDS: Final = (100_000, 20, 20)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the block (see the module)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None


def with_fewer_collections(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside ``fewer_collections``."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with fewer_collections():
            return function(*args, **kwargs)

    return run
