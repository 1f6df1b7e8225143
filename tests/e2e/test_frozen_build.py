"""The PyInstaller build, started once: migrations, catalog, pinyin data and the photo
workers must all be inside the frozen folder. Runs when EXAMSITE_FROZEN_DIST names it
(.ci/run builds it); skipped otherwise, since a build takes a minute or two."""

from __future__ import annotations

import json
import os
import random
import subprocess
import zipfile
from pathlib import Path

import pytest

from examsite.services.demo import RED, demo_photo

DIST = os.environ.get("EXAMSITE_FROZEN_DIST")
pytestmark = pytest.mark.skipif(not DIST, reason="set EXAMSITE_FROZEN_DIST to the built folder")


def frozen(*args: str, db: Path | str) -> subprocess.CompletedProcess[str]:
    """The frozen CLI on ``db`` (a file, or a server's URL as text)."""
    exe = Path(DIST or ".") / "examsite-cli"
    return subprocess.run(
        [str(exe), "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def test_frozen_cli_creates_the_demo_and_reports_status(tmp_path: Path) -> None:
    db = tmp_path / "frozen.db"
    created = frozen("demo", "create", "--candidates", "80", "--json", db=db)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["candidates"] == 80
    status = json.loads(frozen("status", "--json", db=db).stdout)
    assert status["candidates"] == 80
    # 80 photos: enough for check_many to start its worker processes in the frozen build.
    listing = json.loads(frozen("candidates", "list", "--json", db=db).stdout)
    rng = random.Random(5)
    photos = tmp_path / "photos.zip"
    with zipfile.ZipFile(photos, "w") as archive:
        for row in listing:
            archive.writestr(f"{row['id_number']}.jpg", demo_photo(rng, RED))
    imported = frozen("photos", "import", str(photos), "--json", db=db)
    assert imported.returncode == 0, imported.stderr
    verdicts = {r["verdict"] for r in json.loads(imported.stdout)["results"]}
    assert verdicts == {"pass"}
    template = tmp_path / "t.xlsx"
    assert (
        frozen("candidates", "template", str(template), "--kind", "school", db=db).returncode == 0
    )
    assert template.stat().st_size > 0


def test_frozen_cli_runs_steps_4_to_7_on_the_demo(tmp_path: Path) -> None:
    """Registration, rooms, invigilators and the arrangement, frozen: their sheets'
    templates and the audit log included."""
    db = tmp_path / "chain.db"
    assert frozen("demo", "create", "--candidates", "40", db=db).returncode == 0
    plan = ("--plan", "DEMO-2232100001")
    for step in (
        ("registration", "add", *plan, "--certificate", "1630054223010588", "--all-ready"),
        ("rooms", "propose", *plan),
        ("staff", "assign", *plan),
        ("arrange", "run", *plan),
    ):
        done = frozen(*step, "--json", db=db)
        assert done.returncode == 0, (step, done.stderr)
    seats = json.loads(frozen("arrange", "show", *plan, "--json", db=db).stdout)
    assert seats and all(row["ticket"] and row["seat"] >= 1 for row in seats)
    sheet = tmp_path / "r.xlsx"
    assert frozen("registration", "template", "-o", str(sheet), db=db).returncode == 0
    assert sheet.stat().st_size > 0
    # the papers: reportlab, the QR codes and the bundled font inside the frozen folder
    printed = frozen("print", "run", *plan, "--out", str(tmp_path / "out"), "--json", db=db)
    assert printed.returncode == 0, printed.stderr
    manifest = json.loads(printed.stdout)
    assert manifest["pages"] > 0
    assert all((Path(manifest["folder"]) / f["file"]).stat().st_size > 0 for f in manifest["files"])
    # steps 9 to 11: the upload package (its sheets read back with calamine), exam day's
    # list, the results and the statistics workbook
    upload = frozen("export", "platform", *plan, "--out", str(tmp_path), "--json", db=db)
    assert upload.returncode == 0, upload.stderr
    assert Path(json.loads(upload.stdout)["path"]).stat().st_size > 0
    door = json.loads(frozen("checkin", "list", *plan, "--json", db=db).stdout)
    assert door and all(row["status"] is None for row in door)
    results = json.loads(frozen("scores", "results", *plan, "--json", db=db).stdout)
    assert results and all(row["passed"] is None for row in results)  # no scores yet
    stats = frozen("stats", *plan, "--out", str(tmp_path / "s.xlsx"), "--json", db=db)
    assert stats.returncode == 0, stats.stderr
    assert (tmp_path / "s.xlsx").stat().st_size > 0


def test_frozen_window_starts(tmp_path: Path) -> None:
    """The window paints (font and icon found), opens the database and shows its status."""
    exe = Path(DIST or ".") / "examsite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EXAMSITE_FIRST_PAINT": "1"}
    started = subprocess.run(
        [str(exe), "--db", str(tmp_path / "w.db")],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    moments = [line.split()[0] for line in started.stdout.splitlines()]
    assert moments == ["first-paint", "status-shown"]


def test_frozen_cli_works_on_a_school_server_and_copies_it_to_a_file(tmp_path: Path) -> None:
    """psycopg's binary driver inside the frozen folder: the demo on a throwaway server,
    then ``db copy`` of it to a SQLite file, verified table by table."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pg_server import find_binaries, running_server

    if find_binaries() is None:
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl)")
    with running_server() as server:
        server.admin("CREATE DATABASE frozen")
        url = server.url("frozen")
        created = frozen("demo", "create", "--candidates", "30", "--json", db=url)
        assert created.returncode == 0, created.stderr
        copy = tmp_path / "copy.db"
        copied = frozen("db", "copy", "--to", str(copy), "--json", db=url)
        assert copied.returncode == 0, copied.stderr
        tables = json.loads(copied.stdout)["tables"]
        assert tables and all(t["equal"] for t in tables)
    status = json.loads(frozen("status", "--json", db=copy).stdout)
    assert status["candidates"] == 30
