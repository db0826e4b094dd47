"""The run state and the one fold that builds it: ``delta = model.apply_batch(events)``.

Live view, headless report, replay of a trace and time travel all build their state here
and only here, so they cannot disagree. Task states and waits, output, diagnostics, the
narration (:class:`~asyncscope.narration.Narrator`) and the timeline's marks
(``TaskInfo.prints``/``flags``) are all parts of one :class:`Model`; panes read it, and
the :class:`Delta` of the last batch, and never look at events.

Time travel needs the state at any event index. :meth:`Model.snapshot` makes a frozen copy
cheaply (copy-on-write: the task table is copied shallowly, and a task is copied only when
an event changes it after a snapshot), and :meth:`Snapshot.restore` gives a model that
folds on from there (``history.RunHistory`` keeps one every few thousand events). No UI
imports: the headless report and the tests use it without Textual.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, MutableSequence
from dataclasses import dataclass, field
from operator import attrgetter
from sys import intern as _intern

import msgspec

from asyncscope import wording
from asyncscope.events import (
    Code,
    Diagnostic,
    End,
    Event,
    Hello,
    Output,
    Paused,
    ResourceCreated,
    ResourceState,
    Resumed,
    Step,
    TaskCreated,
    TaskDone,
    TaskRenamed,
    Tick,
    Wait,
)
from asyncscope.narration import Narrator

__all__ = ["Model", "TaskInfo", "OutputLine", "FINAL_STATES", "ChainLink", "Delta", "Snapshot", "any_between",
           "TUI_OUTPUT_LIMIT", "ResourceInfo", "PAGE"]

FINAL_STATES = frozenset({"done", "failed", "cancelled", "destroyed"})

TUI_OUTPUT_LIMIT = 100_000
"""Output lines the TUI's model keeps: memory stays bounded however much a program prints."""

_epochs = itertools.count(1)
"""Every model and every snapshot gets its own epoch: an object stamped with another
epoch is shared with a snapshot, and is copied before it is changed."""


def any_between(times: list[float] | None, start: float, end: float) -> bool:
    """Whether sorted ``times`` has one in ``[start, end)`` (a timeline cell's marks)."""
    if not times:
        return False
    index = bisect.bisect_left(times, start)
    return index < len(times) and times[index] < end


def _add_sorted(times: list[float], t: float) -> None:
    if not times or times[-1] <= t:
        times.append(t)
    else:
        bisect.insort(times, t)


@dataclass
class ChainLink:
    """One coroutine of an await chain."""

    qualname: str
    file: str
    line: int
    lib: bool


class TaskBirth(msgspec.Struct, gc=False):
    """What a task is from its creation on: shared by every copy of it (a snapshot's copy
    of a task that stepped is then 64 bytes smaller). Replaced whole, never changed, by a
    rename (:meth:`Model._renamed`)."""

    name: str
    coro: str
    parent: int | None
    created_at: float
    where: str | None
    origin: str
    """``user``, ``library`` or ``asyncio`` (see :class:`asyncscope.events.TaskCreated`)."""
    from_callback: str | None
    """The loop callback that created it, when no task did."""


class TaskEnd(msgspec.Struct, gc=False):
    """How a task ended (``None`` on a task still going: most copies of a task are made
    while it runs, and five empty fields in each cost 32 bytes more)."""

    ended_at: float
    result: str | None
    error: str | None
    traceback: str | None
    cancelled_by: str | None


class TaskInfo(msgspec.Struct, gc=False):
    """One task as the views show it. A msgspec Struct, untracked by the garbage
    collector: a long run keeps many of them, a snapshot holds a copy of each task that
    changed since the one before, and a time-travel jump makes thousands (a Struct is
    made in a third of a slotted dataclass's time; it holds no reference cycles). What
    never changes (:class:`TaskBirth`) and how it ended (:class:`TaskEnd`) are shared
    between copies and read through properties of the same names."""

    id: int
    birth: TaskBirth
    internal: bool
    state: str = "ready"
    """``ready``, ``running``, ``waiting``, ``done``, ``failed``, ``cancelled``, or
    ``destroyed`` (garbage-collected while pending: it never ran to an end)."""
    wait: Wait | None = None
    chain: list[int] | None = None
    steps: int = 0
    busy_ns: int = 0
    end: TaskEnd | None = None
    changes: list[float | str] = msgspec.field(default_factory=list)
    """State changes for the timeline, flat: ``[t0, state0, t1, state1, ...]`` (a run of
    80,000 tasks keeps a few each, and a tuple per change cost 56 bytes more)."""
    prints: list[float] | tuple[()] = ()
    """Loop times it printed at, sorted (the timeline's marks). An empty tuple until the
    first: most tasks never print, and a snapshot's copy of them then shares it."""
    flags: list[float] | tuple[()] = ()
    """Loop times of its diagnostics, sorted (an empty tuple until the first)."""
    epoch: int = 0
    """The model epoch that owns this object (see :meth:`Model._own`)."""
    shares_history: bool = False
    """``changes`` is still the list of the task this one was copied from: copied at the
    first state change (most copies never change state: a snapshot then holds no second
    list)."""

    # What it is, from its birth (shared between copies; attrgetter: read in C).
    name = property(attrgetter("birth.name"))
    coro = property(attrgetter("birth.coro"))
    parent = property(attrgetter("birth.parent"))
    created_at = property(attrgetter("birth.created_at"))
    where = property(attrgetter("birth.where"))
    origin = property(attrgetter("birth.origin"))
    from_callback = property(attrgetter("birth.from_callback"))

    # How it ended (None while it has not).
    ended_at = property(lambda self: self.end.ended_at if self.end is not None else None)
    result = property(lambda self: self.end.result if self.end is not None else None)
    error = property(lambda self: self.end.error if self.end is not None else None)
    traceback = property(lambda self: self.end.traceback if self.end is not None else None)
    cancelled_by = property(lambda self: self.end.cancelled_by if self.end is not None else None)

    def clone(self, epoch: int) -> TaskInfo:
        copy = self.__copy__()
        copy.epoch = epoch
        copy.shares_history = True
        if self.prints:
            copy.prints = list(self.prints)
        if self.flags:
            copy.flags = list(self.flags)
        return copy

    @property
    def cancel_text(self) -> str | None:
        """Why it was cancelled, in words (``by`` is not included)."""
        return wording.cancel_cause(self.cancelled_by)

    @property
    def cancelled_by_text(self) -> str:
        """``by timeout, through main``: the cancelled column of the task table and report."""
        cause = self.cancel_text
        return wording.text("cancelled-by", cause=cause) if cause else ""

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def history(self) -> list[tuple[float, str]]:
        """State changes as ``(t, state)`` pairs."""
        changes = self.changes
        return list(zip(changes[0::2], changes[1::2], strict=True))  # type: ignore[arg-type]

    def _set(self, t: float, state: str) -> None:
        if state != self.state or not self.changes:
            if self.shares_history:
                self.changes = list(self.changes)
                self.shares_history = False
            self.changes.append(t)
            self.changes.append(state)
        self.state = state


class ResourceInfo(msgspec.Struct, gc=False):
    """A lock, semaphore, event, condition, queue or barrier, as it stands. Who waits on it
    is read from the tasks' waits (:meth:`Model.resource_waiters`), not kept here."""

    id: int
    kind: str
    cls: str
    name: str | None
    where: str | None
    origin: str
    created_at: float
    initial: int | float | None = None
    """A semaphore's value when made."""
    maxsize: int | float | None = None
    parties: int | float | None = None
    lock: int | None = None
    """A condition's lock (another resource)."""
    holders: list[int] = msgspec.field(default_factory=list)
    value: int | float | None = None
    size: int | float | None = None
    set: bool | None = None
    epoch: int = 0

    @property
    def label(self) -> str:
        """``lock_b``, or ``Lock-3`` when the line that made it gave it no name."""
        return self.name or f"{self.kind}-{self.id}"

    @property
    def internal(self) -> bool:
        return self.origin != "user"

    def clone(self, epoch: int) -> ResourceInfo:
        return ResourceInfo(self.id, self.kind, self.cls, self.name, self.where, self.origin,
                            self.created_at, self.initial, self.maxsize, self.parties, self.lock,
                            list(self.holders), self.value, self.size, self.set, epoch)


ROLES = {"get": "waiters", "put": "putters", "join": "joiners"}
"""A queue's waits by the method waited in; every other wait on a resource is a waiter."""


class OutputLine(msgspec.Struct, gc=False):
    seq: int
    t: float
    task: int | None
    stream: str
    text: str
    thread: str | None
    complete: bool

    def clone(self) -> OutputLine:
        return OutputLine(self.seq, self.t, self.task, self.stream, self.text, self.thread, self.complete)


@dataclass
class Delta:
    """What one batch of events changed, so panes know what to redraw."""

    tasks: set[int] = field(default_factory=set)
    new_tasks: bool = False
    renamed: bool = False
    output: bool = False
    diagnostics: bool = False
    narration: bool = False
    ended: bool = False
    resources: bool = False
    stepped: list[int] = field(default_factory=list)
    """Tasks whose steps ran, in order (follow mode selects the last one it shows)."""

    jumped: bool = False
    """A whole new state of the same run (a jump in time): panes shown it with
    ``set_model`` already, and redraw everything."""

    @classmethod
    def everything(cls, model: Model) -> Delta:
        """A whole new state (a jump in time): every pane redraws."""
        return cls(tasks=set(model.tasks), new_tasks=True, renamed=True, output=True,
                   diagnostics=True, narration=True, ended=model.end is not None, resources=True,
                   jumped=True)


@dataclass
class Model:
    """Everything known about one run, folded from its events."""

    hello: Hello | None = None
    tasks: dict[int, TaskInfo] = field(default_factory=dict)
    resources: dict[int, ResourceInfo] = field(default_factory=dict)
    codes: dict[int, Code] = field(default_factory=dict)
    output: list[OutputLine] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    t: float = 0.0
    steps: int = 0
    end: End | None = None
    paused: bool = False
    next_task: int | None = None
    events_applied: int = 0
    output_limit: int | None = None
    """Keep at most about this many output lines (the oldest go first); None keeps all.
    The TUI bounds its memory this way against a flooding program; the headless report
    and a trace file keep everything."""
    output_dropped: int = 0
    """Lines removed from the front of ``output`` to honour ``output_limit``."""
    narrator: Narrator | None = field(default_factory=Narrator)
    """The narration, part of the state; None where nobody reads it (the headless
    report), which folds a large trace faster."""
    _open_lines: dict[tuple[int | None, str, str | None], OutputLine] = field(default_factory=dict)
    epoch: int = field(default_factory=lambda: next(_epochs))
    _positions: dict[int, int] = field(default_factory=dict)
    """Task id → its place in the order tasks were created. Shared by every model copied
    from this one: the same events give every copy the same places."""
    _order: list[int] = field(default_factory=list)
    """Task ids by place (shared likewise)."""
    _pages: list[tuple[TaskInfo, ...]] = field(default_factory=list)
    """The task table as of the last snapshot, in pages of :data:`PAGE` tasks by place
    (page ``n`` holds the tasks of ``_order[n * PAGE:]``, as many as existed then); a
    snapshot keeps its pages, and the next one shares those no task in them changed."""
    _touched: set[int] = field(default_factory=set)
    """Pages with a task created or changed since the last snapshot."""
    _user_count: int = 0
    """Tasks that are not internal (see :attr:`user_task_count`)."""

    # -- folding ----------------------------------------------------------------------

    def apply_all(self, events: Iterable[Event]) -> None:
        self.fold(events)

    def apply(self, event: Event) -> None:
        self.fold((event,))

    def fold(self, events: Iterable[Event], said: MutableSequence[int] | None = None) -> None:
        """Fold ``events``: the one fold every state comes from. With ``said``, append how
        many sentences the narrator has said after each event.

        A task step (a :class:`Step`, or a :class:`TaskDone` for the last one) is most of
        any run and a time-travel jump folds tens of thousands of them, so they are
        handled here inline; every other event goes to its handler in ``_HANDLERS``."""
        narrator = self.narrator
        observe = narrator.observe if narrator is not None else None
        if narrator is None:
            said = None
        quiet = narrator is not None and narrator.quiet
        skip = narrator.quiet_skips() if quiet else None  # type: ignore[union-attr]
        handlers = _HANDLERS
        tasks = self.tasks
        get = tasks.get
        epoch = self.epoch
        touched = self._touched
        positions = self._positions
        count = 0
        for event in events:
            count += 1
            kind = type(event)
            if observe is not None:
                if skip is not None and (
                        (kind is Step and event.chain is None) or kind is TaskDone) and (  # type: ignore[attr-defined]
                        (info := get(event.task)) is None or info.internal  # type: ignore[attr-defined]
                        or (info.steps and event.task not in skip[0]  # type: ignore[attr-defined]
                            and (kind is Step or event.task not in skip[1]))):  # type: ignore[attr-defined]
                    pass  # a quiet narrator has nothing to do for it (see Narrator.quiet_skips)
                else:
                    observe(self, event)  # before the fold: it compares the task's state before and after
                    if quiet and (skip is None or kind is Tick):  # only a clock jump changes what may be skipped
                        skip = narrator.quiet_skips()  # type: ignore[union-attr]
            if kind is Step or kind is TaskDone:
                # What every step does, the last one included: count it, move the clock.
                self.steps += 1
                t = event.t  # type: ignore[attr-defined]
                if t > self.t:
                    self.t = t
                tid = event.task  # type: ignore[attr-defined]
                if self.next_task == tid:
                    self.next_task = None
                info = get(tid)
                if info is not None:
                    if info.epoch != epoch:  # shared with a snapshot: copy it first (see _own)
                        info = tasks[tid] = info.clone(epoch)
                        touched.add(positions[tid] // PAGE)
                    info.steps += 1
                    info.busy_ns += event.dur_ns  # type: ignore[attr-defined]
                    if kind is Step:
                        wait = event.wait  # type: ignore[attr-defined]
                        info.wait = wait
                        if wait is None or event.chain is not None:  # type: ignore[attr-defined]
                            info.chain = event.chain  # type: ignore[attr-defined]
                        state = "ready" if wait is None else "waiting"
                        if state != info.state:  # most steps leave it as it was
                            info._set(t, state)
                    else:
                        info.wait = None
                        info.end = TaskEnd(t, event.result, event.error, event.traceback,  # type: ignore[attr-defined]
                                           event.cancelled_by)  # type: ignore[attr-defined]
                        info._set(t, event.state)  # type: ignore[attr-defined]
            else:
                handler = handlers.get(kind)
                if handler is not None:
                    handler(self, event)
            if said is not None:
                said.append(len(narrator.sentences) + narrator.dropped)  # type: ignore[union-attr]
        self.events_applied += count

    def apply_batch(self, events: Iterable[Event], said: MutableSequence[int] | None = None) -> Delta:
        """Fold ``events`` and say what they changed (panes redraw once per batch). With
        ``said``, append how many sentences the narrator has said after each event."""
        delta = Delta()
        narrator = self.narrator
        said_before = len(narrator.sentences) + narrator.dropped if narrator is not None else 0
        events = events if isinstance(events, (list, tuple)) else list(events)
        self.fold(events, said)
        for event in events:
            kind = type(event)
            if kind is Step or kind is TaskDone:
                delta.tasks.add(event.task)  # type: ignore[attr-defined]
                delta.stepped.append(event.task)  # type: ignore[attr-defined]
            elif kind is Output:
                delta.output = True
            elif kind is TaskCreated:
                delta.new_tasks = True
                delta.tasks.add(event.task)  # type: ignore[attr-defined]
            elif kind is Paused:
                delta.tasks.update(event.ready)  # type: ignore[attr-defined]
                if event.next is not None:  # type: ignore[attr-defined]
                    delta.tasks.add(event.next)  # type: ignore[attr-defined]
            elif kind is Diagnostic:
                delta.diagnostics = True
                if event.task is not None:  # type: ignore[attr-defined]
                    delta.tasks.add(event.task)  # type: ignore[attr-defined]
            elif kind is TaskRenamed:
                delta.renamed = True
                delta.tasks.add(event.task)  # type: ignore[attr-defined]
            elif kind is End:
                delta.ended = True
            elif kind is ResourceState or kind is ResourceCreated:
                delta.resources = True
        if narrator is not None:
            delta.narration = len(narrator.sentences) + narrator.dropped != said_before
        return delta

    def _own(self, tid: int | None) -> TaskInfo | None:
        """The task to change, copied first when a snapshot shares it."""
        info = self.tasks.get(tid)  # type: ignore[arg-type]
        if info is not None and info.epoch != self.epoch:
            info = self.tasks[tid] = info.clone(self.epoch)  # type: ignore[index]
            self._touched.add(self._positions[tid] // PAGE)  # type: ignore[index]
        return info

    def _hello(self, event: Hello) -> None:
        self.hello = event

    def _code(self, event: Code) -> None:
        self.codes[event.id] = event

    def _created(self, event: TaskCreated) -> None:
        t = event.t
        where = event.where
        # Positional and with the coroutine's name and line shared (interned): a run of
        # 80,000 tasks made from one line keeps one copy of each, and a jump in time
        # makes thousands of these (docs/performance.md).
        birth = TaskBirth(event.name, _intern(event.coro), event.parent, t,
                          _intern(where) if where is not None else None, event.origin, event.from_callback)
        info = TaskInfo(event.task, birth, event.internal, "ready", None, None, 0, 0, None,
                        [t, "ready"], (), (), self.epoch, False)
        tid = event.task
        place = self._positions.get(tid)
        if place is None:
            place = self._positions[tid] = len(self._order)
            self._order.append(tid)
        self._touched.add(place // PAGE)
        before = self.tasks.get(tid)
        self._user_count += (not event.internal) - (before is not None and not before.internal)
        self.tasks[tid] = info
        if t > self.t:
            self.t = t

    def _renamed(self, event: TaskRenamed) -> None:
        info = self._own(event.task)
        if info is not None:
            info.birth = msgspec.structs.replace(info.birth, name=event.name)

    def _output(self, event: Output) -> None:
        self._advance(event.t)
        key = (event.task, event.stream, event.thread)
        line = self._open_lines.get(key)
        if line is not None:
            line.text += event.text
        else:
            line = OutputLine(event.seq, event.t, event.task, event.stream, event.text, event.thread, False)
            output = self.output
            output.append(line)
            limit = self.output_limit
            if limit is not None and len(output) > limit + limit // 8:
                drop = len(output) - limit  # in chunks, so a flood does not shift the list per line
                del output[:drop]
                self.output_dropped += drop
            if event.task is not None:
                info = self._own(event.task)
                if info is not None:
                    if info.prints:
                        _add_sorted(info.prints, event.t)  # type: ignore[arg-type]
                    else:
                        info.prints = [event.t]
        if event.nl:
            line.complete = True
            self._open_lines.pop(key, None)
        else:
            self._open_lines[key] = line

    def _diagnostic(self, event: Diagnostic) -> None:
        info = self._own(event.task) if event.task is not None else None
        if event.where is None and info is not None and info.where:
            event = Diagnostic(event.t, event.kind, event.task, info.where, event.facts, event.waits)
        if info is not None:
            if info.flags:
                _add_sorted(info.flags, event.t)  # type: ignore[arg-type]
            else:
                info.flags = [event.t]
            if event.kind == "destroyed-pending" and not info.final:
                # Garbage-collected while pending: it will never run again, and never end.
                info.wait = None
                info._set(event.t, "destroyed")
        self.diagnostics.append(event)

    def _resource(self, event: ResourceCreated) -> None:
        kind = event.kind
        self.resources[event.id] = ResourceInfo(  # positional: a program may make 100,000
            event.id, kind, event.cls, event.name, event.where, event.origin, event.t,
            event.value, event.maxsize, event.parties, event.lock, [], event.value,
            0 if kind.endswith("Queue") else None, False if kind == "Event" else None, self.epoch)

    def _resource_state(self, event: ResourceState) -> None:
        info = self.resources.get(event.id)
        if info is None:
            return
        if info.epoch != self.epoch:
            info = self.resources[event.id] = info.clone(self.epoch)
        info.holders = event.holders
        if event.value is not None:
            info.value = event.value
        if event.size is not None:
            info.size = event.size
        if event.set is not None:
            info.set = event.set

    def _tick(self, event: Tick) -> None:
        self._advance(event.t)

    def _paused(self, event: Paused) -> None:
        self.paused = True
        self.next_task = event.next
        for tid in event.ready:
            info = self.tasks.get(tid)
            if info is not None and not info.final and info.state != "ready":
                self._own(tid)._set(event.t, "ready")  # type: ignore[union-attr]
        self._advance(event.t)

    def _resumed(self, event: Resumed) -> None:
        self.paused = False

    def _end(self, event: End) -> None:
        self.end = event
        self.paused = False
        self.next_task = None
        self._advance(event.t)
        self._open_lines.clear()

    def _advance(self, t: float) -> None:
        if t > self.t:
            self.t = t

    # -- snapshots --------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The state as it is now, unchanged by whatever this model folds next.

        Cheap: the task table is copied shallowly and both sides then copy a task only
        when they change it; output lines still open are the only lines ever changed, so
        only they are copied.
        """
        self._pages = self._paged()
        snap = Snapshot(self._copy(next(_epochs), with_tasks=False), self._pages)
        self.epoch = next(_epochs)  # from now on, tasks shared with the snapshot are copied first
        self._detach_open_lines()
        return snap

    def _paged(self) -> list[dict[int, TaskInfo]]:
        """The task table in pages: the last snapshot's, with the pages touched since made
        anew. A run of 80,000 tasks would otherwise copy an 80,000-entry table for every
        snapshot (2.6 MB each); now a snapshot holds only the pages its interval changed."""
        pages = list(self._pages)
        if self._touched:
            get = self.tasks.get
            order = self._order
            while len(pages) <= max(self._touched):
                pages.append(())
            for number in self._touched:
                # By place, which is the table's insertion order: restoring keeps its order.
                # Tuples, not dicts: the ids are in _order (8 bytes an entry, not ~48).
                page = tuple(get(tid) for tid in order[number * PAGE:(number + 1) * PAGE])
                if None in page:  # created later (in a copy that folded further): a prefix
                    page = page[:page.index(None)]
                pages[number] = page  # type: ignore[assignment]
            self._touched = set()
        return pages

    def _copy(self, epoch: int, with_tasks: bool = True) -> Model:
        copy = Model.__new__(Model)
        copy.__dict__.update(self.__dict__)
        copy.tasks = dict(self.tasks) if with_tasks else {}
        copy._touched = set()
        copy.resources = dict(self.resources)
        copy.output = list(self.output)
        copy.diagnostics = list(self.diagnostics)
        copy._open_lines = dict(self._open_lines)
        copy.narrator = self.narrator.clone() if self.narrator is not None else None
        copy.epoch = epoch
        return copy

    def _detach_open_lines(self) -> None:
        """Give this model its own copies of the lines it may still extend."""
        if not self._open_lines:
            return
        fresh = {id(line): line.clone() for line in self._open_lines.values()}
        output = self.output
        found = 0
        for index in range(len(output) - 1, -1, -1):
            line = fresh.get(id(output[index]))
            if line is not None:
                output[index] = line
                found += 1
                if found == len(fresh):
                    break
        self._open_lines = {key: fresh[id(line)] for key, line in self._open_lines.items()}

    # -- queries ----------------------------------------------------------------------

    @property
    def status(self) -> str:
        """``running``, ``paused``, or the final status from :class:`End`."""
        if self.end is not None:
            return self.end.status
        return "paused" if self.paused else "running"

    def user_tasks(self) -> list[TaskInfo]:
        return [info for info in self.tasks.values() if not info.internal]

    @property
    def user_task_count(self) -> int:
        """How many tasks are the program's own (the status bar shows it every frame: kept
        as a count, not counted over 80,000 tasks each time)."""
        return self._user_count

    def task_name(self, tid: int | None) -> str:
        """The name the views show. Python 3.13.0 names eager tasks "None" (CPython
        gh-130033): they are shown as ``Task-<id>``; the program's name stays in ``info.name``
        (and the JSON report)."""
        if tid is None:
            return "-"
        info = self.tasks.get(tid)
        if info is None:
            return f"task {tid}"
        name = info.name
        if name == "None" and self.hello is not None and self.hello.python.startswith("3.13."):
            return f"Task-{tid}"
        return name

    def chain_links(self, info: TaskInfo) -> list[ChainLink]:
        links = []
        chain = info.chain or []
        for index in range(0, len(chain) - 1, 2):
            code = self.codes.get(chain[index])
            if code is not None:
                links.append(ChainLink(code.qualname, code.file, chain[index + 1], code.lib))
        return links

    def chain_text(self, info: TaskInfo, include_lib: bool = True) -> str:
        """``main -> say_after -> sleep``: the await chain, all inside one task."""
        links = self.chain_links(info)
        if not include_lib:
            user = [link for link in links if not link.lib]
            if links and links[-1].lib:
                user.append(links[-1])
            links = user
        return " -> ".join(link.qualname for link in links)

    def suspended_at(self, info: TaskInfo) -> str | None:
        """``file:line`` of the innermost user frame the task is suspended in."""
        where = None
        for link in self.chain_links(info):
            if not link.lib:
                where = f"{link.file}:{link.line}"
        return where

    def wait_text(self, info: TaskInfo) -> str:
        if info.final:
            return ""
        if info.state == "ready" and info.wait is None:
            return ""
        return wording.wait_text(info.wait, self.task_name, self)

    def resource_words(self, rid: int) -> tuple[str, str, list[str]]:
        """``(label, kind, holder names)`` of a resource, for wording a wait on it."""
        info = self.resources.get(rid)
        if info is None:
            return (f"#{rid}", "?", [])
        return (info.label, info.kind, [self.task_name(tid) for tid in self.resource_holders(info)])

    def diagnostic_text(self, diagnostic: Diagnostic) -> str:
        """The diagnostic in words, in the current language, naming tasks as the views do."""
        return wording.diagnostic_text(diagnostic, self.task_name, self)

    @property
    def end_text(self) -> str | None:
        """Why the run ended, in words (None while it runs)."""
        return wording.end_text(self.end)

    def resource_waiters(self) -> dict[int, dict[str, list[int]]]:
        """Resource → role (``waiters``, ``putters``, ``joiners``) → waiting tasks, in the
        order they began to wait."""
        found: list[tuple[float, int, int, str]] = []
        for info in self.tasks.values():
            wait = info.wait
            if wait is None or wait.resource is None or info.final:
                continue
            method = (wait.detail or "").rsplit(".", 1)[-1]
            since = info.changes[-2] if info.changes else info.created_at
            found.append((since, info.id, wait.resource, ROLES.get(method, "waiters")))
        table: dict[int, dict[str, list[int]]] = {}
        for _since, tid, rid, role in sorted(found):
            table.setdefault(rid, {}).setdefault(role, []).append(tid)
        return table

    def held_labels(self, tid: int) -> list[str]:
        """The resources task ``tid`` holds, by name (``lock_a``)."""
        return [info.label for info in self.resources.values()
                if info.kind != "Condition" and tid in info.holders]

    def resource_holders(self, info: ResourceInfo) -> list[int]:
        """Who holds it: a condition is held by whoever holds its lock."""
        if info.kind == "Condition" and info.lock is not None:
            lock = self.resources.get(info.lock)
            return list(lock.holders) if lock is not None else []
        return list(info.holders)

    def lines_text(self) -> list[str]:
        return [line.text for line in self.output]


@dataclass
class Snapshot:
    """A frozen state of the run (see :meth:`Model.snapshot`)."""

    model: Model
    """The state without its task table (kept in ``pages``)."""
    pages: list[tuple[TaskInfo, ...]]

    @property
    def events_applied(self) -> int:
        return self.model.events_applied

    def restore(self) -> Model:
        """A model at this moment, free to fold on without changing the snapshot."""
        model = self.model._copy(next(_epochs), with_tasks=False)
        tasks = model.tasks
        order = model._order
        for number, page in enumerate(self.pages):
            start = number * PAGE
            tasks.update(zip(order[start:start + len(page)], page, strict=True))
        model._pages = self.pages
        model._detach_open_lines()
        return model


PAGE = 1024
"""Tasks per page of a snapshot's task table (see :meth:`Model._paged`)."""

_HANDLERS: dict[type, Callable[[Model, Event], None]] = {
    Hello: Model._hello,  # type: ignore[dict-item]
    Code: Model._code,  # type: ignore[dict-item]
    TaskCreated: Model._created,  # type: ignore[dict-item]
    TaskRenamed: Model._renamed,  # type: ignore[dict-item]
    Output: Model._output,  # type: ignore[dict-item]
    Diagnostic: Model._diagnostic,  # type: ignore[dict-item]
    Tick: Model._tick,  # type: ignore[dict-item]
    ResourceCreated: Model._resource,  # type: ignore[dict-item]
    ResourceState: Model._resource_state,  # type: ignore[dict-item]
    Paused: Model._paused,  # type: ignore[dict-item]
    Resumed: Model._resumed,  # type: ignore[dict-item]
    End: Model._end,  # type: ignore[dict-item]
}
