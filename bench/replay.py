"""Replay and time travel on a large trace: how long reading it back and jumping take.

Records bench/churn.py under ``--trace`` (about 1,000,000 events with the default sizes:
8 rounds of 10,000 tasks), then measures, side by side in one run:

- ``asyncscope report TRACE --json`` end to end (a new process, as a user runs it);
- reading and decoding the trace alone;
- loading it as ``asyncscope replay`` does: every event folded once into the run history
  (live state, narration, marks, snapshots placed by what folding costs: see
  ``asyncscope.history.WEIGHTS``), and the
  memory that holds (RSS of this process, before and after);
- time-travel jumps as the run screen makes them (``RunHistory.state_at``): to the start,
  the middle, one step back from the end, and at a random moment (the worst of 20);
- the replay screen itself, in a new process as ``asyncscope replay`` runs it (Textual's
  headless driver at 120x40): when its first frame with tasks shows, when the whole run is
  loaded, the process's memory then and after travelling (keys pressed as a user would:
  ``←``, ``home``, ``end``, ``g 1.5``), and how long each key took to repaint.

Usage: ``python bench/replay.py [ROUNDS] [TASKS]`` (defaults 8 and 10,000). Figures go to
docs/performance.md.
"""

from __future__ import annotations

import gc
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from asyncscope.history import SNAPSHOT_EVERY, RunHistory  # noqa: E402
from asyncscope.model import TUI_OUTPUT_LIMIT, Model  # noqa: E402
from asyncscope.source import TraceSource  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    rounds, tasks = (sys.argv[1:3] + ["8", "10000"][len(sys.argv[1:3]):])[:2]
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
        count = sum(len(batch) for batch in source.batches())
        read_s = time.perf_counter() - began

        gc.collect()
        rss_before = _rss_mb()
        began = time.perf_counter()
        source = TraceSource(trace)
        source.start()
        history = RunHistory(lambda: Model(output_limit=TUI_OUTPUT_LIMIT))
        for batch in source.batches():
            history.append(batch)
        load_s = time.perf_counter() - began
        gc.collect()
        rss_after = _rss_mb()

        def jump(shown: int) -> float:
            began = time.perf_counter()
            history.state_at(shown)
            return time.perf_counter() - began

        n = len(history)
        jumps = {
            "start": jump(0),
            "middle": jump(n // 2),
            "back from the end": jump(history.previous_step(n)),
        }
        rng = random.Random(3)
        jumps["random (worst of 20)"] = max(jump(rng.randrange(n)) for _ in range(20))
        screen = subprocess.run([sys.executable, __file__, "--screen", trace, str(count)], check=True,
                                capture_output=True, text=True)
        screen_lines = screen.stdout.splitlines()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"trace: {count:,} events, {size / 1e6:.1f} MB; {len(history._snapshots)} snapshots,"
          f" {history.every:,} steps' worth apart (at first {SNAPSHOT_EVERY:,})")
    print(f"report --json (new process):       {report_s:6.2f} s    (target 2 s)")
    print(f"read + decode the trace:           {read_s:6.2f} s")
    print(f"load for replay (fold + index):    {load_s:6.2f} s")
    print(f"memory held by the loaded run:     {rss_after - rss_before:6.0f} MB  (process peak {peak:.0f} MB,"
          f" target 300 MB)")
    for label, seconds in jumps.items():
        print(f"jump: {label + ':':<28}{seconds * 1000:6.1f} ms  (target 50 ms)")
    print("the replay screen (a new process):")
    for line in screen_lines:
        print("  " + line)


async def _screen(trace: str, events: int) -> None:
    """``--screen TRACE EVENTS``: the replay screen as a user gets it, measured."""
    import asyncio

    from asyncscope.session import Target
    from asyncscope.tui.app import make_app

    began = time.perf_counter()
    app = make_app(Target("path", trace, (), "churn.py"), replay=trace)
    async with app.run_test(size=(120, 40)) as pilot:
        first = None
        while True:
            await asyncio.sleep(0.01)  # not pilot.pause(): it waits for an idle app, and loading is not
            history = getattr(app.screen, "history", None)
            if history is None:
                continue
            if first is None and len(history.live.tasks) > 1:
                first = time.perf_counter() - began
            if len(history) >= events:
                break
        loaded = time.perf_counter() - began
        await pilot.pause(0.2)
        print(f"first frame with tasks:   {first:6.2f} s   (target 1 s; from the app's start, imports done)")
        print(f"whole run loaded:         {loaded:6.2f} s")
        print(f"memory once loaded:       {_rss_mb():6.0f} MB  (target 300 MB)")
        screen = app.screen
        moves = [("← (one step back)", screen.action_step_back), ("← again", screen.action_step_back),
                 ("home", screen.action_travel_start), ("end", screen.action_travel_end),
                 ("g 1.5", lambda: screen.travel_to(screen.history.index_at(1.5))),
                 ("→ (one step on)", screen.action_step_forward)]
        for label, move in moves:
            # The key's action, then the frame it asked for, painted at once (what
            # pilot.pause() ends with). Left out: Textual's key dispatch, and the narration's
            # older sentences, wrapped just after the frame.
            await pilot.pause()
            began = time.perf_counter()
            move()
            screen._on_timer_update()
            print(f"{label + ':':<26}{(time.perf_counter() - began) * 1000:6.1f} ms  (target 50 ms)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        print(f"memory after travelling:  {_rss_mb():6.0f} MB  (peak {peak:.0f} MB, target 300 MB)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--screen"]:
        import asyncio

        asyncio.run(_screen(sys.argv[2], int(sys.argv[3])))
    else:
        main()
