"""The platform's export templates: registered, aliases unambiguous, and each sheet's own
header recognised as its kind and not as another."""

from __future__ import annotations

import pytest

from examsite.formats.platform_templates import PLATFORM_TEMPLATES
from examsite.formats.templates import TEMPLATES, find_header, normalize_header
from examsite.services.platform_import import KINDS, expected_columns, recognise


@pytest.mark.parametrize("template", PLATFORM_TEMPLATES, ids=lambda t: t.key)
def test_each_template_is_registered_and_reads_its_own_header(template) -> None:
    assert TEMPLATES[template.key] is template
    assert template.alias_index  # two columns never share a header or an alias
    header = [c.header for c in template.columns]
    match = find_header(template, [["某某导出"], [], header])
    assert match is not None and match.row == 2
    assert match.score == len(template.columns) and not match.missing


@pytest.mark.parametrize("key", list(KINDS))
def test_a_sheet_with_only_its_header_is_recognised_as_its_kind(key, tmp_path) -> None:
    template = TEMPLATES[key]
    path = tmp_path / f"{key}.csv"
    path.write_text(",".join(c.header for c in template.columns) + "\n", encoding="utf-8")
    assert recognise(path)[0] == key


def test_the_required_columns_of_the_kinds_are_told_apart() -> None:
    required = {
        key: {
            normalize_header(TEMPLATES[key].by_field[f].header)
            for f in TEMPLATES[key].required_fields
        }
        for key in KINDS
    }
    for key, names in required.items():
        for other, other_names in required.items():
            if key != other:
                assert names - other_names, f"{key} needs nothing {other} lacks"
    assert "考证结果" in expected_columns() and "证件号码或准考证号" in expected_columns()
