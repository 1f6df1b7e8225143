"""Alembic, run from code: the scripts ship inside the package (and the frozen build).

Opening a database whose schema is current costs one query: Alembic (and Mako) are
imported only when the schema is behind (``HEAD_REVISION``).
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from examsite.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision of ``migrations/versions`` and every revision this program knows
#: (a test checks both against the scripts).
HEAD_REVISION = "0009"
KNOWN_REVISIONS = frozenset(
    {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009"}
)

_VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    location = resources.files("examsite.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema's revision, None for a database without ExamSite's tables."""
    if _VERSION_TABLE not in inspect(engine).get_table_names():
        return None
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalar()


def upgrade_to_head(engine: Engine, *, where: str = "") -> None:
    """Bring the schema to the newest revision.

    Refuses (``StorageError``, nothing changed) a database made by a newer program and
    another program's database (tables, but none of ours).
    """
    tables = inspect(engine).get_table_names()
    if _VERSION_TABLE not in tables:
        if tables:
            raise StorageError("storage.foreign_database", path=where or str(engine.url))
        current = None
    else:
        current = current_revision(engine)
    if current == HEAD_REVISION:
        return
    if current is not None and current not in KNOWN_REVISIONS:
        raise StorageError("storage.newer_schema")
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)
