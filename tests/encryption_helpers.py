"""What the encryption tests share: Argon2 at its smallest (the tests are about what
opens what, not about its cost), and the keys this process unwrapped forgotten after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from examsite.formats import bundle_crypt
from examsite.services import accounts
from examsite.storage import cipher, keyfile


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2 at its smallest: the tests are about what opens what, not its cost."""
    monkeypatch.setattr(keyfile, "TIME_COST", 1)
    monkeypatch.setattr(keyfile, "MEMORY_KIB", 8)
    monkeypatch.setattr(keyfile, "LANES", 1)
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    monkeypatch.setattr(bundle_crypt, "MEMORY_KIB", 8)
    monkeypatch.setattr(bundle_crypt, "TIME_COST", 1)
    monkeypatch.setattr(bundle_crypt, "LANES", 1)
    yield
    cipher.forget_all()
