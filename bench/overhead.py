"""Tracing overhead: plain ``python`` vs ``asyncscope run --headless --json``.

Run by hand (not part of the test suite): ``python bench/overhead.py [--repeat 3]``.
Two workloads, each run both ways alternately in one run of this script, the minimum wall
time of each compared: bench/churn.py (5 rounds of gather over 10,000 tasks that each
await sleep(0) 10 times: the step hooks) and bench/resources.py (100,000 tasks that each
make and use a Lock, an Event and a Queue: 400,000 resources, with the step hooks too).
The second ratio should not be worse than the first: following resources must cost no
more than the steps already do. Record results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = [os.path.join(HERE, "churn.py"), os.path.join(HERE, "resources.py")]


def timed(command: list[str]) -> float:
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", default="real", choices=["real", "virtual"])
    options = parser.parse_args()

    # Measure asyncscope as installed, with its bytecode compiled: pip compiles it at install
    # time, but an editable install under PYTHONDONTWRITEBYTECODE would recompile every
    # module at each start (~25 ms here) and charge that to the tracer.
    import asyncscope

    compileall.compile_dir(os.path.dirname(asyncscope.__file__), quiet=1)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, min of {options.repeat}")
    for workload in WORKLOADS:
        plain_cmd = [sys.executable, workload]
        traced_cmd = [sys.executable, "-m", "asyncscope", "run", "--headless", "--json",
                      "--clock", options.clock, workload]
        check = subprocess.run(traced_cmd, capture_output=True, check=True)
        verdict = json.loads(check.stdout)
        steps = sum(task["steps"] for task in verdict["tasks"])
        plain, traced = [], []
        for _ in range(options.repeat):
            plain.append(timed(plain_cmd))
            traced.append(timed(traced_cmd))
        ratio = min(traced) / min(plain)
        print(f"workload: bench/{os.path.basename(workload)}  ({len(verdict['tasks'])} tasks, "
              f"{steps} task steps, {len(verdict.get('resources', []))} resources traced)")
        print(f"  plain python            {min(plain):6.3f} s")
        print(f"  asyncscope --clock {options.clock:<4} {min(traced):6.3f} s")
        print(f"  ratio                   {ratio:6.2f}x   (budget 2.0x, aim 1.3x)")

if __name__ == "__main__":
    main()
