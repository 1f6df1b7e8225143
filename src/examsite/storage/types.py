"""Column types of our own: typed values stored as JSON, and the stable row keys (uid).

A certificate's rules are frozen dataclasses of ``examsite.domain.certificate_rules``; the
columns below write them as JSON and read them back as the same dataclasses, so no code
reads a rule by string keys.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Dialect
from sqlalchemy.types import TypeDecorator

from examsite.domain.certificate_rules import InvigilatorRule, ScoringRule


def new_uid() -> str:
    """A random UUID4 as text: the key that names a row on every PC (sync bundles)."""
    return str(uuid.uuid4())


class InvigilatorRuleType(TypeDecorator[InvigilatorRule]):
    """An ``InvigilatorRule`` stored as a JSON object."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, InvigilatorRule):
            raise TypeError(f"expected an InvigilatorRule, got {type(value).__name__}")
        return value.to_plain()

    def process_result_value(self, value: Any, dialect: Dialect) -> InvigilatorRule | None:
        return None if value is None else InvigilatorRule.from_plain(value)


class ScoringRuleType(TypeDecorator[ScoringRule]):
    """A ``ScoringRule`` stored as a JSON object."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, ScoringRule):
            raise TypeError(f"expected a ScoringRule, got {type(value).__name__}")
        return value.to_plain()

    def process_result_value(self, value: Any, dialect: Dialect) -> ScoringRule | None:
        return None if value is None else ScoringRule.from_plain(value)
