"""field_rows: the cells of a sheet's rows by field name, blank rows skipped."""

from __future__ import annotations

from examsite.formats.sheet_reader import field_rows


def test_rows_blank_in_the_fields_columns_are_skipped_and_short_rows_padded() -> None:
    cells = [
        ["张三", None, 85.0, "ignored"],
        [None, "  ", None, "only outside the fields"],
        [" ", "\u3000"],  # whitespace only, full-width space included
        [0, None],  # a zero is a value
        ["李四"],  # short: the missing cells are None
    ]
    fields = {0: "name", 2: "score"}
    assert list(field_rows(cells, fields)) == [
        (0, {"name": "张三", "score": 85.0}),
        (3, {"name": 0, "score": None}),
        (4, {"name": "李四", "score": None}),
    ]


def test_no_fields_means_no_rows() -> None:
    assert list(field_rows([["a", "b"]], {})) == []
