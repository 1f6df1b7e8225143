"""Step 1, the exam site (考核站点): its record, the certificates it examines, and the
site standard of 002 and 003 as a checklist with a readiness figure.

The site's name is built as the platform builds it (``domain.site_standard.site_name``)
when the site is created and whenever its certificates change. The checklist's ticks live
in ``Site.checklist``; the items the program can see (labs of 40 seats, the staff team)
are computed. The application form is printed by the materials step from ``show_site``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice, warning
from examsite.domain.site_standard import (
    ROOM_SEATS,
    TICKABLE,
    Readiness,
    SiteFacts,
    evaluate,
    site_name,
)
from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.messages.site import ITEM_TITLES
from examsite.services.audit import record
from examsite.services.staff import team_in
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import Database, count_rows
from examsite.storage.models import Certificate, Lab, Room, School, Site, SiteCertificate
from examsite.storage.sql import least

ACTOR = "user"
FIELDS = ("code", "address", "province", "director", "phone")


@dataclass(frozen=True)
class CertificateInfo:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class SiteInfo:
    """The site's record as the page, the CLI and the application form read it."""

    name: str
    school: str
    code: str
    address: str
    province: str
    director: str
    phone: str
    certificates: tuple[CertificateInfo, ...]
    readiness: Readiness


@dataclass(frozen=True)
class SiteChanges:
    """What ``set_site`` changes (None: leave as it is)."""

    school: str | None = None
    code: str | None = None
    address: str | None = None
    province: str | None = None
    director: str | None = None
    phone: str | None = None


# --- reading ---------------------------------------------------------------------------


def show_site(db: Database) -> SiteInfo:
    with db.read() as session:
        return _info(session, _site(session))


def _site(session: Session) -> Site:
    site = session.scalars(select(Site).order_by(Site.id)).first()
    if site is None:
        raise NotFoundError("site.no_site")
    return site


def readiness_in(session: Session, site: Site) -> Readiness:
    labs = session.scalar(
        select(func.count()).where(
            Lab.site_id == site.id,
            func.coalesce(least(Lab.seats, Lab.exam_capacity), Lab.seats) >= ROOM_SEATS,
        )
    )
    if not labs:  # no lab recorded yet: the plan rooms show the site's labs
        labs = session.scalar(
            select(func.count(func.distinct(Room.name))).where(
                Room.site_id == site.id,
                func.coalesce(least(Room.seats, Room.exam_capacity), Room.seats) >= ROOM_SEATS,
            )
        )
    return evaluate(site.checklist or {}, SiteFacts(labs or 0, team_in(session)))


def _info(session: Session, site: Site) -> SiteInfo:
    certificates = tuple(
        CertificateInfo(c.code, c.name, c.level)
        for c in sorted(site.certificates, key=lambda c: c.code)
    )
    return SiteInfo(
        name=site.name,
        school=site.school.name,
        code=site.code,
        address=site.address,
        province=site.province,
        director=site.director,
        phone=site.phone,
        certificates=certificates,
        readiness=readiness_in(session, site),
    )


def certificate_choices(db: Database) -> tuple[CertificateInfo, ...]:
    """Every certificate of the catalog (the page offers them)."""
    with db.read() as session:
        rows = session.scalars(select(Certificate).order_by(Certificate.name, Certificate.code))
        return tuple(CertificateInfo(c.code, c.name, c.level) for c in rows)


# --- changes ---------------------------------------------------------------------------


def set_site(db: Database, changes: SiteChanges) -> SiteInfo:
    """Change the record; the first change with a school creates the site."""
    with db.unit_of_work() as session:
        site = session.scalars(select(Site).order_by(Site.id)).first()
        problems = _check(changes)
        if site is None and not (changes.school or "").strip():
            problems.append(error("site.school_needed", column="school"))
        if problems:
            raise InputError("site.refused", problems=problems)
        before = None if site is None else _plain(site)
        if site is None or (changes.school and changes.school.strip() != site.school.name):
            school = _school(session, (changes.school or "").strip())
            if site is None:
                site = Site(school=school, name="", checklist={})
                session.add(site)
            else:
                site.school = school
        for name in FIELDS:
            value = getattr(changes, name)
            if value is not None:
                setattr(site, name, value.strip())
        _rename(site)
        session.flush()
        record(
            session,
            "create" if before is None else "update",
            "site",
            site.id,
            before,
            _plain(site),
            ACTOR,
        )
        return _info(session, site)


def _check(changes: SiteChanges) -> list[Problem]:
    problems: list[Problem] = []
    phone = (changes.phone or "").strip()
    if phone and not (phone.replace("-", "").isdigit() and 7 <= len(phone) <= 20):
        problems.append(error("site.bad_phone", column="phone", phone=phone))
    if changes.director is not None and len(changes.director.strip()) > 60:
        problems.append(error("site.too_long", column="director", limit=60))
    return problems


def _school(session: Session, name: str) -> School:
    school = session.scalar(select(School).where(School.name == name))
    if school is None:
        school = School(name=name)
        session.add(school)
    return school


def _rename(site: Site) -> None:
    site.name = site_name(site.school.name, [(c.name, c.level) for c in _ordered(site)])


def _ordered(site: Site) -> list[Certificate]:
    return sorted(site.certificates, key=lambda c: c.code)


def change_certificate(db: Database, code: str, *, add: bool) -> SiteInfo:
    """Add a certificate the site examines, or remove one; the name follows."""
    with db.unit_of_work() as session:
        site = _site(session)
        cert = session.scalar(select(Certificate).where(Certificate.code == code.strip()))
        if cert is None:
            raise NotFoundError("site.certificate_not_found", certificate=code)
        before = _plain(site)
        if add:
            if cert in site.certificates:
                raise InputError("site.certificate_already", certificate=cert.name)
            site.certificates.append(cert)
        else:
            if cert not in site.certificates:
                raise InputError("site.certificate_not_examined", certificate=cert.name)
            rooms = session.scalar(
                select(func.count()).where(Room.site_id == site.id, Room.certificate_id == cert.id)
            )
            if rooms:
                raise InputError("site.certificate_has_rooms", certificate=cert.name, rooms=rooms)
            site.certificates.remove(cert)
        _rename(site)
        session.flush()
        record(session, "update", "site", site.id, before, _plain(site), ACTOR)
        return _info(session, site)


def tick(db: Database, item: str, *, done: bool = True) -> SiteInfo:
    """Tick (or untick) an item of the site standard the coordinator checks by hand."""
    with db.unit_of_work() as session:
        site = _site(session)
        if item not in TICKABLE:
            raise InputError("site.not_tickable", item=item, items="、".join(sorted(TICKABLE)))
        before = dict(site.checklist or {})
        checklist = dict(before)
        if done:
            checklist[item] = True
        else:
            checklist.pop(item, None)
        site.checklist = checklist
        record(
            session,
            "update",
            "site",
            site.id,
            {"checklist": before},
            {"checklist": checklist},
            ACTOR,
        )
        return _info(session, site)


def _plain(site: Site) -> dict[str, object]:
    return {
        "name": site.name,
        "school": site.school.name if site.school else "",
        **{name: getattr(site, name) for name in FIELDS},
        "certificates": [c.code for c in _ordered(site)],
    }


# --- the step's status -----------------------------------------------------------------


def site_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 1's status: a site with certificates, and its readiness against the standard."""
    sites = count_rows(session, Site)
    certificates = count_rows(session, SiteCertificate)
    problems: list[Problem] = []
    summary = {"sites": sites, "certificates": certificates}
    if not sites:
        return step_status(Step.SITE, 0, summary, problems, notice("status.figure_no_site"))
    if not certificates:
        problems.append(error("status.site_without_certificate"))
    readiness = readiness_in(session, _site(session))
    if readiness.missing:
        items = "、".join(ITEM_TITLES[item.key].split("（")[0] for item in readiness.missing)
        problems.append(warning("site.standard_missing", count=len(readiness.missing), items=items))
    summary.update(ready=readiness.done, checklist=readiness.total, readiness=readiness.percent)
    figure = notice(
        "site.figure", done=readiness.done, total=readiness.total, percent=readiness.percent
    )
    return step_status(Step.SITE, sites, summary, problems, figure)
