"""Makes a folder look like an NFS mount to the database's network-share check."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsite.storage import network_paths
from examsite.storage.network_paths import HostFacts, resolve_existing


def mount_as_nfs(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """From now on ``folder`` is (the operating system says) an NFS share."""
    table = (
        "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
        f"2 1 0:50 / {folder.resolve()} rw - nfs4 fileserver:/exams rw\n"
    )
    facts = HostFacts(windows=False, resolve=resolve_existing, mount_table=lambda: table)
    monkeypatch.setattr(network_paths, "host_facts", lambda: facts)
