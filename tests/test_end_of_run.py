"""Nothing the program printed is ever lost, and a normal exit is never called a crash (issue #9).

A program that ends while executor threads, a subprocess and a flood of output are all
active runs many times over, with a CPU hog beside it, as on a loaded CI machine.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from cli_support import PROGRAMS, run_json


@pytest.fixture
def cpu_hog():
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield
    hog.kill()
    hog.wait()


@pytest.mark.parametrize("clock", ["virtual", "real"])
def test_the_end_of_a_busy_run_always_arrives(clock: str, cpu_hog: None) -> None:
    for attempt in range(8):
        verdict = run_json("--clock", clock, str(PROGRAMS / "busy_end.py"))
        stdout = [line["text"] for line in verdict["output"] if line["stream"] == "stdout"]
        context = f"attempt {attempt}: {verdict['status']} {verdict['message']}"
        assert verdict["status"] == "failed" and verdict["exit_code"] == 3, context
        assert "LAST LINE" in stdout, context  # worker threads may still print after it
        assert sum(text.startswith("task ") for text in stdout) == 3000, context
        assert sum(text.startswith("thread ") for text in stdout) == 150, context  # joined at exit
        assert "from a subprocess" in stdout, context
