"""Every surname of tests/fixtures/surnames.tsv (the 百家姓, later compounds, common modern
surnames and rarer ones with a reading of their own) comes out with its accepted reading,
split right from the given name that follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsite.domain.pinyin import SURNAMES, name_to_pinyin, split_surname
from examsite.domain.surname_data import AMBIGUOUS_COMPOUNDS, COMPOUND_SURNAMES

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "surnames.tsv"


def load() -> list[tuple[str, str, str]]:
    rows = []
    for line in FIXTURE.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        surname, reading, source, *_ = [*line.split("\t"), ""]
        rows.append((surname, reading, source))
    return rows


ROWS = load()
# Given names whose reading does not depend on the surname; one and two characters, so each
# surname is tried in a name of two or three characters and in a longer one.
SHORT_GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("敏", "Min"), ("静", "Jing"), ("磊", "Lei")]
LONG_GIVEN = [("晓明", "Xiaoming"), ("秀英", "Xiuying"), ("子涵", "Zihan"), ("建国", "Jianguo")]


def test_fixture_is_big_and_well_formed():
    surnames = [row[0] for row in ROWS]
    assert len(surnames) >= 500
    assert len(set(surnames)) == len(surnames), "a surname is listed twice"
    singles = [s for s in surnames if len(s) == 1]
    compounds = [s for s in surnames if len(s) > 1]
    assert len(singles) >= 430 and len(compounds) >= 60
    assert sum(1 for row in ROWS if row[2] == "百家姓 复姓") >= 60
    for surname, reading, _ in ROWS:
        assert reading.isascii() and reading.isalpha() and reading == reading.lower(), surname
        assert "v" not in reading, surname


def test_every_compound_of_the_fixture_is_in_the_table_with_its_reading():
    fixture_compounds = {s: r for s, r, _ in ROWS if len(s) > 1}
    assert fixture_compounds == COMPOUND_SURNAMES


@pytest.mark.parametrize(
    ("surname", "reading", "source"), ROWS, ids=[f"{i:03d}-{r[1]}" for i, r in enumerate(ROWS)]
)
def test_surname_with_a_given_name(surname, reading, source):
    index = ROWS.index((surname, reading, source))
    given, given_pinyin = LONG_GIVEN[index % len(LONG_GIVEN)]
    assert name_to_pinyin(surname + given) == f"{reading.capitalize()} {given_pinyin}"
    assert split_surname(surname + given) == (surname, given)

    short, short_pinyin = SHORT_GIVEN[index % len(SHORT_GIVEN)]
    if surname in AMBIGUOUS_COMPOUNDS:  # 梁丘伟 is 梁 + 丘伟
        assert split_surname(surname + short) == (surname[0], surname[1] + short)
    else:
        assert name_to_pinyin(surname + short) == f"{reading.capitalize()} {short_pinyin}"


def test_table_entries_agree_with_the_fixture():
    fixture = {s: r for s, r, _ in ROWS}
    disagree = {s: (r, fixture[s]) for s, r in SURNAMES.items() if s in fixture and fixture[s] != r}
    assert disagree == {}
    missing = [s for s in SURNAMES if s not in fixture]
    assert missing == [], "every surname of the table is in the fixture, with a note"
