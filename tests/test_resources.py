"""Resources (issue 12): every asyncio lock, semaphore, event, condition, queue and barrier,
with who holds it and who waits, at any moment of a run; deadlocks told as a cycle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_support import PROGRAMS, run_cli, run_json


@pytest.fixture(scope="module")
def trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("resources") / "run.trace"
    verdict = run_json("--trace", str(path), str(PROGRAMS / "resources.py"))
    assert verdict["status"] == "finished", verdict["_stderr"]
    assert [line["text"] for line in verdict["output"]] == ["done"]  # as under plain python
    return path


def _at(trace: Path, t: float) -> dict[str, dict]:
    """The resources by name at loop time ``t``, their task ids turned into names."""
    verdict = json.loads(run_cli("report", str(trace), "--json", "--at", str(t)).stdout)
    names = {task["id"]: task["name"] for task in verdict["tasks"]}
    found = {}
    for row in verdict["resources"]:
        for key in ("holders", "waiters", "putters", "joiners"):
            if row[key] is not None:
                row[key] = [names[tid] for tid in row[key]]
        row["holder"] = names.get(row["holder"])
        found[row["name"]] = row
    return found


def test_each_kind_says_who_holds_and_who_waits(trace: Path) -> None:
    now = _at(trace, 0.25)
    assert now["lock"]["holder"] == "holder" and now["lock"]["waiters"] == ["w1", "w2", "w3"]
    assert now["sem"]["holders"] == ["s1", "s2"] and now["sem"]["waiters"] == ["s3"]
    assert now["sem"]["value"] == 0
    assert now["ev"]["set"] is False and now["ev"]["waiters"] == ["e1", "e2"]
    assert now["full"]["size"] == 1 and now["full"]["maxsize"] == 1
    assert now["full"]["putters"] == ["putter"] and now["full"]["joiners"] == ["joiner"]
    assert now["empty"]["waiters"] == ["getter"] and now["empty"]["size"] == 0
    assert now["barrier"]["parties"] == 3 and now["barrier"]["waiters"] == ["b1", "b2"]
    assert now["cond"]["waiters"] == ["c1"]
    assert now["handed"]["holder"] == "giver"
    mine = {"lock", "sem", "ev", "full", "empty", "barrier", "cond", "handed"}
    assert {name for name, row in now.items() if not row["internal"]} == mine  # asyncio's own stay out
    for row in (now[name] for name in mine):
        assert row["origin"] == "user"
        assert row["where"].endswith(tuple(f"resources.py:{line}" for line in range(16, 24)))
        assert row["class"] == row["kind"]


def test_a_cancelled_waiter_leaves_and_a_release_by_another_task_clears_the_holder(trace: Path) -> None:
    later = _at(trace, 0.75)
    assert later["lock"]["waiters"] == ["w1", "w3"]  # w2 was cancelled while it waited
    assert later["handed"]["holder"] is None  # released by taker, which never held it


def test_condition_wait_reacquires_its_lock(trace: Path) -> None:
    now = _at(trace, 1.75)  # notified at 1.5; the notifier keeps the lock until 2.5
    assert now["cond"]["holder"] == "notifier" and now["cond"]["waiters"] == []
    (lock,) = [row for row in now.values() if row["kind"] == "Lock" and row["waiters"] == ["c1"]]
    assert lock["holder"] == "notifier"
    assert lock["origin"] == "asyncio" and not lock["internal"]  # asyncio's, but the user's task waits on it
    assert lock["name"] == "cond.lock" and lock["where"] == now["cond"]["where"]  # known by its condition


def test_at_the_end_nobody_waits(trace: Path) -> None:
    end = _at(trace, 1e9)
    assert all(not row["waiters"] for row in end.values())
    assert end["ev"]["set"] is True and end["sem"]["value"] == 2


def test_a_deadlock_is_told_as_a_cycle() -> None:
    verdict = run_json("deadlock")
    (deadlock,) = [d for d in verdict["diagnostics"] if d["kind"] == "deadlock"]
    message = deadlock["message"]
    assert 'Task-2 holds locks["A"] and waits on locks["B"] (Lock.acquire) held by Task-3' in message
    assert 'Task-3 holds locks["B"] and waits on locks["A"] (Lock.acquire) held by Task-2' in message
    rows = {row["name"]: row for row in verdict["resources"]}
    assert rows['locks["A"]']["holder"] is not None and rows['locks["A"]']["waiters"]


def test_a_wait_names_its_resource_in_the_text_report() -> None:
    result = run_cli("run", "--headless", "deadlock")
    assert 'locks["B"] (Lock.acquire) held by Task-3' in result.stdout
    assert "Resources" in result.stdout


def test_queue_join_shows_as_queue_join_not_its_inner_event(trace: Path) -> None:
    verdict = json.loads(run_cli("report", str(trace), "--json", "--at", "0.25").stdout)
    (joiner,) = [task for task in verdict["tasks"] if task["name"] == "joiner"]
    assert joiner["wait"]["detail"] == "Queue.join"


@pytest.mark.parametrize("path", ["compiled", "pure"])
def test_numbers_asyncio_takes_as_floats_are_reported_as_given(tmp_path: Path, path: str) -> None:
    """asyncio takes a float for a queue's maxsize or a semaphore's value (CPython's
    test_queues does it); the event carrying one was refused by the parent, and with it
    every other event of its batch."""
    program = tmp_path / "floats.py"
    program.write_text(
        "import asyncio\n"
        "async def main():\n"
        "    queue = asyncio.Queue(maxsize=2.5)\n"
        "    semaphore = asyncio.Semaphore(1.5)\n"
        "    async with semaphore:\n"
        "        queue.put_nowait('a')\n"
        "        print('size', queue.qsize())\n"
        "asyncio.run(main())\n"
    )
    verdict = run_json(str(program), env={"ASYNCSCOPE_PURE": "1" if path == "pure" else ""})
    assert verdict["diagnostics"] == []
    found = {resource["name"]: resource for resource in verdict["resources"]}
    assert found["queue"]["maxsize"] == 2.5 and found["queue"]["size"] == 1
    assert found["semaphore"]["value"] == 1.5
    assert [line["text"] for line in verdict["output"]] == ["size 1"]


@pytest.mark.skipif(sys.version_info < (3, 12),
                    reason="eager tasks are 3.12+ (the 3.12 and 3.13 passes of .ci/run run this)")
def test_a_lock_taken_in_an_eager_first_step_is_held_by_the_eager_task(tmp_path: Path) -> None:
    # The compiled hooks find the running loop through the step being run, which is the
    # creator's here: the holder must still be the task asyncio says is current.
    path = tmp_path / "run.trace"
    verdict = run_json("--trace", str(path), str(PROGRAMS / "eager_holder.py"))
    assert [line["text"] for line in verdict["output"]] == ["done"], verdict["_stderr"]
    assert _at(path, 0.25)["lock"]["holder"] == "taker"
