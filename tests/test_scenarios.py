"""The built-in scenarios keep their word (issue #4).

Every scenario declares, in its header, what a run of it shows: status, loop time under the
virtual clock, the printed lines in order, the diagnostics, the number of user tasks, and
(``stderr``) the messages Python writes to stderr: strings that appear in its stderr lines
in that order, where ``[]`` means nothing is written there. Each of those is asserted here
against a real headless run, one test per scenario and field, so an explanation can never
drift from the behaviour. The same program run plainly with ``python file.py`` must print
the same lines and the same stderr messages, and fail exactly when its status is "failed":
asyncscope shows the real program.

All runs happen once, in parallel, in module-scoped fixtures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from cli_support import ROOT, kinds, run_cli, run_json, user_tasks

from asyncscope import catalog

SCENARIOS = catalog.scenarios()
NAMES = [scenario.name for scenario in SCENARIOS]
FIELDS = ("status", "elapsed", "output", "diagnostics", "user_tasks", "stderr")
KNOWN_KEYS = {*FIELDS, "real_time"}
LEVELS = {"beginner", "intermediate", "advanced"}
PARTS = ("title", "summary", "watch", "explain")
# How long a plain run of a scenario that must hang (status "deadlock") is given.
HANG_SECONDS = 3.0
WORKERS = max(2, min(6, (os.cpu_count() or 2) * 2))

# Runner limitations that make a declared expectation fail, keyed by (scenario, field).
# Each entry is strict: when the runner is fixed the test says so and the entry goes.
KNOWN_RUNNER_BUGS: dict[tuple[str, str], str] = {}
# The calls that make a task; a task's `where` should point at one of them.
TASK_MAKERS = re.compile(r"create_task|gather|as_completed|wait_for|start_server")
# Calls that run a coroutine as a new top-level task (no parent): asyncio.run and the old way.
TOP_LEVEL_RUNNERS = ("asyncio.run(", "run_until_complete(")


def stdout_lines(verdict: dict[str, Any]) -> list[str]:
    return [line["text"] for line in verdict["output"] if line["stream"] == "stdout"]


def stderr_lines(verdict: dict[str, Any]) -> list[str]:
    return [line["text"] for line in verdict["output"] if line["stream"] == "stderr"]


def says_in_order(lines: list[str], wanted: list[str]) -> bool:
    """Each of ``wanted`` is part of a line, in this order; ``[]`` means no lines at all."""
    if not wanted:
        return not lines
    remaining = iter(lines)
    return all(any(text in line for line in remaining) for text in wanted)


def _headless(scenario: catalog.Scenario) -> dict[str, Any]:
    verdict = run_json(scenario.name)
    expected = scenario.expected()
    # A scenario that waits on real time (a thread, a socket) keeps its order by a margin
    # of real time; give a run that lost the race on a loaded machine one more chance.
    if expected.get("real_time") and stdout_lines(verdict) != expected.get("output"):
        verdict = run_json(scenario.name)
    return verdict


def _plain(scenario: catalog.Scenario) -> tuple[list[str], bool, int | None, str]:
    """``python file.py``: its stdout lines, whether it had to be stopped (it hung), its
    exit status (None when stopped) and its stderr."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # keep the lines a hung program printed
    hangs = scenario.expected().get("status") == "deadlock"
    try:
        result = subprocess.run([sys.executable, str(scenario.path)], capture_output=True, text=True,
                                timeout=HANG_SECONDS if hangs else 60, env=env, cwd=ROOT, check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return out.splitlines(), True, None, err
    return result.stdout.splitlines(), False, result.returncode, result.stderr


_TIMED = frozenset(scenario.name for scenario in SCENARIOS if "blocking" in scenario.expected().get("diagnostics", []))
"""Scenarios whose verdict measures how long a step held the loop: run alone, after the
others, since four runs at a time on two cores make that measure a matter of luck (the
watchdog discounts time spent waiting for a CPU, but not perfectly)."""


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, Any]]:
    together = [scenario for scenario in SCENARIOS if scenario.name not in _TIMED]
    with ThreadPoolExecutor(WORKERS) as pool:
        found = dict(zip([scenario.name for scenario in together], pool.map(_headless, together), strict=True))
    found.update((scenario.name, _headless(scenario)) for scenario in SCENARIOS if scenario.name in _TIMED)
    return found


@pytest.fixture(scope="module")
def plain_runs() -> dict[str, tuple[list[str], bool, int | None, str]]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return dict(zip(NAMES, pool.map(_plain, SCENARIOS), strict=True))


def _expectation_cases() -> list[Any]:
    cases = []
    for scenario in SCENARIOS:
        expected = scenario.expected()
        for field in FIELDS:
            if field not in expected and field != "diagnostics":  # no diagnostics means none
                continue
            marks = []
            if (scenario.name, field) in KNOWN_RUNNER_BUGS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_RUNNER_BUGS[scenario.name, field]))
            cases.append(pytest.param(scenario, field, id=f"{scenario.name}-{field}", marks=marks))
    return cases


@pytest.mark.parametrize(("scenario", "field"), _expectation_cases())
def test_scenario_does_what_its_header_says(verdicts, scenario, field):
    verdict = verdicts[scenario.name]
    expected = scenario.expected()
    context = f"{scenario.name}: {verdict['status']} {verdict.get('message') or ''}"
    if field == "status":
        assert verdict["status"] == expected["status"], context
    elif field == "elapsed":
        assert verdict["clock"] == "virtual"
        assert verdict["elapsed"] == pytest.approx(expected["elapsed"], abs=0.05), context
    elif field == "output":
        assert stdout_lines(verdict) == expected["output"], context
    elif field == "diagnostics":
        assert kinds(verdict) == expected.get("diagnostics", []), verdict["diagnostics"]
    elif field == "user_tasks":
        tasks = [(task["name"], task["coro"]) for task in user_tasks(verdict)]
        assert len(tasks) == expected["user_tasks"], tasks
    elif field == "stderr":
        assert says_in_order(stderr_lines(verdict), expected["stderr"]), stderr_lines(verdict)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_plain_python_prints_the_same_lines(verdicts, plain_runs, scenario):
    """asyncscope must not change what a program prints. A deadlocked scenario hangs when run
    plainly: it is stopped after a few seconds, having printed the same lines. A scenario
    whose status is "failed" (a beginner's crash on purpose) fails plainly too, with the same
    messages on stderr; every other one exits cleanly."""
    lines, hung, returncode, stderr = plain_runs[scenario.name]
    expected = scenario.expected()
    assert hung == (expected.get("status") == "deadlock")
    if not hung:
        fails = expected.get("status") == "failed"
        assert (returncode != 0) == fails, f"exit status {returncode} when run plainly:\n{stderr[-2000:]}"
    assert lines == stdout_lines(verdicts[scenario.name])
    if "stderr" in expected:
        assert says_in_order(stderr.splitlines(), expected["stderr"]), stderr[-2000:]


@pytest.mark.parametrize("scenario", [
    pytest.param(scenario, id=scenario.name)
    for scenario in SCENARIOS
])
def test_each_task_points_at_the_line_that_made_it(verdicts, scenario):
    """What the task list says about "where": the line of the scenario that asked for the
    task (create_task, gather, ...), never a line inside the task's own coroutine. Tasks
    made by asyncio.run (or the old loop.run_until_complete) point at that call; tasks the
    loop made from a callback (a server's connection handler) name the callback and point
    at their coroutine's own definition, the program's code that the callback runs."""
    source = scenario.source.splitlines()
    for task in user_tasks(verdicts[scenario.name]):
        path, line = task["where"].rsplit(":", 1)
        assert path == str(scenario.path), task
        text = source[int(line) - 1]
        if task["from_callback"] is not None:
            assert text.lstrip().startswith(f"async def {task['coro']}("), (task["name"], text)
        elif not any(runner in text for runner in TOP_LEVEL_RUNNERS):
            assert TASK_MAKERS.search(text), (task["name"], task["coro"], text)
            assert task["parent"] is not None, task


@pytest.mark.skipif(sys.version_info < (3, 12), reason="eager tasks exist from Python 3.12 on")
def test_eager_tasks_have_a_parent_and_a_creation_site(verdicts):
    """An eager task's first step runs inside create_task; it is still main's child, made on
    the create_task line."""
    tasks = user_tasks(verdicts["eager_tasks"])
    main = next(task for task in tasks if task["coro"] == "main")
    source = catalog.find("eager_tasks").source.splitlines()  # type: ignore[union-attr]
    for task in tasks:
        if task is not main:
            assert task["parent"] == main["id"], task
            assert "create_task(" in source[int(task["where"].rsplit(":", 1)[1]) - 1], task


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_header_is_complete_and_bilingual(scenario):
    for part in PARTS:
        table = getattr(scenario, part)
        assert set(table) == {"en", "ja"}, (scenario.name, part)
        assert table["en"].strip() and table["ja"].strip(), (scenario.name, part)
        # The Japanese text is Japanese (kana or kanji), not a copy of the English one.
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", table["ja"]), (scenario.name, part)
    for part in ("title", "summary", "watch"):  # one line each; explain may have paragraphs
        for lang, text in getattr(scenario, part).items():
            assert "\n" not in text.strip(), (scenario.name, part, lang)
    assert scenario.level in LEVELS, scenario.name
    assert set(scenario.expected()) <= KNOWN_KEYS, scenario.name
    assert "status" in scenario.expected() and "output" in scenario.expected(), scenario.name
    if scenario.min_python:  # what an older Python does must be declared too
        bound = f"python < {scenario.min_python[0]}.{scenario.min_python[1]}"
        assert bound in scenario.expect, scenario.name
    # A run that waits on real time has no exact loop time to promise.
    assert not ("real_time" in scenario.expected() and "elapsed" in scenario.expected()), scenario.name


def test_course_has_at_least_twenty_scenarios_with_distinct_orders():
    assert len(SCENARIOS) >= 20
    orders = [scenario.order for scenario in SCENARIOS]
    assert len(set(orders)) == len(orders)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_name_does_not_shadow_a_standard_module(scenario):
    """A scenario's folder is first on sys.path when it runs, as with ``python file.py``:
    a scenario called ``queue.py`` would be imported by ``concurrent.futures`` instead of
    the standard ``queue`` module."""
    assert scenario.name not in sys.stdlib_module_names


def test_version_overrides_apply_on_older_pythons():
    eager = catalog.find("eager_tasks")
    assert eager is not None and eager.min_python == (3, 12)
    assert eager.expected((3, 11))["user_tasks"] == 0
    assert eager.expected((3, 12))["user_tasks"] == 5
    assert eager.expected((3, 12))["output"][0] == "lazy: created"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_list_prints_the_course_in_order(lang):
    result = run_cli("list", "--lang", lang)
    assert result.returncode == 0, result.stderr
    rows = [line.split(None, 1) for line in result.stdout.splitlines()]
    assert [row[0] for row in rows] == NAMES
    assert [row[1] for row in rows] == [scenario.title[lang] for scenario in SCENARIOS]
