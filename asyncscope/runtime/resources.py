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

A program may make and use 100,000 of these a second, so the common cases have a compiled
copy (``ResourceCall`` and ``ResourceAttr`` in ``_hotpath.c``: the ``__init__`` and queue
wrappers, and a ``__setattr__`` on each class in place of the descriptor, which stores
through ``object.__setattr__``: a descriptor has to write through ``obj.__dict__``, and
asking for it gives every lock a dict of its own). They share this class's counter and
caches and come back here for everything else (a creating line not seen yet, a condition,
a semaphore's holders, a failure). tests/test_hotpath.py compares the two paths' events.
"""

from __future__ import annotations

import linecache
import re
import sys
from asyncio import events, locks, queues, tasks
from typing import TYPE_CHECKING, Any

from asyncscope.runtime import compiled_hot_path
from asyncscope.runtime.clock import PERF_IS_MONOTONIC
from asyncscope.runtime.clock import real_perf_ns as _perf_ns
from asyncscope.runtime.emit import BATCH_SIZE

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
_SEMAPHORES = ("Semaphore", "BoundedSemaphore")


class ResourceWatch:
    """Gives every resource an id and reports its changes through the tracer's emitter."""

    def __init__(self, tracer: Tracer) -> None:
        self.tracer = tracer
        self._ids: Any = {}
        """``id(obj)`` → resource id. A new object at a reused address registers again in
        its ``__init__`` (asyncio's own clear it), so a stale entry is always overwritten
        or gone before it is read."""
        self._holders: dict[int, int | tuple[int, ...]] = {}
        """Resource → the tasks holding it, while any do: a lock's one holder as its id, a
        semaphore's as a tuple. Neither is a container the garbage collector counts: a
        tuple per held lock made 100,000 locks run a tenth more collections."""
        self._pure_counter = _Counter()
        self._counter: Any = self._pure_counter
        """``count``: the last resource id given (the compiled path's core once installed)."""
        self._sites: dict[tuple[Any, int], tuple[str, str, list[str] | None, list[int]]] = {}
        """(code, line) → what that creating line says (see :meth:`_site`)."""
        self._code_sites: dict[int, tuple[Any, dict[int, tuple[Any, ...]]]] = {}
        """``id(code)`` → (code, {instruction offset: its line's entry in ``_sites``}): the
        same, as the compiled path looks it up (an id and an int hash cheaply; a code object
        hashes its constants)."""
        self._kinds: dict[type, str] = {}
        self._told = False
        self._clock = tracer.clock
        self._queue = tracer.emitter.queue
        self._encode = tracer.emitter.encode
        self._flush = tracer.emitter.flush

    # -- installation -------------------------------------------------------------------

    def install(self, steps: Any = None) -> None:
        """Watch every resource class; ``steps`` is the compiled ``TaskStepHandle._run``
        when the hot path is compiled (it knows which loop runs a step on each thread)."""
        core = self._compiled_core(steps)
        watch = self
        for cls in KINDS:
            if "__init__" in cls.__dict__:
                original = cls.__dict__["__init__"]
                cls.__init__ = (_registering(original, watch) if core is None  # type: ignore[misc]
                                else _like(core.wrap(original, 0), original))
        for cls, name, changed, mode in ((locks.Lock, "_locked", self._lock_changed, 0),
                                         (locks.Semaphore, "_value", self._semaphore_changed, 1),
                                         (locks.Event, "_value", self._event_changed, 2)):
            if core is None:
                setattr(cls, name, _WriteWatch(name, changed))
            else:  # a __setattr__: a descriptor would make every instance build a __dict__ (see _hotpath.c)
                cls.__setattr__ = _like(core.attribute(name, mode, changed), object.__setattr__)  # type: ignore[method-assign]
        for name in ("put_nowait", "get_nowait"):
            original = queues.Queue.__dict__[name]
            setattr(queues.Queue, name, _reporting_size(original, watch) if core is None
                    else _like(core.wrap(original, 1), original))

    def _compiled_core(self, steps: Any) -> Any:
        """The compiled hooks' shared state, or None (pure path, or it would not start)."""
        hot = compiled_hot_path()
        if hot is None:
            return None
        tracer = self.tracer
        emitter = tracer.emitter
        try:
            ids = hot.IdTable()  # the same get/pop/[] as the dict, stored flat (see _hotpath.c)
            for key, rid in self._ids.items():
                ids[key] = rid
            core = hot.ResourceCore(
                watch=self, ids=ids, holders=self._holders, code_sites=self._code_sites, kinds=self._kinds,
                outermost=_OUTERMOST, find_outermost=_outermost, condition=locks.Condition,
                clock=self._clock, perf_ns=_perf_ns, monotonic=PERF_IS_MONOTONIC, encode=emitter.encode,
                queue=emitter.queue, flush=emitter.flush, batch_size=BATCH_SIZE,
                get_running_loop=events._get_running_loop, current_task=tasks.current_task,
                task_ids=tracer._ids, failed_task_ids=tracer._failed, steps=steps, plain_qsize=queues.Queue.qsize,
            )
        except Exception as exc:  # an extension built from other sources than these
            tracer.internal_error(f"the compiled resource hooks could not start ({type(exc).__name__}: {exc});"
                                  " running the pure-Python ones")
            return None
        core.count = self._counter.count
        self._counter = core
        self._ids = ids
        return core

    # -- identities ---------------------------------------------------------------------

    def register(self, obj: Any, frame: Any = None) -> None:
        """Say ``obj`` was made; ``frame`` is the one that made it (by default the caller of
        the ``__init__`` wrapper that calls this)."""
        try:
            frame = frame or sys._getframe(2)
            line = frame.f_lineno
            code = frame.f_code
            site = self._sites.get((code, line))
            if site is None:
                site = self._site(code, line)
            if self._counter is not self._pure_counter:  # compiled: teach it this line for next time
                known = self._code_sites.get(id(code))
                if known is None or known[0] is not code:
                    known = self._code_sites[id(code)] = (code, {})
                known[1][frame.f_lasti] = site
            del frame
            where, origin, names, made = site
            if names is None:
                # Made by asyncio itself (a queue's Event, a condition's Lock): said only if
                # a task ever waits on it (resource_id), and nothing kept until then (a
                # program with 100,000 queues would otherwise pay for 100,000 inner events,
                # and keep them). A dead resource's id at this address must not name it.
                self._ids.pop(id(obj), None)
                return
            name = None
            if names:
                made[0] += 1
                name = names[made[0] % len(names)]
            lock = None
            if isinstance(obj, locks.Condition):
                lock = self._condition_lock(obj, name, where, origin)
            self._made(obj, name, where, origin, lock)
        except Exception as exc:  # never into the program
            self._fail(exc)

    def _made(self, obj: Any, name: str | None, where: str | None, origin: str, lock: int | None = None) -> int:
        """Give ``obj`` an id and say it exists (a tuple laid out like ResourceCreated:
        the same bytes on the wire, cheaper to build)."""
        counter = self._counter
        counter.count += 1
        rid = counter.count
        self._ids[id(obj)] = rid
        cls = type(obj)
        kind = self._kinds.get(cls) or self.kind_of(cls)
        values = obj.__dict__  # what each kind holds (a lock made by a subclass with a _maxsize has none)
        self._send(("resource", self._now(), rid, kind, cls.__name__, name, where, origin,
                    values.get("_value") if kind in _SEMAPHORES else None,
                    values.get("_maxsize") if kind.endswith("Queue") else None,
                    values.get("_parties") if kind == "Barrier" else None, lock))
        return rid

    def kind_of(self, cls: type) -> str:
        """The asyncio class ``cls`` is or derives from (remembered)."""
        kind = self._kinds[cls] = next((k.__name__ for k in KINDS if issubclass(cls, k)), cls.__name__)
        return kind

    def _condition_lock(self, condition: Any, name: str | None, where: str | None, origin: str) -> int | None:
        """The id of a condition's lock; one the condition made itself is said now, known
        by the condition's name and line (``cond.lock``)."""
        lock = condition.__dict__.get("_lock")
        if lock is None:
            return None
        rid = self._ids.get(id(lock))
        if rid is None:
            rid = self._made(lock, f"{name or f'Condition-{self._counter.count + 2}'}.lock", where, "asyncio")
            if lock.__dict__.get("_locked"):
                self._report(rid)
        return rid

    def _site(self, code: Any, line: int) -> tuple[str, str, list[str] | None, list[int]]:
        """What a creating line says, worked out once per line: where, whose, the names it
        assigns (None for asyncio's own lines, whose resources are quiet), and how many it
        has made (``a, b = Lock(), Lock()`` names them in turn)."""
        where = f"{code.co_filename}:{line}"
        inside = code.co_filename.startswith(_ASYNCIO_DIR)
        origin = "asyncio" if inside else self.tracer.origin(code)
        names = None if inside else self._names_at(code.co_filename, line)
        site = self._sites[(code, line)] = (where, origin, names, [-1])
        return site

    def _now(self) -> float:
        """Program time, as a task step's event is stamped (the program runs: not held)."""
        clock = self._clock
        return (_perf_ns() - clock.origin_ns) / 1e9 if clock.started else 0.0

    def _send(self, event: tuple[Any, ...]) -> None:
        queue = self._queue
        queue.append(self._encode(event))
        if len(queue) >= BATCH_SIZE:
            self._flush()

    def resource_id(self, obj: Any) -> int | None:
        """The id of a resource a task waits on; one of asyncio's own is said now, the
        first time a task waits on it (its holder, if it is a lock already held, unknown)."""
        rid = self._ids.get(id(obj))
        if rid is None and isinstance(obj, KINDS):
            try:
                rid = self._made(obj, None, None, "asyncio")
                kind = self._kinds[type(obj)]
                values = obj.__dict__
                if kind in _SEMAPHORES:
                    self._report(rid, value=values.get("_value"))
                elif kind == "Event":
                    self._report(rid, set_=bool(values.get("_value")))
                elif kind.endswith("Queue"):
                    self._report(rid, size=obj.qsize())
            except Exception as exc:  # never into the program
                self._fail(exc)
        return rid

    @staticmethod
    def _names_at(file: str, line: int) -> list[str]:
        """The names the line gives what it makes: ``lock_b = asyncio.Lock()`` →
        ``lock_b``; ``{"A": asyncio.Lock(), "B": ...}`` → ``locks["A"]``, then ``locks["B"]``
        (one per object made there, in turn)."""
        text = linecache.getline(file, line)
        keys = _DICT_KEYS.findall(text)
        match = _ASSIGNED.match(text)
        targets = [name.strip().removeprefix("self.") for name in match.group(1).split(",")] if match else []
        if keys:  # locks = {"A": asyncio.Lock(), ...} → locks["A"]
            return [f'{targets[0]}["{key}"]' if len(targets) == 1 else key for key in keys]
        return targets  # lock = asyncio.Lock(); event, lock = asyncio.Event(), asyncio.Lock()

    # -- changes --------------------------------------------------------------------------

    def _current(self) -> int | None:
        loop = events._get_running_loop()
        if loop is None:
            return None
        task = tasks.current_task(loop)
        if task is None:
            return None
        tid = self.tracer.known_task_id(task)
        # Not known yet: an eager task's first step (3.12+), which runs inside create_task,
        # before the task is registered. Registered now, as its creator is still at hand.
        return tid if tid is not None else self.tracer.task_id(task)

    def _report(self, rid: int, value: int | None = None, size: int | None = None, set_: bool | None = None) -> None:
        # A tuple laid out like ResourceState; holders a tuple where the Struct says list:
        # encoded the same, and not tracked by the garbage collector. _now and _send
        # inlined: a program may change 100,000 resources a second.
        clock = self._clock
        queue = self._queue
        holders = self._holders.get(rid, ())
        if type(holders) is int:
            holders = (holders,)
        queue.append(self._encode(("res-state", (_perf_ns() - clock.origin_ns) / 1e9 if clock.started else 0.0,
                                   rid, holders, value, size, set_)))
        if len(queue) >= BATCH_SIZE:
            self._flush()

    def _lock_changed(self, obj: Any, before: Any, locked: Any) -> None:
        rid = self._ids.get(id(obj))
        if rid is None or before is _MISSING or bool(before) == bool(locked):
            return
        task = self._current() if locked else None
        if task is not None:
            self._holders[rid] = task
        else:
            self._holders.pop(rid, None)  # kept only while held: ids are never reused
        self._report(rid)

    def _semaphore_changed(self, obj: Any, before: Any, value: Any) -> None:
        rid = self._ids.get(id(obj))
        if rid is None or before is _MISSING or before == value:
            return
        held = self._holders.get(rid, ())
        holders = [held] if isinstance(held, int) else list(held)
        task = self._current()
        if value < before:
            if task is not None:
                holders.append(task)
        elif task in holders:
            holders.remove(task)
        elif holders:
            holders.pop(0)  # released by a task that does not hold it: the longest holder gives way
        if holders:
            self._holders[rid] = tuple(holders)
        else:
            self._holders.pop(rid, None)
        self._report(rid, value=value)

    def _event_changed(self, obj: Any, before: Any, value: Any) -> None:
        rid = self._ids.get(id(obj))
        if rid is None or before is _MISSING or bool(before) == bool(value):
            return
        self._report(rid, set_=bool(value))

    def queue_changed(self, obj: Any) -> None:
        try:
            rid = self._ids.get(id(obj))
            if rid is not None:
                self._report(rid, size=obj.qsize())
        except Exception as exc:  # never into the program
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        if not self._told:
            self._told = True
            self.tracer.internal_error(f"cannot follow an asyncio lock or queue ({type(exc).__name__}: {exc})")


class _Counter:
    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


def _like(compiled: Any, original: Any) -> Any:
    """What code that inspects a class's methods reads off a function."""
    compiled.__wrapped__ = original
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        if hasattr(original, attribute):
            setattr(compiled, attribute, getattr(original, attribute))
    return compiled


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
    outermost = _OUTERMOST.get

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if (outermost(type(self)) or _outermost(type(self))) is __init__:
            watch.register(self)  # once, by the most derived asyncio class's __init__

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    __init__.__doc__ = original.__doc__
    __init__.__qualname__ = original.__qualname__
    return __init__


class _WriteWatch:
    """A data descriptor with no ``__get__``: Python then reads the attribute from the
    instance's ``__dict__`` as if nothing were there (asyncio reads ``_locked`` and
    ``_value`` far more often than it writes them), while every write comes here."""

    __slots__ = ("name", "changed")

    def __init__(self, name: str, changed: Any) -> None:
        self.name = name
        self.changed = changed

    def __set__(self, obj: Any, value: Any) -> None:
        values = obj.__dict__
        name = self.name
        before = values.get(name, _MISSING)
        values[name] = value
        if before is _MISSING:
            return  # the first write, in __init__: nothing changed (and not registered yet)
        try:
            self.changed(obj, before, value)
        except Exception as exc:  # never into the program
            self.changed.__self__._fail(exc)

    def __delete__(self, obj: Any) -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


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
