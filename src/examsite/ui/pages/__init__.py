"""The pages of the main window, one per workflow step, registered in ``PAGE_FACTORIES``.

To put a real page in place of a placeholder, import it and change its one line, e.g.::

    from examsite.ui.pages.candidates import CandidatesPage
    ...
    Step.CANDIDATES: CandidatesPage,

A factory takes the ``PageContext`` and returns a ``BasePage`` (a ``BasePage`` subclass is
its own factory). The window builds every page once per opened database and calls
``refresh()`` each time one is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from examsite.domain.workflow import Step
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.pages.candidates import CandidatesPage
from examsite.ui.pages.photos import PhotosPage
from examsite.ui.pages.placeholder import PlaceholderPage

PageFactory = Callable[[PageContext], BasePage]


def placeholder(step: Step) -> PageFactory:
    def factory(context: PageContext) -> BasePage:
        return PlaceholderPage(context, step)

    return factory


PAGE_FACTORIES: dict[Step, PageFactory] = {
    Step.SITE: placeholder(Step.SITE),
    Step.CANDIDATES: CandidatesPage,
    Step.PHOTOS: PhotosPage,
    Step.REGISTRATION: placeholder(Step.REGISTRATION),
    Step.ROOMS: placeholder(Step.ROOMS),
    Step.STAFF: placeholder(Step.STAFF),
    Step.ARRANGEMENT: placeholder(Step.ARRANGEMENT),
    Step.MATERIALS: placeholder(Step.MATERIALS),
    Step.SYNC: placeholder(Step.SYNC),
    Step.EXAM_DAY: placeholder(Step.EXAM_DAY),
    Step.RESULTS: placeholder(Step.RESULTS),
}

__all__ = ["PAGE_FACTORIES", "BasePage", "PageContext", "PageFactory", "PlaceholderPage"]
