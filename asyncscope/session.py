"""Parent side of a run: spawn the child, read its events, send it commands.

Reader threads do all blocking reads (the event pipe and the child's raw stdout/stderr),
so neither the headless CLI nor the TUI ever blocks on the child: consumers take decoded
batches from a queue with :meth:`Session.next_batch`, or iterate :meth:`Session.batches`.
Whatever happens to the child, the stream ends with exactly one :class:`End` (synthesised
here when the child could not send it: a crash, a kill, a timeout, a stop).
"""

from __future__ import annotations

import json
import os
import queue
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import msgspec

from asyncscope.events import Code, Command, Diagnostic, End, Event, Hello, Output, Paused, Resumed, decode_batch
from asyncscope.interpreter import choose as choose_interpreter
from asyncscope.trace import FrameBuffer, TraceWriter

__all__ = ["Session", "Target"]

_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BOOT = (
    # msgspec first, from the interpreter's own packages: the user's virtualenv may run a
    # Python other than ours, and our site-packages (added for asyncscope alone) must not
    # lend it compiled modules, nor stay on the program's path.
    "import sys, msgspec; sys.path.insert(0, {path!r}); "
    "from asyncscope.runtime.bootstrap import main; del sys.path[0]; main()"
)


@dataclass(frozen=True)
class Target:
    """What to run: a file (``kind='path'``) or a module (``kind='module'``), plus argv."""

    kind: str
    value: str
    args: tuple[str, ...] = ()
    label: str = ""
    """What views call it: the scenario name or the file name."""

    @property
    def display(self) -> str:
        return self.label or (f"-m {self.value}" if self.kind == "module" else os.path.basename(self.value))


_UNSTAMPED = frozenset({Code, Hello})
"""Events without a loop time ``t``."""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


@dataclass(eq=False)
class Session:
    """One run of a target in a child process.

    Call :meth:`start` from a thread that outlives the run (the UI's main thread, say):
    on Linux the child is killed when the thread that started it ends, so that no
    program outlives the asyncscope that watches it.
    """

    target: Target
    clock: str = "virtual"
    speed: float | None = None
    """Virtual-clock playback rate (None: instant)."""
    paused: bool = False
    timeout: float | None = None
    """Wall seconds before the child is stopped with status ``timeout``."""
    slow: float = 0.1
    """Seconds one task step may hold the loop before a ``blocking`` diagnostic."""
    trace_path: str | None = None
    python: str | None = None
    """The interpreter for the program (``--python``); None: see :mod:`asyncscope.interpreter`."""
    stdin: str = "null"
    """``inherit``: the program reads our stdin (headless runs); ``null``: it gets end of
    file, and a diagnostic when it tries (the TUI owns the terminal)."""
    _queue: queue.SimpleQueue[list[Event] | None] = field(default_factory=queue.SimpleQueue)
    _process: subprocess.Popen[bytes] | None = None
    _control: BinaryIO | None = None
    _got_end: bool = False
    _last_t: float = 0.0
    _stop_reason: str | None = None
    _finished: threading.Event = field(default_factory=threading.Event)
    _trace: TraceWriter | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _last_t_at: float = 0.0
    """When (our monotonic clock) the newest timestamp arrived: raw output read later is
    stamped that much later, since it was written then, not when the last event was."""
    _held: bool = False
    _last_frame_at: float = 0.0
    _child_exited: threading.Event = field(default_factory=threading.Event)

    # -- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the child. Raises :class:`~asyncscope.interpreter.InterpreterError` when
        ``python`` cannot run it."""
        interpreter = choose_interpreter(self.python)
        events_r, events_w = os.pipe()
        control_r, control_w = os.pipe()
        config = {
            "events_fd": events_w,
            "control_fd": control_r,
            "clock": self.clock,
            "speed": self.speed,
            "paused": self.paused,
            "kind": self.target.kind,
            "target": self.target.value,
            "args": list(self.target.args),
            "slow": self.slow,
            "stdin": self.stdin,
            "other_venv": interpreter.other_venv,
        }
        env = dict(os.environ)
        env["ASYNCSCOPE_CHILD"] = json.dumps(config)
        env.setdefault("PYTHONIOENCODING", "utf-8")
        if self.trace_path:
            self._trace = TraceWriter(self.trace_path)
        try:
            self._process = subprocess.Popen(
                [interpreter.executable, "-c", _BOOT.format(path=_PACKAGE_PARENT)],
                stdin=None if self.stdin == "inherit" else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(events_w, control_r),
                env=env,
                start_new_session=True,  # Ctrl+C in the terminal is ours to handle, not the child's
            )
        finally:
            os.close(events_w)
            os.close(control_r)
        self._control = os.fdopen(control_w, "wb", buffering=0)
        process = self._process
        assert process.stdout is not None and process.stderr is not None
        reader = threading.Thread(target=self._read, args=(events_r, process.stdout, process.stderr),
                                  name="asyncscope-reader", daemon=True)
        reader.start()
        threading.Thread(target=self._monitor, args=(reader,), name="monitor", daemon=True).start()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def send(self, cmd: str, value: float | None = None) -> None:
        """Send a control command (``pause``, ``resume``, ``step``, ``step-iteration``, ``speed``)."""
        control = self._control
        if control is None or self.finished:
            return
        try:
            control.write(msgspec.json.encode(Command(cmd, value)) + b"\n")
        except (BrokenPipeError, OSError, ValueError):
            pass

    def interrupt(self) -> None:
        """Ctrl+C for the program: SIGINT to its process group, as a terminal sends it."""
        self.forward(signal.SIGINT, group=True)

    def forward(self, signum: int, group: bool = False) -> None:
        """Pass a signal we received (SIGTERM, SIGHUP) on to the program."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        try:
            if group:
                os.killpg(process.pid, signum)
            else:
                os.kill(process.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, reason: str = "stopped") -> None:
        """Kill the child and everything it started. The stream still ends with End."""
        self._stop_reason = self._stop_reason or reason
        process = self._process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                process.kill()
            except ProcessLookupError:
                pass

    # -- consuming ------------------------------------------------------------------

    def next_batch(self, timeout: float | None = None) -> list[Event] | None:
        """The next batch of events; ``[]`` on timeout; None once the stream has ended."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return []

    def batches(self) -> Iterator[list[Event]]:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            yield batch

    # -- reader threads ---------------------------------------------------------------

    def _deliver(self, batch: list[Event], frame: bytes | None = None) -> None:
        # Once per batch, in C-level loops where possible: this runs for every event the
        # child sends (600,000 on bench/churn.py), beside the fold, on the parent's core.
        kinds = set(map(type, batch))
        # Raw output (seq -1) is stamped from these times, so it does not move them.
        latest = max((event.t for event in batch  # type: ignore[attr-defined]
                      if type(event) not in _UNSTAMPED and (type(event) is not Output or event.seq >= 0)),
                     default=None)
        with self._lock:
            if latest is not None and latest >= self._last_t:
                self._last_t = latest
                self._last_t_at = time.monotonic()
            if Paused in kinds or Resumed in kinds:
                for event in batch:  # the last of them says whether the program is held
                    kind = type(event)
                    if kind is Paused:
                        self._held = True
                    elif kind is Resumed:
                        self._held = False
            if End in kinds:
                self._got_end = True
            if self._trace is not None:
                self._trace.write(batch, frame)
            self._queue.put(batch)

    def _read(self, events_fd: int, stdout: BinaryIO, stderr: BinaryIO) -> None:
        """Read the event pipe and the child's raw stdout/stderr in one thread, in order.

        One thread, so that what the child wrote first arrives first: a line printed just
        before a crash is an event, flushed before the crash writes its message to the
        raw stderr, and when both are ready the events are taken first. Reading stops
        when every pipe is closed, or, once the child has ended, when its pipes have
        been quiet for a while (a process that escaped the group may hold them open):
        2 s after its End, 5 s if it never sent one.
        """
        selector = selectors.DefaultSelector()
        names = {events_fd: "events", stdout.fileno(): "stdout", stderr.fileno(): "stderr"}
        for fd in names:
            selector.register(fd, selectors.EVENT_READ)
        frames = FrameBuffer()
        partial = {"stdout": b"", "stderr": b""}
        quiet_since = None
        try:
            while selector.get_map():
                ready = sorted((key.fd for key, _mask in selector.select(0.1)),
                               key=lambda fd: fd != events_fd)  # events first
                if not ready:
                    if self._child_exited.is_set():
                        quiet_since = quiet_since or time.monotonic()
                        if time.monotonic() - quiet_since > (2 if self._got_end else 5):
                            break
                    continue
                quiet_since = None
                for fd in ready:
                    try:
                        data = os.read(fd, 1 << 16)
                    except OSError:
                        data = b""
                    name = names[fd]
                    if not data:
                        selector.unregister(fd)
                        if name != "events" and partial[name]:
                            self._raw_lines(name, partial[name] + b"\n", ended=False)
                            partial[name] = b""
                        continue
                    if name == "events":
                        for header, body in frames.feed(data):
                            self._frame(header, body)
                    else:
                        partial[name] = self._raw_lines(name, partial[name] + data)
        finally:
            selector.close()
            for name, rest in partial.items():
                if rest:
                    self._raw_lines(name, rest + b"\n", ended=False)
            os.close(events_fd)
            stdout.close()
            stderr.close()

    def _frame(self, header: bytes, body: bytes) -> None:
        self._last_frame_at = time.monotonic()
        try:
            batch = decode_batch(body)
        except (msgspec.DecodeError, ValueError) as exc:  # ValueError: bad UTF-8 in a string
            # Never drop a batch silently: say so, and keep reading.
            self._deliver([Diagnostic(self._last_t, "internal-error", None, None,
                                      {"error": f"asyncscope could not decode {len(body)} bytes of events: {exc}"})])
            return
        self._deliver(batch, header + body)

    def _raw_lines(self, stream: str, data: bytes, ended: bool = True) -> bytes:
        """Output written to the child's real descriptors (C code, subprocesses, crashes):
        deliver its complete lines, return the unfinished rest."""
        *lines, rest = data.split(b"\n")
        if lines:
            t = self._raw_time()
            batch: list[Event] = []
            for index, raw in enumerate(lines):
                nl = ended or index < len(lines) - 1
                batch.append(Output(-1, t, None, stream, raw.decode("utf-8", "replace"), nl, None))
            self._deliver(batch)
        return rest

    def _raw_time(self) -> float:
        """When a line written straight to the descriptor was written, in run time: the
        newest event's time plus the real time since it arrived (none while the program
        is held paused, when its time stands still)."""
        with self._lock:
            if self._held or not self._last_t_at:
                return self._last_t
            return self._last_t + (time.monotonic() - self._last_t_at)

    def _monitor(self, reader: threading.Thread) -> None:
        process = self._process
        assert process is not None
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while True:
            try:
                process.wait(timeout=0.05 if deadline is None else max(0.0, min(0.05, deadline - time.monotonic())))
                break
            except subprocess.TimeoutExpired:
                if deadline is not None and time.monotonic() >= deadline:
                    self.stop("timeout")
        self._reap_group(process.pid)
        self._child_exited.set()
        reader.join()  # it ends once the pipes close or go quiet (see _read)
        if not self._got_end:
            self._deliver([self._synthesised_end(process.returncode)])
        if self._trace is not None:
            self._trace.close()
        if self._control is not None:
            try:
                self._control.close()
            except OSError:
                pass
        self._finished.set()
        self._queue.put(None)

    @staticmethod
    def _reap_group(pgid: int) -> None:
        """The program has ended: end what it left running in its process group (a
        subprocess it started and never waited for), so no process outlives the run and
        none keeps our pipes open."""
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def flush_trace(self) -> None:
        """Put what the trace file has so far on disk (buffered writes are locked, so the
        reader thread may go on writing)."""
        trace = self._trace
        if trace is not None:
            try:
                trace.flush()
            except (OSError, ValueError):  # closed meanwhile: it is complete on disk
                pass

    def _synthesised_end(self, returncode: int) -> End:
        reason = self._stop_reason
        t = self._last_t
        if reason == "timeout":
            return End(t, "timeout", 124, None, None, "timeout", {"seconds": self.timeout})
        if reason == "terminated":
            return End(t, "stopped", 143, None, None, "not-ending")
        if reason is not None:
            return End(t, "stopped", 130, None, None, "user")
        if returncode < 0:
            return End(t, "crashed", 128 - returncode, None, None, "signal", {"signal": _signal_name(-returncode)})
        return End(t, "crashed", returncode, None, None, "exit", {"code": returncode})
