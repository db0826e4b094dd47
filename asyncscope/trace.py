"""Trace files: every event of a run, as received, for replay and time travel.

Format (documented in ``docs/events.md``): the 8-byte magic ``b"ASCOPE\\x00\\x01"`` whose
last byte is the schema version, then the same frames as the wire: a 4-byte
little-endian length and a MessagePack array of events. Frames from the child are written
byte for byte as they arrived; events the parent adds (raw output, a synthesised End) are
encoded the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

import msgspec

from asyncscope.events import SCHEMA_VERSION, Event, decode_batch, encode_batch

__all__ = ["TraceWriter", "read_trace", "iter_frames", "FrameBuffer", "TraceError", "MAGIC"]

MAGIC = b"ASCOPE\x00" + bytes([SCHEMA_VERSION])


class TraceError(Exception):
    """A file that is not a trace, or a trace of another schema version."""


class TraceWriter:
    def __init__(self, path: str) -> None:
        self._file: BinaryIO = open(path, "wb")  # noqa: SIM115
        self._file.write(MAGIC)

    def write(self, batch: list[Event], frame: bytes | None = None) -> None:
        self._file.write(frame if frame is not None else encode_batch(batch))

    def flush(self) -> None:
        """Everything written so far is on disk (an export of a run still going reads it)."""
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def read_trace(path: str, on_truncated: Callable[[], None] | None = None) -> Iterator[list[Event]]:
    """Yield the batches of a trace file in order.

    Raises :class:`TraceError` for a file that is missing, empty, not a trace, of another
    schema version or corrupt. A trace cut short (a run killed mid-write) ends at its last
    whole batch: ``on_truncated`` is called, or, without one, that is an error too.
    Decoding builds msgspec Structs only: loading a trace never runs code."""
    def truncated() -> None:
        if on_truncated is None:
            raise TraceError(f"{path} is truncated")
        on_truncated()

    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise TraceError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        magic = handle.read(len(MAGIC))
        if not magic:
            raise TraceError(f"{path} is empty: not an asyncscope trace")
        if magic[:7] != MAGIC[:7]:
            raise TraceError(f"{path} is not an asyncscope trace")
        if magic != MAGIC:
            raise TraceError(
                f"{path} is a trace of schema version {magic[7] if len(magic) > 7 else '?'}; "
                f"this asyncscope reads version {SCHEMA_VERSION}"
            )
        for _header, body in iter_frames(handle, truncated):
            try:
                batch = decode_batch(body)
            except (msgspec.DecodeError, ValueError) as exc:  # ValueError: bad UTF-8 in a string
                raise TraceError(f"{path} is corrupt: {exc}") from None
            if not isinstance(batch, list):
                raise TraceError(f"{path} is corrupt: a batch is not a list of events")
            yield batch


def iter_frames(stream: BinaryIO, on_truncated: Callable[[], None] | None = None) -> Iterator[tuple[bytes, bytes]]:
    """``(length header, body)`` of each frame in a stream of length-prefixed frames.

    The same framing serves the wire and trace files. A frame cut short ends the
    stream; ``on_truncated`` says whether that is an error (a trace) or an ending
    (a child that died mid-write).
    """
    while True:
        header = stream.read(4)
        if len(header) < 4:
            if header and on_truncated is not None:
                on_truncated()
            return
        size = int.from_bytes(header, "little")
        body = stream.read(size)
        if len(body) < size:
            if on_truncated is not None:
                on_truncated()
            return
        yield header, body


class FrameBuffer:
    """Cuts a byte stream that arrives in arbitrary pieces into length-prefixed frames
    (the same framing as :func:`iter_frames`, for a reader that multiplexes pipes)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[bytes, bytes]]:
        buffer = self._buffer
        buffer += data
        frames = []
        start = 0
        while len(buffer) - start >= 4:
            size = int.from_bytes(buffer[start:start + 4], "little")
            end = start + 4 + size
            if len(buffer) < end:
                break
            frames.append((bytes(buffer[start:start + 4]), bytes(buffer[start + 4:end])))
            start = end
        del buffer[:start]
        return frames
