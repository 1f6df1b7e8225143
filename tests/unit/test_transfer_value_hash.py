"""The baseline's field hashes stay what earlier versions stored: the canonical JSON of the
value, hashed; the cache keeps 1, 1.0 and True apart as JSON does."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from examsite.services.transfer_records import value_hash


def _canonical(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize(
    "value",
    ["", "张三", "a\"b", 0, 1, 1.0, 1.5, True, False, None, 10**20, [1, "x"],
     {"b": 1, "a": [True, None]}, dt.datetime(2026, 12, 20, 9, 0)],
)  # fmt: skip
def test_a_value_hashes_as_its_canonical_json(value: object) -> None:
    assert value_hash(value) == _canonical(value)


def test_equal_numbers_of_other_types_hash_apart() -> None:
    assert len({value_hash(1), value_hash(1.0), value_hash(True)}) == 3
    assert len({value_hash(0), value_hash(0.0), value_hash(False)}) == 3
