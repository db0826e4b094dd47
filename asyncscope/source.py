"""A recorded run, served like a live one.

:class:`TraceSource` offers what the run screen, the headless report and the tests use of a
live :class:`~asyncscope.session.Session` (``start``, ``batches``, ``next_batch``, ``send``,
``stop``, ``finished``, ``pid``), read from a trace file instead of a child process. Nothing
of the program runs: commands are ignored, and the stream ends with the recorded End (or,
for a trace cut short, a diagnostic saying so and an End at its last moment).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from asyncscope.events import Diagnostic, End, Event
from asyncscope.trace import read_trace

__all__ = ["TraceSource", "batches_until"]


_CHECKED: set[tuple[str, int, int, int]] = set()
"""Trace files already read to their end in this process, unchanged since (``asyncscope
replay`` checks a trace before its screen opens; the screen need not read it all again
before its first frame)."""


def _fingerprint(path: str) -> tuple[str, int, int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None  # read_trace says what is wrong with it
    return (os.path.abspath(path), status.st_size, status.st_mtime_ns, status.st_ino)


class TraceSource:
    """Events of a trace file, batch by batch, as a live session would deliver them."""

    live = False

    def __init__(self, path: str) -> None:
        self.path = path
        self.truncated = False
        self._batches: Iterator[list[Event]] = iter(())
        self._ahead: list[list[Event]] = []
        self._last_t = 0.0
        self._got_end = False
        self._exhausted = False
        self._finished = False

    def start(self, check: bool = True) -> None:
        """Open the trace. Raises :class:`~asyncscope.trace.TraceError` for a file that is
        not a readable trace: with ``check``, for any batch of it (the whole file is decoded
        once and let go, about 0.4 s a million events), so a view never opens on a trace it
        cannot show to the end; without, for its header and first batch, and later batches
        raise it from :meth:`next_batch`. Batches are read as they are asked for, so a long
        trace is never all in memory at once."""

        def cut_short() -> None:
            self.truncated = True

        known = _fingerprint(self.path)
        if check and (known is None or known not in _CHECKED):
            for _batch in read_trace(self.path, cut_short):
                pass
            self.truncated = False
            if known is not None:
                _CHECKED.add(known)
        self._batches = read_trace(self.path, cut_short)
        first = next(self._batches, None)
        if first is not None:
            self._ahead.append(first)

    def _read(self) -> list[Event] | None:
        if self._ahead:
            batch = self._ahead.pop(0)
        elif self._exhausted:
            return None
        else:
            batch = next(self._batches, None)
        if batch is None:
            self._exhausted = True
            return self._tail()
        for event in batch:
            t = getattr(event, "t", None)
            if isinstance(t, float) and t > self._last_t:
                self._last_t = t
            if type(event) is End:
                self._got_end = True
        return batch

    def _tail(self) -> list[Event] | None:
        """What the parent adds to a trace that stops short: a diagnostic, an end."""
        tail: list[Event] = []
        if self.truncated:
            tail.append(Diagnostic(self._last_t, "trace-truncated", None, None, {"path": str(self.path)}))
        if not self._got_end:
            tail.append(End(self._last_t, "stopped", 1, None, None, "trace-cut"))
        self._got_end = True
        return tail or None

    @property
    def pid(self) -> None:
        return None

    @property
    def finished(self) -> bool:
        return self._finished

    def next_batch(self, timeout: float | None = None) -> list[Event] | None:
        """The next batch; None once the trace is exhausted (it never waits)."""
        batch = None if self._finished else self._read()
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


def batches_until(source: TraceSource, at: float | None) -> Iterator[list[Event]]:
    """The events of ``source`` up to loop time ``at`` (events stamped at exactly ``at``
    included), or all of them, batch by batch (folded a batch at a time, a million events
    take a third less time than one by one). Output read from the program's raw
    descriptors is stamped by the parent and may lag the events around it: it never ends
    the walk early."""
    for batch in source.batches():
        if at is None:
            yield batch
            continue
        kept = []
        for event in batch:
            t = getattr(event, "t", None)
            if t is not None and t > at + 1e-9:
                if getattr(event, "seq", 0) == -1:
                    continue
                yield kept
                return
            kept.append(event)
        yield kept
