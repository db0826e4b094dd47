"""What a suspended task waits on, why a task was cancelled, and asyncio's own warnings."""

from __future__ import annotations

import re

import pytest
from cli_support import PROGRAMS, kinds, run_json, texts

from asyncscope.model import Model
from asyncscope.trace import read_trace


def _waits(tmp_path, program: str) -> dict[str, set[str]]:
    trace = tmp_path / "run.trace"
    verdict = run_json("--trace", str(trace), str(PROGRAMS / program))
    assert verdict["status"] == "finished", verdict["_stderr"]
    model = Model()
    seen: dict[str, set[str]] = {}
    for batch in read_trace(str(trace)):
        for event in batch:
            model.apply(event)
            info = model.tasks.get(getattr(event, "task", None) or 0)
            if info is not None and info.state == "waiting" and info.wait is not None:
                seen.setdefault(info.name, set()).add(f"{info.wait.kind}:{model.wait_text(info)}")
    return seen


def test_each_kind_of_wait_is_named(tmp_path):
    seen = _waits(tmp_path, "waits.py")
    # Program time carries the real time the steps took: a millisecond at most here.
    assert any(re.fullmatch(r"sleep:sleep → t=5\.00\d", wait) for wait in seen["sleeper"]), seen["sleeper"]
    # A wait on a resource names it (the variable it was assigned to) and who holds it.
    assert "sync:event (Event.wait)" in seen["event_waiter"]
    assert "sync:lock (Lock.acquire) held by Task-1" in seen["lock_waiter"]
    assert "sync:queue (Queue.get)" in seen["queue_getter"]
    assert any(w.startswith("future:") for w in seen["future_waiter"])
    assert any(w.startswith("io:") for w in seen["reader"])
    assert any(w.startswith("thread:") for w in seen["thread_waiter"])
    assert "task:other" in seen["Task-1"]
    assert "gather:gather(7)" in seen["Task-1"]


def test_cancellation_causes_are_known():
    verdict = run_json(str(PROGRAMS / "cancel_causes.py"))
    assert texts(verdict) == ["group failed", "timed out"]
    tasks = {task["name"]: task for task in verdict["tasks"]}
    assert tasks["sibling"]["state"] == "cancelled"
    assert tasks["sibling"]["cancelled_by"] == "TaskGroup (a sibling task failed)"
    assert tasks["failing"]["state"] == "failed"
    assert tasks["slow"]["state"] == "cancelled"
    assert tasks["slow"]["cancelled_by"] == "timeout, through Task-1"


def test_lost_tasks_are_diagnosed():
    verdict = run_json(str(PROGRAMS / "lost_tasks.py"))
    found = {d["kind"]: d for d in verdict["diagnostics"]}
    assert found["exception-never-retrieved"]["task"] == "fails"
    assert "ValueError: nobody looks at me" in found["exception-never-retrieved"]["message"]
    assert found["destroyed-pending"]["task"] == "forever"
    assert found["destroyed-pending"]["where"].endswith("lost_tasks.py:15")


def test_every_way_of_making_a_loop_is_traced():
    verdict = run_json(str(PROGRAMS / "policies.py"))
    assert texts(verdict) == ["new_event_loop", "Runner", "run"]
    assert verdict["elapsed"] == pytest.approx(3.0, abs=0.05)  # all three on the virtual clock
    jobs = [task for task in verdict["tasks"] if task["coro"] == "job"]
    assert len(jobs) == 3 and all(task["state"] == "done" for task in jobs)


def test_killed_program_keeps_its_output():
    verdict = run_json(str(PROGRAMS / "killed.py"))
    assert verdict["status"] == "crashed"
    assert verdict["exit_code"] == 128 + 9
    assert "SIGKILL" in verdict["message"]
    assert texts(verdict) == ["before the kill", "no newline yet"]
    assert kinds(verdict) == []


def test_results_are_described_without_running_program_code():
    """repr() of a user object is a call into the program; asyncio never makes it, nor may we."""
    verdict = run_json(str(PROGRAMS / "results.py"))
    assert "REPR CALLED" not in texts(verdict)
    results = {task["coro"]: task["result"] for task in verdict["tasks"]}
    assert results["number"] == "42"
    assert results["loud"] == "<__main__.Loud object>"
