"""Export of a large trace: time and peak memory of ``asyncscope export`` in each format.

Records bench/churn.py under ``--trace`` (about 1,000,000 events with the default sizes:
5 rounds of gather over 16,000 tasks), then runs, side by side in one run, each as a new
process the way a user runs it:

- ``asyncscope export TRACE -o OUT --format perfetto``;
- ``asyncscope export TRACE -o OUT --format chrome``;
- reading and decoding the trace alone (what any export costs at least).

For each: wall time, the process's peak RSS (from ``wait4``), and the output's size.
Usage: ``python bench/export.py [ROUNDS] [TASKS]`` (defaults 5 and 16,000). Target: 3 s for
a million events, memory bounded (it must not grow with the trace). Figures go to
docs/performance.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

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
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024, out


def main() -> None:
    rounds, tasks = (sys.argv[1:3] + ["5", "16000"][len(sys.argv[1:3]):])[:2]
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "churn.trace")
        subprocess.run([python, "-m", "asyncscope", "run", "--headless", "--json", "--trace", trace,
                        os.path.join(HERE, "churn.py"), rounds, tasks],
                       check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT)
        size = os.path.getsize(trace)
        read_s, read_mb, out = _measure([python, "-c", READ_ONLY, trace])
        events = int(out)
        rows = []
        for fmt, suffix in (("perfetto", ".pftrace"), ("chrome", ".json")):
            target = os.path.join(tmp, "churn" + suffix)
            seconds, peak, _ = _measure([python, "-m", "asyncscope", "export", trace, "-o", target,
                                         "--format", fmt])
            rows.append((fmt, seconds, peak, os.path.getsize(target)))

    print(f"trace: {events:,} events, {size / 1e6:.1f} MB (churn.py {rounds} rounds x {tasks} tasks)")
    print(f"{'':24}{'seconds':>9}{'peak RSS':>11}{'output':>10}")
    for fmt, seconds, peak, out_size in rows:
        print(f"{'export --format ' + fmt:24}{seconds:8.2f}s{peak:8.0f} MB{out_size / 1e6:7.1f} MB")
    print(f"{'read + decode only':24}{read_s:8.2f}s{read_mb:8.0f} MB")
    print("(each a new process, start-up included; target 3 s per format)")


if __name__ == "__main__":
    main()
