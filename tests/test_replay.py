"""Recorded runs read back (issue #11): ``asyncscope report TRACE [--json] [--at T]``.

A trace holds every event of a run; the report rebuilt from it is the live report, field for
field, and ``--at`` shows the run as it stood at a moment. A bad trace is a one-line error,
never a traceback, and loading one never runs code.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from cli_support import PROGRAMS, run_cli, run_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asyncscope import catalog
from asyncscope.trace import MAGIC

# Programs that run (ones rejected before they start, like binary or non-UTF-8 files, leave no trace).
HOSTILE = ["fails.py", "group_fails.py", "segfault.py", "exit_hard.py", "markup.py",
           "output_mix.py", "results.py", "lost_tasks.py", "deadlock.py", "killed.py",
           "subprocess_print.py", "cancel_causes.py", "long_line.py"]


def _round_trip(target: str, tmp_path: Path) -> None:
    trace = tmp_path / "run.trace"
    live = run_cli("run", "--headless", "--json", "--trace", str(trace), target)
    replayed = run_cli("report", str(trace), "--json")
    assert json.loads(replayed.stdout) == json.loads(live.stdout)
    assert replayed.returncode == live.returncode


@pytest.mark.parametrize("name", [s.name for s in catalog.scenarios()])
def test_a_report_from_the_trace_is_the_live_report_for_every_scenario(name: str, tmp_path: Path) -> None:
    _round_trip(name, tmp_path)


@pytest.mark.parametrize("program", HOSTILE)
def test_a_report_from_the_trace_is_the_live_report_for_hostile_programs(program: str, tmp_path: Path) -> None:
    _round_trip(str(PROGRAMS / program), tmp_path)


@pytest.fixture(scope="module")
def seed_traces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    traces = {}
    for name in ("sequential", "create_task"):
        trace = tmp_path_factory.mktemp(name) / f"{name}.trace"
        run_json("--trace", str(trace), name)
        traces[name] = trace
    return traces


def _at(trace: Path, t: float) -> dict:
    result = run_cli("report", str(trace), "--json", "--at", str(t))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_report_at_a_moment_of_the_sequential_example(seed_traces: dict[str, Path]) -> None:
    early = _at(seed_traces["sequential"], 1.5)  # main sleeps 2 s after "you say,"
    assert [line["text"] for line in early["output"]] == ["you say,"]
    assert early["status"] == "running" and early["exit_code"] is None
    assert early["elapsed"] == 1.5
    (main,) = [task for task in early["tasks"] if not task["internal"]]
    assert main["state"] == "pending" and main["wait"]["kind"] == "sleep"
    later = _at(seed_traces["sequential"], 2.5)  # goodbye printed, then I say, and a 1 s sleep
    assert [line["text"] for line in later["output"]] == ["you say,", "goodbye", "I say,"]


def test_report_at_a_moment_of_the_create_task_example(seed_traces: dict[str, Path]) -> None:
    moment = _at(seed_traces["create_task"], 1.5)  # hello finished at 1 s, goodbye due at 2 s
    assert [line["text"] for line in moment["output"]] == ["you say,", "I say,", "hello"]
    states = {task["coro"]: task["state"] for task in moment["tasks"] if not task["internal"]}
    assert states == {"main": "pending", "hello": "done", "goodbye": "pending"}
    text = run_cli("report", str(seed_traces["create_task"]), "--at", "1.5").stdout
    assert "running  loop time 1.500s  exit code -" in text


@pytest.mark.parametrize(("content", "says"), [
    (None, "cannot read"),
    (b"", "is empty"),
    (b"print('not a trace')\n", "not an asyncscope trace"),
    (MAGIC[:7] + b"\x63", "schema version 99"),
    (MAGIC + b"\x05\x00\x00\x00\xc1\xc1\xc1\xc1\xc1", "is corrupt"),
])
def test_a_bad_trace_is_a_one_line_error(tmp_path: Path, content: bytes | None, says: str) -> None:
    path = tmp_path / "bad.trace"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("report", str(path))
    assert result.returncode == 2
    assert says in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_truncated_trace_is_reported_up_to_its_last_whole_batch(seed_traces: dict[str, Path],
                                                                  tmp_path: Path) -> None:
    data = seed_traces["create_task"].read_bytes()
    cut = tmp_path / "cut.trace"
    cut.write_bytes(data[: len(data) - 7])
    result = run_cli("report", str(cut), "--json")
    verdict = json.loads(result.stdout)
    assert "truncated" in result.stderr
    assert "trace-truncated" in [d["kind"] for d in verdict["diagnostics"]]
    assert [line["text"] for line in verdict["output"]][:2] == ["you say,", "I say,"]


@pytest.fixture(scope="module")
def sample_trace(seed_traces: dict[str, Path]) -> bytes:
    return seed_traces["create_task"].read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_traces_never_crash_the_reader(sample_trace: bytes, tmp_path_factory: pytest.TempPathFactory,
                                              data: st.DataObject) -> None:
    """Mutated traces (bytes flipped, cut, spliced): a report or a clean error, never a traceback."""
    blob = bytearray(sample_trace)
    for _ in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        where = data.draw(st.integers(0, max(0, len(blob) - 1)))
        if kind == "flip" and blob:
            blob[where] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del blob[where:]
        elif kind == "insert":
            blob[where:where] = data.draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del blob[where:where + data.draw(st.integers(1, 16))]
    path = tmp_path_factory.mktemp("fuzz") / "mutated.trace"
    path.write_bytes(bytes(blob))
    from asyncscope.headless import report_trace

    out, err = io.StringIO(), io.StringIO()
    stdout_buffer = io.BytesIO()
    real_stdout = sys.stdout
    with redirect_stdout(out), redirect_stderr(err):
        sys.stdout.buffer = stdout_buffer  # type: ignore[misc]  # --json writes bytes
        try:
            code = report_trace(str(path), as_json=True)
        finally:
            del sys.stdout.buffer
    assert sys.stdout is real_stdout
    assert code in (0, 1, 2) or code > 2  # the recorded exit code, or 2 for a bad trace
    if code == 2 and not stdout_buffer.getvalue():
        assert err.getvalue().count("\n") <= 1
    else:
        json.loads(stdout_buffer.getvalue())  # exactly one JSON object


def test_a_trace_recorded_in_english_reads_in_japanese(tmp_path: Path) -> None:
    """The child reports facts; the words are the viewer's: a deadlock and a task cancelled
    at shutdown, recorded under ``--lang en``, are told in Japanese by ``report --lang ja``."""
    trace = tmp_path / "deadlock.trace"
    live = run_cli("run", "--headless", "--json", "--lang", "en", "--trace", str(trace), "deadlock")
    english = json.loads(live.stdout)
    assert "no task can make progress" in english["diagnostics"][0]["message"]
    japanese = json.loads(run_cli("report", str(trace), "--json", "--lang", "ja").stdout)
    message = japanese["diagnostics"][0]["message"]
    assert message.startswith("デッドロック") and "Lock.acquire" in message
    assert japanese["tasks"] == english["tasks"]


def test_an_older_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    trace = tmp_path / "old.trace"
    trace.write_bytes(MAGIC[:7] + bytes([1]))
    result = run_cli("report", str(trace))
    assert result.returncode != 0
    assert "version" in result.stderr and len(result.stderr.strip().splitlines()) == 1
