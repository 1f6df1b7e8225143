"""``incident add|edit|list|remove|print`` and ``afterexam papers|videos`` as a script runs
them, with ``--json``: the shapes printed, a refused incident exiting 2 and writing
nothing, the Chinese code names, the filled form's PDF."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_runner import run_cli

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from incident_helpers import Sitting, mark, sittings

P = DEMO_PLAN_CODE


@pytest.fixture
def db_path(arranged_db_file: Callable[[int], Path]) -> Path:
    return arranged_db_file(60)


@pytest.fixture
def first(db_path: Path) -> Sitting:
    db = Database.open(db_path)
    try:
        return sittings(db)[0]
    finally:
        db.close()


@pytest.fixture(autouse=True)
def after_the_exam(first: Sitting) -> Iterator[None]:
    with clock.fixed(first.ends_at + dt.timedelta(hours=8)):
        yield


def cli(db: Path, *args: str, ok: bool = True) -> object:
    done = run_cli(*args, "--json", db=db)
    if ok:
        assert done.returncode == 0, done.stderr + done.stdout
    else:
        assert done.returncode == 2, done.stderr + done.stdout
    return json.loads(done.stdout)


def where(s: Sitting) -> list[str]:
    return ["--room", s.room, "--session", s.session_uid]


def test_add_list_edit_remove(db_path: Path, first: Sitting):
    start = first.starts_at
    added = cli(
        db_path,
        "incident", "add", "--plan", P, *where(first), "--code", "延时",
        "--time", f"{start + dt.timedelta(minutes=20):%H:%M}", "--minutes", "20",
        "--action", "停电后延时", "--by", "王老师",
    )  # fmt: skip
    assert isinstance(added, dict)
    incident = added["incident"]
    assert (incident["code"], incident["title"], incident["minutes"]) == ("extension", "延时", 20)
    assert incident["room"] == first.room and incident["recorded_by"] == "王老师"
    assert incident["time"] == f"{start + dt.timedelta(minutes=20):%Y-%m-%dT%H:%M}"
    assert [n["code"] for n in added["notices"]] == ["incident.extension_needs_org"]
    assert "评价组织" in added["notices"][0]["message"]

    seat, id_number, name, ticket = first.seats[2]
    cli(
        db_path,
        "incident", "add", "--plan", P, "--code", "违纪/作弊",
        "--time", f"{start + dt.timedelta(minutes=30):%Y-%m-%d %H:%M}",
        "--candidates", id_number, "--action", "警告", "--description", "偷看手机",
    )  # fmt: skip
    listed = cli(db_path, "incident", "list", "--plan", P)
    assert isinstance(listed, list) and len(listed) == 2
    misconduct = listed[1]
    assert misconduct["code"] == "misconduct" and misconduct["room"] == first.room
    assert misconduct["candidates"] == [
        {"id_number": id_number, "name": name, "ticket": ticket, "seat": seat}
    ]
    edited = cli(db_path, "incident", "edit", incident["uid"][:8], "--plan", P, "--minutes", "10")
    assert isinstance(edited, dict)
    assert edited["incident"]["minutes"] == 10
    assert [n["code"] for n in edited["notices"]] == ["incident.extension_on_site"]
    only_room = cli(db_path, "incident", "list", "--plan", P, *where(first))
    assert isinstance(only_room, list) and len(only_room) == 2
    removed = cli(db_path, "incident", "remove", incident["uid"], "--plan", P)
    assert isinstance(removed, dict) and removed["removed"]["uid"] == incident["uid"]
    assert len(cli(db_path, "incident", "list", "--plan", P)) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (["--code", "延时", "--minutes", "0"], "incident.minutes_not_positive"),
        (["--code", "延时", "--minutes", "-10"], "incident.minutes_not_positive"),
        (["--code", "延时"], "incident.minutes_needed"),
        (["--code", "停电", "--minutes", "5"], "incident.minutes_not_extension"),
        (["--code", "换机"], "incident.candidates_needed"),
        (["--code", "其他"], "incident.description_empty"),
    ],
)
def test_refusals_exit_2_and_write_nothing(
    db_path: Path, first: Sitting, extra: list[str], problem: str
):
    refused = cli(
        db_path,
        "incident", "add", "--plan", P, *where(first), "--time",
        f"{first.starts_at:%H:%M}", "--action", "处理", *extra,
        ok=False,
    )  # fmt: skip
    assert isinstance(refused, dict)
    assert [p["code"] for p in refused["error"]["problems"]] == [problem]
    assert cli(db_path, "incident", "list", "--plan", P) == []


def test_bad_time_unknown_code_and_strangers(db_path: Path, first: Sitting):
    base = ["incident", "add", "--plan", P, *where(first), "--action", "x"]
    bad = cli(db_path, *base, "--code", "延时", "--minutes", "5", "--time", "明天", ok=False)
    assert bad["error"]["code"] == "incident.bad_time"  # type: ignore[index]
    unknown = cli(db_path, *base, "--code", "火灾", "--time", "09:00", ok=False)
    assert unknown["error"]["code"] == "incident.unknown_code"  # type: ignore[index]
    stranger = cli(
        db_path,
        *base, "--code", "迟到", "--time", f"{first.starts_at:%H:%M}",
        "--candidates", "110101199003077777",
        ok=False,
    )  # fmt: skip
    problems = stranger["error"]["problems"]  # type: ignore[index]
    assert [p["code"] for p in problems] == ["incident.candidate_not_in_plan"]


def test_print_the_filled_forms(db_path: Path, first: Sitting, tmp_path: Path):
    db = Database.open(db_path)
    try:
        mark(db, first.room_session_uid, {n: "present" for n, *_ in first.seats[1:]})
    finally:
        db.close()
    out = tmp_path / "record.pdf"
    done = cli(db_path, "incident", "print", "--plan", P, *where(first), "-o", str(out))
    assert done == {"file": str(out), "form": "room", "pages": 2, "room_sessions": 1}
    assert out.read_bytes().startswith(b"%PDF")
    inspection = cli(
        db_path, "incident", "print", "--plan", P, "--form", "inspection", "-o", str(out)
    )
    assert isinstance(inspection, dict) and inspection["pages"] >= 1


def test_afterexam_papers_and_videos(db_path: Path):
    papers = cli(db_path, "afterexam", "papers", "--plan", P)
    assert isinstance(papers, dict) and (papers["done"], papers["total"]) == (0, 12)
    ticked = cli(db_path, "afterexam", "papers", "--plan", P, "--tick", "sign_in.sent")
    assert isinstance(ticked, dict) and ticked["done"] == 1
    item = next(p for p in ticked["papers"] if p["key"] == "sign_in")
    assert (item["title"], item["sent"], item["kept"]) == ("考场签到表", True, False)
    refused = cli(db_path, "afterexam", "papers", "--plan", P, "--tick", "nope", ok=False)
    assert refused["error"]["code"] == "afterexam.unknown_paper"  # type: ignore[index]
    videos = cli(db_path, "afterexam", "videos", "--plan", P)
    assert isinstance(videos, list) and videos
    assert set(videos[0]) == {"room", "date", "name", "sessions"}
    assert videos[0]["name"].startswith(videos[0]["date"].replace("-", ""))
