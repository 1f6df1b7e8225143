"""The sync page (同步): what leaves this PC and what comes back.

Left: the platform upload package of the chosen plan — the pre-flight list (what goes in,
what is held back and why) and what changed since the last export — with 导出上传包….
Right: the backups of this database. Actions: 导出传输包… / 导入传输包… (another PC of the
site: a dry run first, then the merge, conflicts chosen as a whole) and 导入平台数据…
(the platform's exports: a dry run first). Every database call runs through ``self.jobs``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from examsite.domain.workflow import Step
from examsite.messages import text
from examsite.services.arrangement import PlanChoice, arrangement_plans
from examsite.services.backup import BackupInfo, create_backup, holds_text, list_backups
from examsite.services.platform_export import UploadPlan, UploadResult, export_platform, plan_upload
from examsite.services.platform_import import PlatformImport, import_platform
from examsite.services.transfer import MergeReport, TransferResult, export_transfer, import_bundle
from examsite.ui.dialogs.file_dialogs import documents_folder
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import PageHeader, ReadOnlyTable, button, label, page_layout

HINT = (
    "上传包只装已准备好的数据（照片合格、信息完整、科目记录齐全），在办公室电脑上登录平台导入。"
    "传输包把本考点的数据带到另一台机房电脑并合并；导入前先预览将发生的变化。"
)
HELD_COLUMNS = ("暂不上传", "原因")
BACKUP_COLUMNS = ("时间", "类型", "内容")
KIND_TITLES = {"manual": "手动", "auto": "自动", "before-restore": "恢复前"}
REASON_TITLES = {"import": "导入前", "merge": "合并前", "daily": "每日"}


class SyncDialogs:
    """The page's dialogs; tests hand in a fake."""

    def save_path(self, parent: QWidget, title: str, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "数据包 (*.zip)")
        return Path(path) if path else None

    def open_path(self, parent: QWidget, title: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, str(documents_folder()), filters)
        return Path(path) if path else None

    def confirm(self, parent: QWidget, title: str, body: str) -> bool:
        answer = QMessageBox.question(parent, title, body)
        return answer == QMessageBox.StandardButton.Yes

    def choose_side(self, parent: QWidget, body: str) -> str | None:
        """For conflicts: "theirs", "mine", or None to stop."""
        box = QMessageBox(QMessageBox.Icon.Question, "有冲突", body, parent=parent)
        theirs = box.addButton("都用对方的", QMessageBox.ButtonRole.AcceptRole)
        mine = box.addButton("都保留本机的", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return "theirs" if clicked is theirs else "mine" if clicked is mine else None

    def inform(self, parent: QWidget, title: str, body: str) -> None:
        QMessageBox.information(parent, title, body)


class SyncPage(BasePage):
    """Step 9: sync bundles and backups."""

    step = Step.SYNC

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: SyncDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or SyncDialogs()
        self.upload: UploadPlan | None = None
        self.backups: list[BackupInfo] = []

        self.header = PageHeader("同步", "正在读取…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("syncPlan")
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(lambda _i: self._load_upload())
        self.header.add_beside_title(self.plan_combo)
        self.export_button = button("导出上传包…", self._on_export_clicked, kind="primary")
        self.transfer_out_button = button("导出传输包…", self._on_transfer_out_clicked)
        self.transfer_in_button = button("导入传输包…", self._on_transfer_in_clicked)
        self.platform_in_button = button("导入平台数据…", self._on_platform_in_clicked)
        self.header.add_actions(
            self.export_button, self.transfer_out_button, self.transfer_in_button
        )
        self.header.add_end_actions(self.platform_in_button)

        self.counts_label = label("", "pageHint", wrap=True)
        self.diff_label = label("", "pageHint", wrap=True)
        self.held_model = QStandardItemModel(0, len(HELD_COLUMNS), self)
        self.held_model.setHorizontalHeaderLabels(list(HELD_COLUMNS))
        self.held_table = ReadOnlyTable(
            self.held_model, name="syncHeldBack", widths={0: 220}, stretch=1, row_height=30
        )
        self.backup_model = QStandardItemModel(0, len(BACKUP_COLUMNS), self)
        self.backup_model.setHorizontalHeaderLabels(list(BACKUP_COLUMNS))
        self.backup_table = ReadOnlyTable(
            self.backup_model, name="syncBackups", widths={0: 130, 1: 80}, stretch=2, row_height=30
        )
        self.backup_button = button("立即备份", self._on_backup_clicked)

        left = QVBoxLayout()
        left.addWidget(label("上传前检查", "sectionTitle"))
        left.addWidget(self.counts_label)
        left.addWidget(self.diff_label)
        left.addWidget(self.held_table, 1)
        right = QVBoxLayout()
        title_row = QHBoxLayout()
        title_row.addWidget(label("备份", "sectionTitle"))
        title_row.addStretch(1)
        title_row.addWidget(self.backup_button)
        right.addLayout(title_row)
        right.addWidget(self.backup_table, 1)
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addLayout(left, 3)
        body.addLayout(right, 2)

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(label(HINT, "pageHint", wrap=True))
        layout.addSpacing(10)
        layout.addLayout(body, 1)

    # --- reading -----------------------------------------------------------------------

    @property
    def plan_code(self) -> str | None:
        code = self.plan_combo.currentData()
        return code if isinstance(code, str) else None

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: arrangement_plans(db), self._on_plans_loaded)
        self._load_backups()

    def _on_plans_loaded(self, plans: tuple[PlanChoice, ...]) -> None:
        current = self.plan_code
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in plans:
            self.plan_combo.addItem(f"{plan.name}（{plan.registrations} 人报考）", plan.code)
        index = self.plan_combo.findData(current) if current else 0
        self.plan_combo.setCurrentIndex(max(index, 0))
        self.plan_combo.blockSignals(False)
        self._load_upload()

    def _load_upload(self) -> None:
        code, db = self.plan_code, self.context.db
        if code is None:
            self.header.set_subtitle("没有考试计划。请先导入证书目录。")
            return
        self.jobs.read(lambda _p: plan_upload(db, code), self._show_upload)

    def _show_upload(self, upload: UploadPlan) -> None:
        self.upload = upload
        counts = upload.counts
        self.counts_label.setText(
            f"将上传：院校考生 {counts.get('school_candidates', 0)} 人，"
            f"社会考生 {counts.get('social_candidates', 0)} 人，"
            f"照片 {counts.get('photos', 0)} 张，报考 {counts.get('registrations', 0)} 条，"
            f"考场 {counts.get('rooms', 0)} 个；暂不上传 {len(upload.held_back)} 项。"
        )
        diff = upload.diff
        if diff.last_export is None:
            self.diff_label.setText("还没有导出过这个考试计划的上传包。")
        elif diff.empty:
            self.diff_label.setText(f"与上次导出（{diff.last_export[:16]}）相比没有变化。")
        else:
            self.diff_label.setText(
                f"与上次导出（{diff.last_export[:16]}）相比：新增 {len(diff.added)} 人，"
                f"修改 {len(diff.changed)} 人，撤下 {len(diff.withdrawn)} 人；"
                f"报考新增 {len(diff.registrations_added)} 条，"
                f"撤销 {len(diff.registrations_withdrawn)} 条。"
            )
        self.held_model.removeRows(0, self.held_model.rowCount())
        for held in upload.held_back:
            reasons = "；".join(text(code) for code in held.reasons)
            self.held_model.appendRow([QStandardItem(held.name), QStandardItem(reasons)])
        self.export_button.setEnabled(upload.ready)
        self.header.set_subtitle(
            f"{upload.plan_name}：{'可以导出上传包' if upload.ready else '还没有可以上传的数据'}"
        )

    def _load_backups(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: list_backups(db), self._show_backups)

    def _show_backups(self, backups: list[BackupInfo]) -> None:
        self.backups = list(backups)
        self.backup_model.removeRows(0, self.backup_model.rowCount())
        for info in self.backups:
            kind = KIND_TITLES.get(info.kind, info.kind)
            if info.reason:
                kind = REASON_TITLES.get(info.reason, kind)
            self.backup_model.appendRow(
                [
                    QStandardItem(f"{info.created:%Y-%m-%d %H:%M}"),
                    QStandardItem(kind),
                    QStandardItem(holds_text(info)),
                ]
            )

    # --- actions -------------------------------------------------------------------------

    def _stamp(self) -> str:
        return f"{self.context.clock():%Y%m%d-%H%M}"

    def _on_export_clicked(self) -> None:
        code, db = self.plan_code, self.context.db
        if code is None:
            return
        suggested = documents_folder() / f"平台上传包_{code}_{self._stamp()}.zip"
        path = self.dialogs.save_path(self.window(), "保存平台上传包", suggested)
        if path is None:
            return

        def done(result: UploadResult) -> None:
            self.dialogs.inform(self.window(), "已导出", f"上传包已保存到：\n{result.path}")
            self._load_upload()

        self.jobs.change(
            lambda progress: export_platform(db, code, path, progress), done, progress="正在导出…"
        )

    def _on_transfer_out_clicked(self) -> None:
        db = self.context.db
        suggested = documents_folder() / f"考点传输包_{self._stamp()}.zip"
        path = self.dialogs.save_path(self.window(), "保存传输包", suggested)
        if path is None:
            return

        def done(result: TransferResult) -> None:
            self.dialogs.inform(self.window(), "已导出", f"传输包已保存到：\n{result.file}")

        self.jobs.read(lambda _p: export_transfer(db, path), done, progress="正在导出…")

    def _on_transfer_in_clicked(self) -> None:
        path = self.dialogs.open_path(self.window(), "选择传输包", "数据包 (*.zip)")
        if path is None:
            return
        db = self.context.db
        self.jobs.read(
            lambda _p: import_bundle(db, path, dry_run=True),
            lambda preview: self._merge_after_preview(path, preview),
            progress="正在检查传输包…",
        )

    def _merge_after_preview(self, path: Path, preview: MergeReport) -> None:
        added = sum(preview.added.values())
        updated = sum(preview.updated.values())
        body = (
            f"来自考点“{preview.site}”的传输包（第 {preview.sequence} 号）：将新增 {added} 条、"
            f"更新 {updated} 条记录，照片新增 {preview.photos_added} 张。"
        )
        if preview.refused:
            body += f"\n有 {len(preview.refused)} 条超出报考时间，不会导入。"
        resolutions: dict[str, str] = {}
        if preview.conflicts:
            listing = "\n".join(f"· {c.label}" for c in preview.conflicts[:8])
            more = "\n……" if len(preview.conflicts) > 8 else ""
            side = self.dialogs.choose_side(
                self.window(),
                f"{body}\n\n两台电脑都改过的记录 {len(preview.conflicts)} 条：\n{listing}{more}",
            )
            if side is None:
                return
            resolutions = {c.key: side for c in preview.conflicts}
        elif not self.dialogs.confirm(self.window(), "导入传输包", f"{body}\n\n现在导入吗？"):
            return
        db = self.context.db

        def done(report: MergeReport) -> None:
            paired = f"已与考点“{report.site}”配对。\n" if report.paired else ""
            self.dialogs.inform(self.window(), "已导入", f"{paired}传输包已合并。")
            self.refresh()

        self.jobs.change(
            lambda _p: import_bundle(db, path, resolutions=resolutions), done, progress="正在合并…"
        )

    def _on_platform_in_clicked(self) -> None:
        path = self.dialogs.open_path(
            self.window(), "选择平台导出的表格", "表格 (*.xlsx *.xls *.csv)"
        )
        if path is None:
            return
        db, code = self.context.db, self.plan_code
        self.jobs.read(
            lambda _p: import_platform(db, path, code, dry_run=True),
            lambda preview: self._import_after_preview(path, preview),
            progress="正在检查…",
        )

    def _import_after_preview(self, path: Path, preview: PlatformImport) -> None:
        body = (
            f"{path.name}：共 {preview.rows} 行，对上 {preview.matched} 行，将更新 {preview.changed} 条，"
            f"有 {len(preview.problems)} 条提示。\n\n现在导入吗？"
        )
        if not self.dialogs.confirm(self.window(), "导入平台数据", body):
            return
        db, code = self.context.db, self.plan_code

        def done(result: PlatformImport) -> None:
            self.dialogs.inform(self.window(), "已导入", f"已更新 {result.changed} 条记录。")
            self.refresh()

        self.jobs.change(lambda _p: import_platform(db, path, code), done, progress="正在导入…")

    def _on_backup_clicked(self) -> None:
        db = self.context.db

        def done(info: BackupInfo) -> None:
            self.dialogs.inform(self.window(), "已备份", f"备份已保存：\n{info.path}")
            self._load_backups()

        self.jobs.read(lambda _p: create_backup(db), done, progress="正在备份…")
