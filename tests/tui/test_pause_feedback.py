"""Pause and step answer at once during a long virtual sleep (issue #10, item 9)."""

from __future__ import annotations

import time
from pathlib import Path

from tui_support import SIZE, app_for, run_screen, wait_for

from asyncscope.tui.widgets.status import StatusBar


def _status(pilot) -> str:  # type: ignore[no-untyped-def]
    return str(run_screen(pilot).query_one(StatusBar).render())


async def test_a_pause_during_a_long_slow_sleep_shows_at_once_and_stops_the_clock(tmp_path: Path) -> None:
    program = tmp_path / "long_nap.py"
    program.write_text("import asyncio\n\nasync def main():\n    print('nap')\n"
                       "    await asyncio.sleep(30)\n    print('awake')\n\nasyncio.run(main())\n")
    async with app_for(str(program), speed=0.5).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "nap" in str(run_screen(pilot).shown.lines_text()))
        await pilot.pause(0.3)
        began = time.monotonic()
        await pilot.press("space")
        await wait_for(pilot, lambda: run_screen(pilot).shown.paused, within=5)
        assert time.monotonic() - began < 2  # the 30 s sleep (60 s at 0.5x) did not run out first
        screen = run_screen(pilot)
        assert "pausing" not in _status(pilot) and "paused" in _status(pilot)
        assert screen.shown.t < 5  # the clock stopped where it was
        await pilot.press("s")  # a step over the timer: the clock jumps at once
        await wait_for(pilot, lambda: "awake" in screen.shown.lines_text(), within=5)


def test_a_command_not_yet_answered_is_shown() -> None:
    from asyncscope.model import Model

    text = StatusBar.compose_text("prog.py", Model(), 1.0, 0.5, "virtual", asked="pausing")
    assert "pausing…" in str(text)
    assert "pausing" not in str(StatusBar.compose_text("prog.py", Model(), 1.0, 0.5, "virtual"))
