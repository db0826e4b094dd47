"""The mission's examples, as the runner must report them (issue #2, "Done when")."""

from __future__ import annotations

import pytest
from cli_support import SCENARIOS, kinds, run_json, texts, user_tasks


@pytest.fixture(scope="module")
def verdicts():
    names = ["sequential", "create_task", "gather", "abandoned_task", "never_awaited"]
    return {name: run_json(name) for name in names}


def test_sequential_takes_three_seconds_and_creates_no_task(verdicts):
    verdict = verdicts["sequential"]
    assert verdict["status"] == "finished"
    assert verdict["elapsed"] == pytest.approx(3.0, abs=0.05)
    # Awaiting a coroutine runs it inside the current task: only main's task exists.
    assert [task["coro"] for task in user_tasks(verdict)] == ["main"]
    assert texts(verdict) == ["you say,", "goodbye", "I say,", "hello"]


def test_tasks_started_first_take_two_seconds(verdicts):
    for name in ("create_task", "gather"):
        assert verdicts[name]["elapsed"] == pytest.approx(2.0, abs=0.05), name


def test_output_is_stamped_with_loop_time_and_task(verdicts):
    lines = {line["text"]: line for line in verdicts["create_task"]["output"]}
    assert lines["hello"]["t"] == pytest.approx(1.0, abs=0.05)
    assert lines["goodbye"]["t"] == pytest.approx(2.0, abs=0.05)
    tasks = {task["name"]: task for task in verdicts["create_task"]["tasks"]}
    assert tasks[lines["hello"]["task"]]["coro"] == "hello"
    assert tasks[lines["goodbye"]["task"]]["coro"] == "goodbye"


def test_gather_order_follows_the_sleeps(verdicts):
    assert texts(verdicts["gather"]) == ["you say,", "I say,", "I say,", "hello", "hello", "goodbye"]
    assert len(user_tasks(verdicts["gather"])) == 4


def test_abandoned_task_is_cancelled_at_shutdown(verdicts):
    verdict = verdicts["abandoned_task"]
    assert texts(verdict) == ["I say,"]
    hello = next(task for task in user_tasks(verdict) if task["coro"] == "hello")
    assert hello["state"] == "cancelled"
    assert hello["cancelled_by"] == "asyncio.run() shutdown"
    diagnostic = next(d for d in verdict["diagnostics"] if d["kind"] == "cancelled-at-shutdown")
    assert diagnostic["task"] == hello["name"]
    # It points at the create_task line, where the reference was dropped.
    source = (SCENARIOS / "abandoned_task.py").read_text().splitlines()
    line = int(diagnostic["where"].rsplit(":", 1)[1])
    assert "create_task(hello())" in source[line - 1]


def test_never_awaited_points_at_the_calling_line(verdicts):
    verdict = verdicts["never_awaited"]
    assert kinds(verdict) == ["never-awaited"]
    diagnostic = verdict["diagnostics"][0]
    path, line = diagnostic["where"].rsplit(":", 1)
    assert path.endswith("never_awaited.py")
    source = (SCENARIOS / "never_awaited.py").read_text().splitlines()
    assert source[int(line) - 1].strip().startswith("hello()")
    assert "I say," not in texts(verdict)
    # Python's own warning is still printed, pointing at the user's line.
    warning = next(line for line in verdict["output"] if "was never awaited" in line["text"])
    assert "never_awaited.py" in warning["text"]
    assert warning["stream"] == "stderr"


def test_internal_tasks_are_marked(verdicts):
    internal = [task["coro"] for task in verdicts["sequential"]["tasks"] if task["internal"]]
    assert "BaseEventLoop.shutdown_asyncgens" in internal
