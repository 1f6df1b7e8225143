"""Is a database path on a network share? UNC paths, mapped drives and network mounts, with
the operating system's facts faked so that every case runs on Linux."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsite.storage.network_paths import (
    DRIVE_REMOTE,
    HostFacts,
    NetworkShare,
    network_share,
    parse_mount_table,
    read_mount_table,
    resolve_existing,
)

DRIVE_FIXED = 3

MOUNTINFO = r"""22 27 0:21 / /proc rw,relatime shared:13 - proc proc rw
27 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
40 27 0:40 / /srv/exams rw,relatime shared:20 - nfs4 fileserver:/exams rw,vers=4.2,addr=10.0.0.5
41 40 8:17 / /srv/exams/local rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 27 0:42 / /mnt/share\040room rw,relatime shared:22 - cifs //nas/room rw,vers=3.1.1
43 27 0:43 / /home/teacher/remote rw,nosuid,nodev - fuse.sshfs teacher@lab:/data rw
44 27 8:33 / /data rw,relatime - ext4 /dev/sdc1 rw
45 44 0:45 / /data/nas rw,relatime - cifs //nas/data rw
46 27 0:46 / /mnt/c rw,noatime - 9p C:\134 rw,aname=drvfs;path=C:\;uid=1000
47 27 0:47 / /mnt/host rw,relatime - 9p hostshare rw,trans=virtio
48 27 0:48 / /mnt/fused rw,relatime - fuse.portal portal rw
"""

PROC_MOUNTS = """/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/nfs nfs rw,vers=3 0 0
"""


def linux(table: str | None = MOUNTINFO) -> HostFacts:
    return HostFacts(windows=False, mount_table=lambda: table)


def windows(remote: str = "", resolve: dict[str, str] | None = None) -> HostFacts:
    """Windows, where the drives in ``remote`` ("ZY") are mapped network drives."""

    def drive_type(root: str) -> int:
        assert root.endswith(":\\")
        return DRIVE_REMOTE if root[0].upper() in remote else DRIVE_FIXED

    return HostFacts(
        windows=True,
        resolve=lambda p: (resolve or {}).get(p, p),
        drive_type=drive_type,
    )


@pytest.mark.parametrize(
    ("path", "share"),
    [
        (r"\\server\share\site.db", r"\\server\share"),
        ("//server/share/folder/site.db", r"\\server\share"),
        (r"\\?\UNC\server\share\site.db", r"\\server\share"),
        (r"\\.\UNC\nas\exams\site.db", r"\\nas\exams"),
        (r"\\10.0.0.5\考点\site.db", r"\\10.0.0.5\考点"),
        (r"\\server/share\mixed\site.db", r"\\server\share"),
    ],
)
def test_every_unc_form_is_a_share_on_windows(path: str, share: str):
    assert network_share(path, windows()) == NetworkShare("unc", share)


@pytest.mark.parametrize(
    "path", [r"C:\Users\考务\site.db", r"\\?\C:\very\long\site.db", r"\\.\PhysicalDrive0"]
)
def test_local_and_device_paths_on_windows_are_allowed(path: str):
    assert network_share(path, windows()) is None


def test_a_mapped_network_drive_is_a_share_and_a_local_one_is_not():
    facts = windows(remote="Z")
    assert network_share(r"Z:\考点\site.db", facts) == NetworkShare("mapped_drive", "Z:")
    assert network_share(r"z:\site.db", facts) == NetworkShare("mapped_drive", "Z:")
    assert network_share(r"D:\考点\site.db", facts) is None


def test_a_local_path_resolving_to_a_share_is_a_share():
    facts = windows(resolve={r"C:\link\site.db": r"\\nas\exams\site.db"})
    assert network_share(r"C:\link\site.db", facts) == NetworkShare("unc", r"\\nas\exams")


def test_a_pasted_unc_path_is_refused_elsewhere_too_but_a_double_slash_is_the_root():
    assert network_share(r"\\server\share\site.db", linux()) == NetworkShare(
        "unc", r"\\server\share"
    )
    assert network_share("//srv/local.db", linux()) is None


@pytest.mark.parametrize(
    ("path", "share"),
    [
        ("/srv/exams/site.db", NetworkShare("mount", "/srv/exams", "nfs4")),
        ("/srv/exams", NetworkShare("mount", "/srv/exams", "nfs4")),
        ("/mnt/share room/site.db", NetworkShare("mount", "/mnt/share room", "cifs")),
        ("/home/teacher/remote/a.db", NetworkShare("mount", "/home/teacher/remote", "fuse.sshfs")),
        ("/data/nas/site.db", NetworkShare("mount", "/data/nas", "cifs")),
        ("/mnt/host/site.db", NetworkShare("mount", "/mnt/host", "9p")),
    ],
)
def test_network_mounts_are_shares(path: str, share: NetworkShare):
    assert network_share(path, linux()) == share


@pytest.mark.parametrize(
    "path",
    [
        "/home/teacher/site.db",
        "/srv/exams/local/site.db",  # a local disk mounted under the network one
        "/data/site.db",  # a local disk with a share mounted under it
        "/srv/examsite/site.db",  # a prefix of the name is not a parent folder
        "/mnt/c/Users/site.db",  # WSL's view of the PC's own disk
        "/mnt/fused/site.db",  # a FUSE filesystem not known to be remote
    ],
)
def test_local_mounts_are_allowed(path: str):
    assert network_share(path, linux()) is None


def test_the_later_of_two_mounts_on_one_point_wins():
    over = MOUNTINFO + "49 27 8:49 / /srv/exams rw - ext4 /dev/sdd1 rw\n"
    assert network_share("/srv/exams/site.db", linux(over)) is None
    again = over + "50 27 0:50 / /srv/exams rw - nfs server:/x rw\n"
    assert network_share("/srv/exams/site.db", linux(again)) == NetworkShare(
        "mount", "/srv/exams", "nfs"
    )


def test_proc_mounts_is_read_when_mountinfo_is_not():
    assert [m.point for m in parse_mount_table(PROC_MOUNTS)] == ["/", "/mnt/nfs"]
    assert network_share("/mnt/nfs/a.db", linux(PROC_MOUNTS)) == NetworkShare(
        "mount", "/mnt/nfs", "nfs"
    )
    assert network_share("/home/a.db", linux(PROC_MOUNTS)) is None


def test_an_unreadable_mount_table_allows(tmp_path: Path):
    assert network_share("/srv/exams/site.db", linux(None)) is None
    assert read_mount_table([str(tmp_path / "no-such-table")]) is None
    assert network_share("/srv/exams/site.db", linux("garbage\n\n- - -")) is None


def test_the_detection_never_raises():
    def broken() -> str:
        raise PermissionError("no /proc here")

    facts = HostFacts(windows=False, mount_table=broken)
    assert network_share("/srv/exams/site.db", facts) is None

    def no_ctypes(_root: str) -> int:
        raise OSError("no kernel32")

    assert network_share(r"Z:\site.db", HostFacts(windows=True, drive_type=no_ctypes)) is None


def test_a_path_not_there_yet_is_judged_by_its_nearest_existing_folder(tmp_path: Path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    wanted = link / "new" / "deeper" / "site.db"
    assert resolve_existing(str(wanted)) == str(real.resolve() / "new" / "deeper" / "site.db")

    table = f"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:9 / {real.resolve()} rw - nfs4 s:/x rw\n"
    facts = HostFacts(windows=False, resolve=resolve_existing, mount_table=lambda: table)
    assert network_share(wanted, facts) == NetworkShare("mount", str(real.resolve()), "nfs4")
    assert network_share(tmp_path / "elsewhere" / "site.db", facts) is None
    assert not (link / "new").exists()  # judging made no folder


def test_this_machines_temporary_folder_is_local(tmp_path: Path):
    assert network_share(tmp_path / "site.db") is None


MACOS_MOUNT = """/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
devfs on /dev (devfs, local, nobrowse)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)
//teacher@nas._smb._tcp.local/exams on /Volumes/exams (smbfs, nodev, nosuid, mounted by teacher)
nas:/export/data on /Volumes/nfs data (nfs, nodev, nosuid, mounted by teacher)
afp_0TQ9i1@lab on /Volumes/lab (afpfs, nodev, nosuid, mounted by teacher)
/dev/disk4s1 on /Volumes/U 盘 (msdos, local, nodev, nosuid, noowners)
"""


@pytest.mark.parametrize(
    ("path", "share"),
    [
        ("/Volumes/exams/site.db", NetworkShare("mount", "/Volumes/exams", "smbfs")),
        ("/Volumes/nfs data/site.db", NetworkShare("mount", "/Volumes/nfs data", "nfs")),
        ("/Volumes/lab/a/site.db", NetworkShare("mount", "/Volumes/lab", "afpfs")),
        ("/Users/teacher/site.db", None),
        ("/System/Volumes/Data/site.db", None),
        ("/Volumes/U 盘/site.db", None),
    ],
)
def test_macos_mounts_as_mount_lists_them(path: str, share: NetworkShare | None):
    assert network_share(path, linux(MACOS_MOUNT)) == share


def test_a_server_url_is_shown_without_its_password() -> None:
    from examsite.storage.db import shown_location

    shown = shown_location("postgresql+psycopg://site:s3cr%40t@10.0.0.5:5432/exams")
    assert "s3cr" not in shown and "10.0.0.5" in shown and "exams" in shown
    assert shown_location("/home/a/site.db") == "/home/a/site.db"
