"""What a recorded run becomes in a timeline viewer, whatever the file format.

:class:`Mapper` walks a trace's events once, in order, batch by batch, and tells a
:class:`Writer` what to draw:

- the program is one process (its pid and file name, from ``hello``);
- every task is one track, named as in the task table (today's name: a rename is
  passed on as the same track again), nested under the track of the task that created
  it (``TaskCreated.parent``) where the format can nest;
- every task step (``step`` and ``done`` events) is one slice on its task's track, named
  after the task's coroutine, ending at the step's ``t``. The child stamps ``t`` once the
  step is over and recorded, in program time, and measures ``dur_ns`` around the step in
  real time, which includes asyncscope's own work that the virtual clock takes off program
  time; so ``t - dur_ns`` is where the step began or earlier. A slice begins there, but
  no earlier than the loop's previous step ended (the loop runs one step at a time) nor
  than its task's previous step ended, nor before the run: slices never overlap on a
  track, nor across tracks, and an arrow never points back in time. An eager task's
  first step runs inside its creator's: it begins after its creator's step began. Once
  the run reports loops in several threads (``several-loops``), only a task's own
  previous step bounds it. ``Summary.clamped`` counts the slices so shortened;
- instants: every output line (its text, at the time of its first fragment, on the
  track of the task that printed it), every diagnostic (its kind, worded in args), every
  wait a step ends in (what it waits on, at the step's end), and the run's end;
- flows (arrows): from the step in which a task created another to the created task's
  first step, and from an awaited task's last step to the next step of each task that
  was waiting on it (``task`` and ``gather`` waits list the awaited tasks) when it
  finishes;
- output and diagnostics outside any task go on one more track, "outside any task".

Times are the run's loop clock in integer nanoseconds: 0 is the start of the run, as on
screen. Memory holds one small record per task and the output lines still open, never
the events: a trace of any length streams through (a batch at a time: the reader decodes
one whole batch of the trace).

Resources: a queue's size and a semaphore's free slots are counter tracks (one per
resource, named as in the resources pane: ``queue (Queue size)``), declared when the
resource is made and drawn at each change. Locks and events have no number to draw; who
holds and who waits on them shows in the waits' instants.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Protocol

from asyncscope import wording
from asyncscope.events import (
    Diagnostic,
    End,
    Event,
    Hello,
    Output,
    ResourceCreated,
    ResourceState,
    Step,
    TaskCreated,
    TaskDone,
    TaskRenamed,
)

__all__ = ["Mapper", "Summary", "Track", "Writer", "MAX_DEPTH", "NAME_LIMIT"]

MAX_DEPTH = 8
"""Task tracks nest at most this deep under the process; a task created deeper is listed
beside its creator's track instead of under it (older Perfetto trace processors refuse a
hierarchy more than ten tracks deep, and eight levels of tasks are already hard to read)."""

NAME_LIMIT = 200
"""An instant's name shows at most this many characters of an output line; the whole
line is then in its ``text`` argument."""

FLUSH_EVERY = 8192
"""Events mapped between two writes of the writer's buffer."""

PROGRAM_TRACK = 0
"""Track id of "outside any task" (task ids start at 1)."""


class Track:
    """One lane of the timeline: a task, or what happens outside any task."""

    __slots__ = ("tid", "name", "coro", "parent", "depth", "where", "origin", "declared", "last_end",
                 "wait", "flows_out", "flows_in", "done", "cache")

    def __init__(self, tid: int, name: str, coro: str, parent: Track | None, where: str | None = None,
                 origin: str = "user") -> None:
        self.tid = tid
        self.name = name
        self.coro = coro
        """The slices' name: the coroutine the task runs."""
        self.parent = parent
        """The track this one is drawn under (None: directly under the process)."""
        self.depth: int = 1 if parent is None else parent.depth + 1
        self.where = where
        """Where it was created (``file:line``, or the loop callback that made it)."""
        self.origin = origin
        self.declared = False
        self.last_end = 0  # nothing begins before the run
        self.wait: Any = None
        self.flows_out: list[int] | None = None
        self.flows_in: list[int] | None = None
        self.done = False
        self.cache: Any = None
        """The writer's own precomputed bytes or strings for this track's slices."""

    @property
    def description(self) -> str:
        """A line about the track for a viewer's details pane."""
        if self.tid == PROGRAM_TRACK:
            return "output and diagnostics of code outside any task, and the run's end"
        text = f"{self.coro} · created at {self.where or '?'}"
        return text if self.origin == "user" else f"{text} · {self.origin}'s task"


class Writer(Protocol):
    """A file format. Times are integer nanoseconds of loop time; ``args`` are small
    ``{name: str | int | float}`` dicts shown beside an event."""

    def process(self, pid: int, name: str, argv: list[str], labels: dict[str, str]) -> None:
        """Called once, before anything else."""

    def track(self, track: Track) -> None:
        """Declare a track, or declare it again after a rename (its parent is declared first)."""

    def slice(self, track: Track, start: int, end: int, args: dict[str, Any] | None,
              flows_out: list[int] | None, flows_in: list[int] | None) -> None:
        """A step. ``flows_out`` start arrows at it, ``flows_in`` end arrows at it."""

    def instant(self, track: Track, ts: int, name: str, category: str, args: dict[str, Any] | None) -> None: ...

    def retire(self, track: Track) -> None:
        """The task's last slice is written: drop what only slices need (instants may follow)."""

    def counter_track(self, key: int, name: str, parent: Track | None, unit: str | None) -> None:
        """Declare a counter track (a resource: queue size, semaphore value). Not used yet."""

    def counter(self, key: int, ts: int, value: float) -> None:
        """A counter track's value from ``ts`` on. Not used yet."""

    def flush(self) -> None:
        """Write what is buffered (called after every batch of the trace)."""

    def close(self) -> None:
        """Write the rest and finish the file (it stays open: the caller closes it)."""


@dataclass
class Summary:
    """What an export wrote, for the command's closing line and for tests."""

    events: int = 0
    tasks: int = 0
    slices: int = 0
    clamped: int = 0
    """Slices begun later than ``t - dur_ns``: where the loop's or their task's previous step
    ended, or at the run's start (see ``Mapper._slice``)."""
    output_lines: int = 0
    diagnostics: int = 0
    waits: int = 0
    flows: int = 0
    truncated: bool = False


class Mapper:
    """Folds events into :class:`Writer` calls (see the module docstring for what maps to what)."""

    def __init__(self, writer: Writer, label: str = "") -> None:
        self.writer = writer
        self.summary = Summary()
        self._label = label
        self._started = False
        self._tasks: dict[int, Track] = {}
        self._program: Track | None = None
        self._open_lines: dict[tuple[int | None, str, str | None], tuple[int, list[str], int | None]] = {}
        self._awaiters: dict[int, list[tuple[Track, Any]]] = {}
        self._next_flow = 1
        self._last_t = 0.0
        self._strings: dict[str, str] = {}
        self._slices = 0
        self._clamped = 0
        self._loop_end = 0
        """The end of the loop's latest step (steps inside another step aside)."""
        self._one_loop = True
        """False once the run says that loops ran in several threads: their steps overlap."""
        self._running: list[Track] = []
        """Tasks known to be mid-step: a task that creates another is running (innermost last)."""
        self._inner_start: dict[int, int] = {}
        """Running task -> the earliest start of a step that ran inside its current step."""
        self._write_slice = writer.slice
        self._ended = False
        self._handlers: dict[type, Callable[[Any], None]] = {
            Step: self._step,
            TaskDone: self._done,
            TaskCreated: self._created,
            TaskRenamed: self._renamed,
            Output: self._output,
            Diagnostic: self._diagnostic,
            End: self._end,
            Hello: self._hello,
            ResourceCreated: self._resource,
            ResourceState: self._resource_state,
        }
        self._counters: set[int] = set()
        """Resources drawn as counters (queues, semaphores)."""
        diagnostic_text = getattr(wording, "diagnostic_text", None)
        self._diagnostic_text: Callable[..., str] | None = diagnostic_text
        self._end_text: Callable[[Any], str | None] | None = getattr(wording, "end_text", None)
        self._cancel_cause: Callable[[str], str | None] | None = getattr(wording, "cancel_cause", None)

    # -- feeding ----------------------------------------------------------------------

    def feed(self, batch: Sequence[Event]) -> None:
        """Map one batch of events; the writer writes what it buffered every ``FLUSH_EVERY``
        events (a trace's batch can hold hundreds of thousands)."""
        handlers = self._handlers
        step = self._step
        flush = self.writer.flush
        for first in range(0, len(batch), FLUSH_EVERY):
            for event in batch[first:first + FLUSH_EVERY]:
                if type(event) is Step:  # most events: skip the dict
                    step(event)
                    continue
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
            flush()
        self.summary.events += len(batch)
        if batch:
            last_t = getattr(batch[-1], "t", None)
            if isinstance(last_t, float) and last_t > self._last_t:
                self._last_t = last_t

    def finish(self, truncated: bool = False, path: str = "") -> Summary:
        """After the last batch: lines never ended, a truncated trace, tracks never used."""
        self._start()
        for key in list(self._open_lines):
            self._close_line(key)
        if truncated:
            self.summary.truncated = True
            facts = {"path": path}
            fake = SimpleNamespace(kind="trace-truncated", facts=facts, task=None, where=None, waits=None)
            text = self._diagnostic_text(fake, self._name_of) if self._diagnostic_text else "trace-truncated"
            self._instant(self._outside(), self._ns(self._last_t), "trace-truncated", "diagnostic", {"text": text})
        for track in self._tasks.values():
            if not track.declared:
                self._declare(track)
        self.writer.close()
        unwritten: set[int] = set()  # arrows with an end never written (a trace cut short)
        for track in self._tasks.values():
            unwritten.update(track.flows_out or ())
            unwritten.update(track.flows_in or ())
        self.summary.flows = self._next_flow - 1 - len(unwritten)
        self.summary.slices = self._slices
        self.summary.clamped = self._clamped
        return self.summary

    # -- handlers ---------------------------------------------------------------------

    def _hello(self, event: Hello) -> None:
        if self._started:
            return
        self._started = True
        labels = {"python": event.python, "clock": event.clock, "target": event.target}
        self.writer.process(event.pid, os.path.basename(event.target) or self._label, list(event.argv), labels)

    def _start(self) -> None:
        if not self._started:  # a trace without its hello: still one process
            self._started = True
            self.writer.process(1, self._label, [], {})

    def _created(self, event: TaskCreated) -> None:
        self._start()
        creator = self._tasks.get(event.parent) if event.parent is not None else None
        parent = creator
        while parent is not None and parent.depth >= MAX_DEPTH:
            parent = parent.parent
        strings = self._strings  # one copy of each coroutine name and creating line, not one a task
        coro = strings.setdefault(event.coro, event.coro)
        where = event.where or event.from_callback
        if where is not None:
            where = strings.setdefault(where, where)
        track = Track(event.task, event.name, coro, parent, where, event.origin)
        self._tasks[event.task] = track
        self.summary.tasks += 1
        if creator is not None and (not self._running or self._running[-1] is not creator):
            self._running.append(creator)
        if creator is not None and not creator.done:
            flow = self._flow()
            self._add_flow_out(creator, flow)
            self._add_flow_in(track, flow)

    def _renamed(self, event: TaskRenamed) -> None:
        track = self._tasks.get(event.task)
        if track is not None and track.name != event.name:
            track.name = event.name
            if track.declared:
                self.writer.track(track)

    def _step(self, event: Step) -> None:
        track = self._tasks.get(event.task) or self._unknown(event.task)
        end = self._slice(track, event.t, event.dur_ns, None)
        wait = event.wait
        track.wait = wait
        if wait is not None:
            self.summary.waits += 1
            self.writer.instant(track, end, wording.wait_text(wait, self._name_of), "wait", None)
            if wait.tasks and wait.kind in ("task", "gather"):
                awaiters = self._awaiters
                for awaited in wait.tasks:
                    entry = awaiters.get(awaited)
                    if entry is None:
                        awaiters[awaited] = [(track, wait)]
                    else:
                        entry.append((track, wait))
                        size = len(entry)
                        if size >= 32 and size & (size - 1) == 0:  # a task awaited again and again
                            entry[:] = [(who, what) for who, what in entry if who.wait is what]

    def _done(self, event: TaskDone) -> None:
        track = self._tasks.get(event.task) or self._unknown(event.task)
        for awaiter, wait in self._awaiters.pop(event.task, ()):
            if awaiter.wait is wait and not awaiter.done:
                flow = self._flow()
                self._add_flow_out(track, flow)
                self._add_flow_in(awaiter, flow)
        args: dict[str, Any] = {"state": event.state}
        if event.error:
            args["error"] = event.error
        if event.cancelled_by:
            args["cancelled by"] = self._cancel_cause(event.cancelled_by) if self._cancel_cause else event.cancelled_by
        self._slice(track, event.t, event.dur_ns, args)
        track.done = True
        track.wait = None
        self.writer.retire(track)

    def _output(self, event: Output) -> None:
        key = (event.task, event.stream, event.thread)
        line = self._open_lines.get(key)
        if line is None:
            line = self._open_lines[key] = (self._ns(event.t), [event.text], event.task)
        else:
            line[1].append(event.text)
        if event.nl:
            self._close_line(key)

    def _close_line(self, key: tuple[int | None, str, str | None]) -> None:
        ts, parts, task = self._open_lines.pop(key)
        text = "".join(parts)
        track = self._track_of(task)
        args: dict[str, Any] = {"stream": key[1]}
        if key[2] is not None:
            args["thread"] = key[2]
        name = text
        if len(text) > NAME_LIMIT:
            name = text[:NAME_LIMIT - 1] + "…"
            args["text"] = text
        self.summary.output_lines += 1
        self._instant(track, ts, name, "output", args)

    def _diagnostic(self, event: Diagnostic) -> None:
        self.summary.diagnostics += 1
        if event.kind == "several-loops":
            self._one_loop = False
        args: dict[str, Any] = {}
        if self._diagnostic_text is not None:
            args["text"] = self._diagnostic_text(event, self._name_of)
        if event.where:
            args["where"] = event.where
        self._instant(self._track_of(event.task), self._ns(event.t), event.kind, "diagnostic", args)

    def _end(self, event: End) -> None:
        if self._ended:
            return
        self._ended = True
        for key in list(self._open_lines):
            self._close_line(key)
        args: dict[str, Any] = {"status": event.status, "exit code": event.exit_code}
        text = self._end_text(event) if self._end_text is not None else event.message
        if text:
            args["text"] = text
        self._instant(self._outside(), self._ns(event.t), f"end: {event.status}", "run", args)

    # -- helpers ----------------------------------------------------------------------

    def _slice(self, track: Track, t: float, dur_ns: int, args: dict[str, Any] | None) -> int:
        """Place a step's slice and write it; its end.

        ``t - dur_ns`` is where the step began, nearly: ``dur_ns`` is real time, which
        includes asyncscope's own work that the virtual clock takes off program time, and
        ``t`` is stamped once the step is recorded. So a step begins no earlier than the
        previous step of the loop ended (the loop runs one step at a time) and than the
        previous step of its own task. A step that ran inside another (an eager task's first
        step, inside its creator's) begins after the enclosing one begins and does not move
        the loop's end; the enclosing one begins before it.
        """
        end = int(t * 1e9 + 0.5)
        start = end - dur_ns
        floor = track.last_end
        running = self._running
        nested = False
        if running:  # a creator is mid-step: is this its step, or one inside it?
            if running[-1] is track:
                running.pop()
                nested = bool(running)
            elif track in running:  # (a step inside it never came: be safe)
                del running[running.index(track):]
                nested = bool(running)
            else:
                nested = True
        one_loop = self._one_loop
        if one_loop and self._loop_end > floor:
            floor = self._loop_end
        if nested:
            floor += 1  # after the enclosing step began, which begins at the floor or later
        elif self._inner_start:  # and a step begins before any step inside it (arrows keep their direction)
            inner = self._inner_start.pop(track.tid, None)
            if inner is not None and start >= inner:
                start = inner - 1
        if start < floor:
            start = floor
            self._clamped += 1
            if end < start:
                end = start
        track.last_end = end
        if nested:
            enclosing = running[-1].tid
            if start < self._inner_start.get(enclosing, start + 1):
                self._inner_start[enclosing] = start
        elif one_loop:
            self._loop_end = end
        self._slices += 1
        if not track.declared:
            self._declare(track)
        out = track.flows_out
        into = track.flows_in
        if out is not None or into is not None:
            track.flows_out = track.flows_in = None
        self._write_slice(track, start, end, args, out, into)
        return end

    def _instant(self, track: Track, ts: int, name: str, category: str, args: dict[str, Any] | None) -> None:
        if not track.declared:
            self._declare(track)
        self.writer.instant(track, ts, name, category, args)

    def _declare(self, track: Track) -> None:
        self._start()
        parent = track.parent
        if parent is not None and not parent.declared:
            self._declare(parent)
        track.declared = True
        self.writer.track(track)

    def _resource(self, event: ResourceCreated) -> None:
        kind = event.kind
        if kind.endswith("Queue"):
            what, start = "size", 0
        elif kind in ("Semaphore", "BoundedSemaphore"):
            what, start = "free", event.value or 0
        else:
            return
        self._start()
        self._counters.add(event.id)
        name = f"{event.name or f'{kind}-{event.id}'} ({kind} {what})"
        self.writer.counter_track(event.id, name, None, None)
        self.writer.counter(event.id, self._ns(event.t), float(start))

    def _resource_state(self, event: ResourceState) -> None:
        if event.id not in self._counters:
            return
        value = event.size if event.size is not None else event.value
        if value is not None:
            self.writer.counter(event.id, self._ns(event.t), float(value))

    def _ns(self, t: float) -> int:
        return int(t * 1e9 + 0.5)

    def _flow(self) -> int:
        flow = self._next_flow
        self._next_flow = flow + 1
        return flow

    @staticmethod
    def _add_flow_out(track: Track, flow: int) -> None:
        if track.flows_out is None:
            track.flows_out = [flow]
        else:
            track.flows_out.append(flow)

    @staticmethod
    def _add_flow_in(track: Track, flow: int) -> None:
        if track.flows_in is None:
            track.flows_in = [flow]
        else:
            track.flows_in.append(flow)

    def _track_of(self, task: int | None) -> Track:
        if task is None:
            return self._outside()
        return self._tasks.get(task) or self._unknown(task)

    def _outside(self) -> Track:
        if self._program is None:
            self._program = Track(PROGRAM_TRACK, "outside any task", "", None)
        return self._program

    def _unknown(self, task: int) -> Track:
        """A task whose creation is not in the trace (it cannot happen today): still a track."""
        self._start()
        track = self._tasks[task] = Track(task, f"task {task}", f"task {task}", None)
        self.summary.tasks += 1
        return track

    def _name_of(self, task: int) -> str:
        track = self._tasks.get(task)
        return track.name if track is not None else f"task {task}"
