"""PageJobs: a page's read and change jobs, how their failures are shown, the busy state."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from examsite.domain.problems import error as problem
from examsite.errors import Cancelled, ExamsiteError, InputError
from examsite.progress import Progress
from examsite.ui.tasks import InlinePool, Job, PageJobs, TaskRunner

WAIT_MS = 5000


class Owner(QWidget):
    """A page stand-in: its jobs, what it was told and what reached the error handler."""

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self.notes: list[str] = []
        self.shown: list[BaseException] = []
        runner.error_handler = self.shown.append
        self.jobs = PageJobs(runner, self.notes.append, self)
        self.busy_log: list[bool] = []
        self.jobs.busy_changed.connect(self.busy_log.append)
        self.button = QPushButton("导入", self)
        self.jobs.guard(self.button)


@pytest.fixture
def inline(qtbot) -> Owner:
    owner = Owner(TaskRunner(InlinePool()))
    qtbot.addWidget(owner)
    return owner


@pytest.fixture
def threaded(qtbot):
    runner = TaskRunner()
    owner = Owner(runner)
    qtbot.addWidget(owner)
    yield owner
    runner.shutdown()


def raising(error: BaseException):
    def job(_progress: Progress) -> None:
        raise error

    return job


def test_a_read_hands_its_result_over_and_refreshes_nothing(inline: Owner):
    results: list[int] = []
    ended: list[Job] = []
    inline.jobs.runner.job_ended.connect(ended.append)
    job = inline.jobs.read(lambda _p: 42, results.append)
    assert results == [42]
    assert job is not None and job.done and not job.changes
    assert ended == [job]
    assert inline.busy_log == []  # not exclusive: the page is never busy
    assert inline.shown == [] and inline.notes == []


def test_a_change_refreshes_the_status_and_is_exclusive(inline: Owner):
    results: list[str] = []
    job = inline.jobs.change(lambda _p: "saved", results.append)
    assert results == ["saved"]
    assert job is not None and job.changes
    assert inline.busy_log == [True, False]
    assert not inline.jobs.busy and inline.button.isEnabled()


@pytest.mark.parametrize(
    "error",
    [
        ExamsiteError("storage.locked"),
        InputError("import.no_header", file="x.xlsx"),
        ZeroDivisionError("our bug"),
    ],
)
def test_failures_go_to_the_error_handler(inline: Owner, error: BaseException):
    undone: list[BaseException] = []
    succeeded: list[object] = []
    inline.jobs.change(raising(error), succeeded.append, on_failure=undone.append)
    assert inline.shown == [error]  # a warning or the crash dialog: the window decides
    assert undone == [error]
    assert succeeded == [] and inline.notes == []
    assert inline.busy_log == [True, False] and inline.button.isEnabled()


def test_an_input_error_is_shown_in_place_when_the_page_wants(inline: Owner):
    refused = InputError("candidate.name_missing", problems=[problem("candidate.name_missing")])
    in_place: list[InputError] = []
    undone: list[BaseException] = []
    inline.jobs.change(raising(refused), on_input_error=in_place.append, on_failure=undone.append)
    assert in_place == [refused] and undone == [refused]
    assert inline.shown == []
    # Any other failure still reaches the error handler.
    other = ExamsiteError("storage.locked")
    inline.jobs.change(raising(other), on_input_error=in_place.append)
    assert in_place == [refused] and inline.shown == [other]


def test_a_cancelled_job_is_a_note_in_the_status_bar(inline: Owner):
    undone: list[BaseException] = []
    inline.jobs.change(raising(Cancelled()), on_failure=undone.append)
    assert inline.notes == ["操作已取消，未做任何更改。"]
    assert inline.shown == []
    assert len(undone) == 1 and not inline.jobs.busy


def test_a_silent_read_only_logs_its_failure(inline: Owner, caplog):
    undone: list[BaseException] = []
    inline.jobs.read(raising(ZeroDivisionError()), on_failure=undone.append, silent=True)
    assert inline.shown == [] and inline.notes == []
    assert len(undone) == 1
    assert "background job failed" in caplog.text


def test_a_second_click_does_not_queue_a_second_job(qtbot, threaded: Owner):
    release = threading.Event()
    runs: list[int] = []

    def slow(_progress: Progress) -> int:
        runs.append(1)
        release.wait(5)
        return len(runs)

    results: list[int] = []
    clicks = QPushButton("不受保护的按钮", threaded)  # not guarded: both clicks arrive
    clicks.clicked.connect(lambda: threaded.jobs.change(slow, results.append))
    qtbot.mouseClick(clicks, Qt.MouseButton.LeftButton)
    assert threaded.jobs.busy and threaded.busy_log == [True]
    assert not threaded.button.isEnabled()  # the guarded one is off meanwhile
    qtbot.mouseClick(clicks, Qt.MouseButton.LeftButton)  # refused
    assert threaded.jobs.change(slow) is None
    # A plain read is not held back by the busy state.
    read = threaded.jobs.read(lambda _p: "read")
    assert read is not None
    release.set()
    qtbot.waitUntil(lambda: read.done, timeout=WAIT_MS)
    assert runs == [1] and results == [1]
    assert threaded.busy_log == [True, False]
    assert not threaded.jobs.busy and threaded.button.isEnabled()


def test_cancel_in_the_progress_dialog_ends_the_busy_state(qtbot, threaded: Owner):
    threaded.show()
    started = threading.Event()

    def long(progress: Progress) -> None:
        started.set()
        while True:
            progress.check_cancelled()
            threading.Event().wait(0.005)

    job = threaded.jobs.change(long, progress="正在导入照片…")
    assert job is not None
    dialog = threaded.jobs.runner.dialog(job)
    assert dialog is not None
    assert started.wait(5)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert dialog.parent() is threaded.window()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert threaded.notes == ["操作已取消，未做任何更改。"]
    assert threaded.shown == []
    assert not threaded.jobs.busy and threaded.button.isEnabled()


def test_an_answer_for_a_deleted_owner_is_dropped(qtbot):
    runner = TaskRunner()
    owner = Owner(runner)
    release = threading.Event()
    results: list[str] = []
    job = owner.jobs.change(lambda _p: release.wait(5) and "late", results.append)
    assert job is not None
    shiboken6.delete(owner)
    release.set()
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert results == []
    runner.shutdown()
