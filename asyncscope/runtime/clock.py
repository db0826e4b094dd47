"""The program's time: real time plus the idle time skipped so far.

Under the virtual clock (the default) nothing inside a task step is skipped: the program
runs in real time. Only an *idle* wait that nothing outside the loop can end (every task
sleeps, no watched descriptor, no busy thread, no signal handler) is skipped, by adding its
length to an offset. Time the user holds the program paused is taken off that offset, so
it is not program time either. The program's time functions (``time.monotonic``,
``perf_counter``, ``time.time`` and their ``_ns`` forms) return real time plus the offset,
and ``loop.time()`` reads ``time.monotonic()``, so the loop, the program and its threads
all see one consistent time. Timers that fall due at the same moment keep the order they
had, because their deadlines differ exactly as they would under the real clock.

Played at a finite speed, a skipped wait of ``dt`` takes ``dt / speed`` wall seconds, so a
learner can watch ``sleep(1)`` take one second at 1x.

The runtime's own code must keep the real functions: they are captured here, at import,
before :meth:`Clock.install` patches the ``time`` module.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Clock", "real_perf_ns", "real_sleep"]


def _defaulting(real: Callable[..., Any], now: Callable[[], float]) -> Callable[..., Any]:
    """``real(secs)``, with the program's time when ``secs`` is not given (or None)."""
    def call(secs: Any = None) -> Any:
        return real(now() if secs is None else secs)

    call.__name__ = call.__qualname__ = real.__name__
    call.__doc__ = real.__doc__
    return call

real_perf_ns = time.perf_counter_ns
PERF_IS_MONOTONIC = time.get_clock_info("perf_counter").implementation == "clock_gettime(CLOCK_MONOTONIC)"
"""The compiled hot path may read CLOCK_MONOTONIC itself: it is what perf_counter reads."""
real_sleep = time.sleep
_REAL = {
    name: getattr(time, name)
    for name in ("monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "time", "time_ns")
}


class Clock:
    """One clock for the whole child process, shared by every loop and thread in it."""

    __slots__ = ("virtual", "speed", "base_ns", "started", "origin_ns", "_state", "_base_monotonic", "_wake",
                 "own_idents")
    # Slots: the compiled hot path reads origin_ns and started by offset on every event it
    # stamps (_hotpath.c, clock_attr), not by name.

    def __init__(self, virtual: bool, speed: float | None = None) -> None:
        self.virtual = virtual
        self.speed = speed
        """Wall-clock playback rate of skipped waits; None skips them instantly."""
        self.base_ns = real_perf_ns()
        """The run's start on the perf_counter clock; reset when the first loop is made."""
        self.started = False
        self.origin_ns = self.base_ns
        """``base_ns`` minus the offset: the hot path stamps an event ``(perf_ns - origin_ns)``
        with a single attribute read. Valid whenever the program is not held."""
        self._state: tuple[int, int | None] = (0, None)
        """(offset_ns, held_since_ns): the offset of program time from real time, and, while
        the gate holds the program, the real instant the hold began (program time stands
        still until it ends). One tuple, so other threads always read a consistent pair."""
        self._base_monotonic = _REAL["monotonic_ns"]() / 1e9
        self._wake = threading.Event()
        self.own_idents: set[int] = set()

    # -- reading ----------------------------------------------------------------------

    def shift_ns(self) -> int:
        """How far program time is ahead of real time, at this instant."""
        offset, held_since = self._state
        if held_since is None:
            return offset
        return offset - (real_perf_ns() - held_since)

    def now(self) -> float:
        """Seconds of program time since the run started: what every event is stamped with."""
        if not self.started:
            return 0.0
        return (real_perf_ns() - self.base_ns + self.shift_ns()) / 1e9

    def loop_seconds(self, loop_time: float) -> float:
        """A ``loop.time()`` value as seconds since the run started."""
        return loop_time - self._base_monotonic

    def start(self) -> None:
        """The first event loop exists: time 0 of the run is now.

        Loop time starts when the program's first loop is made, not when the child
        process starts, so the seed's ``sleep(1)`` reads t=1.000 rather than carrying the
        interpreter's start-up in every timestamp."""
        if self.started:
            return
        self.started = True
        shift = self.shift_ns()
        self.base_ns = real_perf_ns()
        self.origin_ns = self.base_ns - shift
        self._base_monotonic = (_REAL["monotonic_ns"]() + shift) / 1e9

    # -- moving -----------------------------------------------------------------------

    def _set_offset(self, offset: int) -> None:
        self._state = (offset, None)
        self.origin_ns = self.base_ns - offset

    def hold(self) -> None:
        """The gate holds the program: its time stands still until :meth:`release`."""
        if self.virtual and self._state[1] is None:
            self._state = (self._state[0], real_perf_ns())

    def release(self) -> None:
        if self.virtual and self._state[1] is not None:
            self._set_offset(self.shift_ns())

    def discount(self, ns: int) -> None:
        """asyncscope's own work just took ``ns`` on the program's thread (writing events):
        take it off program time, so the program's times read as they would without us.

        Only while the program has a single thread, which is the one that paid: then
        nobody else can see its time step back, and it resumes exactly where it stood
        before our work began. ``own_idents`` (set by the bootstrap) are our threads."""
        if not self.virtual or self._state[1] is not None or ns <= 0:
            return
        own = self.own_idents
        if threading.get_ident() in own or threading.active_count() > len(own) + 1:
            return
        self._set_offset(self._state[0] - ns)

    def set_speed(self, speed: float | None) -> None:
        self.speed = speed
        self._wake.set()  # a long slow-motion skip re-reads the new speed at once

    def skip(self, dt: float, on_progress: Callable[[float], None] | None = None,
             interrupted: Callable[[], bool] | None = None, instant: bool = False) -> None:
        """Skip an idle wait of ``dt`` seconds, spending ``dt / speed`` wall seconds on it.

        In slow motion the wait is played in small real steps, calling ``on_progress`` with
        the run time reached, so a viewer's clock moves while every task sleeps. When
        ``interrupted()`` becomes true (the user paused), the skip stops where it is: the
        loop wakes early, finds no timer due, and the gate holds it at that time.
        """
        if dt <= 0:
            return
        began = real_perf_ns()
        offset = self._state[0]  # our own work during the skip (progress events) is in it already
        start_t = self.now()
        target_ns = int(dt * 1e9)
        done_ns = target_ns
        if not instant:
            while True:
                speed = self.speed
                if speed is None:
                    break
                played = (real_perf_ns() - began) * speed
                if played >= target_ns:
                    break
                if interrupted is not None and interrupted():
                    done_ns = int(played)
                    break
                self._wake.clear()
                self._wake.wait(min((target_ns - played) / speed / 1e9, 0.05))
                if on_progress is not None:
                    on_progress(start_t + min(target_ns, (real_perf_ns() - began) * speed) / 1e9)
        # Program time moves by exactly what was skipped, however long the playback took.
        self._set_offset(offset + done_ns - (real_perf_ns() - began))

    # -- the program's time functions --------------------------------------------------

    def install(self) -> None:
        """Give the program the clock's time through the ``time`` module (virtual only)."""
        if not self.virtual:
            return
        shift_ns = self.shift_ns

        def shifted_ns(real: Callable[[], int]) -> Callable[[], int]:
            def now_ns() -> int:
                return real() + shift_ns()

            return now_ns

        def shifted(real: Callable[[], float]) -> Callable[[], float]:
            def now() -> float:
                return real() + shift_ns() / 1e9

            return now

        for name, real in _REAL.items():
            patched = shifted_ns(real) if name.endswith("_ns") else shifted(real)
            patched.__name__ = patched.__qualname__ = name
            patched.__doc__ = real.__doc__
            setattr(time, name, patched)
        # The calendar functions read the system clock in C when given no time: give them
        # the program's time.time() instead, so a log line's date agrees with it too.
        program_time = time.time
        for name in ("localtime", "gmtime", "ctime"):
            setattr(time, name, _defaulting(getattr(time, name), program_time))
        real_asctime, real_strftime, localtime = time.asctime, time.strftime, time.localtime

        def asctime(t: Any = None) -> str:
            return real_asctime(localtime() if t is None else t)

        def strftime(format: str, t: Any = None) -> str:  # noqa: A002 - the time module's own name
            return real_strftime(format, localtime() if t is None else t)

        for patched, real in ((asctime, real_asctime), (strftime, real_strftime)):
            patched.__doc__ = real.__doc__
            setattr(time, real.__name__, patched)
