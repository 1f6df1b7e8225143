"""The valid rows the property suites start from, made as the program's own tests and
exports make them (read from the SQLite templates of tests/conftest.py, whichever
engine the run uses: only the rows' values are needed, and they are the same)."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from examsite.domain.id_number import synthetic_id
from examsite.formats.template_workbook import write_template
from examsite.storage.db import Database
from examsite.storage.models import Candidate

Rows = list[list[Any]]


def new_id(seq: int, gender: str = "女") -> str:
    """A valid synthetic ID number no demo candidate has (born in 1999)."""
    return synthetic_id("110105", dt.date(1999, 1, 1) + dt.timedelta(days=seq), seq % 500, gender)  # type: ignore[arg-type]


@functools.cache
def template_head(kind: str) -> tuple[tuple[Any, ...], ...]:
    """The first three rows (title, instructions, header) of the blank candidate template."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(kind, Path(folder) / "blank.xlsx")
        ws = openpyxl.load_workbook(path).active
        assert ws is not None
        return tuple(ws.iter_rows(min_row=1, max_row=3, values_only=True))


def sqlite_ids(path: Path, limit: int = 3) -> list[str]:
    """The ID numbers of the first candidates of a template file."""
    database = Database.open(path)
    try:
        with database.read() as session:
            return list(
                session.scalars(select(Candidate.id_number).order_by(Candidate.id).limit(limit))
            )
    finally:
        database.close()


def candidate_rows(kind: str, existing: list[str]) -> Rows:
    """The blank template's head and five valid rows (the last one a demo candidate's
    ID number, so that the update and the duplicate paths are walked too)."""
    rows: Rows = [list(r) for r in template_head(kind)]
    for seq in range(5):
        id_number = existing[0] if seq == 4 and existing else new_id(seq)
        common = [f"王玉{'霞梅兰芳'[seq % 4]}", "", "女", "身份证", id_number, f"138{seq:08d}"]
        if kind == "school":
            rows.append([*common, "2020", "专科", "市场营销", "530605"])
        else:
            rows.append([*common, "某公司", "大专", "会计"])
    return rows
