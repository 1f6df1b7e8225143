"""Every message code used in the source has a Chinese text whose parameters match.

Read with ``ast``: every call that builds a problem or an error from a literal code
(``error("id.empty", ...)``, ``InputError("photos.zip_bomb", file=...)`` …) is checked
against ``examsite.messages``: the code must have a message, and the keyword arguments
must be exactly the names its template fills in.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from examsite import messages
from examsite.messages import MESSAGE_MODULES, codes, parameters

PACKAGE = Path(messages.__file__).resolve().parents[1]
# Calls whose first argument is a message code and whose keywords are its parameters.
CODE_CALLS = frozenset(
    {
        "error",
        "warning",
        "notice",
        "refuse",
        "text",
        "ExamsiteError",
        "InputError",
        "NotFoundError",
        "StorageError",
    }
)
# Keywords of those calls that are not message parameters.
NOT_PARAMETERS = frozenset({"row", "column", "problems", "level"})


@dataclass(frozen=True)
class CodeUse:
    where: str
    code: str
    params: frozenset[str] | None  # None: passed on with **, not checkable here


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return getattr(node, "id", "")


def code_uses(source: str, where: str) -> list[CodeUse]:
    """The literal codes ``source`` uses, with the keywords given to each."""
    tree = ast.parse(source, filename=where)
    uses: list[CodeUse] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in CODE_CALLS:
            continue
        if not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        code = node.args[0].value
        if not isinstance(code, str) or "." not in code:
            continue
        spread = any(k.arg is None for k in node.keywords)
        params = frozenset(k.arg for k in node.keywords if k.arg and k.arg not in NOT_PARAMETERS)
        uses.append(CodeUse(f"{where}:{node.lineno}", code, None if spread else params))
    return uses


def all_uses() -> list[CodeUse]:
    return [
        use
        for path in sorted(PACKAGE.rglob("*.py"))
        for use in code_uses(path.read_text("utf-8"), str(path.relative_to(PACKAGE)))
    ]


def test_the_scan_finds_codes():
    uses = all_uses()
    assert len(uses) > 100
    assert {"storage.locked", "photos.zip_bomb", "id.empty"} <= {u.code for u in uses}


@pytest.mark.parametrize("use", all_uses(), ids=lambda u: f"{u.where} {u.code}")
def test_each_code_used_has_a_message_with_its_parameters(use: CodeUse):
    assert use.code in codes(), f"{use.where}: no message for {use.code}"
    if use.params is not None:
        assert use.params == parameters(use.code), (
            f"{use.where}: {use.code} is given {sorted(use.params)}, "
            f"its message fills in {sorted(parameters(use.code))}"
        )


def test_each_module_holds_the_codes_of_its_prefixes():
    owners: dict[str, str] = {}
    for module in MESSAGE_MODULES:
        for prefix in module.PREFIXES:
            assert prefix not in owners, f"{prefix} is declared by {owners[prefix]} too"
            owners[prefix] = module.__name__
        for code in module.MESSAGES:
            assert code.startswith(tuple(module.PREFIXES)), f"{code} is in {module.__name__}"


def test_parameters_reads_the_template():
    assert parameters("photos.zip_too_many") == {"file", "count", "limit"}
    assert parameters("storage.locked") == frozenset()


def test_the_scan_sees_a_wrong_parameter_and_a_spread():
    source = (
        'raise InputError("photos.zip_too_many", file=name, count=3)\n'
        'error("id.empty", row=2, column="证件号码")\n'
        "ExamsiteError(problem.code, **problem.params)\n"
        'InputError("candidate.form_invalid", problems=found, **extra)\n'
    )
    uses = code_uses(source, "sample.py")
    assert uses == [
        CodeUse("sample.py:1", "photos.zip_too_many", frozenset({"file", "count"})),
        CodeUse("sample.py:2", "id.empty", frozenset()),
        CodeUse("sample.py:4", "candidate.form_invalid", None),
    ]
    assert uses[0].params != parameters("photos.zip_too_many")
