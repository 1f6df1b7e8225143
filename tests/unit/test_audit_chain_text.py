"""The audit chain's canonical text (storage/audit_chain.py): the fast writer's text is
the reference encoder's, and the hash covers every field."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from examsite.storage.audit_chain import (
    GENESIS,
    canonical_json,
    chain_hash,
    entry_hash,
    entry_head,
    head_writer,
)

AT = dt.datetime(2027, 1, 10, 9, 30, 5)
AWKWARD = ["", "王老师", 'a"b\\c', "tab\there\nline", "\u2028\x00\x1f", "é 「」", "X" * 200]


@pytest.mark.parametrize("text", AWKWARD)
def test_the_fast_head_is_the_reference_text(text: str) -> None:
    head = head_writer(AT)
    for actor, action, entity, entity_id in [
        (text, "import", "score", "1"),
        ("user", text, "score", text),
        ("user", "update", text, "110105200305010032"),
    ]:
        assert head(actor, action, entity, entity_id) == entry_head(
            AT, actor, action, entity, entity_id
        )
        whole = entry_head(AT, actor, action, entity, entity_id) + ',{"a":1},null]'
        assert json.loads(whole) == [
            AT.isoformat(),
            actor,
            action,
            entity,
            entity_id,
            {"a": 1},
            None,
        ]


def test_canonical_json_sorts_and_keeps_non_ascii() -> None:
    assert canonical_json({"b": 1, "a": {"d": [1.5, "二"], "c": None}}) == (
        '{"a":{"c":null,"d":[1.5,"二"]},"b":1}'
    )
    value = {"score": 0.1 + 0.2, "big": 10**20, "neg": -0.0, "e": 1e-7}
    assert canonical_json(json.loads(canonical_json(value))) == canonical_json(value)


def test_every_field_and_the_predecessor_change_the_hash() -> None:
    fields = (AT, "user", "update", "candidate", "1", {"a": 1}, {"a": 2})
    reference = entry_hash(GENESIS, *fields)
    assert len(reference) == 64 and int(reference, 16) >= 0
    head = entry_head(*fields[:5])
    assert chain_hash(GENESIS, head, '{"a":1}', '{"a":2}') == reference
    changed = [
        (AT + dt.timedelta(seconds=1), *fields[1:]),
        (AT, "other", *fields[2:]),
        (AT, "user", "delete", *fields[3:]),
        (AT, "user", "update", "registration", *fields[4:]),
        (*fields[:4], "2", *fields[5:]),
        (*fields[:5], None, fields[6]),
        (*fields[:6], {"a": 3}),
    ]
    for other in changed:
        assert entry_hash(GENESIS, *other) != reference
    assert entry_hash("1" * 64, *fields) != reference
