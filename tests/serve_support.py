"""Helpers for the ``asyncscope serve`` tests: start the server as a user does, as a command,
and follow the processes it starts (one app per tab, one program per app)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

RUNTIME_MARK = b"asyncscope.runtime.bootstrap"
"""In the command line of every program asyncscope runs (the runtime's bootstrap)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_env() -> dict[str, str]:
    # Textual's pytest plugins set COLUMNS/LINES (80x24) for the in-process tests; a served app
    # takes its size from the browser.
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env["ASYNCSCOPE_LANG"] = "en"
    return env


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie (ended, not yet reaped) counts as gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def descendants(pid: int) -> set[int]:
    """The live processes below ``pid``: children, their children, and so on."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {child for child in found if pid_alive(child)}


def wait_until(what: str, probe: Callable[[], T], timeout: float = 30.0) -> T:
    """Poll ``probe`` until it returns something true; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


class Served:
    """A running ``asyncscope serve``: its process, its URL, and what it printed so far."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_ready(self) -> None:
        def ready() -> str | None:
            for line in self.lines:
                if "serving on " in line:
                    return line.split("serving on ", 1)[1].split()[0]
            if self.process.poll() is not None:
                raise AssertionError(f"asyncscope serve exited early:\n{self.output()}")
            return None

        self.url = wait_until("asyncscope serve to print its URL", ready)

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http") + "/ws"

    def output(self) -> str:
        return "".join(self.lines)

    def tab_processes(self, known: set[int] | frozenset[int] = frozenset()) -> set[int]:
        """Wait until a new tab's app and its program run; their pids (not those in ``known``)."""

        def started() -> set[int] | None:
            new = descendants(self.process.pid) - known
            return new if any(RUNTIME_MARK in cmdline(pid) for pid in new) else None

        return wait_until("a tab's app and its program to start", started)


@contextmanager
def serve(*args: str) -> Iterator[Served]:
    """``asyncscope serve ARGS`` on 127.0.0.1, stopped (SIGTERM) at the end of the block."""
    process = subprocess.Popen([sys.executable, "-m", "asyncscope", "serve", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=serve_env())
    served = Served(process)
    try:
        served.wait_ready()
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
