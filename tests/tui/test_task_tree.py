"""The tree view (``v``): lines that show which child is the last, and a filter that keeps
the tree's shape (issue 10 item 13)."""

from __future__ import annotations

from tui_support import SIZE, app_for, wait_end

from asyncscope.events import TaskCreated
from asyncscope.model import Model
from asyncscope.tui.widgets.taskrows import TaskRows
from asyncscope.tui.widgets.tasks import TaskTable


def _family() -> Model:
    """main creates a, b, c; b creates b1 and b2."""
    model = Model()
    model.apply_all([
        TaskCreated(0.0, 1, "Task-1", "main", None, "a.py:1", False),
        TaskCreated(0.0, 2, "a", "fetch", 1, "a.py:2", False),
        TaskCreated(0.0, 3, "b", "crawl", 1, "a.py:3", False),
        TaskCreated(0.0, 4, "b1", "fetch", 3, "a.py:4", False),
        TaskCreated(0.0, 5, "b2", "parse", 3, "a.py:5", False),
        TaskCreated(0.0, 6, "c", "store", 1, "a.py:6", False),
    ])
    return model


def test_middle_children_get_a_tee_and_only_the_last_a_corner() -> None:
    rows = TaskRows(tree=True)
    rows.rebuild(_family())
    assert rows.rows == [1, 2, 3, 4, 5, 6]
    assert [rows.guides[tid] for tid in rows.rows] == ["", "├ ", "├ ", "│ ├ ", "│ └ ", "└ "]


def test_a_filtered_tree_keeps_the_matches_under_their_ancestors() -> None:
    rows = TaskRows(tree=True, filter="fetch")
    rows.rebuild(_family())
    assert rows.rows == [1, 2, 3, 4]  # a and b1 match; main and b are shown as their ancestors
    assert rows.context == {1, 3}
    assert [rows.guides[tid] for tid in rows.rows] == ["", "├ ", "└ ", "  └ "]
    assert 5 not in rows.index and 6 not in rows.index  # b2 and c do not match: not shown


def test_a_flat_filter_shows_only_the_matches() -> None:
    rows = TaskRows(filter="fetch")
    rows.rebuild(_family())
    assert rows.rows == [2, 4] and not rows.context and not rows.guides


async def test_tree_view_on_screen_honours_the_filter() -> None:
    """create_task: Task-1 creates Task-2 (goodbye) and Task-3 (hello)."""
    async with app_for("create_task").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        table = screen.query_one(TaskTable)
        await pilot.press("v")
        await pilot.pause()
        names = [table.render_line(y).text.split()[:2] for y in (1, 2, 3)]
        assert names == [["Task-1", "main"], ["├", "Task-2"], ["└", "Task-3"]]
        await pilot.press("slash", *"hello", "enter")
        await pilot.pause()
        assert screen.rows.rows == [1, 3] and screen.rows.context == {1}
        assert table.render_line(2).text.split()[:2] == ["└", "Task-3"]
        assert table.render_line(3).text.strip() == ""
