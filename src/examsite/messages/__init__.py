"""The Chinese text the user sees, for every problem code and every named value.

Every message lives here, one module per code prefix (``candidate``, ``imports``,
``photos``, ``sessions``, ``status``, ``storage``, ``catalog``, ``app``), and the titles of
named values in ``titles``. Code raises and returns codes with parameters (``Problem``,
``ExamsiteError``); the CLI, ``--json`` and the window all render through ``render`` here,
so a message reads the same everywhere and a script can act on its code.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from examsite.domain.problems import Problem
from examsite.messages import (
    accounts,
    activity,
    after_exam,
    app,
    arrangement,
    audit,
    backup,
    bundle,
    bundle_log,
    candidate,
    catalog,
    checkin,
    db_copy,
    demo,
    encryption,
    imports,
    incidents,
    materials,
    photos,
    platform,
    registration,
    results,
    retention,
    rooms,
    scores,
    server,
    sessions,
    site,
    staff,
    statistics,
    status,
    storage,
    system,
)
from examsite.messages.titles import (
    CANDIDATE_ISSUE_TITLES,
    CANDIDATE_STATUS_TITLES,
    FIELD_TITLES,
    KIND_TITLES,
    LEVEL_TITLES,
    PHOTO_TITLES,
    PROBLEM_LEVEL_TITLES,
    STATE_TITLES,
    STEP_DESCRIPTIONS,
    STEP_TITLES,
    SUBJECT_KIND_TITLES,
    WINDOW_TITLES,
    certificate_title,
    level_title,
)

log = logging.getLogger(__name__)

#: The modules that hold message templates, each for the code prefixes it declares.
MESSAGE_MODULES: tuple[ModuleType, ...] = (
    accounts,
    activity,
    after_exam,
    app,
    audit,
    backup,
    bundle,
    bundle_log,
    arrangement,
    candidate,
    catalog,
    db_copy,
    demo,
    encryption,
    checkin,
    imports,
    incidents,
    materials,
    photos,
    platform,
    registration,
    results,
    retention,
    rooms,
    scores,
    server,
    sessions,
    site,
    staff,
    statistics,
    status,
    storage,
    system,
)

_MESSAGES: dict[str, str] = {}


def register(messages: Mapping[str, str]) -> None:
    """Add message templates (codes must be unique)."""
    clash = set(messages) & set(_MESSAGES)
    if clash:
        raise ValueError(f"message codes defined twice: {sorted(clash)}")
    _MESSAGES.update(messages)


for _module in MESSAGE_MODULES:
    register(_module.MESSAGES)


def render(problem: Problem) -> str:
    """The Chinese sentence for ``problem``."""
    return text(problem.code, **problem.params)


def text(code: str, /, **params: Any) -> str:
    """The Chinese sentence for ``code`` with ``params``."""
    template = _MESSAGES.get(code)
    if template is None:
        log.warning("no message for code %s", code)
        return code
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        log.exception("message %s does not fit its params %s", code, params)
        return template


def has_message(code: str) -> bool:
    return code in _MESSAGES


def codes() -> frozenset[str]:
    """Every code that has a message."""
    return frozenset(_MESSAGES)


def parameters(code: str) -> frozenset[str]:
    """The names the template of ``code`` fills in (``{name}``)."""
    return frozenset(
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(_MESSAGES[code])
        if field
    )


__all__ = [
    "CANDIDATE_ISSUE_TITLES",
    "CANDIDATE_STATUS_TITLES",
    "FIELD_TITLES",
    "KIND_TITLES",
    "LEVEL_TITLES",
    "MESSAGE_MODULES",
    "PHOTO_TITLES",
    "PROBLEM_LEVEL_TITLES",
    "STATE_TITLES",
    "STEP_DESCRIPTIONS",
    "STEP_TITLES",
    "SUBJECT_KIND_TITLES",
    "WINDOW_TITLES",
    "certificate_title",
    "codes",
    "has_message",
    "level_title",
    "parameters",
    "register",
    "render",
    "text",
]
