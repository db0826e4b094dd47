"""The run screen, driven with keys through Textual's Pilot (issue 3).

Every run uses the virtual clock; most play instantly or start paused, so each
assertion is about what the program did, never about wall-clock timing.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static
from tui_support import PROGRAMS, SIZE, app_for, pid_alive, run_screen, step, wait_end, wait_for, wait_paused

from asyncscope.tui.screens.help import HelpScreen
from asyncscope.tui.screens.main import RunScreen
from asyncscope.tui.screens.open_file import OpenFileScreen
from asyncscope.tui.screens.picker import PickerScreen
from asyncscope.tui.widgets.detail import TaskDetail
from asyncscope.tui.widgets.diagnostics import DiagnosticsList
from asyncscope.tui.widgets.narration import NarrationView
from asyncscope.tui.widgets.output import OutputView
from asyncscope.tui.widgets.status import StatusBar
from asyncscope.tui.widgets.tasks import TaskTable
from asyncscope.tui.widgets.timeline import Timeline


def plain(*renderables: object, width: int = 100) -> str:
    """What a renderable shows, as plain text."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    for renderable in renderables:
        console.print(renderable)
    return console.export_text()


def status_text(screen: RunScreen) -> str:
    return plain(screen.query_one(StatusBar).content, width=200)


def detail_text(screen: RunScreen) -> str:
    return plain(screen.query_one(TaskDetail).query_one("#detail-body", Static).content)


def task_names(screen: RunScreen) -> list[str]:
    model = screen.shown
    return [model.tasks[tid].name for tid in screen.query_one(TaskTable).rows.rows]


# -- a whole run --------------------------------------------------------------------


async def test_sequential_runs_to_the_end_and_keeps_the_verdict() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        assert "finished (exit 0)" in status_text(screen)
        assert "t=3.000s" in status_text(screen)
        lines = screen.query_one(OutputView).plain_lines()
        assert [line.split()[-1] for line in lines] == ["say,", "goodbye", "say,", "hello"]
        assert lines[0].split()[:2] == ["0.000", "Task-1"]
        assert task_names(screen) == ["Task-1"]
        table = screen.query_one(TaskTable)
        assert table.selected == 1
        assert "done" in detail_text(screen)


async def test_timeline_shows_three_seconds_versus_two() -> None:
    """The mission's core contrast: sequential ends at 3 s in one lane, create_task at 2 s
    with three lanes overlapping."""
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        timeline = screen.query_one(Timeline)
        assert "2.5s" in timeline.ruler_text()  # the ruler runs to 3 s
        assert timeline.full_span == pytest.approx(3.0, abs=0.05)
        lane = timeline.lane_text(1)
        assert lane.rstrip().endswith("✓") and lane.startswith("●")
        assert screen.query_one(Timeline).border_subtitle == "3.000 s of loop time"
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        timeline = screen.query_one(Timeline)
        assert timeline.full_span == pytest.approx(2.0, abs=0.05)
        assert len(timeline.rows.rows) == 3
        hello = timeline.lane_text(3)
        # Task-3 (hello) ends at 1 s: its ✓ sits about half-way along the lane.
        assert abs(hello.index("✓") - len(hello) / 2) <= 2
        assert timeline.lane_text(2).rstrip().endswith("✓")


async def test_output_is_shown_literally() -> None:
    """Markup and ANSI escapes printed by a program are never interpreted."""
    async with app_for(str(PROGRAMS / "markup.py")).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        lines = screen.query_one(OutputView).plain_lines()
        assert lines[0].endswith("[bold red]not bold[/bold red]")
        assert "\\x1b[31mnot red\\x1b[0m" in lines[1]
        assert "\\x07" in lines[1]


async def test_output_history_is_capped_and_says_so(tmp_path: Path) -> None:
    program = tmp_path / "many.py"
    program.write_text("import asyncio\nasync def main():\n    for i in range(60):\n        print(i)\n"
                       "asyncio.run(main())\n")
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        output = screen.query_one(OutputView)
        output.keep = 25
        output.lines_changed()
        lines = output.plain_lines()
        assert lines[0].startswith("… 35 earlier lines not shown")
        assert lines[-1].endswith(" 59") and len(lines) == 26


async def test_stderr_lines_are_marked(tmp_path: Path) -> None:
    program = tmp_path / "err.py"
    program.write_text("import asyncio, sys\nasync def main():\n    print('out')\n"
                       "    print('oops', file=sys.stderr)\nasyncio.run(main())\n")
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        lines = screen.query_one(OutputView).plain_lines()
        assert "! oops" in lines[1] and "! " not in lines[0]


# -- pause, step, speed -------------------------------------------------------------


async def test_paused_start_and_single_steps() -> None:
    async with app_for("create_task", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        model = screen.shown
        assert model.steps == 0 and screen.paused
        assert "paused · next: Task-1" in status_text(screen)
        assert screen.check_action("step", ()) is True
        assert screen.check_action("resume", ()) is True and screen.check_action("pause", ()) is False
        await step(pilot)
        assert model.steps == 1
        assert task_names(screen) == ["Task-1", "Task-2", "Task-3"]
        assert screen.query_one(NarrationView).plain_sentences()[-1] == \
            "Task-1 starts, awaits Task-2 (waits for it to finish)"
        await step(pilot)
        assert model.steps == 2
        assert model.tasks[2].state == "waiting"
        assert screen.query_one(OutputView).plain_lines()[0].endswith("you say,")
        # Follow mode selects the task about to run; the detail shows it.
        assert screen.query_one(TaskTable).selected == 3
        assert "runs next" in detail_text(screen)


async def test_detail_shows_await_chain_and_marked_source() -> None:
    async with app_for("sequential", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        await step(pilot)
        text = detail_text(screen)
        assert "main → goodbye → sleep" in text
        assert "sequential.py:" in text
        assert 'asyncio.sleep(2)' in text  # the line it is suspended at, from the source


async def test_step_iteration_runs_every_ready_step() -> None:
    async with app_for("gather", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        await step(pilot)  # main starts, gather wraps three coroutines in tasks
        before = screen.shown.steps
        await step(pilot, "S")
        await wait_for(pilot, lambda: screen.shown.steps >= before + 3, what="three steps in one iteration")
        assert screen.shown.steps >= before + 3


async def test_step_keys_are_disabled_while_running() -> None:
    async with app_for("sequential", speed=1.0).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await wait_for(pilot, lambda: screen.shown.hello is not None, what="the child to start")
        assert not screen.paused
        assert screen.check_action("step", ()) is None
        assert screen.check_action("step_iteration", ()) is None
        assert screen.check_action("pause", ()) is True
        steps = screen.shown.steps
        await pilot.press("s")
        await pilot.pause(0.1)
        assert screen.shown.steps - steps <= 1  # 's' did nothing by itself
        # space pauses: the reactive follows the child's acknowledgement.
        await pilot.press("space")
        await wait_for(pilot, lambda: screen.paused, what="the child to acknowledge the pause")
        assert screen.check_action("step", ()) is True
        assert screen.shown.t < 3.0
        await pilot.press("space")
        await wait_for(pilot, lambda: not screen.paused, what="the resume")
        await pilot.press("plus", "plus", "plus", "plus")
        assert screen.speed == 100.0
        await wait_end(pilot)
        assert screen.check_action("pause", ()) is None  # greyed once the run is over


async def test_speed_keys_change_the_playback_rate() -> None:
    async with app_for("sequential", paused=True, speed=1.0).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        assert "1x" in status_text(screen)
        await pilot.press("plus")
        assert screen.speed == 2.0 and "2x" in status_text(screen)
        await pilot.press("minus", "minus", "minus")
        assert screen.speed == 0.25
        await pilot.press("minus", "minus")
        assert screen.speed == 0.1  # the slowest: another '-' keeps it
        for _ in range(10):
            await pilot.press("plus")
        assert screen.speed is None and "instant" in status_text(screen)
        await pilot.press("space")
        await wait_end(pilot)
        assert screen.shown.t == pytest.approx(3.0, abs=0.05)


async def test_restart_runs_again_from_scratch() -> None:
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        first = screen.session
        generation = screen.generation
        await pilot.press("r")
        assert screen.generation == generation + 1 and screen.session is not first
        await wait_end(pilot)
        assert len(screen.shown.output) == 4
        assert "finished" in status_text(screen)
        assert first is not None and first.finished


# -- panes and toggles ----------------------------------------------------------------


async def test_timeline_toggle_and_zoom() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        timeline = screen.query_one(Timeline)
        assert timeline.display
        await pilot.press("right_square_bracket")
        assert timeline.zoom == 2 and timeline.window()[1] == pytest.approx(1.5, abs=0.05)
        await pilot.press("right_square_bracket", "left_square_bracket")
        assert timeline.zoom == 2
        await pilot.press("0")
        assert timeline.zoom == 1
        await pilot.press("t")
        assert not timeline.display
        assert screen.check_action("zoom_in", ()) is None
        await pilot.press("t")
        assert timeline.display


async def test_internal_tasks_toggle() -> None:
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        assert task_names(screen) == ["Task-1", "Task-2", "Task-3"]
        await pilot.press("i", "i")  # no library's tasks here; then asyncio's own
        assert len(task_names(screen)) == 5
        assert len(screen.query_one(Timeline).rows.rows) == 5
        await pilot.press("i")
        assert len(task_names(screen)) == 3


async def test_tree_view_by_parent() -> None:
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("v")
        rows = screen.query_one(TaskTable).rows
        assert rows.tree and rows.depth == {1: 0, 2: 1, 3: 1}
        await pilot.press("v")
        assert not rows.tree


async def test_filter_tasks_as_you_type() -> None:
    async with app_for("gather").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("slash")
        await pilot.press(*"hello")
        assert task_names(screen) == ["Task-3", "Task-4"]
        assert "filter: hello" in str(screen.query_one(TaskTable).border_title)
        await pilot.press("enter")
        assert screen.focused is screen.query_one(TaskTable)
        assert task_names(screen) == ["Task-3", "Task-4"]
        await pilot.press("escape")  # clears the filter, stays on the run screen
        assert isinstance(pilot.app.screen, RunScreen)
        assert task_names(screen) == ["Task-1", "Task-2", "Task-3", "Task-4"]


async def test_selection_is_kept_across_updates_and_sorting() -> None:
    async with app_for("create_task", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        await step(pilot)
        table = screen.query_one(TaskTable)
        table.focus()
        assert table.selected == 2  # following: the task about to run
        await pilot.press("down")
        assert table.selected == 3 and not table.follow
        await pilot.press("up")
        assert table.selected == 2
        await step(pilot)
        await step(pilot)
        assert screen.shown.next_task != 2
        assert table.selected == 2  # not moved by new events
        await pilot.press("c")  # sort by the next column (name)…
        await pilot.press("C")  # …reversed
        assert table.rows.sort != "id" and table.rows.reverse
        assert table.selected == 2 and table.cursor_row == table.rows.index[2]
        await pilot.press("f")  # follow again
        assert table.follow


async def test_clicking_a_column_title_sorts() -> None:
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        table = screen.query_one(TaskTable)
        await pilot.click(TaskTable, offset=(4, 1))  # border + header row, "task" column
        assert table.rows.sort == "name"
        await pilot.click(TaskTable, offset=(4, 1))
        assert table.rows.reverse
        assert task_names(screen) == ["Task-3", "Task-2", "Task-1"]


async def test_maximize_a_pane() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("z")
        assert screen.maximized is screen.query_one(TaskTable)
        await pilot.press("escape")
        assert screen.maximized is None
        assert isinstance(pilot.app.screen, RunScreen)


# -- diagnostics ----------------------------------------------------------------------


async def test_diagnostic_jumps_to_its_task() -> None:
    async with app_for("abandoned_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        diagnostics = screen.query_one(DiagnosticsList)
        assert diagnostics.option_count == 1
        diagnostics.focus()
        table = screen.query_one(TaskTable)
        table.follow = False
        table._select(1, user=True)
        await pilot.press("enter")
        await pilot.pause()
        assert table.selected == 2
        text = detail_text(screen)
        assert "cancelled-at-shutdown" in text and "Task-2" in text
        assert "⚠ 1" in status_text(screen)


async def test_diagnostic_without_task_shows_its_line() -> None:
    async with app_for("never_awaited").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        diagnostics = screen.query_one(DiagnosticsList)
        await wait_for(pilot, lambda: diagnostics.option_count >= 1, what="the diagnostic")
        diagnostics.focus()
        await pilot.press("enter")
        await pilot.pause()
        text = detail_text(screen)
        assert "never-awaited" in text and "was never awaited" in text
        assert "hello()" in text  # the source line around never_awaited.py:39


# -- robustness -----------------------------------------------------------------------


async def test_os_exit_shows_crash_and_stays_usable() -> None:
    async with app_for(str(PROGRAMS / "exit_hard.py")).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        assert "crashed" in status_text(screen)
        assert screen.query_one(OutputView).plain_lines()[-1].endswith("partial without newline")
        await pilot.press("t")
        assert not screen.query_one(Timeline).display


async def test_flooding_program_keeps_keys_responsive(tmp_path: Path) -> None:
    program = tmp_path / "flood.py"
    program.write_text(textwrap.dedent("""
        import asyncio
        async def main():
            for i in range(200_000):
                print("flood", i)
                if i % 1000 == 0:
                    await asyncio.sleep(0)
        asyncio.run(main())
    """))
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await wait_for(pilot, lambda: len(screen.shown.output) > 1000, what="the flood to start")
        import time

        # Pilot.press waits for the whole app to go idle, which a flood delays; what
        # matters is how soon the key's action runs.
        ran: list[float] = []
        toggle = screen.action_toggle_timeline

        def timed_toggle() -> None:
            ran.append(time.monotonic())
            toggle()

        screen.action_toggle_timeline = timed_toggle  # type: ignore[method-assign]
        began = time.monotonic()
        await pilot.press("t")
        assert not screen.query_one(Timeline).display
        assert ran and ran[0] - began < 0.5
        await wait_end(pilot, within=60)
        model = screen.shown
        assert len(model.output) + model.output_dropped == 200_000  # every line arrived
        assert len(model.output) < 200_000  # and memory stayed bounded
        assert screen.query_one(OutputView).plain_lines()[0].startswith("… 195,000 earlier lines not shown")


async def test_hanging_program_can_be_stopped_by_restart_and_quit(tmp_path: Path) -> None:
    program = tmp_path / "spin.py"
    program.write_text("import asyncio\nasync def main():\n    print('spinning')\n    while True:\n        pass\n"
                       "asyncio.run(main())\n")
    app = app_for(str(program))
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await wait_for(pilot, lambda: len(screen.shown.output) == 1, what="the print before the spin")
        first = screen.session
        assert first is not None and first.pid is not None
        await pilot.press("r")
        await wait_for(pilot, lambda: first.finished, what="the first child to be stopped")
        second = screen.session
        assert second is not None and second.pid is not None
        await wait_for(pilot, lambda: len(screen.shown.output) == 1, what="the second run's print")
        await pilot.press("q")
    await wait_for_gone(second.pid)


async def wait_for_gone(pid: int) -> None:
    import asyncio
    import time

    deadline = time.monotonic() + 10
    while pid_alive(pid) and time.monotonic() < deadline:  # noqa: ASYNC110 (polling another process)
        await asyncio.sleep(0.05)
    assert not pid_alive(pid), f"child {pid} outlived the app"


async def test_quit_stops_a_paused_child() -> None:
    app = app_for("sequential", paused=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        pid = screen.session.pid if screen.session else None
        assert pid is not None and pid_alive(pid)
        await pilot.press("q")
    assert app.return_code == 0
    await wait_for_gone(pid)


# -- dialogs and navigation -------------------------------------------------------------


async def test_help_screen_lists_the_keys() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = plain(*(static.content for static in pilot.app.screen.query(Static)), width=120)
        for needle in ("space", "Run exactly one task step", "S", "+", "-", "run it again",
                       "Open your own .py file", "timeline", "Cycle the tasks shown", "Filter tasks", "quit"):
            assert needle in text, needle
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, RunScreen)


async def test_open_a_file_from_the_run_screen(tmp_path: Path) -> None:
    mine = tmp_path / "mine.py"
    mine.write_text("import asyncio\nasync def main():\n    print('mine ran')\nasyncio.run(main())\n")
    bad = tmp_path / "bad.py"
    bad.write_text("def broken(:\n")
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("o")
        assert isinstance(pilot.app.screen, OpenFileScreen)
        field = pilot.app.screen.query_one("#open-path")
        field.value = str(bad)
        await pilot.press("enter")
        error = plain(pilot.app.screen.query_one("#open-error", Static).content, width=200)
        assert "SyntaxError" in error and "bad.py:1" in error
        field.value = str(mine)
        await pilot.press("enter")
        assert pilot.app.screen is screen
        await wait_end(pilot)
        assert screen.target.display == "mine.py"
        assert screen.query_one(OutputView).plain_lines()[0].endswith("mine ran")


async def test_escape_goes_back_to_the_picker_and_stops_the_child() -> None:
    async with app_for("sequential", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        session = screen.session
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)
        assert session is not None
        await wait_for(pilot, lambda: session.finished, what="the child to stop")


async def test_command_palette_offers_step_only_while_paused() -> None:
    from asyncscope.tui.commands import ScreenCommands

    async with app_for("sequential", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        provider = ScreenCommands(screen)
        labels = [hit.text async for hit in provider.discover()]
        assert "Step" in labels and "Run" in labels and "Pause" not in labels
        await pilot.press("ctrl+p")
        await pilot.press(*"restart")
        await pilot.pause(0.3)
        generation = screen.generation
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.generation == generation + 1, what="the palette's restart")
        # The new run starts paused too: until the child says so, space would mean "pause".
        await wait_paused(pilot)
        await pilot.press("space")
        await wait_end(pilot)
        labels = [hit.text async for hit in ScreenCommands(screen).discover()]
        assert "Step" not in labels and "Restart" in labels
