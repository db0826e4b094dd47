"""Run a target to the end without a UI and report on it (``asyncscope run --headless``)."""

from __future__ import annotations

import gc
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

import msgspec

from asyncscope.events import Diagnostic, End
from asyncscope.session import Session, Target

if TYPE_CHECKING:
    from asyncscope.model import Model
    from asyncscope.report import ReportPrinter

__all__ = ["run_headless", "error_result"]


def run_headless(
    target: Target,
    *,
    clock: str = "virtual",
    timeout: float | None = None,
    trace: str | None = None,
    as_json: bool = False,
    slow: float = 0.1,
    python: str | None = None,
) -> int:
    """Run ``target`` instantly under the chosen clock; print the report; return the exit code."""
    session = Session(target, clock=clock, speed=None, timeout=timeout, trace_path=trace, slow=slow,
                      stdin="inherit", python=python)
    session.start()
    # What only the parent needs loads while the child starts on the other core.
    from asyncscope.model import Model

    model = Model(narrator=None)
    printer = _live_printer(model, target, as_json)
    settled = Settler()
    with SignalRelay(session):
        for batch in session.batches():
            model.apply_all(batch)
            settled.after(len(batch))
            if printer is not None:
                printer.feed()  # output lines as they arrive; the rest of the report at the end
    return _report(model, target, clock, as_json, printer)


class Settler:
    """Freezes what the fold has built so far every ``EVERY`` events (``gc.freeze``): the
    model of a long run is hundreds of thousands of records that never form cycles, and a
    full collection walking all of them again and again made a large run's report several
    times slower. Frozen records are still freed by reference counting."""

    EVERY = 50_000

    def __init__(self) -> None:
        self._since = 0

    def after(self, events: int) -> None:
        self._since += events
        if self._since >= self.EVERY:
            self._since = 0
            gc.freeze()


class SignalRelay:
    """While a headless run goes on, the signals asyncscope gets are the program's.

    The program runs in a session of its own (so that a terminal's Ctrl+C reaches us, not
    it, and we can report whatever happens). We pass the signal on as the terminal or the
    sender meant it: Ctrl+C (SIGINT) to the program's whole process group, SIGTERM and
    SIGHUP (``timeout``, ``docker stop``, a closed terminal) to the program. It then ends
    in its own way (a graceful shutdown prints its last lines and sets its exit code) and
    the report follows. If it has not ended after ``GRACE`` seconds, or on a second
    Ctrl+C, it is stopped, and the report says so.
    """

    GRACE = 5.0

    def __init__(self, session: Session) -> None:
        self._session = session
        self._previous: dict[int, Any] = {}
        self._timer: threading.Timer | None = None
        self._interrupted = False

    def __enter__(self) -> SignalRelay:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            try:
                self._previous[signum] = signal.signal(signum, self._on_signal)
            except (ValueError, OSError):  # not the main thread: leave signals alone
                pass
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        if self._timer is not None:
            self._timer.cancel()

    def _on_signal(self, signum: int, _frame: Any) -> None:
        session = self._session
        if signum == signal.SIGINT:
            if self._interrupted:
                _say("asyncscope: second Ctrl+C: stopping the program.")
                session.stop("interrupted")
                return
            self._interrupted = True
            _say("asyncscope: Ctrl+C passed to the program; press Ctrl+C again to stop it at once.")
            session.interrupt()
            reason = "interrupted"
        else:
            session.forward(signum)
            reason = "terminated"
        if self._timer is None:
            self._timer = threading.Timer(self.GRACE, self._give_up, args=(reason,))
            self._timer.daemon = True
            self._timer.start()

    def _give_up(self, reason: str) -> None:
        if not self._session.finished:
            _say(f"asyncscope: the program did not end within {self.GRACE:g} s of the signal; stopping it.")
            self._session.stop(reason)


def _say(message: str) -> None:
    """A note on stderr: stdout may be the one JSON object of ``--json``."""
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def report_trace(path: str, *, as_json: bool = False, at: float | None = None) -> int:
    """``asyncscope report TRACE``: the headless report rebuilt from a recorded run, at its
    end or as it stood at loop time ``at``. Exit status: the run's own (as ``run
    --headless`` gave it) at the end, 0 for a moment before it, 2 for a bad trace."""
    import os

    from asyncscope.model import Model
    from asyncscope.source import TraceSource, batches_until
    from asyncscope.trace import TraceError

    source = TraceSource(path)
    model = Model(narrator=None)
    try:
        source.start(check=False)  # one pass: a batch that cannot be read stops the report there
        settled = Settler()
        for batch in batches_until(source, at):
            model.fold(batch)
            settled.after(len(batch))
    except TraceError as exc:
        return error_result(str(exc), path, "virtual", as_json)
    if source.truncated:
        print(f"asyncscope: {path} is truncated: the report stops at its last whole batch", file=sys.stderr)
    if at is not None and model.end is None:
        model.t = max(model.t, at)  # the moment asked for, not the last event before it
    clock = model.hello.clock if model.hello is not None else "virtual"
    label = os.path.basename(model.hello.target) if model.hello is not None else os.path.basename(path)
    code = _report(model, Target("path", label, label=label), clock, as_json)
    return code if model.end is not None else 0


def error_result(message: str, target_label: str, clock: str, as_json: bool) -> int:
    """Report a target that could not even start (bad file, unknown scenario)."""
    from asyncscope.model import Model

    model = Model(narrator=None)
    model.apply(Diagnostic(0.0, "error", None, None, {"error": message}))
    model.apply(End(0.0, "error", 2, message, None))
    if not as_json:
        print(f"asyncscope: error: {message}", file=sys.stderr)
        return 2
    return _report(model, None, clock, as_json)


def _live_printer(model: Model, target: Target, as_json: bool) -> ReportPrinter | None:
    """The text report's printer (None with ``--json``: stdout is then one JSON object)."""
    if as_json:
        return None
    from asyncscope import report  # Rich loads while the child runs, not before it starts

    return report.ReportPrinter(model, report.make_console(), target.display)


def _report(model: Model, target: Target | None, clock: str, as_json: bool,
            printer: ReportPrinter | None = None) -> int:
    from asyncscope import verdict

    # The run is over and its state settled: a hundred thousand tasks and resources need
    # not be walked by every collection the report's own allocations trigger.
    gc.freeze()
    if as_json:
        sys.stdout.buffer.write(msgspec.json.encode(verdict.to_json(model, clock)) + b"\n")
        sys.stdout.flush()
    elif printer is not None:
        printer.finish()
    else:
        from asyncscope import report

        report.render(model, report.make_console(), target.display if target else "")
    return verdict.exit_code(model)


def print_comparison(a: Any, b: Any, clock: str, as_json: bool) -> None:
    """Both verdicts and the difference (``asyncscope compare --headless``)."""
    from asyncscope import report, verdict
    from asyncscope.compare import difference

    gc.freeze()
    if as_json:
        body = {"a": verdict.to_json(a.model, clock), "b": verdict.to_json(b.model, clock),
                "difference": difference(a, b)}
        sys.stdout.buffer.write(msgspec.json.encode(body) + b"\n")
        sys.stdout.flush()
        return
    console = report.make_console()
    for side in (a, b):
        report.render(side.model, console, f"{side.letter} · {side.label}")
    from rich.text import Text

    console.print(Text(difference(a, b)["summary"], style="bold"))
