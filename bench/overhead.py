"""Tracing overhead: plain ``python`` vs ``asyncscope run --headless --json``.

Run by hand (not part of the test suite): ``python bench/overhead.py [--repeat 3]``.
Each workload runs three ways alternately in one run of this script: plain python, traced
on the compiled hot path, traced on the pure-Python one (``ASYNCSCOPE_PURE=1``), and the
minimum wall time of each is compared. Workloads: bench/churn.py (5 rounds of gather over
10,000 tasks that each await sleep(0) 10 times: the step hooks), bench/work.py (the same
shape, 1,000 tasks whose steps each compute for ~20 µs) and bench/resources.py (100,000
tasks that each make and use a Lock, an Event and a Queue: 400,000 resources, with the
step hooks too). Following resources must cost that program no more than following its
steps does: bench/child_alone.py --split and bench/resource_ops.py measure the two apart;
end to end its ratio also carries the parent's verdict of 400,000 rows, printed after the
program ended. bench/echo.py: a TCP echo on
loopback, 100 clients that each send 400 lines to a server in the same process and read
each echo (40,000 round trips, ~80,000 task steps that each wait on a socket; issue 16
asks for ≤ 1.1x), run with glibc's malloc thresholds fixed (``ECHO_ENV``, both sides).
Plus the start-up: a trivial program, traced and plain, measured first; each workload's
ratio is then also given net of it (what tracing costs a run long enough to amortise two
interpreters starting). Record results in docs/performance.md.
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
WORKLOADS = [os.path.join(HERE, name) for name in ("churn.py", "work.py", "resources.py", "echo.py", "trivial.py")]
PATHS = {"compiled": {"ASYNCSCOPE_PURE": ""}, "pure": {"ASYNCSCOPE_PURE": "1"}}
ECHO_ENV = {"MALLOC_MMAP_THRESHOLD_": "1048576", "MALLOC_TRIM_THRESHOLD_": "4194304"}
"""Each socket read of asyncio's streams allocates a 256 KiB buffer and shrinks it. Under
glibc's default, dynamic thresholds that costs plain python an mmap, an mremap and a munmap
per read, until some earlier free of a large block raises the threshold, as the traced
child's start-up happens to do: the traced run then came out 20% *faster* than plain. With
the thresholds fixed, both sides allocate alike and the ratio measures tracing."""


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clock", default="real", choices=["real", "virtual"])
    parser.add_argument("workloads", nargs="*", help="names in bench/ (default: all)")
    options = parser.parse_args()

    # Measure asyncscope as installed, with its bytecode compiled: pip compiles it at install
    # time, but an editable install under PYTHONDONTWRITEBYTECODE would recompile every
    # module at each start (~25 ms here) and charge that to the tracer.
    import asyncscope

    compileall.compile_dir(os.path.dirname(asyncscope.__file__), quiet=1)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, min of {options.repeat}, "
          f"load average {os.getloadavg()[0]:.2f} at the start")
    chosen = [w for w in WORKLOADS if not options.workloads or os.path.basename(w) in options.workloads
              or os.path.basename(w)[:-3] in options.workloads]
    # The start-up first, so that each workload can be given net of it too.
    chosen.sort(key=lambda w: os.path.basename(w) != "trivial.py")
    startup: dict[str, float] = {}
    for workload in chosen:
        extra_env = ECHO_ENV if os.path.basename(workload) == "echo.py" else {}
        plain_cmd = [sys.executable, workload]
        traced_cmd = [sys.executable, "-m", "asyncscope", "run", "--headless", "--json",
                      "--clock", options.clock, workload]
        check = subprocess.run(traced_cmd, capture_output=True, check=True, env={**os.environ, **extra_env})
        verdict = json.loads(check.stdout)
        steps = sum(task["steps"] for task in verdict["tasks"])
        times: dict[str, list[float]] = {"plain": [], **{path: [] for path in PATHS}}
        for _ in range(options.repeat):
            times["plain"].append(timed(plain_cmd, extra_env))
            for path, env in PATHS.items():
                times[path].append(timed(traced_cmd, {**env, **extra_env}))
        plain = min(times["plain"])
        print(f"workload: bench/{os.path.basename(workload)}  ({len(verdict['tasks'])} tasks, "
              f"{steps} task steps, {len(verdict.get('resources', []))} resources traced)")
        print(f"  plain python                       {plain:6.3f} s")
        for path in PATHS:
            best = min(times[path])
            net = ""
            if os.path.basename(workload) == "trivial.py":
                startup[path] = best - plain
            elif path in startup:
                net = f"   net of start-up {(best - startup[path]) / plain:5.2f}x"
            print(f"  asyncscope --clock {options.clock:<4} {path + ' path':<13} {best:6.3f} s   "
                  f"{best / plain:5.2f}x   (+{(best - plain) * 1000:.0f} ms){net}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")

if __name__ == "__main__":
    main()
