"""The candidates page: list, filters, search, import, the form, delete; the model's speed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import select

from examsite.domain.candidate_status import PhotoState
from examsite.domain.id_number import synthetic_id
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.formats.template_workbook import write_template
from examsite.services.candidates import CandidateRow, list_candidates
from examsite.storage.models import Candidate, Certificate, ExamPlan, Registration
from examsite.ui.dialogs.candidate_form import CandidateFormDialog
from examsite.ui.dialogs.import_result import ImportRequest, ImportResultDialog, ProblemsModel
from examsite.ui.main_window import MainWindow
from examsite.ui.models.candidates import (
    HEADERS,
    STATUS_ORDER,
    CandidatesModel,
    Column,
    mask_phone,
)
from examsite.ui.pages.candidates import CandidatesPage

DEMO_SIZE = 60
# Statuses the platform sets; the demo has none, so the test gives some candidates one.
PLATFORM = {20: "pending", 21: "pending", 22: "manual", 23: "verified", 24: "verified"}


class FakeDialogs:
    """Stands in for the file dialogs and the delete question."""

    def __init__(self) -> None:
        self.open_path: Path | None = None
        self.kind: str | None = None  # None: what the page proposes
        self.update = False
        self.save_path: Path | None = None
        self.confirm = True
        self.proposed_kinds: list[str] = []
        self.confirmed: list[str] = []

    def open_import_file(self, parent):
        return self.open_path

    def import_options(self, parent, path, kind):
        self.proposed_kinds.append(kind)
        return ImportRequest(path, self.kind or kind, self.update)

    def save_template(self, parent, name):
        return self.save_path

    def save_problems(self, parent, suggested):
        return self.save_path

    def confirm_delete(self, parent, row):
        self.confirmed.append(row.name)
        return self.confirm


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


def open_page(window: MainWindow, dialogs: FakeDialogs) -> CandidatesPage:
    page = window.page(Step.CANDIDATES)
    assert isinstance(page, CandidatesPage)
    page.dialogs = dialogs
    window.show_step(Step.CANDIDATES)  # loads the list (the runner is synchronous)
    return page


@pytest.fixture
def page(window: MainWindow, db, dialogs, demo_site) -> CandidatesPage:
    demo_site(db, DEMO_SIZE)
    with db.unit_of_work() as session:
        candidates = session.scalars(select(Candidate).order_by(Candidate.id)).all()
        for index, status in PLATFORM.items():
            candidates[index].platform_status = status
            candidates[index].status = status
    return open_page(window, dialogs)


def shown(page: CandidatesPage) -> list[CandidateRow]:
    return [page.model.candidate(r) for r in range(page.model.rowCount())]


def cells(page: CandidatesPage, column: Column) -> list[str]:
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def person(seq: int, gender: str = "女") -> str:
    return synthetic_id("420102", dt.date(2004, 3, 1) + dt.timedelta(days=seq), seq, gender)  # type: ignore[arg-type]


@functools.cache
def blank_template(kind: str) -> bytes:
    """``write_template(kind)``'s file, written once per test process (~0.25 s each)."""
    with tempfile.TemporaryDirectory() as folder:
        return write_template(kind, Path(folder) / "blank.xlsx").read_bytes()


def workbook(path: Path, rows: list[list[object]], kind: str = "school") -> Path:
    """The blank template filled from row 4, as a class teacher does."""
    path.write_bytes(blank_template(kind))
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c, value)
    book.save(path)
    return path


def school_row(seq: int, name: str, **changes: object) -> list[object]:
    values: dict[str, object] = {
        "name": name,
        "pinyin": "",
        "gender": "女",
        "id_type": "身份证",
        "id_number": person(seq),
        "phone": f"1390000{seq:04d}",
        "enrollment_year": "2024",
        "education_level": "专科",
        "major": "市场营销",
        "major_code": "530605",
    }
    values.update(changes)
    return list(values.values())


# -- the list ------------------------------------------------------------------------------


def test_the_list_shows_every_candidate_with_masked_ids(page: CandidatesPage, db):
    assert page.model.rowCount() == DEMO_SIZE
    assert [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == list(HEADERS)
    rows = list_candidates(db)
    ids = cells(page, Column.ID_NUMBER)
    for row, text in zip(rows, ids, strict=True):
        assert text == row.id_number[:6] + "********" + row.id_number[-4:]
        assert row.id_number not in text
    phones = cells(page, Column.PHONE)
    assert phones[0] == mask_phone(rows[0].phone)
    assert phones[0][3:7] == "****"
    assert set(cells(page, Column.KIND)) == {"院校考生", "社会考生"}
    assert page.stack.currentWidget() is page.table
    assert "共 60 名考生" in page.header.subtitle_label.text()
    assert page.count_label.text() == "共 60 名考生"


def test_each_status_chip_filters_and_counts(qtbot, page: CandidatesPage, db):
    rows = list_candidates(db)
    for status in STATUS_ORDER:
        expected = [r.id for r in rows if r.status == status]
        chip = page.status_chips[status]
        assert chip.text().endswith(f"  {len(expected)}")
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
        assert page.status_filter == status
        assert [r.id for r in shown(page)] == expected
    assert {s: len([r for r in rows if r.status == s]) for s in ("pending", "manual")} == {
        "pending": 2,
        "manual": 1,
    }
    qtbot.mouseClick(page.status_chips[None], Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == DEMO_SIZE
    assert page.status_chips[None].text() == f"全部  {DEMO_SIZE}"


def test_the_kind_filter_and_its_counts(page: CandidatesPage, db):
    rows = list_candidates(db)
    social = [r.id for r in rows if r.kind == "social"]
    page.set_kind_filter("social")
    assert [r.id for r in shown(page)] == social
    assert page.count_label.text() == f"显示 {len(social)} 名，共 {DEMO_SIZE} 名"
    assert page.kind_combo.itemText(1) == f"院校考生（{DEMO_SIZE - len(social)}）"
    # The status chips count the candidates of the chosen kind only.
    assert page.status_chips[None].text() == f"全部  {len(social)}"
    page.set_kind_filter("school")
    assert all(r.kind == "school" for r in shown(page))
    page.set_kind_filter(None)
    assert page.model.rowCount() == DEMO_SIZE


def test_search_by_pinyin_and_by_id_fragment(qtbot, page: CandidatesPage, db):
    target = list_candidates(db)[5]
    qtbot.keyClicks(page.search_edit, target.pinyin.upper())
    assert target in shown(page)
    assert all(target.pinyin.lower() in r.pinyin.lower() for r in shown(page))
    page.search_edit.setText(target.pinyin.replace(" ", "").lower())
    assert target in shown(page)
    page.search_edit.setText(target.name)
    assert target in shown(page)
    fragment = target.id_number[8:14]  # the hidden middle of the number
    page.search_edit.setText(fragment)
    assert [r.id_number for r in shown(page)] == [
        r.id_number for r in list_candidates(db) if fragment in r.id_number
    ]
    page.search_edit.setText("没有这个人")
    assert page.model.rowCount() == 0
    assert page.count_label.text() == f"没有符合条件的考生（共 {DEMO_SIZE} 名）"
    page.search_edit.clear()
    assert page.model.rowCount() == DEMO_SIZE


def test_a_search_that_finds_nothing_says_so(page: CandidatesPage):
    page.search_edit.setText("zzz 没有这个人")
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.no_match
    assert page.no_match.isVisible()
    assert page.no_match.text_label.text() == "没有找到“zzz 没有这个人”。请检查拼写，或清除搜索。"
    page.no_match.clear_button.click()
    assert page.search_edit.text() == ""
    assert page.model.rowCount() == DEMO_SIZE
    assert page.stack.currentWidget() is page.table


def test_filters_that_leave_nobody_offer_to_clear_them(page: CandidatesPage):
    page.set_status_filter("verified")
    page.set_kind_filter("social")
    if page.model.rowCount():  # every verified candidate is a school one in this demo
        pytest.skip("the demo has a verified social candidate")
    assert page.stack.currentWidget() is page.no_match
    assert page.no_match.text_label.text() == "没有符合筛选条件的考生。"
    assert page.no_match.clear_button.text() == "清除筛选"
    page.no_match.clear_button.click()
    assert (page.status_filter, page.kind_filter) == (None, None)
    assert page.stack.currentWidget() is page.table


def test_search_finds_a_lower_case_x(page: CandidatesPage, db):
    with_x = [r for r in list_candidates(db) if r.id_number.endswith("X")]
    if not with_x:
        pytest.skip("no demo ID number ends with X")
    page.search_edit.setText(with_x[0].id_number[-6:].lower())
    assert with_x[0] in shown(page)


def test_sorting_by_a_header_and_back(qtbot, page: CandidatesPage, db):
    page.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
    pinyins = [r.pinyin.lower() for r in shown(page)]
    assert pinyins == sorted(pinyins)
    page.table.sortByColumn(Column.STATUS, Qt.SortOrder.DescendingOrder)
    ranks = [STATUS_ORDER.index(r.status) for r in shown(page)]
    assert ranks == sorted(ranks, reverse=True)
    page.set_status_filter("no_photo")  # a filter keeps the sort order
    assert all(r.status == "no_photo" for r in shown(page))
    page.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    page.set_status_filter(None)
    assert [r.id for r in shown(page)] == [r.id for r in list_candidates(db)]


def test_selection_survives_a_filter(page: CandidatesPage, db):
    target = list_candidates(db)[22]  # manual
    assert page.select_candidate(target.id)
    assert page.edit_button.isEnabled()
    page.set_status_filter("manual")
    assert page.selected_candidate() == target
    page.set_status_filter("verified")
    assert page.selected_candidate() is None
    assert not page.delete_button.isEnabled()


def test_the_model_passes_the_model_tester(qtmodeltester, db, demo_site):
    demo_site(db, 30)
    model = CandidatesModel()
    model.set_rows(list_candidates(db))
    qtmodeltester.check(model, force_py=True)
    model.sort(Column.PINYIN, Qt.SortOrder.DescendingOrder)
    model.set_filter(status="no_photo", text="")
    qtmodeltester.check(model, force_py=True)


def test_the_import_result_model_passes_the_model_tester(qtmodeltester, db, tmp_path):
    from examsite.services.candidate_import import import_candidates

    path = workbook(tmp_path / "a.xlsx", [school_row(1, "王玉霞"), school_row(2, "李", phone="1")])
    model = ProblemsModel()
    model.set_problems(import_candidates(db, path, "school", dry_run=True).problems)
    qtmodeltester.check(model, force_py=True)


def test_the_check_shows_whole_id_numbers_and_names_every_problems_column(
    qtbot, db, tmp_path: Path
):
    from examsite.services.candidate_import import import_candidates

    rows = [
        school_row(1, "王玉霞", phone=""),  # 信息不全: a row-wide problem about a column
        school_row(2, "李", phone="1"),
        school_row(3, "", major_code="x"),
        school_row(2, "张伟"),  # the same ID as row 5
    ]
    path = workbook(tmp_path / "a.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book.active.cell(3, 11, "*学生姓名")  # a second name column, with the template's "*"
    book.save(path)
    report = import_candidates(db, path, "school", dry_run=True)
    dialog = ImportResultDialog(report)
    qtbot.addWidget(dialog)
    dialog.notices_check.setChecked(True)
    model = dialog.problems_model
    assert model.rowCount() == len(report.problems)
    texts = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    for row, column, _id, _level, message in texts:
        assert column and column != "—", (row, message)
        assert "*" not in column + message, (column, message)
    assert {t[2] for t in texts if t[2]} == {person(1), person(2), person(3)}  # whole
    incomplete = next(t for t in texts if t[4].startswith("缺少："))
    assert incomplete[1] == "手机号码"
    assert any(t[1] == "学生姓名" and "列重复" in t[4] for t in texts)
    table = dialog.problems_table
    width = table.fontMetrics().horizontalAdvance(person(1)) + 16  # the cell's padding
    assert table.columnWidth(2) >= width


def test_an_empty_database_invites_an_import(window: MainWindow, dialogs):
    page = open_page(window, dialogs)
    assert page.model.total == 0
    assert page.stack.currentWidget() is page.empty_card
    assert page.header.subtitle_label.text() == "名单中还没有考生"
    assert not page.edit_button.isEnabled()


# -- import --------------------------------------------------------------------------------


def test_import_checks_first_then_imports_the_good_rows(
    qtbot, page: CandidatesPage, dialogs: FakeDialogs, window: MainWindow, tmp_path: Path
):
    bad = person(3)[:-1] + ("0" if person(3)[-1] != "0" else "1")  # a wrong check digit
    path = workbook(
        tmp_path / "计算机1班.xlsx",
        [
            school_row(1, "欧阳晓明"),
            school_row(2, "单雪"),
            school_row(3, "曾小红", id_number=bad),
            school_row(4, "王芳", major="", major_code=""),
        ],
    )
    dialogs.open_path = path
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert dialogs.proposed_kinds == ["school"]  # "班" in the file name
    dialog = page.result_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.figures["imported"].value_label.text() == "3"
    assert dialog.figures["rejected"].value_label.text() == "1"
    assert dialog.figures["incomplete"].value_label.text() == "1"
    problems = dialog.problems_model
    rows = [problems.index(r, 0).data() for r in range(problems.rowCount())]
    assert rows == sorted(rows, key=int)
    assert "6" in rows and "7" in rows  # the bad ID (row 6), the missing major (row 7)
    first_error = next(
        r for r in range(problems.rowCount()) if problems.index(r, 3).data() == "错误"
    )
    assert problems.index(first_error, 2).data() == bad
    assert "校验位" in problems.index(first_error, 4).data()
    assert dialog.import_button.text() == "导入 3 名合格考生"
    assert page.model.total == DEMO_SIZE  # a dry run writes nothing

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert page.result_dialog is None
    assert page.model.total == DEMO_SIZE + 3
    assert "导入 3 名考生" in window.statusBar().currentMessage()
    page.search_edit.setText("ouyang")
    assert [r.name for r in shown(page)] == ["欧阳晓明"]
    assert shown(page)[0].pinyin == "Ouyang Xiaoming"
    page.search_edit.setText("shan xue")
    assert [r.name for r in shown(page)] == ["单雪"]

    assert page.report_button.isEnabled()
    dialogs.save_path = tmp_path / "问题表.xlsx"
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert dialogs.save_path.exists()
    assert "问题表已保存" in window.statusBar().currentMessage()


def test_the_result_dialog_saves_the_problems_and_can_be_cancelled(
    page: CandidatesPage, dialogs: FakeDialogs, tmp_path: Path
):
    path = workbook(tmp_path / "名单.xlsx", [school_row(1, "王玉霞", gender="男")])
    dialogs.save_path = tmp_path / "名单-问题表.xlsx"
    page.start_import(path)
    dialog = page.result_dialog
    assert dialog is not None
    assert not dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "没有可导入的考生"
    dialog.report_button.click()
    assert dialogs.save_path.exists()
    dialog.cancel_button.click()
    assert page.result_dialog is None
    assert page.model.total == DEMO_SIZE


def test_existing_candidates_are_updated_when_asked(
    page: CandidatesPage, dialogs: FakeDialogs, db, tmp_path: Path
):
    known = list_candidates(db)[0]
    row = school_row(1, known.name, id_number=known.id_number, gender=known.gender)
    row[5] = "13912345678"
    path = workbook(tmp_path / "更新.xlsx", [row])
    page.start_import(path)
    assert page.result_dialog is not None
    assert "更新已有考生" in page.result_dialog.summary_label.text()
    page.result_dialog.reject()
    dialogs.update = True
    page.start_import(path)
    dialog = page.result_dialog
    assert dialog is not None
    assert dialog.import_button.text() == "更新 1 名考生"
    dialog.import_button.click()
    page.select_candidate(known.id)
    assert page.selected_candidate().phone == "13912345678"


def test_dropping_a_file_on_the_page_starts_the_import(
    page: CandidatesPage, dialogs: FakeDialogs, tmp_path: Path
):
    dialogs.kind = "social"
    path = workbook(tmp_path / "社会考生.xlsx", [school_row(1, "李强")[:6]], kind="social")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    page.dropEvent(event)
    assert dialogs.proposed_kinds == ["social"]
    assert page.result_dialog is not None
    assert page.result_dialog.import_button.text() == "导入 1 名合格考生"
    assert page.stack.currentWidget() is page.table


def test_a_refused_file_is_a_warning_with_its_problems(
    page: CandidatesPage, dialogs: FakeDialogs, shown_errors, tmp_path: Path
):
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号", "性别"])
    sheet.append(["王玉霞", person(1), "女"])
    book.save(path)
    page.start_import(path)
    assert page.result_dialog is None
    [error] = shown_errors.errors
    assert isinstance(error, InputError)
    assert "缺少必填列" in error.message
    assert "手机号码" in error.message

    (tmp_path / "名单.txt").write_text("王玉霞", "utf-8")
    page.start_import(tmp_path / "名单.txt")
    assert "不支持" in shown_errors.errors[-1].message
    assert page.model.total == DEMO_SIZE


def test_the_template_is_saved_where_the_user_says(
    page: CandidatesPage, dialogs: FakeDialogs, tmp_path: Path
):
    dialogs.save_path = tmp_path / "社会考生模板.xlsx"
    page.template_actions["social"].trigger()
    assert dialogs.save_path.exists()
    header = [c.value for c in openpyxl.load_workbook(dialogs.save_path).active[3]]
    assert "工作单位" in header


# -- the form ------------------------------------------------------------------------------


def type_into(qtbot, dialog: CandidateFormDialog, name: str, text: str) -> None:
    editor = dialog.editors[name]
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # QTest types Latin-1 only; a user's typing also ends in textEdited
        editor.setText(text)
        editor.textEdited.emit(text)
    editor.editingFinished.emit()


def test_the_form_shows_a_bad_id_at_its_field(qtbot, page: CandidatesPage, db):
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.form_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.save_button.isEnabled()  # nothing typed yet
    assert dialog.message("id_number") == ""  # and no red before the user typed
    type_into(qtbot, dialog, "name", "曾小红")
    assert dialog.value("pinyin") == "Zeng Xiaohong"  # follows the name
    good = person(40)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    type_into(qtbot, dialog, "id_number", bad)
    assert "校验位" in dialog.message("id_number")
    assert dialog.editors["id_number"].property("level") == "error"
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog, "phone", "1380013800")
    assert "11位" in dialog.message("phone")
    type_into(qtbot, dialog, "id_number", good)
    type_into(qtbot, dialog, "phone", "13800138000")
    assert dialog.message("id_number") == ""
    assert dialog.save_button.isEnabled()
    assert "还未填写" in dialog.hint_label.text()  # school fields left blank

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.form_dialog is None
    saved = page.selected_candidate()
    assert saved is not None and saved.name == "曾小红" and saved.id_number == good
    assert saved.status == "no_photo"
    assert page.model.total == DEMO_SIZE + 1


def test_the_service_refuses_a_taken_id_at_its_field(qtbot, page: CandidatesPage, db):
    taken = list_candidates(db)[1]
    dialog = page.open_form(None)
    type_into(qtbot, dialog, "name", "王芳")
    type_into(qtbot, dialog, "id_number", taken.id_number)
    type_into(qtbot, dialog, "phone", "13800138000")
    assert dialog.save_button.isEnabled()  # the quick checks cannot know
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.form_dialog is dialog and dialog.isVisible()
    assert taken.name in dialog.message("id_number")
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog, "id_number", person(41))
    assert dialog.save_button.isEnabled()
    assert page.model.total == DEMO_SIZE


def test_editing_keeps_the_row_in_place(qtbot, page: CandidatesPage, db, window: MainWindow):
    target = list_candidates(db)[7]  # the demo's incomplete candidate: no phone
    assert target.status == "incomplete"
    page.select_candidate(target.id)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.form_dialog
    assert dialog is not None
    assert dialog.value("id_number") == target.id_number  # full in the form
    assert not dialog.editors["name"].isReadOnly()
    type_into(qtbot, dialog, "phone", "13912345678")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.model.candidate(7).phone == "13912345678"
    assert page.model.candidate(7).status == "ready"
    assert page.selected_candidate().id == target.id
    assert "已修改考生" in window.statusBar().currentMessage()


def test_a_verified_candidate_keeps_its_identity(page: CandidatesPage, db):
    verified = list_candidates(db, status="verified")[0]
    dialog = page.open_form(verified)
    assert dialog.locked_label.isVisibleTo(dialog)
    assert dialog.editors["name"].isReadOnly()
    assert dialog.editors["id_number"].isReadOnly()
    assert not dialog.editors["id_type"].isEnabled()
    assert not dialog.editors["phone"].isReadOnly()


def test_the_form_switches_fields_with_the_kind(qtbot, page: CandidatesPage):
    dialog = page.open_form(None)
    assert dialog.boxes["major"].isVisibleTo(dialog)
    assert not dialog.boxes["extra.employer"].isVisibleTo(dialog)
    dialog.editors["kind"].setCurrentIndex(1)
    assert not dialog.boxes["major"].isVisibleTo(dialog)
    assert dialog.boxes["extra.employer"].isVisibleTo(dialog)
    type_into(qtbot, dialog, "pinyin", "Wang Fang")
    type_into(qtbot, dialog, "name", "李强")
    assert dialog.value("pinyin") == "Wang Fang"  # the user's own pinyin stays


# -- delete --------------------------------------------------------------------------------


def test_delete_asks_and_is_refused_while_registered(
    qtbot, page: CandidatesPage, dialogs: FakeDialogs, db, shown_errors, window: MainWindow
):
    registered, other = list_candidates(db)[:2]
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan)).first()
        certificate = session.scalars(select(Certificate)).first()
        assert plan is not None and certificate is not None
        session.add(
            Registration(candidate_id=registered.id, plan_id=plan.id, certificate_id=certificate.id)
        )
    page.select_candidate(registered.id)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert dialogs.confirmed == [registered.name]
    [error] = shown_errors.errors
    assert registered.name in error.message and "报考" in error.message
    assert page.model.total == DEMO_SIZE

    dialogs.confirm = False
    page.select_candidate(other.id)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.model.total == DEMO_SIZE

    dialogs.confirm = True
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert page.model.total == DEMO_SIZE - 1
    assert page.model.row_of(other.id) is None
    assert f"已删除考生 {other.name}" in window.statusBar().currentMessage()
    assert [r.id for r in list_candidates(db)][:1] == [registered.id]


# -- speed ---------------------------------------------------------------------------------


def synthetic_rows(count: int) -> list[CandidateRow]:
    base = CandidateRow(
        id=0,
        kind="school",
        name="王玉霞",
        pinyin="Wang Yuxia",
        gender="女",
        id_type="身份证",
        id_number="",
        phone="13800138000",
        enrollment_year=2024,
        education_level="专科",
        major="市场营销",
        major_code="530605",
        extra={},
        status="ready",
        platform_status=None,
        photo="pass",
        missing=(),
        photo_state=PhotoState.PASS,
        issues=frozenset(),
    )
    surnames = "王李张刘陈杨赵黄周吴"
    pinyins = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu")
    return [
        dataclasses.replace(
            base,
            id=i + 1,
            kind="social" if i % 10 == 9 else "school",
            name=surnames[i % 10] + "玉霞",
            pinyin=f"{pinyins[i % 10]} Yuxia",
            id_number=f"420102{2000 + i % 7}0101{i:04d}",
            phone=f"138{i:08d}",
            status=STATUS_ORDER[i % len(STATUS_ORDER)],
        )
        for i in range(count)
    ]


def test_ten_thousand_rows_set_filter_and_sort_quickly(qtbot, window: MainWindow, dialogs):
    page = open_page(window, dialogs)
    rows = synthetic_rows(10_000)
    started = time.perf_counter()
    page.model.set_rows(rows)
    set_time = time.perf_counter() - started
    timings = {"set 10,000 rows": set_time}
    for name, change in (
        ("filter by status", lambda: page.set_status_filter("manual")),
        ("search pinyin", lambda: page.search_edit.setText("zhang")),
        ("search ID fragment", lambda: page.search_edit.setText("0101")),
        ("clear filters", lambda: (page.search_edit.clear(), page.set_status_filter(None))),
        ("sort by name", lambda: page.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)),
    ):
        started = time.perf_counter()
        change()
        qtbot.wait(0)  # let the view repaint what it shows
        timings[name] = time.perf_counter() - started
    print()
    for name, seconds in timings.items():
        print(f"  {name}: {seconds * 1000:.1f} ms")
    assert page.model.rowCount() == 10_000


def test_the_search_keys_wait_for_the_first_search(monkeypatch, qtbot):
    """The first screenful shows without building 10,000 search keys first."""
    import examsite.ui.models.candidates as model_module

    built: list[int] = []
    real = model_module.search_key

    def search_key(row: CandidateRow) -> str:
        built.append(row.id)
        return real(row)

    monkeypatch.setattr(model_module, "search_key", search_key)
    model = CandidatesModel()
    rows = synthetic_rows(1000)
    model.set_rows(rows)
    model.set_filter(kind="school")
    model.sort(Column.NAME)
    assert built == []
    model.set_filter(text="wang")
    assert len(built) == 1000
    assert model.rowCount() == 100
    model.upsert(dataclasses.replace(rows[1], name="王小明", pinyin="Wang Xiaoming"))
    assert model.rowCount() == 101  # the changed row's key was built again
    model.set_rows(rows)
    assert model.rowCount() == 100  # the search stays; the keys are those of the new rows
