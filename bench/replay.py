"""Replay and time travel on a large trace: how long reading it back takes.

Records bench/churn.py under ``--trace`` (about 650,000 events with the default sizes),
then measures, side by side in one run:

- ``asyncscope report TRACE --json`` end to end (a new process, as a user runs it);
- reading and decoding the trace alone;
- one time-travel jump as the run screen makes it today: a fresh fold (model, narration,
  marks) of every event up to the moment shown, at the middle and at the end.

Usage: ``python bench/replay.py [ROUNDS] [TASKS]`` (defaults 5 and 10,000). Figures go to
docs/performance.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from asyncscope.source import TraceSource  # noqa: E402
from asyncscope.tui.feed import Feed  # noqa: E402


def main() -> None:
    rounds, tasks = (sys.argv[1:3] + ["5", "10000"][len(sys.argv[1:3]):])[:2]
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "churn.trace")
        cmd = [sys.executable, "-m", "asyncscope", "run", "--headless", "--json", "--trace", trace,
               os.path.join(HERE, "churn.py"), rounds, tasks]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        size = os.path.getsize(trace)

        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "asyncscope", "report", trace, "--json"], check=True,
                       stdout=subprocess.DEVNULL)
        report_s = time.perf_counter() - began

        began = time.perf_counter()
        source = TraceSource(trace)
        source.start()
        events = [event for batch in source.batches() for event in batch]
        read_s = time.perf_counter() - began

        jumps = {}
        for label, upto in (("middle", len(events) // 2), ("end", len(events))):
            began = time.perf_counter()
            Feed().apply(events[:upto])
            jumps[label] = time.perf_counter() - began

    print(f"trace: {len(events):,} events, {size / 1e6:.1f} MB")
    print(f"report --json (new process):     {report_s:6.2f} s   (target 2 s)")
    print(f"read + decode the trace:         {read_s:6.2f} s")
    print(f"jump to the middle (re-fold):    {jumps['middle']:6.2f} s   (target 0.05 s)")
    print(f"jump to the end (re-fold):       {jumps['end']:6.2f} s")


if __name__ == "__main__":
    main()
