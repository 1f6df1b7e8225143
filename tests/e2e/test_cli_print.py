"""``examsite-cli print run`` and ``print list`` with ``--json``, with two stand-in
documents (tests/print_fakes.py)."""

from __future__ import annotations

import json

from cli_runner import run_cli

from examsite.services.demo import DEMO_PLAN_CODE
from print_fakes import use_fake_documents


def test_print_list_names_the_documents(monkeypatch, arranged_db_file) -> None:
    use_fake_documents(monkeypatch)
    listed = run_cli("print", "list", "--json", db=arranged_db_file(60))
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"key": "roster", "title": "名单", "scope": "plan", "needs_seats": True},
        {"key": "door", "title": "门贴", "scope": "room", "needs_seats": False},
    ]
    text = run_cli("print", "list", db=arranged_db_file(60))
    assert "门贴" in text.stdout and "每个考场" in text.stdout


def test_print_run_prints_the_manifest(monkeypatch, arranged_db_file, tmp_path) -> None:
    use_fake_documents(monkeypatch)
    path = arranged_db_file(60)
    out = tmp_path / "物料"
    ran = run_cli(
        "print", "run", "--plan", DEMO_PLAN_CODE, "--out", str(out), "--header", "页眉",
        "--copies", "3", "--zip", "--json", db=path,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    manifest = json.loads(ran.stdout)
    folder = out / DEMO_PLAN_CODE
    assert manifest["folder"] == str(folder)
    assert manifest["zip"] == str(out / f"{DEMO_PLAN_CODE}.zip")
    assert manifest["settings"]["header"] == "页眉"
    assert manifest["settings"]["sign_in_copies"] == 3
    files = {f["file"]: f for f in manifest["files"]}
    assert "roster-名单.pdf" in files and "door-门贴.pdf" in files
    assert sum(1 for name in files if name.startswith("考场-")) == 2
    for name, entry in files.items():
        assert (folder / name).stat().st_size == entry["size"]
    stored = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert stored["files"] == manifest["files"]

    again = run_cli(
        "print", "run", "--plan", DEMO_PLAN_CODE, "--out", str(out), "--only", "roster", db=path
    )
    assert again.returncode == 0, again.stderr
    assert "已生成 1 个文件" in again.stdout and "roster-名单.pdf" in again.stdout
    status = json.loads(run_cli("status", "--json", db=path).stdout)
    assert "materials" in json.dumps(status)


def test_print_run_refuses_with_exit_2(monkeypatch, arranged_db_file, tmp_path) -> None:
    use_fake_documents(monkeypatch)
    path = arranged_db_file(60)
    for extra, code in (
        (["--only", "nonesuch"], "materials.unknown_document"),
        (["--labels-per-page", "7"], "materials.bad_labels_per_page"),
        (["--plan", "NONE"], None),
    ):
        args = ["print", "run", "--plan", DEMO_PLAN_CODE, "--out", str(tmp_path), *extra, "--json"]
        ran = run_cli(*args, db=path)
        assert ran.returncode == 2, (extra, ran.stdout, ran.stderr)
        if code:
            assert code in ran.stdout + ran.stderr
    assert not (tmp_path / DEMO_PLAN_CODE).exists()
