"""Child entry point: set up the hooks, then run the target as ``__main__``.

The parent starts ``python -c "...bootstrap.main()"`` with the settings in the
``ASYNCSCOPE_CHILD`` environment variable, an event pipe and a control pipe passed as
inherited file descriptors, and stdin closed (``input()`` fails fast instead of hanging).
The program then runs as it would under ``python file.py`` or ``python -m module``:
``sys.argv``, ``sys.path[0]`` and ``__main__`` are set the same way.

The end of the run is reported from an ``atexit`` handler registered before the program
starts, so it runs after the program's own atexit handlers and after non-daemon threads
have been joined: output those print still arrives before :class:`End`.
"""

from __future__ import annotations

import atexit
import faulthandler
import gc
import io
import json
import os
import select
import sys
import threading
import traceback
import types
from typing import Any

import msgspec

from asyncscope.events import SCHEMA_VERSION, Command, Diagnostic, End, Hello
from asyncscope.runtime import hooks, hot_path_name, uvloop_swap
from asyncscope.runtime.capture import OutputCapture
from asyncscope.runtime.clock import Clock, real_perf_ns
from asyncscope.runtime.emit import Emitter
from asyncscope.runtime.gate import Gate
from asyncscope.runtime.hooks import TaskStepHandle
from asyncscope.runtime.loop import Tracer
from asyncscope.runtime.watchdog import Watchdog

__all__ = ["main"]

ENV_VAR = "ASYNCSCOPE_CHILD"


class _Run:
    """What the child knows about the run, for the final :class:`End` event."""

    def __init__(self, emitter: Emitter, clock: Clock, capture: OutputCapture) -> None:
        self.emitter = emitter
        self.clock = clock
        self.capture = capture
        self.status = "crashed"
        self.exit_code = 1
        self.message: str | None = None
        self.traceback: str | None = None
        self.ended = False

    def end(self) -> None:
        """Send End once: everything the program printed is flushed before it."""
        if self.ended:
            return
        self.ended = True
        t = self.clock.now()  # the program's end, before our own clean-up below
        try:
            gc.collect()  # let "destroyed pending" / "never retrieved" fire while we listen
        except Exception:
            pass
        self.capture.flush_partial()
        self.emitter.emit(
            End(max(t, 0.0), self.status, self.exit_code, self.message, self.traceback)
        )
        self.emitter.flush()


def _user_traceback(exc: BaseException, skip_files: tuple[str, ...]) -> str:
    """Format ``exc`` as Python would, without asyncscope's and runpy's frames on top."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(skip_files):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _innermost_user_line(exc: BaseException, skip_files: tuple[str, ...]) -> str | None:
    where = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.startswith(skip_files) and not filename.startswith("<frozen"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _control_reader(fd: int, gate: Gate, run: _Run) -> None:
    """Apply commands from the parent; when the parent goes away, so does the child."""
    decoder = msgspec.json.Decoder(Command)
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        buffer = b""
        while True:
            try:
                chunk = pipe.read(4096)
            except BlockingIOError:  # made non-blocking by someone else: wait for data
                select.select([fd], [], [], 1.0)
                continue
            except OSError:
                chunk = b""
            if chunk is None:
                select.select([fd], [], [], 1.0)
                continue
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if not line.strip():
                    continue
                try:
                    command = decoder.decode(line)
                except msgspec.DecodeError:
                    continue
                gate.command(command.cmd, command.value)
    # EOF: the parent closed the control pipe or died. Nobody is watching; stop now.
    run.emitter.flush()
    os._exit(137)


def _out_of_the_way(fd: int) -> int:
    """Move one of our pipes to a high descriptor number, not inherited by subprocesses.

    The program opens and closes descriptors of its own; tests in particular use small
    numbers freely (mocks with ``fileno() == 5``, ``os.close`` on a number they think is
    theirs). A descriptor far above the ones the program is handed keeps those from
    landing on our pipes."""
    import fcntl
    import resource

    try:
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        floor = max(64, min(soft, 4096) - 128)
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, floor)
    except (OSError, ValueError):
        os.set_inheritable(fd, False)  # the program's own subprocesses must not hold it
        return fd
    os.close(fd)
    return moved


def _die_with_parent() -> None:
    """Linux: have the kernel kill us if the parent dies, so no orphan outlives the UI."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:
        pass


def main() -> None:
    config: dict[str, Any] = json.loads(os.environ.pop(ENV_VAR))
    events_fd = _out_of_the_way(int(config["events_fd"]))
    control_fd = _out_of_the_way(int(config["control_fd"]))
    _die_with_parent()

    emitter = Emitter(events_fd)
    clock = Clock(virtual=config["clock"] == "virtual", speed=config.get("speed"))
    gate = Gate(emitter, clock, paused=bool(config.get("paused")))
    tracer = Tracer(emitter, clock, gate)
    capture = OutputCapture(emitter, clock, tracer)
    tracer.capture = capture
    emitter.before_timer_flush = capture.flush_stale
    run = _Run(emitter, clock, capture)

    kind, target, args = config["kind"], config["target"], list(config.get("args", []))
    emitter.emit(
        Hello(SCHEMA_VERSION, os.getpid(), sys.version.split()[0], config["clock"], target,
              [target, *args], hot_path_name())
    )
    emitter.flush()

    def on_deadlock() -> None:
        run.status = "deadlock"
        run.exit_code = 125
        run.end()
        os._exit(125)

    tracer.on_deadlock = on_deadlock

    reader = threading.Thread(
        target=_control_reader, args=(control_fd, gate, run), name="asyncscope-control", daemon=True
    )
    reader.start()
    emitter.start_timer()
    tracer.own_threads.update({reader, emitter.thread} - {None})  # type: ignore[arg-type]

    real_exit = os._exit

    def _exit(code: int) -> None:
        # os._exit skips every cleanup: send what was printed, then die as asked.
        try:
            capture.flush_partial()
            emitter.flush()
        finally:
            real_exit(code)

    os._exit = _exit  # type: ignore[assignment]

    def after_fork_in_child() -> None:
        # A forked child must not write into our event pipe; its output goes to the raw
        # descriptors, which the parent still reads.
        emitter.disown()
        sys.stdout = open(1, "w", closefd=False, buffering=1)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False, buffering=1)  # noqa: SIM115
        os._exit = real_exit  # type: ignore[assignment]
        run.ended = True

    os.register_at_fork(after_in_child=after_fork_in_child)
    atexit.register(run.end)

    if config.get("stdin") != "inherit":
        sys.stdin.close()
        sys.stdin = EmptyStdin(lambda: emitter.emit(
            Diagnostic(clock.now(), "stdin-closed", None, None)))
    sys.stdout = capture.stdout  # type: ignore[assignment]
    sys.stderr = capture.stderr  # type: ignore[assignment]
    hooks.install(tracer)
    told_uvloop: list[bool] = []

    def on_uvloop() -> None:
        if not told_uvloop:
            told_uvloop.append(True)
            emitter.emit(Diagnostic(clock.now(), "uvloop-replaced", None, None))

    uvloop_swap.install(on_uvloop)
    clock.install()  # from here on, the program's time functions read the clock
    step_run = TaskStepHandle._run
    # The Python step's frame holds its start in a local; the compiled one says where it is.
    watchdog = Watchdog(tracer, float(config.get("slow") or 0.1), getattr(step_run, "__code__", None),
                        getattr(step_run, "running", None))
    tracer.own_threads.add(watchdog.thread)
    watchdog.start()
    clock.own_idents.update(t.ident for t in tracer.own_threads if t.ident is not None)
    emitter.on_own_time = clock.discount
    try:
        faulthandler.enable(file=2, all_threads=True)  # a segfault's traceback reaches the raw stderr pipe
    except (OSError, ValueError):
        pass  # no usable descriptor 2: the crash is still reported from the exit status

    # Our frames (the runtime's, runpy's) sit on top of every traceback; built-in
    # scenarios live inside the package too, so only the runtime directory counts as ours.
    own_files = (os.path.dirname(os.path.abspath(__file__)) + os.sep, "<frozen runpy>",
                 os.path.join(os.path.dirname(os.__file__), "runpy.py"))
    try:
        if kind == "module":
            _run_module(target, args, run)
        else:
            _run_path(target, args)
    except SystemExit as exc:
        code = exc.code
        if code is None:
            code = 0
        elif isinstance(code, bool):  # unittest.main() exits with sys.exit(False)
            code = int(code)
        elif not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        run.status = "finished" if code == 0 else "failed"
        run.exit_code = code
    except _TargetError as exc:
        run.status = "error"
        run.exit_code = 2
        run.message = str(exc)
        emitter.emit(Diagnostic(clock.now(), "error", None, None, {"error": str(exc)}))
    except BaseException as exc:  # the program's own uncaught exception, as Python reports it
        began = real_perf_ns()
        text = _user_traceback(exc, own_files)
        # Formatting the traceback is our work, not the program's (3.13's took 0.13 s on a
        # busy machine, and the run seemed to end that much later).
        clock.discount(real_perf_ns() - began)
        sys.stderr.write(text)
        # Ctrl+C (passed on by asyncscope, as a terminal would) ends the program as it
        # would under python: the traceback, exit status 130; the run was stopped.
        run.status = "stopped" if isinstance(exc, KeyboardInterrupt) else "failed"
        run.exit_code = 130 if isinstance(exc, KeyboardInterrupt) else 1
        run.message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        run.traceback = text
        if isinstance(exc, ImportError) and tracer.tasks_seen == 0:
            # The program could not even be set up: an error in the input, not a run that failed.
            where = _innermost_user_line(exc, own_files)
            run.status = "error"
            run.exit_code = 2
            run.message = f"{where}: {run.message}" if where else run.message
            other_venv = config.get("other_venv")
            if other_venv and isinstance(exc, ModuleNotFoundError):
                run.message += (
                    f". The active virtualenv {other_venv} was not used: asyncscope cannot run "
                    f"there. Install it there ({other_venv}/bin/pip install asyncscope), or "
                    f"pass --python {other_venv}/bin/python")
            emitter.emit(Diagnostic(clock.now(), "error", None, where, {"error": run.message}))
    else:
        run.status = "finished"
        run.exit_code = 0
    sys.exit(run.exit_code)


class EmptyStdin(io.TextIOWrapper):
    """The TUI's stdin for the program: at end of file (the TUI owns the terminal), and the
    first read says so in a diagnostic instead of leaving the user to guess."""

    def __init__(self, on_first_read: Any) -> None:
        super().__init__(open(os.devnull, "rb"), encoding="utf-8")  # noqa: SIM115
        self._on_first_read = on_first_read

    def _told(self) -> None:
        if self._on_first_read is not None:
            callback, self._on_first_read = self._on_first_read, None
            try:
                callback()
            except Exception:
                pass

    def read(self, size: int | None = -1) -> str:
        self._told()
        return super().read(size)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self._told()
        return super().readline(size)

    def readlines(self, hint: int = -1) -> list[str]:
        self._told()
        return super().readlines(hint)

    def __next__(self) -> str:
        self._told()
        return super().__next__()


class _TargetError(Exception):
    """The target could not be started (not found, not importable)."""


def _run_path(path: str, args: list[str]) -> None:
    path = os.path.abspath(path)
    with open(path, "rb") as handle:
        source = handle.read()
    code = compile(source, path, "exec", dont_inherit=True)
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(path)
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = __builtins__  # type: ignore[attr-defined]
    sys.modules["__main__"] = module
    exec(code, module.__dict__)


def _run_module(name: str, args: list[str], run: _Run) -> None:
    import importlib.util
    import runpy

    sys.path[0] = os.getcwd()  # as under ``python -m``
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError) as exc:
        raise _TargetError(f"cannot import module {name!r}: {exc}") from None
    if spec is None:
        raise _TargetError(f"no module named {name!r} (searched from {os.getcwd()})")
    sys.argv = [name, *args]
    runpy.run_module(name, run_name="__main__", alter_sys=True)
