"""--trace files: every event, versioned, readable back into the same model (issue #2)."""

from __future__ import annotations

import pytest
from cli_support import run_json

from asyncscope.model import Model
from asyncscope.trace import TraceError, read_trace


def test_trace_replays_to_the_same_verdict(tmp_path):
    path = tmp_path / "run.trace"
    verdict = run_json("--trace", str(path), "sequential")
    model = Model()
    for batch in read_trace(str(path)):
        model.apply_all(batch)
    assert model.status == verdict["status"] == "finished"
    assert model.t == verdict["elapsed"] == pytest.approx(3.0, abs=0.05)
    assert model.lines_text() == [line["text"] for line in verdict["output"]]
    main = next(info for info in model.tasks.values() if info.coro == "main")
    assert main.steps == next(t["steps"] for t in verdict["tasks"] if t["coro"] == "main")


def test_trace_keeps_the_await_chain_inside_one_task(tmp_path):
    """Awaiting a coroutine creates no task: the chain main -> goodbye -> sleep is in Task-1."""
    path = tmp_path / "run.trace"
    run_json("--trace", str(path), "sequential")
    model = Model()
    chains = []
    for batch in read_trace(str(path)):
        for event in batch:
            model.apply(event)
            main = next((i for i in model.tasks.values() if i.coro == "main"), None)
            if main is not None and main.state == "waiting":
                chains.append(model.chain_text(main))
    assert "main -> goodbye -> sleep" in chains
    assert "main -> hello -> sleep" in chains
    assert len([i for i in model.tasks.values() if not i.internal]) == 1


def test_not_a_trace_is_refused(tmp_path):
    path = tmp_path / "bogus.trace"
    path.write_bytes(b"hello world")
    with pytest.raises(TraceError, match="not an asyncscope trace"):
        list(read_trace(str(path)))


def test_a_long_run_of_bare_yields_comes_in_bounded_batches(tmp_path):
    """sleep(0) steps take the cheapest path, which once skipped the batch size check: a
    long run of them made one frame of hundreds of thousands of events (and the reader's
    memory followed)."""
    from cli_support import run_cli

    from asyncscope.runtime.emit import BATCH_SIZE
    from asyncscope.trace import read_trace

    program = tmp_path / "yields.py"
    program.write_text("import asyncio\n\nasync def main():\n    for _ in range(50_000):\n"
                       "        await asyncio.sleep(0)\n\nasyncio.run(main())\n")
    trace = tmp_path / "run.trace"
    run_cli("run", "--headless", "--trace", str(trace), str(program))
    sizes = [len(batch) for batch in read_trace(str(trace))]
    assert sum(sizes) > 50_000
    assert max(sizes) <= 2 * BATCH_SIZE
