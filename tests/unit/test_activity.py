"""The name a unit of work gives itself on a server (storage.activity)."""

from __future__ import annotations

from examsite.storage.activity import (
    MAX_NAME,
    Writer,
    application_name,
    current_activity,
    doing,
    parse_application_name,
)


def test_a_chinese_computer_name_goes_there_and_back_in_ascii() -> None:
    name = application_name("candidate_import", "办公室-PC2")
    assert name.isascii() and len(name.encode()) <= MAX_NAME
    assert parse_application_name(name) == Writer("办公室-PC2", "candidate_import")
    assert Writer("办公室-PC2", "candidate_import").doing == "导入考生"


def test_a_long_name_is_cut_between_characters() -> None:
    name = application_name("registration_changes", "教务处第三办公室的电脑甲乙丙丁")
    assert len(name) <= MAX_NAME
    writer = parse_application_name(name)
    assert writer is not None
    assert writer.activity == "registration_changes"
    assert "\ufffd" not in writer.computer
    assert "教务处第三办公室的电脑甲乙丙丁".startswith(writer.computer) and writer.computer


def test_other_programs_names_are_not_ours() -> None:
    assert parse_application_name("psql") is None
    assert parse_application_name(None) is None
    assert parse_application_name("") is None


def test_an_unknown_activity_reads_as_writing() -> None:
    assert Writer("PC", "something_new").doing == "修改数据"


def test_the_activity_is_named_or_found() -> None:
    assert current_activity() == "writing"  # no service on the stack
    with doing("checkin"):
        assert current_activity() == "checkin"
    assert current_activity() == "writing"
