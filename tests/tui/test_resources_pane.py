"""The resources pane (issue 12): `x` shows the locks, queues and events with their
holders and waiters in place of the diagnostics; the one under the cursor marks its holder
and waiters in the task table, and choosing one selects its holder."""

from __future__ import annotations

from tui_support import SIZE, app_for, wait_end

from asyncscope.tui.widgets.diagnostics import DiagnosticsList
from asyncscope.tui.widgets.resources import ResourcesList
from asyncscope.tui.widgets.tasks import TaskTable


async def test_x_shows_who_holds_each_lock_and_enter_selects_the_holder() -> None:
    async with app_for("deadlock").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        pane = screen.query_one(ResourcesList)
        assert not pane.display
        await pilot.press("x")
        await pilot.pause()
        assert pane.display and not screen.query_one(DiagnosticsList).display
        rows = [str(pane.get_option_at_index(index).prompt) for index in range(pane.option_count)]
        assert rows[0].startswith('locks["A"] Lock locked') and "held by Task-2" in rows[0]
        assert "waiting: Task-3" in rows[0]
        pane.highlighted = 0
        await pilot.pause()
        table = screen.query_one(TaskTable)
        marked = {screen.shown.task_name(tid): role for tid, role in table.marked.items()}
        assert marked == {"Task-2": "holds", "Task-3": "waits"}  # the lock under the cursor
        await pilot.press("enter")
        await pilot.pause()
        assert screen.shown.task_name(table.selected) == "Task-2"  # the holder
        await pilot.press("x")
        await pilot.pause()
        assert not pane.display and screen.query_one(DiagnosticsList).display
        assert table.marked == {}  # the pane hidden, nothing marked


async def test_a_program_without_resources_says_so() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("x")
        await pilot.pause()
        pane = screen.query_one(ResourcesList)
        assert "no locks, queues or events" in str(pane.get_option_at_index(0).prompt)
