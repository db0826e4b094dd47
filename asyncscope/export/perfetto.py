"""Perfetto's native trace format: a stream of ``TracePacket`` protobufs.

A Perfetto trace is one ``Trace`` message whose only field, ``packet`` (1), repeats; so a
file of ``0x0A, varint length, serialized TracePacket`` records is a whole trace, and it is
written packet by packet, never held in memory.

The packets are encoded here by hand, for the few fields used (listed below with their
numbers from ``protos/perfetto/trace``), rather than with the ``perfetto`` package's
generated classes (``perfetto.protos.perfetto.trace.perfetto_trace_pb2``). Why:

- speed: building and serializing one ``TracePacket`` with those classes costs about
  2.3 µs (protobuf 7, upb), and a step is two packets, so a million-event trace would take
  about 5 s for the packets alone. Here each task's packet tails are encoded once, and a
  step costs two varints and a concatenation (see docs/performance.md);
- no dependency: exporting needs neither ``perfetto`` nor ``protobuf`` installed. The tests
  parse the files back with the package's generated classes.

Layout of a file: the process (a ``TrackDescriptor`` with a ``ProcessDescriptor``), then
one ``TrackDescriptor`` per task, nested with ``parent_uuid``, listed in creation order
(``child_ordering`` EXPLICIT, ``sibling_order_rank`` the task id) and never merged with a
namesake (``sibling_merge_behavior`` NONE, which also makes Perfetto take a later
descriptor's name: a rename writes the descriptor again). Slices are ``TYPE_SLICE_BEGIN``
and ``TYPE_SLICE_END`` events, instants ``TYPE_INSTANT``; a slice's name is interned per
coroutine (``InternedData.event_names``) on the one packet sequence. Arrows are
``flow_ids`` on the slice they leave and ``terminating_flow_ids`` on the one they reach.
Timestamps are loop-clock nanoseconds (the default clock; the run starts at 0).

Track uuids: 1 the process, ``2**32 + n`` track ``n`` (a task id, 0 for "outside any
task"), ``2**33 + key`` counter tracks.
"""

from __future__ import annotations

import struct
from typing import Any, BinaryIO

from asyncscope.export.mapping import Track

__all__ = ["PerfettoWriter", "varint"]

PROCESS_UUID = 1
TRACK_UUID_BASE = 1 << 32
COUNTER_UUID_BASE = 1 << 33
SEQUENCE = b"\x50\x01"  # TracePacket.trusted_packet_sequence_id (10) = 1
NEEDS_STATE = b"\x68\x02"  # TracePacket.sequence_flags (13) = SEQ_NEEDS_INCREMENTAL_STATE
CLEARED_STATE = b"\x68\x01"  # SEQ_INCREMENTAL_STATE_CLEARED, on the first packet

# TrackEvent.type (9)
SLICE_BEGIN, SLICE_END, INSTANT, COUNTER = 1, 2, 3, 4

_CONTINUATION = [0] + [sum(0x80 << (8 * i) for i in range(n - 1)) for n in range(1, 11)]


def varint(value: int) -> bytes:
    """Protobuf base-128 varint of an unsigned (or negative int64, two's complement) value."""
    if value < 0x80:
        if value >= 0:
            return bytes((value,))
        value += 1 << 64
    if value < 1 << 56:  # spread seven bits a byte with masks: no loop (a timestamp: ~0.4 µs)
        spread = ((value & 0x7F) | ((value & 0x3F80) << 1) | ((value & 0x1FC000) << 2)
                  | ((value & 0xFE00000) << 3) | ((value & 0x7F0000000) << 4)
                  | ((value & 0x3F800000000) << 5) | ((value & 0x1FC0000000000) << 6)
                  | ((value & 0xFE000000000000) << 7))
        size = (value.bit_length() + 6) // 7
        return (spread | _CONTINUATION[size]).to_bytes(size, "little")
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


_STAMP = [bytes((0x40, (low & 0x7F) | 0x80, (low >> 7) | 0x80)) for low in range(1 << 14)]
"""A TracePacket.timestamp (8) field's key and the first two bytes of the varint of a
timestamp of 2**14 or more, by its low 14 bits."""
_HEAD = [bytes((0x0A, size)) for size in range(0x80)]
"""Trace.packet (1): key and a length under 128."""


def _key(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def _int(key: bytes, value: int) -> bytes:
    """A varint field; ``key`` is the field's encoded key (``_key(number, 0)``)."""
    return key + varint(value)


def _bytes(key: bytes, payload: bytes) -> bytes:
    """A length-delimited field (``_key(number, 2)``)."""
    return key + varint(len(payload)) + payload


def _str(key: bytes, text: str) -> bytes:
    return _bytes(key, text.encode("utf-8", "replace"))


# The keys used, by message: field number and wire type (0 varint, 1 fixed64, 2 length-delimited).
PACKET_TRACK_EVENT, PACKET_INTERNED, PACKET_DESCRIPTOR = _key(11, 2), _key(12, 2), _key(60, 2)
DESC_UUID, DESC_NAME, DESC_PROCESS, DESC_PARENT = _key(1, 0), _key(2, 2), _key(3, 2), _key(5, 0)
DESC_COUNTER, DESC_ORDERING, DESC_RANK, DESC_DESCRIPTION, DESC_MERGE = (
    _key(8, 2), _key(11, 0), _key(12, 0), _key(14, 2), _key(15, 0))
PROC_PID, PROC_CMDLINE, PROC_NAME, PROC_LABEL = _key(1, 0), _key(2, 2), _key(6, 2), _key(8, 2)
EVENT_CATEGORY, EVENT_NAME, EVENT_FLOW, EVENT_FLOW_END = _key(22, 2), _key(23, 2), _key(47, 1), _key(48, 1)
EVENT_ANNOTATION, EVENT_DOUBLE_COUNTER = _key(4, 2), _key(44, 1)
INTERNED_EVENT_NAME, NAME_IID, NAME_NAME = _key(2, 2), _key(1, 0), _key(2, 2)
ANNOTATION_NAME, ANNOTATION_BOOL, ANNOTATION_INT, ANNOTATION_DOUBLE, ANNOTATION_STRING = (
    _key(10, 2), _key(2, 0), _key(4, 0), _key(5, 1), _key(6, 2))
COUNTER_UNIT_NAME = _key(6, 2)
_PROCESS_PARENT = varint(PROCESS_UUID)
TASK_TRACK_TAIL = _int(DESC_ORDERING, 3) + _int(DESC_MERGE, 2)
"""child_ordering EXPLICIT, sibling_merge_behavior NONE."""


def _annotation(name: str, value: Any) -> bytes:
    """A DebugAnnotation (TrackEvent.debug_annotations): name and one value."""
    body = _str(ANNOTATION_NAME, name)
    if isinstance(value, bool):
        body += _int(ANNOTATION_BOOL, int(value))
    elif isinstance(value, int):
        body += _int(ANNOTATION_INT, value)
    elif isinstance(value, float):
        body += ANNOTATION_DOUBLE + struct.pack("<d", value)
    else:
        body += _str(ANNOTATION_STRING, str(value))
    return _bytes(EVENT_ANNOTATION, body)


class PerfettoWriter:
    """Writes :class:`~asyncscope.export.mapping.Writer` calls as TracePackets to ``out``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._chunks: list[bytes] = []
        self._name_iids: dict[str, int] = {}
        self._annotations: dict[tuple[str, Any], bytes] = {}
        self._descriptions: dict[tuple[str, str | None, str], bytes] = {}
        self._high = -1
        self._high_bytes = b""

    # -- packets ----------------------------------------------------------------------

    def _packet(self, body: bytes) -> None:
        self._chunks.append(b"\x0a" + varint(len(body)) + body)

    def process(self, pid: int, name: str, argv: list[str], labels: dict[str, str]) -> None:
        process = _int(PROC_PID, pid) + b"".join(_str(PROC_CMDLINE, arg) for arg in argv) + _str(PROC_NAME, name)
        process += b"".join(_str(PROC_LABEL, f"{key}: {value}") for key, value in labels.items())
        descriptor = _int(DESC_UUID, PROCESS_UUID) + _bytes(DESC_PROCESS, process) + _int(DESC_ORDERING, 3)
        self._packet(_bytes(PACKET_DESCRIPTOR, descriptor) + SEQUENCE + CLEARED_STATE)

    def track(self, track: Track) -> None:
        uuid = varint(TRACK_UUID_BASE + track.tid)
        parent = varint(TRACK_UUID_BASE + track.parent.tid) if track.parent is not None else _PROCESS_PARENT
        about_key = (track.coro, track.where, track.origin)  # shared by the tasks of one line
        about = self._descriptions.get(about_key)
        if about is None:
            about = _str(DESC_DESCRIPTION, track.description)
            if len(self._descriptions) < 4096:
                self._descriptions[about_key] = about
        name = track.name.encode("utf-8", "replace")
        descriptor = b"".join((DESC_UUID, uuid, DESC_PARENT, parent, DESC_NAME, varint(len(name)), name,
                               DESC_RANK, varint(track.tid), TASK_TRACK_TAIL, about))
        coro = track.coro
        iid = self._name_iids.get(coro)
        interned = b""
        if iid is None and coro:
            iid = self._name_iids[coro] = len(self._name_iids) + 1
            event_name = _int(NAME_IID, iid) + _str(NAME_NAME, coro)
            interned = _bytes(PACKET_INTERNED, _bytes(INTERNED_EVENT_NAME, event_name))
        body = b"".join((PACKET_DESCRIPTOR, varint(len(descriptor)), descriptor, interned, SEQUENCE, NEEDS_STATE))
        self._chunks.append(b"\x0a" + varint(len(body)) + body)
        if track.cache is None and not track.done:
            named = b"\x50" + varint(iid) if iid else b""  # TrackEvent.name_iid (10)
            begin = b"\x48\x01\x58" + uuid + named  # type (9) SLICE_BEGIN, track_uuid (11)
            end = b"\x48\x02\x58" + uuid
            # (packet tail of a slice's begin, of its end, track_event fields of a begin)
            track.cache = (b"\x5a" + varint(len(begin)) + begin + SEQUENCE + NEEDS_STATE,
                           b"\x5a" + varint(len(end)) + end + SEQUENCE + NEEDS_STATE,
                           begin)

    def slice(self, track: Track, start: int, end: int, args: dict[str, Any] | None,
              flows_out: list[int] | None, flows_in: list[int] | None) -> None:
        begin_tail, end_tail, begin_fields = track.cache
        # A timestamp's varint is its low 14 bits (two bytes from a table) and then the
        # varint of the rest, which changes every 16 µs: cached (a step: ~0.7 µs, not 1.8).
        high = start >> 14
        if high != self._high:
            self._high = high
            self._high_bytes = varint(high)
        first = _STAMP[start & 0x3FFF] + self._high_bytes if high else b"\x40" + varint(start)
        high = end >> 14
        if high != self._high:
            self._high = high
            self._high_bytes = varint(high)
        second = _STAMP[end & 0x3FFF] + self._high_bytes if high else b"\x40" + varint(end)
        if args is not None or flows_out is not None or flows_in is not None:
            parts = [begin_fields]
            if flows_out:
                parts += [EVENT_FLOW + flow.to_bytes(8, "little") for flow in flows_out]
            if flows_in:
                parts += [EVENT_FLOW_END + flow.to_bytes(8, "little") for flow in flows_in]
            if args:
                parts += [self._annotation(key, value) for key, value in args.items()]
            begin_tail = _bytes(PACKET_TRACK_EVENT, b"".join(parts)) + SEQUENCE + NEEDS_STATE
        size1 = len(first) + len(begin_tail)
        size2 = len(second) + len(end_tail)
        if size1 < 0x80 and size2 < 0x80:
            self._chunks.append(b"".join((_HEAD[size1], first, begin_tail, _HEAD[size2], second, end_tail)))
        else:
            self._chunks.append(b"".join((b"\x0a", varint(size1), first, begin_tail,
                                          b"\x0a", varint(size2), second, end_tail)))

    def _annotation(self, name: str, value: Any) -> bytes:
        """An annotation, from a small cache (a task's last step says ``state: done``)."""
        key = (name, value)
        encoded = self._annotations.get(key)
        if encoded is None:
            encoded = _annotation(name, value)
            if len(self._annotations) < 256 and isinstance(value, str) and len(value) < 80:
                self._annotations[key] = encoded
        return encoded

    def retire(self, track: Track) -> None:
        track.cache = None  # its last step is written; instants need only its id

    def instant(self, track: Track, ts: int, name: str, category: str, args: dict[str, Any] | None) -> None:
        fields = b"\x48\x03\x58" + varint(TRACK_UUID_BASE + track.tid) + _str(EVENT_NAME, name)
        fields += _str(EVENT_CATEGORY, category)
        if args:
            fields += b"".join(self._annotation(key, value) for key, value in args.items())
        self._packet(b"\x40" + varint(ts) + _bytes(PACKET_TRACK_EVENT, fields) + SEQUENCE + NEEDS_STATE)

    def counter_track(self, key: int, name: str, parent: Track | None, unit: str | None) -> None:
        parent_uuid = TRACK_UUID_BASE + parent.tid if parent is not None else PROCESS_UUID
        counter = _str(COUNTER_UNIT_NAME, unit) if unit else b""
        descriptor = (_int(DESC_UUID, COUNTER_UUID_BASE + key) + _int(DESC_PARENT, parent_uuid) + _str(DESC_NAME, name)
                      + _bytes(DESC_COUNTER, counter) + _int(DESC_MERGE, 2))
        self._packet(_bytes(PACKET_DESCRIPTOR, descriptor) + SEQUENCE)

    def counter(self, key: int, ts: int, value: float) -> None:
        fields = b"\x48\x04\x58" + varint(COUNTER_UUID_BASE + key) + EVENT_DOUBLE_COUNTER + struct.pack("<d", value)
        self._packet(b"\x40" + varint(ts) + _bytes(PACKET_TRACK_EVENT, fields) + SEQUENCE)

    # -- output -----------------------------------------------------------------------

    def flush(self) -> None:
        if self._chunks:
            self._out.write(b"".join(self._chunks))
            self._chunks.clear()

    def close(self) -> None:
        self.flush()
