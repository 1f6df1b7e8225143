"""The registration page's tables: the candidate chooser (with its filters) and the
registrations of the plan (with their subject records)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from examsite.messages import CANDIDATE_STATUS_TITLES, KIND_TITLES, LEVEL_TITLES
from examsite.services.registration_query import ChooserRow, RegistrationRow

AnyIndex = QModelIndex | QPersistentModelIndex
WARN = QColor("#cf222e")
MUTED = QColor("#8c959f")
ARRANGED_TITLES = {"arranged": "已编排", "partly_arranged": "部分编排", "unarranged": "未编排"}


class _Table(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.headers):
            return self.headers[section]
        return None


class ChooserModel(_Table):
    """Candidates to choose from; filtered in memory by class, major, status and whether
    already registered for the chosen level."""

    headers = ("姓名", "证件号码", "班级", "专业", "状态")

    def __init__(self) -> None:
        super().__init__()
        self._all: tuple[ChooserRow, ...] = ()
        self._rows: list[ChooserRow] = []
        self.certificate = ""
        self.class_name: str | None = None
        self.major: str | None = None
        self.status: str | None = None
        self.only_unregistered = True

    def set_rows(self, rows: Sequence[ChooserRow], certificate: str) -> None:
        self._all = tuple(rows)
        self.certificate = certificate
        self._apply()

    def set_filter(
        self,
        *,
        class_name: str | None,
        major: str | None,
        status: str | None,
        only_unregistered: bool,
    ) -> None:
        self.class_name, self.major, self.status = class_name, major, status
        self.only_unregistered = only_unregistered
        self._apply()

    def _apply(self) -> None:
        self.beginResetModel()
        self._rows = [r for r in self._all if self._shows(r)]
        self.endResetModel()

    def _shows(self, row: ChooserRow) -> bool:
        if self.class_name is not None and row.class_name != self.class_name:
            return False
        if self.major is not None and (row.major or "（社会考生）") != self.major:
            return False
        if self.status is not None and row.status != self.status:
            return False
        return not (self.only_unregistered and self.certificate in row.registered)

    @property
    def classes(self) -> list[str]:
        return sorted({r.class_name for r in self._all if r.class_name})

    @property
    def majors(self) -> list[str]:
        return sorted({r.major or "（社会考生）" for r in self._all})

    @property
    def total(self) -> int:
        return len(self._all)

    def candidate(self, row: int) -> ChooserRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.name,
                row.id_number,
                row.class_name or "—",
                row.major or KIND_TITLES.get(row.kind, row.kind),
                CANDIDATE_STATUS_TITLES.get(row.status, row.status)
                + ("（已报考）" if self.certificate in row.registered else ""),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 4 and row.status in ("no_photo", "incomplete"):
                return WARN
            if self.certificate in row.registered:
                return MUTED
        if role == Qt.ItemDataRole.ToolTipRole and row.registered:
            return "本计划已报考的证书：" + "、".join(row.registered)
        return None


class RegistrationsModel(_Table):
    """The registrations of the plan (of the chosen level); a row short of subject records
    is red."""

    headers = ("姓名", "证件号码", "班级", "等级", "报考类型", "科目记录", "编排")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RegistrationRow] = []

    def set_rows(self, rows: Sequence[RegistrationRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def registration(self, row: int) -> RegistrationRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            kind = KIND_TITLES.get(row.kind, row.kind)
            return (
                row.name,
                row.id_number,
                row.class_name or "—",
                LEVEL_TITLES.get(row.level, row.level),
                f"{kind}（借考）" if row.home_school else kind,
                f"{len(row.subjects)}/{row.expected}",
                ARRANGED_TITLES.get(row.status, row.status),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 5 and row.short:
                return WARN
            if column == 6 and row.status == "unarranged":
                return MUTED
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 4 and row.home_school:
                return f"借考考生，本校：{row.home_school}"
            if column == 5:
                return "\n".join(row.subjects) or "没有科目记录"
        return None
