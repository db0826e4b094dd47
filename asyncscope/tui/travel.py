"""Moving through a run's history: which event index a key leads to.

The run screen keeps every event it received (live or replayed) and shows the state after
the first ``k`` of them by folding them again into a fresh :class:`~asyncscope.tui.feed.Feed`
(the same fold a live run uses, so a moment in the past looks exactly as it did live).
Re-folding costs time linear in ``k``: fine for the runs people step through by hand; see
docs/performance.md for the figures and what a snapshot index would add.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from asyncscope.events import Event, Step, TaskDone

__all__ = ["previous_step", "next_step", "index_at", "STEP_EVENTS"]

STEP_EVENTS = (Step, TaskDone)
"""The events that end a task step: the moments ``←`` and ``→`` stop at."""


def _is_step(event: Event, hidden: Container[int] = ()) -> bool:
    return type(event) in STEP_EVENTS and event.task not in hidden  # type: ignore[attr-defined]


def previous_step(history: Sequence[Event], cursor: int, hidden: Container[int] = ()) -> int:
    """Events shown one task step before the moment ``cursor`` shows: just after the step
    before the latest one shown (0, the very start, when there is none). Steps of
    ``hidden`` tasks (asyncio's own, while the task pane hides them) are passed over."""
    index = cursor - 1
    while index >= 0 and not _is_step(history[index], hidden):
        index -= 1  # the latest step shown now
    index -= 1
    while index >= 0 and not _is_step(history[index], hidden):
        index -= 1  # the one before it
    return index + 1 if index >= 0 else 0


def next_step(history: Sequence[Event], cursor: int, hidden: Container[int] = ()) -> int | None:
    """Events shown one task step after ``cursor``; None when no later step was recorded."""
    for index in range(cursor, len(history)):
        if _is_step(history[index], hidden):
            return index + 1
    return None


def index_at(history: Sequence[Event], t: float) -> int:
    """Events shown at loop time ``t``: every event stamped at or before it."""
    last = 0
    for index, event in enumerate(history):
        value = getattr(event, "t", None)
        if value is not None and value > t + 1e-9 and getattr(event, "seq", 0) != -1:
            break
        last = index + 1
    return last
