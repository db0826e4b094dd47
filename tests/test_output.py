"""Output capture: every write arrives, in order, attributed to its task (issue #2)."""

from __future__ import annotations

import pytest
from cli_support import PROGRAMS, run_json, texts


def test_every_kind_of_write_arrives_attributed():
    verdict = run_json(str(PROGRAMS / "output_mix.py"))
    assert verdict["status"] == "finished", verdict["_stderr"]
    by_text = {line["text"]: line for line in verdict["output"]}
    assert by_text["from main"]["task"] == "Task-1"
    assert by_text["to stderr"]["stream"] == "stderr"
    assert by_text["bytes \ufffd line"]["task"] == "Task-1"  # undecodable bytes replaced
    assert by_text["log:logged"]["stream"] == "stderr"
    assert by_text["raw fd line"]["task"] is None  # written below Python: still captured
    assert by_text["from thread"]["task"] is None
    # A partial line is joined with its end, and attributed to the task that wrote it.
    assert by_text["part-worker done"]["task"] == "worker"
    assert by_text["part-worker done"]["t"] < 0.05
    assert by_text["stdin closed"]["task"] == "Task-1"  # input() failed fast


def test_output_before_os_exit_is_kept():
    verdict = run_json(str(PROGRAMS / "exit_hard.py"))
    assert verdict["status"] == "crashed"
    assert verdict["exit_code"] == 7
    assert texts(verdict) == ["line 0", "line 1", "line 2", "partial without newline"]
    assert verdict["_returncode"] == 7


def test_uncaught_exception_fails_with_traceback():
    verdict = run_json(str(PROGRAMS / "fails.py"))
    assert verdict["status"] == "failed"
    assert verdict["exit_code"] == 1
    assert verdict["message"] == "ValueError: kaboom"
    assert verdict["elapsed"] == pytest.approx(1.0, abs=0.05)
    stderr = "\n".join(line["text"] for line in verdict["output"] if line["stream"] == "stderr")
    assert "Traceback (most recent call last)" in stderr
    assert "asyncscope" not in stderr  # the user's traceback, without our frames
    failed = {task["coro"]: task for task in verdict["tasks"]}
    assert failed["main"]["state"] == "failed"
    assert failed["main"]["error"] == "ValueError: kaboom"
