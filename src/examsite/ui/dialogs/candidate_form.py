"""The form to add or edit one candidate.

As the coordinator types, the form runs the import's own checks (``check_candidate`` in
strict mode, pure and quick) and shows each problem under its field with a red border; 保存
stays disabled while there is an error. A field's problem appears once the field has been
left (or, for the ID number, once it has its 18 characters), not at the first keystroke.
保存 emits ``save_requested`` with a ``CandidateForm``; the page runs ``save_candidate`` on
the worker, which has the final word (a duplicate ID number, a locked field), and either
closes the form or hands the refused fields back through ``show_problems``.

The pinyin follows the name until the coordinator edits it. For a candidate the platform
has verified (信息准确) the name, ID type and ID number are read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.candidate_check import check_candidate
from examsite.domain.candidate_status import (
    FIELDS,
    LOCKED_WHEN_VERIFIED,
    CandidateKind,
    CandidateStatus,
    fields_of,
)
from examsite.domain.pinyin import name_to_pinyin
from examsite.domain.problems import Level, Problem
from examsite.formats.templates import EDUCATION_LEVEL_CHOICES, ID_TYPE_CHOICES
from examsite.messages import FIELD_TITLES, KIND_TITLES, render
from examsite.services.candidates import CandidateForm, CandidateRow
from examsite.ui.widgets import label, repolish, screen_room

AUTO_GENDER = "按证件号码自动填写"
TITLES = FIELD_TITLES
# The form's three groups, from the one field list: every kind's fields, then each kind's own.
IDENTITY = tuple(f.name for f in FIELDS if len(f.kinds) > 1)
SCHOOL = tuple(f.name for f in fields_of(CandidateKind.SCHOOL) if f.name not in IDENTITY)
SOCIAL = tuple(f.name for f in fields_of(CandidateKind.SOCIAL) if f.name not in IDENTITY)
LOCKED = LOCKED_WHEN_VERIFIED
PLACEHOLDERS = {
    "name": "与证件上的姓名一致",
    "pinyin": "按姓名自动生成，可修改",
    "id_number": "18 位身份证号，最后一位可以是 X",
    "phone": "11 位手机号码",
    "enrollment_year": "四位年份，如 2024",
    "major": "专业全称，与学籍一致",
    "major_code": "如 530605",
    "extra.employer": "选填",
    "extra.education": "选填，如 大专",
    "extra.major": "选填",
}
ID_LENGTH = 18


class FieldBox(QWidget):
    """A field's editor with its problem underneath (hidden while there is none)."""

    def __init__(self, editor: QWidget) -> None:
        super().__init__()
        self.editor = editor
        self.message_label = label("", "fieldError", wrap=True)
        self.message_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(editor)
        layout.addWidget(self.message_label)

    def show_problem(self, problem: Problem | None) -> bool:
        """Show ``problem`` (None: no problem); True when what is shown changed."""
        level = "" if problem is None else problem.level.value
        text = "" if problem is None else render(problem)
        if text == self.message_label.text() and level == (self.editor.property("level") or ""):
            return False
        self.message_label.setText(text)
        self.message_label.setVisible(problem is not None)
        for widget in (self.editor, self.message_label):
            widget.setProperty("level", level)
            repolish(widget)
        return True

    @property
    def message(self) -> str:
        return self.message_label.text()


class CandidateFormDialog(QDialog):
    """Adds a candidate (``row`` None) or edits ``row``."""

    save_requested = Signal(object)  # CandidateForm

    def __init__(
        self,
        row: CandidateRow | None = None,
        *,
        kind: str = "school",
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("candidateForm")
        self.row = row
        self.today = today
        self.saving = False
        self._touched: set[str] = set()
        self._service_problems: dict[str, Problem] = {}
        self._pinyin_follows_name = True
        self.setWindowTitle("编辑考生" if row else "新增考生")

        self.editors: dict[str, QLineEdit | QComboBox] = {}
        self.boxes: dict[str, FieldBox] = {}
        self._build_editors()
        self.title_label = label(f"编辑考生：{row.name}" if row else "新增考生", "dialogTitle")
        self.locked_label = label(
            "该考生已在平台认证为“信息准确”，姓名、证件类型和证件号码不能再修改。",
            "lockedNote",
            wrap=True,
        )
        self.locked_label.hide()
        self.general_label = label("", "formError", wrap=True)
        self.general_label.hide()
        self.hint_label = label("", "dialogHint", wrap=True)

        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primaryButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint_label, 1)
        buttons.addSpacing(12)
        buttons.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignBottom)
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.form_layout = self._build_form()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(0)
        layout.addWidget(self.title_label)
        layout.addSpacing(10)
        layout.addWidget(self.locked_label)
        layout.addWidget(self.general_label)
        layout.addSpacing(6)
        layout.addLayout(self.form_layout)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        self.setMinimumWidth(600)

        self._fill(row, kind)
        self._connect()
        self._show_kind()
        self._validate()

    # -- building ------------------------------------------------------------------------

    def _build_editors(self) -> None:
        for name in TITLES:
            editor: QLineEdit | QComboBox
            if name == "kind":
                editor = QComboBox()
                for value in ("school", "social"):
                    editor.addItem(KIND_TITLES[value], value)
            elif name == "gender":
                editor = QComboBox()
                editor.addItem(AUTO_GENDER, "")
                editor.addItem("男", "男")
                editor.addItem("女", "女")
            elif name == "id_type":
                editor = QComboBox()
                for choice in ID_TYPE_CHOICES:
                    editor.addItem(choice, choice)
            elif name == "education_level":
                editor = QComboBox()
                editor.addItem("（未填写）", "")
                for choice in EDUCATION_LEVEL_CHOICES:
                    editor.addItem(choice, choice)
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(PLACEHOLDERS.get(name, ""))
                editor.setClearButtonEnabled(name not in ("name", "id_number"))
            editor.setObjectName(f"field_{name.replace('.', '_')}")
            self.editors[name] = editor
            self.boxes[name] = FieldBox(editor)

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(9)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in ("kind", *IDENTITY):
            form.addRow(self._row_label(name), self.boxes[name])
        self.school_heading = label("学籍信息", "formSection")
        self.social_heading = label("其他信息（选填）", "formSection")
        form.addRow(self.school_heading)
        for name in SCHOOL:
            form.addRow(self._row_label(name), self.boxes[name])
        form.addRow(self.social_heading)
        for name in SOCIAL:
            form.addRow(self._row_label(name), self.boxes[name])
        return form

    def _row_label(self, name: str) -> QLabel:
        text = label(TITLES[name], "formLabel")
        text.setMinimumHeight(30)  # level with the editor's first line, not its message
        text.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return text

    def _fill(self, row: CandidateRow | None, kind: str) -> None:
        if row is None:
            self._select(self.editors["kind"], kind)
            return
        values: dict[str, str] = {
            "name": row.name,
            "pinyin": row.pinyin,
            "id_number": row.id_number,
            "phone": row.phone,
            "enrollment_year": "" if row.enrollment_year is None else str(row.enrollment_year),
            "major": row.major,
            "major_code": row.major_code,
        }
        for key in ("employer", "education", "major"):
            values[f"extra.{key}"] = str(row.extra.get(key, ""))
        for name, value in values.items():
            editor = self.editors[name]
            assert isinstance(editor, QLineEdit)
            editor.setText(value)
        self._select(self.editors["kind"], row.kind)
        self._select(self.editors["gender"], row.gender)
        self._select(self.editors["id_type"], row.id_type)
        self._select(self.editors["education_level"], row.education_level)
        self._pinyin_follows_name = not row.pinyin or row.pinyin == name_to_pinyin(row.name)
        self._touched = set(TITLES)  # an existing candidate's problems show at once
        if row.platform_status == CandidateStatus.VERIFIED:
            for name in LOCKED:
                self._lock(self.editors[name])
            self.locked_label.show()

    @staticmethod
    def _select(combo: QLineEdit | QComboBox, value: str) -> None:
        assert isinstance(combo, QComboBox)
        at = combo.findData(value)
        if at < 0 and value:
            combo.addItem(value, value)  # a value from an older list: keep it selectable
            at = combo.count() - 1
        combo.setCurrentIndex(max(at, 0))

    @staticmethod
    def _lock(editor: QLineEdit | QComboBox) -> None:
        if isinstance(editor, QLineEdit):
            editor.setReadOnly(True)
        else:
            editor.setEnabled(False)
        editor.setProperty("locked", True)
        editor.setToolTip("已认证的考生不能修改此项")
        repolish(editor)

    def _connect(self) -> None:
        for name, editor in self.editors.items():
            if isinstance(editor, QLineEdit):
                editor.textEdited.connect(lambda _text, n=name: self._on_field_edited(n))
                editor.textChanged.connect(lambda _text, n=name: self._on_field_changed(n))
                editor.editingFinished.connect(lambda n=name: self._on_field_left(n))
            else:
                editor.currentIndexChanged.connect(lambda _i, n=name: self._on_field_left(n))
        name_edit = self.editors["name"]
        assert isinstance(name_edit, QLineEdit)
        name_edit.textChanged.connect(self._on_name_edit_text_changed)

    # -- reading -------------------------------------------------------------------------

    def value(self, name: str) -> str:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return str(editor.currentData() or "")
        return editor.text().strip()

    @property
    def kind(self) -> str:
        return self.value("kind")

    @property
    def original_id_number(self) -> str | None:
        return self.row.id_number if self.row is not None else None

    def form(self) -> CandidateForm:
        """The form's values as typed (the checks clean them)."""
        kind = CandidateKind(self.kind)
        return CandidateForm.of(kind.value, {f.name: self.value(f.name) for f in fields_of(kind)})

    def message(self, name: str) -> str:
        """The problem shown under a field ("" when none)."""
        return self.boxes[name].message

    # -- reacting ------------------------------------------------------------------------

    def _on_name_edit_text_changed(self, text: str) -> None:
        if self._pinyin_follows_name:
            pinyin = self.editors["pinyin"]
            assert isinstance(pinyin, QLineEdit)
            pinyin.setText(name_to_pinyin(text.strip()) if text.strip() else "")

    def _on_field_edited(self, name: str) -> None:
        if name == "pinyin":
            # Typing in the pinyin takes it over; clearing it hands it back to the name.
            self._pinyin_follows_name = not self.value("pinyin")
        if name == "id_number" and len(self.value(name)) >= ID_LENGTH:
            self._touched.add(name)
            self._validate()

    def _on_field_changed(self, name: str) -> None:
        # Typed or set by the form itself (the pinyin following the name).
        self._service_problems.pop(name, None)
        self._validate()

    def _on_field_left(self, name: str) -> None:
        self._touched.add(name)
        self._service_problems.pop(name, None)
        if name == "kind":
            self._show_kind()
        self._validate()

    def _show_kind(self) -> None:
        school = self.kind == CandidateKind.SCHOOL
        self.form_layout.setRowVisible(self.school_heading, school)
        self.form_layout.setRowVisible(self.social_heading, not school)
        for name in SCHOOL:
            self.form_layout.setRowVisible(self.boxes[name], school)
        for name in SOCIAL:
            self.form_layout.setRowVisible(self.boxes[name], not school)
        self._fit_height()

    def _fit_height(self) -> None:
        # The messages under the fields wrap: grow (or shrink) to what the width needs.
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = min(self.heightForWidth(self.width()), screen_room(self).height())
        if needed > 0 and needed != self.height():
            self.resize(self.width(), needed)

    def _validate(self) -> None:
        """Run the checks on the form and show what they found."""
        checked = check_candidate(
            CandidateKind(self.kind), self.form().raw(), strict=True, today=self.today
        )
        found: dict[str, Problem] = {}
        for problem in checked.problems:
            field = problem.column or ""
            if field in self.boxes and (
                field not in found or (problem.is_error and not found[field].is_error)
            ):
                found[field] = problem
        found.update(self._service_problems)
        changed = False
        for name, box in self.boxes.items():
            shown = found.get(name) if name in self._touched else None
            changed |= box.show_problem(shown)
        if changed:
            self._fit_height()
        errors = [name for name, p in found.items() if p.level is Level.ERROR]
        self.save_button.setEnabled(not errors and not self.saving)
        self._show_hint(errors, checked.values.missing if checked.values else [])

    def _show_hint(self, errors: list[str], missing: list[str]) -> None:
        shown = [n for n in errors if n in self._touched]
        if shown:
            text = "请先改正：" + "、".join(TITLES[n] for n in errors) + "。"
        elif errors:  # only in fields not filled in yet: nothing is wrong so far
            text = "请填写：" + "、".join(TITLES[n] for n in errors) + "。"
        elif missing:
            names = "、".join(TITLES.get(n, n) for n in missing)
            text = f"还未填写：{names}。可以先保存，考生将显示为“信息不全”。"
        else:
            text = ""
        self.hint_label.setText(text)
        self.hint_label.setProperty("error", bool(shown))
        repolish(self.hint_label)

    def _on_save_button_clicked(self) -> None:
        self.set_saving(True)
        self.save_requested.emit(self.form())

    # -- the page's answers --------------------------------------------------------------

    def set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.save_button.setText("正在保存…" if saving else "保存")
        self.cancel_button.setEnabled(not saving)
        self._validate()

    def show_problems(self, problems: Sequence[Problem], message: str = "") -> None:
        """The service refused the form: show each problem at its field."""
        self.set_saving(False)
        self._service_problems = {}
        general = []
        for problem in problems:
            field = problem.column or ""
            if field in self.boxes:
                self._service_problems.setdefault(field, problem)
                self._touched.add(field)
            else:
                general.append(render(problem))
        if not self._service_problems and not general and message:
            general.append(message)
        self.general_label.setText("\n".join(general))
        self.general_label.setVisible(bool(general))
        self._validate()
        first = next(iter(self._service_problems), None)
        if first is not None:
            self.editors[first].setFocus()
