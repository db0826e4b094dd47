"""Virtual and real clocks (issue #2: "Clock and control")."""

from __future__ import annotations

import time

import pytest
from cli_support import PROGRAMS, kinds, run_json, texts


def test_virtual_clock_costs_no_wall_time(tmp_path):
    program = tmp_path / "long_sleep.py"
    program.write_text("import asyncio\nasyncio.run(asyncio.sleep(3600))\nprint('done')\n")
    began = time.monotonic()
    verdict = run_json(str(program))
    assert time.monotonic() - began < 30
    assert verdict["elapsed"] == pytest.approx(3600.0, abs=0.1)  # plus the real time the steps took
    assert texts(verdict) == ["done"]


def test_real_clock_takes_real_time(tmp_path):
    program = tmp_path / "short_sleep.py"
    program.write_text("import asyncio\nasyncio.run(asyncio.sleep(0.3))\n")
    began = time.monotonic()
    verdict = run_json("--clock", "real", str(program))
    assert time.monotonic() - began >= 0.3
    assert verdict["clock"] == "real"
    assert 0.3 <= verdict["elapsed"] < 5


def test_virtual_clock_waits_for_threads():
    verdict = run_json(str(PROGRAMS / "thread_vs_timer.py"))
    assert texts(verdict) == ["thread done", "timer fired"]
    lines = {line["text"]: line["t"] for line in verdict["output"]}
    assert 0.2 <= lines["thread done"] < 5  # the clock ran in real time while the thread worked
    assert lines["timer fired"] == pytest.approx(10.0, abs=0.05)


def test_deadlock_is_reported_promptly():
    began = time.monotonic()
    verdict = run_json(str(PROGRAMS / "deadlock.py"))
    assert time.monotonic() - began < 30
    assert verdict["status"] == "deadlock"
    assert kinds(verdict) == ["deadlock"]
    message = verdict["diagnostics"][0]["message"]
    assert "Event.wait" in message and "gather(2)" in message
    assert "deadlock.py" in message


def test_timeout_stops_a_hanging_program(tmp_path):
    program = tmp_path / "hang.py"
    program.write_text("import asyncio, time\nprint('before')\nwhile True:\n    time.sleep(0.05)\n")
    verdict = run_json("--timeout", "1", str(program))
    assert verdict["status"] == "timeout"
    assert verdict["exit_code"] == 124
    assert texts(verdict) == ["before"]


def test_calendar_functions_follow_the_program_clock(tmp_path):
    program = tmp_path / "calendar.py"
    program.write_text(
        "import asyncio, time\n\nasync def main():\n"
        "    a, l0 = time.time(), time.mktime(time.localtime())\n    await asyncio.sleep(7200)\n"
        "    print(round((time.time() - a) / 3600), round((time.mktime(time.localtime()) - l0) / 3600))\n"
        "    print(time.strftime('%H') == time.strftime('%H', time.localtime(time.time())))\n\n"
        "asyncio.run(main())\n")
    verdict = run_json(str(program))
    assert texts(verdict) == ["2 2", "True"]
    assert kinds(verdict) == []  # no datetime here: nothing to warn about


def test_datetime_after_a_skip_is_diagnosed_not_silently_wrong():
    verdict = run_json(str(PROGRAMS / "datetime_user.py"))
    assert kinds(verdict) == ["datetime-real"]
    assert verdict["diagnostics"][0]["where"].endswith("datetime_user.py")
    real = run_json("--clock", "real", str(PROGRAMS / "datetime_user.py"))
    assert texts(real) == ["slept at least 0.5 s by datetime: True"] and kinds(real) == []
