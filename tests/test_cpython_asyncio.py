"""CPython's own asyncio tests must pass under the instrumented loop (issues #2 and #9).

Instrumentation observes and gates; it must never change asyncio's semantics. These run
the tests exactly as a user would: ``asyncscope run --headless --json --clock CLOCK -m
unittest test.test_asyncio[.MODULE]``, on both clocks. On 3.11 (the version the project's
main suite runs on) that is the whole ``test.test_asyncio`` package, 2,370 tests; on the
other versions ``.ci/run`` tests, the modules closest to what the hooks touch, to keep CI
well inside its time.
"""

from __future__ import annotations

import sys

import pytest
from cli_support import run_json

MODULES = ["test_runners", "test_locks", "test_queues", "test_taskgroups", "test_timeouts",
           "test_waitfor", "test_tasks"]
WHOLE_PACKAGE = sys.version_info[:2] == (3, 11)
TARGETS = ["test.test_asyncio"] if WHOLE_PACKAGE else [f"test.test_asyncio.{m}" for m in MODULES]


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("clock", ["virtual", "real"])
@pytest.mark.parametrize("target", TARGETS)
def test_cpython_asyncio_passes_traced(target: str, clock: str) -> None:
    pytest.importorskip(target, reason="this Python ships without its test suite")
    verdict = run_json("--clock", clock, "-m", "unittest", target, timeout=1200)
    tail = "\n".join(line["text"] for line in verdict["output"][-40:])
    assert verdict["status"] == "finished", tail
    assert verdict["exit_code"] == 0, tail
    # unittest's summary is the last thing it prints: the end of the run was not lost.
    assert any(line["text"].startswith("OK") for line in verdict["output"][-5:]), tail
    assert len(verdict["tasks"]) > 50  # the tests' tasks were traced, not bypassed
