"""Batched writer of events to the parent.

The hot path (every task step) only appends to a deque, which is safe from any thread
without a lock. Batches leave on size, on output (so printed text survives a crash), on a
short timer (a daemon thread), when the gate pauses, and before the process ends: never one
syscall per event.
"""

from __future__ import annotations

import os
import threading
from collections import deque

from asyncscope.events import Event, encode_batch

__all__ = ["Emitter"]

BATCH_SIZE = 2048
"""Events buffered before the loop thread flushes by itself."""

FLUSH_INTERVAL = 0.03
"""Seconds between timer flushes: bounds how stale the live view can be."""


class Emitter:
    """Collects events and writes them to ``fd`` as length-prefixed msgpack frames."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._queue: deque[Event] = deque()
        self._lock = threading.Lock()
        self._closed = False
        self._timer: threading.Thread | None = None

    def emit(self, event: Event) -> None:
        """Queue one event; flush when the batch is full."""
        queue = self._queue
        queue.append(event)
        if len(queue) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        """Write everything queued so far as one frame. Safe from any thread."""
        with self._lock:
            queue = self._queue
            count = len(queue)
            if not count or self._closed:
                return
            batch = [queue.popleft() for _ in range(count)]
            self._write(encode_batch(batch))

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._fd, view)
            except InterruptedError:
                continue
            except OSError:
                # The parent went away: nobody is listening, drop events from now on.
                self._closed = True
                return
            view = view[written:]

    def start_timer(self) -> None:
        """Flush every ``FLUSH_INTERVAL`` seconds from a daemon thread."""

        def run() -> None:
            wait = threading.Event().wait
            while not self._closed:
                wait(FLUSH_INTERVAL)
                if self._queue:
                    self.flush()

        self._timer = threading.Thread(target=run, name="asyncscope-flush", daemon=True)
        self._timer.start()

    @property
    def thread(self) -> threading.Thread | None:
        return self._timer

    def close(self) -> None:
        """Flush and stop writing (used in a forked child, where the pipe is not ours)."""
        self.flush()
        self._closed = True

    def disown(self) -> None:
        """Stop writing without flushing: the pipe belongs to another process now."""
        self._closed = True
        self._queue.clear()
