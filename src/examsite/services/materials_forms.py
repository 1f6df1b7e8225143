"""What the site-level forms read beyond the materials data (``domain.site_forms``): the
fee lines of the 缴费申请单 (``registration_query.fee_summary_in``) and the site's
certificates and standard checklist for the 考核站点申请表 (``site.readiness_in``).

The print run passes the result as ``PrintJob(..., forms=load_site_forms(session, plan))``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.site_forms import (
    CertificateEntry,
    ChecklistEntry,
    FeeDoc,
    SiteApplication,
    SiteForms,
)
from examsite.messages.site import GROUP_TITLES, ITEM_TITLES
from examsite.services.plans import find_plan
from examsite.services.registration_query import fee_summary_in
from examsite.services.site import readiness_in
from examsite.storage.models import Site


def load_site_forms(session: Session, plan_code: str) -> SiteForms:
    """The plan's fee lines and the site's application data (``NotFoundError`` for an
    unknown plan; an empty application when there is no site yet)."""
    plan = find_plan(session, plan_code)
    summary = fee_summary_in(session, plan)
    fees = FeeDoc(summary.province, summary.lines)
    site = session.scalars(select(Site).order_by(Site.id)).first()
    if site is None:
        return SiteForms(fees, SiteApplication((), ()))
    certificates = tuple(
        CertificateEntry(c.code, c.name, c.level)
        for c in sorted(site.certificates, key=lambda c: (c.name, c.code))
    )
    readiness = readiness_in(session, site)
    checklist = tuple(
        ChecklistEntry(
            GROUP_TITLES.get(item.group, item.group),
            ITEM_TITLES.get(item.key, item.key),
            item.done,
            item.computed,
        )
        for item in readiness.items
    )
    return SiteForms(fees, SiteApplication(certificates, checklist))
