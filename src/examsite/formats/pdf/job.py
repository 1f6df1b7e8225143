"""What a document's drawing function is given: the plan's data, the settings, a way to
fetch photos in chunks, and the run's progress (which also says when to stop)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from examsite.domain.exam_day_record import ExamDayRecord
from examsite.domain.materials import MaterialsData, PrintSettings
from examsite.domain.site_forms import SiteForms
from examsite.progress import Progress

PhotoFetcher = Callable[[Sequence[int]], dict[int, bytes]]


def _no_photos(_ids: Sequence[int]) -> dict[int, bytes]:
    return {}


@dataclass(frozen=True)
class PrintJob:
    data: MaterialsData
    settings: PrintSettings = field(default_factory=PrintSettings)
    photos: PhotoFetcher = _no_photos  # candidate ids → photo bytes (absent: no photo)
    progress: Progress = field(default_factory=Progress)
    # The fee lines and the site's checklist (``services.materials_forms.load_site_forms``)
    # for the 缴费申请单 and the 考核站点申请表; None: those forms print what the data has.
    forms: SiteForms | None = None
    # What exam day recorded (``services.exam_day_record``) for the filled room record
    # forms and inspection record; None: those print blank where nothing is known.
    exam_day: ExamDayRecord | None = None

    @property
    def header(self) -> str:
        """The line over every document: the settings' or the plan's name."""
        return self.settings.header or self.data.plan.name


#: A document's drawing function: draws onto the canvas (for a room-scoped document only
#: that room's pages, ``room`` given) and returns the number of pages it drew.
#: Signature: ``draw(canvas, job, room) -> pages``.
