"""Blocking detection: a thread that samples the loop thread while a step runs too long.

A coroutine that calls ``time.sleep()`` or spins the CPU holds the whole loop: no other
task can run. The step's frame may be gone by the time the step ends, so the line it was
stuck at is found by *sampling*: every few milliseconds this thread looks at the running
threads' stacks; a thread inside a task step (a :class:`TaskStepHandle` ``_run`` frame)
whose step began longer ago than the threshold is reported once, with the innermost user
line it is executing. The hot path pays nothing for this: the step's start time is read
from the ``_run`` frame's own local variable.
"""

from __future__ import annotations

import linecache
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from asyncscope.events import Diagnostic, Fact
from asyncscope.runtime.clock import real_perf_ns, real_sleep

if TYPE_CHECKING:
    from asyncscope.runtime.loop import Tracer

__all__ = ["Watchdog"]


class Watchdog:
    def __init__(self, tracer: Tracer, threshold: float, step_code: Any,
                 running: Callable[[], dict[int, tuple[int, int]]] | None = None) -> None:
        """``step_code``: the code of the Python ``TaskStepHandle._run``, whose frame holds
        the step's start and task in its locals; or ``running``, which the compiled hot
        path gives instead: ``{thread ident: (step began, task id)}`` now."""
        self._tracer = tracer
        self._running = running
        self._threshold_ns = int(threshold * 1e9)
        self._threshold = threshold
        self._step_code = step_code
        self._period = max(0.005, min(0.025, threshold / 4))
        self._seen: dict[int, tuple[int, int, int, int, bool]] = {}
        """Per thread in a step: (step began, first seen, run delay then, own time then,
        reported)."""
        self.thread = threading.Thread(target=self._watch, name="asyncscope-watchdog", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _watch(self) -> None:
        while True:
            real_sleep(self._period)
            try:
                self._sample()
            except Exception:
                pass  # never let the watchdog disturb the program

    def _sample(self) -> None:
        now = real_perf_ns()
        own_time = self._tracer.emitter.own_ns
        seen = self._seen
        frames = sys._current_frames()
        frames.pop(threading.get_ident(), None)
        running = self._running() if self._running is not None else None
        # Frame objects keep a finished step's locals (its task) alive: hold each one only
        # while it is looked at, so the program's garbage is never kept by this thread
        # (CPython's test_log_destroyed_pending_task checks a task is collected at once).
        for ident in list(frames):
            frame = frames.pop(ident)
            if running is not None:
                began, tid = running.get(ident, (None, None))
                if began is None:
                    del frame
                    seen.pop(ident, None)
                    continue
            else:
                step: Any = frame
                while step is not None and step.f_code is not self._step_code:
                    step = step.f_back
                if step is None:
                    del frame
                    seen.pop(ident, None)
                    continue
                values = step.f_locals
                began, tid = values.get("began"), values.get("tid")
                del values, step
            if began is None or tid is None:
                del frame
                continue
            first = seen.get(ident)
            if first is None or first[0] != began:
                # First sight of this step: from here on, time the thread spent waiting
                # for a CPU (descheduled by the OS) and asyncscope's own work in it are
                # not the step's. Before this sample (one period at most) they cannot be
                # told apart and count.
                del frame
                seen[ident] = (began, now, _run_delay(ident), own_time.get(ident, 0), False)
                continue
            _began, first_at, delay_at, own_at, reported = first
            watched = now - first_at
            if reported or watched <= 0:
                del frame
                continue
            # The share of the watched time that was the program's, applied to the whole
            # step (the part before the first sight included).
            program_share = 1 - ((_run_delay(ident) - delay_at) + (own_time.get(ident, 0) - own_at)) / watched
            held = (now - began) * max(0.0, program_share)
            if held < self._threshold_ns:
                del frame
                continue
            seen[ident] = (began, first_at, delay_at, own_at, True)
            where = self._tracer.user_site(frame)
            del frame
            self._report(tid, where, held / 1e9)

    def _report(self, tid: int, where: str | None, held: float) -> None:
        tracer = self._tracer
        facts: dict[str, Fact] = {"name": tracer.task_name(tid), "ms": int(self._threshold * 1000),
                                  "held_ms": int(held * 1000), "call": _blocking_call(where)}
        tracer.emitter.emit(Diagnostic(tracer.clock.now(), "blocking", tid, where, facts))
        tracer.emitter.flush()


def _blocking_call(where: str | None) -> str | None:
    """``time.sleep`` when the line the step was held at calls it (the hint differs: an
    asyncio.sleep() away from right, versus moving I/O or CPU work elsewhere)."""
    if not where:
        return None
    file, _, line = where.rpartition(":")
    try:
        text = linecache.getline(file, int(line))
    except (ValueError, OSError):
        return None
    code = text.split("#", 1)[0]
    return "time.sleep" if "sleep(" in code and "asyncio.sleep" not in code else None


def _run_delay(ident: int) -> int:
    """Nanoseconds the thread has spent runnable but waiting for a CPU (Linux's
    ``schedstat``); 0 where the system does not say."""
    thread = threading._active.get(ident)  # type: ignore[attr-defined]
    native = getattr(thread, "native_id", None)
    if native is None:
        return 0
    try:
        with open(f"/proc/self/task/{native}/schedstat", "rb") as handle:
            return int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
