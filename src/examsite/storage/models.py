"""The data model (SQLAlchemy 2.x typed ORM).

Table and column names are English (DESIGN.md, "Words"); values the platform shows in
Chinese (statuses, kinds) are stored as short English keys and translated by
``examsite.messages``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship

from examsite.domain.certificate_rules import InvigilatorRule, ScoringRule
from examsite.storage.types import InvigilatorRuleType, ScoringRuleType, new_uid

# Stable constraint names, so that migrations (batch mode on SQLite) can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class UidMixin:
    """A stable key (UUID4 text) that names the row on every PC, for merging a transfer
    bundle from another PC without duplicating anyone; made here when not given."""

    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)


# --- reference catalog -------------------------------------------------------------------


class Org(Base):
    """A certifying organisation (培训评价组织)."""

    __tablename__ = "org"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40), default="")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    certificates: Mapped[list[Certificate]] = relationship(back_populates="org")


class Certificate(Base):
    """One certificate at one level (证书 + 等级), e.g. 数字营销技术应用 (初级).

    ``scoring_rule`` and ``invigilator_rule`` are the typed rules of
    ``examsite.domain.certificate_rules`` (stored as JSON); the weights of a weighted
    scoring rule are on the subjects.
    """

    __tablename__ = "certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # junior / intermediate / senior
    fee: Mapped[int] = mapped_column(Integer, default=0)  # yuan per candidate and sitting
    majors: Mapped[list[Any]] = mapped_column(default=list)  # [{"code", "name"}]
    scoring_rule: Mapped[ScoringRule] = mapped_column(
        ScoringRuleType, default=lambda: ScoringRule()
    )
    invigilator_rule: Mapped[InvigilatorRule] = mapped_column(
        InvigilatorRuleType, default=lambda: InvigilatorRule()
    )
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    example_fields: Mapped[list[Any]] = mapped_column(default=list)  # facts not in documents

    org: Mapped[Org] = relationship(back_populates="certificates")
    subjects: Mapped[list[Subject]] = relationship(
        back_populates="certificate", cascade="all, delete-orphan", order_by="Subject.kind.desc()"
    )

    __table_args__ = (UniqueConstraint("name", "level"),)


class Subject(Base):
    """A subject of a certificate (科目): theory or practical."""

    __tablename__ = "subject"
    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # theory / practical
    mode: Mapped[str] = mapped_column(String(40))  # 机考, 实操, 机考+实操, 笔试
    duration_minutes: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    pass_mark: Mapped[float] = mapped_column(Float, default=60.0)

    certificate: Mapped[Certificate] = relationship(back_populates="subjects")
    __table_args__ = (UniqueConstraint("certificate_id", "kind"),)


class PlanCertificate(Base):
    __tablename__ = "plan_certificate"
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("exam_plan.id", ondelete="CASCADE"), primary_key=True
    )
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="RESTRICT"), primary_key=True
    )


class ExamPlan(Base):
    """An exam plan (考试计划) and its windows, as the platform publishes them."""

    __tablename__ = "exam_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    registration_start: Mapped[dt.datetime] = mapped_column(DateTime)
    registration_end: Mapped[dt.datetime] = mapped_column(DateTime)
    arrangement_start: Mapped[dt.datetime] = mapped_column(DateTime)
    arrangement_end: Mapped[dt.datetime] = mapped_column(DateTime)
    exam_start: Mapped[dt.datetime] = mapped_column(DateTime)
    exam_end: Mapped[dt.datetime] = mapped_column(DateTime)
    score_entry_start: Mapped[dt.datetime] = mapped_column(DateTime)
    score_entry_end: Mapped[dt.datetime] = mapped_column(DateTime)
    publication_start: Mapped[dt.datetime] = mapped_column(DateTime)
    publication_end: Mapped[dt.datetime] = mapped_column(DateTime)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)

    org: Mapped[Org] = relationship()
    certificates: Mapped[list[Certificate]] = relationship(
        secondary="plan_certificate", order_by="Certificate.code"
    )


# --- the site --------------------------------------------------------------------------


class School(Base):
    """A pilot school (试点院校)."""

    __tablename__ = "school"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(40), default="")  # 院校代码
    credit_code: Mapped[str] = mapped_column(String(40), default="")  # 统一社会信用代码
    address: Mapped[str] = mapped_column(String(400), default="")


class SiteCertificate(Base):
    __tablename__ = "site_certificate"
    site_id: Mapped[int] = mapped_column(
        ForeignKey("site.id", ondelete="CASCADE"), primary_key=True
    )
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificate.id", ondelete="RESTRICT"), primary_key=True
    )


class Site(Base):
    """An exam site (考核站点); the platform names it school name + certificate."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str] = mapped_column(String(400), default="")
    director: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    province: Mapped[str] = mapped_column(String(40), default="")  # picks the fee override
    checklist: Mapped[dict[str, Any]] = mapped_column(default=dict)  # site standard ticks

    school: Mapped[School] = relationship()
    certificates: Mapped[list[Certificate]] = relationship(secondary="site_certificate")


class Lab(UidMixin, TimestampMixin, Base):
    """One of the site's labs (机房/实训室): what rooms are proposed from. ``exam_capacity``
    is the seats usable in an exam (spacing), None for all ``seats``."""

    __tablename__ = "lab"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int] = mapped_column(Integer)
    exam_capacity: Mapped[int | None] = mapped_column(Integer)
    room_type: Mapped[str] = mapped_column(String(40), default="机考+实操")
    province: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(40), default="")
    district: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(400), default="")  # the detail (building, floor)
    __table_args__ = (UniqueConstraint("site_id", "name"),)


class FeeOverride(Base):
    """A province's fee for a certificate level where it differs from the organisation's."""

    __tablename__ = "fee_override"
    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="CASCADE"))
    province: Mapped[str] = mapped_column(String(40))
    fee: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("certificate_id", "province"),)


class Quota(Base):
    """The school's approved yearly quota for a certificate (试点规模)."""

    __tablename__ = "quota"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    approved: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("school_id", "certificate_id", "year"),)


# --- candidates ------------------------------------------------------------------------


class Candidate(TimestampMixin, Base):
    """A candidate (考生): a pilot-major student (school) or anyone else (social).

    ``status`` is kept up to date by the services so that 10,000 rows filter in SQL: one of
    no_photo, incomplete, ready (locally valid, not yet uploaded), pending (信息待认证),
    manual (需人工确认), verified (信息准确).
    """

    __tablename__ = "candidate"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # school / social
    name: Mapped[str] = mapped_column(String(60))
    pinyin: Mapped[str] = mapped_column(String(120), default="")
    gender: Mapped[str] = mapped_column(String(2), default="")  # 男 / 女
    id_type: Mapped[str] = mapped_column(String(40), default="身份证")
    id_number: Mapped[str] = mapped_column(String(40), unique=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    enrollment_year: Mapped[int | None] = mapped_column(Integer)
    education_level: Mapped[str] = mapped_column(String(20), default="")  # 专业层次
    major: Mapped[str] = mapped_column(String(100), default="")
    major_code: Mapped[str] = mapped_column(String(20), default="")
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    class_name: Mapped[str] = mapped_column(String(60), default="")  # 班级 (the school's own)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # social-kind fields
    status: Mapped[str] = mapped_column(String(20), default="no_photo", index=True)
    platform_status: Mapped[str | None] = mapped_column(String(20))
    uploaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    school: Mapped[School | None] = relationship()
    photo: Mapped[Photo | None] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", uselist=False
    )


class Photo(Base):
    """A candidate's photo. The bytes live in the database, so one file (and one backup)
    holds the whole site and a shared server holds the photos too.

    ``image`` is what is exported: a 295 × 413 JPEG without metadata (None for a rejected
    photo). The file as it came is always recoverable, stored once:

    - ``original`` holds it when it differs from ``image`` in its picture (re-encoded,
      fixed, a PNG, or a rejected photo);
    - ``original`` is None when ``image`` *is* the file's own image data: then
      ``original_patch`` holds the metadata taken out of it and where (None when nothing
      was), and ``formats.jpeg_strip.restore_original(image, original_patch)`` rebuilds the
      file byte for byte (``services.photos.photo_bytes(..., original=True)`` does it).

    ``thumbnail`` is only stored for a photo without ``image`` (a rejected one); the grid
    makes the others' from ``image`` when it shows them.
    """

    __tablename__ = "photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), unique=True
    )
    source_name: Mapped[str] = mapped_column(String(400), default="")
    verdict: Mapped[str] = mapped_column(String(20))  # pass / fixed / review / rejected
    problems: Mapped[list[Any]] = mapped_column(default=list)  # [{"code", "params"}]
    background: Mapped[str] = mapped_column(String(20), default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    format: Mapped[str] = mapped_column(String(10), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    original: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    thumbnail: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    original_patch: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    candidate: Mapped[Candidate] = relationship(back_populates="photo")


# --- registration, rooms, staff, arrangement -------------------------------------------


class Registration(UidMixin, TimestampMixin, Base):
    """One registration (报考) per candidate + plan + certificate-level. The admission-ticket
    number is the registration's: the same on the theory and the practical ticket.

    ``kind`` is the kind registered as (a school candidate outside the certificate's majors
    may sit as 社会考生); ``home_school`` names the school of a candidate from another school
    sitting here (借考); ``source`` says where it came from (page, sheet, bundle,
    platform); ``ticket_official`` marks a ticket number (and seats) imported from the
    platform's arrangement, which the program's arrangement never replaces.
    """

    __tablename__ = "registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="RESTRICT"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("exam_plan.id", ondelete="RESTRICT"))
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="RESTRICT"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="RESTRICT"))
    fee: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10), default="school")  # school / social
    home_school: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="page")
    ticket_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    ticket_official: Mapped[bool] = mapped_column(Boolean, default=False)

    candidate: Mapped[Candidate] = relationship()
    plan: Mapped[ExamPlan] = relationship()
    certificate: Mapped[Certificate] = relationship()
    subjects: Mapped[list[RegistrationSubject]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )
    __table_args__ = (UniqueConstraint("candidate_id", "plan_id", "certificate_id"),)


class RegistrationSubject(Base):
    """The platform's record per subject of a registration (2 for theory + practical)."""

    __tablename__ = "registration_subject"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(20), default="unarranged")

    registration: Mapped[Registration] = relationship(back_populates="subjects")
    subject: Mapped[Subject] = relationship()
    __table_args__ = (UniqueConstraint("registration_id", "subject_id"),)


class Room(UidMixin, TimestampMixin, Base):
    """A room (考场) for one plan + site + certificate; the name is unique there.

    ``seats`` are the physical seats (what the platform's room sheet says);
    ``exam_capacity`` the seats the arrangement may use (spacing), None for all of them.
    ``address`` is the detail under province, city and district.
    """

    __tablename__ = "room"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exam_plan.id", ondelete="RESTRICT"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="RESTRICT"))
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int] = mapped_column(Integer)
    exam_capacity: Mapped[int | None] = mapped_column(Integer)
    room_type: Mapped[str] = mapped_column(String(40), default="机考+实操")
    province: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(40), default="")
    district: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(400), default="")

    __table_args__ = (UniqueConstraint("plan_id", "site_id", "certificate_id", "name"),)

    @property
    def capacity(self) -> int:
        """The seats the arrangement may use."""
        return self.seats if self.exam_capacity is None else min(self.seats, self.exam_capacity)


class Staff(UidMixin, TimestampMixin, Base):
    """A member of staff (考务人员) with roles (``domain.staff_roles``): director, chief,
    deputy, affairs, sysadmin, logistics, invigilator, inspector, worker.

    ``majors_taught`` ([{"code", "name"}]) and ``classes_taught`` (class names) keep a
    teacher out of the rooms where their students sit; ``certified`` is the invigilator
    certification (监考资格); ``daily_duty_cap`` the most sessions a day (None: the site's
    default).
    """

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(40), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    roles: Mapped[list[Any]] = mapped_column(default=list)
    majors_taught: Mapped[list[Any]] = mapped_column(default=list)
    classes_taught: Mapped[list[Any]] = mapped_column(default=list)
    certified: Mapped[bool] = mapped_column(Boolean, default=False)
    daily_duty_cap: Mapped[int | None] = mapped_column(Integer)

    school: Mapped[School | None] = relationship()


class ExamSession(UidMixin, Base):
    """An exam session (场次): one subject of a plan sat from ``starts_at`` to ``ends_at``.

    Made from the catalog's timetable (or the default rule of ``domain.timetable``);
    ``edited`` marks a time the coordinator changed, which a catalog import never
    overwrites.
    """

    __tablename__ = "exam_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exam_plan.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="RESTRICT"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)

    plan: Mapped[ExamPlan] = relationship()
    subject: Mapped[Subject] = relationship()
    room_sessions: Mapped[list[RoomSession]] = relationship(
        back_populates="exam_session", passive_deletes=True
    )
    __table_args__ = (
        UniqueConstraint("plan_id", "subject_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


class RoomSession(UidMixin, Base):
    """A room in an exam session: its seats and invigilators are per room session."""

    __tablename__ = "room_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_session.id", ondelete="CASCADE"))

    room: Mapped[Room] = relationship()
    exam_session: Mapped[ExamSession] = relationship(back_populates="room_sessions")
    __table_args__ = (UniqueConstraint("room_id", "session_id"),)


class InvigilatorAssignment(TimestampMixin, Base):
    """A member of staff invigilating a room session (at least 2 a room). ``manual`` marks
    a hand-made assignment, which the automatic one keeps; ``warnings`` the rules it breaks
    ([{"code", "params"}]), shown wherever it is."""

    __tablename__ = "invigilator_assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_session_id: Mapped[int] = mapped_column(ForeignKey("room_session.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20), default="invigilator")
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    warnings: Mapped[list[Any]] = mapped_column(default=list)

    room_session: Mapped[RoomSession] = relationship()
    staff: Mapped[Staff] = relationship()
    __table_args__ = (UniqueConstraint("room_session_id", "staff_id"),)


class Seat(TimestampMixin, Base):
    """A candidate's seat for one subject: a seat number in a room session. The ticket
    number is on the registration."""

    __tablename__ = "seat"
    id: Mapped[int] = mapped_column(primary_key=True)
    room_session_id: Mapped[int] = mapped_column(ForeignKey("room_session.id", ondelete="RESTRICT"))
    registration_subject_id: Mapped[int] = mapped_column(
        ForeignKey("registration_subject.id", ondelete="CASCADE"), unique=True
    )
    seat_number: Mapped[int] = mapped_column(Integer)

    room_session: Mapped[RoomSession] = relationship()
    __table_args__ = (UniqueConstraint("room_session_id", "seat_number"),)


class Attendance(Base):
    """Exam-day check-in of a seat (a candidate in one room session): ``status`` one of
    ``domain.attendance`` (present, absent, late, left_early, misconduct, refused_late);
    ``checked_in_at`` the scan, ``left_at`` an early leaving; ``recorded_by`` who marked it
    and ``updated_at`` when, so a transfer bundle merges by the newer change."""

    __tablename__ = "attendance"
    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("seat.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    left_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)


class Incident(UidMixin, TimestampMixin, Base):
    """An exam-day incident (考场突发情况, 003's emergency section): ``code`` one of
    ``domain.incidents`` (late, misconduct, machine_change, extension, power_cut,
    question, illness, other); in a room session, or the whole site when None; the
    candidates involved by ID number; what was done; who recorded it. An extension (延时)
    carries its minutes."""

    __tablename__ = "incident"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exam_plan.id", ondelete="CASCADE"))
    room_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_session.id", ondelete="SET NULL")
    )
    code: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    candidates: Mapped[list[Any]] = mapped_column(default=list)  # ID numbers
    description: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    extension_minutes: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class Score(Base):
    """A subject score as the platform or the organisation publishes it. ``status`` is
    scored / absent (缺考) / ...; ``exam_status`` the platform's own 考试状态 text;
    ``previous_score`` / ``previous_status`` what the import before the last one said, so
    a reconciliation can list what changed; ``source_file`` the sheet it came from."""

    __tablename__ = "score"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_subject_id: Mapped[int] = mapped_column(
        ForeignKey("registration_subject.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    exam_status: Mapped[str] = mapped_column(String(40), default="")
    previous_score: Mapped[float | None] = mapped_column(Float)
    previous_status: Mapped[str] = mapped_column(String(20), default="")
    source_file: Mapped[str] = mapped_column(String(260), default="")


class CertificateResult(Base):
    """The platform's certificate result (考证结果) of a registration, as imported:
    ``outcome`` passed / failed / absent / ..., the certificate number when issued."""

    __tablename__ = "certificate_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True
    )
    outcome: Mapped[str] = mapped_column(String(20))
    written: Mapped[str] = mapped_column(String(60), default="")  # the cell as the sheet said
    certificate_number: Mapped[str] = mapped_column(String(60), default="")
    source_file: Mapped[str] = mapped_column(String(260), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class BundleLog(Base):
    """A bundle written or read (the sync page's history): ``direction`` export / import,
    ``kind`` the manifest's kind, ``outcome`` written / merged / dry_run / refused, the
    file, its SHA-256 and size, the plan, the counts and a short summary (JSON)."""

    __tablename__ = "bundle_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    direction: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    plan: Mapped[str] = mapped_column(String(40), default="")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Tombstone(Base):
    """A record deleted here (a registration withdrawn, a room removed), kept by its
    stable key so that a transfer bundle carries the deletion to the other PCs instead of
    the other PC bringing the record back."""

    __tablename__ = "tombstone"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    deleted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    __table_args__ = (UniqueConstraint("entity", "key"),)


class AuditLog(Base):
    """Who changed what, when, before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete / import
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The hash chain (storage/audit_chain.py; migration 0007 adds triggers that refuse
    # UPDATE and DELETE on this table).
    prev_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class UserAccount(Base):
    """An account (issue 13): a name, a role (``domain.roles``) and an Argon2 password hash.

    ``staff_uid`` ties an invigilator's account to their staff record (their room
    sessions); ``failed_logins`` and ``retry_after`` slow password guessing, kept here so
    that a script retrying the CLI is slowed as much as the window. Accounts are disabled,
    never deleted: the audit log names them.
    """

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    staff_uid: Mapped[str | None] = mapped_column(String(36))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    retry_after: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Setting(Base):
    """Small key/value facts of this database (demo marker, schema notes)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_candidate_name", Candidate.name)
Index("ix_registration_plan", Registration.plan_id, Registration.certificate_id)

__all__ = [
    "Attendance",
    "AuditLog",
    "Base",
    "BundleLog",
    "Candidate",
    "Certificate",
    "CertificateResult",
    "ExamPlan",
    "ExamSession",
    "FeeOverride",
    "Incident",
    "InvigilatorAssignment",
    "Lab",
    "Org",
    "Photo",
    "PlanCertificate",
    "Quota",
    "Registration",
    "RegistrationSubject",
    "Room",
    "RoomSession",
    "School",
    "Score",
    "Seat",
    "Setting",
    "Site",
    "SiteCertificate",
    "Staff",
    "Subject",
    "Tombstone",
    "UserAccount",
]
