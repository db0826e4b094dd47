"""End to end in a real terminal: tmux runs ``python -m asyncscope``, we read the screen
with ``capture-pane``, press keys with ``send-keys``, step, quit, and check that no child
process is left behind (issue 3). CI installs tmux (``.ci/run``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_support import pid_alive

ROOT = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        result = subprocess.run([TMUX, "-L", self.name, *args], capture_output=True, text=True, timeout=10,
                                check=False)
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    name = f"asyncscope-test-{uuid.uuid4().hex[:8]}"
    term = Terminal(name)
    env = {"ASYNCSCOPE_LANG": "en", "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    command = " ".join([
        *(f"{key}={value}" for key, value in env.items()),
        sys.executable, "-m", "asyncscope", "--paused", "create_task",
        # Keep the pane open after the app exits, so the test can read the last screen.
        "; echo asyncscope-exited-$?; sleep 30",
    ])
    assert TMUX is not None
    # Textual's pytest plugins set COLUMNS/LINES (80x24) for the in-process tests; the real
    # terminal must report its own size.
    server_env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    subprocess.run([TMUX, "-L", name, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command],
                   check=True, timeout=10, cwd=ROOT, env=server_env)
    try:
        yield term
    finally:
        subprocess.run([TMUX, "-L", name, "kill-server"], check=False, timeout=10)


def _children() -> set[int]:
    """Pids of asyncscope child processes (the runtime bootstrap) that are alive."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            continue
        if b"asyncscope.runtime.bootstrap" in cmdline and pid_alive(int(entry)):
            found.add(int(entry))
    return found


def test_step_and_quit_in_a_real_terminal(terminal: Terminal) -> None:
    before = _children()
    screen = terminal.wait_for("paused · next: Task-1")
    assert "Tasks" in screen and "Timeline" in screen and "Output" in screen
    # (The space key's label, Run/Pause, is not checked here: Textual's footer skips
    # updates while the terminal reports no focus, as a detached tmux pane may.)
    assert "s Step" in screen and "S Loop" in screen and "q Quit" in screen and "? Help" in screen
    started = _children() - before
    assert len(started) == 1, f"expected one child process, found {started}"

    terminal.keys("s")
    terminal.wait_for("Task-1 starts, awaits Task-2")
    terminal.keys("s")
    screen = terminal.wait_for("you say,")
    assert "step 2" in screen
    # A real run in a real terminal: program time is real time plus the idle time
    # skipped, so the seed's round numbers can carry a millisecond of real work.
    assert "waiting" in screen and re.search(r"sleep → t=2\.00\d", screen), screen

    terminal.keys("Space")  # run on to the end (1x: two seconds of virtual time)
    screen = terminal.wait_for("finished (exit 0)")
    assert "goodbye" in screen and re.search(r"t=2\.00\ds", screen), screen

    terminal.keys("q")
    terminal.wait_for("asyncscope-exited-0")
    deadline = time.monotonic() + 10
    while started & _children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not started & _children(), "the child process outlived the app"


def test_quit_while_paused_leaves_no_child(terminal: Terminal) -> None:
    before = _children()
    terminal.wait_for("paused · next: Task-1")
    started = _children() - before
    assert started
    terminal.keys("q")
    terminal.wait_for("asyncscope-exited-0")
    deadline = time.monotonic() + 10
    while started & _children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not started & _children()
