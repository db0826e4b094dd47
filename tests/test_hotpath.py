"""The compiled hot path (asyncscope/runtime/_hotpath.c, issue 16) and its pure-Python
fallback: the same run gives the same events both ways; the compiled path's own failures
never reach the program; ASYNCSCOPE_PURE and the build without a compiler give the
fallback, and every report says which path ran.

The extension is built wherever a C compiler is (CI's machines have one), so these tests
import it outright: a build that silently lost it fails here rather than skipping.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import msgspec
import pytest
from cli_support import PROGRAMS, ROOT, run_cli, run_json

from asyncscope.events import Diagnostic, Tick
from asyncscope.trace import read_trace

PURE = {"ASYNCSCOPE_PURE": "1"}
COMPILED = {"ASYNCSCOPE_PURE": ""}
_TIMING = {"t", "dur_ns", "pid", "hot_path", "until"}
"""What may differ between two runs of one deterministic program: times, durations, the
process id, and which path ran."""


def _hotpath() -> Any:
    from asyncscope.runtime import _hotpath

    return _hotpath


def _plain(value: Any) -> Any:
    """An event as nested builtins, timings left out."""
    if isinstance(value, msgspec.Struct):
        fields = {name: _plain(getattr(value, name)) for name in value.__struct_fields__ if name not in _TIMING}
        return (type(value).__name__, fields)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _timed(event: Any) -> bool:
    """Events that depend on how fast the machine ran, not on the path: a Tick comes only
    when a wait had not already passed in real time by the time the loop idled (a loaded
    machine skips it), a blocking report only for a step held past the threshold."""
    return isinstance(event, Tick) or (isinstance(event, Diagnostic) and event.kind == "blocking")


def _events(tmp_path: Path, env: dict[str, str], name: str) -> tuple[list[Any], dict[str, Any]]:
    trace = tmp_path / f"{name}.trace"
    verdict = run_json("--clock", "virtual", "--trace", str(trace), str(PROGRAMS / "hotpath_mix.py"), env=env)
    events = [_plain(event) for batch in read_trace(str(trace)) for event in batch if not _timed(event)]
    return events, verdict


def test_both_paths_send_the_same_events(tmp_path):
    compiled, compiled_verdict = _events(tmp_path, COMPILED, "compiled")
    pure, pure_verdict = _events(tmp_path, PURE, "pure")
    assert compiled_verdict["hot_path"] == "compiled"
    assert pure_verdict["hot_path"] == "python"
    assert compiled_verdict["status"] == pure_verdict["status"] == "finished"
    # The program did what it does under plain Python, on both paths.
    for verdict in (compiled_verdict, pure_verdict):
        text = [line["text"] for line in verdict["output"]]
        assert "waiter got item and slept" in text
        assert "RuntimeError: Event loop is closed" in text
        assert "main timed out" in text
        assert "socketpair: ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5']" in text
        assert "resources 1: got 1, left 0, set True False" in text
        names = [(resource["kind"], resource["name"], resource["holders"]) for resource in verdict["resources"]]
        assert ("Lock", "gate", []) in names and ("Event", "gone", []) in names
        assert ("BoundedSemaphore", "semaphore", []) in names and ("Lock", "condition.lock", []) in names
    # A long program: enough bare yields for several batches.
    kinds = [event[0] for event in compiled]
    assert kinds.count("Step") > 3000
    # Waits inside asyncio's streams, which the compiled path sends itself after the first.
    io_waits = [event for event in compiled if event[0] == "Step" and event[1]["wait"]
                and event[1]["wait"][1]["kind"] == "io"]
    assert len(io_waits) >= 3
    # Resources made and changed on the compiled path's side too (each line met twice).
    assert kinds.count("ResourceCreated") >= 16 and kinds.count("ResourceState") >= 20
    # Output is compared as its own sequence: where a line fragment lands among the steps
    # depends on the emitter's timer thread (it sends fragments held for 30 ms), on either path.
    for select in (lambda kind: kind != "Output", lambda kind: kind == "Output"):
        ours = [event for event in compiled if select(event[0])]
        theirs = [event for event in pure if select(event[0])]
        for index, (a, b) in enumerate(zip(ours, theirs, strict=False)):  # the first difference, then the lengths
            assert a == b, f"event {index} differs"
        assert len(ours) == len(theirs)


def test_steps_are_encoded_exactly_as_msgspec_encodes_them():
    """The compiled path writes a bare-yield step's bytes itself."""
    encode = msgspec.msgpack.Encoder().encode
    ints = [0, 1, 31, 127, 128, 255, 256, 65535, 65536, 2**31 - 1, 2**32 - 1, 2**32, 2**63 - 1,
            -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
    floats = [0.0, -0.0, 1e-9, 0.5, 3600.000001, 1e300, -2.5, math.inf, math.nan]
    for t in floats:
        for value in ints:
            expected = encode(("step", t, value, abs(value) if value != -2**63 else 0, None, None))
            got = _hotpath().encode_step(t, value, abs(value) if value != -2**63 else 0)
            assert got == expected, (t, value)
    # And the decoder reads it back as the Step event.
    from asyncscope.events import Step, decode_batch

    step = decode_batch(b"\x91" + _hotpath().encode_step(1.25, 7, 1500))[0]
    assert step == Step(1.25, 7, 1500, None, None)


def test_waiting_steps_are_encoded_exactly_as_msgspec_encodes_them():
    """The compiled path writes a waiting step's bytes itself too, around the Wait msgspec
    encoded once: short and long chains (msgpack's array headers change at 16 items),
    every size of int, every kind of wait."""
    from asyncscope.events import Step, Wait, decode_batch

    encode = msgspec.msgpack.Encoder().encode
    waits = [Wait("io", detail="StreamReader._wait_for_data"), Wait("future"), Wait("sync", detail="Lock.acquire"),
             Wait("thread", detail="to_thread"), Wait("sleep", until=2.5), Wait("gather", tasks=[1, 2], count=3)]
    chains = [[], [3, 12], [1, 2] * 7 + [5], [70000, 2**31, 300, 65535] * 5, list(range(128))]
    for wait in waits:
        for chain in chains:
            for t, tid, dur in ((0.0, 1, 0), (1234.5, 70_000, 2**40), (1e-9, 2**63 - 1, 127)):
                expected = encode(("step", t, tid, dur, wait, chain))
                assert _hotpath().encode_wait_step(t, tid, dur, encode(wait), chain) == expected, (wait, chain)
    step = decode_batch(b"\x91" + _hotpath().encode_wait_step(1.5, 7, 900, encode(waits[0]), [4, 20]))[0]
    assert step == Step(1.5, 7, 900, waits[0], [4, 20])


def test_resource_events_are_encoded_exactly_as_msgspec_encodes_them():
    """The compiled resource hooks write their events' bytes themselves: strings of every
    msgpack length class (and not ASCII), ints of every size, holders, None, booleans. What
    the writer does not know (a long string, a big int, a list, any other object) it leaves
    to msgspec, and says so with None."""
    from asyncscope.events import ResourceCreated, ResourceState, decode_batch

    encode = msgspec.msgpack.Encoder().encode
    pack = _hotpath().pack_event
    names = [None, "lock", "x" * 31, "y" * 32, "z" * 255, "w" * 256, "ロック_ä" * 20]
    for name in names:
        for value, maxsize in ((None, None), (0, 5), (127, 128), (-33, 70_000), (2**40, 2**63 - 1)):
            created = ("resource", 12.25, 7, "Queue", "MyQueue", name, "/tmp/a.py:3", "user", value, maxsize,
                       None, None)
            assert pack(created) == encode(created), created
    for holders in ((), (1,), (5, 70_000, 2**33)):
        for value, size, set_ in ((None, None, None), (2, None, None), (None, 40_000, None), (None, None, True),
                                  (None, None, False)):
            state = ("res-state", 0.5, 300, holders, value, size, set_)
            assert pack(state) == encode(state), state
    for strange in (2**64, "v" * 70_000, [1], object(), 3 + 0j):
        assert pack(("res-state", 0.5, 3, (), strange, None, None)) is None
    for odd in (True, 1.5):  # a bool is not an int; a float anywhere is written as msgspec writes it
        assert pack(("res-state", 0.5, 3, (), odd, None, None)) == encode(("res-state", 0.5, 3, (), odd, None, None))
    made = pack(("resource", 1.0, 2, "Lock", "Lock", "a", "f.py:1", "user", None, None, None, None))
    events = decode_batch(b"\x92" + made + pack(("res-state", 2.0, 2, (4,), None, None, None)))
    assert events == [ResourceCreated(1.0, 2, "Lock", "Lock", "a", "f.py:1", "user", None, None, None, None),
                      ResourceState(2.0, 2, [4], None, None, None)]


def test_the_compiled_id_table_behaves_as_the_dict_it_replaces():
    """ResourceWatch._ids on the compiled path: random sets, gets and pops of addresses
    (aligned as objects are, clustered as an allocator makes them) against a dict, through
    growth and the backward-shift deletions that keep its probe chains whole."""
    import random

    rng = random.Random(7)
    table, model = _hotpath().IdTable(), {}
    base = 0x7F00_0000_0000
    for step in range(60_000):
        key = base + 16 * rng.randrange(4_000 if step < 30_000 else 40_000)
        action = rng.random()
        if action < 0.5:
            table[key] = model[key] = step
        elif action < 0.8:
            assert table.pop(key, None) == model.pop(key, None)
        else:
            assert table.get(key) == model.get(key)
            assert (key in table) == (key in model)
        if step % 5_000 == 0:
            assert len(table) == len(model)
            assert all(table[k] == v for k, v in model.items())
    assert len(table) == len(model) and all(table.get(k) == v for k, v in model.items())
    with pytest.raises(KeyError):
        table.pop(base + 8)
    with pytest.raises(KeyError):
        table[base + 8]


def test_a_failure_inside_the_compiled_path_is_reported_and_the_program_goes_on(tmp_path):
    program = tmp_path / "faulty.py"
    program.write_text(
        "import asyncio\n"
        "from asyncscope.runtime import _hotpath\n"
        "async def main():\n"
        "    _hotpath._fail_after(5)\n"
        "    for _ in range(20):\n"
        "        await asyncio.sleep(0)\n"
        "    print('still here')\n"
        "asyncio.run(main())\n"
    )
    verdict = run_json(str(program), env=COMPILED)
    assert verdict["status"] == "finished"
    assert verdict["exit_code"] == 0
    assert [line["text"] for line in verdict["output"]] == ["still here"]
    errors = [d for d in verdict["diagnostics"] if d["kind"] == "internal-error"]
    assert len(errors) == 1
    assert "injected failure" in errors[0]["message"]
    main = next(task for task in verdict["tasks"] if task["name"] == "Task-1")
    assert main["state"] == "done"
    assert main["steps"] == 20  # 21 steps (20 yields and the last): one went unreported, and only that one


def test_pure_forces_the_fallback_and_every_report_names_the_path():
    assert run_cli("--version", env=COMPILED).stdout.strip().endswith("(hot path: compiled)")
    assert run_cli("--version", env=PURE).stdout.strip().endswith("(hot path: python)")
    assert run_json("sequential", env=COMPILED)["hot_path"] == "compiled"
    pure = run_json("sequential", env=PURE)
    assert pure["hot_path"] == "python"
    assert pure["status"] == "finished"


def test_the_watchdog_sees_a_blocking_step_on_the_compiled_path():
    """The compiled step keeps no Python frame: it tells the watchdog where it is."""
    verdict = run_json("blocking_call", env=COMPILED)
    blocking = [d for d in verdict["diagnostics"] if d["kind"] == "blocking"]
    assert blocking
    assert blocking[0]["where"].rsplit(":", 1)[0].endswith("blocking_call.py")


def test_a_wheel_built_without_a_compiler_runs_on_the_fallback(tmp_path):
    """``pip install .`` on a machine without a C compiler: the build goes on without the
    extension, and asyncscope runs, lists and reports on its pure-Python path."""
    source = tmp_path / "src"
    # A clean copy: a build/ folder left in the tree would hand over an extension built earlier.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "*.so", "tests", "docs", "bench"))
    out = tmp_path / "wheel"
    env = {**os.environ, "CC": "/bin/false", "PIP_NO_CACHE_DIR": "1"}
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(out), str(source)], capture_output=True, text=True, env=env, check=False)
    assert built.returncode == 0, built.stderr
    wheel = next(out.glob("asyncscope-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert not [name for name in names if name.endswith((".so", ".pyd"))]
    assert "asyncscope/scenarios/sequential.py" in names
    run_env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "ASYNCSCOPE_LANG": "en"}
    run_env.pop("ASYNCSCOPE_PURE", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "asyncscope", *args], capture_output=True, text=True,
                              env=run_env, cwd=tmp_path, check=False, timeout=120)

    assert run("--version").stdout.strip().endswith("(hot path: python)")
    listed = run("list")
    assert listed.returncode == 0 and "sequential" in listed.stdout
    verdict = json.loads(run("run", "--headless", "--json", "gather").stdout)
    assert verdict["status"] == "finished" and verdict["hot_path"] == "python"
    assert verdict["tasks"][0]["where"].startswith(str(site))
