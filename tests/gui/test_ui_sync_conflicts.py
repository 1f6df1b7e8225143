"""The conflict dialog of a transfer bundle: every field of every conflict listed, a
choice per row (the rows of one record move together), the two shortcuts, 导入 only
once every record is chosen, and the choices as ``import_bundle``'s resolutions."""

from __future__ import annotations

import pytest

from examsite.services.transfer_records import Conflict, FieldConflict
from examsite.ui.dialogs.sync_conflicts import (
    CHOICE_COLUMN,
    MINE,
    THEIRS,
    ConflictDialog,
    field_title,
    value_text,
)

ONE = Conflict(
    "candidate:110101200001011234",
    "candidate",
    "张三（110101200001011234）",
    (FieldConflict("class_name", "B 班", "A 班"), FieldConflict("phone", "139", "138")),
)
TWO = Conflict("room:r-1", "room", "第一考场", (FieldConflict("seats", 30, None),))


@pytest.fixture
def dialog(qtbot) -> ConflictDialog:
    built = ConflictDialog((ONE, TWO), "来自考点的传输包（第 2 号）")
    qtbot.addWidget(built)
    return built


def test_every_field_of_every_conflict_is_a_row(dialog: ConflictDialog) -> None:
    model = dialog.model
    assert model.rowCount() == 3
    rows = [[model.item(r, c).text() for c in range(CHOICE_COLUMN)] for r in range(3)]
    assert rows == [
        ["考生：张三（110101200001011234）", "班级", "B 班", "A 班"],
        ["", "手机号码", "139", "138"],
        ["考场：第一考场", "座位数", "30", "（空）"],
    ]
    assert all(dialog.combo(r).currentText() == "请选择…" for r in range(3))
    assert not dialog.import_button.isEnabled()
    assert "还有 2 条" in dialog.status_label.text()
    assert dialog.resolutions() == {}


def test_a_choice_per_row_reaches_the_resolutions(dialog: ConflictDialog) -> None:
    dialog.combo(1).setCurrentIndex(2)  # 用对方的, on the record's second row
    assert dialog.combo(0).currentText() == "用对方的"  # the record moves as one
    assert not dialog.import_button.isEnabled()
    dialog.combo(2).setCurrentIndex(1)  # 保留本机的
    assert dialog.import_button.isEnabled()
    assert dialog.resolutions() == {ONE.key: THEIRS, TWO.key: MINE}
    dialog.combo(0).setCurrentIndex(0)  # back to 请选择…
    assert dialog.resolutions() == {TWO.key: MINE}
    assert not dialog.import_button.isEnabled()


def test_the_shortcuts_choose_every_row(dialog: ConflictDialog) -> None:
    dialog.all_theirs_button.click()
    assert dialog.resolutions() == {ONE.key: THEIRS, TWO.key: THEIRS}
    assert {dialog.combo(r).currentText() for r in range(3)} == {"用对方的"}
    dialog.all_mine_button.click()
    assert dialog.resolutions() == {ONE.key: MINE, TWO.key: MINE}
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.result() == ConflictDialog.DialogCode.Accepted


def test_a_choice_made_before_is_shown(qtbot) -> None:
    chosen = Conflict(ONE.key, ONE.entity, ONE.label, ONE.fields, THEIRS)
    built = ConflictDialog((chosen,))
    qtbot.addWidget(built)
    assert built.combo(0).currentText() == built.combo(1).currentText() == "用对方的"
    assert built.import_button.isEnabled()


def test_values_and_fields_read_as_words() -> None:
    assert value_text(None) == value_text("") == "（空）"
    assert value_text(True) == "是"
    assert value_text(["一班", "二班"]) == "一班、二班"
    assert value_text({"employer": "某公司"}) == '{"employer": "某公司"}'
    assert field_title("phone") == "手机号码" and field_title("unheard_of") == "unheard_of"
