"""Showing errors: the user's or the environment's fault as a warning, our bug as a crash.

``ExamsiteError`` carries the text the user reads (a locked database, a refused file);
anything else is a bug in the program: it is logged with its traceback and the crash
dialog names the log file so the coordinator can send it to support.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QThread, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from examsite.errors import Cancelled, ExamsiteError, InputError
from examsite.messages import render
from examsite.paths import log_file

log = logging.getLogger(__name__)

MAX_PROBLEMS_SHOWN = 20

ErrorPresenter = Callable[[QWidget | None, BaseException], None]


def problem_lines(error: InputError) -> list[str]:
    """The problems of a refused input as lines, "第 3 行 证件号码：…"."""
    lines = []
    for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
        where = f"第 {problem.row} 行 " if problem.row else ""
        column = f"{problem.column}：" if problem.column else ""
        lines.append(f"{where}{column}{render(problem)}")
    hidden = len(error.problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        lines.append(f"……另有 {hidden} 个问题")
    return lines


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Tell the user about ``error`` the way its kind deserves."""
    if isinstance(error, Cancelled):
        return  # the user asked for it; the status bar says so
    if not isinstance(error, ExamsiteError) and "sqlalchemy" in sys.modules:
        from examsite.storage.db import connection_error  # not loaded before a database

        error = connection_error(error) or error  # a read on a server that went away
    if isinstance(error, ExamsiteError):
        log.info("shown to the user: %s", error.message)
        box = QMessageBox(QMessageBox.Icon.Warning, "考点助手", error.message, parent=parent)
        if isinstance(error, InputError) and error.problems and single_message(error) is error:
            box.setInformativeText("\n".join(problem_lines(error)))
        box.exec()
        return
    show_crash(parent, error)


def show_crash(parent: QWidget | None, error: BaseException) -> None:
    """Log ``error`` with its traceback and show the crash dialog with the log's path."""
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    path = log_file()
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("考点助手 — 程序错误")
    box.setText("程序出现了内部错误，这不是您的操作造成的。")
    box.setInformativeText(
        f"已保存的数据不受影响。详细信息已写入日志文件：\n{path}\n\n"
        "请把这个文件发给技术支持，并说明出错前做了什么。"
    )
    box.setDetailedText("".join(traceback.format_exception(error)))
    open_folder = box.addButton("打开日志文件夹", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def install_excepthook(presenter: ErrorPresenter = show_error) -> None:
    """Route uncaught exceptions (in slots and event handlers) to ``presenter``."""
    showing = False

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        app = QApplication.instance()
        off_gui_thread = app is None or QThread.currentThread() is not app.thread()
        if issubclass(kind, KeyboardInterrupt) or showing or off_gui_thread:
            # A dialog may only open on the GUI thread (and not inside another one).
            log.error("uncaught error", exc_info=(kind, error, tb))
            sys.__excepthook__(kind, error, tb)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        showing = True  # an error inside the dialog must not open another one
        try:
            presenter(QApplication.activeWindow(), error)
        except Exception:
            log.exception("the error dialog failed")
            sys.__excepthook__(kind, error, tb)
        finally:
            showing = False

    sys.excepthook = hook


def single_message(error: BaseException) -> BaseException:
    """An ``InputError`` whose one problem says what its message says: the message alone
    (``show_error`` does not show the same sentence twice)."""
    if (
        isinstance(error, InputError)
        and len(error.problems) == 1
        and render(error.problems[0]) == error.message
    ):
        return ExamsiteError(error.code, **error.params)
    return error
