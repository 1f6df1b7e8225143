"""Alembic environment: the engine comes from ``examsite.storage.migrate``."""

from alembic import context
from sqlalchemy import Connection, create_engine, text

from examsite.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _foreign_keys(connection, on=False)
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things: batch mode copies the table instead.
                render_as_batch=True,
            )
            if sqlite:
                # Python's sqlite3 runs DDL outside a transaction unless one is open: open
                # it here, so a migration that fails (a full disk, a pulled stick) leaves
                # the schema as it was. IMMEDIATE also makes a second program opening the
                # same new file wait, then find the schema current.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_foreign_keys(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                _foreign_keys(connection, on=True)


def _foreign_keys(connection: Connection, *, on: bool) -> None:
    """Batch mode copies a table, drops the old one and renames the copy; with foreign
    keys on, SQLite's DROP TABLE would first delete the rows, and ON DELETE CASCADE would
    take the rows of other tables with them. The pragma only works outside a transaction."""
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    """With the checks off, the migrations must leave no dangling reference."""
    broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        raise RuntimeError(f"migration left broken foreign keys: {broken[:10]}")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
