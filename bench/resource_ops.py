"""What one resource operation costs the program, next to what one step and one task cost.

``bench/resources.py`` measured as a whole (``bench/child_alone.py --split``) asks whether
following resources costs that program more than following its steps does. On this shared
2-core machine its runs move by up to a quarter from one minute to the next, more than the
difference asked about. The same question measured in-process, operation by operation, is
steady to a few per cent: each operation is timed in a loop inside one program, run under
plain python and under the runtime (compiled hot path, events to /dev/null, no parent).

Printed: the cost each operation gains, and, from those, what one task of
``bench/resources.py`` gains from its resources (three made, five changes) against what it
gains from its steps (made, two steps, done).

Usage: ``python bench/resource_ops.py [--repeat N]``. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time

from child_alone import _child, _timed

N = 200_000

OPERATIONS = {
    "a step (await sleep(0))": 1,
    "a task made, run once, done": 1,
    "Lock(), Event() and Queue() made": 3,
    "acquire, put, get, set, release, clear": 6,
}
"""Each measure, and how many operations of its own it times at once."""


async def _measure() -> dict[str, float]:
    """Microseconds per iteration of each measure (process time: the program's own)."""
    found: dict[str, float] = {}
    names = iter(OPERATIONS)

    async def nothing() -> None:
        pass

    began = time.process_time()
    for _ in range(N):
        await asyncio.sleep(0)
    found[next(names)] = time.process_time() - began
    began = time.process_time()
    for _ in range(20):
        await asyncio.gather(*(nothing() for _ in range(N // 20)))
    found[next(names)] = time.process_time() - began
    began = time.process_time()
    for _ in range(N):
        asyncio.Lock(), asyncio.Event(), asyncio.Queue()
    found[next(names)] = time.process_time() - began
    lock, event, queue = asyncio.Lock(), asyncio.Event(), asyncio.Queue()
    began = time.process_time()
    for _ in range(N):
        await lock.acquire()
        queue.put_nowait(1)
        queue.get_nowait()
        event.set()
        lock.release()
        event.clear()
    found[next(names)] = time.process_time() - began
    return {name: seconds / N * 1e6 for name, seconds in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    plain: dict[str, float] = {}
    traced: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "found.json")
        env = dict(os.environ, RESOURCE_OPS_OUT=out)
        for _ in range(options.repeat):  # interleaved, the minimum of each kept
            for runs, timed in ((plain, lambda: _timed([sys.executable, __file__], env)),
                                (traced, lambda: _child([__file__], pure=False, env=env))):
                timed()
                with open(out) as found:
                    for name, micros in json.load(found).items():
                        runs[name] = min(runs.get(name, float("inf")), micros)
    gained = {name: traced[name] - plain[name] for name in OPERATIONS}
    print(f"per operation, min of {options.repeat} (µs; process time, events to /dev/null, no parent)")
    print(f"{'':42} {'plain':>7} {'traced':>7} {'gained':>7} {'each':>6}")
    for name, count in OPERATIONS.items():
        print(f"{name:42} {plain[name]:7.2f} {traced[name]:7.2f} {gained[name]:7.2f} {gained[name] / count:6.2f}")
    names = list(OPERATIONS)
    steps = gained[names[1]] + gained[names[0]]  # made, first step, done; one more step
    resources = gained[names[2]] + gained[names[3]] * 5 / 6  # three made; five of the six changes
    print(f"one task of bench/resources.py: its steps cost {steps:.2f} µs, its resources {resources:.2f} µs"
          f" ({resources / steps:.2f} times the steps' cost)")


if __name__ == "__main__":
    if "RESOURCE_OPS_OUT" in os.environ:  # the program, plain or traced
        result = asyncio.run(_measure())
        with open(os.environ["RESOURCE_OPS_OUT"], "w") as found:
            json.dump(result, found)
    else:
        main()
