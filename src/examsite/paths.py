"""Where the program keeps its files: the user's data folder, the default database, logs.

Kept apart from ``storage`` so that logging and the CLI's ``--help`` need no database
library.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from examsite import APP_AUTHOR, APP_NAME

DB_FILE_NAME = "examsite.db"
DEMO_DB_NAME = "demo.db"


def data_dir() -> Path:
    """The user's data folder (on Windows ``%LOCALAPPDATA%\\ExamSite\\ExamSite``)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def demo_db_path() -> Path:
    return data_dir() / DEMO_DB_NAME


def log_file() -> Path:
    return data_dir() / "logs" / "examsite.log"
