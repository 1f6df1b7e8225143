"""Data the site-level forms need beyond ``MaterialsData``: the fee lines of the 缴费申请单
and the site's record and standard checklist for the 考核站点申请表.

``services.materials_forms.load_site_forms`` fills it; the print run passes it to the
drawing functions as ``PrintJob.forms``. Without it the two forms still print, from
``MaterialsData`` alone: candidate counts from the seats with the fee left to fill in by
hand, and the checklist with empty boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from examsite.domain.eligibility import FeeLine


@dataclass(frozen=True)
class FeeDoc:
    """The 缴费申请单: the province's fee per certificate level (``FeeLine``)."""

    province: str
    lines: tuple[FeeLine, ...]

    @property
    def candidates(self) -> int:
        return sum(line.candidates for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class CertificateEntry:
    code: str
    name: str
    level: str  # junior / intermediate / senior


@dataclass(frozen=True)
class ChecklistEntry:
    """One line of the site standard: its group and text (Chinese), met or not, and
    whether the program decided it (labs, team) or the coordinator ticked it."""

    group: str
    title: str
    done: bool
    computed: bool


@dataclass(frozen=True)
class SiteApplication:
    certificates: tuple[CertificateEntry, ...]
    checklist: tuple[ChecklistEntry, ...]

    @property
    def percent(self) -> int:
        done = sum(1 for entry in self.checklist if entry.done)
        return round(100 * done / len(self.checklist)) if self.checklist else 0


@dataclass(frozen=True)
class SiteForms:
    fees: FeeDoc
    application: SiteApplication


_DIGITS: Final = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS: Final = ("", "拾", "佰", "仟")
_BIG_UNITS: Final = ("", "万", "亿", "万亿")


def yuan_in_words(amount: int) -> str:
    """A whole amount of yuan in capital numerals (人民币大写), as a form asks for it:
    ``yuan_in_words(12300) == "壹万贰仟叁佰元整"``."""
    if amount < 0:
        return "负" + yuan_in_words(-amount)
    if amount == 0:
        return "零元整"
    groups: list[int] = []
    while amount:
        groups.append(amount % 10000)
        amount //= 10000
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _group_in_words(group) + _BIG_UNITS[index]
        need_zero = False
    return text + "元整"


def _group_in_words(group: int) -> str:
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + _SMALL_UNITS[position]
    return text
