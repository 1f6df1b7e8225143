"""The Hypothesis profiles of the importer property tests.

``ci`` (the default: few examples, derandomized, so a run is reproducible and the folder
stays fast) and ``deep`` (``HYPOTHESIS_PROFILE=deep``: ``HYPOTHESIS_DEEP_FACTOR`` times
as many random examples, default 25, for a long local hunt). A test sets only its own
count, through ``examples(n)``, which the profile scales.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    "print_blob": True,
}
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    phases=[p for p in Phase if p != Phase.explain],
    **_COMMON,
)
# The deep profile keeps the failures it finds (and replays them first next time) in the
# test cache, which git ignores.
_FOUND = Path(__file__).parent.parent.parent / ".pytest_cache" / "hypothesis"
settings.register_profile(
    "deep", derandomize=False, database=DirectoryBasedExampleDatabase(_FOUND), **_COMMON
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

#: How many times more examples the deep profile runs than the ci one.
DEEP_FACTOR = int(os.environ.get("HYPOTHESIS_DEEP_FACTOR", "25"))


#: Set by the folder's conftest: with ``--engine postgresql`` each example costs a server
#: database (``CREATE DATABASE … TEMPLATE``, about a second on two cores) when it writes,
#: so the ci profile runs a quarter of the examples there. What is spoilt and how it is
#: read is the same on both engines; the server run is for what the database itself does.
ENGINE_DIVISOR = 1


def examples(n: int) -> int:
    """``n`` examples under the ci profile (fewer on a server, ``ENGINE_DIVISOR``),
    ``n × DEEP_FACTOR`` under the deep one."""
    if PROFILE == "deep":
        return n * DEEP_FACTOR
    return max(3, n // ENGINE_DIVISOR)
