"""asyncscope compare A B --headless (issue 13): both verdicts and the difference, from two
programs, two traces or one of each; exit status 0 whenever both could be run or read."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_support import PROGRAMS, run_cli


def test_sequential_against_gather_says_which_took_less() -> None:
    result = run_cli("compare", "sequential", "gather", "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["a"]["status"] == body["b"]["status"] == "finished"
    assert abs(body["a"]["elapsed"] - 3.0) < 0.05 and abs(body["b"]["elapsed"] - 2.0) < 0.05
    difference = body["difference"]
    assert difference["faster"] == "b"
    assert abs(difference["elapsed"]["b_minus_a"] + 1.0) < 0.05
    assert difference["user_tasks"] == {"a": 1, "b": 4}
    assert difference["summary"].startswith("A (sequential) finished at t=3.0")
    took = re.search(r"B took (\d+\.\d+) s less\.$", difference["summary"])
    assert took and abs(float(took.group(1)) - 1.0) < 0.05


def test_text_compare_prints_both_reports_and_the_difference() -> None:
    result = run_cli("compare", "sequential", "create_task", "--headless")
    assert result.returncode == 0
    assert "A · sequential" in result.stdout and "B · create_task" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("A (sequential) finished")


def test_traces_and_a_failing_program_compare_too(tmp_path: Path) -> None:
    trace = tmp_path / "seq.trace"
    run_cli("run", "--headless", "--trace", str(trace), "sequential")
    result = run_cli("compare", str(trace), str(PROGRAMS / "fails.py"), "--json")
    assert result.returncode == 0  # both could be run or read, whatever their verdicts
    body = json.loads(result.stdout)
    assert body["a"]["status"] == "finished" and body["b"]["status"] == "failed"
    assert body["difference"]["status"] == {"a": "finished", "b": "failed", "same": False}


def test_something_that_cannot_be_run_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("compare", "sequential", str(tmp_path / "missing.py"), "--headless")
    assert result.returncode != 0
    assert "missing.py" in result.stderr and "Traceback" not in result.stderr


def test_a_compare_that_fails_leaves_no_recording_behind(tmp_path: Path) -> None:
    """A's recording lives in a temporary directory; when B cannot run, nobody else would
    remove it (132 of them had piled up in /tmp on the machine that found this)."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = run_cli("compare", "sequential", str(tmp_path / "missing.py"), "--json",
                     env={"TMPDIR": str(scratch)})
    assert result.returncode != 0
    assert list(scratch.iterdir()) == []
