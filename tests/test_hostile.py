"""Hostile programs: never hang, never lose output, always a clear verdict (issue #5)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import defaultdict

from cli_support import PROGRAMS, asyncscope_cmd, kinds, run_json, texts


def test_blocking_call_is_diagnosed_at_its_line():
    verdict = run_json(str(PROGRAMS / "blocking.py"))
    assert verdict["status"] == "finished"
    blocking = [d for d in verdict["diagnostics"] if d["kind"] == "blocking"]
    assert len(blocking) == 1
    assert blocking[0]["where"].endswith("blocking.py:13")  # the time.sleep line
    assert blocking[0]["task"] == "Task-3"


def test_slow_threshold_is_configurable():
    verdict = run_json("--slow", "1", str(PROGRAMS / "blocking.py"))
    assert "blocking" not in kinds(verdict)


def test_cpu_hog_times_out_with_the_spinning_line():
    began = time.monotonic()
    verdict = run_json("--timeout", "1.5", str(PROGRAMS / "hog.py"))
    assert time.monotonic() - began < 20
    assert verdict["status"] == "timeout"
    assert verdict["exit_code"] == 124
    assert texts(verdict) == ["spinning"]
    blocking = next(d for d in verdict["diagnostics"] if d["kind"] == "blocking")
    line = int(blocking["where"].rsplit(":", 1)[1])
    assert line in (7, 8)  # inside the while loop


def test_import_error_is_an_input_error():
    verdict = run_json(str(PROGRAMS / "import_error.py"))
    assert verdict["status"] == "error"
    assert verdict["exit_code"] == 2
    error = next(d for d in verdict["diagnostics"] if d["kind"] == "error")
    assert "import_error.py:2" in error["message"] and "no_such_dependency_xyz" in error["message"]


def test_flood_arrives_complete_and_in_order_per_task():
    verdict = run_json(str(PROGRAMS / "flood.py"), timeout=300)
    assert verdict["status"] == "finished"
    per_task: dict[str, list[int]] = defaultdict(list)
    for line in verdict["output"]:
        name, number = line["text"].split()
        per_task[name].append(int(number))
    assert sorted(per_task) == ["a", "b", "c", "d"]
    for numbers in per_task.values():
        assert numbers == list(range(50_000))


def test_subprocess_output_is_captured():
    verdict = run_json(str(PROGRAMS / "subprocess_print.py"))
    assert verdict["status"] == "finished"
    assert {"from a subprocess", "async child", "parent done"} <= set(texts(verdict))


def test_ctrl_c_reaches_the_program_and_the_report_follows():
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen(asyncscope_cmd("run", "--headless", "--json", "--clock", "real",
                                              str(PROGRAMS / "long_real.py")),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 30
    child = ""
    while not child and time.monotonic() < deadline:  # wait for the child process to exist
        child = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.strip()
        time.sleep(0.1)
    assert child, "the program was never started"
    time.sleep(1.0)  # let it print its first line
    process.send_signal(signal.SIGINT)
    out, _err = process.communicate(timeout=30)
    verdict = json.loads(out)
    # The program got the Ctrl+C itself: KeyboardInterrupt, as under python, exit 130.
    assert verdict["status"] == "stopped"
    assert process.returncode == 130
    assert texts(verdict)[0] == "started"
    assert "KeyboardInterrupt" in texts(verdict)[-1]
    assert b"Ctrl+C passed to the program" in _err
    # No orphan: the child that ran the program is gone.
    for pid in child.split():
        assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read().lower(), pid


def test_output_with_markup_is_kept_verbatim_in_json():
    verdict = run_json(str(PROGRAMS / "markup.py"))
    assert texts(verdict)[0] == "[bold red]not bold[/bold red]"
    assert texts(verdict)[1].startswith("\x1b[31mnot red")


def test_segfault_is_a_crash_with_its_output():
    verdict = run_json(str(PROGRAMS / "segfault.py"))
    assert verdict["status"] == "crashed"
    assert verdict["exit_code"] == 128 + 11
    assert "SIGSEGV" in verdict["message"]
    assert texts(verdict)[0] == "about to crash"
    stderr = [line["text"] for line in verdict["output"] if line["stream"] == "stderr"]
    assert any("Segmentation fault" in text or "Fatal Python error" in text for text in stderr)


def test_unhandled_exception_group_fails_with_its_traceback():
    verdict = run_json(str(PROGRAMS / "group_fails.py"))
    assert verdict["status"] == "failed"
    assert verdict["exit_code"] == 1
    assert "ExceptionGroup" in verdict["message"]
    stderr = "\n".join(line["text"] for line in verdict["output"] if line["stream"] == "stderr")
    assert "ValueError: bad 1" in stderr
    states = sorted(task["state"] for task in verdict["tasks"] if task["coro"] == "bad")
    assert states == ["cancelled", "failed"]  # the second was cancelled by its sibling's failure


def test_binary_file_is_refused_clearly():
    verdict = run_json(str(PROGRAMS / "binary.py"))
    assert verdict["status"] == "error"
    assert "binary.py" in verdict["diagnostics"][0]["message"]


def test_very_long_lines_and_raw_bytes_arrive():
    verdict = run_json(str(PROGRAMS / "long_line.py"))
    assert verdict["status"] == "finished"
    lines = texts(verdict)
    assert lines[0] == "x" * 1_000_000
    # The 0x0a byte ends a line; every other byte is kept, undecodable ones as U+FFFD.
    assert lines[1] == "".join(chr(code) for code in range(10))
    assert len(lines[2]) == 245 and lines[2].count("\ufffd") == 128
    assert lines[3] == "end"
