"""Two tabs of the results page: 核对 (the score reconciliation, one line per finding) and
复查 (the review window's state; tick candidates, give a reason, print the 成绩复查表)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from examsite.domain.results import SubjectState
from examsite.domain.score_review import ReviewState
from examsite.messages import level_title
from examsite.services.results import SubjectResult
from examsite.services.results_view import ResultsView
from examsite.services.score_reconciliation import ScoreChange, ScoreGap, ScoreReconciliation
from examsite.services.score_review import ReviewPrinted, print_review
from examsite.ui.dialogs.file_dialogs import documents_folder
from examsite.ui.widgets import ReadOnlyTable, button, label

if TYPE_CHECKING:
    from examsite.ui.pages.results import ResultsPage

RECONCILE_COLUMNS = ("核对项", "姓名", "证件号码", "准考证号", "科目", "说明")
REVIEW_COLUMNS = ("选择", "姓名", "证件号码", "准考证号", "级别", "理论", "实操", "结果")
_STATE_WORDS = {SubjectState.ABSENT: "缺考", SubjectState.VOID: "违纪", SubjectState.PENDING: "—"}


def subject_cell(subject: SubjectResult) -> str:
    if subject.status is SubjectState.SCORED and subject.score is not None:
        return f"{subject.score:g}"
    return _STATE_WORDS.get(subject.status, "")


def _score(score: float | None, status: str) -> str:
    if score is not None:
        return f"{score:g}"
    return {"absent": "缺考", "void": "违纪"}.get(status, "无")


class ReconcileTab(QWidget):
    """The reconciliation: a summary line and a table of what needs checking."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = label("", "pageHint", wrap=True)
        self.model = QStandardItemModel(0, len(RECONCILE_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(RECONCILE_COLUMNS))
        self.table = ReadOnlyTable(
            self.model,
            name="reconcileTable",
            widths={0: 120, 1: 80, 2: 170, 3: 200, 4: 180},
            stretch=5,
            row_height=28,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_reconciliation(self, rec: ScoreReconciliation) -> None:
        self.summary.setText(
            f"应有 {rec.records} 条科目成绩，已有 {rec.scored} 条，缺 {len(rec.missing)} 条；"
            f"对不上的号码 {len(rec.unknown)} 个；有理论无实操 {len(rec.theory_only)} 条，"
            f"有实操无理论 {len(rec.practical_only)} 条；缺考却有成绩 {len(rec.absent_scored)} 条；"
            f"与上次导入不同 {len(rec.changed)} 条。"
        )
        self.model.removeRows(0, self.model.rowCount())

        def add(kind: str, gap: ScoreGap | None, subject: str, note: str, number: str = "") -> None:
            cells = (
                (kind, gap.name, gap.id_number, gap.ticket, subject, note)
                if gap is not None
                else (kind, "", number, "", "", note)
            )
            self.model.appendRow([QStandardItem(c) for c in cells])

        one_sided = set(rec.theory_only + rec.practical_only)
        for change in rec.absent_scored:
            add(
                "缺考却有成绩",
                change.gap,
                change.gap.subject,
                f"考试当天记为缺考，平台成绩 {_score(change.score, change.status)}",
            )
        for change in rec.changed:
            add("成绩有变动", change.gap, change.gap.subject, _change_text(change))
        for gap in rec.theory_only:
            add("有理论无实操", gap, gap.subject, "理论已有成绩，实操成绩未导入")
        for gap in rec.practical_only:
            add("有实操无理论", gap, gap.subject, "实操已有成绩，理论成绩未导入")
        for number in rec.unknown:
            add("对不上的号码", None, "", "上次导入的表格中有这个号码，本站点没有", number)
        for gap in rec.missing:
            if gap not in one_sided:
                add("缺成绩", gap, gap.subject, f"{gap.certificate}：尚无成绩")


def _change_text(change: ScoreChange) -> str:
    before = _score(change.previous_score, change.previous_status)
    return f"上次导入 {before}，现在 {_score(change.score, change.status)}"


class ReviewTab(QWidget):
    """Score review: the window's state, the candidates to tick, the reason, the print."""

    def __init__(self, page: ResultsPage) -> None:
        super().__init__(page)
        self.page = page
        self.view: ResultsView | None = None
        self.state_label = label("", "sectionTitle", wrap=True)
        self.hint = label(
            "按 003：考生于成绩公示开始后 7 天内申请复查，由院校统一提交复查表。"
            "勾选要复查的考生，填写复查理由，打印后由负责人签字盖章。",
            "pageHint",
            wrap=True,
        )
        self.search = QLineEdit()
        self.search.setObjectName("reviewSearch")
        self.search.setPlaceholderText("搜索姓名、证件号码或准考证号")
        self.search.textChanged.connect(lambda _t: self._apply_search())
        self.reason = QLineEdit()
        self.reason.setObjectName("reviewReason")
        self.reason.setPlaceholderText(
            "复查理由（印在表上），如：对实操成绩有疑问，申请核查是否漏评"
        )
        self.print_button = button("打印复查表…", self._on_print_clicked, kind="primary")
        self.model = QStandardItemModel(0, len(REVIEW_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(REVIEW_COLUMNS))
        self.table = ReadOnlyTable(
            self.model,
            name="reviewTable",
            selectable=False,
            widths={0: 56, 1: 90, 2: 180, 3: 210, 4: 60, 5: 70, 6: 70},
            stretch=7,
            row_height=28,
        )
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.reason, 2)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.hint)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    @property
    def is_open(self) -> bool:
        return self.view is not None and self.view.review.state is ReviewState.OPEN

    def show_view(self, view: ResultsView) -> None:
        self.view = view
        review = view.review
        end = f"{review.end:%Y-%m-%d %H:%M}"
        if review.state is ReviewState.OPEN:
            text = f"成绩复查期开放中：至 {end} 前（还剩 {review.days_left} 天）。"
        elif review.state is ReviewState.CLOSED:
            text = f"成绩复查期已结束（{end} 截止），平台成绩已锁定，不能再申请复查。"
        else:
            text = f"成绩复查尚未开始：成绩公示从 {review.start:%Y-%m-%d %H:%M} 开始，复查至 {end} 前。"
        self.state_label.setText(text)
        self.print_button.setEnabled(self.is_open)
        self.model.removeRows(0, self.model.rowCount())
        for row in view.rows:
            tick = QStandardItem()
            tick.setCheckable(self.is_open)
            tick.setCheckState(Qt.CheckState.Unchecked)
            tick.setData(row.id_number, Qt.ItemDataRole.UserRole)
            by_kind = {s.kind: subject_cell(s) for s in row.subjects}
            passed = row.outcome.passed
            result = "通过" if passed is True else "未通过" if passed is False else "待定"
            cells = (
                row.name,
                row.id_number,
                row.ticket,
                level_title(row.level),
                by_kind.get("theory", ""),
                by_kind.get("practical", ""),
                result,
            )
            self.model.appendRow([tick, *(QStandardItem(c) for c in cells)])
        self._apply_search()

    def _apply_search(self) -> None:
        search = self.search.text().strip().upper()
        for index in range(self.model.rowCount()):
            texts = [self.model.item(index, c).text().upper() for c in (1, 2, 3)]
            self.table.setRowHidden(index, bool(search) and not any(search in t for t in texts))

    def chosen(self) -> list[str]:
        ids: list[str] = []
        for index in range(self.model.rowCount()):
            item = self.model.item(index, 0)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return list(dict.fromkeys(ids))

    def _on_print_clicked(self) -> None:
        if self.view is None:
            return
        ids = self.chosen()
        if not ids:
            self.page.dialogs.inform(self.window(), "成绩复查", "请先勾选要复查的考生。")
            return
        suggested = documents_folder() / f"成绩复查表_{self.view.plan}.pdf"
        path = self.page.dialogs.save_path(self.window(), "保存成绩复查表", suggested)
        if path is None:
            return
        db, code, reason = self.page.context.db, self.view.plan, self.reason.text().strip()

        def done(printed: ReviewPrinted) -> None:
            self.page.dialogs.inform(
                self.window(),
                "已打印",
                f"成绩复查表已保存到：\n{printed.file}\n{printed.candidates} 名考生，{printed.pages} 页。",
            )

        self.page.jobs.read(
            lambda _p: print_review(db, code, ids, path, reason_text=reason),
            done,
            progress="正在生成复查表…",
        )
