"""Resources: asyncio's locks, semaphores, events, conditions, queues and barriers, watched.

What a view needs to say "Task-2 waits on ``lock_b`` (Lock), held by Task-3": each object
gets an id when it is made (:class:`~asyncscope.events.ResourceCreated`, with the line that
made it and the name it was given there), and each change of who holds it or how full it
is becomes a :class:`~asyncscope.events.ResourceState`. Who *waits* is not tracked here:
a waiting task's step already says what it waits on (``Wait.resource``, found by the
tracer from the suspended frame).

How, without changing what the program does: the state these classes keep is a handful of
plain attributes (``Lock._locked``, ``Semaphore._value``, ``Event._value``), so the class
gets a data descriptor of the same name whose getter reads the instance's own ``__dict__``
entry and whose setter writes it, then reports. The object's ``__dict__``, its methods,
their coroutines and every await stay asyncio's own: no wrapper frame, no extra suspension,
the same order of wake-ups (CPython's test_locks and test_queues run under it). Queues
report their size after ``put_nowait``/``get_nowait``, which ``put``/``get`` call.
A reporting failure is said once as an ``internal-error`` and never reaches the program.
"""

from __future__ import annotations

import linecache
import re
import sys
from asyncio import events, locks, queues, tasks
from typing import TYPE_CHECKING, Any

from asyncscope.events import ResourceCreated, ResourceState

if TYPE_CHECKING:
    from asyncscope.runtime.loop import Tracer

__all__ = ["ResourceWatch", "KINDS"]

KINDS: tuple[type, ...] = tuple(
    cls for cls in (
        locks.Lock, locks.BoundedSemaphore, locks.Semaphore, locks.Event, locks.Condition,
        getattr(locks, "Barrier", None),  # 3.11+
        queues.PriorityQueue, queues.LifoQueue, queues.Queue,
    ) if cls is not None
)
"""Most derived first: a resource's ``kind`` is the first of these it is an instance of."""

_ASYNCIO_DIR = locks.__file__.rsplit("/", 1)[0] + "/"
_KIND_NAMES = "|".join(sorted({cls.__name__ for cls in KINDS}, key=len, reverse=True))
_ASSIGNED = re.compile(r"^\s*([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*(?::[^=]+)?=[^=]")
_DICT_KEYS = re.compile(r"""["'](\w+)["']\s*:\s*[\w.]*\b(?:""" + _KIND_NAMES + r")\(")
_MISSING = object()


class ResourceWatch:
    """Gives every resource an id and reports its changes through the tracer's emitter."""

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer
        self._ids: dict[int, int] = {}
        """``id(obj)`` → resource id. A new object at a reused address registers again in
        its ``__init__``, so a stale entry is always overwritten before it is read."""
        self._holders: dict[int, tuple[int, ...]] = {}
        """Resource → the tasks holding it (tuples: a tuple of ints is let go by the garbage
        collector, and 100,000 locks must not make every collection slower)."""
        self._count = 0
        self._names: dict[tuple[str, int], list[str]] = {}
        self._made_at: dict[tuple[str, int], int] = {}
        self._quiet: dict[int, ResourceCreated] = {}
        """asyncio's own resources (a queue's inner event, a condition's lock), not yet
        announced: only once a task waits on one does it matter to anyone, so until then
        nothing is sent (a program with 100,000 queues would otherwise pay for 100,000
        inner events too)."""
        self._kinds: dict[type, str] = {}
        self._told = False

    # -- installation -------------------------------------------------------------------

    def install(self) -> None:
        watch = self
        for cls in KINDS:
            if "__init__" in cls.__dict__:
                cls.__init__ = _registering(cls.__dict__["__init__"], watch)  # type: ignore[misc]
        _watch_attribute(locks.Lock, "_locked", self._lock_changed)
        _watch_attribute(locks.Semaphore, "_value", self._semaphore_changed)
        _watch_attribute(locks.Event, "_value", self._event_changed)
        for name in ("put_nowait", "get_nowait"):
            original = queues.Queue.__dict__[name]
            setattr(queues.Queue, name, _reporting_size(original, watch))

    # -- identities ---------------------------------------------------------------------

    def register(self, obj: Any) -> None:
        try:
            tracer = self.tracer
            self._count += 1
            rid = self._count
            self._ids[id(obj)] = rid
            cls = type(obj)
            kind = self._kinds.get(cls)
            if kind is None:
                kind = self._kinds[cls] = next((k.__name__ for k in KINDS if issubclass(cls, k)), cls.__name__)
            frame = sys._getframe(2)
            code = frame.f_code
            where = f"{code.co_filename}:{frame.f_lineno}"
            name = None
            # Made by asyncio itself (a queue's Event, a condition's Lock): internal, shown
            # (if ever) at asyncio's own line. Otherwise the caller's line, and its name.
            inside = code.co_filename.startswith(_ASYNCIO_DIR)
            origin = "asyncio" if inside else tracer.origin(code)
            if not inside:
                name = self._name_at(code.co_filename, frame.f_lineno)
            del frame
            lock = getattr(obj, "_lock", None) if kind == "Condition" else None
            made = ResourceCreated(
                tracer.clock.now(), rid, kind, cls.__name__, name, where, origin,
                value=obj.__dict__.get("_value") if kind in ("Semaphore", "BoundedSemaphore") else None,
                maxsize=getattr(obj, "_maxsize", None),
                parties=getattr(obj, "_parties", None),
                lock=self._ids.get(id(lock)) if lock is not None else None,
            )
            if made.lock is not None and made.lock in self._quiet:
                # The condition's own lock, made just before it: known by the condition's name.
                inner = self._quiet[made.lock]
                inner.name = f"{made.name or f'Condition-{rid}'}.lock"
                inner.where = made.where
            if inside:
                self._quiet[rid] = made
            else:
                tracer._emit(made)
        except Exception as exc:  # never into the program
            self._fail(exc)

    def resource_id(self, obj: Any) -> int | None:
        """The id of a resource a task waits on (announcing it first if it was asyncio's
        own and still unannounced)."""
        rid = self._ids.get(id(obj))
        if rid is not None and rid in self._quiet:
            self._announce(rid, obj)
        return rid

    def _announce(self, rid: int, obj: Any) -> None:
        made = self._quiet.pop(rid)
        tracer = self.tracer
        tracer._emit(made)
        kind = made.kind
        state = ResourceState(tracer.clock.now(), rid, self._holders.get(rid, ()))  # type: ignore[arg-type]
        if kind in ("Semaphore", "BoundedSemaphore"):
            state.value = obj.__dict__.get("_value")
        elif kind == "Event":
            state.set = bool(obj.__dict__.get("_value"))
        elif kind.endswith("Queue"):
            state.size = obj.qsize()
        tracer._emit(state)

    def _name_at(self, file: str, line: int) -> str | None:
        """The name the line gives what it makes: ``lock_b = asyncio.Lock()`` → ``lock_b``;
        ``{"A": asyncio.Lock(), "B": ...}`` → ``A``, then ``B``. Read once per line."""
        key = (file, line)
        names = self._names.get(key)
        if names is None:
            text = linecache.getline(file, line)
            keys = _DICT_KEYS.findall(text)
            match = _ASSIGNED.match(text)
            targets = [name.strip().removeprefix("self.") for name in match.group(1).split(",")] if match else []
            if keys:  # locks = {"A": asyncio.Lock(), ...} → locks["A"]
                names = [f'{targets[0]}["{key}"]' if len(targets) == 1 else key for key in keys]
            else:  # lock = asyncio.Lock(); event, lock = asyncio.Event(), asyncio.Lock()
                names = targets
            self._names[key] = names
        if not names:
            return None
        count = self._made_at.get(key, 0)
        self._made_at[key] = count + 1
        return names[count % len(names)]

    # -- changes --------------------------------------------------------------------------

    def _current(self) -> int | None:
        loop = events._get_running_loop()
        if loop is None:
            return None
        task = tasks.current_task(loop)
        return self.tracer.known_task_id(task) if task is not None else None

    def _report(self, obj: Any, rid: int, **fields: Any) -> None:
        if rid in self._quiet:
            return  # said when announced
        tracer = self.tracer
        # A tuple where the Struct says list: encoded the same, and not tracked by the GC.
        tracer._emit(ResourceState(tracer.clock.now(), rid, self._holders.get(rid, ()), **fields))  # type: ignore[arg-type]

    def _lock_changed(self, obj: Any, before: Any, locked: Any) -> None:
        rid = self._ids.get(id(obj))
        if rid is None or before is _MISSING or bool(before) == bool(locked):
            return
        task = self._current() if locked else None
        self._holders[rid] = (task,) if task is not None else ()
        self._report(obj, rid)

    def _semaphore_changed(self, obj: Any, before: Any, value: Any) -> None:
        rid = self._ids.get(id(obj))
        if rid is None or before is _MISSING or before == value:
            return
        holders = list(self._holders.get(rid, ()))
        task = self._current()
        if value < before:
            if task is not None:
                holders.append(task)
        elif task in holders:
            holders.remove(task)
        elif holders:
            holders.pop(0)  # released by a task that does not hold it: the longest holder gives way
        self._holders[rid] = tuple(holders)
        self._report(obj, rid, value=value)

    def _event_changed(self, obj: Any, before: Any, value: Any) -> None:
        rid = self._ids.get(id(obj))
        if rid is None or before is _MISSING or bool(before) == bool(value) or rid in self._quiet:
            return
        self._report(obj, rid, set=bool(value))

    def queue_changed(self, obj: Any) -> None:
        try:
            rid = self._ids.get(id(obj))
            if rid is not None:
                self._report(obj, rid, size=obj.qsize())
        except Exception as exc:  # never into the program
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if not self._told:
            self._told = True
            self.tracer.internal_error(f"cannot follow an asyncio lock or queue ({type(exc).__name__}: {exc})")


_OUTERMOST: dict[type, Any] = {}


def _outermost(cls: type) -> Any:
    """The ``__init__`` of the most derived asyncio class ``cls`` is (it registers)."""
    found = _OUTERMOST.get(cls)
    if found is None:
        found = next((klass.__dict__["__init__"] for klass in cls.__mro__
                      if klass in KINDS and "__init__" in klass.__dict__), None)
        _OUTERMOST[cls] = found
    return found


def _registering(original: Any, watch: ResourceWatch) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if _outermost(type(self)) is __init__:
            watch.register(self)  # once, by the most derived asyncio class's __init__

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    __init__.__doc__ = original.__doc__
    __init__.__qualname__ = original.__qualname__
    return __init__


def _watch_attribute(cls: type, name: str, changed: Any) -> None:
    """``cls.name`` becomes a data descriptor over the instance's own ``__dict__`` entry."""

    def get(self: Any) -> Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def set_(self: Any, value: Any) -> None:
        values = self.__dict__
        before = values.get(name, _MISSING)
        values[name] = value
        try:
            changed(self, before, value)
        except Exception as exc:  # never into the program
            changed.__self__._fail(exc)

    def delete(self: Any) -> None:
        try:
            del self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    setattr(cls, name, property(get, set_, delete))


def _reporting_size(original: Any, watch: ResourceWatch) -> Any:
    if original.__name__ == "put_nowait":
        def method(self: Any, item: Any) -> Any:
            result = original(self, item)
            watch.queue_changed(self)
            return result
    else:
        def method(self: Any) -> Any:  # type: ignore[misc]
            result = original(self)
            watch.queue_changed(self)
            return result

    method.__wrapped__ = original  # type: ignore[attr-defined]
    method.__doc__ = original.__doc__
    method.__qualname__ = original.__qualname__
    method.__name__ = original.__name__
    return method
