"""A candidate's form as the page fills it, and two valid ID numbers, for the service
tests of candidates (one place for the values they all start from)."""

from __future__ import annotations

import datetime as dt

from examsite.domain.id_number import synthetic_id
from examsite.services.candidates import CandidateForm

A = synthetic_id("110105", dt.date(2003, 5, 1), 3, "女")
B = synthetic_id("310104", dt.date(2002, 7, 9), 4, "男")


def form(id_number: str = A, **changes: object) -> CandidateForm:
    """A school candidate's valid form; ``changes`` replace fields."""
    values: dict[str, object] = {
        "kind": "school",
        "name": "曾小红",
        "id_number": id_number,
        "phone": "13800138000",
        "enrollment_year": "2021",
        "education_level": "专科",
        "major": "电子商务",
        "major_code": "530701",
    }
    values.update(changes)
    return CandidateForm(**values)  # type: ignore[arg-type]
