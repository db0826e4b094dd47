"""The wire schema: every fact the child reports, and every command the parent sends.

This is the only module imported by both sides of the process boundary, so it must stay
plain data: msgspec Structs, no behaviour, no imports from the rest of the package.
Events are *facts* ("task 7 finished a step at t=1.0"), never screen updates; the parent
folds them into state (see ``model.py``).

Wire format: each batch is a 4-byte little-endian length followed by a MessagePack array of
events. Each event is an array whose first element is its tag (``array_like=True``), which
keeps a task step to a dozen bytes. ``SCHEMA_VERSION`` is sent in :class:`Hello` and in the
trace file header; bump it on any incompatible change. The schema is documented in
``docs/events.md``.
"""

from __future__ import annotations

from typing import cast

import msgspec

__all__ = [
    "SCHEMA_VERSION",
    "Code",
    "Command",
    "Diagnostic",
    "End",
    "Event",
    "Hello",
    "Output",
    "Paused",
    "ResourceCreated",
    "ResourceState",
    "Resumed",
    "Step",
    "TaskCreated",
    "TaskDone",
    "TaskRenamed",
    "TaskWait",
    "Tick",
    "Wait",
    "decode_batch",
    "encode_batch",
]

SCHEMA_VERSION = 2
"""2: diagnostics and the end carry facts (``facts``, ``waits``, ``reason``), never sentences."""


class Wait(msgspec.Struct, array_like=True, omit_defaults=True, gc=False):
    """What a suspended task waits on.

    ``kind`` is one of ``sleep`` (``until`` is the loop time it wakes), ``task`` (``tasks``
    holds the awaited task), ``gather`` (``tasks`` holds the children that are tasks,
    ``count`` all children), ``sync`` (a lock/event/condition/semaphore/queue/barrier:
    ``detail`` names the call, e.g. ``Event.wait``), ``io`` (a socket, stream or pipe),
    ``thread`` (``run_in_executor``/``to_thread``), ``future`` (any other future).
    A ``sync`` wait names the call of the resource's own method that waits (``Queue.join``
    rather than the ``Event.wait`` inside it) and the resource's id in ``resource``.
    """

    kind: str
    detail: str | None = None
    until: float | None = None
    tasks: list[int] | None = None
    count: int | None = None
    resource: int | None = None
    """``sync``: the resource waited on (see :class:`ResourceCreated`)."""


class Event(msgspec.Struct, array_like=True, tag=True, omit_defaults=False, gc=False):
    """Base of every event sent from the child.

    ``gc=False``: an event holds plain data and never a cycle, and a run keeps hundreds
    of thousands of them (a trace replayed, the parent's fold), so the garbage collector
    need not track them."""


class Hello(Event, tag="hello"):
    """First event of a run: who is talking and how the run is set up."""

    version: int
    pid: int
    python: str
    clock: str
    target: str
    argv: list[str]
    hot_path: str = "python"
    """``compiled`` or ``python``: which of the runtime's two hot paths traced the run (the
    same events either way). Older traces have no such field, and were all ``python``."""


class Code(Event, tag="code"):
    """Interns a code object: later events name ``id`` instead of repeating the strings."""

    id: int
    qualname: str
    file: str
    line: int
    lib: bool
    """True for asyncio's own code (and asyncscope's), which views may fold away."""


class TaskCreated(Event, tag="created"):
    """A task exists. ``where`` is the ``file:line`` in user code that created it."""

    t: float
    task: int
    name: str
    coro: str
    parent: int | None
    where: str | None
    internal: bool
    origin: str = "user"
    """Whose coroutine the task runs: ``user`` (the program's own code), ``library`` (the
    standard library or an installed package) or ``asyncio`` (the loop's machinery).
    ``internal`` is true for anything not the user's."""
    from_callback: str | None = None
    """Created outside any task, by a loop callback: the callback's qualified name
    (``StreamReaderProtocol.connection_made`` for a ``start_server`` handler), its
    ``where`` the line in it. None when a task or top-level code created it."""


class TaskRenamed(Event, tag="renamed"):
    """A task's name changed (``asyncio.create_task(name=...)`` on 3.11 names the task
    only after creating it; ``Task.set_name`` can rename it at any time)."""

    t: float
    task: int
    name: str


class Step(Event, tag="step"):
    """A task finished a step and is still pending.

    ``wait`` is None when the task yielded without waiting on anything (``sleep(0)``) and is
    ready again. ``chain`` is the await chain, outermost first, flattened as
    ``[code_id, line, code_id, line, ...]`` (see :class:`Code`); it is None for bare yields,
    to keep the hot path cheap.
    """

    t: float
    task: int
    dur_ns: int
    wait: Wait | None
    chain: list[int] | None


class TaskDone(Event, tag="done"):
    """A task's last step ended. ``state`` is ``done``, ``failed`` or ``cancelled``."""

    t: float
    task: int
    dur_ns: int
    state: str
    result: str | None
    error: str | None
    traceback: str | None
    cancelled_by: str | None


class Output(Event, tag="out"):
    """Text the program wrote to stdout/stderr.

    ``nl`` is False for a fragment of a line not yet ended (the model joins fragments).
    ``task`` is None for output written outside any task, ``thread`` names a thread other
    than the event loop's. ``seq`` orders all output of a run; output the parent read from
    the child's raw file descriptors has ``seq`` -1.
    """

    seq: int
    t: float
    task: int | None
    stream: str
    text: str
    nl: bool
    thread: str | None


class TaskWait(msgspec.Struct, array_like=True, gc=False):
    """One task of a deadlock: what it waits on, where it is suspended."""

    task: int
    name: str
    """Its name when the deadlock was seen (views show today's name, see ``Model.task_name``)."""
    wait: Wait | None
    where: str | None


Fact = str | int | float | None


class Diagnostic(Event, tag="diag"):
    """Something worth telling the user: a classic mistake, a deadlock, an error.

    A fact, not a sentence: ``kind`` says what it is and ``facts`` holds its numbers and
    names (``{"coro": "fetch"}`` for ``never-awaited``, ``{"ms": 100}`` for ``blocking``);
    the parent words it in the user's language when it is shown
    (``wording.diagnostic_text``), so a trace reads the same in every language.
    ``docs/events.md`` lists the facts of each kind.
    """

    t: float
    kind: str
    task: int | None
    where: str | None
    facts: dict[str, Fact] = msgspec.field(default_factory=dict)
    waits: list[TaskWait] | None = None
    """``deadlock``: every task still pending, in creation order."""


class ResourceCreated(Event, tag="resource"):
    """An asyncio synchronisation object exists: a Lock, Semaphore, BoundedSemaphore,
    Event, Condition, Queue (and its Priority/Lifo kinds) or Barrier.

    ``kind`` is the asyncio class it is or derives from, ``cls`` its own class's name;
    ``name`` the variable, attribute or dict key it was assigned to on the line that made
    it, when that line says (else None); ``where`` that line; ``origin`` as for tasks.
    ``value`` is a semaphore's initial value, ``maxsize`` a queue's, ``parties`` a
    barrier's; ``lock`` a condition's lock (another resource). The numbers are what the
    program gave: asyncio takes a float for them too (CPython's test_queues makes a queue of
    ``maxsize=1.0``), and a field that refused one lost the batch it came in.
    """

    t: float
    id: int
    kind: str
    cls: str
    name: str | None
    where: str | None
    origin: str
    value: int | float | None = None
    maxsize: int | float | None = None
    parties: int | float | None = None
    lock: int | None = None


class ResourceState(Event, tag="res-state"):
    """A resource changed: who holds it and its numbers now. Waiting tasks are not listed
    here: each waiting task's ``Wait.resource`` says what it waits on.

    ``holders``: the task that holds a lock (acquired it last and has not released it),
    the tasks holding a semaphore's slots; ``value`` a semaphore's free slots, ``size`` a
    queue's items, ``set`` whether an event is set."""

    t: float
    id: int
    holders: list[int]
    value: int | float | None = None
    size: int | float | None = None
    set: bool | None = None


class Tick(Event, tag="tick"):
    """The loop clock advanced with no task step (a virtual jump or a real wait)."""

    t: float


class Paused(Event, tag="paused"):
    """The gate is holding the loop. ``next`` is the task whose step is about to run, if
    any; ``ready`` lists every task whose step is queued in the loop."""

    t: float
    next: int | None
    ready: list[int]


class Resumed(Event, tag="resumed"):
    """The gate let the loop go on."""

    t: float


class End(Event, tag="end"):
    """The program ended. Sent by the child when it can; synthesised by the parent otherwise.

    ``status``: ``finished``, ``failed``, ``crashed``, ``timeout``, ``deadlock``,
    ``error`` or ``stopped``. ``message`` is the program's own words (its uncaught
    exception, an error in the input); when asyncscope ended or lost the run, ``reason``
    says why (``timeout``, ``not-ending``, ``user``, ``signal``, ``exit``, ``trace-cut``)
    with its ``facts``, worded at display time (``wording.end_text``).
    """

    t: float
    status: str
    exit_code: int
    message: str | None
    traceback: str | None
    reason: str | None = None
    facts: dict[str, Fact] = msgspec.field(default_factory=dict)


AnyEvent = (
    Hello
    | Code
    | TaskCreated
    | TaskRenamed
    | Step
    | TaskDone
    | Output
    | Diagnostic
    | ResourceCreated
    | ResourceState
    | Tick
    | Paused
    | Resumed
    | End
)


class Command(msgspec.Struct, omit_defaults=True):
    """A control command from the parent, sent as one JSON line.

    ``cmd``: ``pause``, ``resume``, ``step`` (one task step), ``step-iteration`` (one loop
    iteration), ``speed`` (``value`` is the virtual-clock rate, None for instant).
    """

    cmd: str
    value: float | None = None


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(list[AnyEvent])


def encode_batch(events: list[Event]) -> bytes:
    """Encode a batch as one length-prefixed frame."""
    body = _encoder.encode(events)
    return len(body).to_bytes(4, "little") + body


def decode_batch(body: bytes) -> list[Event]:
    """Decode a frame's body (without its length prefix)."""
    return cast("list[Event]", _decoder.decode(body))
