"""SVG snapshots of the picker, a paused run and a finished run (issue 3).

Deterministic by construction: fixed terminal size, virtual clock, instant playback or a
paused start stepped a fixed number of times, the cursor blink frozen (conftest), and
nothing on screen that depends on wall time or on the machine's paths. Update with
``pytest tests/tui --snapshot-update`` after an intended change, and look at the diff.
The picker snapshot lists every built-in scenario, so adding one updates it.
"""

from __future__ import annotations

from textual.pilot import Pilot
from tui_support import app_for, run_screen, step, wait_end, wait_for, wait_paused

from asyncscope.tui.widgets.linelog import LineLog


async def settled(pilot: Pilot[object]) -> None:
    """Wait until every following log has scrolled to its end: that scroll happens after a
    refresh, which a loaded machine can delay past the moment the run ended."""
    logs = list(run_screen(pilot).query(LineLog))
    await wait_for(pilot, lambda: all(log.scroll_y >= log.max_scroll_y for log in logs if log.follow),
                   what="the logs to reach their ends")
    await pilot.pause()


class TestPicker:
    def test_picker(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(app_for(None), terminal_size=(120, 40))


class TestRunScreen:
    def test_paused_after_three_steps(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        async def three_steps(pilot: Pilot[object]) -> None:
            await wait_paused(pilot)
            for _ in range(3):
                await step(pilot)
            await settled(pilot)

        assert snap_compare(app_for("create_task", paused=True), terminal_size=(120, 40),
                            run_before=three_steps)

    def test_finished(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        async def to_the_end(pilot: Pilot[object]) -> None:
            await wait_end(pilot)
            await settled(pilot)

        assert snap_compare(app_for("create_task"), terminal_size=(120, 40), run_before=to_the_end)

    def test_finished_small_terminal(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        async def to_the_end(pilot: Pilot[object]) -> None:
            await wait_end(pilot)
            await settled(pilot)

        assert snap_compare(app_for("sequential"), terminal_size=(80, 24), run_before=to_the_end)


class TestReplay:
    def test_replay_in_the_past(self, snap_compare, tmp_path) -> None:  # type: ignore[no-untyped-def]
        """A recorded create_task run, two task steps back from its end: hello has printed,
        goodbye still sleeps, and the header says the view is in the past."""
        import subprocess
        import sys

        from asyncscope.session import Target
        from asyncscope.tui.app import make_app

        trace = tmp_path / "create_task.trace"
        subprocess.run([sys.executable, "-m", "asyncscope", "run", "--headless", "--json", "--trace", str(trace),
                        "create_task"], capture_output=True, check=True, stdin=subprocess.DEVNULL)

        async def back_two_steps(pilot: Pilot[object]) -> None:
            await wait_end(pilot)
            await pilot.press("left", "left")
            await settled(pilot)

        app = make_app(Target("path", str(trace), (), "create_task.py"), replay=str(trace))
        assert snap_compare(app, terminal_size=(120, 40), run_before=back_two_steps)


class TestResources:
    def test_resources_of_a_deadlock(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The deadlock scenario's end with the resources pane shown (x): each lock, its
        holder and the task waiting for it; the cursor on the first lock marks its holder
        (■) and its waiter (…) in the task table."""
        async def resources(pilot: Pilot[object]) -> None:
            await wait_end(pilot)
            await pilot.press("x")
            await pilot.press("down")
            await settled(pilot)

        assert snap_compare(app_for("deadlock"), terminal_size=(120, 40), run_before=resources)


class TestCompare:
    def test_compare_sequential_gather(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """`asyncscope compare sequential gather` at t=1.5: B has said hello, A has not."""
        from asyncscope.compare import load_both
        from asyncscope.tui.app import make_compare_app

        a, b, _workdir = load_both("sequential", "gather")

        async def at_one_and_a_half(pilot: Pilot[object]) -> None:
            await pilot.pause()
            pilot.app.screen.show_at(1.5)  # type: ignore[attr-defined]
            await pilot.pause()

        assert snap_compare(make_compare_app(a, b), terminal_size=(120, 40), run_before=at_one_and_a_half)
