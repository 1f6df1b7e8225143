"""The print run with two small stand-in documents (tests/print_fakes.py): the folder, the
manifest, stable checksums, ``only``, cancel, the refusals, the zip, the settings and step
8's status."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pypdfium2
import pytest
from sqlalchemy import select

from examsite.domain.materials import PrintSettings
from examsite.domain.workflow import Step, StepState
from examsite.errors import Cancelled, ExamsiteError, InputError
from examsite.progress import Progress
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.print_run import (
    LISTING,
    MANIFEST,
    chosen_documents,
    physical_rooms,
    print_run,
    read_manifest,
    safe_name,
)
from examsite.services.print_settings import (
    is_stale,
    last_run,
    load_print_settings,
    save_print_settings,
)
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Seat
from print_fakes import use_fake_documents


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def arranged(arranged_db_file, monkeypatch):
    use_fake_documents(monkeypatch)
    db = Database.open(arranged_db_file(60))
    yield db
    db.close()


def pages_of(path: Path) -> int:
    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def test_a_run_writes_every_document_each_room_kit_and_the_manifest(arranged, tmp_path):
    steps: list[tuple[int, int, str]] = []
    manifest = print_run(
        arranged, DEMO_PLAN_CODE, tmp_path / "out", progress=Progress(lambda *a: steps.append(a))
    )
    folder = tmp_path / "out" / DEMO_PLAN_CODE
    assert manifest.folder == folder
    names = sorted(p.name for p in folder.iterdir())
    with arranged.read() as session:
        from examsite.services.materials_data import load_materials

        data = load_materials(session, DEMO_PLAN_CODE)
    rooms = [r for r in data.rooms if r.sessions]
    assert len(rooms) == 4
    # one kit per physical room: the demo's two rooms each examine both certificates
    kits = physical_rooms(data)
    assert sorted(kits) == sorted({r.name for r in rooms}) and len(kits) == 2
    expected = {"roster-名单.pdf", "door-门贴.pdf", MANIFEST, LISTING}
    expected |= {f"考场-{safe_name(name)}.pdf" for name in kits}
    assert set(names) == expected
    plain = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert plain["plan"] == DEMO_PLAN_CODE
    by_file = {f["file"]: f for f in plain["files"]}
    assert set(by_file) == expected - {MANIFEST, LISTING}
    for name, entry in by_file.items():
        content = (folder / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["size"] == len(content)
        assert entry["pages"] == pages_of(folder / name) > 0
    sessions = sum(len(r.sessions) for r in rooms)
    assert by_file["roster-名单.pdf"]["pages"] == sessions
    assert by_file["door-门贴.pdf"]["pages"] == sessions
    name, same = next(iter(kits.items()))
    kit = by_file[f"考场-{safe_name(name)}.pdf"]
    assert kit["scope"] == "kit" and kit["room"] == name
    kit_pages = sum(len(r.sessions) for r in same)
    assert kit["parts"] == [{"key": "door", "title": "门贴", "pages": kit_pages}]
    assert manifest.pages == plain["pages"] == sum(f["pages"] for f in plain["files"])
    listing = (folder / LISTING).read_text(encoding="utf-8-sig")
    assert "roster-名单.pdf" in listing and f"{manifest.pages} 页" in listing
    # progress: one step per document and room kit, then done
    assert steps[-1][0] == steps[-1][1] == 2 + len(kits)
    assert any("名单" in label for _d, _t, label in steps)
    # nothing else left beside the folder
    assert [p.name for p in (tmp_path / "out").iterdir()] == [DEMO_PLAN_CODE]
    assert read_manifest(folder) == manifest


def test_the_same_data_gives_the_same_bytes(arranged, tmp_path):
    first = print_run(arranged, DEMO_PLAN_CODE, tmp_path / "a")
    second = print_run(arranged, DEMO_PLAN_CODE, tmp_path / "b")
    assert [(e.file, e.sha256) for e in first.entries] == [
        (e.file, e.sha256) for e in second.entries
    ]
    # another header changes the plan documents' bytes
    third = print_run(arranged, DEMO_PLAN_CODE, tmp_path / "c", settings=PrintSettings("别的页眉"))
    assert third.entries[0].sha256 != first.entries[0].sha256


def test_only_makes_the_chosen_documents(arranged, out):
    manifest = print_run(arranged, DEMO_PLAN_CODE, out, only={"roster"})
    assert [e.file for e in manifest.entries] == ["roster-名单.pdf"]
    assert sorted(p.name for p in manifest.folder.iterdir()) == sorted(
        ["roster-名单.pdf", MANIFEST, LISTING]
    )
    with pytest.raises(InputError) as refused:
        chosen_documents({"roster", "nonesuch"})
    assert refused.value.code == "materials.unknown_document"
    assert "nonesuch" in refused.value.message


def test_a_cancelled_run_leaves_the_previous_folder_as_it_was(arranged, out):
    first = print_run(arranged, DEMO_PLAN_CODE, out, only={"roster"})
    before = {p.name: p.read_bytes() for p in first.folder.iterdir()}
    progress = Progress()

    def cancel_in_the_kits(done: int, total: int, label: str) -> None:
        if "考场" in label:
            progress.cancel()

    progress._callback = cancel_in_the_kits  # type: ignore[attr-defined]
    with pytest.raises(Cancelled):
        print_run(arranged, DEMO_PLAN_CODE, out, progress=progress)
    after = {p.name: p.read_bytes() for p in first.folder.iterdir()}
    assert after == before
    assert [p.name for p in out.iterdir()] == [DEMO_PLAN_CODE]  # no staging left


def test_a_new_run_replaces_the_folder(arranged, out):
    print_run(arranged, DEMO_PLAN_CODE, out)
    manifest = print_run(arranged, DEMO_PLAN_CODE, out, only={"roster"})
    assert sorted(p.name for p in manifest.folder.iterdir()) == sorted(
        ["roster-名单.pdf", MANIFEST, LISTING]
    )


def test_a_plan_without_seats_refuses_the_documents_that_list_them(
    demo_db_file, monkeypatch, tmp_path
):
    use_fake_documents(monkeypatch)
    db = Database.open(demo_db_file(20))
    try:
        with pytest.raises(InputError) as refused:
            print_run(db, DEMO_PLAN_CODE, tmp_path / "out")
        assert refused.value.code == "materials.preflight_failed"
        assert [p.code for p in refused.value.problems] == ["materials.no_seats"]
        assert "名单" in refused.value.problems[0].params["documents"]
        assert not (tmp_path / "out" / DEMO_PLAN_CODE).exists()
        # a document that needs no seats is made (here with nothing to print)
        manifest = print_run(db, DEMO_PLAN_CODE, tmp_path / "out", only={"door"})
        assert manifest.entries == () and manifest.empty == ("door",)
    finally:
        db.close()


def test_a_name_no_font_can_draw_is_reported_before_printing(arranged, out):
    with arranged.unit_of_work() as session:
        seated = session.scalars(select(Candidate).order_by(Candidate.id)).first()
        seated.name = "张\ue000"
    with pytest.raises(InputError) as refused:
        print_run(arranged, DEMO_PLAN_CODE, out)
    problem = refused.value.problems[0]
    assert problem.code == "materials.missing_characters"
    assert problem.params == {"name": "张\ue000", "chars": "\ue000"}
    with pytest.raises(InputError) as refused:
        print_run(arranged, DEMO_PLAN_CODE, out, settings=PrintSettings("页眉\ue001"))
    assert {p.params["name"] for p in refused.value.problems} == {"张\ue000", "页眉\ue001"}
    assert not out.exists() or not any(out.iterdir())


def test_the_zip_holds_the_folder_with_utf8_names(arranged, out):
    manifest = print_run(arranged, DEMO_PLAN_CODE, out, only={"roster"}, zip_folder=True)
    assert manifest.zip_file == out / f"{DEMO_PLAN_CODE}.zip"
    with zipfile.ZipFile(manifest.zip_file) as archive:
        names = archive.namelist()
        assert f"{DEMO_PLAN_CODE}/roster-名单.pdf" in names
        assert all(
            info.flag_bits & 0x800 for info in archive.infolist() if not info.filename.isascii()
        )
        assert (
            archive.read(f"{DEMO_PLAN_CODE}/roster-名单.pdf")
            == (manifest.folder / "roster-名单.pdf").read_bytes()
        )


def test_settings_are_stored_and_checked(db):
    assert load_print_settings(db) == PrintSettings()
    stored = save_print_settings(
        db, PrintSettings("  2026 年 第一次   考试 ", 3, 12, "per_subject")
    )
    assert stored == PrintSettings("2026 年 第一次 考试", 3, 12, "per_subject")
    assert load_print_settings(db) == stored
    with pytest.raises(InputError) as refused:
        save_print_settings(db, PrintSettings("", 0, 7, "combined"))
    assert [p.code for p in refused.value.problems] == [
        "materials.bad_copies",
        "materials.bad_labels_per_page",
    ]
    assert load_print_settings(db) == stored


def test_step_status_counts_the_files_and_sees_seats_moved_after_the_run(arranged, out):
    status = round_status(arranged).step(Step.MATERIALS)
    assert status.state is StepState.NOT_STARTED
    assert status.figure.code == "materials.figure_none"
    manifest = print_run(arranged, DEMO_PLAN_CODE, out)
    status = round_status(arranged).step(Step.MATERIALS)
    assert status.state is StepState.DONE
    assert status.figure.params == {"files": len(manifest.entries)}
    assert last_run(arranged, DEMO_PLAN_CODE).pages == manifest.pages
    assert not is_stale(arranged, DEMO_PLAN_CODE)
    with arranged.unit_of_work() as session:
        seat = session.scalars(select(Seat).order_by(Seat.id.desc())).first()
        seat.seat_number += 100
    status = round_status(arranged).step(Step.MATERIALS)
    assert status.state is StepState.PROBLEMS
    assert [p.code for p in status.problems] == ["materials.status_stale"]
    assert is_stale(arranged, DEMO_PLAN_CODE)


def test_a_folder_that_cannot_be_written_is_said_plainly(arranged, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ExamsiteError) as failed:
        print_run(arranged, DEMO_PLAN_CODE, blocker / "out", only={"roster"})
    assert failed.value.code == "materials.cannot_write"
    assert str(blocker / "out") in failed.value.message


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_papers_can_be_read_by_the_other_users_of_the_pc(arranged, out):
    manifest = print_run(arranged, DEMO_PLAN_CODE, out, zip_folder=True)
    folder = out / DEMO_PLAN_CODE
    assert stat.S_IMODE(folder.stat().st_mode) & 0o055 == 0o055
    for entry in manifest.entries:
        assert stat.S_IMODE((folder / entry.file).stat().st_mode) & 0o044 == 0o044
    assert stat.S_IMODE((out / f"{DEMO_PLAN_CODE}.zip").stat().st_mode) & 0o044 == 0o044
