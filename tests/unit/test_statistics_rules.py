"""The score bands and rates of the statistics (domain.statistics)."""

from __future__ import annotations

import math

import pytest

from examsite.domain.statistics import BAND_COUNT, BAND_LABELS, band_counts, rate, score_band


def test_the_bands_are_ten_points_wide_and_the_last_holds_the_full_mark() -> None:
    assert BAND_LABELS[0] == "0–9"
    assert BAND_LABELS[5] == "50–59"
    assert BAND_LABELS[-1] == "90–100"
    assert len(BAND_LABELS) == BAND_COUNT == 10


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, 0),
        (9.99, 0),
        (10, 1),
        (59.9, 5),
        (60, 6),
        (89.9, 8),
        (90, 9),
        (99.5, 9),
        (100, 9),
    ],
)
def test_a_score_falls_in_the_band_of_its_value(score: float, band: int) -> None:
    assert score_band(score) == band


def test_scores_outside_0_to_100_stay_in_the_end_bands() -> None:
    assert score_band(-3) == 0
    assert score_band(120) == 9
    assert score_band(math.inf) == 9
    assert score_band(-math.inf) == 0


def test_band_counts_count_each_band() -> None:
    assert band_counts([59.9, 60, 100, 100, 0]) == (1, 0, 0, 0, 0, 1, 1, 0, 0, 2)
    assert band_counts([]) == (0,) * 10


def test_a_rate_is_a_fraction_and_a_rate_of_nothing_is_none() -> None:
    assert rate(3, 4) == 0.75
    assert rate(0, 4) == 0.0
    assert rate(0, 0) is None
