"""Every paper the exam needs, in one registry (``DOCUMENTS``): its key (for
``print run --only``), its Chinese title, whether it is one PDF for the plan (``plan``) or
one part of each room's kit (``room``), and the function that draws it
(``formats.pdf.<module>``).

The room kit (``services.print_run``) draws the ``room`` documents of one room into one
PDF, in ``DOCUMENTS`` order: the order a room uses them on exam day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.formats.pdf.job import PrintJob

Draw = Callable[[Canvas, PrintJob, RoomFacts | None], int]
Scope = Literal["plan", "room"]


@dataclass(frozen=True)
class DocumentKind:
    key: str
    title: str
    scope: Scope
    draw: Draw
    #: The document lists candidates or seats: the print run refuses it for a plan that
    #: has no seats yet (door signs, staff forms and the like may say False).
    needs_seats: bool = True


def _documents() -> tuple[DocumentKind, ...]:
    # Each document module adds its line here, in the order a room uses them on exam day
    # for the ``room`` ones.
    from examsite.formats.pdf import (
        alignment,
        badges,
        banner,
        commitment,
        desk_labels,
        door_signs,
        duty_list,
        fee_application,
        inspection_record,
        inspection_record_filled,
        room_record,
        room_record_filled,
        score_review_sheet,
        seal_strips,
        sealing_confirmation,
        seating_plan,
        sign_in,
        site_application,
        tickets,
        timetable,
    )

    return (
        # the printer first: its scale and margins checked before the batch
        DocumentKind("alignment", "打印校准页", "plan", alignment.draw, needs_seats=False),
        # the candidates' admission tickets, handed out before exam day
        DocumentKind("tickets", tickets.TITLE, "plan", tickets.draw),
        # each room's kit, in the order the room uses them on exam day
        DocumentKind("door_signs", "门贴", "room", door_signs.draw),
        DocumentKind("desk_labels", "桌贴", "room", desk_labels.draw),
        DocumentKind("sign_in", sign_in.TITLE, "room", sign_in.draw),
        DocumentKind("room_record", "考场情况记录表", "room", room_record.draw),
        DocumentKind("seating_plan", "考场座位表", "room", seating_plan.draw),
        DocumentKind("duty_list", "监考安排表", "room", duty_list.draw, needs_seats=False),
        DocumentKind("seal_strips", "封条", "room", seal_strips.draw, needs_seats=False),
        # the site's papers
        DocumentKind("timetable", "考核内容及时间表", "plan", timetable.draw, needs_seats=False),
        DocumentKind("banner", "横幅", "plan", banner.draw, needs_seats=False),
        DocumentKind("badges", "工作证", "plan", badges.draw, needs_seats=False),
        DocumentKind("commitment", "考务人员承诺书", "plan", commitment.draw, needs_seats=False),
        DocumentKind(
            "sealing_confirmation",
            "考场封场确认单",
            "plan",
            sealing_confirmation.draw,
            needs_seats=False,
        ),
        DocumentKind(
            "inspection_record", "巡考情况记录表", "plan", inspection_record.draw, needs_seats=False
        ),
        # after the exam: filled in from the check-in and the incidents recorded
        DocumentKind(
            "room_record_filled", "考场情况记录表（已填）", "plan", room_record_filled.draw
        ),
        DocumentKind(
            "inspection_record_filled",
            "巡考情况记录表（已填）",
            "plan",
            inspection_record_filled.draw,
            needs_seats=False,
        ),
        DocumentKind(
            "fee_application", "缴费申请单", "plan", fee_application.draw, needs_seats=False
        ),
        DocumentKind(
            "score_review", "成绩复查表", "plan", score_review_sheet.draw, needs_seats=False
        ),
        DocumentKind(
            "site_application", "考核站点申请表", "plan", site_application.draw, needs_seats=False
        ),
    )


DOCUMENTS: tuple[DocumentKind, ...] = _documents()


def document(key: str) -> DocumentKind:
    """The document whose key is ``key`` (``KeyError`` for another)."""
    for kind in DOCUMENTS:
        if kind.key == key:
            return kind
    raise KeyError(key)
