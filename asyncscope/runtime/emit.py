"""Batched writer of events to the parent.

The hot path (every task step) only appends to a deque, which is safe from any thread
without a lock. Batches leave on size, on output (so printed text survives a crash), on a
short timer (a daemon thread), when the gate pauses, and before the process ends: never one
syscall per event.
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable

import msgspec

from asyncscope.events import Event

__all__ = ["Emitter"]

_perf_ns = time.perf_counter_ns  # captured before the program's clock is installed

BATCH_SIZE = 2048
"""Events buffered before the loop thread flushes by itself."""

FLUSH_INTERVAL = 0.03
"""Seconds between timer flushes: bounds how stale the live view can be."""


class Emitter:
    """Collects events and writes them to ``fd`` as length-prefixed msgpack frames."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.queue: deque[bytes] = deque()
        """Encoded events waiting for the next flush. Events are encoded as they are
        emitted: bytes are not tracked by the garbage collector, whereas thousands of
        queued event objects made CPython's GC run often enough to nearly double the cost
        of a traced step (measured on bench/churn.py). The hot path appends here directly
        (deque.append is thread-safe); a tuple laid out like an event's wire array encodes
        exactly as that event."""
        self.encode = msgspec.msgpack.Encoder().encode
        self._lock = threading.Lock()
        self._writer: int | None = None
        self.on_own_time: Callable[[int], None] | None = None
        """Told how long each flush took (the clock takes it off program time)."""
        self.own_ns: dict[int, int] = {}
        """Per thread, nanoseconds spent in asyncscope's own work (writing events, noting
        new tasks): not the program's time, so not counted towards a blocking step."""
        """The thread inside ``flush`` now, if any."""
        self._closed = False
        self._timer: threading.Thread | None = None
        self.before_timer_flush: Callable[[], None] | None = None
        """Called on each timer tick (output capture sends held line fragments)."""

    def emit(self, event: Event | tuple[object, ...]) -> None:
        """Queue one event; flush when the batch is full."""
        queue = self.queue
        queue.append(self.encode(event))
        if len(queue) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Write everything queued so far as one frame. Safe from any thread.

        A flush can start inside another on the same thread: the garbage collector may
        run a finaliser (a task destroyed while pending, which asyncio logs) in the middle
        of a write. That inner flush leaves its events queued for the next one rather than
        wait on itself or cut into the frame being written."""
        me = threading.get_ident()
        if self._writer == me:
            return
        began = _perf_ns()
        with self._lock:
            self._writer = me
            try:
                self._flush_locked()
            finally:
                self._writer = None
        spent = _perf_ns() - began
        own = self.own_ns
        own[me] = own.get(me, 0) + spent
        if self.on_own_time is not None:
            self.on_own_time(spent)

    def _flush_locked(self) -> None:
        queue = self.queue
        count = len(queue)
        if not count or self._closed:
            return
        parts = [queue.popleft() for _ in range(count)]
        # A frame is a msgpack array of events: an array32 header, then the events.
        body = b"\xdd" + count.to_bytes(4, "big") + b"".join(parts)
        self._write(len(body).to_bytes(4, "little") + body)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._fd, view)
            except InterruptedError:
                continue
            except BlockingIOError:
                # Someone made the pipe non-blocking (it is shared with forked children)
                # and the parent is behind: wait until it has room, never drop events.
                select.select([], [self._fd], [], 1.0)
                continue
            except OSError as exc:
                # The parent went away (or the program closed our descriptor): drop events
                # from now on, and say so where the parent may still read it.
                self._closed = True
                try:
                    os.write(2, f"asyncscope: the event pipe failed ({exc}); events after this are lost\n".encode())
                except OSError:
                    pass
                return
            view = view[written:]

    def start_timer(self) -> None:
        """Flush every ``FLUSH_INTERVAL`` seconds from a daemon thread."""

        def run() -> None:
            wait = threading.Event().wait
            while not self._closed:
                wait(FLUSH_INTERVAL)
                if self.before_timer_flush is not None:
                    self.before_timer_flush()
                if self.queue:
                    self.flush()

        self._timer = threading.Thread(target=run, name="asyncscope-flush", daemon=True)
        self._timer.start()

    @property
    def thread(self) -> threading.Thread | None:
        return self._timer

    def disown(self) -> None:
        """Stop writing without flushing: the pipe belongs to another process now."""
        self._closed = True
        self.queue.clear()
