"""The entry point's pieces: arguments, style, font, the error dialogs and the hook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QLibraryInfo, QSize, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontInfo, QRawFont
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from examsite.domain.problems import error
from examsite.errors import ExamsiteError, InputError
from examsite.paths import data_dir, default_db_path, log_file
from examsite.resources import UI_FONT_FAMILY
from examsite.ui import errors as ui_errors
from examsite.ui.app import (
    UI_FONTS,
    build_parser,
    create_application,
    database_path,
    load_ui_font,
    style_sheet,
    ui_font,
)
from examsite.ui.translations import QT_TRANSLATIONS


def test_arguments_choose_the_database():
    parser = build_parser()
    assert database_path(parser.parse_args([])) == default_db_path()
    assert database_path(parser.parse_args(["--db", "考点.db"])) == "考点.db"
    assert database_path(parser.parse_args(["--demo"])) == data_dir() / "demo.db"
    assert parser.parse_args(["--debug"]).debug


def test_db_and_demo_exclude_each_other(capsys):
    parser = build_parser()
    try:
        parser.parse_args(["--db", "a.db", "--demo"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "不能与参数 --db 同时使用" in capsys.readouterr().err


def test_python_dash_m_runs_the_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "examsite.ui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("examsite ")


def test_qt_translations_ship_with_pyside6():
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    assert (folder / f"{QT_TRANSLATIONS}.qm").is_file()


def test_qt_own_dialogs_speak_chinese(styled_app: QApplication):
    translators = styled_app.findChildren(QTranslator)
    assert len(translators) == 2  # Qt's catalogue, and the texts it lacks
    create_application([])  # installed once, however often the app is set up
    assert len(styled_app.findChildren(QTranslator)) == 2
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    assert [b.text() for b in box.buttons()] == ["确定", "取消"]
    dialog = QFileDialog(None, "打开")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.labelText(QFileDialog.DialogLabel.LookIn) == "查找范围(&L)："
    assert dialog.labelText(QFileDialog.DialogLabel.FileType) == "文件类型(&T)："
    assert QCoreApplication.translate("QWidget", "no such text") == "no such text"
    dialog.deleteLater()


def test_the_application_is_set_up(styled_app: QApplication):
    assert styled_app.applicationName() == "ExamSite"
    assert styled_app.applicationDisplayName() == "考点助手"
    assert styled_app.styleSheet() == style_sheet()
    assert "#1f6feb" in style_sheet()
    families = styled_app.font().families()
    assert families[: 1 + len(UI_FONTS)] == [UI_FONT_FAMILY, *UI_FONTS]
    assert ui_font(styled_app.font()).pointSizeF() >= 10


def test_the_bundled_font_is_the_ui_font(styled_app: QApplication):
    assert QFontInfo(styled_app.font()).family() == UI_FONT_FAMILY
    raw = QRawFont.fromFont(styled_app.font())
    assert raw.familyName() == UI_FONT_FAMILY
    assert all(raw.supportsCharacter(ord(c)) for c in "考点助手准考证0123456789")


def test_the_font_is_registered_once(styled_app: QApplication):
    before = load_ui_font(styled_app)
    assert create_application([]) is styled_app
    assert load_ui_font(styled_app) == before == UI_FONT_FAMILY


def test_without_the_bundled_font_the_platform_chain_remains():
    families = ui_font(QFont("Arial"), None).families()
    assert families == [*UI_FONTS, "Arial"]


def test_the_window_icon_has_every_size(styled_app: QApplication):
    sizes = styled_app.windowIcon().availableSizes()
    assert {QSize(n, n) for n in (16, 32, 48, 256)} <= set(sizes)


def _show_and_capture(exc: BaseException) -> tuple[str, str, str]:
    """Show the dialog for ``exc``, read it and close it."""
    texts: list[tuple[str, str, str]] = []

    def capture() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            texts.append((box.text(), box.informativeText(), box.icon().name))
            box.done(0)
        else:
            QTimer.singleShot(20, capture)

    QTimer.singleShot(0, capture)
    ui_errors.show_error(None, exc)
    assert texts, "no dialog was shown"
    return texts[0]


def test_a_user_error_is_a_plain_warning():
    text, informative, icon = _show_and_capture(ExamsiteError("storage.locked"))
    assert text.startswith("数据库正被另一个考点助手")
    assert informative == ""
    assert icon == "Warning"


def test_refused_input_lists_its_problems():
    refused = InputError(
        "candidate.form_invalid",
        problems=[error("status.candidates_incomplete", row=3, column="证件号码", count=1)],
    )
    text, informative, _icon = _show_and_capture(refused)
    assert text.startswith("考生信息有误")
    assert informative.startswith("第 3 行 证件号码：")


def test_a_refusal_whose_one_problem_is_its_message_says_it_once():
    refused = InputError.of(error("candidate.name_missing"))
    text, informative, icon = _show_and_capture(refused)
    assert text.startswith("学生姓名为空")
    assert informative == ""
    assert icon == "Warning"


def test_a_bug_shows_the_crash_dialog_with_the_log_path():
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        bug = exc
    text, informative, icon = _show_and_capture(bug)
    assert icon == "Critical"
    assert "内部错误" in text
    assert str(log_file()) in informative


def test_the_excepthook_routes_uncaught_errors(monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    ui_errors.install_excepthook(lambda parent, exc: shown.append(exc))
    bug = ValueError("oops")
    sys.excepthook(ValueError, bug, None)
    assert shown == [bug]


def test_main_shows_the_window_and_opens_the_database(tmp_path, monkeypatch):
    from examsite.ui.app import main
    from examsite.ui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    titles: list[str] = []
    loop = QEventLoop()

    def stop_when_open() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        opened = [w for w in windows if w.isVisible() and w.db is not None]
        if not opened:
            QTimer.singleShot(50, stop_when_open)
            return
        window = opened[0]
        titles.append(window.windowTitle())
        window.close()
        window.deleteLater()
        loop.quit()

    def run_until_open(_app: QApplication) -> int:
        # Not the real exec(): QApplication.quit() would end every later event loop too.
        QTimer.singleShot(50, stop_when_open)
        QTimer.singleShot(20_000, loop.quit)  # never hang the test run
        loop.exec()
        return 0

    monkeypatch.setattr(QApplication, "exec", run_until_open)
    assert main(["--db", str(tmp_path / "main.db")]) == 0
    assert titles == ["main.db"]
    assert (tmp_path / "main.db").exists()
