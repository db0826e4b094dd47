"""Time travel in the run screen (issue #11): replay a trace, move back and forth, live or recorded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tui_support import SIZE, app_for, run_screen, wait_end, wait_for, wait_paused

from asyncscope.session import Target
from asyncscope.tui.app import make_app
from asyncscope.tui.widgets.status import StatusBar


def _status(pilot) -> str:  # type: ignore[no-untyped-def]
    return str(run_screen(pilot).query_one(StatusBar).render())


def _lines(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    return run_screen(pilot).shown.lines_text()


@pytest.fixture(scope="module")
def sequential_trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    trace = tmp_path_factory.mktemp("trace") / "sequential.trace"
    subprocess.run([sys.executable, "-m", "asyncscope", "run", "--headless", "--json", "--trace", str(trace),
                    "sequential"], capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return trace


def _record(program: Path, trace: Path) -> Path:
    subprocess.run([sys.executable, "-m", "asyncscope", "run", "--headless", "--json", "--trace", str(trace),
                    str(program)], capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return trace


def _ticking_replay(tmp_path: Path, tasks: int, ticks: int, sleep: float):  # type: ignore[no-untyped-def]
    """The replay of a recorded program whose ``tasks`` tasks each sleep ``ticks`` times
    (task n for n times ``sleep`` seconds), then print that they are done."""
    program = tmp_path / "ticks.py"
    program.write_text(
        "import asyncio\n\n"
        "async def tick(n):\n"
        f"    for _ in range({ticks}):\n"
        f"        await asyncio.sleep({sleep} * n)\n"
        "    print('tick', n, 'done')\n\n"
        "async def main():\n"
        f"    await asyncio.gather(*(tick(n) for n in range(1, {tasks + 1})))\n\n"
        "asyncio.run(main())\n"
    )
    trace = _record(program, tmp_path / "ticks.trace")
    return make_app(Target("path", str(trace), (), "ticks.py"), replay=str(trace))


def _replay(trace: Path):  # type: ignore[no-untyped-def]
    return make_app(Target("path", str(trace), (), "sequential.py"), replay=str(trace))


async def test_a_replay_moves_back_and_forth_through_the_run(sequential_trace: Path) -> None:
    async with _replay(sequential_trace).run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        assert "replay · sequential.py" in _status(pilot) and "past" not in _status(pilot)
        assert _lines(pilot) == ["you say,", "goodbye", "I say,", "hello"]
        await pilot.press("left")  # one task step back: main before its last step
        assert "◀ past: event" in _status(pilot)
        assert _lines(pilot) == ["you say,", "goodbye", "I say,"]
        await pilot.press("home")
        assert _lines(pilot) == []
        await pilot.press("right")  # main's first step: prints, then sleeps 2 s
        assert _lines(pilot) == ["you say,"]
        assert "Task-1" in _status(pilot) or run_screen(pilot).shown.tasks
        await pilot.press("g")
        await pilot.press(*"2.5", "enter")
        assert _lines(pilot) == ["you say,", "goodbye", "I say,"]
        assert "t=2.500s" in _status(pilot) or "t=2.0" in _status(pilot)
        await pilot.press("end")
        assert "past" not in _status(pilot)
        assert _lines(pilot) == ["you say,", "goodbye", "I say,", "hello"]


async def test_going_back_in_a_paused_live_run_then_resuming() -> None:
    async with app_for("create_task", paused=True).run_test(size=SIZE) as pilot:
        await wait_paused(pilot)
        for _ in range(3):
            await pilot.press("s")
            await wait_paused(pilot)
        await wait_for(pilot, lambda: _lines(pilot) == ["you say,", "I say,"])
        await pilot.press("left")
        assert "◀ past" in _status(pilot) and _lines(pilot) == ["you say,"]
        await pilot.press("right")  # forward to the latest moment again
        assert _lines(pilot) == ["you say,", "I say,"]
        await pilot.press("left", "left")
        assert _lines(pilot) == []
        await pilot.press("space")  # resuming jumps to the live edge and runs
        screen = await wait_end(pilot)
        assert "past" not in _status(pilot)
        assert screen.shown.lines_text() == ["you say,", "I say,", "hello", "goodbye"]


async def test_home_and_end_belong_to_the_task_table_while_the_program_runs() -> None:
    async with app_for("gather", speed=1.0).run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(run_screen(pilot).shown.tasks) >= 3)
        await pilot.press("home")  # not paused: no time travel, the table's own key
        assert "past" not in _status(pilot)


async def test_space_plays_a_replay_forward_from_the_moment_shown(sequential_trace: Path) -> None:
    async with _replay(sequential_trace).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        assert screen.check_action("play", ()) is True
        assert screen.check_action("pause", ()) is False  # nothing runs in a replay
        await pilot.press("home")
        await pilot.press("plus", "plus", "plus", "plus")  # 1x → 10x: 3 s of loop time in 0.3 s
        await pilot.press("space")
        assert "playing" in _status(pilot)
        await wait_for(pilot, lambda: screen.cursor is None, within=10)  # played to the end
        assert _lines(pilot) == ["you say,", "goodbye", "I say,", "hello"]
        assert "playing" not in _status(pilot) and "past" not in _status(pilot)


async def test_a_restart_keeps_the_run_before_it_for_replay(tmp_path: Path) -> None:
    trace = tmp_path / "runs.trace"
    app = make_app(Target("path", str(Path(__file__).parents[2] / "scenarios" / "create_task.py"), (),
                          "create_task"), speed=None, trace=str(trace))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.generation == 2)
        await wait_end(pilot)
        assert screen.previous_traces == [str(tmp_path / "runs.1.trace")]
        assert trace.exists() and (tmp_path / "runs.1.trace").exists()  # the newest run keeps the name
        screen.replay_previous(screen.previous_traces[0])
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "replay", None) is not None)
        replayed = await wait_end(pilot)
        assert replayed.shown.lines_text() == ["you say,", "I say,", "hello", "goodbye"]
        assert "replay" in str(replayed.query_one(StatusBar).render())


async def test_without_trace_a_restart_keeps_the_earlier_run_in_a_temporary_directory() -> None:
    async with app_for("gather").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.generation == 2)
        await wait_end(pilot)
        (kept,) = screen.previous_traces
        assert Path(kept).exists() and Path(kept).name == "run-1.trace"  # noqa: ASYNC240 - a check, not the app
    assert not Path(kept).exists()  # removed with the screen  # noqa: ASYNC240


async def test_after_a_jump_the_narration_shows_every_sentence_of_that_moment(tmp_path: Path) -> None:
    """A jump wraps the newest sentences at once and the older ones just after the frame
    (docs/performance.md): once settled, all of them are there, oldest first."""
    import re

    from asyncscope.tui.widgets.narration import AT_ONCE, NarrationView

    app = _ticking_replay(tmp_path, tasks=30, ticks=3, sleep=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        await pilot.press("left", "left")
        await pilot.pause()
        await pilot.pause()
        said = run_screen(pilot).shown.narrator.sentences
        assert AT_ONCE < len(said) < 500  # some were left for after the frame
        lines = run_screen(pilot).query_one(NarrationView).plain_lines()
        heads = [line for line in lines if re.match(r"^\s*\d+\.\d{3} ● ", line)]
        assert len(heads) == len(said)
        assert heads[0].startswith(f"{said[0].t:7.3f} ●") and heads[-1].startswith(f"{said[-1].t:7.3f} ●")


async def test_the_arrows_pass_over_the_steps_of_tasks_the_pane_hides(tmp_path: Path) -> None:
    """asyncio's own tasks (the ones asyncio.run makes as it shuts down) step after the
    program's last step: ← lands on the program's own step while the pane hides them, and
    on theirs once ``i`` shows every task."""
    program = tmp_path / "short.py"
    program.write_text("import asyncio\n\nasync def main():\n    await asyncio.sleep(0)\n\nasyncio.run(main())\n")
    trace = _record(program, tmp_path / "short.trace")

    def stepped(pilot) -> bool:  # type: ignore[no-untyped-def]
        """Is the step just shown an internal task's?"""
        screen = run_screen(pilot)
        event = screen.history.event(screen.cursor - 1)
        return screen.history.live.tasks[event.task].internal

    async with make_app(Target("path", str(trace), (), "short.py"), replay=str(trace)).run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        live = run_screen(pilot).history.live
        assert any(info.internal and info.steps for info in live.tasks.values())
        await pilot.press("left")
        assert not stepped(pilot)
        await pilot.press("end", "i", "i")  # every task, asyncio's own too
        await pilot.press("left")
        assert stepped(pilot)


async def test_a_jump_forward_past_a_snapshot_starts_from_it_not_from_the_moment_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Moving forward from the past folds the events in between (→, playback), but not
    when a snapshot lies in between: there a jump is cheaper (on a million-event run,
    g to a late moment after g to an early one folded 240,000 events, 0.9 s). Either way
    the moment shown is the run as it stood then."""
    from asyncscope.history import RunHistory
    from asyncscope.tui.screens import main as main_screen

    # Snapshots every 40 steps' worth, so this small run has many.
    monkeypatch.setattr(main_screen, "RunHistory", lambda make: RunHistory(make, every=40, chunk=8))
    app = _ticking_replay(tmp_path, tasks=10, ticks=20, sleep=0.001)
    async with app.run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        screen = run_screen(pilot)
        history = screen.history
        assert len(history._snapshots) > 3
        early = history.index_at(0.005)
        near = history.next_step(history.next_step(early))  # two steps on: no snapshot between
        late = history.index_at(0.15)
        assert history.snapshot_before(near) <= early < history.snapshot_before(late)
        folded: list[tuple[int, int]] = []
        advance = history.advance
        monkeypatch.setattr(history, "advance",
                            lambda model, shown, to: folded.append((shown, to)) or advance(model, shown, to))
        for start, to, forward in ((early, near, True), (early, late, False)):
            screen.travel_to(start)
            folded.clear()
            screen.travel_to(to)
            assert folded == ([(start, to)] if forward else [])
            assert screen.shown.lines_text() == history.state_at(to).lines_text()
            assert {tid: info.state for tid, info in screen.shown.tasks.items()} == \
                {tid: info.state for tid, info in history.state_at(to).tasks.items()}
