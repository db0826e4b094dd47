"""Regressions found by driving the TUI as a demanding user would (one test per bug)."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from test_run_screen import detail_text
from textual.widgets import Static
from tui_support import SIZE, app_for, wait_end, wait_for

from asyncscope import model as run_state
from asyncscope.tui.screens.picker import PickerScreen
from asyncscope.tui.widgets.narration import NarrationView
from asyncscope.tui.widgets.output import OutputView
from asyncscope.tui.widgets.tasks import TaskTable
from asyncscope.tui.widgets.timeline import Timeline


async def test_a_slow_motion_clock_jump_is_one_sentence() -> None:
    """At 5x a 2 s jump sends a Tick every 50 ms of wall time; the narration must still
    say "the clock jumps to t=2.000" once, not once per Tick (which pushed every useful
    sentence out of the pane)."""
    async with app_for("sequential", speed=5.0).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        said = screen.query_one(NarrationView).plain_sentences()
        jumps = [sentence for sentence in said if "clock jumps" in sentence]
        assert jumps == ["Nothing is ready: the clock jumps to t=2.000",
                         "Nothing is ready: the clock jumps to t=3.000"]


async def test_a_diagnostic_sentence_does_not_repeat_its_kind() -> None:
    async with app_for("deadlock").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        said = [s for s in screen.query_one(NarrationView).plain_sentences() if s.startswith("⚠ deadlock")]
        assert said and "deadlock: deadlock" not in said[0]
        assert 'Task-2 holds locks["A"] and waits on locks["B"]' in said[0]  # the cycle says why it is stuck


async def test_a_failed_tasks_traceback_keeps_its_lines(tmp_path: Path) -> None:
    program = tmp_path / "boom.py"
    program.write_text("import asyncio\nasync def boom():\n    raise ValueError('kaboom')\n"
                       "async def main():\n    await asyncio.create_task(boom())\nasyncio.run(main())\n")
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        screen.query_one(TaskTable).select_task(2)
        await pilot.pause()
        text = detail_text(screen)
        assert "\\x0a" not in text
        assert "Traceback (most recent call last):\n" in text
        assert "ValueError: kaboom" in text


async def test_output_subtitle_counts_lines_the_model_let_go(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(run_state, "TUI_OUTPUT_LIMIT", 40)
    program = tmp_path / "many.py"
    program.write_text("import asyncio\nasync def main():\n    for i in range(300):\n        print(i)\n"
                       "asyncio.run(main())\n")
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        output = screen.query_one(OutputView)
        assert screen.shown.output_dropped > 0
        shown = len(screen.shown.output)
        assert output.border_subtitle == f"300 lines, {300 - shown} not shown"


async def test_a_maximized_pane_fits_the_screen() -> None:
    async with app_for("gather").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        for pane in (TaskTable, OutputView):
            screen.query_one(pane).focus()
            await pilot.press("z")
            await pilot.pause()
            region = screen.query_one(pane).region
            assert screen.maximized is screen.query_one(pane)
            assert region.right <= SIZE[0] and region.width >= SIZE[0] - 2, (pane, region)
            await pilot.press("z")


async def test_wide_task_names_keep_columns_aligned(tmp_path: Path) -> None:
    """A task named in Japanese takes two cells a character: the timeline lanes and the
    output's text must still start in the same column as for ``Task-1``."""
    program = tmp_path / "wide.py"
    program.write_text("import asyncio\nasync def work():\n    print('w')\n    await asyncio.sleep(1)\n"
                       "async def main():\n    print('m')\n"
                       "    await asyncio.create_task(work(), name='作業者タスク二号です')\n"
                       "asyncio.run(main())\n")
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        timeline = screen.query_one(Timeline)
        lanes = [timeline.render_line(y).text for y in (1, 2)]
        ends = [cell_len(lane[: lane.index("✓")]) for lane in lanes]
        assert ends[0] == ends[1], lanes
        lines = screen.query_one(OutputView).plain_lines()
        starts = [cell_len(line[: line.rindex(" ") + 1]) for line in lines]
        assert starts[0] == starts[1], lines


async def test_picker_preview_speaks_the_chosen_language() -> None:
    async with app_for(None, lang="ja").run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), what="the picker")
        await pilot.pause()
        body = pilot.app.screen.query_one("#preview-body", Static)
        text = "".join(getattr(part, "plain", "") for part in body.content.renderables)
        assert "見どころ: " in text and "Watch: " not in text
