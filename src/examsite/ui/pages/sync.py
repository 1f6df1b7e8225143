"""The sync page (同步): what leaves this PC and what comes back.

Top left: the platform upload package of the chosen plan — the pre-flight list (what goes
in, what is held back and why) and what changed since the last export — with 导出上传包….
Top right: the backups of this database, with 立即备份 and 恢复… (the window's own restore:
the same check and question as 文件 › 恢复备份). Below: the bundle history (数据包记录).
Actions: 导出传输包… / 导入传输包… (another PC of the site: a dry run first — a site key
not yet paired is paired after a question — then the merge, each conflict chosen in
``ConflictDialog``) and 导入平台数据… (the platform's exports: a dry run first). Every
database call runs through ``self.jobs``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.messages import text
from examsite.services.arrangement import PlanChoice, arrangement_plans
from examsite.services.backup import BackupInfo, create_backup, holds_text, list_backups
from examsite.services.bundle_encryption import site_is_encrypted
from examsite.services.bundle_log import BundleEntry, bundle_history
from examsite.services.platform_export import UploadPlan, UploadResult, export_platform, plan_upload
from examsite.services.platform_import import PlatformImport, import_platform
from examsite.services.transfer import export_transfer, import_bundle
from examsite.services.transfer_records import Conflict, MergeReport, TransferResult
from examsite.ui.dialogs.file_dialogs import documents_folder
from examsite.ui.dialogs.sync_conflicts import ConflictDialog
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.sync_history import BundleHistory, EmptyOr
from examsite.ui.widgets import (
    PageHeader,
    ReadOnlyTable,
    button,
    chosen_code,
    label,
    page_layout,
    refill_combo,
)

HINT = (
    "上传包只装已准备好的数据（照片合格、信息完整、科目记录齐全），在办公室电脑上登录平台导入。"
    "传输包把本考点的数据带到另一台机房电脑并合并；导入前先预览将发生的变化。"
)
HELD_COLUMNS = ("暂不上传", "原因")
BACKUP_COLUMNS = ("时间", "类型", "内容")
KIND_TITLES = {"manual": "手动", "auto": "自动", "before-restore": "恢复前"}
REASON_TITLES = {"import": "导入前", "merge": "合并前", "daily": "每日"}
NO_BACKUPS = "还没有备份。点“立即备份”备份一次；每次导入和合并前、每天第一次打开时也会自动备份。"
#: The backups box on a school server's database (the window's 备份 says why in full).
ON_SERVER = "数据库在学校服务器上，由信息中心用 pg_dump 备份和恢复，这里不做本机备份。"
NOTHING_HELD = "没有暂不上传的数据：已报考的考生都已准备好。"
UNTRUSTED = "bundle.transfer_untrusted"
#: A sealed bundle (from an encrypted site): asked for its passphrase, again when wrong.
SEALED_CODES = frozenset({"crypt.bundle_locked", "crypt.bundle_wrong_passphrase"})
EXPORT_PASSPHRASE = (
    "这个考点的数据库已加密，传输包也要加密。请设一个口令（至少 10 个字符），"
    "在另一台电脑导入时输入；口令请当面告知，不要和传输包放在一起。"
)
IMPORT_PASSPHRASE = "请输入导出这个传输包时设的口令："


@runtime_checkable
class RestoreHost(Protocol):
    """The main window's restore (文件 › 恢复备份): check the backup, ask, restore."""

    def ask_restore(self, path: Path, backup: Path, *, reason: str = "") -> Any: ...


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

    def resolve_conflicts(
        self, parent: QWidget, body: str, conflicts: Sequence[Conflict]
    ) -> Mapping[str, str] | None:
        """Each conflict's side ({key: "mine" | "theirs"}), or None to stop."""
        dialog = ConflictDialog(conflicts, body, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.resolutions()

    def restore(self, page: QWidget, database: Path, backup: Path) -> None:
        """The window's restore, with its question (nothing when the page stands alone)."""
        host = page.window()
        if isinstance(host, RestoreHost):
            host.ask_restore(database, backup)

    def inform(self, parent: QWidget, title: str, body: str) -> None:
        QMessageBox.information(parent, title, body)

    def passphrase(self, parent: QWidget, prompt: str, *, twice: bool) -> str | None:
        """A transfer bundle's passphrase (an encrypted site's bundles are sealed with
        one); asked twice when it is being chosen. None: cancelled."""
        first, ok = QInputDialog.getText(parent, "传输包口令", prompt, QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if twice:
            again, ok = QInputDialog.getText(
                parent, "传输包口令", "再输入一次口令：", QLineEdit.EchoMode.Password
            )
            if not ok:
                return None
            if again != first:
                QMessageBox.warning(parent, "传输包口令", "两次输入的口令不一样，请重新导出。")
                return None
        return first


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
            self.held_model, name="syncHeldBack", widths={0: 200}, stretch=1, row_height=30
        )
        self.held_view = EmptyOr(self.held_table, NOTHING_HELD)
        self.backup_model = QStandardItemModel(0, len(BACKUP_COLUMNS), self)
        self.backup_model.setHorizontalHeaderLabels(list(BACKUP_COLUMNS))
        self.backup_table = ReadOnlyTable(
            self.backup_model, name="syncBackups", widths={0: 122, 1: 56}, stretch=2, wrap=True
        )
        self.backup_table.verticalHeader().setMinimumSectionSize(30)
        self.backup_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_restore_button()
        )
        self.backup_view = EmptyOr(self.backup_table, NO_BACKUPS)
        self.backup_button = button("立即备份", self._on_backup_clicked)
        self.restore_button = button("恢复…", self._on_restore_clicked)
        self.restore_button.setToolTip(
            "用选中的备份替换当前数据库（会先问一次，并先备份当前数据库）"
        )
        self.restore_button.setEnabled(False)
        self.history = BundleHistory()

        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(label("上传前检查", "sectionTitle"))
        left.addWidget(self.counts_label)
        left.addWidget(self.diff_label)
        left.addWidget(self.held_view, 1)
        right = QVBoxLayout()
        right.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.addWidget(label("备份", "sectionTitle"))
        title_row.addStretch(1)
        title_row.addWidget(self.restore_button)
        title_row.addWidget(self.backup_button)
        right.addLayout(title_row)
        right.addWidget(self.backup_view, 1)
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addLayout(left, 3)
        top.addLayout(right, 2)

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(4)
        layout.addWidget(label(HINT, "pageHint", wrap=True))
        layout.addSpacing(6)
        layout.addLayout(top, 5)
        layout.addSpacing(10)
        layout.addWidget(label("数据包记录", "sectionTitle"))
        layout.addWidget(self.history, 4)

    # --- reading -----------------------------------------------------------------------

    @property
    def plan_code(self) -> str | None:
        return chosen_code(self.plan_combo)

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: arrangement_plans(db), self._on_plans_loaded)
        self._load_backups()
        self._load_history()

    def _on_plans_loaded(self, plans: tuple[PlanChoice, ...]) -> None:
        refill_combo(
            self.plan_combo, ((f"{p.name}（{p.registrations} 人报考）", p.code) for p in plans)
        )
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
            self.diff_label.setText(f"与上次导出（{_minutes(diff.last_export)}）相比没有变化。")
        else:
            self.diff_label.setText(
                f"与上次导出（{_minutes(diff.last_export)}）相比：新增 {len(diff.added)} 人，"
                f"修改 {len(diff.changed)} 人，撤下 {len(diff.withdrawn)} 人；"
                f"报考新增 {len(diff.registrations_added)} 条，"
                f"撤销 {len(diff.registrations_withdrawn)} 条。"
            )
        self.held_model.removeRows(0, self.held_model.rowCount())
        for held in upload.held_back:
            reasons = "；".join(text(code) for code in held.reasons)
            cells = [QStandardItem(held.name or held.key), QStandardItem(reasons)]
            cells[1].setToolTip(reasons)
            self.held_model.appendRow(cells)
        self.export_button.setEnabled(upload.ready)
        self.header.set_subtitle(
            f"{upload.plan_name}：{'可以导出上传包' if upload.ready else '还没有可以上传的数据'}"
        )

    def _load_backups(self) -> None:
        db = self.context.db
        if db.file_path is None:  # the school server: its IT staff back it up (pg_dump)
            self.backup_view.set_empty_text(ON_SERVER)
            self.backup_button.setEnabled(False)
            self.backup_button.setToolTip(ON_SERVER)
            self._show_backups([])
            return
        self.jobs.read(lambda _p: list_backups(db), self._show_backups)

    def _show_backups(self, backups: list[BackupInfo]) -> None:
        self.backups = list(backups)
        self.backup_model.removeRows(0, self.backup_model.rowCount())
        for info in self.backups:
            kind = KIND_TITLES.get(info.kind, info.kind)
            if info.reason:
                kind = REASON_TITLES.get(info.reason, kind)
            cells = [
                QStandardItem(f"{info.created:%Y-%m-%d %H:%M}"),
                QStandardItem(kind),
                QStandardItem(holds_text(info)),
            ]
            for cell in cells:
                cell.setToolTip(f"{holds_text(info)}\n{info.path}")
            self.backup_model.appendRow(cells)
        self._update_restore_button()

    def _load_history(self, *_args: object) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: bundle_history(db), self._show_history)

    def _show_history(self, entries: tuple[BundleEntry, ...]) -> None:
        self.history.show_entries(entries)

    @property
    def selected_backup(self) -> BackupInfo | None:
        rows = self.backup_table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.backups):
            return None
        return self.backups[rows[0].row()]

    def _update_restore_button(self) -> None:
        self.restore_button.setEnabled(
            self.selected_backup is not None and self.context.db.file_path is not None
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
            self._load_history()

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
            self._load_history()

        passphrase = None
        if site_is_encrypted(db):  # its bundles are sealed too (issue 13)
            passphrase = self.dialogs.passphrase(self.window(), EXPORT_PASSPHRASE, twice=True)
            if passphrase is None:
                return
        # a change: the sequence number and the history are written
        self.jobs.change(
            lambda _p: export_transfer(db, path, passphrase=passphrase),
            done,
            progress="正在导出…",
        )

    def _on_transfer_in_clicked(self) -> None:
        path = self.dialogs.open_path(self.window(), "选择传输包", "数据包 (*.zip)")
        if path is not None:
            self._preview_transfer(path, pair=False)

    def _preview_transfer(self, path: Path, *, pair: bool, passphrase: str | None = None) -> None:
        db = self.context.db

        def refused(error: InputError) -> None:
            if error.code == UNTRUSTED and not pair:
                self._offer_pairing(path, error, passphrase)
            elif error.code in SEALED_CODES:  # an encrypted site's bundle: its passphrase
                asked = self.dialogs.passphrase(
                    self.window(), f"{error.message}\n\n{IMPORT_PASSPHRASE}", twice=False
                )
                if asked is not None:
                    self._preview_transfer(path, pair=pair, passphrase=asked)
            else:
                self.jobs.runner.error_handler(error)

        self.jobs.read(
            lambda _p: import_bundle(db, path, dry_run=True, pair=pair, passphrase=passphrase),
            lambda preview: self._merge_after_preview(
                path, preview, pair=pair, passphrase=passphrase
            ),
            progress="正在检查传输包…",
            on_input_error=refused,
            on_failure=self._load_history,  # a refused bundle is in the history
        )

    def _offer_pairing(self, path: Path, error: InputError, passphrase: str | None) -> None:
        """A bundle signed by a key this PC has not paired: pair it when the coordinator
        says it comes from another PC of this site."""
        body = (
            f"{error.message}\n\n如果这个传输包确实是本考点另一台电脑导出的"
            f"（可在那台电脑上核对密钥指纹 {error.params.get('fingerprint', '')}），"
            "可以与它配对后继续：先预览将发生的变化，再决定是否导入。现在配对吗？"
        )
        if self.dialogs.confirm(self.window(), "与另一台电脑配对", body):
            self._preview_transfer(path, pair=True, passphrase=passphrase)

    def _merge_after_preview(
        self, path: Path, preview: MergeReport, *, pair: bool, passphrase: str | None = None
    ) -> None:
        self._load_history()
        added = sum(preview.added.values())
        updated = sum(preview.updated.values())
        body = (
            f"来自考点“{preview.site}”的传输包（第 {preview.sequence} 号）：将新增 {added} 条、"
            f"更新 {updated} 条记录，照片新增 {preview.photos_added} 张。"
        )
        if preview.paired:
            body += f"\n导入后本机将与这台电脑配对（密钥指纹 {preview.fingerprint}）。"
        if preview.refused:
            body += f"\n有 {len(preview.refused)} 条超出报考时间，不会导入。"
        resolutions: Mapping[str, str] = {}
        if preview.conflicts:
            chosen = self.dialogs.resolve_conflicts(self.window(), body, preview.conflicts)
            if chosen is None:
                return
            resolutions = dict(chosen)
        elif not self.dialogs.confirm(self.window(), "导入传输包", f"{body}\n\n现在导入吗？"):
            return
        db = self.context.db

        def done(report: MergeReport) -> None:
            paired = f"已与考点“{report.site}”配对。\n" if report.paired else ""
            if report.applied:
                self.dialogs.inform(self.window(), "已导入", f"{paired}传输包已合并。")
            else:  # the bundle changed between the preview and the merge
                self.dialogs.inform(
                    self.window(), "没有导入", "还有没有选择的冲突，本次没有写入任何数据。"
                )
            self.refresh()

        self.jobs.change(
            lambda _p: import_bundle(
                db, path, resolutions=resolutions, pair=pair, passphrase=passphrase
            ),
            done,
            progress="正在合并…",
            on_failure=self._load_history,
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
            on_failure=self._load_history,
        )

    def _import_after_preview(self, path: Path, preview: PlatformImport) -> None:
        self._load_history()
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

        self.jobs.change(
            lambda _p: import_platform(db, path, code),
            done,
            progress="正在导入…",
            on_failure=self._load_history,
        )

    def _on_backup_clicked(self) -> None:
        db = self.context.db

        def done(info: BackupInfo) -> None:
            self.dialogs.inform(self.window(), "已备份", f"备份已保存：\n{info.path}")
            self._load_backups()

        self.jobs.read(lambda _p: create_backup(db), done, progress="正在备份…")

    def _on_restore_clicked(self) -> None:
        info, database = self.selected_backup, self.context.db.file_path
        if info is None or database is None:
            return
        self.dialogs.restore(self, database, info.path)


def _minutes(moment: str) -> str:
    """ "2026-11-30T13:07:12" → "2026-11-30 13:07"."""
    return moment[:16].replace("T", " ")
