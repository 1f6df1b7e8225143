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


def _documents() -> tuple[DocumentKind, ...]:
    # Each document module adds its line here, in the order a room uses them on exam day
    # for the ``room`` ones.
    from examsite.formats.pdf import (
        alignment,
        desk_labels,
        door_signs,
        duty_list,
        room_record,
        seal_strips,
        seating_plan,
    )

    return (
        DocumentKind("door_signs", "门贴", "room", door_signs.draw),
        DocumentKind("desk_labels", "桌贴", "room", desk_labels.draw),
        DocumentKind("room_record", "考场情况记录表", "room", room_record.draw),
        DocumentKind("seating_plan", "考场座位表", "room", seating_plan.draw),
        DocumentKind("duty_list", "监考安排表", "room", duty_list.draw),
        DocumentKind("seal_strips", "封条", "room", seal_strips.draw),
        DocumentKind("alignment", "打印校准页", "plan", alignment.draw),
    )


DOCUMENTS: tuple[DocumentKind, ...] = _documents()


def document(key: str) -> DocumentKind:
    """The document whose key is ``key`` (``KeyError`` for another)."""
    for kind in DOCUMENTS:
        if kind.key == key:
            return kind
    raise KeyError(key)
