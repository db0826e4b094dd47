"""stdout/stderr → Output events, attributed to the task running when the text was written.

``sys.stdout`` and ``sys.stderr`` are replaced by text streams that turn writes into
events. Complete lines leave at once (and are flushed to the parent immediately, so text
printed just before a crash or ``os._exit`` still arrives); a line fragment is held until
its newline, an explicit ``flush()``, a write from another task or stream, the end of the
task step, or the end of the run. Anything written to file descriptors 1 and 2 directly
(C code, subprocesses) still reaches the parent through the child's real stdout/stderr
pipes, so nothing is lost either way.
"""

from __future__ import annotations

import asyncio
import io
import threading
from typing import TYPE_CHECKING

from asyncscope.events import Output

if TYPE_CHECKING:
    from asyncscope.runtime.clock import Clock
    from asyncscope.runtime.emit import Emitter
    from asyncscope.runtime.loop import Tracer

__all__ = ["OutputCapture", "CapturedStream"]


class OutputCapture:
    """Owns both captured streams and the shared output sequence number.

    A held line fragment is also sent by the emitter's timer (within ~30 ms), so a
    program killed right after ``print(..., end="")`` loses at most that much.
    """

    def __init__(self, emitter: Emitter, clock: Clock, tracer: Tracer) -> None:
        self.emitter = emitter
        self.clock = clock
        self.tracer = tracer
        self.seq = 0
        self.lock = threading.RLock()
        self.pending: dict[str, tuple[str, int | None, str | None]] = {}
        """Per stream: a line fragment not yet sent, with its task and thread."""

        self.stdout = CapturedStream(self, "stdout", 1)
        self.stderr = CapturedStream(self, "stderr", 2)

    def _who(self) -> tuple[int | None, str | None]:
        thread = threading.current_thread()
        thread_name = None if thread is threading.main_thread() else thread.name
        loop = asyncio._get_running_loop()
        task = asyncio.current_task(loop) if loop is not None else None
        return (self.tracer.task_id(task) if task is not None else None), thread_name

    def write(self, stream: str, text: str) -> None:
        if not text:
            return
        task, thread = self._who()
        with self.lock:
            self._flush_others(stream)
            held = self.pending.pop(stream, None)
            if held is not None:
                if held[1] == task and held[2] == thread:
                    text = held[0] + text
                else:
                    self._send(stream, held[0], False, held[1], held[2])
            lines = text.split("\n")
            tail = lines.pop()
            for line in lines:
                self._send(stream, line, True, task, thread)
            if tail:
                self.pending[stream] = (tail, task, thread)
        if lines:
            self.emitter.flush()

    def _flush_others(self, stream: str) -> None:
        """Send fragments held on the other stream first, so interleaving stays in order."""
        for other in [name for name in self.pending if name != stream]:
            text, task, thread = self.pending.pop(other)
            self._send(other, text, False, task, thread)

    def _send(self, stream: str, text: str, nl: bool, task: int | None, thread: str | None) -> None:
        seq = self.seq
        self.seq = seq + 1
        self.emitter.emit(Output(seq, self.clock.now(), task, stream, text, nl, thread))

    def flush_stale(self) -> None:
        """Timer tick: send held fragments (the model joins them with the rest of the line)."""
        if self.pending:
            self.flush_partial()

    def flush_partial(self) -> None:
        """Send held fragments (end of a step, explicit flush, end of run)."""
        if not self.pending:
            return
        with self.lock:
            for stream, held in list(self.pending.items()):
                del self.pending[stream]
                self._send(stream, held[0], False, held[1], held[2])
        self.emitter.flush()


class _CapturedBuffer(io.RawIOBase):
    """``sys.stdout.buffer``: bytes are decoded (undecodable bytes replaced) and captured."""

    def __init__(self, stream: CapturedStream) -> None:
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        data = bytes(data)
        self._stream.write(data.decode("utf-8", "replace"))
        return len(data)

    def fileno(self) -> int:
        return self._stream.fileno()


class CapturedStream(io.TextIOBase):
    """A text stream that turns writes into Output events."""

    def __init__(self, owner: OutputCapture, name: str, fd: int) -> None:
        self._owner = owner
        self._name = name
        self._fd = fd
        self.buffer = _CapturedBuffer(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    @property
    def name(self) -> str:
        return f"<{self._name}>"

    @property
    def line_buffering(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        # The real descriptor: faulthandler and subprocesses write there, and the parent
        # reads it as raw output.
        return self._fd

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._owner.write(self._name, text)
        return len(text)

    def flush(self) -> None:
        self._owner.flush_partial()
