"""The candidate's fields are listed once (``domain.candidate_status.FIELDS``); the
templates, the form, the CLI and the titles agree with that list."""

from __future__ import annotations

import argparse

import pytest

from examsite.commands.candidates import option_name, register
from examsite.domain.candidate_status import (
    BY_NAME,
    CANDIDATE_COLUMNS,
    FIELDS,
    REQUIRED_FIELDS,
    CandidateKind,
    fields_of,
)
from examsite.formats.templates import candidate_template
from examsite.messages import FIELD_TITLES
from examsite.services.candidates import CandidateForm
from examsite.storage.models import Candidate


@pytest.mark.parametrize("kind", list(CandidateKind))
def test_each_template_column_is_a_field_and_its_star_says_required(kind: CandidateKind):
    template = candidate_template(kind.value)
    assert {c.field for c in template.columns} == {f.name for f in fields_of(kind)}
    assert set(template.required_fields) == set(REQUIRED_FIELDS[kind])


def test_every_field_has_a_title_and_a_column():
    assert set(FIELD_TITLES) >= {f.name for f in FIELDS}
    columns = set(Candidate.__table__.columns.keys())
    assert set(CANDIDATE_COLUMNS) <= columns


def test_the_cli_add_has_an_option_per_field():
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    add = parser.parse_args(
        [
            "candidates",
            "add",
            "--kind",
            "social",
            "--name",
            "张三",
            "--id-number",
            "11010519491231002X",
            "--employer",
            "某公司",
        ]
    )
    assert {f.name for f in FIELDS} <= set(vars(add))
    assert option_name("extra.major") == "extra-major"
    assert option_name("extra.employer") == "employer"
    assert option_name("id_number") == "id-number"


def test_a_form_from_values_by_field_name():
    form = CandidateForm.of(
        "social",
        {
            "name": " 张三 ",
            "id_number": "11010519491231002X",
            "extra.employer": "某公司",
            "phone": "",
        },
    )
    assert form.name == "张三" and form.id_type == "身份证" and form.phone == ""
    assert dict(form.extra) == {"employer": "某公司"}
    assert BY_NAME["extra.employer"].key == "employer"


@pytest.mark.parametrize("kind", list(CandidateKind))
def test_the_instructions_say_what_the_stars_mean(kind: CandidateKind):
    template = candidate_template(kind.value)
    derived = [c.header for c in template.columns if c.required and c.derivable]
    assert derived and all(header in template.instructions for header in derived)
    for column in template.columns:
        if column.required and column.derivable:
            assert "留空" in column.rule  # its own rule says the program fills it
        if not column.required:
            assert "必" not in column.rule
