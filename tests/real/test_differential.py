"""Real programs print the same under asyncscope as under plain python (issues #8 and #10).

Each program in ``programs/`` is written the way its users write it (CPython's documentation
examples, aiohttp, httpx, websockets and anyio on loopback, service idioms: signals, stdin,
subprocesses, executors, threads with loops of their own). It runs under plain python and
under ``asyncscope run --headless --json`` on both clocks; stdout, stderr and the exit code
must be the same. A program whose order is not deterministic under python itself says
``compare: set`` in its docstring, and its lines are compared as sets.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"
STDIN = {"stdin_pipe.py": b"first\nsecond\n"}
ARGS = {"argv_and_exit.py": ["--help", "-x", "--", "tail"]}
NEEDS = {"aiohttp_service.py": "aiohttp", "httpx_gather.py": "httpx", "websockets_echo.py": "websockets",
         "anyio_groups.py": "anyio", "uvloop_service.py": "uvloop"}
def asyncscope_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "asyncscope", *args]


ENV = {**os.environ, "NO_COLOR": "1", "ASYNCSCOPE_LANG": "en", "PYTHONUNBUFFERED": "1"}


def _plain(program: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, str(program), *ARGS.get(program.name, [])],
                          input=STDIN.get(program.name, b""), capture_output=True, timeout=120,
                          env=ENV, cwd=program.parent, check=False)


def _traced(program: Path, clock: str, *extra: str) -> tuple[dict, subprocess.CompletedProcess[bytes]]:
    result = subprocess.run(
        asyncscope_cmd("run", "--headless", "--json", "--clock", clock, *extra, str(program),
                       *ARGS.get(program.name, [])),
        input=STDIN.get(program.name, b""), capture_output=True, timeout=120, env=ENV,
        cwd=program.parent, check=False)
    try:
        verdict = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"not one JSON object:\n{result.stdout[:2000]!r}\n{result.stderr[:2000]!r}")
    return verdict, result


def _stream(verdict: dict, stream: str) -> str:
    """The text the program wrote to ``stream``, rebuilt from the output records."""
    return "".join(r["text"] + ("\n" if r["nl"] else "") for r in verdict["output"] if r["stream"] == stream)


def _same(plain: str, traced: str, as_set: bool) -> None:
    if as_set:
        assert sorted(traced.splitlines()) == sorted(plain.splitlines())
    else:
        assert traced == plain


@pytest.mark.parametrize("clock", ["virtual", "real"])
@pytest.mark.parametrize("name", sorted(p.name for p in PROGRAMS.glob("*.py") if p.name != "graceful.py"))
def test_prints_the_same_as_python(name: str, clock: str) -> None:
    if name in NEEDS:
        pytest.importorskip(NEEDS[name], reason="a test-only dependency: pip install -e '.[test]'")
    program = PROGRAMS / name
    plain = _plain(program)
    verdict, traced = _traced(program, clock)
    as_set = "compare: set" in program.read_text()
    _same(plain.stdout.decode(), _stream(verdict, "stdout"), as_set)
    _same(plain.stderr.decode(), _stream(verdict, "stderr"), as_set)
    assert traced.returncode == verdict["exit_code"] == plain.returncode, verdict["message"]
    assert "deadlock" not in [d["kind"] for d in verdict["diagnostics"]]


def test_idle_time_is_still_skipped_on_the_virtual_clock() -> None:
    began = time.monotonic()
    verdict, _ = _traced(PROGRAMS / "polling.py", "virtual")
    assert time.monotonic() - began < 2  # 2 s of polling, skipped, yet the program saw it
    assert _stream(verdict, "stdout") == "rounds: 8\n"
    assert verdict["elapsed"] == pytest.approx(2.0, abs=0.1)


def test_output_written_to_the_descriptor_is_stamped_when_written() -> None:
    verdict, _ = _traced(PROGRAMS / "subprocess_lines.py", "virtual")
    t = {r["text"]: r["t"] for r in verdict["output"]}
    assert 0.2 < t["two"] - t["one"] < 1.0
    assert 0.2 < t["three"] - t["two"] < 1.0


def test_loops_in_threads_wait_for_real_and_say_why() -> None:
    verdict, _ = _traced(PROGRAMS / "loops_in_threads.py", "virtual")
    assert "several-loops" in [d["kind"] for d in verdict["diagnostics"]]


def test_taskgroup_children_are_cancelled_by_the_timeout_not_a_sibling() -> None:
    verdict, _ = _traced(PROGRAMS / "taskgroup_timeout.py", "virtual")
    causes = {t["cancelled_by"] for t in verdict["tasks"] if t["state"] == "cancelled"}
    assert causes == {"timeout, through Task-1"}


def _start(program: Path, *extra: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        asyncscope_cmd("run", "--headless", *extra, str(program)), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the program runs (its child exists)
        if subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True).stdout.strip():
            break
        time.sleep(0.05)
    time.sleep(1.0)
    return process


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_signals_reach_the_program_for_a_graceful_shutdown(signum: int) -> None:
    process = _start(PROGRAMS / "graceful.py", "--json")
    process.send_signal(signum)
    out, err = process.communicate(timeout=30)
    verdict = json.loads(out)
    assert _stream(verdict, "stdout") == "serving\nshutting down\nclosed cleanly\n", err
    assert verdict["status"] == "finished" and process.returncode == 0


def test_sigterm_ends_the_run_with_a_report_and_no_process_left(tmp_path: Path) -> None:
    program = tmp_path / "sleeper.py"
    program.write_text("import asyncio\n\nasync def main():\n"
                       "    p = await asyncio.create_subprocess_exec('sleep', '301')\n"
                       "    print('started', flush=True)\n    await p.wait()\n\nasyncio.run(main())\n")
    process = _start(program, "--json")
    process.send_signal(signal.SIGTERM)
    out, _err = process.communicate(timeout=30)
    verdict = json.loads(out)  # exactly one JSON object, as documented
    assert verdict["status"] == "crashed" and "SIGTERM" in verdict["message"]
    assert process.returncode == 128 + signal.SIGTERM
    time.sleep(0.3)
    assert not subprocess.run(["pgrep", "-f", "sleep 301"], capture_output=True).stdout.strip()


def test_a_program_reading_stdin_in_the_tui_gets_eof_and_a_diagnostic(tmp_path: Path) -> None:
    from asyncscope.model import Model
    from asyncscope.session import Session, Target

    program = tmp_path / "asks.py"
    program.write_text("try:\n    input('name? ')\nexcept EOFError:\n    print('got EOF')\n")
    session = Session(Target("path", str(program)), stdin="null")  # as the TUI starts it
    model = Model()
    session.start()
    for batch in session.batches():
        model.apply_all(batch)
    assert model.lines_text() == ["name? got EOF"]
    assert [d.kind for d in model.diagnostics] == ["stdin-closed"]


def test_uvloop_runs_on_a_traced_loop_and_says_so() -> None:
    pytest.importorskip("uvloop")
    verdict, _ = _traced(PROGRAMS / "uvloop_service.py", "virtual")
    assert [d["kind"] for d in verdict["diagnostics"]] == ["uvloop-replaced"]
    user = [t for t in verdict["tasks"] if not t["internal"]]
    assert len(user) == 4 and all(t["steps"] >= 1 and t["state"] == "done" for t in user)
    assert verdict["elapsed"] == pytest.approx(0.2, abs=0.05)  # each tick at its own time, not all at t=0


def test_tasks_made_by_callbacks_name_the_callback_not_asyncio_run() -> None:
    verdict, _ = _traced(PROGRAMS / "callback_tasks.py", "real")
    by_coro = {t["coro"]: t for t in verdict["tasks"]}
    assert by_coro["handler"]["from_callback"] == "StreamReaderProtocol.connection_made"
    assert by_coro["handler"]["where"].endswith("callback_tasks.py:3")  # the handler itself
    assert by_coro["handler"]["parent"] is None
    assert by_coro["job"]["from_callback"] == "on_timer"
    assert by_coro["job"]["where"].endswith("callback_tasks.py:7")
    assert by_coro["main"]["from_callback"] is None
