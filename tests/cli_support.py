"""Helpers for the runner tests: run asyncscope the way a user does, as a command, and read its verdict.

A module of its own rather than conftest.py: tests/tui has a conftest too, and `from conftest
import ...` would pick whichever of the two was imported first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
PROGRAMS = Path(__file__).resolve().parent / "programs"


def asyncscope_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "asyncscope", *args]


def run_cli(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
            cwd: str | os.PathLike[str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", "ASYNCSCOPE_LANG": "en", **(env or {})}
    # An explicit stdin: headless runs pass theirs on to the program, which must never
    # wait on the terminal the tests run in.
    return subprocess.run(asyncscope_cmd(*args), capture_output=True, text=True, timeout=timeout,
                          env=full_env, cwd=cwd, check=False, stdin=subprocess.DEVNULL)


def run_json(*args: str, timeout: float = 120, **kwargs: Any) -> dict[str, Any]:
    """``asyncscope run --headless --json ARGS`` and its one JSON object (stdout must be exactly that)."""
    result = run_cli("run", "--headless", "--json", *args, timeout=timeout, **kwargs)
    try:
        verdict = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"stdout is not one JSON object:\n{result.stdout[:2000]}\nstderr:\n{result.stderr[:2000]}")
    verdict["_returncode"] = result.returncode
    verdict["_stderr"] = result.stderr
    return verdict


def user_tasks(verdict: dict[str, Any]) -> list[dict[str, Any]]:
    return [task for task in verdict["tasks"] if not task["internal"]]


def texts(verdict: dict[str, Any]) -> list[str]:
    return [line["text"] for line in verdict["output"]]


def kinds(verdict: dict[str, Any]) -> list[str]:
    return [diag["kind"] for diag in verdict["diagnostics"]]
