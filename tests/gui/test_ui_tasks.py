"""The worker: results and errors on the GUI thread, one thread, cancel, the progress dialog."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QWidget

from examsite.errors import Cancelled, InputError
from examsite.progress import Progress
from examsite.ui.tasks import InlinePool, Job, ProgressDialog, TaskRunner

WAIT_MS = 5000


@pytest.fixture
def threaded(qtbot):
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot, threaded: TaskRunner):
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def handler(result: int) -> None:
        seen["handler"] = threading.get_ident()

    job = threaded.run(lambda _p: threading.get_ident(), on_finished=handler, changes=False)
    with qtbot.waitSignal(job.finished, timeout=WAIT_MS) as blocker:
        pass
    worker = blocker.args[0]
    assert worker != gui
    assert seen["handler"] == gui
    assert job.done and job.result == worker and job.error is None


def test_error_arrives_on_the_gui_thread(qtbot, threaded: TaskRunner):
    error = InputError("import.no_header", file="x.xlsx")
    seen: list[tuple[BaseException, bool]] = []

    def fail(_p: Progress) -> None:
        raise error

    def handler(exc: BaseException) -> None:
        seen.append((exc, QThread.currentThread() is QWidget().thread()))

    job = threaded.run(fail, on_failed=handler)
    with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as blocker:
        pass
    assert blocker.args == [error]
    assert seen == [(error, True)]
    assert job.error is error


def test_unhandled_failure_goes_to_the_error_handler(qtbot, threaded: TaskRunner):
    handled: list[BaseException] = []
    threaded.error_handler = handled.append
    job = threaded.run(lambda _p: 1 / 0)
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert len(handled) == 1 and isinstance(handled[0], ZeroDivisionError)


def test_jobs_run_one_at_a_time_on_one_thread_in_order(qtbot, threaded: TaskRunner):
    running = threading.Lock()
    order: list[tuple[int, int]] = []

    def make(n: int):
        def job(_p: Progress) -> int:
            assert running.acquire(blocking=False), "two jobs ran at once"
            try:
                QThread.msleep(20)
                order.append((n, threading.get_ident()))
            finally:
                running.release()
            return n

        return job

    jobs = [threaded.run(make(n), changes=False) for n in range(4)]
    qtbot.waitUntil(lambda: all(j.done for j in jobs), timeout=WAIT_MS)
    assert [n for n, _ in order] == [0, 1, 2, 3]
    assert len({thread for _, thread in order}) == 1
    assert [j.result for j in jobs] == [0, 1, 2, 3]


def test_cancel_stops_a_running_job(qtbot, threaded: TaskRunner):
    started = threading.Event()

    def slow(progress: Progress) -> str:
        started.set()
        for i in range(500):
            progress.check_cancelled()
            progress.step(i, 500, f"第 {i} 行")
            QThread.msleep(10)
        return "all done"

    job = threaded.run(slow)
    assert started.wait(5)
    with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as blocker:
        job.cancel()
    assert isinstance(blocker.args[0], Cancelled)
    assert job.result is None


def test_job_ended_comes_after_the_jobs_own_handlers(qtbot, threaded: TaskRunner):
    events: list[str] = []
    threaded.job_ended.connect(lambda job: events.append(f"ended changes={job.changes}"))
    job = threaded.run(lambda _p: 1, on_finished=lambda _r: events.append("finished"))
    qtbot.waitUntil(lambda: len(events) == 2, timeout=WAIT_MS)
    assert events == ["finished", "ended changes=True"]
    assert job.changes


def test_shutdown_cancels_the_running_job_and_waits(threaded: TaskRunner):
    started = threading.Event()

    def slow(progress: Progress) -> None:
        started.set()
        while True:
            progress.check_cancelled()
            QThread.msleep(5)

    threaded.run(slow, on_failed=lambda _e: None)
    assert started.wait(5)
    assert threaded.shutdown(timeout_ms=WAIT_MS)
    late = threaded.run(lambda _p: 1, on_failed=lambda _e: None)
    assert isinstance(late.error, Cancelled)  # refused after shutdown, never run


def test_inline_pool_runs_at_once():
    runner = TaskRunner(InlinePool())
    results: list[int] = []
    job = runner.run(lambda p: 6 * 7, on_finished=results.append)
    assert results == [42] and job.done
    assert runner.is_synchronous and not runner.busy


def test_progress_is_kept_as_the_latest_value_only():
    job = Job(lambda p: None, title=None, changes=False)
    assert job.latest_progress() is None
    for i in range(1, 1001):
        job.progress.step(i, 1000, f"第 {i} 人")
    assert job.latest_progress() == (1000, 1000, "第 1000 人")


# -- the progress dialog ----------------------------------------------------------------


def gone(dialog: ProgressDialog) -> bool:
    """Closed, and deleted once the event loop got to it."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _slow_job(release: threading.Event, started: threading.Event):
    def job(progress: Progress) -> str:
        started.set()
        progress.step(3, 10, "正在导入：王玉霞")
        while not release.wait(0.01):
            progress.check_cancelled()
        return "done"

    return job


def test_a_fast_job_shows_no_dialog(qtbot, threaded: TaskRunner):
    parent = QWidget()
    qtbot.addWidget(parent)
    job = threaded.run(lambda _p: 1, title="正在导入考生…", parent=parent)
    dialog = threaded.dialog(job)
    assert isinstance(dialog, ProgressDialog)
    assert gone(dialog)
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert threaded.dialog(job) is None
    assert gone(dialog)


def test_the_dialog_appears_late_shows_progress_and_closes(qtbot, threaded: TaskRunner):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release, started = threading.Event(), threading.Event()
    job = threaded.run(_slow_job(release, started), title="正在导入考生…", parent=parent)
    dialog = threaded.dialog(job)
    assert dialog is not None and not dialog.isVisible()
    assert started.wait(5)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.value() == 3, timeout=WAIT_MS)
    assert dialog.maximum() == 10
    assert dialog.labelText() == "正在导入考生…\n正在导入：王玉霞"
    assert dialog.windowTitle() == "考点助手"
    release.set()
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert job.result == "done"
    assert gone(dialog)


def test_cancel_in_the_dialog_keeps_it_until_the_job_stopped(qtbot, threaded: TaskRunner):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    stop_blocking = threading.Event()
    started = threading.Event()

    def stubborn(progress: Progress) -> None:
        started.set()
        stop_blocking.wait(5)  # busy with one item: the cancel is seen only after it
        progress.check_cancelled()

    failures: list[BaseException] = []
    job = threaded.run(stubborn, title="正在检查照片…", parent=parent, on_failed=failures.append)
    dialog = threaded.dialog(job)
    assert dialog is not None
    assert started.wait(5)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    button = dialog.cancel_button
    assert button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert job.cancel_requested
    assert dialog.isVisible() and dialog.labelText() == "正在取消…"
    assert not button.isEnabled()
    stop_blocking.set()
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert len(failures) == 1 and isinstance(failures[0], Cancelled)
    assert gone(dialog)


def test_escape_in_the_dialog_cancels_too(qtbot, threaded: TaskRunner):
    release, started = threading.Event(), threading.Event()
    job = threaded.run(_slow_job(release, started), title="正在导出…", on_failed=lambda _e: None)
    dialog = threaded.dialog(job)
    assert dialog is not None
    assert started.wait(5)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.reject()
    assert job.cancel_requested and dialog.isVisible()
    qtbot.waitUntil(lambda: job.done, timeout=WAIT_MS)
    assert isinstance(job.error, Cancelled)


def test_a_job_ending_after_its_runner_is_gone_is_dropped_quietly(qtbot):
    runner = TaskRunner(InlinePool())
    job = Job(lambda _p: 1, title=None, changes=False)
    runner.deleteLater()
    qtbot.wait(10)  # the runner's C++ side is deleted: its signal has no source any more
    runner._execute(job)  # what a worker does when the window closed under it
    assert not job.done
