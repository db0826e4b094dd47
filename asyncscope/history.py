"""A run's history: every event received, the live state, and the state at any moment.

Time travel, ``report --at`` and the replay's scrubbing all ask one question: what was the
state after the first ``k`` events? :class:`RunHistory` answers it from the latest snapshot
before ``k`` plus the events folded on top. Snapshots are placed by what folding the events
between them costs (:data:`WEIGHTS`: a task's creation or end costs about twice a step), not
by their count, so a jump anywhere costs about the same however long the run and whatever it
does there (figures in docs/performance.md).

The live model (``live``) folds every event once, as it arrives; snapshots are taken from
it on the way, so building the index costs no second fold. Memory stays bounded on long
runs: events are kept MessagePack-encoded and compressed (about 11 bytes each; a chunk of
4,096 is decompressed and decoded again in about 1 ms when a jump needs it), and when
there are more than :data:`MAX_SNAPSHOTS` snapshots every other one is let go and the
spacing doubles.
"""

from __future__ import annotations

import bisect
import ctypes
import ctypes.util
import functools
import gc
import zlib
from array import array
from collections.abc import Callable, Container, Iterable

import msgspec

from asyncscope.events import Event, Output, Step, TaskCreated, TaskDone, decode_batch
from asyncscope.model import Delta, Model, Snapshot

__all__ = ["RunHistory", "SNAPSHOT_EVERY", "MAX_SNAPSHOTS", "STEP_EVENTS"]

SNAPSHOT_EVERY = 6144
"""Weight (:data:`WEIGHTS`) between two snapshots at first: the most a jump has to fold after
restoring one, in task steps. Each snapshot costs memory (on churn's run ~2.2 MB: the copies
of the tasks the next interval changes), so this and :data:`MAX_SNAPSHOTS` trade the worst
jump against the replay's memory (docs/performance.md)."""
MAX_SNAPSHOTS = 48
"""Snapshots kept at most; beyond, the spacing doubles (churn's 1,000,000-event run: 46
snapshots, 24,576 steps' worth apart)."""
WEIGHTS: dict[type, float] = {TaskCreated: 1.75, TaskDone: 2.25}
"""What decoding and folding an event costs, a task step's cost being 1 (every other event
counts as a step). Measured on churn's trace (bench/replay.py): a step 0.4 µs to fold and
0.33 µs to decode, a creation ~0.9 µs and an end ~1.3 µs to fold (the end copies the task
a snapshot shares). Counting events instead left the moment where one round of churn's
tasks ends and the next begins 1.5x slower to reach than the rest."""
CHUNK = 4096
"""Events encoded together (and decoded together when a jump reads them again)."""
DECODED_CHUNKS = 9
"""Decoded chunks kept (about 3.5 MB of events): as many as a jump folds at most between two
snapshots 32,768 steps' worth apart (snapshots fall anywhere in a chunk; a run needs more
than 1.5 million steps' worth for that spacing), so a jump near the last one decodes
nothing again."""

_encode = msgspec.msgpack.Encoder().encode

STEP_EVENTS = (Step, TaskDone)
"""The events that end a task step: the moments ``←`` and ``→`` stop at."""


class RunHistory:
    """Every event of a run, in order, with snapshots of the state along the way."""

    def __init__(self, make_model: Callable[[], Model] = Model, every: int = SNAPSHOT_EVERY,
                 max_snapshots: int = MAX_SNAPSHOTS, chunk: int = CHUNK) -> None:
        self.live = make_model()
        self.every = every
        """Weight (see :data:`WEIGHTS`) folded between two snapshots; doubles as they are thinned."""
        self.max_snapshots = max(2, max_snapshots)
        self._snapshots: list[Snapshot] = [self.live.snapshot()]
        self._taken_at = array("q", [0])
        """Events folded into each snapshot, in order (what a jump looks up)."""
        self._weight = 0.0
        """Weight folded since the last snapshot."""
        self._chunk = chunk
        self._sealed: list[bytes] = []
        """Events ``k * _chunk`` to ``(k + 1) * _chunk``, encoded and compressed (zlib's
        fastest level: a third of the size, 0.4 ms a chunk to expand)."""
        self._open: list[Event] = []
        """The events after the last sealed chunk, as received."""
        self._decoded: dict[int, list[Event]] = {}
        """The last few sealed chunks decoded (oldest first): pressing ← again folds the
        same chunks as the press before."""
        self._times = array("d")
        """Loop time at each event: the latest ``t`` up to it (raw output, stamped when the
        parent read it, is left out: it may arrive after later events)."""
        self._latest = 0.0
        self._said = array("I")
        """Sentences the narrator had said after each event (empty without a narrator):
        tells a jump which events' sentences it must make and which it only counts."""

    def __len__(self) -> int:
        return len(self._sealed) * self._chunk + len(self._open)

    def append(self, events: Iterable[Event]) -> Delta:
        """Fold new events into the live state; say what they changed."""
        batch = list(events)
        live = self.live
        delta: Delta | None = None
        start = 0
        while start < len(batch):
            room = self._chunk - len(self) % self._chunk
            piece = batch[start:start + room]
            # Indexed first: the index also finds where the snapshot's weight is reached.
            cut = self._index(piece)
            piece = piece[:cut]
            part = live.apply_batch(piece, self._said)
            delta = part if delta is None else _merge(delta, part)
            self._open.extend(piece)
            start += len(piece)
            if len(self._open) == self._chunk:
                self._sealed.append(zlib.compress(_encode(self._open), 1))
                self._open = []
            if self._weight >= self.every:
                self._take_snapshot()
        return delta if delta is not None else Delta()

    def _take_snapshot(self) -> None:
        self._snapshots.append(self.live.snapshot())
        self._taken_at.append(len(self))
        self._weight = 0.0
        if len(self._snapshots) > self.max_snapshots:
            # Every other one goes (the last stays: the next is weighed from it), so no
            # two kept are more than twice the spacing apart, and the spacing doubles.
            self._snapshots = self._snapshots[::2]
            self._taken_at = self._taken_at[::2]
            self.every *= 2
            _give_back()
        # What a snapshot holds never changes again: keep the collector from walking it
        # on every full collection (which made long runs stutter).
        gc.freeze()

    def settle(self) -> None:
        """The run has ended and all of it is here: nothing will be added, so collect
        once, keep the collector off what is left, and give the memory loading freed
        back to the system (a million-event replay held ~8 MB less)."""
        gc.collect()
        gc.freeze()
        _give_back()

    def events(self, start: int, stop: int) -> list[Event]:
        """Events ``start`` to ``stop`` (decoded again where they were sealed)."""
        stop = min(stop, len(self))
        if start >= stop:
            return []
        size = self._chunk
        out: list[Event] = []
        for number in range(start // size, (stop - 1) // size + 1):
            chunk = self._chunk_events(number)
            base = number * size
            out.extend(chunk[max(start - base, 0):stop - base])
        return out

    def event(self, index: int) -> Event:
        size = self._chunk
        return self._chunk_events(index // size)[index % size]

    def _chunk_events(self, number: int) -> list[Event]:
        if number >= len(self._sealed):
            return self._open
        decoded = self._decoded
        events = decoded.pop(number, None)
        if events is None:
            events = decode_batch(zlib.decompress(self._sealed[number]))
            if len(decoded) >= DECODED_CHUNKS:
                del decoded[next(iter(decoded))]
        decoded[number] = events  # the newest last
        return events

    def _index(self, chunk: list[Event]) -> int:
        """Index the events of ``chunk`` up to the one that brings the weight since the last
        snapshot to the spacing (all of them if none does); returns how many."""
        latest = self._latest
        times = self._times
        weight = self._weight
        every = self.every
        weights = WEIGHTS
        count = 0
        for event in chunk:
            count += 1
            kind = type(event)
            t = getattr(event, "t", None)
            if t is not None and t > latest and not (kind is Output and event.seq == -1):  # type: ignore[attr-defined]
                latest = t
            times.append(latest)
            weight += weights.get(kind, 1.0)
            if weight >= every:
                break
        self._latest = latest
        self._weight = weight
        return count

    # -- the state at a moment ---------------------------------------------------------

    def state_at(self, shown: int) -> Model:
        """A new model with the first ``shown`` events folded (the run as it stood then).

        The collector is held off meanwhile: a jump makes tens of thousands of objects
        that all live on (tasks, events), and the collections they triggered walked the
        run's heap for nothing, about 40% of a jump on a large run."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._state_at(shown)
        finally:
            if collecting:
                gc.enable()

    def snapshot_before(self, shown: int) -> int:
        """Events folded into the snapshot a jump to ``shown`` starts from: moving forward
        to ``shown`` from a moment earlier than that costs more than the jump."""
        return self._taken_at[self._snapshot_for(shown)]

    def _snapshot_for(self, shown: int) -> int:
        """The index of the latest snapshot at or before ``shown`` (clamped to the run)."""
        return bisect.bisect_right(self._taken_at, max(0, min(shown, len(self)))) - 1

    def _state_at(self, shown: int) -> Model:
        shown = max(0, min(shown, len(self)))
        snap = self._snapshots[self._snapshot_for(shown)]
        model = snap.restore()
        start = snap.events_applied
        events = self.events(start, shown)
        narrator = model.narrator
        quiet = 0
        if narrator is not None and len(self._said) >= shown > start:
            # Events whose every sentence is trimmed by the moment shown are folded with a
            # quiet narrator (state kept, no sentences made; how many they were is in
            # _said): the rest make them.
            oldest_kept = narrator.first_kept(self._said[shown - 1])
            quiet = bisect.bisect_right(self._said, oldest_kept, start, shown) - start
        if quiet:
            narrator.hush()  # type: ignore[union-attr]
            model.fold(events[:quiet])
            narrator.unhush(self._said[start + quiet - 1])  # type: ignore[union-attr]
        model.fold(events[quiet:])
        return model

    def advance(self, model: Model, shown: int, to: int) -> Delta:
        """Fold the events between ``shown`` and ``to`` into ``model`` (moving forward
        from a moment in the past, as playback and ``→`` do)."""
        return model.apply_batch(self.events(shown, to))

    # -- where a key leads -------------------------------------------------------------

    def index_at(self, t: float) -> int:
        """Events shown at loop time ``t``: every event stamped at or before it."""
        return bisect.bisect_right(self._times, t + 1e-9)

    def time_at(self, shown: int) -> float:
        return self._times[shown - 1] if shown > 0 else 0.0

    def previous_step(self, cursor: int, hidden: Container[int] = ()) -> int:
        """Events shown one task step before the moment ``cursor`` shows: just after the
        step before the latest one shown (0, the very start, when there is none). Steps of
        ``hidden`` tasks (asyncio's own, while the task pane hides them) are passed over."""
        event = self.event
        index = cursor - 1
        while index >= 0 and not _is_step(event(index), hidden):
            index -= 1  # the latest step shown now
        index -= 1
        while index >= 0 and not _is_step(event(index), hidden):
            index -= 1  # the one before it
        return index + 1 if index >= 0 else 0

    def next_step(self, cursor: int, hidden: Container[int] = ()) -> int | None:
        """Events shown one task step after ``cursor``; None when no later step was recorded."""
        event = self.event
        for index in range(cursor, len(self)):
            if _is_step(event(index), hidden):
                return index + 1
        return None


def _give_back() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``; a no-op where
    there is none). Python frees its small-object arenas itself, not what it got from
    ``malloc`` for larger objects, such as decoded batches of events."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):
        pass


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def _is_step(event: Event, hidden: Container[int] = ()) -> bool:
    return type(event) in STEP_EVENTS and event.task not in hidden  # type: ignore[attr-defined]


def _merge(first: Delta, second: Delta) -> Delta:
    first.tasks |= second.tasks
    first.stepped.extend(second.stepped)
    first.new_tasks |= second.new_tasks
    first.renamed |= second.renamed
    first.output |= second.output
    first.diagnostics |= second.diagnostics
    first.narration |= second.narration
    first.ended |= second.ended
    first.resources |= second.resources
    return first
