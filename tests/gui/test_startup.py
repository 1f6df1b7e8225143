"""The window starts fast and looks the same everywhere: each check in a fresh interpreter.

- importing the window's modules loads no database, spreadsheet, image or pinyin library
  (they follow on the worker, after the first paint);
- on a machine with no Chinese font at all, the UI font is still the bundled one;
- ``examsite`` paints, opens the database and shows its status (the benchmark's probe).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from examsite.resources import UI_FONT_FAMILY

# Loaded only once the database opens (or a page that needs them is shown).
HEAVY = ("sqlalchemy", "alembic", "openpyxl", "PIL", "pypinyin", "python_calamine", "sqlite3")


def run_python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),  # logs of the started window stay here
        "LOCALAPPDATA": str(tmp_path / "data"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )


def test_the_window_modules_load_no_heavy_library(tmp_path):
    code = (
        "import json, sys\n"
        "import examsite.ui.app, examsite.ui.main_window\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig decides")
def test_on_a_machine_without_chinese_fonts_the_bundled_one_is_used(tmp_path):
    """fontconfig sees an empty font folder: the system's CJK fonts are gone."""
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=tmp_path / "fonts", cache=tmp_path / "cache"))
    code = (
        "import json\n"
        "from PySide6.QtGui import QFontDatabase, QFontInfo, QRawFont\n"
        "from examsite.ui.app import create_application\n"
        "app = create_application([])\n"
        "raw = QRawFont.fromFont(app.font())\n"
        "print(json.dumps([QFontInfo(app.font()).family(), raw.supportsCharacter(ord('考')),"
        " QFontDatabase.families()]))\n"
    )
    done = run_python(code, tmp_path, FONTCONFIG_FILE=str(conf))
    assert done.returncode == 0, done.stderr
    family, has_kao, families = json.loads(done.stdout)
    assert family == UI_FONT_FAMILY
    assert has_kao
    assert set(families) <= {
        "Monospace",
        "Sans Serif",
        "Serif",
        UI_FONT_FAMILY,
        "WenQuanYi Micro Hei Mono",
    }


def test_the_window_paints_then_shows_the_database(tmp_path):
    code = "import sys; from examsite.ui.app import main; sys.exit(main(sys.argv[1:]))"
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "LOCALAPPDATA": str(tmp_path / "data"),
        "EXAMSITE_FIRST_PAINT": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(tmp_path / "start.db")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    moments = dict(line.split() for line in done.stdout.splitlines())
    assert list(moments) == ["first-paint", "status-shown"]
    assert float(moments["first-paint"]) < float(moments["status-shown"])
    assert (tmp_path / "start.db").exists()
