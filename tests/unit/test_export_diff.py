"""The difference between two upload snapshots (``domain.export_diff``)."""

from __future__ import annotations

from examsite.domain.export_diff import EMPTY, Person, Snapshot, diff, fingerprint


def test_added_changed_withdrawn_and_registrations() -> None:
    last = Snapshot(
        {"A": (fingerprint(["a"]), "甲"), "B": (fingerprint(["b"]), "乙"), "C": ("c", "丙")},
        frozenset({"A|1", "C|1"}),
        "2026-12-01T10:00:00",
    )
    now = Snapshot(
        {"A": (fingerprint(["a"]), "甲"), "B": (fingerprint(["b2"]), "乙"), "D": ("d", "丁")},
        frozenset({"A|1", "D|1"}),
    )
    change = diff(last, now)
    assert change.last_export == "2026-12-01T10:00:00"
    assert change.added == (Person("D", "丁"),)
    assert change.changed == (Person("B", "乙"),)
    assert change.withdrawn == (Person("C", "丙"),)
    assert change.registrations_added == ("D|1",)
    assert change.registrations_withdrawn == ("C|1",)
    assert not change.empty
    assert diff(now, now).empty


def test_a_snapshot_survives_json_and_the_first_export_adds_everyone() -> None:
    now = Snapshot({"A": ("x", "甲")}, frozenset({"A|1"}), "t")
    assert Snapshot.from_plain(now.to_plain()) == now
    first = diff(EMPTY, now)
    assert first.last_export is None and first.added == (Person("A", "甲"),)
    assert first.as_dict()["added"] == [{"id_number": "A", "name": "甲"}]
    assert fingerprint([1, None, "x"]) == fingerprint(["1", "", "x"])
