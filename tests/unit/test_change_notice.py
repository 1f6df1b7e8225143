"""The change feed's notices (storage/change_feed.py): what a commit tells other programs."""

from __future__ import annotations

import json

from examsite.storage.change_feed import PAYLOAD_LIMIT, Changes, Notice


def test_a_notice_names_its_source_and_sorted_tables() -> None:
    payload = Notice("abc", frozenset({"seat", "candidate"})).payload()
    assert json.loads(payload) == {"from": "abc", "tables": ["candidate", "seat"]}
    assert Notice.parse(payload) == Notice("abc", frozenset({"candidate", "seat"}))


def test_unknown_tables_stay_unknown() -> None:
    assert Notice.parse(Notice("abc", None).payload()) == Notice("abc", None)


def test_a_payload_past_the_limit_drops_the_tables_not_the_source() -> None:
    many = frozenset(f"table_{n:05d}" for n in range(2000))
    payload = Notice("abc", many).payload()
    assert len(payload.encode()) < PAYLOAD_LIMIT < 8000
    assert Notice.parse(payload) == Notice("abc", None)


def test_a_foreign_or_damaged_payload_reads_as_anything_changed() -> None:
    for payload in ("", "not json", "[1, 2]", '{"tables": []}'):
        assert Notice.parse(payload) == Notice("", None)


def test_merged_notices_count_commits_and_join_tables() -> None:
    assert Changes.merged([]) is None
    joined = Changes.merged([Notice("a", frozenset({"seat"})), Notice("b", frozenset({"room"}))])
    assert joined == Changes(2, frozenset({"seat", "room"}))
    unknown = Changes.merged([Notice("a", frozenset({"seat"})), Notice("b", None)])
    assert unknown == Changes(2, None)
