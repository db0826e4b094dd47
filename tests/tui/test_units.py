"""Pure pieces of the TUI: row order and filters, column layout, timeline scale, speeds."""

from __future__ import annotations

import time

from asyncscope.display import brief_where
from asyncscope.events import Output, Step, TaskCreated, TaskDone, Wait
from asyncscope.model import Model, any_between
from asyncscope.tui.format import INSTANT, SPEEDS, normalise_speed, speed_label
from asyncscope.tui.widgets.taskrows import TaskRows
from asyncscope.tui.widgets.tasks import layout_columns
from asyncscope.tui.widgets.timeline import nice_step


def _model() -> Model:
    model = Model()
    model.apply_all([
        TaskCreated(0.0, 1, "Task-1", "main", None, "a.py:10", False),
        TaskCreated(0.0, 2, "Task-2", "goodbye", 1, "a.py:5", False),
        TaskCreated(0.0, 3, "Task-3", "hello", 1, "a.py:6", False),
        TaskCreated(0.0, 4, "Task-4", "shutdown_asyncgens", None, "a.py:10", True),
        TaskCreated(0.5, 5, "worker", "hello", 3, "a.py:7", False),
        Step(0.0, 1, 10, Wait("task", tasks=[2]), None),
        Step(0.0, 2, 10, Wait("sleep", until=2.0), None),
        TaskDone(1.0, 3, 10, "done", "None", None, None, None),
    ])
    return model


def test_rows_hide_internal_tasks_by_default() -> None:
    rows = TaskRows()
    rows.rebuild(_model())
    assert rows.rows == [1, 2, 3, 5]
    rows.view = 2
    rows.rebuild(_model())
    assert rows.rows == [1, 2, 3, 4, 5]


def test_rows_filter_by_name_or_coroutine() -> None:
    rows = TaskRows(filter="HELLO")
    rows.rebuild(_model())
    assert rows.rows == [3, 5]
    rows.filter = "work"
    rows.rebuild(_model())
    assert rows.rows == [5]


def test_tree_orders_children_under_their_parent() -> None:
    rows = TaskRows(tree=True)
    rows.rebuild(_model())
    assert rows.rows == [1, 2, 3, 5]
    assert [rows.depth[t] for t in rows.rows] == [0, 1, 1, 2]


def test_sort_by_state_and_reverse() -> None:
    model = _model()
    rows = TaskRows(sort="state")
    rows.rebuild(model)
    assert rows.rows == [5, 1, 2, 3]  # ready, waiting, waiting, done
    rows.header_sort("state")
    rows.rebuild(model)
    assert rows.rows == [3, 2, 1, 5]


def test_new_tasks_are_appended_without_resorting() -> None:
    model = _model()
    rows = TaskRows()
    rows.rebuild(model)
    model.apply(TaskCreated(2.0, 6, "Task-6", "late", 1, None, False))
    assert rows.update(model, {6}, new_tasks=True)
    assert rows.rows[-1] == 6 and rows.index[6] == 4


def test_rows_scale_to_ten_thousand_tasks() -> None:
    model = Model()
    model.apply_all(TaskCreated(0.0, i, f"Task-{i}", "work", None, None, False) for i in range(1, 10_001))
    rows = TaskRows()
    began = time.perf_counter()
    rows.rebuild(model)
    model.apply(TaskCreated(0.0, 10_001, "Task-10001", "work", None, None, False))
    rows.update(model, {10_001}, new_tasks=True)
    assert len(rows.rows) == 10_001
    assert time.perf_counter() - began < 0.5


def test_columns_drop_least_important_first_when_narrow() -> None:
    wide = [column.id for column, _ in layout_columns(110)]
    assert wide == ["name", "coro", "state", "waits", "steps", "created"]
    narrow = [column.id for column, _ in layout_columns(50)]
    assert narrow[:1] == ["name"] and "state" in narrow and "waits" in narrow and "coro" not in narrow
    assert sum(width + 1 for _, width in layout_columns(50)) + 2 <= 50


def test_timeline_ticks_are_round_and_spaced() -> None:
    assert nice_step(3.0, 100) == 0.5
    assert nice_step(2.0, 60) == 0.5
    assert nice_step(0.01, 100) == 0.001
    assert nice_step(1000.0, 50) == 200


def test_marks_find_prints_within_a_cell() -> None:
    model = Model()
    model.apply_batch([TaskCreated(0.0, 1, "Task-1", "main", None, None, False),
                       Output(1, 0.5, 1, "stdout", "late", True, None),
                       Output(0, 0.25, 1, "stdout", "early, read later", True, None)])
    prints = model.tasks[1].prints
    assert prints == [0.25, 0.5]
    assert any_between(prints, 0.2, 0.3)
    assert not any_between(prints, 0.3, 0.5)


def test_speeds_and_labels() -> None:
    assert normalise_speed(None) == 1.0  # the TUI plays at wall speed unless told otherwise
    assert normalise_speed(INSTANT) is None
    assert normalise_speed(0) is None
    assert normalise_speed(0.5) == 0.5
    assert SPEEDS[0] == 0.1 and SPEEDS[-2] == 100.0 and SPEEDS[-1] is None
    assert speed_label(None) == "instant" and speed_label(2.0) == "2x" and speed_label(0.25) == "0.25x"
    assert brief_where("/a/b/c.py:12") == "c.py:12"


def test_rows_of_an_earlier_moment_are_cut_from_a_later_ones() -> None:
    """A jump back rebuilds the task rows of the moment shown; in the default view they are
    cut from the rows the pane already has (80,000 tasks walked again took a fifth of a
    jump). Whatever way they are made, they must be the tasks of that moment, even when
    ids do not ascend in the order tasks were reported, or a task is made again as
    asyncio's own."""
    from asyncscope.history import RunHistory

    def events(ids: list[int]) -> list:
        made = [TaskCreated(0.001 * n, tid, f"Task-{tid}", "work", None, "a.py:1", tid % 7 == 0)
                for n, tid in enumerate(ids)]
        steps = [Step(0.5, tid, 10, None, None) for tid in ids[::3]]
        return made[: len(ids) // 2] + steps + made[len(ids) // 2:]

    for ids in (list(range(1, 400)), [*range(1, 200), 250, *range(200, 250), *range(251, 400)]):
        history = RunHistory(every=64, chunk=32)
        rows = TaskRows()
        cut = []
        earlier = rows._earlier_rows
        def spied(model: Model, cut: list = cut, earlier=earlier) -> list[int] | None:
            cut.append(earlier(model))
            return cut[-1]

        rows._earlier_rows = spied  # type: ignore[method-assign]
        rows.rebuild(history.live)
        for start in range(0, len(ids) + 200, 50):  # arriving in batches, as live
            history.append(events(ids)[start:start + 50])
            rows.update(history.live, set(), new_tasks=True)
        again = [*events(ids)[:3], TaskCreated(0.9, ids[1], "Task-x", "work", None, None, True)]
        history.append(again)  # a task made again, now asyncio's own
        rows.update(history.live, set(), new_tasks=True)
        moments = list(range(0, len(history) + 1, 17))
        for shown in [*moments, *reversed(moments)]:
            model = history.state_at(shown)
            rows.rebuild(model)
            expected = sorted(tid for tid, info in model.tasks.items() if not info.internal)
            assert rows.rows == expected, shown
            assert rows.index == {tid: row for row, tid in enumerate(expected)}
        used = sum(result is not None for result in cut)
        # Cut whenever it can be when ids ascend; otherwise only up to where they stop.
        assert used > len(cut) * 3 // 4 if ids == sorted(ids) else 0 < used < len(cut) // 2
