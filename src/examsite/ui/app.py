"""``examsite``: start the window (the GUI entry point; also ``python -m examsite.ui``)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from examsite import APP_AUTHOR, APP_NAME, __version__
from examsite.logs import setup_logging
from examsite.paths import default_db_path, demo_db_path

log = logging.getLogger(__name__)

# Windows, macOS, Linux: the first one present wins for Chinese text.
UI_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
)
UI_FONT_POINTS = 10.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="examsite", description="考点助手（ExamSite）：1+X 考核站点的离线工作助手。"
    )
    parser.add_argument("--version", action="version", version=f"examsite {__version__}")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--db", metavar="PATH", help="数据库文件路径（默认在用户数据目录）")
    which.add_argument("--demo", action="store_true", help="打开演示考点（首次使用时自动创建）")
    parser.add_argument("--debug", action="store_true", help="输出调试日志")
    return parser


def database_path(args: argparse.Namespace) -> str | Path:
    if args.demo:
        return demo_db_path()
    return args.db if args.db else default_db_path()


def style_sheet() -> str:
    return (resources.files("examsite.ui") / "style.qss").read_text("utf-8")


def ui_font(base: QFont) -> QFont:
    """The platform's font with a Chinese fallback chain in front of it."""
    font = QFont(base)
    font.setFamilies([*UI_FONTS, base.family()])
    font.setPointSizeF(max(base.pointSizeF(), UI_FONT_POINTS))
    return font


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
    app.setStyle("Fusion")  # the same look on every PC; the style sheet does the rest
    app.setFont(ui_font(app.font()))
    app.setStyleSheet(style_sheet())
    return app


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = build_parser().parse_known_args(argv)
    setup_logging(debug=args.debug, console=args.debug)
    log.info("examsite %s starting", __version__)

    from examsite.ui.errors import install_excepthook
    from examsite.ui.main_window import MainWindow

    app = create_application(qt_args)
    install_excepthook()
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    # The window appears first; the database opens (and the demo fills) on the worker.
    window.open_database(database_path(args), demo=args.demo)
    code = app.exec()
    log.info("examsite exiting with %d", code)
    return code
