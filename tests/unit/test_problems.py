"""Problems survive the trip to plain values and back (JSON columns, worker processes)."""

from __future__ import annotations

import json
import pickle

from examsite.domain.problems import Level, Problem, error, warning


def test_plain_round_trip_through_json_and_pickle() -> None:
    problems = [
        error("photo.wrong_pixels", width=590, height=826, fixable=True),
        warning("import.incomplete", row=7, column="*手机号码", fields="手机号码"),
    ]
    for problem in problems:
        plain = problem.to_plain()
        assert Problem.from_plain(json.loads(json.dumps(plain))) == problem
        assert Problem.from_plain(pickle.loads(pickle.dumps(plain))) == problem


def test_stored_without_row_or_column_reads_back() -> None:
    problem = Problem.from_plain({"code": "photo.background_blue", "params": {}})
    assert (problem.level, problem.row, problem.column) == (Level.ERROR, None, None)
