"""The site page (考核站点): the site's record, the certificates it examines, and the site
standard of 002 / 003 as a checklist with its readiness figure and what is missing.

Everything is read and written on the worker (``self.jobs``); the form is saved with one
button, a certificate or a tick is saved as soon as it is clicked. Computed items (labs of
40 seats, the staff team) show their state and cannot be ticked.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.site_standard import ItemState
from examsite.domain.workflow import Step
from examsite.errors import NotFoundError
from examsite.messages import certificate_title, render
from examsite.messages.site import GROUP_TITLES, ITEM_TITLES
from examsite.progress import Progress
from examsite.services.site import (
    CertificateInfo,
    SiteChanges,
    SiteInfo,
    certificate_choices,
    change_certificate,
    set_site,
    show_site,
    tick,
)
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import Card, PageHeader, button, label, page_layout

FORM_FIELDS = (
    ("school", "所属院校"),
    ("code", "考核站点编号"),
    ("province", "省份"),
    ("address", "地址"),
    ("director", "站点负责人"),
    ("phone", "联系电话"),
)


class SitePage(BasePage):
    """Step 1: the site's record, its certificates, the standard's checklist."""

    step = Step.SITE

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.info: SiteInfo | None = None
        self._filling = False
        self.header = PageHeader("考核站点", "正在读取…")
        self.save_button = button("保存站点信息", self._on_save_clicked, kind="primary")
        self.header.add_actions(self.save_button)
        self.jobs.guard(self.save_button)

        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        for key, title in FORM_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"site_{key}")
            self.fields[key] = edit
            form.addRow(title, edit)
        self.name_label = label("", "dialogText", wrap=True)
        self.name_label.setObjectName("siteName")
        record_card = Card()
        record_layout = QVBoxLayout(record_card)
        record_layout.addWidget(label("站点信息", "groupTitle"))
        record_layout.addWidget(
            label("站点名称（按平台规则：院校名称 + 考核证书 + 考核站点）", "cardHint")
        )
        record_layout.addWidget(self.name_label)
        record_layout.addLayout(form)

        self.certificates = QListWidget()
        self.certificates.setObjectName("siteCertificates")
        self.certificates.itemChanged.connect(self._on_certificates_item_changed)
        cert_card = Card()
        cert_layout = QVBoxLayout(cert_card)
        cert_layout.addWidget(label("考核的证书（勾选即保存，站点名称随之更新）", "groupTitle"))
        cert_layout.addWidget(self.certificates)
        self.certificates.setMaximumHeight(156)

        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(record_card)
        left.addWidget(cert_card)
        left.addStretch(1)

        self.readiness_label = label("", "figureValue")
        self.readiness_label.setObjectName("siteReadiness")
        self.readiness_bar = QProgressBar()
        self.readiness_bar.setTextVisible(False)
        self.readiness_bar.setMaximumHeight(8)
        self.checks: dict[str, QCheckBox] = {}
        checks = QGridLayout()
        checks.setVerticalSpacing(4)
        from examsite.domain.site_standard import ITEMS

        for row, item in enumerate(ITEMS):
            box = QCheckBox(ITEM_TITLES[item.key] + ("（自动判断）" if item.computed else ""))
            box.setObjectName(f"check_{item.key}")
            box.setEnabled(not item.computed)
            box.clicked.connect(partial(self._on_check_clicked, item.key))

            self.checks[item.key] = box
            if row == 0 or ITEMS[row - 1].group != item.group:
                checks.addWidget(label(GROUP_TITLES[item.group], "cardCaption"), row, 0)
            checks.addWidget(box, row, 1)
        checks.setColumnStretch(1, 1)
        self.missing_label = label("", "problemWarning", wrap=True)
        self.missing_label.setObjectName("siteMissing")
        self.missing_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        check_card = Card()
        check_layout = QVBoxLayout(check_card)
        title_row = QHBoxLayout()
        title_row.addWidget(label("站点标准（002、003）", "groupTitle"))
        title_row.addStretch(1)
        title_row.addWidget(self.readiness_label)
        check_layout.addLayout(title_row)
        check_layout.addWidget(self.readiness_bar)
        check_layout.addLayout(checks)
        check_layout.addWidget(label("缺少的项目", "cardCaption"))
        check_layout.addWidget(self.missing_label)
        check_layout.addStretch(1)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addLayout(left, 5)
        columns.addWidget(check_card, 6)

        content = QWidget()
        layout = page_layout(content)
        layout.addWidget(self.header)
        layout.addSpacing(12)
        layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setObjectName("pageScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.context.db

        def job(_progress: Progress) -> tuple[SiteInfo | None, tuple[CertificateInfo, ...]]:
            try:
                info: SiteInfo | None = show_site(db)
            except NotFoundError:
                info = None
            return info, certificate_choices(db)

        self.jobs.read(job, self._on_load_job_finished)

    def _on_load_job_finished(
        self, loaded: tuple[SiteInfo | None, tuple[CertificateInfo, ...]]
    ) -> None:
        info, choices = loaded
        self._filling = True
        self.certificates.clear()
        examined = {c.code for c in info.certificates} if info else set()
        for cert in choices:
            text = f"{certificate_title(cert.name, cert.level)}{cert.code}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, cert.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            if info is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            checked = cert.code in examined
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.certificates.addItem(item)
        self._filling = False
        self.show_site(info)

    def show_site(self, info: SiteInfo | None) -> None:
        self.info = info
        if info is None:
            self.header.set_subtitle("还没有考核站点：填写所属院校等信息后保存，即可建立站点。")
            self.name_label.setText("（保存后生成）")
            for box in self.checks.values():
                box.setEnabled(False)
            self.readiness_label.setText("")
            self.missing_label.setText("")
            return
        self.header.set_subtitle(info.name)
        self.name_label.setText(info.name)
        for key, edit in self.fields.items():
            edit.setText(getattr(info, key))
        r = info.readiness
        self.readiness_label.setText(f"达标 {r.done}/{r.total}（{r.percent}%）")
        self.readiness_bar.setMaximum(r.total)
        self.readiness_bar.setValue(r.done)
        for state in r.items:
            box = self.checks[state.key]
            box.setChecked(state.done)
            box.setEnabled(not state.computed)
        for state in r.items:
            reasons = "\n".join(render(p) for p in state.reasons)
            self.checks[state.key].setToolTip(reasons or "已达到")
        lines = [f"•  {_short(state)}" for state in r.missing]
        self.missing_label.setText("\n".join(lines) or "站点标准的各项都已达到。")
        self.missing_label.setToolTip(
            "\n".join(render(p) for item in r.missing for p in item.reasons)
        )

    def has_unsaved_edits(self) -> bool:
        """The form differs from the saved site (or, with no site yet, holds anything)."""
        for key, edit in self.fields.items():
            saved = getattr(self.info, key) if self.info is not None else ""
            if edit.text().strip() != (saved or "").strip():
                return True
        return False

    # --- changes -------------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        db = self.context.db
        values = {key: edit.text() for key, edit in self.fields.items()}
        changes = SiteChanges(**values)

        def job(_progress: Progress) -> SiteInfo:
            return set_site(db, changes)

        self.jobs.change(job, self._on_saved)

    def _on_saved(self, info: SiteInfo) -> None:
        self.context.notify("已保存站点信息。")
        self.refresh() if self.info is None else self.show_site(info)

    def _on_certificates_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling or self.info is None:
            return
        code = str(item.data(Qt.ItemDataRole.UserRole))
        add = item.checkState() == Qt.CheckState.Checked
        db = self.context.db

        def job(_progress: Progress) -> SiteInfo:
            return change_certificate(db, code, add=add)

        self.jobs.change(job, self.show_site, on_failure=lambda _e: self.refresh())

    def _on_check_clicked(self, key: str) -> None:
        checked = self.checks[key].isChecked()
        db = self.context.db

        def job(_progress: Progress) -> SiteInfo:
            return tick(db, key, done=checked)

        self.jobs.change(job, self.show_site, on_failure=lambda _e: self.refresh())


def _short(state: ItemState) -> str:
    """One line for a missing item: a ticked item's title, a computed item's reason."""
    if state.computed:
        return "；".join(render(p) for p in state.reasons)
    return f"{ITEM_TITLES[state.key]}：未确认，核实后勾选"
