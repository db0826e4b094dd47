"""Run a target to the end without a UI and report on it (``asyncscope run --headless``)."""

from __future__ import annotations

import sys

import msgspec

from asyncscope.events import Diagnostic, End
from asyncscope.model import Model
from asyncscope.session import Session, Target

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
    try:
        for batch in session.batches():
            model.apply_all(batch)
    except KeyboardInterrupt:
        # Ctrl+C: stop the program, but still read what it printed and report it.
        session.stop("interrupted")
        for batch in session.batches():
            model.apply_all(batch)
    return _report(model, target, clock, as_json)


def error_result(message: str, target_label: str, clock: str, as_json: bool) -> int:
    """Report a target that could not even start (bad file, unknown scenario)."""
    model = Model()
    model.apply(Diagnostic(0.0, "error", message, None, None))
    model.apply(End(0.0, "error", 2, message, None))
    if not as_json:
        print(f"asyncscope: error: {message}", file=sys.stderr)
        return 2
    return _report(model, None, clock, as_json)


def _report(model: Model, target: Target | None, clock: str, as_json: bool) -> int:
    from asyncscope import report  # Rich loads while the child runs, not before it starts

    if as_json:
        sys.stdout.buffer.write(msgspec.json.encode(report.to_json(model, clock)) + b"\n")
        sys.stdout.flush()
    else:
        report.render(model, report.make_console(), target.display if target else "")
    return report.exit_code(model)
