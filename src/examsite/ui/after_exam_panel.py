"""The results page's after-exam tab (考后): 003's papers to hand in as a checklist — each
paper posted to the organisation (上交) and kept by the school (留档), ticked here and kept
per plan — and the monitoring videos' file names per room, each with a copy button.

Embedded by its page as a tab: made with the page (for its ``jobs`` and ``context``), told
the plan in view with ``set_plan``, and re-read with ``refresh``. Every database call runs
through ``page.jobs``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.after_exam import Copy, tick_key
from examsite.services.after_exam import (
    PaperChecklist,
    VideoName,
    paper_checklist,
    tick_papers,
    video_names,
)
from examsite.ui.pages.base import BasePage
from examsite.ui.widgets import button, label


class AfterExamPanel(QWidget):
    """The checklist (a row per paper, two tick boxes each) and the video names."""

    def __init__(self, page: BasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("afterExamPanel")
        self.page = page
        self.plan_code = ""
        self.checklist: PaperChecklist | None = None
        self.videos: tuple[VideoName, ...] = ()
        #: tick key → its box (``inspection_record.sent`` …)
        self.boxes: dict[str, QCheckBox] = {}
        self.copy_buttons: list[tuple[str, QWidget]] = []
        #: Puts text on the clipboard; tests replace it (offscreen has no clipboard).
        self.copy_text: Callable[[str], None] = _set_clipboard

        self.progress_label = label("", "pageHint")
        self.papers_grid = QGridLayout()
        self.papers_grid.setHorizontalSpacing(16)
        self.papers_grid.setVerticalSpacing(6)
        papers = QWidget()
        papers.setLayout(self.papers_grid)

        self.videos_box = QVBoxLayout()
        self.videos_box.setSpacing(4)
        videos = QWidget()
        videos.setLayout(self.videos_box)
        self.copy_all_button = button("复制全部文件名", self._on_copy_all_button_clicked)
        self.videos_empty = label("这个考试计划还没有安排考生的考场。", "emptyText")

        head = QHBoxLayout()
        head.addWidget(label("上交材料清单", "sectionTitle"))
        head.addWidget(self.progress_label)
        head.addStretch(1)
        video_head = QHBoxLayout()
        video_head.addWidget(label("监控视频命名（考核时间+考核站点+考场名称）", "sectionTitle"))
        video_head.addStretch(1)
        video_head.addWidget(self.copy_all_button)

        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.setSpacing(8)
        inner.addLayout(head)
        inner.addWidget(
            label(
                "考试结束后，下列材料一式两份：一份邮寄评价组织，一份院校留档。寄出、归档后在此勾选。",
                "pageHint",
                wrap=True,
            )
        )
        inner.addWidget(papers)
        inner.addSpacing(12)
        inner.addLayout(video_head)
        inner.addWidget(
            label(
                "监控视频用 U 盘、光盘备份或上传云盘，每个考场每个考试日一个文件，按下列名称命名。",
                "pageHint",
                wrap=True,
            )
        )
        inner.addWidget(videos)
        inner.addWidget(self.videos_empty)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(scroll)

    # -- the interface of a tab ----------------------------------------------------------

    def set_plan(self, plan_code: str) -> None:
        """Show ``plan_code`` (re-reads)."""
        self.plan_code = plan_code
        self.refresh()

    def refresh(self) -> None:
        """Re-read the checklist and the video names."""
        if not self.plan_code:
            self._show(None, ())
            return
        db, plan = self.page.context.db, self.plan_code
        self.page.jobs.read(
            lambda _p: (paper_checklist(db, plan), video_names(db, plan)),
            lambda loaded: self._show(*loaded),
        )

    # -- showing -------------------------------------------------------------------------

    def _show(self, checklist: PaperChecklist | None, videos: tuple[VideoName, ...]) -> None:
        self._show_checklist(checklist)
        if videos != self.videos or not self.copy_buttons:
            self._show_videos(videos)

    def _show_checklist(self, checklist: PaperChecklist | None) -> None:
        self.checklist = checklist
        if checklist is None:
            self.progress_label.setText("")
            _clear(self.papers_grid)
            self.boxes = {}
            return
        self.progress_label.setText(f"已完成 {checklist.done}/{checklist.total}")
        if not self.boxes:
            for column, title in enumerate(("材料", "数量", "", "", "说明")):
                if title:
                    self.papers_grid.addWidget(label(title, "formLabel"), 0, column)
            for row, item in enumerate(checklist.items, 1):
                self.papers_grid.addWidget(label(item.title, "detailValue"), row, 0)
                self.papers_grid.addWidget(label(item.quantity, "detailHint", wrap=True), row, 1)
                for column, (copy, text) in enumerate(
                    ((Copy.SENT, "已上交评价组织"), (Copy.KEPT, "已留档")), 2
                ):
                    box = QCheckBox(text)
                    key = tick_key(item.key, copy)
                    box.setObjectName(f"tick_{key}")
                    box.toggled.connect(lambda on, key=key: self._on_box_toggled(key, on))
                    self.boxes[key] = box
                    self.papers_grid.addWidget(box, row, column)
                self.papers_grid.addWidget(label(item.note, "detailHint", wrap=True), row, 4)
            self.papers_grid.setColumnStretch(1, 2)
            self.papers_grid.setColumnStretch(4, 2)
        for item in checklist.items:
            for copy, ticked in ((Copy.SENT, item.sent), (Copy.KEPT, item.kept)):
                box = self.boxes[tick_key(item.key, copy)]
                box.blockSignals(True)
                box.setChecked(ticked)
                box.blockSignals(False)

    def _show_videos(self, videos: tuple[VideoName, ...]) -> None:
        self.videos = videos
        _clear(self.videos_box)
        self.copy_buttons = []
        for video in videos:
            row = QHBoxLayout()
            name = QLabel(video.name)
            name.setObjectName("videoName")
            name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            spans = "、".join(f"{s.starts_at:%H:%M}—{s.ends_at:%H:%M}" for s in video.sessions)
            copy = button("复制", lambda *_a, n=video.name: self._copy(n), kind="link")
            copy.setToolTip(f"复制“{video.name}”")
            self.copy_buttons.append((video.name, copy))
            row.addWidget(name)
            row.addWidget(label(f"{video.room}　{video.day:%m-%d} {spans}", "detailHint"))
            row.addStretch(1)
            row.addWidget(copy)
            holder = QWidget()
            holder.setLayout(row)
            self.videos_box.addWidget(holder)
        self.videos_empty.setVisible(bool(self.plan_code) and not videos)
        self.copy_all_button.setEnabled(bool(videos))

    # -- acting --------------------------------------------------------------------------

    def _on_box_toggled(self, key: str, on: bool) -> None:
        db, plan = self.page.context.db, self.plan_code
        tick, untick = ([key], []) if on else ([], [key])

        def undo(_error: BaseException) -> None:
            self._show_checklist(self.checklist)  # the boxes as stored

        self.page.jobs.change(
            lambda _p: tick_papers(db, plan, tick, untick),
            self._show_checklist,
            on_failure=undo,
            exclusive=False,
        )

    def _copy(self, text: str, what: str = "") -> None:
        self.copy_text(text)
        self.page.context.notify(f"已复制：{what or text}")

    def _on_copy_all_button_clicked(self) -> None:
        names = [v.name for v in self.videos]
        self._copy("\n".join(names), f"{len(names)} 个文件名")


def _set_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


def _clear(layout: QGridLayout | QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
