"""The child's own overhead: a workload under the runtime, its events written to /dev/null.

``bench/overhead.py`` measures what a user waits for: two processes, the parent folding
every event and printing the verdict. This measures the instrumented program alone, as
the child runs it (``asyncscope.runtime.bootstrap``, the hooks installed, every event
encoded and written), with no parent reading: what the program itself is slowed by.
Plain python, the compiled hot path and the pure path side by side, min of N runs each.

With ``--split``, the child runs a fourth way, with the resource hooks left out: what the
program's steps cost it, and what its resources cost on top.

Usage: ``python bench/child_alone.py [--repeat N] [--split] WORKLOAD [ARGS...]``, e.g.
``python bench/child_alone.py --split bench/resources.py``. Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BOOT = ("import sys; sys.path.insert(0, {root!r}); {before}"
        "from asyncscope.runtime.bootstrap import main; del sys.path[0]; main()")
STEPS_ONLY = ("from asyncscope.runtime.resources import ResourceWatch; "
              "ResourceWatch.install = lambda self, *args, **kwargs: None; ")
"""The resource hooks left out: what following the steps alone costs this program."""


def _timed(cmd: list[str], env: dict[str, str], pass_fds: tuple[int, ...] = ()) -> float:
    began = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                   pass_fds=pass_fds)
    return time.perf_counter() - began


def _child(workload: list[str], pure: bool, before: str = "", env: dict[str, str] | None = None) -> float:
    events = os.open(os.devnull, os.O_WRONLY)
    control_r, control_w = os.pipe()  # never written: the program runs ungated
    try:
        config = {"events_fd": events, "control_fd": control_r, "clock": "virtual", "speed": None,
                  "paused": False, "kind": "path", "target": workload[0], "args": workload[1:],
                  "slow": None, "stdin": "closed", "other_venv": False}
        env = dict(env or os.environ, ASYNCSCOPE_CHILD=json.dumps(config))
        env.pop("ASYNCSCOPE_PURE", None)
        if pure:
            env["ASYNCSCOPE_PURE"] = "1"
        return _timed([sys.executable, "-c", BOOT.format(root=ROOT, before=before)], env, (events, control_r))
    finally:
        for fd in (events, control_r, control_w):
            os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--split", action="store_true",
                        help="also run without the resource hooks: what the steps and the resources each cost")
    parser.add_argument("workload", nargs="+")
    options = parser.parse_args()
    workload = options.workload
    plain = compiled = pure = steps = float("inf")
    shares = []
    for _ in range(options.repeat):  # interleaved: the machine's load hits all alike
        plain_now = _timed([sys.executable, *workload], dict(os.environ))
        compiled_now = _child(workload, pure=False)
        plain, compiled = min(plain, plain_now), min(compiled, compiled_now)
        pure = min(pure, _child(workload, pure=True))
        if options.split:
            steps_now = _child(workload, pure=False, before=STEPS_ONLY)
            steps = min(steps, steps_now)
            shares.append((steps_now - plain_now, compiled_now - steps_now))
    print(f"{' '.join(os.path.relpath(part) if os.path.exists(part) else part for part in workload)}"
          f" (min of {options.repeat}, events to /dev/null, no parent)")
    print(f"plain python:       {plain:6.2f} s")
    print(f"compiled hot path:  {compiled:6.2f} s   {compiled / plain:5.2f}x")
    print(f"pure python path:   {pure:6.2f} s   {pure / plain:5.2f}x")
    if options.split:
        print(f"compiled, steps only (no resource hooks): {steps:6.2f} s   {steps / plain:5.2f}x")
        print(f"  following the steps costs     {steps - plain:5.2f} s")
        print(f"  following the resources costs {compiled - steps:5.2f} s more"
              f" ({(compiled - steps) / (steps - plain):.2f} times the steps' cost)")
        # The same two differences within each round, whose runs follow one another: a
        # difference of minima taken from different rounds moves with the machine's load
        # (another tenant on this 2-core machine), the median of paired differences less.
        steps_cost = statistics.median(pair[0] for pair in shares)
        resources_cost = statistics.median(pair[1] for pair in shares)
        print(f"  median of {len(shares)} rounds: steps {steps_cost:5.2f} s, resources {resources_cost:5.2f} s"
              f" ({resources_cost / steps_cost:.2f} times the steps' cost)")


if __name__ == "__main__":
    main()
