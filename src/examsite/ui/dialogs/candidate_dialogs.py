"""The candidates page's file dialogs and questions, in one object that tests replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from examsite.services.candidates import CandidateRow, mask_id
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.dialogs.import_result import ImportOptionsDialog, ImportRequest

IMPORT_FILTER = "Excel 或 CSV 表格 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"


class CandidateDialogs(FileDialogs):
    """The file dialogs and questions of the page; tests hand in a replacement."""

    def open_import_file(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.IMPORT, parent, "选择考生名单", IMPORT_FILTER)

    def import_options(self, parent: QWidget, path: Path, kind: str) -> ImportRequest | None:
        dialog = ImportOptionsDialog(path, kind, parent=parent)
        if dialog.exec() != ImportOptionsDialog.DialogCode.Accepted:
            return None
        return dialog.request()

    def save_template(self, parent: QWidget, name: str) -> Path | None:
        return self.ask_save(Purpose.TEMPLATE, parent, "保存导入模板", XLSX_FILTER, name)

    def save_problems(self, parent: QWidget, suggested: Path) -> Path | None:
        """Where to save the problem table: the first time beside the imported file."""
        return self.ask_save(
            Purpose.PROBLEMS,
            parent,
            "保存问题表",
            XLSX_FILTER,
            suggested.name,
            start=suggested.parent,
        )

    def confirm_delete(self, parent: QWidget, row: CandidateRow) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("删除考生")
        box.setText(f"确定要删除考生“{row.name}”（{mask_id(row.id_number)}）吗？")
        box.setInformativeText("考生的照片会一并删除，删除后不能恢复。")
        delete = box.addButton("删除", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is delete
