"""Helpers for the TUI tests (imported by the test modules): build the app like the CLI does, and wait for conditions.

Runs use the virtual clock and instant playback (or start paused), so what the screen
shows depends only on the program, never on wall time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from asyncscope.targets import resolve
from asyncscope.tui.app import AsyncScopeApp, make_app
from asyncscope.tui.format import INSTANT
from asyncscope.tui.screens.main import RunScreen

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
SIZE = (120, 40)


def app_for(name: str | None, *, paused: bool = False, speed: float | None = INSTANT,
            lang: str = "en") -> AsyncScopeApp:
    """The app as ``asyncscope NAME`` builds it (a built-in scenario or a file path)."""
    target = None if name is None else resolve(name, None, ())
    return make_app(target, clock="virtual", paused=paused, speed=speed, lang=lang)


async def wait_for(pilot: Pilot[object], condition: Callable[[], object], within: float = 15.0,
                   what: str = "condition") -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {within} s waiting for {what}")


def run_screen(pilot: Pilot[object]) -> RunScreen:
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen), f"expected the run screen, got {screen!r}"
    return screen


async def wait_end(pilot: Pilot[object], within: float = 15.0) -> RunScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RunScreen)
                   and pilot.app.screen.ended, within, "the run to end")
    await pilot.pause()
    return run_screen(pilot)


async def wait_paused(pilot: Pilot[object], steps: int | None = None, within: float = 15.0) -> RunScreen:
    """Wait until the child acknowledged a pause (after ``steps`` steps, if given)."""
    def ready() -> bool:
        screen = pilot.app.screen
        if not isinstance(screen, RunScreen):
            return False
        model = screen.shown
        return screen.paused and (steps is None or model.steps >= steps)

    await wait_for(pilot, ready, within, f"a pause after {steps} steps")
    await pilot.pause()
    return run_screen(pilot)


async def step(pilot: Pilot[object], key: str = "s") -> RunScreen:
    """Press a step key and wait for the next pause (or the end)."""
    screen = run_screen(pilot)
    before = screen.shown.events_applied
    await pilot.press(key)

    def done() -> bool:
        model = screen.shown
        return (model.end is not None) or (screen.paused and model.events_applied > before
                                           and model.paused)

    await wait_for(pilot, done, what=f"the step after {key!r}")
    await pilot.pause()
    return screen


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed but not yet reaped) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return False
