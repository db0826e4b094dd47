"""Pause, single-step and stop: the one place the runtime changes timing.

The gate may delay the next task step or the next loop iteration; it never reorders
anything. While open, the loop thread pays one attribute check per step
(``gate.active``). Commands arrive on a reader thread and wake the loop thread through a
condition variable.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from asyncscope.events import Paused, Resumed

if TYPE_CHECKING:
    from asyncscope.runtime.clock import Clock
    from asyncscope.runtime.emit import Emitter

__all__ = ["Gate"]


class Gate:
    """Holds the loop between task steps while paused."""

    def __init__(self, emitter: Emitter, clock: Clock, paused: bool = False) -> None:
        self._emitter = emitter
        self._clock = clock
        self._cond = threading.Condition()
        self.paused = paused
        self._step_budget = 0
        self._run_iteration = False
        self.active = paused
        """True when the loop thread must consult the gate: the hot path checks only this."""

    # -- commands (reader thread) -------------------------------------------------

    def command(self, cmd: str, value: float | None = None) -> None:
        with self._cond:
            if cmd == "pause":
                self.paused = True
            elif cmd == "resume":
                self.paused = False
                self._step_budget = 0
                self._run_iteration = False
            elif cmd == "step":
                self._step_budget += 1
            elif cmd == "step-iteration":
                self._run_iteration = True
            elif cmd == "speed":
                self._clock.set_speed(value)
            self.active = self.paused
            self._cond.notify_all()

    def pause_requested(self) -> bool:
        """The user paused and asked for no step: a slow skip should stop where it is."""
        return self.paused and not self._step_budget and not self._run_iteration

    # -- loop thread --------------------------------------------------------------

    def before_step(self, task_id: int, loop: Any) -> None:
        """Called before a task step while ``active``: block unless a step is allowed."""
        with self._cond:
            if not self.paused or self._run_iteration:
                return
            if self._step_budget > 0:
                self._step_budget -= 1
                return
            self._hold(task_id, loop)

    def at_iteration(self, loop: Any, idle: bool) -> None:
        """Called at the start of every loop iteration while ``active``.

        While paused, the gate holds here only when the loop is about to idle (nothing
        ready: the clock would advance). With steps ready it lets the iteration begin and
        holds before the first step instead, where it can say which task is next.
        """
        with self._cond:
            if self._run_iteration:
                self._run_iteration = False  # the iteration we were asked for is done
            if idle and self.paused and not self._step_budget and not self._run_iteration:
                self._hold(None, loop)

    def _hold(self, task_id: int | None, loop: Any) -> None:
        emitter = self._emitter
        clock = self._clock
        clock.hold()  # time the user holds the program is not program time
        emitter.emit(Paused(clock.now(), task_id, _ready_task_ids(loop)))
        emitter.flush()
        try:
            while self.paused:
                if self._run_iteration:
                    break
                if self._step_budget > 0:
                    if task_id is not None:
                        self._step_budget -= 1
                    break
                self._cond.wait()
        finally:
            clock.release()
        emitter.emit(Resumed(clock.now()))


def _ready_task_ids(loop: Any) -> list[int]:
    """Ids of the tasks whose step handles wait in the loop's ready queue."""
    ready = getattr(loop, "_ready", ())
    return [h._as_tid for h in ready if hasattr(h, "_as_tid") and not h._cancelled]
