"""Virtual and real loop clocks.

Under the virtual clock, loop time moves only when the loop would otherwise sleep: the
selector wait is replaced by a jump to the next timer, so ``sleep(1)`` costs no wall time
and a run is deterministic. When something outside the loop may still deliver an event
(a watched file descriptor, an executor job, a foreign thread, a signal handler), the
clock must not jump past it, so it waits for real and advances by the real time waited.

Played at a finite speed, a jump of ``dt`` virtual seconds takes ``dt / speed`` wall
seconds, which lets a learner watch ``sleep(1)`` take one second at 1x.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Clock"]


class Clock:
    """One clock for the whole child process, shared by every loop it creates."""

    def __init__(self, virtual: bool, speed: float | None = None) -> None:
        self.virtual = virtual
        self.t = 0.0
        """Virtual loop time, seconds since the run started (virtual mode only)."""
        self.speed = speed
        """Wall-clock playback rate of virtual time; None plays it instantly."""
        self._base = time.monotonic()
        self.base_ns = time.perf_counter_ns()
        """The same instant on the perf_counter clock: the hot path times a step with
        perf_counter_ns and reuses the end reading as the event's timestamp."""
        self._wake = threading.Event()

    def now(self) -> float:
        """Seconds of loop time since the run started: what every event is stamped with.

        Real time is read from perf_counter (the hot path's clock; the same monotonic
        clock on Linux) so that all timestamps of a run share one origin."""
        if self.virtual:
            return self.t
        return (time.perf_counter_ns() - self.base_ns) / 1e9

    def loop_time(self) -> float:
        """Replacement for ``loop.time()`` under the virtual clock."""
        return self.t

    def set_speed(self, speed: float | None) -> None:
        self.speed = speed
        self._wake.set()  # a long slow-motion jump re-reads the new speed at once

    def jump(self, dt: float, on_progress: Callable[[float], None] | None = None) -> None:
        """Advance virtual time by ``dt``, spending ``dt / speed`` wall seconds doing it.

        In slow motion the clock moves in small real steps, calling ``on_progress`` with
        the new time after each, so a viewer's clock moves while every task sleeps.
        """
        if dt <= 0:
            return
        target = self.t + dt
        while True:
            speed = self.speed
            if speed is None:
                break
            remaining = (target - self.t) / speed
            if remaining <= 0:
                break
            self._wake.clear()
            began = time.monotonic()
            self._wake.wait(min(remaining, 0.05))
            self.t = min(target, self.t + (time.monotonic() - began) * speed)
            if on_progress is not None and self.t < target:
                on_progress(self.t)
        self.t = target

    def advance(self, dt: float) -> None:
        """Advance virtual time by real time that was actually waited."""
        if dt > 0:
            self.t += dt
