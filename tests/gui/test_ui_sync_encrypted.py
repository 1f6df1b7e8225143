"""The sync page on an encrypted site (issue 13): a transfer bundle goes out sealed under
a passphrase asked twice, and coming in it is opened with the passphrase asked when the
bundle says it is sealed (again after a wrong one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_ui_sync import FakeDialogs

from encryption_helpers import cheap_argon2  # noqa: F401 (an autouse fixture)
from examsite.domain.workflow import Step
from examsite.formats.bundle import read_bundle
from examsite.services import accounts, encryption
from examsite.storage.db import Database
from examsite.ui.pages.sync import SyncPage
from gui_pages import page_in_window

pytestmark = pytest.mark.sqlite_only  # an encrypted SQLite file

PASSWORD = "boss-password"
PASSPHRASE = "zhe-shi-kou-ling"


class SealingDialogs(FakeDialogs):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.passphrases: list[str] = []
        self.prompts: list[tuple[str, bool]] = []

    def passphrase(self, parent: object, prompt: str, *, twice: bool) -> str | None:
        self.prompts.append((prompt, twice))
        return self.passphrases.pop(0) if self.passphrases else None


@pytest.fixture
def page(qtbot, arranged_db_file, runner, shown_errors, fixed_clock, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = Database.open(arranged_db_file(12))
    accounts.create_first_director(db, "boss", PASSWORD)
    encrypted = encryption.encrypt_site(db, PASSWORD).database
    built = page_in_window(
        qtbot, encrypted, runner, shown_errors, lambda: fixed_clock, Step.SYNC, SyncPage
    )
    built.dialogs = SealingDialogs(tmp_path)  # type: ignore[assignment]
    return built


def test_a_sealed_bundle_goes_out_and_comes_back_with_its_passphrase(
    page: SyncPage, tmp_path: Path, shown_errors
) -> None:
    dialogs = page.dialogs
    assert isinstance(dialogs, SealingDialogs)
    page.transfer_out_button.click()  # cancelled at the passphrase: nothing written
    assert dialogs.prompts == [(dialogs.prompts[0][0], True)]
    assert not list(tmp_path.glob("考点传输包_*.zip"))

    dialogs.passphrases = [PASSPHRASE]
    page.transfer_out_button.click()
    bundle = next(tmp_path.glob("考点传输包_*.zip"))
    assert read_bundle(bundle).manifest.extra.get("encryption")  # sealed

    dialogs.open = bundle
    dialogs.passphrases = ["not-the-passphrase", PASSPHRASE]
    dialogs.prompts.clear()
    page.transfer_in_button.click()  # locked → wrong → right → pair → import
    assert [twice for _, twice in dialogs.prompts] == [False, False]
    assert "口令" in dialogs.prompts[1][0]
    assert "配对" in dialogs.asked[0] and "现在导入吗" in dialogs.asked[1]
    assert "已与考点" in dialogs.told[-1]
    assert shown_errors.errors == []
