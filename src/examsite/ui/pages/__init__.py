"""The pages of the main window, one per workflow step, registered in ``PAGE_FACTORIES``.

A factory takes the ``PageContext`` and returns a ``BasePage`` (a ``BasePage`` subclass is
its own factory). The window builds a page the first time it is shown and calls
``refresh()`` each time; opening another database builds them again.

A page's module is imported only when the page is built: the window must paint before
the pages' libraries (SQLAlchemy, openpyxl, Pillow, pypinyin) load. To put a real page in
place of a placeholder, write its factory with the import inside, e.g.::

    def _rooms(context: PageContext) -> BasePage:
        from examsite.ui.pages.rooms import RoomsPage

        return RoomsPage(context)
    ...
    Step.ROOMS: _rooms,

(a plain import inside the function, not ``import_module(name)``: PyInstaller and the
layers test both read the imports.)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from examsite.domain.workflow import Step
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.pages.placeholder import PlaceholderPage

PageFactory = Callable[[PageContext], BasePage]


def placeholder(step: Step) -> PageFactory:
    def factory(context: PageContext) -> BasePage:
        return PlaceholderPage(context, step)

    return factory


def dashboard(context: PageContext) -> BasePage:
    from examsite.ui.pages.dashboard import DashboardPage

    return DashboardPage(context)


def _candidates(context: PageContext) -> BasePage:
    from examsite.ui.pages.candidates import CandidatesPage

    return CandidatesPage(context)


def _site(context: PageContext) -> BasePage:
    from examsite.ui.pages.site import SitePage

    return SitePage(context)


def _staff(context: PageContext) -> BasePage:
    from examsite.ui.pages.staff import StaffPage

    return StaffPage(context)


def _photos(context: PageContext) -> BasePage:
    from examsite.ui.pages.photos import PhotosPage

    return PhotosPage(context)


def _registration(context: PageContext) -> BasePage:
    from examsite.ui.pages.registration import RegistrationPage

    return RegistrationPage(context)


def _arrangement(context: PageContext) -> BasePage:
    from examsite.ui.pages.arrangement import ArrangementPage

    return ArrangementPage(context)


def _rooms(context: PageContext) -> BasePage:
    from examsite.ui.pages.rooms import RoomsPage

    return RoomsPage(context)


def _materials(context: PageContext) -> BasePage:
    from examsite.ui.pages.materials import MaterialsPage

    return MaterialsPage(context)


def _sync(context: PageContext) -> BasePage:
    from examsite.ui.pages.sync import SyncPage

    return SyncPage(context)


def _exam_day(context: PageContext) -> BasePage:
    from examsite.ui.pages.exam_day import ExamDayPage

    return ExamDayPage(context)


def _results(context: PageContext) -> BasePage:
    from examsite.ui.pages.results import ResultsPage

    return ResultsPage(context)


# The Qt-free modules behind the pages, with the heavy libraries (openpyxl, calamine,
# pypinyin, Pillow): ``preload_services`` imports them on the worker once the database is
# open, so the first click on a page does not wait for them on the GUI thread.
PAGE_SERVICES = (
    "examsite.services.candidates",
    "examsite.services.candidate_import",
    "examsite.services.photos",
    "examsite.services.registration_sheets",
    "examsite.services.arrangement",
    "examsite.services.site",
    "examsite.services.invigilation",
    "examsite.services.rooms_view",
    "examsite.services.print_run",
    "examsite.services.results_view",
    "examsite.services.checkin",
)


def preload_services(_progress: object = None) -> None:
    """A job for the worker: import ``PAGE_SERVICES`` (services import no Qt)."""
    for name in PAGE_SERVICES:
        importlib.import_module(name)


PAGE_FACTORIES: dict[Step, PageFactory] = {
    Step.SITE: _site,
    Step.CANDIDATES: _candidates,
    Step.PHOTOS: _photos,
    Step.REGISTRATION: _registration,
    Step.ROOMS: _rooms,
    Step.STAFF: _staff,
    Step.ARRANGEMENT: _arrangement,
    Step.MATERIALS: _materials,
    Step.SYNC: _sync,
    Step.EXAM_DAY: _exam_day,
    Step.RESULTS: _results,
}

__all__ = [
    "PAGE_FACTORIES",
    "BasePage",
    "PageContext",
    "PageFactory",
    "PlaceholderPage",
    "dashboard",
    "preload_services",
]
