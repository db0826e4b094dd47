"""Between the session's reader thread and the screen.

:func:`drain` runs in a worker thread and gathers every batch already waiting into one
list (bounded, so a flooding program cannot make one UI update arbitrarily long); the run
screen folds each list into its ``RunHistory`` at once, so panes refresh once per list
rather than once per event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asyncscope.events import Event

if TYPE_CHECKING:
    from asyncscope.session import Session

__all__ = ["drain", "MAX_EVENTS_PER_UPDATE"]

MAX_EVENTS_PER_UPDATE = 20_000
"""Most events folded in one UI update; the rest wait for the next one (~30 per second)."""


def drain(session: Session, first_wait: float = 0.1,
          max_events: int = MAX_EVENTS_PER_UPDATE) -> tuple[list[Event], bool]:
    """Wait up to ``first_wait`` s for a batch, then take every batch already queued.

    Returns the events and whether the stream has ended (no more will come).
    """
    events: list[Event] = []
    batch = session.next_batch(first_wait)
    while True:
        if batch is None:
            return events, True
        events.extend(batch)
        if not batch or len(events) >= max_events:
            return events, False
        batch = session.next_batch(0)
