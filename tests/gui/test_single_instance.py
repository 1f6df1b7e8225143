"""One window per database: the socket's name, the server answering a start (asked from
another process, as a real second start does), and ``examsite`` started twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from examsite.ui.main_window import MainWindow
from examsite.ui.single_instance import Answer, InstanceServer, normalised, server_name
from examsite.ui.tasks import InlinePool, TaskRunner

ASK = "import sys; from examsite.ui.single_instance import ask_window; print(ask_window(sys.argv[1]).value)"
REQUEST = (
    "import sys; from PySide6.QtNetwork import QLocalSocket\n"
    "s = QLocalSocket(); s.connectToServer(sys.argv[1]); s.waitForConnected(2000)\n"
    "s.write(sys.argv[2].encode() + b'\\n'); s.waitForBytesWritten(2000)\n"
    "s.waitForReadyRead(2000); print(bytes(s.readLine().data()).decode().strip())\n"
)


def ask_from_another_process(qtbot, *args: str, code: str = ASK) -> str:
    """Run a client in a child process while this one's event loop answers it."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=30_000)
    out, err = child.communicate()
    assert child.returncode == 0, err
    return out.strip()


def test_the_name_follows_the_database_not_the_way_it_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    same = [tmp_path / "考点.db", Path("考点.db"), tmp_path / "sub" / ".." / "考点.db"]
    assert len({server_name(p) for p in same}) == 1
    assert server_name(tmp_path / "其他.db") != server_name(tmp_path / "考点.db")
    assert server_name(tmp_path / "考点.db").startswith("examsite-")
    if sys.platform == "win32":
        assert server_name(str(tmp_path / "考点.db").upper()) == server_name(tmp_path / "考点.db")


def test_a_start_on_the_same_database_brings_the_window_forward(qtbot, tmp_path: Path):
    server = InstanceServer()
    path = tmp_path / "考点.db"
    assert server.serve(path)
    assert server.serving == normalised(path)
    with qtbot.waitSignal(server.activation_requested, timeout=30_000):
        answer = ask_from_another_process(qtbot, str(path))
    assert answer == Answer.FORWARDED.value
    assert ask_from_another_process(qtbot, str(tmp_path / "别的.db")) == Answer.NONE.value
    server.close()
    assert server.serving is None
    assert ask_from_another_process(qtbot, str(path)) == Answer.NONE.value


def test_a_window_that_moved_on_to_another_database_says_so(qtbot, tmp_path: Path):
    server = InstanceServer()
    path = tmp_path / "考点.db"
    assert server.serve(path)
    request = "examsite-activate\t" + normalised(tmp_path / "已换.db")
    with qtbot.assertNotEmitted(server.activation_requested, wait=100):
        answer = ask_from_another_process(qtbot, server_name(path), request, code=REQUEST)
    assert answer == "other"
    assert (
        ask_from_another_process(qtbot, server_name(path), "hello", code=REQUEST) == ""
    )  # not a start of ours: hung up on
    server.close()


CLAIM = (
    "import sys; from examsite.ui.single_instance import InstanceServer\n"
    "server = InstanceServer(); print(server.claim(sys.argv[1]).value, server.serving)\n"
)


def test_a_start_claims_a_database_only_when_no_window_has_it(qtbot, tmp_path: Path):
    path = tmp_path / "考点.db"
    free = ask_from_another_process(qtbot, str(path), code=CLAIM)
    assert free == f"none {normalised(path)}"
    server = InstanceServer()
    assert server.serve(path)
    with qtbot.waitSignal(server.activation_requested, timeout=30_000):
        taken = ask_from_another_process(qtbot, str(path), code=CLAIM)
    assert taken == "forwarded None"
    server.close()


@pytest.mark.sqlite_only  # one window per SQLite file; a server takes several PCs' windows
def test_the_window_answers_for_the_database_it_has_open(qtbot, db, tmp_path: Path):
    server = InstanceServer()
    win = MainWindow(TaskRunner(InlinePool()), db, instance=server)
    qtbot.addWidget(win)
    assert server.serving == normalised(db.file_path)
    win.showMinimized()
    with qtbot.waitSignal(win.brought_forward, timeout=30_000):
        ask_from_another_process(qtbot, str(db.file_path))
    assert not win.isMinimized()
    other = tmp_path / "第二考点.db"
    with qtbot.waitSignal(win.database_opened, timeout=5000) as opened:
        win.open_database(other)
    assert server.serving == normalised(other)
    win.close()
    assert server.serving is None
    opened.args[0].close()


# --- ``examsite`` started twice ------------------------------------------------------------


APP = "import sys; from examsite.ui.app import main; sys.exit(main(sys.argv[1:]))"


def command(db: Path) -> list[str]:
    return [sys.executable, "-c", APP, "--db", str(db)]


def environment(tmp_path: Path, probe: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "LOCALAPPDATA": str(tmp_path / "data"),
    }
    env.pop("EXAMSITE_FIRST_PAINT", None)
    if probe:
        env["EXAMSITE_FIRST_PAINT"] = probe
    return env


def run(db: Path, tmp_path: Path, probe: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(db),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(tmp_path, probe),
        timeout=120,
    )


def moments(process: subprocess.Popen[str], until: str) -> list[str]:
    """The probe's lines up to ``until`` (the process keeps running)."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line.split()[0])
        if seen[-1] == until:
            return seen
    pytest.fail(f"the window ended before {until}: {seen}")


def test_starting_twice_on_one_database_brings_the_first_window_forward(tmp_path: Path):
    site, other = tmp_path / "考点.db", tmp_path / "别的考点.db"
    # "stay": the first window shows its status, then waits to be brought forward.
    first = subprocess.Popen(
        command(site),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=environment(tmp_path, "stay"),
    )
    try:
        assert moments(first, "status-shown") == ["first-paint", "status-shown"]
        # Another database gets a window of its own, which paints and shows its status.
        done = run(other, tmp_path, "1")
        assert done.returncode == 0, done.stderr
        assert [line.split()[0] for line in done.stdout.splitlines()] == [
            "first-paint",
            "status-shown",
        ]
        # The same database: no second window; the first comes forward (and the probe
        # then closes it).
        done = run(site, tmp_path, None)
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        assert moments(first, "brought-forward") == ["brought-forward"]
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


SERVE = (
    "import sys; from PySide6.QtCore import QCoreApplication, QTimer\n"
    "from examsite.ui.single_instance import InstanceServer\n"
    "app = QCoreApplication([]); server = InstanceServer(); server.serve(sys.argv[1])\n"
    "server.activation_requested.connect(lambda: (print('forward', flush=True), app.quit()))\n"
    "QTimer.singleShot(60_000, app.quit); print('ready', flush=True); app.exec()\n"
)


class OneDatabase:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open_database(self, parent) -> Path:
        return self.path


def test_opening_a_database_another_window_has_brings_that_window_forward(
    qtbot, db, tmp_path: Path
):
    elsewhere = tmp_path / "另一窗口.db"
    other = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(elsewhere)],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "ready"
        win = MainWindow(
            TaskRunner(InlinePool()), db, instance=InstanceServer(), dialogs=OneDatabase(elsewhere)
        )
        qtbot.addWidget(win)
        with qtbot.assertNotEmitted(win.database_opened):
            win.open_action.trigger()
        assert win.db is db
        assert "已在另一个窗口中打开" in win.statusBar().currentMessage()
        assert other.stdout.readline().strip() == "forward"
        assert other.wait(timeout=30) == 0
        win.close()
    finally:
        if other.poll() is None:
            other.kill()
            other.wait()
