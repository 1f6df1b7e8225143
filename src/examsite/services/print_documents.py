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
    from examsite.formats.pdf import sign_in, tickets

    return (
        DocumentKind("tickets", tickets.TITLE, "plan", tickets.draw),
        DocumentKind("sign_in", sign_in.TITLE, "room", sign_in.draw),
    )


DOCUMENTS: tuple[DocumentKind, ...] = _documents()


def document(key: str) -> DocumentKind:
    """The document whose key is ``key`` (``KeyError`` for another)."""
    for kind in DOCUMENTS:
        if kind.key == key:
            return kind
    raise KeyError(key)
