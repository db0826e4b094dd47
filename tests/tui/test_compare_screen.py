"""The compare screen (issue 13): two runs on one time axis with one cursor."""

from __future__ import annotations

import re

import pytest
from textual.pilot import Pilot

from asyncscope.compare import load_both
from asyncscope.tui.app import make_compare_app
from asyncscope.tui.screens.compare import BothOutputs, CompareScreen

SIZE = (120, 40)


@pytest.fixture(scope="module")
def sides():  # type: ignore[no-untyped-def]
    a, b, _workdir = load_both("sequential", "gather")
    return a, b


def _screen(pilot: Pilot[object]) -> CompareScreen:
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    return screen


def _output(screen: CompareScreen) -> list[str]:
    return [line.plain.split(None, 3)[0] + " " + line.plain.split(None, 3)[3]
            for line in screen.query_one(BothOutputs).lines]


async def test_one_cursor_moves_both_runs(sides) -> None:  # type: ignore[no-untyped-def]
    async with make_compare_app(*sides).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = _screen(pilot)
        verdict = str(screen.query_one("#verdict").render())
        # 3 s one after the other against 2 s together: 1 s less, give or take the
        # milliseconds of the program's own work the virtual clock counts (1.000 or 1.001).
        took = re.search(r"B took (\d+\.\d+) s less", verdict)
        assert took is not None and float(took.group(1)) == pytest.approx(1.0, abs=0.005), verdict
        assert _output(screen)[-1] == "A hello"  # at the end: all of both, A's last line last
        await pilot.press("home")
        await pilot.pause()
        assert screen.t == 0.0
        assert _output(screen) == []
        for _ in range(10):  # step by step: whichever run's first step came first
            await pilot.press("right")
            await pilot.pause()
            if "A you say," in _output(screen):
                break
        at_start = _output(screen)
        assert "A you say," in at_start and "B hello" not in at_start
        assert screen.t < 0.5
        screen.show_at(1.5)  # what g 1.5 does: B's tasks said hello at t=1, A has not
        await pilot.pause()
        shown = _output(screen)
        assert "B hello" in shown and "A goodbye" not in shown
        a_model, b_model = screen.shown
        assert any(info.state == "waiting" for info in a_model.tasks.values() if not info.internal)
        await pilot.press("end")
        await pilot.pause()
        assert screen.t == pytest.approx(max(side.model.t for side in sides))
        await pilot.press("left")
        await pilot.pause()
        assert screen.t < screen.end


async def test_space_plays_both_forward(sides) -> None:  # type: ignore[no-untyped-def]
    async with make_compare_app(*sides).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = _screen(pilot)
        await pilot.press("home")
        await pilot.press("space")
        await pilot.pause(0.5)
        assert 0 < screen.t < screen.end
        await pilot.press("space")  # stop
        stopped = screen.t
        await pilot.pause(0.3)
        assert screen.t == stopped
