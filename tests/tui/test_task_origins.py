"""Whose tasks the task pane shows, and room for their coroutines (issue 10 item 11).

``i`` cycles the program's own tasks → + libraries' (marked ◇) → + asyncio's own (◆); the
title says which, the timeline follows. The coroutine column takes a share of a wide
terminal, so ``RequestResponseCycle.run_asgi`` shows whole at 140 columns.

A "library" here is a module under a directory named ``site-packages`` next to the
program: the runtime counts code there as installed code (``origin="library"``), as it
would aiohttp's or uvicorn's. asyncio's own tasks are the two that ``asyncio.run`` makes
while it shuts down.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_support import SIZE, app_for, wait_end

from asyncscope.events import Step, TaskCreated, Wait
from asyncscope.model import Model
from asyncscope.tui.screens.help import HelpScreen
from asyncscope.tui.screens.main import RunScreen
from asyncscope.tui.widgets.detail import TaskDetail
from asyncscope.tui.widgets.taskrows import TaskRows
from asyncscope.tui.widgets.tasks import TaskTable, layout_columns
from asyncscope.tui.widgets.timeline import Timeline

LIBRARY = '''
import asyncio


class RequestResponseCycle:
    async def run_asgi(self):
        await asyncio.sleep(0.2)


def serve():
    """Like a server library: it makes the task, running its own coroutine."""
    return asyncio.get_running_loop().create_task(RequestResponseCycle().run_asgi())
'''

PROGRAM = '''
import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-packages"))
import weblib


async def worker():
    await asyncio.sleep(0.1)


async def main():
    mine = asyncio.create_task(worker())
    theirs = weblib.serve()
    await asyncio.gather(mine, theirs)


asyncio.run(main())
'''


def _program(tmp_path: Path) -> str:
    library = tmp_path / "site-packages"
    library.mkdir()
    (library / "weblib.py").write_text(textwrap.dedent(LIBRARY))
    program = tmp_path / "service.py"
    program.write_text(textwrap.dedent(PROGRAM))
    return str(program)


def _names(screen: RunScreen) -> list[str]:
    model = screen.shown
    return [model.tasks[tid].coro for tid in screen.query_one(TaskTable).rows.rows]


def _table_lines(table: TaskTable) -> list[str]:
    """The task table's rows as the terminal shows them (header first)."""
    lines = []
    for y in range(min(table.size.height, len(table.rows.rows) + 1)):
        lines.append("".join(segment.text for segment in table.render_line(y)))
    return lines


def _rows_by_task(table: TaskTable) -> dict[int, str]:
    lines = _table_lines(table)
    return {tid: lines[row + 1] for tid, row in table.rows.index.items()}


def _plain(*renderables: object) -> str:
    console = Console(width=120, record=True, color_system=None, file=io.StringIO())
    for renderable in renderables:
        console.print(renderable)
    return console.export_text()


def _detail(screen: RunScreen) -> str:
    return _plain(screen.query_one(TaskDetail).query_one("#detail-body", Static).content)


def _title(widget: TaskTable) -> str:
    return Text.from_markup(widget.border_title or "").plain


async def test_i_cycles_user_then_library_then_asyncio_tasks(tmp_path: Path) -> None:
    async with app_for(_program(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        table = screen.query_one(TaskTable)
        timeline = screen.query_one(Timeline)
        assert _names(screen) == ["main", "worker"]
        assert _title(table) == "Tasks · user"
        assert table.border_subtitle == "3 hidden (i)"

        await pilot.press("i")
        assert _names(screen) == ["main", "worker", "RequestResponseCycle.run_asgi"]
        assert _title(table) == "Tasks · user + library ◇"
        assert table.border_subtitle == "2 hidden (i)"
        assert [timeline.model.tasks[tid].coro for tid in timeline.rows.rows] == _names(screen)

        await pilot.press("i")
        assert _names(screen) == ["main", "worker", "RequestResponseCycle.run_asgi",
                                  "BaseEventLoop.shutdown_asyncgens",
                                  "BaseEventLoop.shutdown_default_executor"]
        assert _title(table) == "Tasks · user + library ◇ + asyncio ◆"
        assert not table.border_subtitle
        assert len(timeline.rows.rows) == 5

        await pilot.press("i")
        assert _names(screen) == ["main", "worker"]
        assert _title(table) == "Tasks · user"


async def test_library_and_asyncio_tasks_are_marked_and_dim(tmp_path: Path) -> None:
    async with app_for(_program(tmp_path)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("i", "i")
        table = screen.query_one(TaskTable)
        rows = _rows_by_task(table)
        assert "◇ Task-3 " in rows[3]  # the library's task
        assert "◆ Task-4 " in rows[4] and "◆ Task-5 " in rows[5]  # asyncio's
        assert not {"◇", "◆"} & set(rows[1] + rows[2])  # the program's own: no mark
        library_row = table.rows.index[3]
        table.selected = 1  # the cursor's colour would hide the dim style
        strip = table.render_line(library_row + 1)
        assert all(segment.style is not None and segment.style.dim for segment in strip if segment.text.strip())
        user_strip = table.render_line(table.rows.index[2] + 1)
        assert not any(segment.style is not None and segment.style.dim
                       for segment in user_strip if "worker" in segment.text)
        lane = "".join(segment.text for segment in screen.query_one(Timeline).render_line(library_row + 1))
        assert lane.startswith("◇ Task-3")

        table.select_task(3)
        await pilot.pause()
        assert "◇ a library's task" in _detail(screen)
        table.select_task(4)
        await pilot.pause()
        assert "◆ asyncio's own task" in _detail(screen)


async def test_coroutine_shows_whole_at_140_columns(tmp_path: Path) -> None:
    async with app_for(_program(tmp_path)).run_test(size=(140, 40)) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("i")
        table = screen.query_one(TaskTable)
        lines = _table_lines(table)
        assert any("RequestResponseCycle.run_asgi " in line for line in lines), "\n".join(lines)
        assert any("waits on / result" in line for line in lines[:1]), lines[0]


async def test_help_explains_the_marks() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = _plain(*(static.content for static in pilot.app.screen.query(Static)))
        assert "◇ / ◆" in text and "library's task" in text and "asyncio's own" in text


# -- without a program: the pieces --------------------------------------------------


def _service_model() -> Model:
    model = Model()
    model.apply_all([
        TaskCreated(0.0, 1, "Task-1", "main", None, "app.py:30", False),
        TaskCreated(0.0, 2, "Task-2", "Server.serve", 1, None, True, origin="library"),
        TaskCreated(0.0, 3, "Task-3", "BaseSelectorEventLoop._accept_connection2", None, None, True,
                    origin="asyncio"),
        TaskCreated(0.1, 4, "Task-4", "RequestResponseCycle.run_asgi", None, None, True, origin="library"),
        TaskCreated(0.1, 5, "handler", "handle", 1, "app.py:12", False),
        Step(0.1, 4, 10, Wait("sleep", until=2.0), None),
    ])
    return model


def test_views_add_library_then_asyncio_tasks() -> None:
    model = _service_model()
    rows = TaskRows()
    rows.rebuild(model)
    assert rows.rows == [1, 5] and rows.hidden == 3
    rows.view = 1
    rows.rebuild(model)
    assert rows.rows == [1, 2, 4, 5] and rows.hidden == 1
    rows.view = 2
    rows.rebuild(model)
    assert rows.rows == [1, 2, 3, 4, 5] and rows.hidden == 0


def test_new_hidden_tasks_are_counted_as_they_arrive() -> None:
    model = _service_model()
    rows = TaskRows()
    rows.rebuild(model)
    model.apply(TaskCreated(0.2, 6, "Task-6", "RequestResponseCycle.run_asgi", None, None, True, origin="library"))
    model.apply(TaskCreated(0.2, 7, "Task-7", "handle", 1, "app.py:12", False))
    assert rows.update(model, {6, 7}, new_tasks=True)
    assert rows.rows == [1, 5, 7] and rows.hidden == 4


def test_coroutine_column_takes_a_share_of_a_wide_pane() -> None:
    need = {"name": 9, "coro": len("RequestResponseCycle.run_asgi"), "steps": 5, "created": 8}
    # The task pane of a 140-column terminal; of 200 columns.
    for width in (90, 130):
        widths = {column.id: cells for column, cells in layout_columns(width, need)}
        assert widths["coro"] >= need["coro"], (width, widths)
        assert widths["waits"] >= 16, (width, widths)
    # A column grows no further than its content: the rest goes to "waits on".
    widths = {column.id: cells for column, cells in layout_columns(130, need)}
    assert widths["coro"] == need["coro"] and widths["name"] == 9


def test_narrow_panes_keep_every_column_they_had() -> None:
    """The 80- and 120-column task panes keep their columns, and short names leave their
    cells to what the task waits on."""
    need = {"name": 6, "coro": 7, "steps": 5, "created": 8}
    at_80 = {column.id: cells for column, cells in layout_columns(45, need)}
    assert list(at_80) == ["name", "state", "waits", "created"]
    at_120 = {column.id: cells for column, cells in layout_columns(69, need)}
    assert list(at_120) == ["name", "coro", "state", "waits", "steps", "created"]
    assert at_120["name"] == 8 and at_120["coro"] == 9 and at_120["waits"] >= 22


class _Panes(App[None]):
    """The task table and the timeline on a model, no program run."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model
        self.rows = TaskRows(view=2)

    def compose(self) -> ComposeResult:
        yield TaskTable(self.rows)
        yield Timeline(self.rows)

    def on_mount(self) -> None:
        self.query_one(TaskTable).set_model(self.model)
        self.query_one(Timeline).set_model(self.model)


async def test_a_model_of_library_tasks_renders_marks_without_a_run() -> None:
    app = _Panes(_service_model())
    async with app.run_test(size=(160, 20)) as pilot:
        await pilot.pause()
        rows = _rows_by_task(app.query_one(TaskTable))
        assert "◇ Task-2" in rows[2] and "◇ Task-4" in rows[4]
        assert "◆ Task-3" in rows[3]
        assert not {"◇", "◆"} & set(rows[1] + rows[5])
        assert "RequestResponseCycle.run_asgi" in rows[4]
        lanes = app.query_one(Timeline)
        assert "".join(segment.text for segment in lanes.render_line(lanes.rows.index[2] + 1)).startswith("◇ Task-2")


async def test_the_filter_in_the_title_is_text_not_markup() -> None:
    async with app_for("gather").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.press("slash")
        for key in "[b]x":
            await pilot.press(key)
        await pilot.pause()
        assert _title(screen.query_one(TaskTable)) == "Tasks · user · filter: [b]x"
