"""Before printing: the names and texts with characters no font has (𠮷 and other rare
characters when no fallback font is installed), so the print run can report them — a
name is never printed as an empty box."""

from __future__ import annotations

from collections.abc import Iterator

from examsite.domain.materials import MaterialsData
from examsite.formats.pdf.fonts import Fonts, load_fonts


def _texts(data: MaterialsData, header: str) -> Iterator[str]:
    site, plan = data.site, data.plan
    yield from (header, site.name, site.school, site.address, site.director)
    yield from (plan.name, plan.org)
    for room in data.rooms:
        yield from (room.name, room.address, room.room_type)
        for session in room.sessions:
            yield from (session.certificate_name, session.subject_name, session.mode)
            yield from session.invigilators
            for seat in session.seats:
                yield from (seat.name, seat.school, seat.class_name, seat.major)
    for staff in data.staff:
        yield from (staff.name, staff.department)


def missing_characters(
    data: MaterialsData, header: str = "", fonts: Fonts | None = None
) -> list[tuple[str, str]]:
    """``[(text, characters no font has), …]``, each text once, in the order met (the
    characters in text order); empty when everything prints."""
    fonts = fonts or load_fonts()
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for text in _texts(data, header):
        if not text or text in seen:
            continue
        seen.add(text)
        missing = fonts.missing(text)
        if missing:
            found.append((text, "".join(dict.fromkeys(c for c in text if c in missing))))
    return found
