"""The school server's connection settings: host, port, database, user and TLS in a small
JSON file in the user's data folder; the password in the operating system's credential
store (``keyring``: the Windows Credential Manager), never in a file, a log or a message.

No Qt and no SQLAlchemy here: the window reads the settings before it paints. ``keyring``
and ``psycopg`` are imported where they are used.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from examsite.errors import ExamsiteError, InputError
from examsite.formats.atomic import atomic_path
from examsite.messages import text
from examsite.paths import data_dir, default_db_path

log = logging.getLogger(__name__)

#: The credential store's service name for the school server's password.
KEYRING_SERVICE: Final = "ExamSite 学校服务器"
SETTINGS_FILE_NAME: Final = "server.json"
DEFAULT_PORT: Final = 5432
#: libpq's ``sslmode`` values offered: TLS when the server offers it, always, never.
TLS_MODES: Final = ("prefer", "require", "disable")
TLS_TITLES: Final[Mapping[str, str]] = {
    "prefer": "服务器支持时加密",
    "require": "必须加密",
    "disable": "不加密",
}
#: How long a connection attempt may take (seconds): the test, and the work connections.
TEST_TIMEOUT_S: Final = 5
WORK_TIMEOUT_S: Final = 10
#: The oldest PostgreSQL the program supports (``server_version_num``): 12.
MIN_SERVER_VERSION: Final = 120000
_FORMAT: Final = 1


@dataclass(frozen=True, kw_only=True)
class ServerSettings:
    """Where the school server is; ``use_server``: the window and the CLI open it when no
    ``--db`` is given."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    tls: str = "prefer"
    use_server: bool = False

    @property
    def keyring_user(self) -> str:
        """The credential store's key for this server's password."""
        return f"{self.user}@{self.host}"

    @property
    def label(self) -> str:
        """``user@host:port/database`` for titles and messages (never the password)."""
        return f"{self.user}@{_host_part(self.host)}:{self.port}/{self.database}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


def settings_file() -> Path:
    return data_dir() / SETTINGS_FILE_NAME


def checked(
    *, host: str, database: str, user: str, port: int = DEFAULT_PORT, tls: str = "prefer"
) -> ServerSettings:
    """Settings from what the user typed, each field checked; ``InputError`` says which."""
    host, database, user = host.strip(), database.strip(), user.strip()
    missing = [
        name
        for name, value in (("主机", host), ("数据库", database), ("用户名", user))
        if not value
    ]
    if missing:
        raise InputError("server.field_missing", fields="、".join(missing))
    if not 0 < port < 65536:
        raise InputError("server.bad_port", port=port)
    if tls not in TLS_MODES:
        raise InputError("server.bad_tls", tls=tls, choices="、".join(TLS_MODES))
    if any(c.isspace() or c in "/@?#" for c in host):
        raise InputError("server.bad_host", host=host)
    return ServerSettings(host=host, database=database, user=user, port=port, tls=tls)


# -- the file and the credential store ----------------------------------------------------


def load(path: Path | None = None) -> ServerSettings | None:
    """The saved settings, or None when there are none."""
    path = path or settings_file()
    try:
        raw = json.loads(path.read_text("utf-8"))
        return ServerSettings(
            host=str(raw["host"]),
            database=str(raw["database"]),
            user=str(raw["user"]),
            port=int(raw.get("port", DEFAULT_PORT)),
            tls=str(raw.get("tls", "prefer")),
            use_server=bool(raw.get("use_server", False)),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("server settings %s unreadable: %s", path, exc)
        raise ExamsiteError("server.settings_unreadable", file=path) from exc


def save(settings: ServerSettings, password: str | None = None, path: Path | None = None) -> None:
    """Write the settings (atomically); ``password``, when given, goes to the credential
    store, never into the file."""
    path = path or settings_file()
    if password is not None:
        store_password(settings, password)
    document = {"format": _FORMAT, **asdict(settings)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    log.info("server settings saved: %s (use: %s)", settings.label, settings.use_server)


def set_use(on: bool, path: Path | None = None) -> ServerSettings:
    """Turn "use the school server" on or off; on needs saved settings and a password."""
    settings = load(path)
    if settings is None:
        raise InputError("server.not_set")
    if on and stored_password(settings) is None:
        raise InputError("server.no_password", server=settings.label)
    settings = replace(settings, use_server=on)
    save(settings, path=path)
    return settings


def forget(path: Path | None = None) -> ServerSettings | None:
    """Remove the settings file and the stored password; what was removed (None: nothing)."""
    path = path or settings_file()
    settings = load(path)
    if settings is not None:
        try:
            delete_password(settings)
        except ExamsiteError:  # no credential store: no password could have been stored
            log.warning("no credential store to forget the password of %s", settings.label)
    path.unlink(missing_ok=True)
    return settings


def store_password(settings: ServerSettings, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, settings.keyring_user, password)
    except KeyringError as exc:
        raise ExamsiteError("server.no_keyring", reason=type(exc).__name__) from exc


def stored_password(settings: ServerSettings) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_user)
    except KeyringError as exc:
        raise ExamsiteError("server.no_keyring", reason=type(exc).__name__) from exc


def password_stored(settings: ServerSettings) -> bool | None:
    """Whether the store holds the password; None when there is no store to ask."""
    try:
        return stored_password(settings) is not None
    except ExamsiteError:
        return None


def delete_password(settings: ServerSettings) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, settings.keyring_user)
    except PasswordDeleteError:
        pass  # there was none
    except KeyringError as exc:
        raise ExamsiteError("server.no_keyring", reason=type(exc).__name__) from exc


# -- which database the program opens -----------------------------------------------------


def server_in_use(path: Path | None = None) -> ServerSettings | None:
    """The saved settings when "use the school server" is on (reads only the JSON file)."""
    settings = load(path)
    return settings if settings is not None and settings.use_server else None


def chosen_database(explicit: str | Path | None, path: Path | None = None) -> str | Path:
    """The one place the database to open is chosen: ``--db`` when given, else the school
    server when it is in use (its URL with the stored password), else the default file."""
    if explicit:
        return explicit
    settings = server_in_use(path)
    if settings is None:
        return default_db_path()
    return url_with_stored_password(settings)


def url_with_stored_password(settings: ServerSettings) -> str:
    password = stored_password(settings)
    if password is None:
        raise InputError("server.no_password", server=settings.label)
    return server_url(settings, password)


def server_url(settings: ServerSettings, password: str, *, timeout: int = WORK_TIMEOUT_S) -> str:
    """The SQLAlchemy URL ``postgresql+psycopg://user:password@host:port/db?sslmode=…``
    (user, password and database quoted). Holds the password: never log it, show
    ``display_url`` instead."""
    user = quote(settings.user, safe="")
    secret = quote(password, safe="")
    database = quote(settings.database, safe="")
    return (
        f"postgresql+psycopg://{user}:{secret}@{_host_part(settings.host)}:{settings.port}"
        f"/{database}?sslmode={settings.tls}&connect_timeout={timeout}"
    )


def display_url(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``: for logs, titles, messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


def server_label(url: str) -> str:
    """``user@host:port/database`` of a server URL (never its password); a file's URL as
    ``display_url`` gives it."""
    parts = urlsplit(url)
    if not parts.hostname:
        return display_url(url)
    user = unquote(parts.username or "")
    where = _host_part(parts.hostname) + (f":{parts.port}" if parts.port else "")
    return (
        f"{user}@{where}/{unquote(parts.path.lstrip('/'))}"
        if user
        else f"{where}/{unquote(parts.path.lstrip('/'))}"
    )


def _host_part(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


# -- testing a connection -----------------------------------------------------------------

Connect = Callable[..., Any]


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer of ``test_connection``: ``ok`` or the failure's ``code``, and the
    Chinese ``message`` either way."""

    ok: bool
    code: str
    message: str
    server_version: str | None = None
    tls_in_use: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def connect_arguments(settings: ServerSettings, password: str, timeout: int) -> dict[str, Any]:
    """Keyword arguments for ``psycopg.connect``."""
    return {
        "host": settings.host,
        "port": settings.port,
        "dbname": settings.database,
        "user": settings.user,
        "password": password,
        "sslmode": settings.tls,
        "connect_timeout": timeout,
        "application_name": "ExamSite",
    }


def _psycopg_connect(**kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(**kwargs)


def test_connection(
    settings: ServerSettings,
    password: str,
    *,
    connect: Connect | None = None,
    timeout: int = TEST_TIMEOUT_S,
) -> ConnectionCheck:
    """Try to connect (``timeout`` seconds at most) and say how it went, in Chinese."""
    connect = connect or _psycopg_connect
    log.info("testing the connection to %s", settings.label)
    try:
        connection = connect(**connect_arguments(settings, password, timeout))
    except Exception as exc:  # psycopg.Error and socket errors: each kind its message
        code, params = failure_kind(exc, settings)
        log.info("connection to %s failed: %s", settings.label, code)
        return ConnectionCheck(False, code, text(code, **params))
    try:
        info = connection.info
        number = int(info.server_version)
        tls = bool(getattr(info.pgconn, "ssl_in_use", False))
    finally:
        connection.close()
    version = _version_text(number)
    if number < MIN_SERVER_VERSION:
        code = "server.too_old"
        return ConnectionCheck(
            False,
            code,
            text(code, version=version, least=_version_text(MIN_SERVER_VERSION)),
            version,
            tls,
        )
    code = "server.connected"
    tls_text = "已加密" if tls else "未加密"
    return ConnectionCheck(
        True, code, text(code, server=settings.label, version=version, tls=tls_text), version, tls
    )


# (sqlstate, words in the message) → code; the first match wins. Servers may answer in
# another language (lc_messages), so the SQLSTATE is tried first where there is one.
_SQLSTATES: Final[Mapping[str, str]] = {
    "28P01": "server.wrong_password",
    "3D000": "server.database_missing",
}
_PHRASES: Final[tuple[tuple[str, str], ...]] = (
    ("server does not support ssl", "server.tls_unavailable"),
    ("ssl off", "server.tls_required"),
    ("ssl is required", "server.tls_required"),
    ("password authentication failed", "server.wrong_password"),
    ("no password supplied", "server.wrong_password"),
    ("does not exist", "server.database_missing"),  # role checked before this one
    ("no pg_hba.conf entry", "server.not_allowed"),
    ("connection refused", "server.refused"),
    ("could not translate host name", "server.unknown_host"),
    ("name or service not known", "server.unknown_host"),
    ("nodename nor servname", "server.unknown_host"),
    ("no such host", "server.unknown_host"),
    ("timeout expired", "server.unreachable"),
    ("timed out", "server.unreachable"),
    ("no route to host", "server.unreachable"),
    ("network is unreachable", "server.unreachable"),
)


def failure_kind(error: BaseException, settings: ServerSettings) -> tuple[str, dict[str, Any]]:
    """The message code and parameters for a failed connection attempt."""
    where = {"host": settings.host, "port": settings.port}
    raw = str(error)
    lowered = raw.lower()
    sqlstate = getattr(error, "sqlstate", None)
    code = _SQLSTATES.get(sqlstate or "")
    if code is None and f'role "{settings.user.lower()}" does not exist' in lowered:
        code = "server.wrong_password"
    if code is None:
        code = next((found for phrase, found in _PHRASES if phrase in lowered), None)
    if code is None:
        reason = raw.strip().splitlines()[0] if raw.strip() else type(error).__name__
        return "server.failed", {**where, "reason": reason}
    return code, {**where, "user": settings.user, "database": settings.database}


def _version_text(number: int) -> str:
    major = number // 10000
    return f"{major}.{number % 10000}" if major >= 10 else f"{major}.{number // 100 % 100}"
