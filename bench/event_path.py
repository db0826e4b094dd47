"""The event path: how many events a second go from the child through the parent into a
trace file, none lost, and how many bytes each takes on disk (issue 16: ≥ 1M events/s,
≤ 32 B an event).

Workload: bench/churn.py (ROUNDS rounds of gather over TASKS tasks that each await sleep(0)
10 times; 5 x 10,000 by default: 550,008 task steps, 50,003 tasks, about 600,000 events).
Nothing on the path drops events on purpose: the child's emitter blocks when the pipe is
full (it gives up only if the pipe fails, and says so on stderr), the parent writes every
frame to the trace byte for byte as it arrived, and a frame it cannot decode becomes an
``internal-error`` diagnostic. So "no drops" is checked as: the trace holds exactly the
task steps and tasks churn makes (``Step`` + ``TaskDone`` events = ROUNDS*TASKS*11 +
ROUNDS + 3), ends with ``End(finished)``, is not truncated, has no ``internal-error``, and
no output saying "events after this are lost" (the child's raw stderr reaches the trace).

Measured, min of --repeat runs each, side by side in one run:

A. ``asyncscope run --headless --json --clock real --trace FILE bench/churn.py`` as a user
   runs it: wall time of the whole command (both interpreters' start-up, the program, the
   parent's fold, the JSON verdict). Events / that time is the end-to-end rate.
B. The same run with the parent in this process (``Session`` with a trace file, each batch
   folded into a ``Model`` as ``run --headless`` does): the time from the first batch's
   arrival (Hello) to the End's. This is the rate at which the child produced events and
   the parent took them, start-ups and the report left out; it is bounded by the program
   (plain ``python bench/churn.py`` is printed for comparison: the child cannot make steps
   faster than the program makes them).
C. The parent's own capacity, from a real pipe: the same ``Session`` code, but the child is
   a firehose that writes the frames of the trace recorded in B to the event pipe as fast
   as the pipe takes them (no program, no hooks). Time from the first batch's arrival to
   the last one's; with the parent writing the trace only, then with the fold too. The
   output trace must be byte-identical to the one fed in.
D. Where the parent's time goes, in this process with no pipe or threads, on the recorded
   trace: cutting 64 KiB reads into frames and decoding them (the reader thread's
   ``FrameBuffer`` and ``decode_batch``), ``Session._deliver`` (its look at every event for
   the newest time, a pause or the end, the trace write, the queue), the trace write alone,
   and the fold (the consumer's ``Model.apply_all``).

Usage: ``python bench/event_path.py [--repeat 3] [ROUNDS] [TASKS]``. The parent is two
threads (reader, consumer) under one GIL; on the project's 2-core machine the child and
the parent share the two cores with whatever else runs, so the load average is printed.
Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import asyncscope  # noqa: E402
import asyncscope.session as session_module  # noqa: E402
from asyncscope.events import (  # noqa: E402
    Diagnostic,
    End,
    Event,
    Hello,
    Output,
    Step,
    TaskCreated,
    TaskDone,
    decode_batch,
)
from asyncscope.headless import Settler  # noqa: E402
from asyncscope.model import Model  # noqa: E402
from asyncscope.session import Session, Target  # noqa: E402
from asyncscope.trace import MAGIC, FrameBuffer, TraceWriter, read_trace  # noqa: E402

CHURN = os.path.join(HERE, "churn.py")
CHUNK = 1 << 16  # what the parent's reader asks of the pipe at a time (session.py)


# -- the firehose child (C) ----------------------------------------------------------------

def firehose(source: str, done_path: str) -> None:
    """Child side of C: write the frames of ``source`` to the event pipe, then note the
    monotonic time the last byte went in (CLOCK_MONOTONIC is the same in both processes)."""
    config = json.loads(os.environ["ASYNCSCOPE_CHILD"])
    fd = int(config["events_fd"])
    with open(source, "rb") as handle:
        data = memoryview(handle.read()[len(MAGIC):])
    began = time.monotonic()
    while data:
        data = data[os.write(fd, data[:1 << 20]):]
    ended = time.monotonic()
    os.close(fd)
    with open(done_path, "w") as handle:
        handle.write(f"{began} {ended}")


# -- helpers ---------------------------------------------------------------------------------

def expected(rounds: int, tasks: int) -> tuple[int, int]:
    """(task steps, tasks) of bench/churn.py: main steps once per round and ends; each work
    task yields 10 times and ends; asyncio.run adds two shutdown tasks of one step each."""
    return rounds * tasks * 11 + rounds + 3, rounds * tasks + 3


def census(path: str) -> tuple[Counter[str], Event | None, bool, int, int]:
    """Events of a trace by kind (read with the project's reader), its last event, whether
    it was cut short, its internal errors, and the child's notes that it lost the pipe."""
    cut: list[bool] = []
    kinds: Counter[str] = Counter()
    last = None
    internal = lost = 0
    for batch in read_trace(path, on_truncated=lambda: cut.append(True)):
        for event in batch:
            kinds[type(event).__name__] += 1
            if isinstance(event, Diagnostic) and event.kind == "internal-error":
                internal += 1
            elif isinstance(event, Output) and "events after this are lost" in event.text:
                lost += 1
        if batch:
            last = batch[-1]
    return kinds, last, bool(cut), internal, lost


def check(path: str, rounds: int, tasks: int) -> tuple[int, list[str]]:
    """The number of events in the trace and what is wrong with it (nothing, if complete)."""
    kinds, last, cut, internal, lost = census(path)
    steps, made = expected(rounds, tasks)
    problems = []
    got_steps = kinds[Step.__name__] + kinds[TaskDone.__name__]
    if got_steps != steps:
        problems.append(f"{got_steps} task steps in the trace, {steps} expected")
    if kinds[TaskCreated.__name__] != made:
        problems.append(f"{kinds[TaskCreated.__name__]} tasks created in the trace, {made} expected")
    if not isinstance(last, End) or last.status != "finished":
        problems.append(f"the trace ends with {last!r}")
    if cut:
        problems.append("the trace is truncated")
    if internal:
        problems.append(f"{internal} internal-error diagnostics")
    if lost:
        problems.append("the child lost its event pipe")
    return sum(kinds.values()), problems


def digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def run_session(target: Target, trace: str, fold: bool) -> tuple[float, float, float, int]:
    """Run one Session in this process, its trace written to ``trace``; consume its batches
    (folding them if ``fold``, as ``run --headless`` does). Returns the wall time from start
    to the stream's end, the monotonic times the first batch and the last batch with more
    than a Hello arrived, and the events received."""
    session = Session(target, clock="real", trace_path=trace)
    model = Model(narrator=None) if fold else None
    settled = Settler()
    first = last = 0.0
    count = 0
    began = time.perf_counter()
    session.start()
    for batch in session.batches():
        now = time.monotonic()
        first = first or now
        if any(not isinstance(event, Hello) for event in batch):
            last = now
        count += len(batch)
        if model is not None:
            model.apply_all(batch)
            settled.after(len(batch))
    wall = time.perf_counter() - began
    del model
    gc.unfreeze()
    gc.collect()
    return wall, first, last, count


def rate(events: int, seconds: float) -> str:
    return f"{events / seconds / 1e6:5.2f} M/s" if seconds > 0 else "    -    "


# -- the measurements ------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--firehose":
        firehose(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("tasks", nargs="?", type=int, default=10_000)
    options = parser.parse_args()
    rounds, tasks, repeat = options.rounds, options.tasks, options.repeat
    args = (str(rounds), str(tasks))
    compileall.compile_dir(os.path.dirname(asyncscope.__file__), quiet=1)  # as overhead.py does
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, min of {repeat}, "
          f"load average {os.getloadavg()[0]:.2f} at the start")
    steps, made = expected(rounds, tasks)
    print(f"workload: bench/churn.py {rounds} {tasks}  ({steps:,} task steps, {made:,} tasks expected)")

    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "churn.trace")
        plain: list[float] = []
        a_wall: list[float] = []
        b_span: list[float] = []
        b_wall: list[float] = []
        events = 0
        hot_path = "?"
        for _ in range(repeat):
            began = time.perf_counter()
            subprocess.run([sys.executable, CHURN, *args], check=True)
            plain.append(time.perf_counter() - began)

            # A: the command as a user runs it.
            began = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "asyncscope", "run", "--headless", "--json",
                                     "--clock", "real", "--trace", trace, CHURN, *args],
                                    capture_output=True, check=False, stdin=subprocess.DEVNULL)
            a_wall.append(time.perf_counter() - began)
            if result.returncode != 0:
                sys.exit(f"asyncscope run failed ({result.returncode}):\n{result.stderr.decode(errors='replace')}")
            events, problems = check(trace, rounds, tasks)
            if problems:
                sys.exit("A: events lost or wrong: " + "; ".join(problems))
            hot_path = json.loads(result.stdout)["hot_path"]

            # B: the parent in this process, folding as run --headless does.
            wall, first, last, received = run_session(Target("path", CHURN, args), trace, fold=True)
            got, problems = check(trace, rounds, tasks)
            if got != received:
                problems.append(f"{received} events received, {got} in the trace")
            if problems:
                sys.exit("B: events lost or wrong: " + "; ".join(problems))
            b_span.append(last - first)
            b_wall.append(wall)

        size = os.path.getsize(trace)
        fed = digest(trace)

        # C: the firehose child; the parent's capacity from a real pipe.
        original_boot = session_module._BOOT
        c_span: dict[bool, list[float]] = {False: [], True: []}
        c_child: dict[bool, list[float]] = {False: [], True: []}
        out = os.path.join(tmp, "firehose.trace")
        done = os.path.join(tmp, "firehose.done")
        # Session formats _BOOT with the package's path: these paths must hold no braces.
        session_module._BOOT = (f"import runpy, sys; sys.argv = [{__file__!r}, '--firehose', {trace!r}, {done!r}]; "
                                f"runpy.run_path({__file__!r}, run_name='__main__')")
        try:
            for _ in range(repeat):
                for fold in (False, True):
                    _wall, first, last, received = run_session(Target("path", "firehose"), out, fold)
                    if received != events or digest(out) != fed:
                        sys.exit(f"C: the parent wrote a different trace ({received} events of {events})")
                    with open(done) as handle:
                        child_began, child_ended = map(float, handle.read().split())
                    c_span[fold].append(last - first)
                    c_child[fold].append(child_ended - child_began)
        finally:
            session_module._BOOT = original_boot

        # D: the parent's stages in this process, on the recorded trace.
        with open(trace, "rb") as handle:
            data = handle.read()[len(MAGIC):]
        d: dict[str, list[float]] = {"frames": [], "deliver": [], "write": [], "fold": []}
        for _ in range(repeat):
            began = time.perf_counter()
            frames = FrameBuffer()
            decoded = []
            for start in range(0, len(data), CHUNK):
                for header, body in frames.feed(data[start:start + CHUNK]):
                    decoded.append((decode_batch(body), header + body))
            d["frames"].append(time.perf_counter() - began)
            parent = Session(Target("path", "none"))
            parent._trace = TraceWriter(out)
            began = time.perf_counter()
            for batch, frame in decoded:
                parent._deliver(batch, frame)
            parent._trace.close()
            d["deliver"].append(time.perf_counter() - began)
            del parent
            writer = TraceWriter(out)
            began = time.perf_counter()
            for batch, frame in decoded:
                writer.write(batch, frame)
            writer.close()
            d["write"].append(time.perf_counter() - began)
            model = Model(narrator=None)
            settled = Settler()
            began = time.perf_counter()
            for batch, _frame in decoded:
                model.apply_all(batch)
                settled.after(len(batch))
            d["fold"].append(time.perf_counter() - began)
            del model, decoded
            gc.unfreeze()
            gc.collect()

    print(f"trace: {events:,} events (all {steps:,} task steps and {made:,} tasks: none lost), "
          f"{size / 1e6:.2f} MB, {size / events:.1f} B an event; child hot path: {hot_path}")
    print(f"plain python bench/churn.py: {min(plain):.3f} s (the program alone, untraced)")
    print()
    print(f"{'':58} {'seconds':>8} {'events/s':>10}")
    rows = [
        ("A  asyncscope run --headless --json --trace (whole command)", min(a_wall)),
        ("B  child -> parent (fold) -> trace: Hello to End arrival", min(b_span)),
        ("C  firehose -> parent -> trace, no fold: first to last", min(c_span[False])),
        ("C  firehose -> parent (fold) -> trace: first to last", min(c_span[True])),
        ("D  in process: 64 KiB reads cut into frames + decoded", min(d["frames"])),
        ("D  in process: Session._deliver (with the trace write)", min(d["deliver"])),
        ("D  in process:   of which the trace write alone", min(d["write"])),
        ("D  in process: fold (Model.apply_all, gc.freeze as headless)", min(d["fold"])),
    ]
    for label, seconds in rows:
        print(f"{label:58} {seconds:8.3f} {rate(events, seconds):>10}")
    print()
    print(f"B's whole Session (spawn to the stream's end): {min(b_wall):.3f} s.  C's firehose child "
          f"wrote its {size / 1e6:.1f} MB in {min(c_child[False]):.3f} s (no fold) / "
          f"{min(c_child[True]):.3f} s (fold): the pipe was full, the parent set the pace.")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
