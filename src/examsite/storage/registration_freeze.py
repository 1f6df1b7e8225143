"""The registration freeze in the database (issue 13): after a plan's registration
deadline, no statement adds, changes or removes its registrations, whatever path it comes
from (``services.registration.ensure_registration_open`` refuses first in the services;
the triggers here are the rule's last line).

Refused once ``exam_plan.registration_end`` has passed:

- INSERT and DELETE of ``registration`` rows, and UPDATE of the columns that define a
  registration (``FROZEN_COLUMNS``) to another value (the old and the new plan are both
  checked: moving a registration out of a frozen plan changes it too);
- INSERT and DELETE of ``registration_subject`` rows, and UPDATE of their
  ``registration_id`` / ``subject_id``;
- on PostgreSQL, TRUNCATE of either table while a frozen plan has registrations.

What the later steps write stays writable: the ticket number and ``ticket_official``
(arrangement, the platform's arrangement import, the transfer merge), ``source``,
``updated_at``, and ``registration_subject.status``.

"Now" is the program's business clock (``examsite.clock.now()``, fixed in tests), not the
database's: on SQLite the connection hook of ``storage.db`` registers ``examsite_now()``
(the clock as text) on every connection; a sqlite3 shell without that function cannot
add, remove or redefine a registration at all, only change what stays writable. On
PostgreSQL every unit of work sets ``examsite.now`` for its transaction
(``set_moment``); a session without it (psql) uses the server's ``localtimestamp``.

The refusal surfaces as the service's own message, ``registration.closed`` with the plan
and its deadline (``refusal``, mapped for every statement by ``storage.db``): PostgreSQL
names them in the error's DETAIL and HINT; SQLite's RAISE takes only a constant text, so
the trigger first hands the plan's name and deadline to ``examsite_frozen_plan()``, which
keeps them for the thread that runs the statement. The bulk writers (``storage.bulk``),
which use the driver's cursor past SQLAlchemy, map it with ``refused_as_closed``.

``db copy`` into a fresh database inserts every registration, frozen ones too: it runs
``suspended`` inside its own transaction (the triggers dropped and made again on SQLite,
disabled and enabled on PostgreSQL; DDL is transactional on both), so no other session
ever sees the database without them, and there is no marker a raw session could set.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any, Final

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from examsite import clock
from examsite.errors import InputError

#: What the triggers say (the error's message on both engines).
FROZEN: Final = "registration is frozen"
#: The registration's columns the freeze keeps (the others stay writable).
FROZEN_COLUMNS: Final = (
    "candidate_id",
    "plan_id",
    "certificate_id",
    "site_id",
    "fee",
    "kind",
    "home_school",
)
#: The PostgreSQL setting that carries the program's clock into the transaction.
MOMENT_SETTING: Final = "examsite.now"

# --- SQLite -------------------------------------------------------------------------------

_SQLITE_FROZEN_PLAN = (
    "SELECT RAISE(ABORT, '{frozen}') FROM exam_plan AS p WHERE p.id IN ({plans}) "
    "AND examsite_now() > p.registration_end "
    "AND examsite_frozen_plan(p.name, p.registration_end)"
)
_SQLITE_FROZEN_REGISTRATION = (
    "SELECT RAISE(ABORT, '{frozen}') FROM registration AS r "
    "JOIN exam_plan AS p ON p.id = r.plan_id WHERE r.id IN ({registrations}) "
    "AND examsite_now() > p.registration_end "
    "AND examsite_frozen_plan(p.name, p.registration_end)"
)


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _sqlite_trigger(name: str, event: str, table: str, when: str, body: str) -> str:
    condition = f" WHEN {when}" if when else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW{condition} BEGIN {body}; END"
    )


_SUBJECT_COLUMNS: Final = ("registration_id", "subject_id")
SQLITE_TRIGGERS: Final = (
    _sqlite_trigger(
        "registration_freeze_insert",
        "INSERT",
        "registration",
        "",
        _SQLITE_FROZEN_PLAN.format(frozen=FROZEN, plans="NEW.plan_id"),
    ),
    _sqlite_trigger(
        "registration_freeze_update",
        f"UPDATE OF {', '.join(FROZEN_COLUMNS)}",
        "registration",
        _changed(FROZEN_COLUMNS),
        _SQLITE_FROZEN_PLAN.format(frozen=FROZEN, plans="OLD.plan_id, NEW.plan_id"),
    ),
    _sqlite_trigger(
        "registration_freeze_delete",
        "DELETE",
        "registration",
        "",
        _SQLITE_FROZEN_PLAN.format(frozen=FROZEN, plans="OLD.plan_id"),
    ),
    _sqlite_trigger(
        "registration_subject_freeze_insert",
        "INSERT",
        "registration_subject",
        "",
        _SQLITE_FROZEN_REGISTRATION.format(frozen=FROZEN, registrations="NEW.registration_id"),
    ),
    _sqlite_trigger(
        "registration_subject_freeze_update",
        f"UPDATE OF {', '.join(_SUBJECT_COLUMNS)}",
        "registration_subject",
        _changed(_SUBJECT_COLUMNS),
        _SQLITE_FROZEN_REGISTRATION.format(
            frozen=FROZEN, registrations="OLD.registration_id, NEW.registration_id"
        ),
    ),
    _sqlite_trigger(
        "registration_subject_freeze_delete",
        "DELETE",
        "registration_subject",
        "",
        _SQLITE_FROZEN_REGISTRATION.format(frozen=FROZEN, registrations="OLD.registration_id"),
    ),
)
SQLITE_TRIGGER_NAMES: Final = tuple(s.split()[2] for s in SQLITE_TRIGGERS)
SQLITE_DROP_TRIGGERS: Final = tuple(f"DROP TRIGGER IF EXISTS {n}" for n in SQLITE_TRIGGER_NAMES)

_note = threading.local()


def _frozen_plan(name: str, end: str) -> int:
    """``examsite_frozen_plan``: keeps the plan a trigger is about to refuse for."""
    _note.plan = (name, end)
    return 1


def _sqlite_now() -> str:
    """``examsite_now``: the clock as SQLAlchemy stores a DateTime on SQLite, so that the
    triggers compare text with text (``julianday()`` on both sides cost a third more on a
    10,000-row registration)."""
    return f"{clock.now():%Y-%m-%d %H:%M:%S.%f}"


def add_sqlite_functions(dbapi_connection: Any) -> None:
    """``examsite_now()`` and ``examsite_frozen_plan()`` on a new SQLite connection."""
    dbapi_connection.create_function("examsite_now", 0, _sqlite_now)
    dbapi_connection.create_function("examsite_frozen_plan", 2, _frozen_plan)


# --- PostgreSQL ---------------------------------------------------------------------------

_PG_MOMENT = (
    f"coalesce(nullif(current_setting('{MOMENT_SETTING}', true), '')::timestamp, localtimestamp)"
)
_PG_RAISE = (
    f"IF FOUND THEN RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'raise_exception', "
    "DETAIL = frozen.name, HINT = to_char(frozen.registration_end, 'YYYY-MM-DD HH24:MI'); "
    "END IF;"
)
_PG_REGISTRATION_FUNCTION = (
    "CREATE OR REPLACE FUNCTION registration_freeze() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ DECLARE plans integer[]; frozen record; BEGIN "
    "IF TG_OP = 'INSERT' THEN plans := ARRAY[NEW.plan_id]; "
    "ELSIF TG_OP = 'DELETE' THEN plans := ARRAY[OLD.plan_id]; "
    f"ELSIF ({_changed(FROZEN_COLUMNS).replace(' IS NOT ', ' IS DISTINCT FROM ')}) "
    "THEN plans := ARRAY[OLD.plan_id, NEW.plan_id]; "
    "ELSE RETURN NEW; END IF; "
    "SELECT p.name, p.registration_end INTO frozen FROM exam_plan AS p "
    f"WHERE p.id = ANY(plans) AND p.registration_end < {_PG_MOMENT} "
    "ORDER BY p.registration_end LIMIT 1; "
    f"{_PG_RAISE} "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
)
_PG_SUBJECT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION registration_subject_freeze() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ DECLARE ids integer[]; frozen record; BEGIN "
    "IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW.registration_id]; "
    "ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD.registration_id]; "
    f"ELSIF ({_changed(_SUBJECT_COLUMNS).replace(' IS NOT ', ' IS DISTINCT FROM ')}) "
    "THEN ids := ARRAY[OLD.registration_id, NEW.registration_id]; "
    "ELSE RETURN NEW; END IF; "
    "SELECT p.name, p.registration_end INTO frozen FROM registration AS r "
    "JOIN exam_plan AS p ON p.id = r.plan_id "
    f"WHERE r.id = ANY(ids) AND p.registration_end < {_PG_MOMENT} "
    "ORDER BY p.registration_end LIMIT 1; "
    f"{_PG_RAISE} "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
)
_PG_TRUNCATE_FUNCTION = (
    "CREATE OR REPLACE FUNCTION registration_freeze_truncate() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ DECLARE frozen record; BEGIN "
    "SELECT p.name, p.registration_end INTO frozen FROM exam_plan AS p "
    f"WHERE p.registration_end < {_PG_MOMENT} "
    "AND EXISTS (SELECT 1 FROM registration AS r WHERE r.plan_id = p.id) "
    "ORDER BY p.registration_end LIMIT 1; "
    f"{_PG_RAISE} RETURN NULL; END $$"
)
#: (trigger, table) of the PostgreSQL triggers.
POSTGRESQL_TRIGGER_NAMES: Final = (
    ("registration_freeze", "registration"),
    ("registration_freeze_truncate", "registration"),
    ("registration_subject_freeze", "registration_subject"),
    ("registration_subject_freeze_truncate", "registration_subject"),
)
POSTGRESQL_TRIGGERS: Final = (
    _PG_REGISTRATION_FUNCTION,
    _PG_SUBJECT_FUNCTION,
    _PG_TRUNCATE_FUNCTION,
    "CREATE TRIGGER registration_freeze BEFORE INSERT OR DELETE OR UPDATE OF "
    f"{', '.join(FROZEN_COLUMNS)} ON registration "
    "FOR EACH ROW EXECUTE FUNCTION registration_freeze()",
    "CREATE TRIGGER registration_freeze_truncate BEFORE TRUNCATE ON registration "
    "FOR EACH STATEMENT EXECUTE FUNCTION registration_freeze_truncate()",
    "CREATE TRIGGER registration_subject_freeze BEFORE INSERT OR DELETE OR UPDATE OF "
    f"{', '.join(_SUBJECT_COLUMNS)} ON registration_subject "
    "FOR EACH ROW EXECUTE FUNCTION registration_subject_freeze()",
    "CREATE TRIGGER registration_subject_freeze_truncate BEFORE TRUNCATE ON registration_subject "
    "FOR EACH STATEMENT EXECUTE FUNCTION registration_freeze_truncate()",
)
POSTGRESQL_DROP_TRIGGERS: Final = (
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in POSTGRESQL_TRIGGER_NAMES),
    "DROP FUNCTION IF EXISTS registration_freeze_truncate()",
    "DROP FUNCTION IF EXISTS registration_subject_freeze()",
    "DROP FUNCTION IF EXISTS registration_freeze()",
)


def set_moment(session: Session) -> None:
    """Tell this transaction's triggers the program's ``clock.now()`` (PostgreSQL; the
    setting ends with the transaction)."""
    session.execute(
        text("SELECT set_config(:name, :moment, true)"),
        {"name": MOMENT_SETTING, "moment": clock.now().isoformat(sep=" ")},
    )


# --- the refusal --------------------------------------------------------------------------


def refusal(orig: BaseException | None) -> InputError | None:
    """The service's ``registration.closed`` for a driver error raised by the triggers
    (None for any other error)."""
    if orig is None or FROZEN not in str(orig):
        return None
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: the plan in DETAIL, its deadline in HINT
        name, end = diag.message_detail or "", diag.message_hint or ""
    else:
        name, end = getattr(_note, "plan", ("", ""))
        _note.plan = ("", "")
        with contextlib.suppress(ValueError):
            end = f"{dt.datetime.fromisoformat(str(end)):%Y-%m-%d %H:%M}"
    return InputError("registration.closed", plan=name, end=end)


@contextlib.contextmanager
def refused_as_closed() -> Iterator[None]:
    """For driver calls made past SQLAlchemy's execute (the bulk writers' own cursors),
    whose errors ``storage.db`` does not see: the refusal as ``registration.closed`` too."""
    try:
        yield
    except Exception as exc:
        error = refusal(exc)
        if error is None:
            raise
        raise error from exc


# --- db copy ------------------------------------------------------------------------------


@contextlib.contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """The triggers off for the block, within ``connection``'s transaction (``db copy``
    into a fresh database); back on before the transaction can commit. An error in the
    block leaves them as they were (the transaction is rolled back)."""
    postgresql = connection.dialect.name == "postgresql"
    switch = [
        (
            f"ALTER TABLE {table} DISABLE TRIGGER {name}",
            f"ALTER TABLE {table} ENABLE TRIGGER {name}",
        )
        for name, table in POSTGRESQL_TRIGGER_NAMES
    ]
    off, on = (
        ([d for d, _e in switch], [e for _d, e in switch])
        if postgresql
        else (SQLITE_DROP_TRIGGERS, SQLITE_TRIGGERS)
    )
    # The driver's own cursor: plain statements even where the copy's reading left the
    # connection streaming through server-side cursors.
    cursor = connection.connection.cursor()
    try:
        for statement in off:
            cursor.execute(statement)
        yield
        for statement in on:
            cursor.execute(statement)
    finally:
        cursor.close()
