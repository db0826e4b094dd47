"""The control channel: pause, single-step, step an iteration, speed (issue #2)."""

from __future__ import annotations

import time

import pytest
from cli_support import SCENARIOS

from asyncscope.events import End, Output, Paused, Step, TaskDone
from asyncscope.model import Model
from asyncscope.session import Session, Target


def _until(session: Session, model: Model, predicate, timeout: float = 20.0) -> list:
    """Apply batches until ``predicate(event)`` holds for one; return the events seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = session.next_batch(timeout=0.1)
        if batch is None:
            raise AssertionError(f"stream ended first; saw {seen[-5:]}")
        for event in batch:
            model.apply(event)
            seen.append(event)
            if predicate(event):
                return seen
    raise AssertionError(f"timed out; saw {seen[-5:]}")


def _session(name: str, **kwargs) -> Session:
    session = Session(Target("path", str(SCENARIOS / f"{name}.py")), **kwargs)
    session.start()
    return session


def test_starts_paused_before_the_first_step_and_steps_one_at_a_time():
    session = _session("create_task", paused=True)
    model = Model()
    try:
        _until(session, model, lambda e: isinstance(e, Paused))
        assert model.paused and model.steps == 0 and model.output == []
        for expected_steps in (1, 2, 3):
            session.send("step")
            seen = _until(session, model, lambda e: isinstance(e, Paused))
            steps = [e for e in seen if isinstance(e, (Step, TaskDone))]
            assert len(steps) == 1, seen
            assert model.steps == expected_steps
        # Three steps: main ran up to its first await, then each child printed its first line.
        assert model.lines_text() == ["you say,", "I say,"]
        assert model.t < 0.05  # the time it was held paused is not program time
        session.send("resume")
        _until(session, model, lambda e: isinstance(e, End))
        assert model.status == "finished" and model.t == pytest.approx(2.0, abs=0.05)
    finally:
        session.stop()


def test_paused_at_step_reports_the_next_task_and_ready_tasks():
    session = _session("gather", paused=True)
    model = Model()
    try:
        _until(session, model, lambda e: isinstance(e, Paused))
        session.send("step")  # main runs: gather creates three tasks, all ready
        _until(session, model, lambda e: isinstance(e, Paused) and e.next is not None)
        ready = [info.name for info in model.tasks.values() if info.state == "ready" and not info.internal]
        assert len(ready) == 3
        assert model.next_task is not None and model.tasks[model.next_task].coro == "goodbye"
    finally:
        session.stop()


def test_step_iteration_runs_a_whole_loop_iteration():
    session = _session("gather", paused=True)
    model = Model()
    try:
        _until(session, model, lambda e: isinstance(e, Paused))
        session.send("step")  # main's first step
        _until(session, model, lambda e: isinstance(e, Paused) and e.next is not None)
        session.send("step-iteration")  # the three children's first steps, together
        _until(session, model, lambda e: isinstance(e, Paused) and model.steps >= 4)
        assert model.lines_text() == ["you say,", "I say,", "I say,"]
        assert model.t < 0.05  # the time it was held paused is not program time
    finally:
        session.stop()


def test_speed_plays_virtual_time_at_wall_speed():
    began = time.monotonic()
    session = _session("create_task", speed=2.0)  # 2 s of loop time at 2x: about 1 s
    model = Model()
    _until(session, model, lambda e: isinstance(e, End))
    wall = time.monotonic() - began
    assert model.t == pytest.approx(2.0, abs=0.05)
    assert 0.9 <= wall < 10


def test_stop_ends_the_stream_with_stopped():
    session = _session("sequential", paused=True)
    model = Model()
    _until(session, model, lambda e: isinstance(e, Paused))
    pid = session.pid
    session.stop()
    _until(session, model, lambda e: isinstance(e, End))
    assert model.status == "stopped"
    assert session.next_batch(timeout=5) is None
    import os

    try:
        os.kill(pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive


def test_output_events_carry_sequence_numbers_in_order():
    session = _session("gather")
    model = Model()
    seen = _until(session, model, lambda e: isinstance(e, End))
    seqs = [e.seq for e in seen if isinstance(e, Output)]
    assert seqs == sorted(seqs) and len(seqs) == 6


def test_slow_motion_reports_the_clock_while_tasks_sleep():
    session = _session("sequential", speed=4.0)  # 3 s of loop time in about 0.75 s
    model = Model()
    seen = _until(session, model, lambda e: isinstance(e, End))
    ticks = [e.t for e in seen if type(e).__name__ == "Tick"]
    # Many intermediate readings between the timers at 0, 2 and 3 s, not just the jumps.
    assert len([t for t in ticks if 0 < t < 2]) >= 3
    assert ticks == sorted(ticks)
