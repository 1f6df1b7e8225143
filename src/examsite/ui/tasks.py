"""Background work: one worker thread for all database work, progress read by a timer.

A job is a plain callable ``fn(progress) -> result`` that calls services only. The runner
runs jobs one at a time on a single worker thread (Anki's rule: work that touches the
database is serialised), and hands back the result or the exception on the GUI thread
through ``Job.finished`` / ``Job.failed``. A job reports progress by writing the latest
``(done, total, label)`` into a slot; a ``ProgressDialog`` reads it ten times a second, so
a loop over 10,000 rows costs no signal per row.

Tests give the runner an ``InlinePool`` (Picard's ``FakeThreadPool``): jobs then run at
once on the calling thread and their handlers have run when ``run()`` returns.

Pages do not call the runner themselves: each has a ``PageJobs`` (``page.jobs``) that
runs a read or a change, shows its failure the way its kind deserves and keeps the page's
busy state.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from examsite.errors import Cancelled, InputError
from examsite.progress import Progress

log = logging.getLogger(__name__)

T = TypeVar("T")
JobFn = Callable[[Progress], Any]
WAIT_TEXT = "请稍候…"
ProgressSnapshot = tuple[int, int, str]


class Pool(Protocol):
    """What the runner needs of a thread pool (``QThreadPool`` or ``InlinePool``)."""

    def start(self, fn: Callable[[], None]) -> None: ...

    def clear(self) -> None: ...

    def waitForDone(self, msecs: int = ...) -> bool: ...


class InlinePool:
    """A pool that runs each job at once on the calling thread; for tests."""

    def start(self, fn: Callable[[], None]) -> None:
        fn()

    def clear(self) -> None:
        pass

    def waitForDone(self, msecs: int = -1) -> bool:
        return True


class Job(QObject):
    """One unit of background work; lives on the GUI thread, runs on the worker.

    ``finished(result)`` or ``failed(exception)`` is emitted once, on the GUI thread.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: JobFn, *, title: str | None, changes: bool) -> None:
        super().__init__()
        self.fn = fn
        self.title = title
        self.changes = changes
        self.progress = Progress(self._store_progress)
        self.result: Any = None
        self.error: BaseException | None = None
        self._lock = threading.Lock()
        self._latest: ProgressSnapshot | None = None
        self._done = False

    def _store_progress(self, done: int, total: int, label: str) -> None:
        # Called on the worker thread; only the latest value matters.
        with self._lock:
            self._latest = (done, total, label)

    def latest_progress(self) -> ProgressSnapshot | None:
        """The last ``(done, total, label)`` the job reported, or None."""
        with self._lock:
            return self._latest

    def cancel(self) -> None:
        """Ask the job to stop; it ends with ``failed(Cancelled)`` at its next check."""
        self.progress.cancel()

    @property
    def cancel_requested(self) -> bool:
        return self.progress.cancelled()

    @property
    def done(self) -> bool:
        return self._done

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        self._done = True
        self.result, self.error = result, error
        if error is None:
            self.finished.emit(result)
        else:
            self.failed.emit(error)


class TaskRunner(QObject):
    """Runs jobs one at a time off the GUI thread and delivers their outcome on it.

    ``job_ended(job)`` is emitted after a job's own handlers ran; the window listens to it
    to refresh the round's status after jobs that ``changes`` the database.
    """

    job_started = Signal(object)
    job_ended = Signal(object)
    _worker_completed = Signal(object, object, object)  # (job, result, error)

    def __init__(self, pool: Pool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if pool is None:
            qpool = QThreadPool(self)
            qpool.setMaxThreadCount(1)  # one worker: database work is serialised
            qpool.setExpiryTimeout(-1)  # keep the thread instead of respawning it
            pool = qpool
        self._pool: Pool = pool
        self._jobs: set[Job] = set()
        self._dialogs: dict[Job, ProgressDialog] = {}
        self._closed = False
        # What happens to a failure nobody handles; the window shows it to the user.
        self.error_handler: Callable[[BaseException], None] = _log_error
        self._worker_completed.connect(self._on_worker_completed)

    @property
    def is_synchronous(self) -> bool:
        return isinstance(self._pool, InlinePool)

    def run(
        self,
        fn: JobFn,
        *,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        title: str | None = None,
        parent: QWidget | None = None,
        changes: bool = True,
    ) -> Job:
        """Queue ``fn(progress)`` on the worker thread and return its ``Job``.

        ``on_finished(result)`` / ``on_failed(exc)`` run on the GUI thread; without
        ``on_failed`` a failure goes to ``error_handler``. With a ``title`` a cancelable
        progress dialog (over ``parent``) appears if the job takes longer than 300 ms.
        ``changes=False`` marks a read-only job (no status refresh after it).
        """
        job = Job(fn, title=title, changes=changes)
        if on_finished is not None:
            job.finished.connect(on_finished)
        job.failed.connect(on_failed if on_failed is not None else self._on_job_failed)
        if self._closed:
            job._deliver(None, Cancelled())
            return job
        self._jobs.add(job)
        if title is not None and not self.is_synchronous:
            self._dialogs[job] = ProgressDialog(job, title, parent)
        log.debug("job queued: %s", getattr(fn, "__qualname__", fn))
        self.job_started.emit(job)
        self._pool.start(lambda: self._execute(job))
        return job

    def _execute(self, job: Job) -> None:
        # The worker thread: never touch a widget here.
        if job.cancel_requested:
            self._deliver_from_worker(job, None, Cancelled())
            return
        try:
            result = job.fn(job.progress)
        except BaseException as exc:  # handed to the GUI thread, which decides
            self._deliver_from_worker(job, None, exc)
        else:
            self._deliver_from_worker(job, result, None)

    def _deliver_from_worker(self, job: Job, result: Any, error: BaseException | None) -> None:
        try:
            self._worker_completed.emit(job, result, error)
        except RuntimeError:
            # The window closed while a long job ran and the runner is gone: nobody is
            # left to tell (the job's own transaction has already been rolled back).
            log.info("a job ended after its window closed: %s", error or "done")

    @Slot(object, object, object)
    def _on_worker_completed(self, job: Job, result: Any, error: BaseException | None) -> None:
        if self._closed:
            return  # the window is going away; nobody is left to tell
        self._jobs.discard(job)
        dialog = self._dialogs.pop(job, None)
        if dialog is not None:
            dialog.close_for_good()
        job._deliver(result, error)
        self.job_ended.emit(job)

    def _on_job_failed(self, error: BaseException) -> None:
        self.error_handler(error)

    def dialog(self, job: Job) -> ProgressDialog | None:
        """The progress dialog of a running job (None when it has none or has ended)."""
        return self._dialogs.get(job)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything, drop queued jobs and wait for the running one to stop."""
        self._closed = True
        self.cancel_all()
        self._pool.clear()
        finished = self._pool.waitForDone(timeout_ms)
        for dialog in self._dialogs.values():
            dialog.close_for_good()
        self._dialogs.clear()
        self._jobs.clear()
        if not finished:
            log.warning("a background job did not stop within %d ms", timeout_ms)
        return finished


class PageJobs(QObject):
    """A page's background jobs (or the window's own), run through the ``TaskRunner``.

    In the spirit of Anki's ``QueryOp`` / ``CollectionOp``: ``read()`` runs a job that only
    reads (no status refresh after it), ``change()`` one that writes (the window refreshes
    the round's status after it). The result goes to ``on_success`` on the GUI thread; a
    failure is shown the one way its kind deserves:

    - ``Cancelled``: a note in the status bar (``notify``);
    - ``InputError``, when the caller passes ``on_input_error``: to it, which shows the
      problems in place (a form's fields);
    - any other ``ExamsiteError`` as a warning, anything else in the crash dialog: both
      through the runner's ``error_handler``.

    ``on_failure(error)`` runs first on any failure, to undo what the success handler would
    have ended (a "saving…" state, a loading flag). An ``exclusive`` job makes the owner
    busy until it ends: the widgets and actions given to ``guard()`` are disabled,
    ``busy_changed`` is emitted, and another exclusive job asked for meanwhile is refused
    (``None`` is returned), so a second click queues nothing. Answers that arrive after the
    owner was deleted (another database was opened) are dropped.
    """

    busy_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, notify: Callable[[str], None], owner: QWidget) -> None:
        super().__init__(owner)
        self.runner = runner
        self._notify = notify
        self._owner = owner
        self._busy = False  # an exclusive job is under way
        self._guarded: list[QWidget | QAction] = []

    @property
    def busy(self) -> bool:
        """Whether an exclusive job is under way."""
        return self._busy

    def guard(self, *targets: QWidget | QAction) -> None:
        """Disable ``targets`` while an exclusive job runs (enabled again after it).

        For buttons that have no other reason to be disabled; a button that has one
        listens to ``busy_changed`` and works out its state itself.
        """
        self._guarded.extend(targets)
        for target in targets:
            target.setEnabled(not self.busy)

    def read(
        self,
        fn: Callable[[Progress], T],
        on_success: Callable[[T], None] | None = None,
        *,
        progress: str | None = None,
        on_input_error: Callable[[InputError], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        exclusive: bool = False,
        silent: bool = False,
    ) -> Job | None:
        """Run ``fn(progress)``, which leaves the database as it is (it reads, or writes a
        file); no status refresh after it. Not exclusive unless told.

        With ``progress`` (a title) a cancelable progress dialog appears when the job takes
        longer than 300 ms. ``silent``: a failure is logged, not shown (for work the user
        did not ask for, such as fetching thumbnails).
        """
        return self._run(
            fn,
            on_success,
            changes=False,
            progress=progress,
            on_input_error=on_input_error,
            on_failure=on_failure,
            exclusive=exclusive,
            silent=silent,
        )

    def change(
        self,
        fn: Callable[[Progress], T],
        on_success: Callable[[T], None] | None = None,
        *,
        progress: str | None = None,
        on_input_error: Callable[[InputError], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        exclusive: bool = True,
    ) -> Job | None:
        """Run ``fn(progress)``, which changes the database; the status is read again after
        it. Exclusive unless told otherwise: one change at a time per page."""
        return self._run(
            fn,
            on_success,
            changes=True,
            progress=progress,
            on_input_error=on_input_error,
            on_failure=on_failure,
            exclusive=exclusive,
            silent=False,
        )

    def _run(
        self,
        fn: Callable[[Progress], T],
        on_success: Callable[[T], None] | None,
        *,
        changes: bool,
        progress: str | None,
        on_input_error: Callable[[InputError], None] | None,
        on_failure: Callable[[BaseException], None] | None,
        exclusive: bool,
        silent: bool,
    ) -> Job | None:
        if exclusive and self.busy:
            log.debug("refused while busy: %s", getattr(fn, "__qualname__", fn))
            return None
        if exclusive:
            self._set_busy(True)  # before run(): an InlinePool runs the job inside it

        def ended() -> bool:
            # False when the owner is gone; its widgets must not be touched then.
            if not shiboken6.isValid(self):
                return False
            if exclusive:
                self._set_busy(False)
            return True

        def finished(result: T) -> None:
            if ended() and on_success is not None:
                on_success(result)

        def failed(error: BaseException) -> None:
            if not ended():
                return
            if on_failure is not None:
                on_failure(error)
            if silent:
                _log_error(error)
            elif isinstance(error, Cancelled):
                self._notify(error.message)
            elif isinstance(error, InputError) and on_input_error is not None:
                on_input_error(error)
            else:
                self.runner.error_handler(error)

        return self.runner.run(
            fn,
            on_finished=finished,
            on_failed=failed,
            title=progress,
            parent=self._owner.window(),
            changes=changes,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for target in self._guarded:
            if shiboken6.isValid(target):
                target.setEnabled(not busy)
        self.busy_changed.emit(busy)


def _log_error(error: BaseException) -> None:
    if not isinstance(error, Cancelled):
        log.error("background job failed", exc_info=(type(error), error, error.__traceback__))


class ProgressDialog(QProgressDialog):
    """Progress of one job: appears after 300 ms, polls the job ten times a second.

    取消 asks the job to stop and keeps the dialog up ("正在取消…") until it has: a job
    stops between items and rolls back, which can take a moment.
    """

    SHOW_AFTER_MS = 300
    POLL_MS = 100

    def __init__(self, job: Job, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._title = title
        self._finished = False
        self.setWindowTitle("考点助手")
        self.setLabelText(f"{title}\n{WAIT_TEXT}")  # two lines always: the size stays put
        self._cancel_button = QPushButton("取消")
        self.setCancelButton(self._cancel_button)
        self.setRange(0, 0)  # busy until the job reports a total
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # Shown by our own timer, not by QProgressDialog's estimate.
        self.setMinimumDuration(2**31 - 1)
        # QProgressDialog hides itself on 取消; keep it until the job has stopped.
        self.canceled.disconnect(self.cancel)
        self.canceled.connect(self._on_self_canceled)
        self._show_timer = QTimer(self, singleShot=True, interval=self.SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._on_show_timer_timeout)
        self._show_timer.start()
        self._poll_timer = QTimer(self, interval=self.POLL_MS)
        self._poll_timer.timeout.connect(self._on_poll_timer_timeout)
        self._poll_timer.start()

    @property
    def job(self) -> Job:
        return self._job

    @property
    def cancel_button(self) -> QPushButton:
        return self._cancel_button

    def _on_show_timer_timeout(self) -> None:
        if not self._finished:
            self._update()
            self.show()

    def _on_poll_timer_timeout(self) -> None:
        if not self._finished:
            self._update()

    def _update(self) -> None:
        if self._job.cancel_requested:
            return
        snapshot = self._job.latest_progress()
        if snapshot is None:
            return
        done, total, label = snapshot
        if total > 0:
            if self.maximum() != total:
                self.setRange(0, total)
            # setValue on a modal dialog processes events; do it only when it moved.
            if self.value() != done:
                self.setValue(min(done, total))
        text = f"{self._title}\n{label or WAIT_TEXT}"
        if self.labelText() != text:
            self.setLabelText(text)

    def _on_self_canceled(self) -> None:
        self._job.cancel()
        self.setLabelText("正在取消…")
        self._cancel_button.setEnabled(False)

    def reject(self) -> None:
        # Esc: the same as 取消, but the dialog stays until the job has stopped.
        if not self._finished:
            self.canceled.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            event.accept()
            return
        event.ignore()
        self.canceled.emit()

    def close_for_good(self) -> None:
        """The job ended: stop the timers and go away."""
        self._finished = True
        self._show_timer.stop()
        self._poll_timer.stop()
        self.hide()
        self.deleteLater()
