"""The figures a coordinator reports upward (统计), as pure rules: the score bands of a
subject's distribution and how a rate is worked out.

Bands are ten points wide from 0: 0–9, 10–19 … 80–89, and the last one 90–100 holds the
full mark too (100 is in 90–100, not in a band of its own). A score belongs to the band
its value falls in, decimals included: 59.9 is in 50–59, 60 in 60–69.

A rate is a fraction (0.75, not 75) with its counts kept beside it; a rate of nothing
(no candidate decided yet) is None, not 0.
"""

from __future__ import annotations

import math
from typing import Final

BAND_WIDTH: Final = 10
BAND_COUNT: Final = 10
#: The band titles, lowest first ("0–9" … "90–100").
BAND_LABELS: Final[tuple[str, ...]] = tuple(
    f"{low}–{low + BAND_WIDTH - 1}" if index < BAND_COUNT - 1 else f"{low}–100"
    for index, low in enumerate(range(0, BAND_WIDTH * BAND_COUNT, BAND_WIDTH))
)


def score_band(score: float) -> int:
    """The index into ``BAND_LABELS`` of ``score``: 59.9 → 5, 60 → 6, 100 → 9. A score
    below 0 counts in the lowest band and one above 100 in the highest (the import refuses
    both; a rule that never raises keeps the statistics whole)."""
    if not math.isfinite(score):
        return 0 if score < 0 else BAND_COUNT - 1
    return min(max(int(score // BAND_WIDTH), 0), BAND_COUNT - 1)


def band_counts(scores: list[float]) -> tuple[int, ...]:
    """How many of ``scores`` fall in each band, lowest first."""
    counts = [0] * BAND_COUNT
    for score in scores:
        counts[score_band(score)] += 1
    return tuple(counts)


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` as a fraction, None when ``whole`` is 0."""
    return part / whole if whole else None
