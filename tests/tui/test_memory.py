"""A flooding program: the screen keeps a bounded history, a --trace file keeps everything (issue #5)."""

from __future__ import annotations

from tui_support import PROGRAMS, SIZE, wait_end

from asyncscope import model as run_state
from asyncscope.model import Model
from asyncscope.targets import resolve
from asyncscope.trace import read_trace
from asyncscope.tui.app import make_app
from asyncscope.tui.format import INSTANT
from asyncscope.tui.widgets.output import OutputView


async def test_flood_is_bounded_on_screen_and_complete_in_the_trace(tmp_path, monkeypatch):
    monkeypatch.setattr(run_state, "TUI_OUTPUT_LIMIT", 20_000)
    trace = tmp_path / "flood.trace"
    target = resolve(str(PROGRAMS / "flood.py"), None, ("10000",))  # 4 tasks x 10,000 lines
    app = make_app(target, clock="virtual", speed=INSTANT, trace=str(trace))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot, within=60)
        model = screen.shown
        assert len(model.output) <= 20_000 + 20_000 // 8  # bounded in memory
        assert model.output_dropped + len(model.output) == 40_000
        view = screen.query_one(OutputView)
        assert view.plain_lines()[0].startswith(f"… {40_000 - view.keep:,} earlier lines not shown")
    replay = Model()
    for batch in read_trace(str(trace)):
        replay.apply_all(batch)
    assert len(replay.output) == 40_000  # nothing lost on disk
    assert replay.status == "finished"
