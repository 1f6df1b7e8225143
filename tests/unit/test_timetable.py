"""The default timetable rule and how stored sessions follow a new timetable."""

from __future__ import annotations

import datetime as dt

from examsite.domain.timetable import (
    Changes,
    Slot,
    StoredSession,
    certificate_timetable,
    reconcile,
    within,
)

DAY = dt.datetime(2027, 1, 10)
DURATIONS = {"practical": 120, "theory": 60}  # the 003 subjects (in any order)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DAY.replace(hour=hour, minute=minute)


def test_default_rule_for_the_003_plan() -> None:
    # exam window 08:30-16:30: theory from the opening, practical 30 minutes after it ends
    assert certificate_timetable(at(8, 30), DURATIONS) == (
        Slot("theory", at(8, 30), at(9, 30)),
        Slot("practical", at(10), at(12)),
    )


def test_explicit_start_kept_and_the_next_subject_follows_it() -> None:
    slots = certificate_timetable(at(8, 30), DURATIONS, {"theory": [at(13)]})
    assert slots == (Slot("theory", at(13), at(14)), Slot("practical", at(14, 30), at(16, 30)))


def test_explicit_practical_only() -> None:
    slots = certificate_timetable(at(8, 30), DURATIONS, {"practical": [at(14)]})
    assert slots == (Slot("theory", at(8, 30), at(9, 30)), Slot("practical", at(14), at(16)))


def test_two_sittings_of_a_subject() -> None:
    slots = certificate_timetable(at(8, 30), {"theory": 60}, {"theory": [at(13), at(8, 30)]})
    assert [s.start for s in slots] == [at(8, 30), at(13)]


def test_within_the_window() -> None:
    assert within(at(8, 30), at(16, 30), at(8, 30), at(16, 30))
    assert not within(at(8), at(9), at(8, 30), at(16, 30))
    assert not within(at(15), at(17), at(8, 30), at(16, 30))
    assert not within(at(10), at(10), at(8, 30), at(16, 30))


def test_reconcile_creates_what_is_missing() -> None:
    wanted = [Slot("theory", at(8, 30), at(9, 30))]
    assert reconcile([], wanted) == Changes(create=tuple(wanted))


def test_reconcile_moves_a_session_the_coordinator_did_not_edit() -> None:
    stored = [StoredSession(1, at(8, 30), at(9, 30), edited=False)]
    wanted = [Slot("theory", at(9), at(10))]
    assert reconcile(stored, wanted) == Changes(update=((1, wanted[0]),))


def test_reconcile_follows_a_new_duration() -> None:
    stored = [StoredSession(1, at(8, 30), at(9, 30), edited=False)]
    wanted = [Slot("theory", at(8, 30), at(10))]
    assert reconcile(stored, wanted) == Changes(update=((1, wanted[0]),))


def test_reconcile_changes_nothing_when_in_step() -> None:
    stored = [StoredSession(1, at(8, 30), at(9, 30), edited=False)]
    assert reconcile(stored, [Slot("theory", at(8, 30), at(9, 30))]) == Changes()


def test_reconcile_never_touches_an_edited_session_nor_replaces_it() -> None:
    stored = [StoredSession(1, at(9), at(10), edited=True)]
    assert reconcile(stored, [Slot("theory", at(8, 30), at(9, 30))]) == Changes()
    # edited at the catalog's start but with another end: the end stays too
    stored = [StoredSession(1, at(8, 30), at(10), edited=True)]
    assert reconcile(stored, [Slot("theory", at(8, 30), at(9, 30))]) == Changes()


def test_reconcile_leaves_over_a_sitting_the_timetable_dropped() -> None:
    stored = [
        StoredSession(1, at(8, 30), at(9, 30), edited=False),
        StoredSession(2, at(13), at(14), edited=False),
    ]
    assert reconcile(stored, [Slot("theory", at(8, 30), at(9, 30))]) == Changes(leftover=(2,))
    assert reconcile(stored, []) == Changes(leftover=(1, 2))
