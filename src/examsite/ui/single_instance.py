"""One window per database: a second start on a database that a window already has open
brings that window forward and ends, instead of opening a second writer.

The window listens on a local socket (a named pipe on Windows) whose name is derived from
its database's path (normalised, hashed with the user's name, so two users of one PC do
not meet). A start first asks there: ``ask_window(path)`` sends the path, and the window
that has it open answers ``ok`` and comes forward. No answer, or a window that has another
database by now, and the start opens its own window.

Neither platform refuses a second listener on a name (Unix replaces the socket file,
Windows adds pipe instances), so two starts in the same instant take turns through a
lock file: each asks, and listens if nobody answered, holding the lock.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import sys
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

REQUEST = b"examsite-activate\t"
OK, OTHER = b"ok\n", b"other\n"
TIMEOUT_MS = 2000
LOCK_WAIT_MS = 5000


def normalised(path: Path | str) -> str:
    """The path as the file system sees it: absolute, links resolved, case folded where the
    file system ignores case (Windows)."""
    return os.path.normcase(str(Path(path).expanduser().resolve()))


def server_name(path: Path | str) -> str:
    """The socket's name for the database at ``path``."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment
        user = ""
    digest = hashlib.sha256(f"{user}\0{normalised(path)}".encode()).hexdigest()
    return f"examsite-{digest[:32]}"


class Answer(Enum):
    NONE = "none"  # no window has the database: open one
    FORWARDED = "forwarded"  # the window that has it came forward
    OTHER = "other"  # the window listening there has another database by now
    BUSY = "busy"  # a window took the request but did not answer in time: it will


def ask_window(path: Path | str, timeout_ms: int = TIMEOUT_MS) -> Answer:
    """Ask the window that has the database at ``path`` open to come forward."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(path))
    if not socket.waitForConnected(timeout_ms):
        return Answer.NONE
    _allow_foreground()
    socket.write(REQUEST + normalised(path).encode("utf-8") + b"\n")
    socket.waitForBytesWritten(timeout_ms)
    while not socket.canReadLine():
        if not socket.waitForReadyRead(timeout_ms):
            log.warning("the window with %s took the request but did not answer", path)
            socket.abort()
            return Answer.BUSY
    answer = bytes(socket.readLine().data())
    socket.disconnectFromServer()
    return Answer.FORWARDED if answer == OK else Answer.OTHER


def _allow_foreground() -> None:
    """Windows lets only the foreground process hand the foreground on: this start is it
    (the user just clicked), so it allows the window it asks to come to the front."""
    if sys.platform == "win32":
        import ctypes

        asfw_any = -1
        ctypes.windll.user32.AllowSetForegroundWindow(asfw_any)


class InstanceServer(QObject):
    """Answers the requests for one database (``serve(path)``); ``activation_requested`` is
    emitted for each start that asked for it."""

    activation_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server: QLocalServer | None = None
        self._path: str | None = None

    @property
    def serving(self) -> str | None:
        """The normalised path of the database answered for, None when not listening."""
        return self._path if self._server is not None else None

    def claim(self, path: Path | str) -> Answer:
        """At start: bring forward a window that has ``path`` open (``FORWARDED`` or
        ``BUSY``: end this start), or answer for it from now on (``NONE``: open the
        window)."""
        lock = QLockFile(str(Path(QDir.tempPath()) / f"{server_name(path)}.lock"))
        locked = lock.tryLock(LOCK_WAIT_MS)  # a lock that never frees: carry on regardless
        try:
            answer = ask_window(path)
            if answer in (Answer.FORWARDED, Answer.BUSY):
                return answer
            self.serve(path)
            return Answer.NONE
        finally:
            if locked:
                lock.unlock()

    def serve(self, path: Path | str) -> bool:
        """Answer for the database at ``path`` (instead of the one before); False when
        the system refused (the window then works on, alone)."""
        wanted = normalised(path)
        if self._server is not None and self._path == wanted:
            return True
        self.close()
        name = server_name(path)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A socket file left by a window that crashed (Unix): nobody answered there.
        if not server.listen(name) and not (
            QLocalServer.removeServer(name) and server.listen(name)
        ):
            log.warning("cannot answer for %s: %s", path, server.errorString())
            server.deleteLater()
            return False
        server.newConnection.connect(self._on_server_new_connection)
        self._server, self._path = server, wanted
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
        self._server = self._path = None

    def _on_server_new_connection(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.setParent(self)
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():
                self._on_socket_ready_read(socket)

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        if not line.startswith(REQUEST):
            socket.abort()
            return
        asked = line[len(REQUEST) :].rstrip(b"\n").decode("utf-8", "replace")
        mine = asked == self._path
        socket.write(OK if mine else OTHER)
        socket.flush()
        socket.disconnectFromServer()
        if mine:
            log.info("another start asked for this window's database: coming forward")
            self.activation_requested.emit()
