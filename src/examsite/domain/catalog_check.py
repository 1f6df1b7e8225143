"""Checking a catalog file (certificates, subjects, exam plans) before anything is written.

``check_catalog`` reads the plain data of ``resources/catalog.json`` or a file the
coordinator imports and returns every problem, each naming the certificate or plan code
and the field, together with what it could read: each certificate's typed rules and each
plan's timetable. What needs the database (a code the file refers to but does not hold, a
session that ends after the exam window) is checked by the import itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from examsite.domain.certificate_rules import (
    InvigilatorRule,
    ScoringRule,
    parse_invigilator_rule,
    parse_scoring_rule,
)
from examsite.domain.problems import Problem, error

SUBJECT_KINDS: Final = ("theory", "practical")
WINDOWS: Final = ("registration", "arrangement", "exam", "score_entry", "publication")
CERTIFICATE_FIELDS: Final = ("org", "name", "level", "fee")
PLAN_FIELDS: Final = ("org", "name", "year", "certificates", *WINDOWS)

#: A plan's timetable: starts by (certificate code, subject kind).
Timetable = Mapping[tuple[str, str], Sequence[dt.datetime]]


@dataclass(frozen=True)
class CheckedCatalog:
    """What ``check_catalog`` found: the problems, and the typed values it could read."""

    problems: tuple[Problem, ...] = ()
    rules: Mapping[str, tuple[InvigilatorRule, ScoringRule]] = field(default_factory=dict)
    timetables: Mapping[str, Timetable] = field(default_factory=dict)


def check_catalog(data: Mapping[str, Any]) -> CheckedCatalog:
    """Every problem of the catalog ``data`` (the parsed JSON of a catalog file)."""
    problems: list[Problem] = []
    rules: dict[str, tuple[InvigilatorRule, ScoringRule]] = {}
    timetables: dict[str, Timetable] = {}
    for entry in _entries(data, "orgs"):
        _texts(entry, ("code", "name", "short_name"), f"机构 {entry.get('code', '')}", problems)
    for entry in _entries(data, "certificates"):
        code = str(entry.get("code", ""))
        checked = _check_certificate(entry, code, problems)
        if checked is not None:
            rules[code] = checked
    for entry in _entries(data, "plans"):
        code = str(entry.get("code", ""))
        timetables[code] = _check_plan(entry, code, problems)
    return CheckedCatalog(tuple(problems), rules, timetables)


def _entries(data: Mapping[str, Any], section: str) -> list[Mapping[str, Any]]:
    # Anything that is not a list of objects is left to the import's catch-all message.
    entries = data.get(section, [])
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, Mapping)]


def _check_certificate(
    entry: Mapping[str, Any], code: str, problems: list[Problem]
) -> tuple[InvigilatorRule, ScoringRule] | None:
    for name in ("code", *CERTIFICATE_FIELDS):
        if entry.get(name) in (None, ""):
            problems.append(
                error(
                    "catalog.certificate_field_missing", column=name, certificate=code, field=name
                )
            )
    _texts(entry, ("code", "org", "name", "level"), f"证书 {code}", problems)
    weights = _check_subjects(entry.get("subjects"), code, problems)
    invigilators, found = parse_invigilator_rule(entry.get("invigilator_rule"), certificate=code)
    problems.extend(found)
    scoring, found = parse_scoring_rule(
        entry.get("scoring_rule"), certificate=code, subject_weights=weights
    )
    problems.extend(found)
    if invigilators is None or scoring is None:
        return None
    return invigilators, scoring


def _check_subjects(subjects: Any, code: str, problems: list[Problem]) -> dict[str, float] | None:
    """The weights by subject kind, or None when a subject cannot be read."""
    if not isinstance(subjects, list) or not subjects:
        problems.append(
            error(
                "catalog.certificate_field_missing",
                column="subjects",
                certificate=code,
                field="subjects",
            )
        )
        return None
    weights: dict[str, float] = {}
    readable = True
    for subject in subjects:
        if not isinstance(subject, Mapping):
            readable = False
            continue
        kind = subject.get("kind")
        _texts(subject, ("code", "name", "mode"), f"证书 {code} 的科目", problems)
        if kind not in SUBJECT_KINDS:
            problems.append(
                error(
                    "catalog.subject_unknown_kind",
                    column="subjects.kind",
                    certificate=code,
                    value=kind,
                )
            )
            readable = False
            continue
        if kind in weights:
            problems.append(
                error(
                    "catalog.subject_twice", column="subjects.kind", certificate=code, subject=kind
                )
            )
        minutes = subject.get("duration_minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            problems.append(
                error(
                    "catalog.subject_duration_invalid",
                    column="subjects.duration_minutes",
                    certificate=code,
                    subject=kind,
                    value=minutes,
                )
            )
        weight = subject.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1:
            problems.append(
                error(
                    "catalog.subject_weight_invalid",
                    column="subjects.weight",
                    certificate=code,
                    subject=kind,
                    value=weight,
                )
            )
            readable = False
            continue
        weights[kind] = float(weight)
    return weights if readable else None


def _check_plan(entry: Mapping[str, Any], code: str, problems: list[Problem]) -> Timetable:
    for name in ("code", *PLAN_FIELDS):
        if entry.get(name) in (None, ""):
            problems.append(error("catalog.plan_field_missing", column=name, plan=code, field=name))
    _texts(entry, ("code", "org", "name"), f"考试计划 {code}", problems)
    listed = entry.get("certificates")
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, str):
            problems.append(_not_text(f"考试计划 {code}", "certificates", item))
    for window in WINDOWS:
        value = entry.get(window)
        if value is None:
            continue
        times = _window(value)
        if times is None:
            problems.append(
                error("catalog.window_invalid", column=window, plan=code, field=window, value=value)
            )
        elif times[1] < times[0]:
            problems.append(
                error("catalog.window_reversed", column=window, plan=code, field=window)
            )
    certificates = entry.get("certificates")
    known = {str(c) for c in certificates} if isinstance(certificates, list) else set()
    return _check_timetable(entry.get("timetable", []), code, known, problems)


def _texts(
    entry: Mapping[str, Any], names: Sequence[str], where: str, problems: list[Problem]
) -> None:
    """A problem for each of ``names`` that ``entry`` holds as something other than text
    (a number, a list …): the database would refuse it half-way through the import."""
    for name in names:
        value = entry.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(_not_text(where, name, value))


def _not_text(where: str, name: str, value: Any) -> Problem:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return error("catalog.field_not_text", column=name, where=where, field=name, value=shown)


def _window(value: Any) -> tuple[dt.datetime, dt.datetime] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = (_time(v) for v in value)
    return None if start is None or end is None else (start, end)


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _check_timetable(
    entries: Any, plan: str, certificates: set[str], problems: list[Problem]
) -> Timetable:
    if not isinstance(entries, list):
        problems.append(error("catalog.timetable_not_a_list", column="timetable", plan=plan))
        return {}
    starts: dict[tuple[str, str], list[dt.datetime]] = {}
    for index, item in enumerate(entries, start=1):
        values = item if isinstance(item, Mapping) else {}
        certificate = str(values.get("certificate", ""))
        subject = values.get("subject")
        start = _time(values.get("start"))
        if not certificate or subject not in SUBJECT_KINDS or start is None:
            problems.append(
                error(
                    "catalog.timetable_entry_invalid",
                    column="timetable",
                    plan=plan,
                    index=index,
                    value=item,
                )
            )
            continue
        if certificate not in certificates:
            problems.append(
                error(
                    "catalog.timetable_unknown_certificate",
                    column="timetable",
                    plan=plan,
                    index=index,
                    certificate=certificate,
                )
            )
            continue
        taken = starts.setdefault((certificate, subject), [])
        if start in taken:
            problems.append(
                error(
                    "catalog.timetable_twice",
                    column="timetable",
                    plan=plan,
                    certificate=certificate,
                    subject=subject,
                    start=f"{start:%Y-%m-%d %H:%M}",
                )
            )
            continue
        taken.append(start)
    return starts
