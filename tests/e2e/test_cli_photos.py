"""``examsite-cli photos`` end to end on a demo site."""

from __future__ import annotations

import json
import os
import random
import signal
import struct
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from cli_runner import run_cli

from examsite.messages import text
from examsite.services.demo import BLUE, RED, demo_photo
from examsite.storage.db import Database
from examsite.storage.models import Candidate


def test_photo_import_json_and_exit_codes(tmp_path: Path, demo_db_file) -> None:
    db = demo_db_file(20)  # what ``demo create --candidates 20`` makes
    listing = json.loads(run_cli("candidates", "list", "--json", db=db).stdout)
    ids = [c["id_number"] for c in listing][:4]
    rng = random.Random(3)
    source = tmp_path / "照片.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"{ids[0]}.jpg", demo_photo(rng, RED))
        archive.writestr(f"{ids[1]}.jpg", demo_photo(rng, BLUE))
        archive.writestr(f"{ids[2]}.jpg", demo_photo(rng, RED, (590, 826)))
        archive.writestr("__MACOSX/._x.jpg", b"\x00")
        archive.writestr("nobody.jpg", demo_photo(rng, RED))

    plain = run_cli("photos", "import", str(source), "--json", db=db)
    assert plain.returncode == 0, plain.stderr
    document = json.loads(plain.stdout)
    verdicts = {r["id_number"]: r["verdict"] for r in document["results"]}
    assert verdicts == {ids[0]: "pass", ids[1]: "rejected", ids[2]: "rejected"}
    assert document["unmatched"] == ["nobody.jpg"]
    assert document["ignored"] == [
        {
            "file": "__MACOSX/._x.jpg",
            "reason": "photo_source.system_file",
            "message": text("photo_source.system_file"),
        }
    ]
    assert document["counts"] == {"pass": 1, "fixed": 0, "review": 0, "rejected": 2}
    fixable = next(r for r in document["results"] if r["id_number"] == ids[2])
    assert "自动修复" in fixable["problems"][0]["message"]

    fixed = json.loads(run_cli("photos", "import", str(source), "--fix", "--json", db=db).stdout)
    assert {r["id_number"]: r["verdict"] for r in fixed["results"]}[ids[2]] == "fixed"

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{ids[3]}.jpg", b"\x00" * (60 * 1024 * 1024))
    refused = run_cli("photos", "import", str(bomb), "--json", db=db)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "photos.zip_bomb"
    assert "压缩炸弹" in refused.stderr
    listing = json.loads(run_cli("candidates", "list", "--json", db=db).stdout)
    assert next(c for c in listing if c["id_number"] == ids[3])["photo"] != "fixed"


def _set_encrypted_flag(path: Path, member: str) -> None:
    """Mark ``member`` of a zip written by zipfile as encrypted (flag bit 0), in its local
    and its central record: zipfile cannot write encrypted members itself."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x03\x04")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 26)[0]
        if data[at + 30 : at + 30 + length] == name:
            data[at + 6] |= 0x1
        at = data.find(b"PK\x03\x04", at + 30)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))


def _candidates(db: Path, count: int) -> list[str]:
    """A database with ``count`` candidates and no photos, made in this process (the CLI
    is what is tested, not how the site was set up)."""
    database = Database.open(db)
    ids = [f"{110101190001010000 + i:018d}" for i in range(count)]
    with database.unit_of_work() as session:
        for i, id_number in enumerate(ids):
            session.add(
                Candidate(
                    kind="social",
                    name=f"考生{i}",
                    pinyin="x",
                    gender="女",
                    id_number=id_number,
                    phone="13800000000",
                )
            )
    database.close()
    return ids


def test_ignored_files_are_listed_with_their_reasons(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    ids = _candidates(db, 3)
    rng = random.Random(5)
    source = tmp_path / "photos.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"{ids[0]}.jpg", demo_photo(rng, RED))
        archive.writestr(f"{ids[1]}.jpg", demo_photo(rng, RED))
        archive.writestr("Thumbs.db", b"junk")
        archive.writestr("说明.txt", "请查收".encode())
    _set_encrypted_flag(source, f"{ids[1]}.jpg")

    human = run_cli("photos", "import", str(source), db=db)
    assert human.returncode == 0, human.stderr
    assert "已忽略 3 个文件" in human.stdout
    for reason, name in (
        ("photo_source.encrypted", f"{ids[1]}.jpg"),
        ("photo_source.system_file", "Thumbs.db"),
        ("photo_source.not_image", "说明.txt"),
    ):
        assert f"1 个：{text(reason)}" in human.stdout
        assert f"      {name}\n" in human.stdout
    assert "设了密码" in human.stdout and "不设密码重新打包" in human.stdout

    document = json.loads(run_cli("photos", "import", str(source), "--json", db=db).stdout)
    reasons = {i["file"]: i["reason"] for i in document["ignored"]}
    assert reasons == {
        f"{ids[1]}.jpg": "photo_source.encrypted",
        "Thumbs.db": "photo_source.system_file",
        "说明.txt": "photo_source.not_image",
    }
    assert all(i["message"] == text(i["reason"]) for i in document["ignored"])


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_link_out_of_a_photo_folder_is_named_as_such(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    ids = _candidates(db, 3)
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / f"{ids[0]}.jpg").write_bytes(demo_photo(random.Random(1), RED))
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(demo_photo(random.Random(2), RED))
    (folder / f"{ids[1]}.jpg").symlink_to(outside)
    (folder / ".DS_Store").write_bytes(b"junk")

    human = run_cli("photos", "import", str(folder), db=db)
    assert human.returncode == 0, human.stderr
    assert text("photo_source.link_outside") in human.stdout
    assert text("photo_source.system_file") in human.stdout
    document = json.loads(run_cli("photos", "import", str(folder), "--json", db=db).stdout)
    assert {i["file"]: i["reason"] for i in document["ignored"]} == {
        f"{ids[1]}.jpg": "photo_source.link_outside",
        ".DS_Store": "photo_source.system_file",
    }


def test_an_encrypted_zip_says_it_is_password_protected(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    ids = _candidates(db, 3)
    source = tmp_path / "加密.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for id_number in ids[:3]:
            archive.writestr(f"{id_number}.jpg", demo_photo(random.Random(1), RED))
    for id_number in ids[:3]:
        _set_encrypted_flag(source, f"{id_number}.jpg")
    human = run_cli("photos", "import", str(source), db=db)
    assert human.returncode == 2
    assert "没有" not in human.stderr and "jpg、png" not in human.stderr
    assert "设置了密码" in human.stderr and "不设密码重新打包" in human.stderr
    machine = run_cli("photos", "import", str(source), "--json", db=db)
    assert json.loads(machine.stdout)["error"]["code"] == "photos.zip_encrypted"


def test_a_grayscale_photo_gets_one_verdict_and_one_message(tmp_path: Path) -> None:
    import io

    from PIL import Image

    db = tmp_path / "g.db"
    ids = _candidates(db, 3)
    grey = io.BytesIO()
    Image.open(io.BytesIO(demo_photo(random.Random(4), RED))).convert("L").save(grey, "JPEG")
    source = tmp_path / "grey.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(f"{ids[0]}.jpg", grey.getvalue())
    human = run_cli("photos", "import", str(source), db=db)
    assert "已接受" not in human.stdout
    assert human.stdout.count("      - ") == 1 and "黑白" in human.stdout
    document = json.loads(run_cli("photos", "import", str(source), "--json", db=db).stdout)
    (result,) = document["results"]
    assert result["verdict"] == "rejected"
    errors = [p["code"] for p in result["problems"] if p["level"] == "error"]
    assert errors == ["photo.grayscale"]


# --- an import interrupted: kill -9 and Ctrl-C ------------------------------------------

BIG = 3000  # photos: several seconds of checking even on a fast machine


@pytest.fixture(scope="module")
def big_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database of ``BIG`` candidates and a zip with a photo for each."""
    folder = tmp_path_factory.mktemp("big")
    db_path = folder / "big.db"
    ids = _candidates(db_path, BIG)
    rng = random.Random(9)
    photos = [demo_photo(rng, RED) for _ in range(20)]
    source = folder / "big.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as archive:
        for i, id_number in enumerate(ids):
            archive.writestr(f"{id_number}.jpg", photos[i % len(photos)])
    return db_path, source


def _start_import(db: Path, source: Path, marker: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "examsite.cli", "--db", str(db), "photos", "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "EXAMSITE_TEST_MARK": marker},
        start_new_session=True,  # its own process group, as a terminal's job
    )


def _marked_processes(marker: str) -> list[int]:
    """Every process carrying ``marker`` in its environment: the CLI and anything it
    started, wherever it was re-parented to."""
    needle = f"EXAMSITE_TEST_MARK={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _wait_until_checking(
    process: subprocess.Popen[str], source: Path, seconds: float = 120
) -> None:
    """Until the CLI has the zip open and has worked on it for a while: inside the checks."""
    proc = Path(f"/proc/{process.pid}")
    deadline = time.monotonic() + seconds
    started: float | None = None
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        cpu = _cpu_seconds(proc)
        if started is None and _has_open(proc, source):
            started = cpu
        if started is not None and cpu - started >= 0.5:
            return
        time.sleep(0.05)
    raise AssertionError("the import did not get going")


def _cpu_seconds(proc: Path) -> float:
    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _has_open(proc: Path, file: Path) -> bool:
    for fd in (proc / "fd").iterdir():
        try:
            if Path(os.readlink(fd)) == file:
                return True
        except OSError:
            continue
    return False


def _photo_count(db: Path) -> int:
    database = Database.open(db)
    try:
        with database.read() as session:
            from sqlalchemy import func, select

            from examsite.storage.models import Photo

            return session.scalar(select(func.count()).select_from(Photo)) or 0
    finally:
        database.close()


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_kill_9_of_an_import_leaves_no_process_behind(big_import, tmp_path: Path) -> None:
    db, source = big_import
    copy = tmp_path / "kill.db"
    copy.write_bytes(db.read_bytes())
    marker = uuid.uuid4().hex
    process = _start_import(copy, source, marker)
    try:
        _wait_until_checking(process, source)
        assert process.poll() is None, "the import ended before it could be killed"
        assert _marked_processes(marker)
        process.kill()  # SIGKILL: no clean-up runs
        process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _marked_processes(marker) == []
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert _photo_count(copy) == 0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_during_an_import_prints_one_line_and_changes_nothing(
    big_import, tmp_path: Path
) -> None:
    db, source = big_import
    copy = tmp_path / "int.db"
    copy.write_bytes(db.read_bytes())
    marker = uuid.uuid4().hex
    process = _start_import(copy, source, marker)
    try:
        _wait_until_checking(process, source)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.strip().splitlines() == [text("app.interrupted")]
    assert stdout == ""
    assert _photo_count(copy) == 0
    assert _marked_processes(marker) == []
