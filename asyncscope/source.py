"""A recorded run, served like a live one.

:class:`TraceSource` offers what the run screen, the headless report and the tests use of a
live :class:`~asyncscope.session.Session` (``start``, ``batches``, ``next_batch``, ``send``,
``stop``, ``finished``, ``pid``), read from a trace file instead of a child process. Nothing
of the program runs: commands are ignored, and the stream ends with the recorded End (or,
for a trace cut short, a diagnostic saying so and an End at its last moment).
"""

from __future__ import annotations

import queue
from collections.abc import Iterator

from asyncscope.events import Diagnostic, End, Event
from asyncscope.trace import read_trace

__all__ = ["TraceSource", "events_until"]


class TraceSource:
    """Events of a trace file, batch by batch, as a live session would deliver them."""

    live = False

    def __init__(self, path: str) -> None:
        self.path = path
        self.truncated = False
        self._queue: queue.SimpleQueue[list[Event] | None] = queue.SimpleQueue()
        self._finished = False

    def start(self) -> None:
        """Read the whole trace. Raises :class:`~asyncscope.trace.TraceError` for a file
        that is not a readable trace."""
        last_t = 0.0
        got_end = False

        def cut_short() -> None:
            self.truncated = True

        for batch in read_trace(self.path, cut_short):
            for event in batch:
                t = getattr(event, "t", None)
                if isinstance(t, float) and t > last_t:
                    last_t = t
                got_end = got_end or isinstance(event, End)
            self._queue.put(batch)
        tail: list[Event] = []
        if self.truncated:
            tail.append(Diagnostic(last_t, "trace-truncated", None, None, {"path": str(self.path)}))
        if not got_end:
            tail.append(End(last_t, "stopped", 1, None, None, "trace-cut"))
        if tail:
            self._queue.put(tail)
        self._queue.put(None)

    @property
    def pid(self) -> None:
        return None

    @property
    def finished(self) -> bool:
        return self._finished

    def next_batch(self, timeout: float | None = None) -> list[Event] | None:
        """The next batch; None once the trace is exhausted (it never waits)."""
        try:
            batch = self._queue.get_nowait()
        except queue.Empty:
            batch = None
        if batch is None:
            self._finished = True
        return batch

    def batches(self) -> Iterator[list[Event]]:
        while (batch := self.next_batch()) is not None:
            yield batch

    def send(self, cmd: str, value: float | None = None) -> None:
        """A recording cannot be paused or stepped: commands are ignored."""

    def interrupt(self) -> None:
        """Nothing runs: there is nothing to interrupt."""

    def stop(self, reason: str = "stopped") -> None:
        self._finished = True


def events_until(source: TraceSource, at: float | None) -> Iterator[Event]:
    """The events of ``source`` up to loop time ``at`` (events stamped at exactly ``at``
    included), or all of them. Output read from the program's raw descriptors is stamped by
    the parent and may lag the events around it: it never ends the walk early."""
    for batch in source.batches():
        for event in batch:
            if at is not None:
                t = getattr(event, "t", None)
                if t is not None and t > at + 1e-9:
                    if getattr(event, "seq", 0) == -1:
                        continue
                    return
            yield event
