"""Who may be registered (报考) for a certificate level, and when: pure rules, no database.

The documents' rules (000, 001, 003, DESIGN.md "Business rules"):

- the registration window: nothing is added, changed or deleted before the plan's
  registration opens or after its deadline (``window_problem``);
- a candidate needs complete information and a usable photo: the statuses 无照片 and
  信息不全 are refused; 待上传 (locally valid), 信息待认证, 需人工确认 and 信息准确 are
  registrable (``REGISTRABLE_STATUSES``). 需人工确认 is registered with a warning: the
  platform only accepts the registration once someone confirmed the candidate there;
- a school candidate (院校考生) sits a certificate only in one of its majors; outside
  them, or beyond the school's approved yearly quota (试点规模), the documents send the
  candidate to 社会考生 (000: "非本年度内试点专业考生 或 超出了试点专业考生规模 … 均在社会考生"),
  which the coordinator may choose (``as_social``);
- one registration per candidate + plan + certificate level, and a candidate never has
  two sessions at once (two levels whose sessions overlap are refused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from examsite.domain.candidate_status import CandidateKind, CandidateStatus
from examsite.domain.problems import Problem, error, warning

#: The candidate statuses that may be registered.
REGISTRABLE_STATUSES: Final[frozenset[str]] = frozenset(
    {
        CandidateStatus.READY,
        CandidateStatus.PENDING,
        CandidateStatus.MANUAL,
        CandidateStatus.VERIFIED,
    }
)

#: Why a registration was refused, for the refusals the coordinator can turn into a
#: 社会考生 registration.
SOCIAL_FIXABLE: Final[frozenset[str]] = frozenset(
    {"registration.major_mismatch", "registration.quota_full"}
)


def window_problem(
    start: dt.datetime, end: dt.datetime, now: dt.datetime, plan: str
) -> Problem | None:
    """Why registrations of the plan named ``plan`` cannot change at ``now`` (None: they
    can). The window includes its first and last minute."""
    if now < start:
        return error(
            "registration.not_open",
            plan=plan,
            start=f"{start:%Y-%m-%d %H:%M}",
            end=f"{end:%Y-%m-%d %H:%M}",
        )
    if now > end:
        return error("registration.closed", plan=plan, end=f"{end:%Y-%m-%d %H:%M}")
    return None


@dataclass(frozen=True)
class Applicant:
    """What the rules need to know about a candidate."""

    id: int
    id_number: str
    name: str
    kind: str  # school / social
    status: str
    major_code: str
    major: str
    school_id: int | None


@dataclass(frozen=True)
class Level:
    """What the rules need to know about a certificate level."""

    id: int
    code: str
    name: str
    level: str
    majors: tuple[tuple[str, str], ...]  # (code, name)

    def admits(self, major_code: str, major: str) -> bool:
        """The major (by code, else by name) is one of the certificate's; a certificate
        without majors admits every one."""
        if not self.majors:
            return True
        code, name = major_code.strip(), major.strip()
        return any((code and code == c) or (name and name == n) for c, n in self.majors)


@dataclass(frozen=True)
class Decision:
    """A candidate's registration decided: ``kind`` to register as, or refused with
    ``problems`` (errors); warnings go along with an accepted one."""

    kind: str | None
    problems: tuple[Problem, ...]

    @property
    def accepted(self) -> bool:
        return self.kind is not None

    @property
    def social_possible(self) -> bool:
        """Refused only for reasons that registering as 社会考生 would lift."""
        codes = {p.code for p in self.problems if p.is_error}
        return bool(codes) and codes <= SOCIAL_FIXABLE


class QuotaLedger:
    """The school-kind registrations left under each school's approved yearly quota.

    ``approved`` maps (school id, certificate id) to the approved count and ``used`` to the
    school-kind registrations already counted; a pair without a quota is not limited.
    """

    def __init__(
        self, approved: Mapping[tuple[int, int], int], used: Mapping[tuple[int, int], int]
    ) -> None:
        self.approved = dict(approved)
        self.used = dict(used)

    def left(self, school_id: int | None, certificate_id: int) -> int | None:
        """Places left (None: no quota to hold)."""
        if school_id is None:
            return None
        key = (school_id, certificate_id)
        if key not in self.approved:
            return None
        return self.approved[key] - self.used.get(key, 0)

    def take(self, school_id: int | None, certificate_id: int) -> None:
        if school_id is not None:
            key = (school_id, certificate_id)
            self.used[key] = self.used.get(key, 0) + 1

    def give_back(self, school_id: int | None, certificate_id: int) -> None:
        if school_id is not None:
            key = (school_id, certificate_id)
            self.used[key] = max(0, self.used.get(key, 0) - 1)


Slot = tuple[dt.datetime, dt.datetime]


def overlaps(one: Iterable[Slot], other: Iterable[Slot]) -> bool:
    """Some session of ``one`` overlaps some session of ``other`` (touching ends do not)."""
    others = list(other)
    return any(a < d and c < b for a, b in one for c, d in others)


def decide(
    applicant: Applicant,
    level: Level,
    *,
    quota: QuotaLedger,
    as_social: bool = False,
    requested_kind: str | None = None,
    registered: Collection[int] = (),
    clash: str | None = None,
) -> Decision:
    """Whether ``applicant`` may be registered for ``level`` and as which kind.

    ``registered``: the certificate ids the candidate already holds in this plan;
    ``clash``: the name of another of the candidate's registrations whose sessions
    overlap this level's (None when none); ``requested_kind``: the kind a sheet asks for.
    A granted school-kind registration takes a place of ``quota``.
    """
    name = applicant.name
    problems: list[Problem] = []
    if applicant.status == CandidateStatus.NO_PHOTO:
        problems.append(error("registration.no_photo", name=name))
    elif applicant.status == CandidateStatus.INCOMPLETE:
        problems.append(error("registration.incomplete", name=name))
    elif applicant.status not in REGISTRABLE_STATUSES:
        problems.append(error("registration.status_refused", name=name, status=applicant.status))
    if level.id in registered:
        problems.append(error("registration.duplicate", name=name))
    elif clash is not None:
        problems.append(error("registration.sessions_clash", name=name, other=clash))
    if problems:
        return Decision(None, tuple(problems))
    kind = _kind(applicant, requested_kind, as_social)
    if kind is None:
        return Decision(None, (error("registration.social_as_school", name=name),))
    if kind == CandidateKind.SCHOOL:
        if not level.admits(applicant.major_code, applicant.major):
            majors = "、".join(n or c for c, n in level.majors)
            major = applicant.major or applicant.major_code or "（未填写）"
            return Decision(
                None,
                (error("registration.major_mismatch", name=name, major=major, majors=majors),),
            )
        left = quota.left(applicant.school_id, level.id)
        if left is not None and left <= 0:
            approved = quota.approved[(applicant.school_id or 0, level.id)]
            return Decision(None, (error("registration.quota_full", name=name, approved=approved),))
        quota.take(applicant.school_id, level.id)
    if applicant.status == CandidateStatus.MANUAL:
        problems.append(warning("registration.manual_status", name=name))
    return Decision(kind, tuple(problems))


def _kind(applicant: Applicant, requested: str | None, as_social: bool) -> str | None:
    """The kind to register as; None when a social candidate is asked to sit as a school
    one (the school kind is only for the school's own pilot-major students)."""
    if applicant.kind == CandidateKind.SOCIAL:
        return None if requested == CandidateKind.SCHOOL else CandidateKind.SOCIAL.value
    if as_social or requested == CandidateKind.SOCIAL:
        return CandidateKind.SOCIAL.value
    return CandidateKind.SCHOOL.value


@dataclass(frozen=True)
class FeeLine:
    """One line of the 缴费申请单: a certificate level, its candidates and fee."""

    certificate_code: str
    certificate_name: str
    level: str
    candidates: int
    fee: int  # yuan per candidate
    overridden: bool  # the province's fee, not the organisation's

    @property
    def amount(self) -> int:
        return self.candidates * self.fee


def fee_of(fee: int, overrides: Mapping[str, int], province: str) -> tuple[int, bool]:
    """The fee per candidate in ``province``: its override if any, else ``fee``."""
    key = province.strip()
    if key and key in overrides:
        return overrides[key], True
    return fee, False
