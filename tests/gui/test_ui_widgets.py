"""The shared widgets: a page's header and layout, buttons, the read-only table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QPushButton, QWidget

from examsite.ui.widgets import PAGE_MARGINS, PageHeader, ReadOnlyTable, button, page_layout

Mode = QHeaderView.ResizeMode


def standard_model(rows: int, columns: int = 4) -> QStandardItemModel:
    model = QStandardItemModel(rows, columns)
    for row in range(rows):
        for column in range(columns):
            model.setItem(row, column, QStandardItem(f"第 {row} 行 {column}"))
    return model


def test_a_header_without_actions_is_title_and_subtitle(qtbot):
    header = PageHeader("概览", "正在读取…")
    qtbot.addWidget(header)
    header.show()
    assert header.title_label.text() == "概览"
    assert header.title_label.property("role") == "pageTitle"
    assert header.subtitle_label.property("role") == "pageSubtitle"
    assert header.subtitle_label.wordWrap()
    assert not header.actions_bar.isVisible()
    header.set_subtitle("共 40 名考生")
    assert header.subtitle_label.text() == "共 40 名考生"


def test_header_actions_start_and_end_and_beside_the_title(qtbot):
    header = PageHeader("考生", "共 40 名考生")
    qtbot.addWidget(header)
    first, second, last = button("导入…"), button("下载模板"), button("删除")
    search = QLineEdit()
    header.add_actions(first, second)
    header.add_end_actions(last)
    header.add_beside_title(search)
    header.resize(1000, header.sizeHint().height())
    header.show()
    qtbot.waitExposed(header)
    assert header.actions_bar.isVisible()
    assert first.x() < second.x() < last.x()
    assert last.geometry().right() > 900  # pushed to the end by the stretch
    assert search.x() > header.title_label.geometry().right()
    assert search.y() > header.title_label.y()  # level with the subtitle, not the title


def test_button_kinds_slots_and_tooltips(qtbot):
    clicked: list[str] = []
    plain = button("编辑", lambda: clicked.append("编辑"), tooltip="修改选中的考生")
    primary = button("导入…", kind="primary")
    danger = button("删除", kind="danger")
    link = button("前往 →", kind="link")
    for widget in (plain, primary, danger, link):
        qtbot.addWidget(widget)
    assert [w.objectName() for w in (plain, primary, danger, link)] == [
        "",
        "primaryButton",
        "dangerButton",
        "linkButton",
    ]
    assert link.cursor().shape() is Qt.CursorShape.PointingHandCursor
    assert plain.toolTip() == "修改选中的考生"
    qtbot.mouseClick(plain, Qt.MouseButton.LeftButton)
    assert clicked == ["编辑"]
    assert isinstance(plain, QPushButton)


def test_page_layout_has_the_page_margins(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = page_layout(widget)
    margins = layout.contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == PAGE_MARGINS
    assert layout.spacing() == 0 and widget.layout() is layout


def test_a_read_only_table_picks_one_row_and_sizes_its_columns(qtbot):
    model = standard_model(5)
    table = ReadOnlyTable(
        model,
        name="someTable",
        alternating=True,
        widths={0: 90, 1: 120},
        stretch=3,
        fit=[2],
        row_height=34,
    )
    qtbot.addWidget(table)
    assert table.objectName() == "someTable" and table.model() is model
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert table.selectionBehavior() is QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() is QAbstractItemView.SelectionMode.SingleSelection
    assert table.focusPolicy() is not Qt.FocusPolicy.NoFocus
    assert not table.showGrid() and table.alternatingRowColors() and not table.wordWrap()
    assert table.verticalHeader().isHidden()
    header = table.horizontalHeader()
    assert not header.highlightSections() and not header.stretchLastSection()
    assert header.sectionSize(0) == 90 and header.sectionSize(1) == 120
    assert header.sectionResizeMode(0) is Mode.Interactive  # the user may drag it
    assert header.sectionResizeMode(2) is Mode.ResizeToContents
    assert header.sectionResizeMode(3) is Mode.Stretch
    assert table.verticalHeader().sectionResizeMode(0) is Mode.Fixed
    assert table.verticalHeader().defaultSectionSize() == 34
    table.selectRow(2)
    table.selectRow(3)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [3]


def test_a_table_to_look_at_takes_no_selection_nor_focus(qtbot):
    table = ReadOnlyTable(
        standard_model(3),
        name="deadlinesTable",
        selectable=False,
        row_height=40,
        header_alignment=Qt.AlignmentFlag.AlignCenter,
        scrollbars=False,
    )
    qtbot.addWidget(table)
    assert table.selectionMode() is QAbstractItemView.SelectionMode.NoSelection
    assert table.focusPolicy() is Qt.FocusPolicy.NoFocus
    assert table.horizontalHeader().defaultAlignment() == Qt.AlignmentFlag.AlignCenter
    assert table.verticalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert table.horizontalScrollBarPolicy() is Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    table.set_row_height(52)
    assert table.verticalHeader().defaultSectionSize() == 52


def test_wrapped_rows_fit_their_text_until_there_are_too_many(qtbot):
    model = standard_model(3)
    table = ReadOnlyTable(model, name="problemsTable", wrap=True, stretch=3)
    qtbot.addWidget(table)
    vertical = table.verticalHeader()
    assert table.wordWrap()
    assert vertical.sectionResizeMode(0) is Mode.ResizeToContents
    many = ReadOnlyTable.WRAP_ROWS_UP_TO + 1 - model.rowCount()
    model.insertRows(model.rowCount(), many)
    assert model.rowCount() == ReadOnlyTable.WRAP_ROWS_UP_TO + 1
    assert vertical.sectionResizeMode(0) is Mode.Fixed  # measuring 401 rows is slow
    model.removeRows(0, 10)
    assert vertical.sectionResizeMode(0) is Mode.ResizeToContents
    model.clear()
    model.setRowCount(2)
    assert vertical.sectionResizeMode(0) is Mode.ResizeToContents
