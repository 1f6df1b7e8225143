"""The registration page's file dialogs and questions, in one object that tests replace."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from examsite.services.registration import Refusal
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose

IMPORT_FILTER = "Excel 或 CSV 表格 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
SHOWN_REFUSALS = 12


class RegistrationDialogs(FileDialogs):
    """The file dialogs and questions of the registration page."""

    def open_sheet(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.IMPORT, parent, "选择按证书报考表", IMPORT_FILTER)

    def save_sheet(self, parent: QWidget, title: str, name: str) -> Path | None:
        return self.ask_save(Purpose.TEMPLATE, parent, title, XLSX_FILTER, name)

    def ask_as_social(self, parent: QWidget, refusals: Sequence[Refusal]) -> bool:
        """Whether to register as 社会考生 the candidates refused for their major or the
        school's quota (000: such candidates sit as social candidates)."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("以社会考生报考？")
        box.setText(
            f"{len(refusals)} 名院校考生的专业不在证书的对应专业内，或本校试点规模已满，"
            "不能以院校考生报考。"
        )
        box.setInformativeText("可以改为以社会考生报考（不占本校试点规模）。要这样报考吗？")
        box.setDetailedText(_lines(refusals))
        social = box.addButton("以社会考生报考", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("不报考", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is social

    def confirm_remove(self, parent: QWidget, count: int) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("撤销报考")
        box.setText(f"确定要撤销选中的 {count} 条报考吗？")
        box.setInformativeText("已编排的考位会一并释放；撤销会记入操作日志。")
        remove = box.addButton("撤销报考", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is remove

    def show_refusals(self, parent: QWidget, title: str, refusals: Sequence[Refusal]) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(f"{len(refusals)} 名考生没有报考，原因如下：")
        box.setInformativeText(_lines(refusals[:SHOWN_REFUSALS]))
        if len(refusals) > SHOWN_REFUSALS:
            box.setDetailedText(_lines(refusals))
        box.exec()


def _lines(refusals: Sequence[Refusal]) -> str:
    return "\n".join(
        (f"第 {r.row} 行 " if r.row else "") + f"{r.name}：{r.reason}" for r in refusals
    )
