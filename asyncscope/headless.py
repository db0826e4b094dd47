"""Run a target to the end without a UI and report on it (``asyncscope run --headless``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import msgspec

from asyncscope.events import Diagnostic, End
from asyncscope.model import Model
from asyncscope.session import Session, Target

if TYPE_CHECKING:
    from asyncscope.report import ReportPrinter

__all__ = ["run_headless", "error_result"]


def run_headless(
    target: Target,
    *,
    clock: str = "virtual",
    timeout: float | None = None,
    trace: str | None = None,
    as_json: bool = False,
    lang: str = "en",
    slow: float = 0.1,
) -> int:
    """Run ``target`` instantly under the chosen clock; print the report; return the exit code."""
    session = Session(target, clock=clock, speed=None, timeout=timeout, trace_path=trace, lang=lang, slow=slow)
    model = Model()
    session.start()
    printer = _live_printer(model, target, as_json)
    try:
        for batch in session.batches():
            model.apply_all(batch)
            if printer is not None:
                printer.feed()  # output lines as they arrive; the rest of the report at the end
    except KeyboardInterrupt:
        # Ctrl+C: stop the program, but still read what it printed and report it.
        session.stop("interrupted")
        for batch in session.batches():
            model.apply_all(batch)
    return _report(model, target, clock, as_json, printer)


def error_result(message: str, target_label: str, clock: str, as_json: bool) -> int:
    """Report a target that could not even start (bad file, unknown scenario)."""
    model = Model()
    model.apply(Diagnostic(0.0, "error", message, None, None))
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
    from asyncscope import report  # Rich loads while the child runs, not before it starts

    if as_json:
        sys.stdout.buffer.write(msgspec.json.encode(report.to_json(model, clock)) + b"\n")
        sys.stdout.flush()
    elif printer is not None:
        printer.finish()
    else:
        report.render(model, report.make_console(), target.display if target else "")
    return report.exit_code(model)
