"""The window's account settings in the database: the idle lock's minutes (every role
reads them, only the director sets them, 0 to 240) and whether the site is the demo."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from examsite.errors import AccessDenied, InputError
from examsite.services import accounts
from examsite.services.accounts import (
    DEFAULT_IDLE_LOCK,
    add_user,
    create_first_director,
    idle_lock_minutes,
    is_demo_site,
    log_in,
    set_idle_lock_minutes,
)
from examsite.storage.db import Database

PASSWORD = "geheim-123"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The least Argon2 cost: these tests are about settings, not hashes."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def test_idle_minutes_default_then_set_by_the_director(db: Database) -> None:
    assert idle_lock_minutes(db) == DEFAULT_IDLE_LOCK
    create_first_director(db, "zhou", PASSWORD)
    assert set_idle_lock_minutes(db, 0) == 0
    assert idle_lock_minutes(db) == 0
    set_idle_lock_minutes(db, 25)
    assert idle_lock_minutes(db) == 25
    with pytest.raises(InputError) as refused:
        set_idle_lock_minutes(db, 241)
    assert refused.value.code == "users.bad_idle_minutes"
    assert idle_lock_minutes(db) == 25


def test_every_role_reads_the_minutes_only_the_director_sets_them(db: Database, demo_site) -> None:
    from examsite.services.staff import list_staff

    demo_site(db, 20)
    person = list_staff(db).staff[0]
    create_first_director(db, "zhou", PASSWORD)
    set_idle_lock_minutes(db, 5)
    add_user(db, "li", "staff", PASSWORD)
    add_user(db, "wang", "invigilator", PASSWORD, staff=person.uid)
    for name in ("li", "wang"):
        log_in(db, name, PASSWORD)
        assert idle_lock_minutes(db) == 5
        with pytest.raises(AccessDenied) as refused:
            set_idle_lock_minutes(db, 30)
        assert refused.value.code == "auth.forbidden"
    log_in(db, "zhou", PASSWORD)
    assert idle_lock_minutes(db) == 5


def test_demo_site_is_known_by_its_marker(db: Database, demo_site) -> None:
    assert not is_demo_site(db)
    demo_site(db, 20)
    assert is_demo_site(db)
