"""Alembic, run from code: the scripts ship inside the package (and the frozen build)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from examsite.errors import StorageError


def alembic_config(engine: Engine) -> Config:
    config = Config()
    location = resources.files("examsite.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a file made by a newer program."""
    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    if current is not None and not _is_known(script, current):
        raise StorageError("storage.newer_schema")
    if current != script.get_current_head():
        command.upgrade(config, "head")


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for a revision it has never heard of
        return False
