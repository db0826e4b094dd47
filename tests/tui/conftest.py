"""Fixtures for the TUI tests; the helpers live in ``tui_support``."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from asyncscope import compare as compare_module
from asyncscope import session as session_module
from asyncscope import source as source_module
from asyncscope.tui.screens import main as run_screen_module


def _steady(batch) -> None:  # type: ignore[no-untyped-def]
    for event in batch:
        if getattr(event, "t", None) is not None:
            event.t = round(event.t, 2)
        wait = getattr(event, "wait", None)
        if wait is not None and wait.until is not None:
            wait.until = round(wait.until, 2)


class SteadyClockSession(session_module.Session):
    """A live session whose event times are rounded to 10 ms before the screen sees them.

    Program time is real time plus the idle time skipped (issue #8), so the seed's
    ``sleep(1)`` lands at t=1.0003 on a quiet machine and t=1.002 on a busy one. These
    tests compare whole screens and sentences, which show milliseconds; the clock's own
    precision is tested where it is made (tests/test_clock.py, tests/real/)."""

    def _deliver(self, batch, frame=None):  # type: ignore[no-untyped-def]
        _steady(batch)
        super()._deliver(batch, frame)


class SteadyClockTrace(source_module.TraceSource):
    """A replayed trace with the same rounding, for the same reason."""

    def next_batch(self, timeout=None):  # type: ignore[no-untyped-def]
        batch = super().next_batch(timeout)
        if batch:
            _steady(batch)
        return batch


@pytest.fixture(autouse=True)
def _english_and_no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor would make snapshots depend on when they are taken.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setenv("ASYNCSCOPE_LANG", "en")
    monkeypatch.setattr(run_screen_module, "Session", SteadyClockSession)
    monkeypatch.setattr(run_screen_module, "TraceSource", SteadyClockTrace)
    monkeypatch.setattr(compare_module, "TraceSource", SteadyClockTrace)
