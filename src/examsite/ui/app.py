"""``examsite``: start the window (the GUI entry point; also ``python -m examsite.ui``).

Only Qt and the window's own modules load before the window paints; the database and the
pages' libraries follow on the worker (tests/gui/test_startup.py keeps it so).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QCursor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QImageReader,
)
from PySide6.QtWidgets import QApplication, QWidget

from examsite import APP_AUTHOR, APP_NAME, __version__
from examsite.domain.workflow import Step
from examsite.logs import setup_logging
from examsite.messages import argparse_zh
from examsite.paths import default_db_path, demo_db_path
from examsite.resources import APP_ICON, APP_ICON_PNG, UI_FONT, UI_FONT_FAMILY, resource_path
from examsite.ui.translations import install_qt_translations

if TYPE_CHECKING:
    from examsite.services.server_settings import ServerSettings
    from examsite.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# After the bundled font, for the rare character it lacks: Windows, macOS, Linux.
UI_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)
UI_FONT_POINTS = 10.0
# Set (to anything) for benchmarks/bench_startup.py: print when the window first paints, quit.
# "stay": do not quit once the status shows, but when another start brings the window forward.
FIRST_PAINT_ENV = "EXAMSITE_FIRST_PAINT"
_FONT_PROPERTY = "examsiteUiFont"  # on the QApplication: the bundled font is registered


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    parser = argparse.ArgumentParser(
        prog="examsite", description="考点助手（ExamSite）：1+X 考核站点的离线工作助手。"
    )
    parser.add_argument(
        "--version", action="version", version=f"examsite {__version__}", help="显示程序版本并退出"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--db", metavar="PATH", help="数据库文件路径（默认在用户数据目录）")
    which.add_argument("--demo", action="store_true", help="打开演示考点（首次使用时自动创建）")
    parser.add_argument("--debug", action="store_true", help="输出调试日志")
    parser.add_argument(
        "--user", metavar="NAME", help="登录窗口预先填好的用户名（也可用环境变量 EXAMSITE_USER）"
    )
    parser.add_argument(
        "--page",
        choices=[step.value for step in Step],
        metavar="STEP",
        help="打开后先显示这一步的页面（如 rooms）",
    )
    return parser


def database_path(args: argparse.Namespace) -> str | Path | ServerSettings:
    """``--demo``, ``--db``, the school server when it is in use, else the default file."""
    if args.demo:
        return demo_db_path()
    if args.db:
        return args.db
    from examsite.errors import ExamsiteError
    from examsite.services.server_settings import server_in_use

    try:
        return server_in_use() or default_db_path()
    except ExamsiteError as exc:  # a damaged settings file: the local database, and why
        log.warning("%s", exc.message)
        return default_db_path()


def style_sheet() -> str:
    return (resources.files("examsite.ui") / "style.qss").read_text("utf-8")


def load_ui_font(app: QApplication) -> str | None:
    """Register the bundled font once per application; its family (None if Qt refused it).

    The window's layout then looks the same on every PC, whatever fonts it has.
    """
    registered = app.property(_FONT_PROPERTY)
    if isinstance(registered, str):
        return registered or None
    font_id = QFontDatabase.addApplicationFont(str(resource_path(UI_FONT)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    family = UI_FONT_FAMILY if UI_FONT_FAMILY in families else None
    if family is None:
        log.warning("the bundled font %s could not be loaded (%s)", UI_FONT, families)
    app.setProperty(_FONT_PROPERTY, family or "")
    return family


def ui_font(base: QFont, bundled: str | None = UI_FONT_FAMILY) -> QFont:
    """The bundled font first, then the platforms' Chinese fonts, then ``base``'s family."""
    font = QFont(base)
    first = [bundled] if bundled else []
    font.setFamilies([*first, *UI_FONTS, base.family()])
    font.setPointSizeF(max(base.pointSizeF(), UI_FONT_POINTS))
    return font


def app_icon() -> QIcon:
    """The window icon: every size from the .ico where Qt reads it, else the large PNG."""
    readable = b"ico" in {bytes(f.data()) for f in QImageReader.supportedImageFormats()}
    return QIcon(str(resource_path(APP_ICON if readable else APP_ICON_PNG)))


def create_application(qt_args: Sequence[str]) -> QApplication:
    """The QApplication with our name, font and style (reused when one exists)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt 6 is DPI-aware; pass fractional scales (150 %) through instead of rounding.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication([sys.argv[0] if sys.argv else "examsite", *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationDisplayName("考点助手")
    app.setApplicationVersion(__version__)
    install_qt_translations(app)
    app.setStyle("Fusion")  # the same look on every PC; the style sheet does the rest
    app.setFont(ui_font(app.font(), load_ui_font(app)))
    app.setWindowIcon(app_icon())
    app.setStyleSheet(style_sheet())
    return app


class StartupProbe(QObject):
    """For the startup benchmark only (``EXAMSITE_FIRST_PAINT``): prints two moments, then
    closes the window.

    ``first-paint T`` once the window has painted (the database still opening) and
    ``status-shown T`` once the opened database's status is on screen. ``T`` is
    ``time.perf_counter()``, the system's monotonic clock, which the benchmark compares
    with its own. With ``stay`` it closes only when another start brought the window
    forward, after ``brought-forward T``.
    """

    def __init__(self, app: QApplication, window: MainWindow, *, stay: bool = False) -> None:
        super().__init__(window)
        self._app = app
        self._window = window
        self._finished = False
        self._reported: set[str] = set()
        self._stay = stay
        window.database_opened.connect(self._on_window_database_opened)
        window.brought_forward.connect(self._on_window_brought_forward)
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, lambda: self._report("first-paint"))  # after the paint
        return False

    def _on_window_database_opened(self, _db: object) -> None:
        context = self._window.context
        if context is not None:
            context.status.refreshed.connect(self._on_status_refreshed)

    def _on_status_refreshed(self, _view: object) -> None:
        QTimer.singleShot(0, lambda: self._report("status-shown", finish=not self._stay))

    def _on_window_brought_forward(self) -> None:
        QTimer.singleShot(0, lambda: self._report("brought-forward", finish=True))

    def _report(self, moment: str, *, finish: bool = False) -> None:
        # Each moment once: the status refreshes again after every change.
        if self._finished or moment in self._reported:
            return
        self._reported.add(moment)
        print(f"{moment} {time.perf_counter():.6f}", flush=True)
        if finish:
            self._finished = True
            self._window.close()
            QApplication.quit()


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = build_parser().parse_known_args(argv)
    setup_logging(debug=args.debug, console=args.debug)
    log.info("examsite %s starting", __version__)

    from examsite.ui.errors import install_excepthook
    from examsite.ui.main_window import MainWindow
    from examsite.ui.single_instance import Answer, InstanceServer

    app = create_application(qt_args)
    path = database_path(args)
    instance = InstanceServer()
    if instance.claim(getattr(path, "label", path)) is not Answer.NONE:
        log.info("%s is open in another window: brought it forward", path)
        return 0
    install_excepthook()
    window = MainWindow(instance=instance)
    window.accounts.prefill_name = args.user or os.environ.get("EXAMSITE_USER", "")
    window.offer_first_account = True  # a real site's first run: the director's account
    screen = QGuiApplication.screenAt(QCursor.pos()) or app.primaryScreen()
    maximized = window.fit_to_screen(screen.availableGeometry())
    if probe := os.environ.get(FIRST_PAINT_ENV):
        StartupProbe(app, window, stay=probe == "stay")
    if maximized:
        window.showMaximized()
    else:
        window.show()
    # The window appears first; the database opens (and the demo fills) on the worker.
    if args.page:  # once the database is open (a page needs it)
        first_page = Step(args.page)
        window.database_opened.connect(lambda _db: window.show_step(first_page))
    window.open_database(path, demo=args.demo)
    code = app.exec()
    log.info("examsite exiting with %d", code)
    return code
