"""The fold: what views see is exactly what the events say."""

from __future__ import annotations

from asyncscope.events import End, Output, Paused, Step, TaskCreated, TaskDone, Wait
from asyncscope.model import Model


def _created(model: Model, tid: int, name: str = "") -> None:
    model.apply(TaskCreated(0.0, tid, name or f"Task-{tid}", "main", None, "x.py:1", False))


def test_line_fragments_join_per_task_and_stream():
    model = Model()
    _created(model, 1)
    _created(model, 2)
    model.apply(Output(0, 0.0, 1, "stdout", "par", False, None))
    model.apply(Output(1, 0.0, 2, "stdout", "other", True, None))
    model.apply(Output(2, 0.5, 1, "stdout", "tial", True, None))
    assert model.lines_text() == ["partial", "other"]
    assert all(line.complete for line in model.output)


def test_states_follow_steps_and_pauses():
    model = Model()
    _created(model, 1)
    assert model.tasks[1].state == "ready"
    model.apply(Step(0.0, 1, 10, Wait("sleep", until=1.0), [1, 3]))
    assert model.tasks[1].state == "waiting"
    assert model.wait_text(model.tasks[1]) == "sleep → t=1.000"
    model.apply(Paused(1.0, 1, [1]))
    assert model.paused and model.next_task == 1 and model.tasks[1].state == "ready"
    model.apply(TaskDone(1.0, 1, 5, "done", "42", None, None, None))
    assert model.tasks[1].state == "done" and model.tasks[1].steps == 2
    assert [state for _t, state in model.tasks[1].history] == ["ready", "waiting", "ready", "done"]
    model.apply(End(1.0, "finished", 0, None, None))
    assert model.status == "finished" and model.t == 1.0


def test_output_limit_drops_the_oldest_lines_in_chunks():
    model = Model(output_limit=100)
    for index in range(1000):
        model.apply(Output(index, 0.0, None, "stdout", str(index), True, None))
    assert len(model.output) <= 100 + 100 // 8
    assert model.output_dropped + len(model.output) == 1000
    assert model.output[-1].text == "999"


def test_the_status_bar_counts_the_programs_own_tasks():
    model = Model()
    _created(model, 1)
    model.apply(TaskCreated(0.0, 2, "Task-2", "_serve", None, None, True, origin="asyncio"))
    _created(model, 3)
    assert model.user_task_count == len(model.user_tasks()) == 2
    past = model.snapshot().restore()
    model.apply(TaskCreated(0.1, 4, "Task-4", "work", 1, "x.py:2", False))
    assert model.user_task_count == 3 and past.user_task_count == 2  # a moment before keeps its own count
