"""CPython's own asyncio tests must pass under the instrumented loop (issue #2).

Instrumentation observes and gates; it must never change asyncio's semantics. These run
the test modules exactly as a user would: ``asyncscope run --headless --clock real -m
unittest test.test_asyncio.MODULE``.
"""

from __future__ import annotations

import pytest
from cli_support import run_json

MODULES = ["test_runners", "test_locks", "test_queues", "test_taskgroups", "test_timeouts",
           "test_waitfor", "test_tasks"]


@pytest.mark.parametrize("module", MODULES)
def test_cpython_asyncio_module_passes_traced(module):
    pytest.importorskip(f"test.test_asyncio.{module}", reason="this Python ships without its test suite")
    verdict = run_json("--clock", "real", "-m", "unittest", f"test.test_asyncio.{module}", timeout=600)
    tail = "\n".join(line["text"] for line in verdict["output"][-20:])
    assert verdict["status"] == "finished", tail
    assert verdict["exit_code"] == 0, tail
    assert any(line["text"].startswith("OK") for line in verdict["output"]), tail
    assert len(verdict["tasks"]) > 50  # the tests' tasks were traced, not bypassed
