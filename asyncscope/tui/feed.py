"""Between the session's reader threads and the screen.

:func:`drain` runs in a worker thread and gathers every batch already waiting into one
list (bounded, so a flooding program cannot make one UI update arbitrarily long).
:class:`Feed` runs on the UI thread: it folds a list of events into the model, lets the
narrator word them, indexes timeline marks, and says what changed, so panes refresh once
per list rather than once per event.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from asyncscope.events import (
    Diagnostic,
    End,
    Event,
    Output,
    Paused,
    Step,
    TaskCreated,
    TaskDone,
    TaskRenamed,
)
from asyncscope.model import Model
from asyncscope.tui.narration import Narrator

if TYPE_CHECKING:
    from asyncscope.session import Session

__all__ = ["Changes", "Feed", "Marks", "drain", "MAX_EVENTS_PER_UPDATE"]

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


@dataclass
class Marks:
    """Loop times of each task's prints and diagnostics, sorted, for the timeline."""

    prints: dict[int, list[float]] = field(default_factory=dict)
    diagnostics: dict[int, list[float]] = field(default_factory=dict)

    @staticmethod
    def _add(table: dict[int, list[float]], tid: int, t: float) -> None:
        times = table.setdefault(tid, [])
        if not times or times[-1] <= t:
            times.append(t)
        else:
            bisect.insort(times, t)

    @staticmethod
    def any_between(times: list[float] | None, start: float, end: float) -> bool:
        if not times:
            return False
        index = bisect.bisect_left(times, start)
        return index < len(times) and times[index] < end


@dataclass
class Changes:
    """What one list of events changed, so panes know whether to redraw."""

    tasks: set[int] = field(default_factory=set)
    new_tasks: bool = False
    renamed: bool = False
    output: bool = False
    diagnostics: bool = False
    narration: bool = False
    ended: bool = False
    stepped: list[int] = field(default_factory=list)
    """Tasks whose steps ran, in order (follow mode selects the last one it shows)."""


OUTPUT_LIMIT = 100_000
"""Output lines the TUI's model keeps: memory stays bounded however much a program prints."""


@dataclass
class Feed:
    """The UI-side fold of one run: model, narration and marks together."""

    model: Model = field(default_factory=lambda: Model(output_limit=OUTPUT_LIMIT))
    narrator: Narrator = field(default_factory=Narrator)
    marks: Marks = field(default_factory=Marks)

    def apply(self, events: list[Event]) -> Changes:
        model = self.model
        narrator = self.narrator
        changes = Changes()
        said = len(narrator.sentences) + narrator.dropped
        for event in events:
            narrator.observe(model, event)
            model.apply(event)
            kind = type(event)
            if kind is Step or kind is TaskDone:
                changes.tasks.add(event.task)  # type: ignore[attr-defined]
                changes.stepped.append(event.task)  # type: ignore[attr-defined]
            elif kind is Output:
                changes.output = True
                if event.task is not None:  # type: ignore[attr-defined]
                    self.marks._add(self.marks.prints, event.task, event.t)  # type: ignore[attr-defined]
            elif kind is TaskCreated:
                changes.new_tasks = True
                changes.tasks.add(event.task)  # type: ignore[attr-defined]
            elif kind is Paused:
                changes.tasks.update(event.ready)  # type: ignore[attr-defined]
                if event.next is not None:  # type: ignore[attr-defined]
                    changes.tasks.add(event.next)  # type: ignore[attr-defined]
            elif kind is Diagnostic:
                changes.diagnostics = True
                if event.task is not None:  # type: ignore[attr-defined]
                    self.marks._add(self.marks.diagnostics, event.task, event.t)  # type: ignore[attr-defined]
            elif kind is TaskRenamed:
                changes.renamed = True
                changes.tasks.add(event.task)  # type: ignore[attr-defined]
            elif kind is End:
                changes.ended = True
        changes.narration = len(narrator.sentences) + narrator.dropped != said
        return changes
