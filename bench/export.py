"""Export of large traces: time and peak memory of ``asyncscope export`` in each format.

Records two programs under ``--trace``, about 1,000,000 events each:

- bench/churn.py (5 rounds of gather over 17,000 tasks that each await sleep(0) 10 times:
  85,000 short tasks, so one track each);
- 100 long-lived tasks that each await sleep(0) 10,000 times (few tracks, many steps: the
  export's memory must not grow with the events).

Then runs, side by side in one run, each as a new process the way a user runs it:
``asyncscope export TRACE -o OUT --format perfetto``, the same with ``--format chrome``, and
reading and decoding the trace alone (what any export costs at least). For each: wall
time, the process's peak RSS (from ``wait4``) and the output's size.

Usage: ``python bench/export.py [ROUNDS] [TASKS]`` (churn's sizes; defaults 5 and 17,000).
Target: 3 s for a million events, memory bounded. Figures go to docs/performance.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

LONG_LIVED = """
import asyncio

async def work():
    for _ in range(10_000):
        await asyncio.sleep(0)

async def main():
    await asyncio.gather(*(work() for _ in range(100)))

asyncio.run(main())
"""

READ_ONLY = """
import sys
from asyncscope.trace import read_trace
count = 0
for batch in read_trace(sys.argv[1]):
    count += len(batch)
print(count)
"""


def _measure(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and stdout of one child process."""
    began = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT)
    assert child.stdout is not None
    out = child.stdout.read().decode()
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {code}")
    return elapsed, usage.ru_maxrss / 1024, out


def _bench(label: str, program: list[str], tmp: str) -> None:
    python = sys.executable
    trace = os.path.join(tmp, "run.trace")
    subprocess.run([python, "-m", "asyncscope", "run", "--headless", "--json", "--trace", trace, *program],
                   check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT)
    size = os.path.getsize(trace)
    read_s, read_mb, out = _measure([python, "-c", READ_ONLY, trace])
    rows = []
    for fmt, suffix in (("perfetto", ".pftrace"), ("chrome", ".json")):
        target = os.path.join(tmp, "run" + suffix)
        seconds, peak, _ = _measure([python, "-m", "asyncscope", "export", trace, "-o", target, "--format", fmt])
        rows.append((fmt, seconds, peak, os.path.getsize(target)))
        os.remove(target)
    print(f"{label}: {int(out):,} events, trace {size / 1e6:.1f} MB")
    for fmt, seconds, peak, out_size in rows:
        print(f"  {'export --format ' + fmt:24}{seconds:6.2f} s {peak:6.0f} MB peak RSS "
              f"{out_size / 1e6:7.1f} MB written")
    print(f"  {'read + decode only':24}{read_s:6.2f} s {read_mb:6.0f} MB peak RSS")


def main() -> None:
    rounds, tasks = (sys.argv[1:3] + ["5", "17000"][len(sys.argv[1:3]):])[:2]
    with tempfile.TemporaryDirectory() as tmp:
        _bench(f"churn.py {rounds} x {tasks} ({int(rounds) * int(tasks):,} short tasks)",
               [os.path.join(HERE, "churn.py"), rounds, tasks], tmp)
        program = os.path.join(tmp, "long_lived.py")
        with open(program, "w") as handle:
            handle.write(LONG_LIVED)
        _bench("100 long-lived tasks x 10,000 steps", [program], tmp)
    print("(each a new process, interpreter start-up included; target 3 s a million events)")


if __name__ == "__main__":
    main()
