"""ID numbers masked on the papers that are posted or passed around."""

from __future__ import annotations

from examsite.domain.masking import mask_id


def test_a_resident_id_keeps_six_and_four() -> None:
    assert mask_id("420102200501011234") == "420102********1234"
    assert mask_id("42010220050101123X") == "420102********123X"


def test_short_numbers_show_only_the_last_four() -> None:
    assert mask_id("E12345678") == "*****5678"
    # Four characters or fewer: nothing is shown (the tail would be the whole number).
    assert mask_id("1234") == "****"
    assert mask_id("123") == "***"


def test_empty_and_spaces() -> None:
    assert mask_id("") == ""
    assert mask_id("  ") == ""
    assert mask_id(" 420102200501011234 ") == "420102********1234"
