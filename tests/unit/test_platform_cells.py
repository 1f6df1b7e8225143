"""The platform import's fast cell cleaning (``platform_matching.clean_cell``) gives what
``clean_text`` gives, for every kind of cell."""

from __future__ import annotations

import pytest

from examsite.domain.normalize import clean_id_number, clean_text
from examsite.services.platform_matching import clean_cell, clean_id


@pytest.mark.parametrize(
    "value",
    [
        None, "", "  a  b ", "85", "85.5分", "'0123", " '0123", "\t1\n2\x0b", "理论　知识",
        "ＡＢＣ１２", "a\u200bb", 85.0, 72.5, 3, "x\x1fy", "缺考",
    ],
)  # fmt: skip
def test_the_fast_cleaning_agrees_with_clean_text(value: object) -> None:
    assert clean_cell(value) == (clean_text(value).value or "")


@pytest.mark.parametrize(
    "value",
    [
        None, "420102200502103847", "42010220050210384X", "42010220050210384x",
        " 420102200502103847", "420102 200502103847", "４２０１０２２００５０２１０３８４７",
        420102200502103847, 4.20102200502103e17, "12345",
    ],
)  # fmt: skip
def test_the_fast_id_cleaning_agrees_with_clean_id_number(value: object) -> None:
    assert clean_id(value) == (clean_id_number(value).value or "")
