"""Two runs side by side: record (or read) both, fold each, and say how they differ.

``asyncscope compare A B`` takes two programs (scenario names or files, each run headless
on the virtual clock and recorded) or two traces, or one of each. The headless form prints
both verdicts and the difference; the TUI form (``tui/screens/compare.py``) shows both runs
on one time axis with one cursor. Both read the same :class:`Side`: a run's
:class:`~asyncscope.history.RunHistory`, so any moment of either run is at hand.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any

from asyncscope import wording
from asyncscope.history import RunHistory
from asyncscope.model import Model
from asyncscope.session import Session
from asyncscope.source import TraceSource
from asyncscope.trace import MAGIC, TraceError

__all__ = ["Side", "load_side", "difference", "CompareError"]


class CompareError(Exception):
    """One of the two could not be run or read (a one-line message)."""


@dataclass
class Side:
    """One of the two runs: its label (``A``/``B``), what it was, its whole history."""

    letter: str
    label: str
    history: RunHistory
    trace: str

    @property
    def model(self) -> Model:
        return self.history.live


def is_trace(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC) - 1) == MAGIC[:-1]
    except OSError:
        return False


def load_side(letter: str, what: str, workdir: str, clock: str = "virtual") -> Side:
    """Read ``what`` if it is a trace, else run it (a scenario name or a file) to the end,
    recording it in ``workdir``. Raises :class:`CompareError`."""
    from asyncscope.interpreter import InterpreterError
    from asyncscope.targets import TargetError, resolve

    if os.path.isfile(what) and is_trace(what):
        path, label = what, os.path.basename(what)
    else:
        try:
            target = resolve(what, None, ())
        except TargetError as exc:
            raise CompareError(str(exc)) from None
        path = os.path.join(workdir, f"{letter}.trace")
        label = target.display
        session = Session(target, clock=clock, speed=None, trace_path=path)
        try:
            session.start()
        except (OSError, InterpreterError) as exc:
            raise CompareError(f"cannot run {what}: {exc}") from None
        for _batch in session.batches():
            pass  # the trace keeps every event; it is read back below, as a trace would be
        session.stop()
    history = RunHistory()
    source = TraceSource(path)
    try:
        source.start()
        for batch in source.batches():
            history.append(batch)
    except TraceError as exc:
        raise CompareError(str(exc)) from None
    return Side(letter, label, history, path)


def load_both(a: str, b: str, clock: str = "virtual") -> tuple[Side, Side, str]:
    """Both sides, and the temporary directory their recordings live in (the caller
    removes it)."""
    workdir = tempfile.mkdtemp(prefix="asyncscope-compare-")
    try:
        return load_side("A", a, workdir, clock), load_side("B", b, workdir, clock), workdir
    except BaseException:  # a side that cannot run or load: nobody else will remove it
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def difference(a: Side, b: Side) -> dict[str, Any]:
    """What differs, in numbers and in one sentence (docs/report.md, "compare")."""
    ma, mb = a.model, b.model
    ta, tb = ma.t, mb.t
    faster = None if abs(ta - tb) < 0.0005 else ("a" if ta < tb else "b")
    out_a = [line.text for line in ma.output]
    out_b = [line.text for line in mb.output]
    user_a = sum(1 for info in ma.tasks.values() if not info.internal)
    user_b = sum(1 for info in mb.tasks.values() if not info.internal)
    return {
        "elapsed": {"a": ta, "b": tb, "b_minus_a": tb - ta},
        "faster": faster,
        "status": {"a": ma.status, "b": mb.status, "same": ma.status == mb.status},
        "user_tasks": {"a": user_a, "b": user_b},
        "output_same": out_a == out_b,
        "same_lines_in_another_order": out_a != out_b and sorted(out_a) == sorted(out_b),
        "summary": summary(a, b),
    }


def summary(a: Side, b: Side) -> str:
    """``A (sequential) finished at t=3.000, B (gather) at t=2.000: B took 1.000 s less.``"""
    ma, mb = a.model, b.model
    words = wording.text("compare-ends", a=a.label, status_a=ma.status, ta=ma.t, b=b.label,
                         status_b=mb.status, tb=mb.t)
    gap = mb.t - ma.t
    if abs(gap) >= 0.0005:
        words += " " + wording.text("compare-less" if gap < 0 else "compare-more", seconds=abs(gap))
    return words
