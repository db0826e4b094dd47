"""The JSON verdict of a run (docs/report.md): ``run --headless --json``, ``report --json``.

Apart from the text report (report.py) because it needs no Rich: a ``--json`` run would
otherwise load Rich's console (~25 ms) after the program ends, only to print one JSON
object. Rows are msgspec Structs, not dicts: a verdict can hold 50,000 tasks and 300,000
resources, and Structs build and encode several times faster.
"""

from __future__ import annotations

from typing import Any

import msgspec

from asyncscope import wording
from asyncscope.model import Model, TaskInfo

__all__ = ["JSON_STATES", "ResourceRow", "TaskRow", "exit_code", "resources_json", "to_json"]

JSON_STATES = {"done": "done", "failed": "failed", "cancelled": "cancelled"}
"""Task states in the JSON report; every other state is ``pending``."""


def exit_code(model: Model) -> int:
    """The exit status of ``asyncscope run``: see docs/report.md."""
    end = model.end
    if end is None:
        return 1
    return end.exit_code


class WaitRow(msgspec.Struct, gc=False):
    """What a pending task waits on (docs/report.md): the facts of :class:`~asyncscope.events.Wait`."""

    kind: str
    detail: str | None
    until: float | None
    tasks: list[int] | None
    count: int | None


class ChainRow(msgspec.Struct, gc=False):
    """One coroutine of a pending task's await chain, outermost first."""

    coro: str
    where: str
    lib: bool


class TaskRow(msgspec.Struct, gc=False):
    """One task of the JSON verdict (docs/report.md). A Struct, not a dict: a verdict can
    hold 50,000 tasks, and Structs build and encode several times faster."""

    id: int
    name: str
    coro: str
    parent: int | None
    state: str
    created_at: float
    where: str | None
    steps: int
    internal: bool
    ended_at: float | None
    result: str | None
    error: str | None
    cancelled_by: str | None
    wait: WaitRow | None
    chain: list[ChainRow] | None
    origin: str
    from_callback: str | None


def _task_json(model: Model, info: TaskInfo) -> TaskRow:
    wait = chain = None
    if not info.final:
        if info.wait is not None:
            w = info.wait
            wait = WaitRow(w.kind, w.detail, w.until, w.tasks, w.count)
        if info.chain:
            chain = [ChainRow(link.qualname, f"{link.file}:{link.line}", link.lib)
                     for link in model.chain_links(info)]
    birth = info.birth  # read once: a verdict may list 100,000 tasks
    end = info.end
    return TaskRow(
        info.id, birth.name, birth.coro, birth.parent, JSON_STATES.get(info.state, "pending"),
        birth.created_at, birth.where, info.steps, info.internal,
        end.ended_at if end is not None else None, end.result if end is not None else None,
        end.error if end is not None else None, info.cancel_text if end is not None else None,
        wait, chain, birth.origin, birth.from_callback,
    )


class ResourceRow(msgspec.Struct, gc=False):
    """One lock, semaphore, event, condition, queue or barrier of the JSON verdict
    (docs/report.md): what it is, where it was made, and its state at the moment shown.
    Every key is always there; one that does not apply to its kind is null."""

    id: int
    kind: str
    name: str
    where: str | None
    created_at: float
    origin: str
    internal: bool
    holder: int | None
    holders: list[int]
    waiters: list[int]
    putters: list[int] | None
    joiners: list[int] | None
    set: bool | None
    value: int | None
    size: int | None
    maxsize: int | None
    parties: int | None
    cls: str = msgspec.field(name="class")


def resources_json(model: Model) -> list[ResourceRow]:
    waiting = model.resource_waiters()
    tasks = model.tasks
    none: tuple[int, ...] = ()  # shared by the rows nobody waits on: a row is only read
    rows = []
    append = rows.append
    row = ResourceRow
    for info in model.resources.values():  # a program may make 100,000: nothing spared here
        rid = info.id
        kind = info.kind
        origin = info.origin
        roles = waiting.get(rid)
        holders = model.resource_holders(info) if kind == "Condition" else info.holders
        internal = origin != "user"
        if roles is None:
            waiters = putters = joiners = none
        else:
            waiters = roles.get("waiters", none)
            putters = roles.get("putters", none)
            joiners = roles.get("joiners", none)
            if internal:
                internal = not any(not tasks[tid].internal for tids in roles.values() for tid in tids if tid in tasks)
        queue = kind[-5:] == "Queue"
        append(row(
            rid, kind, info.label, info.where, info.created_at, origin, internal,
            holders[0] if holders and (kind == "Lock" or kind == "Condition") else None,
            holders, waiters, putters if queue else None, joiners if queue else None,
            info.set, info.value, info.size, info.maxsize, info.parties, info.cls,
        ))
    return rows  # type: ignore[return-value]


def to_json(model: Model, clock: str) -> dict[str, Any]:
    """The JSON verdict (docs/report.md). Times are loop seconds, as measured."""
    end = model.end

    def name(tid: int) -> str:
        """The name the program gave the task: the JSON is what the program saw (the
        views may show another, see ``Model.task_name``)."""
        info = model.tasks.get(tid)
        return info.name if info is not None else model.task_name(tid)

    return {
        "status": model.status,
        "exit_code": end.exit_code if end is not None else None,  # null: still running (report --at)
        "clock": clock,
        # Which of the runtime's hot paths traced the run (Hello.hot_path); None: no Hello.
        "hot_path": model.hello.hot_path if model.hello is not None else None,
        "elapsed": model.t,
        "message": model.end_text,
        "tasks": [_task_json(model, info) for info in model.tasks.values()],
        "output": [
            {"t": line.t, "task": None if line.task is None else name(line.task),
             "stream": line.stream, "text": line.text, "nl": line.complete}
            for line in model.output
        ],
        "resources": resources_json(model),
        "diagnostics": [
            {"kind": d.kind, "message": wording.diagnostic_text(d, name, model),
             "task": None if d.task is None else name(d.task),
             "where": d.where, "t": d.t}
            for d in model.diagnostics
        ],
    }
