"""The tracer: what the instrumented loop knows about tasks, and the events it sends.

The hooks that feed it live in ``hooks.py``, which imports this module and never the other
way round (``hooks.install(tracer)``); this module owns task identities, creation
sites, await chains, waits, deadlock reports and asyncio's own warnings.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import traceback
import types
import weakref
from asyncio import events, tasks
from typing import TYPE_CHECKING, Any

from asyncscope.events import Code, Diagnostic, Fact, Step, TaskRenamed, TaskWait, Wait
from asyncscope.runtime.clock import real_perf_ns, real_sleep
from asyncscope.runtime.imports import when_imported
from asyncscope.runtime.resources import ResourceWatch

if TYPE_CHECKING:
    from asyncscope.runtime.capture import OutputCapture
    from asyncscope.runtime.clock import Clock
    from asyncscope.runtime.emit import Emitter
    from asyncscope.runtime.gate import Gate

__all__ = ["Tracer"]

_TASK_TYPES: tuple[type, ...] = tuple(
    {t for t in (tasks.Task, getattr(tasks, "_PyTask", None), getattr(tasks, "_CTask", None)) if t}
)
_INTERNAL_COROS = frozenset(
    {"BaseEventLoop.shutdown_asyncgens", "BaseEventLoop.shutdown_default_executor"}
)
_SYNC_CLASSES = frozenset(
    {"Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore", "Queue",
     "PriorityQueue", "LifoQueue", "Barrier"}
)
_IO_FILES = frozenset(
    {"streams.py", "selector_events.py", "unix_events.py", "base_subprocess.py",
     "subprocess.py", "sslproto.py", "proactor_events.py"}
)
_ASYNCIO_DIR = os.path.dirname(asyncio.__file__) + os.sep
# Only the runtime's own frames are ours: built-in scenarios live inside the installed
# package too, and they are user code.
_OWN_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_RUNPY = os.path.join(os.path.dirname(_ASYNCIO_DIR.rstrip(os.sep)), "runpy.py")
_LIB_PREFIXES = (_ASYNCIO_DIR, _OWN_DIR, "<frozen runpy>", _RUNPY)

_perf_ns = real_perf_ns


def _library_dirs() -> tuple[str, ...]:
    import site
    import sysconfig

    dirs = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        dirs.update(site.getsitepackages())
        dirs.add(site.getusersitepackages())
    except AttributeError:  # a virtualenv's old site.py
        pass
    return tuple(os.path.join(d, "") for d in dirs if d)


_LIBRARY_DIRS = _library_dirs()
_BUILTIN_SCENARIOS = os.path.join(os.path.dirname(_OWN_DIR.rstrip(os.sep)), "scenarios", "")
"""Built-in scenarios ship inside the package (in site-packages once installed); they are
the user's programs all the same."""


def _origin_of(filename: str) -> str:
    if filename.startswith(_LIB_PREFIXES):
        return "asyncio"
    if filename.startswith(_BUILTIN_SCENARIOS):
        return "user"
    if filename.startswith(_LIBRARY_DIRS) or filename.startswith("<frozen") or (
            os.sep + "site-packages" + os.sep in filename or os.sep + "dist-packages" + os.sep in filename):
        return "library"
    return "user"
_current_task = tasks.current_task
_get_ident = threading.get_ident
_HANDLE_RUN = events.Handle._run.__code__

"""The one tracer of this process (set by :meth:`Tracer.install`)."""


class Tracer:
    """Turns what the loop does into events. One per child process."""

    def __init__(self, emitter: Emitter, clock: Clock, gate: Gate) -> None:
        self.emitter = emitter
        self.clock = clock
        self.gate = gate
        self.capture: OutputCapture | None = None
        self._emit = emitter.emit
        self._own_ns = emitter.own_ns
        self._append = emitter.queue.append  # hot paths: encode and queue, no call in between
        self._encode = emitter.encode
        self._ids: dict[int, int] = {}
        """id(task) -> our task id, for tasks not finished yet. A finished task leaves at
        once (so a new object at the same address is never mistaken for it), and so does
        one destroyed while pending (asyncio reports that through the exception handler).
        A weakref per task would be simpler, but measured ~25% slower on task churn
        because of the extra work it gives the garbage collector."""
        self._names: dict[int, str] = {}
        """Our task id -> the name last reported, to notice renames off the hot path."""
        self._failed: dict[int, int] = {}
        """id(task) -> task id for failed tasks, so they are still named when asyncio says,
        from their finaliser, that their exception was never retrieved. (A weakref cannot
        serve: for objects in a reference cycle it is cleared before the finaliser runs.)
        Capped; a stale entry can only misname a later never-retrieved *Future*."""
        self._next_tid = 1
        self._codes: dict[Any, int] = {}
        self._lib_code: dict[Any, bool] = {}
        self._chain_codes: dict[int, tuple[int, bool, bool, Any, dict[int, int]]] = {}
        """Per code object in await chains, by ``id()``: its code id, is it asyncio's/ours, is
        it a resource's method, the code object itself (which keeps the ``id`` from being
        reused), and the compiled path's cache of its lines by instruction offset (working
        out a frame's line scans the code's line table: 4% of a server's run). Keyed by
        ``id`` because hashing a code object hashes its constants every time: with four
        frames a step, that was a tenth of a waiting step's cost."""
        self._lib_waits: dict[int, Wait] = {}
        """Per innermost asyncio code object, by ``id()`` (the code is kept alive in
        ``_chain_codes``): what a wait in it is (see :func:`_lib_wait`)."""
        self._lib_wait_bytes: dict[int, bytes] = {}
        """The same waits msgpack-encoded, which the compiled path copies into its steps."""
        self._origins: dict[str, str] = {}
        """``co_filename`` → whose file it is (see :meth:`origin`): keyed by the file's name,
        not the code object, since hashing a code object walks its constants every time
        (one task made per request paid it on each creation)."""
        self._sleep_until: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self.executor_futures = PendingFutures()
        """asyncio futures of ``run_in_executor`` (to say "waits for a thread")."""
        self._cancelled_by: dict[int, str] = {}
        self._in_shutdown = 0
        self._last_scheduled: int | None = None
        self._creating: list[tuple[Any, Any, Any]] = []
        """(creating task, creating frame, coroutine) while create_task runs (3.12+, eager tasks)."""
        self.own_threads: set[threading.Thread] = set()
        self.on_deadlock: Any = None
        self._internal_errors: set[str] = set()
        self.loop_threads: set[int] = set()
        """Idents of the threads that have run an event loop (added as the loop is made)."""
        self._told_several_loops = False
        self.told_datetime = False
        self._modules_seen = 0
        self.signals = SignalWatch()
        self.pools = PoolWatch()
        self.resources = ResourceWatch(self)

    # -- identities -------------------------------------------------------------------

    def task_id(self, task: Any) -> int:
        """Our id for ``task``, registering it (a ``TaskCreated`` event) on first sight."""
        tid = self._ids.get(id(task))
        if tid is None:
            tid = self._register(task)
        return tid

    @property
    def tasks_seen(self) -> int:
        return self._next_tid - 1

    def task_name(self, tid: int) -> str:
        """The name of a task that has not finished yet (for diagnostics)."""
        return self._names.get(tid) or f"task {tid}"

    def known_task_id(self, task: Any) -> int | None:
        tid = self._ids.get(id(task))
        if tid is None:
            tid = self._failed.get(id(task))
        return tid

    def _register(self, task: Any, depth: int = 2, coro: Any = None) -> int:
        """Give ``task`` an id and report it. ``depth`` skips our own frames when looking
        for the user's line that created it (frames are materialised as they are walked,
        so starting past ours is measurably cheaper on task churn).

        Its common case has a compiled copy (``register_task`` in ``_hotpath.c``): a change
        here is a change there too; tests/test_hotpath.py compares the two paths' events."""
        began = _perf_ns()
        tid = self._next_tid
        self._next_tid = tid + 1
        self._ids[id(task)] = tid
        parent = None
        current = _current_task(task.get_loop())
        creating = self._creating
        if (current is task or coro is not None) and creating:
            # Registered from inside its own eager first step (3.12+), or just after it:
            # the creator is the frame and task that called create_task, and the
            # coroutine the one it was given, stashed by that wrapper.
            current, frame, coro = creating[-1]
        else:
            try:
                frame = sys._getframe(depth)
            except ValueError:
                frame = None
            coro = _task_coro(task)
        qualname = getattr(coro, "__qualname__", None) or type(coro).__name__
        if current is not None and current is not task:
            parent = self._ids.get(id(current)) or self.task_id(current)
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
        origin = self.origin(code) if code is not None else "asyncio"  # aclose() of a dropped generator...
        internal = (origin != "user" or bool(self._in_shutdown) or qualname in _INTERNAL_COROS)
        name = self._names[tid] = task.get_name()
        callback = None
        if current is None and frame is not None:
            callback, where = self._creating_callback(frame)
        else:
            where = self.user_site(frame)
        if where is None and origin == "user":
            where = f"{code.co_filename}:{code.co_firstlineno}"  # e.g. Thread(target=asyncio.run)
        now = (_perf_ns() - self.clock.origin_ns) / 1e9
        # A tuple laid out like TaskCreated: the same bytes on the wire, cheaper to build.
        self._append(self._encode(("created", now, tid, name, qualname, parent, where, internal, origin, callback)))
        own, me, spent = self._own_ns, _get_ident(), _perf_ns() - began
        own[me] = own.get(me, 0) + spent  # ours, not the program's (see Watchdog)
        self.clock.discount(spent)
        return tid

    def _creating_callback(self, frame: Any) -> tuple[str | None, str | None]:
        """A task made outside any task: by a loop callback (a server's connection
        handler, ``call_soon(create_task, ...)``) or by top-level code. For a callback,
        its qualified name and the innermost line of the program's code inside it (or
        the callback's own line); for top-level code, no callback and the user's line."""
        below = None
        walk = frame
        while walk is not None:
            if walk.f_code is _HANDLE_RUN:
                if below is None:
                    return None, self.user_site(frame)
                # The program's line inside the callback, if it has one; else the
                # coroutine's own definition stands in (see _register).
                return below.f_code.co_qualname, self.user_site(frame, stop=walk)
            below = walk
            walk = walk.f_back
        return None, self.user_site(frame)

    def origin(self, code: Any) -> str:
        """``user``, ``library`` or ``asyncio``: whose code this is (cached per code object)."""
        filename = code.co_filename
        origin = self._origins.get(filename)
        if origin is None:
            origin = self._origins[filename] = _origin_of(filename)
        return origin

    def code_id(self, code: Any) -> int:
        cid = self._codes.get(code)
        if cid is None:
            cid = len(self._codes) + 1
            self._codes[code] = cid
            self._emit(
                Code(cid, code.co_qualname, code.co_filename, code.co_firstlineno, self.is_lib(code))
            )
        return cid

    def is_lib(self, code: Any) -> bool:
        lib = self._lib_code.get(code)
        if lib is None:
            lib = code.co_filename.startswith(_LIB_PREFIXES)
            self._lib_code[code] = lib
        return lib

    def user_site(self, frame: Any, stop: Any = None) -> str | None:
        """``file:line`` of the innermost frame of the program's own code: not asyncio,
        asyncscope, the standard library or an installed package (a blocking ``re.match``
        is reported at the user's line that called it, not inside ``re``). The walk
        outwards ends before ``stop`` when given."""
        origins = self._origins
        while frame is not None and frame is not stop:
            code = frame.f_code
            origin = origins.get(code.co_filename)
            if origin is None:
                origin = self.origin(code)
            if origin == "user":
                return f"{code.co_filename}:{frame.f_lineno}"
            frame = frame.f_back
        return None

    # -- task steps -------------------------------------------------------------------

    def after_step(self, task: Any, tid: int, dur_ns: int) -> None:
        """Report a step that ran outside a :class:`TaskStepHandle` (an eager first step)."""
        if task.done():
            self._finished(task, tid, dur_ns)
        else:
            self.suspended(task, tid, dur_ns, task._fut_waiter)
        capture = self.capture
        if capture is not None and capture.pending:
            capture.flush_partial()

    def _check_name(self, task: Any, tid: int) -> None:
        name = task.get_name()
        if self._names.get(tid) != name:
            self._names[tid] = name
            self._emit(TaskRenamed(self.clock.now(), tid, name))

    def suspended(self, task: Any, tid: int, dur_ns: int, waiter: Any) -> None:
        self._check_name(task, tid)
        if waiter is None:
            self._emit(Step(self.clock.now(), tid, dur_ns, None, None))
        else:
            chain, lib_code, sync = self.await_chain(task)
            wait = self.describe(waiter, lib_code, sync)
            # A tuple laid out like Step (see TaskCreated above), stamped as the compiled
            # step stamps a bare yield (the program is running, so not held: see Clock).
            now = (_perf_ns() - self.clock.origin_ns) / 1e9
            self._append(self._encode(("step", now, tid, dur_ns, wait, chain)))

    def _finished(self, task: Any, tid: int, dur_ns: int) -> None:
        """A task ended. Its common case (returned, not renamed, no cancellation cause) has a
        compiled copy (``finish_task`` in ``_hotpath.c``): change both together."""
        name = task.get_name()
        if self._names.pop(tid, None) != name:
            self._emit(TaskRenamed(self.clock.now(), tid, name))
        key = id(task)
        self._ids.pop(key, None)
        result = error = tb = cancelled_by = None
        if task.cancelled():
            state = "cancelled"
        else:
            # Read the private fields: task.exception() would mark the exception as
            # retrieved and silence asyncio's "exception was never retrieved" warning.
            exc = task._exception
            if exc is None:
                state = "done"
                result = _describe_result(task._result)
            else:
                state = "failed"
                error = _safe_repr_exc(exc)
                tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                failed = self._failed
                failed[key] = tid
                if len(failed) > 10_000:
                    del failed[next(iter(failed))]
        if self._cancelled_by:
            cancelled_by = self._cancelled_by.pop(tid, None) if state == "cancelled" else None
            self._cancelled_by.pop(tid, None)
        now = (_perf_ns() - self.clock.origin_ns) / 1e9
        # A tuple laid out like TaskDone (see TaskCreated above).
        self._append(self._encode(("done", now, tid, dur_ns, state, result, error, tb, cancelled_by)))

    def await_chain(self, task: Any) -> tuple[list[int], Any, Any]:
        """The await chain, outermost first; the innermost asyncio code object in it; and
        the frame of the resource method the task waits in, if any (see :meth:`_sync_frame`).

        Awaiting a coroutine runs it inside the *same* task, so the chain is how
        ``main -> say_after -> sleep`` is shown without any new task.

        Every step that waits walks this (a server's steps all do), so what a code object
        says (its id, whether it is asyncio's or ours, whether it is a resource's method)
        is looked up once per code, and coroutines and generators are read directly
        rather than by trying each kind's attributes in turn.
        """
        chain: list[int] = []
        append = chain.append
        lib_code = None
        sync: list[Any] = []
        known = self._chain_codes
        coro = _task_coro(task)
        depth = 0
        while coro is not None and depth < 64:
            depth += 1
            kind = type(coro)
            if kind is _COROUTINE:
                frame = coro.cr_frame
                after = coro.cr_await
            elif kind is _GENERATOR:
                frame = coro.gi_frame
                after = coro.gi_yieldfrom
            elif kind in _FRAMELESS:
                break
            else:
                frame = _frame_of(coro)
                if frame is None:
                    _learn_frameless(kind)
                    break
                after = _awaited_by(coro)
            if frame is None:
                break
            code = frame.f_code
            facts = known.get(id(code))
            if facts is None:
                lib = self.is_lib(code)
                facts = known[id(code)] = (self.code_id(code), lib,
                                           lib and code.co_qualname.split(".", 1)[0] in _SYNC_CLASSES, code, {})
            append(facts[0])
            append(frame.f_lineno)
            if facts[1]:
                lib_code = code
                if facts[2]:
                    sync.append(frame)
            coro = after
        return chain, lib_code, _sync_frame(sync)

    def describe(self, waiter: Any, lib_code: Any, sync: Any = None) -> Wait:
        """What a suspended task waits on, from the future it is blocked on (and, for a
        lock, event, queue and the like, the frame of the resource's method it waits in)."""
        if isinstance(waiter, _TASK_TYPES):
            return Wait("task", tasks=[self.task_id(waiter)])
        until = self._sleep_until.get(waiter)
        if until is not None:
            return Wait("sleep", until=self.clock.loop_seconds(until))
        children = getattr(waiter, "_children", None)
        if children is not None and type(waiter).__name__ == "_GatheringFuture":
            ids = [self.task_id(c) for c in children if isinstance(c, _TASK_TYPES) and not c.done()]
            return Wait("gather", tasks=ids, count=len(children))
        if waiter in self.executor_futures:
            return Wait("thread", detail="run_in_executor")
        if sync is not None:
            owner = sync.f_locals.get("self")
            rid = self.resources.resource_id(owner) if owner is not None else None
            return Wait("sync", detail=sync.f_code.co_qualname, resource=rid)
        if lib_code is not None:
            wait = self._lib_waits.get(id(lib_code))
            if wait is None:  # the same for every wait in this code: made once (never changed)
                wait = self._lib_waits[id(lib_code)] = _lib_wait(lib_code)
                self._lib_wait_bytes[id(lib_code)] = self._encode(wait)
            return wait
        return _FUTURE_WAIT

    # -- idle, threads and deadlock ---------------------------------------------------

    def external_possible(self, loop: Any, selector: Any) -> bool | None:
        """Could anything outside the loop still wake it up? None when we cannot tell
        (a selector without a sized map): the caller then does what asyncio would."""
        self_pipe = 1 if getattr(loop, "_ssock", None) is not None else 0
        try:
            watched = len(selector.get_map())
        except Exception as exc:  # a custom or mock selector: never raise into the loop
            self.internal_error(f"cannot inspect the loop's selector ({type(exc).__name__}); "
                                "this loop's idle waits are left as they are")
            return None
        if watched > self_pipe:
            return True
        if getattr(loop, "_signal_handlers", None):
            return True
        if self.signals.user_handlers():
            return True
        if self.executor_futures.busy() or self.pools.busy():
            return True
        busy = self._busy_thread()
        if busy is None:
            return False
        if busy.ident in self.loop_threads and not self._told_several_loops:
            # Another thread runs a loop of its own: skipping idle time here would move
            # that loop's clock under it, so every idle wait is real while both run.
            self._told_several_loops = True
            count = len({t.ident for t in threading.enumerate()} & self.loop_threads)
            self._emit(Diagnostic(self.clock.now(), "several-loops", None, None, {"count": count}))
        return True

    def _busy_thread(self) -> threading.Thread | None:
        """A thread of the program that may still do something on its own.

        A thread parked where only another thread can wake it does not count: an idle
        ``ThreadPoolExecutor`` worker waiting for work, or a thread waiting without a
        timeout on a lock, condition, event or ``join`` (the main thread joining the
        thread that runs the loop, say). Any other live thread may call
        ``call_soon_threadsafe`` at any moment, so the clock must not skip past it.
        """
        current = threading.current_thread()
        for attempt in range(2):
            frames = None
            for thread in threading.enumerate():
                if thread is current or thread in self.own_threads:
                    continue
                if frames is None:
                    frames = sys._current_frames()
                frame = frames.get(thread.ident)  # type: ignore[arg-type]
                if frame is None or not _parked(frame):
                    return thread
            if frames is None:
                return None  # no thread of the program's at all
            if attempt == 0:
                # Every thread looks parked. One may just have been woken (its join()
                # target ended, its lock was released) and not yet had the GIL to move
                # on: give it a moment, then look again.
                real_sleep(0.0005)
        return None

    def confirm_deadlock(self, loop: Any, selector: Any) -> bool:
        """Look again, a moment later, before calling a wait a deadlock: a worker thread
        may be between finishing a job and waking the loop (a future is marked done a
        moment before its callbacks run)."""
        began = real_perf_ns()
        for _ in range(3):
            if selector.select(0.01):
                return False
            if self.external_possible(loop, selector) is not False:
                return False
        # The looks were ours: the program's clock stops where the deadlock began.
        self.clock.discount(real_perf_ns() - began)
        return True

    def check_datetime(self) -> None:
        """After idle time was skipped: does the program use ``datetime``? Its ``now()``,
        ``today()`` and ``utcnow()`` read the system clock in C, which cannot be given the
        program's time, so they now lag ``time.time()``: say so, once. Looks again only
        when modules were imported since the last look."""
        modules = sys.modules
        if len(modules) == self._modules_seen:
            return
        self._modules_seen = len(modules)
        datetime = modules.get("datetime")
        if datetime is None:
            return
        suspects = (datetime, getattr(datetime, "datetime", None), getattr(datetime, "date", None))
        for module in list(modules.values()):
            file = getattr(module, "__file__", None)
            if not isinstance(file, str) or _origin_of(file) != "user":
                continue
            if any(value is suspect for value in vars(module).values() for suspect in suspects):
                self.told_datetime = True
                self._emit(Diagnostic(self.clock.now(), "datetime-real", None, file))
                return

    def internal_error(self, message: str) -> None:
        """Say once that asyncscope could not do something; never raise into the program."""
        if message in self._internal_errors:
            return
        self._internal_errors.add(message)
        self._emit(Diagnostic(self.clock.now(), "internal-error", None, None, {"error": message}))

    def deadlock(self, loop: Any) -> None:
        """Nothing is ready and nothing can ever wake the loop: report who waits on what."""
        waits = []
        for task in tasks.all_tasks(loop):
            if task.done():
                continue
            tid = self.task_id(task)
            waiter = task._fut_waiter
            chain, lib_code, sync = self.await_chain(task)
            wait = self.describe(waiter, lib_code, sync) if waiter is not None else None
            waits.append(TaskWait(tid, task.get_name(), wait, self._innermost_user_line(task)))
        waits.sort(key=lambda item: item.task)  # all_tasks() is a weak set: its order varies
        tid, where = (waits[0].task, waits[0].where) if waits else (None, None)
        self._emit(Diagnostic(self.clock.now(), "deadlock", tid, where, waits=waits))
        if self.on_deadlock is not None:
            self.on_deadlock()

    def _innermost_user_line(self, task: Any) -> str | None:
        where = None
        coro = _task_coro(task)
        while coro is not None:
            frame = _frame_of(coro)
            if frame is None:
                break
            if not self.is_lib(frame.f_code):
                where = f"{frame.f_code.co_filename}:{frame.f_lineno}"
            coro = _awaited_by(coro)
        return where

    # -- diagnostics from asyncio itself ----------------------------------------------

    def on_exception_context(self, context: dict[str, Any]) -> None:
        message = str(context.get("message", ""))
        task = context.get("task") or context.get("future")
        # Called from a finalizer: look the task up, never register it.
        tid = self.known_task_id(task) if task is not None else None
        if message.startswith("Task was destroyed but it is pending"):
            if task is not None:
                self._ids.pop(id(task), None)
            self._emit(Diagnostic(self.clock.now(), "destroyed-pending", tid, None, _task_facts(task)))
        elif "exception was never retrieved" in message:
            if task is not None:
                self._failed.pop(id(task), None)
            exc = context.get("exception")
            error = type(exc).__name__ if exc is not None else None
            if exc is not None and str(exc):
                error = f"{error}: {exc}"
            facts = _task_facts(task)
            facts["error"] = error
            self._emit(Diagnostic(self.clock.now(), "exception-never-retrieved", tid, None, facts))

    def on_never_awaited(self, coro: Any, frame: Any) -> None:
        qualname = getattr(coro, "__qualname__", None) or repr(coro)
        where = None
        origin = getattr(coro, "cr_origin", None)
        if origin:
            for filename, lineno, _name in reversed(origin):
                if not filename.startswith(_LIB_PREFIXES):
                    where = f"{filename}:{lineno}"
                    break
        if where is None:
            where = self.user_site(frame)
        tid = None
        loop = events._get_running_loop()
        if loop is not None:
            current = _current_task(loop)
            if current is not None:
                tid = self.known_task_id(current)
        self._emit(Diagnostic(self.clock.now(), "never-awaited", tid, where, {"coro": qualname}))

    def on_shutdown_cancel(self, loop: Any) -> None:
        """``asyncio.run`` is about to cancel the tasks ``main`` left behind."""
        for task in tasks.all_tasks(loop):
            if task.done():
                continue
            tid = self.task_id(task)
            self._cancelled_by[tid] = "shutdown"
            coro = _task_coro(task)
            code = getattr(coro, "cr_code", None)
            if code is None or self.origin(code) != "user":
                continue  # asyncio's own clean-up (an async generator's aclose()), a library's task
            self._emit(Diagnostic(self.clock.now(), "cancelled-at-shutdown", tid, None,
                                  {"name": task.get_name(), "coro": _coro_name(task)}))

    def mark_cancelled_by(self, task: Any, cause: str) -> None:
        """Remember why ``task`` is being cancelled, and pass the cause on to what it
        awaits: cancelling a task cancels the task (or gather) it is suspended on.

        A cause is a fact, worded by the parent (``wording.cancel_cause``): ``shutdown``,
        ``taskgroup``, ``timeout`` or ``cancellation``, followed by ``@name`` when it came
        through the task named ``name``."""
        seen = 0
        while task is not None and not task.done() and seen < 32:
            seen += 1
            tid = self.task_id(task)
            self._cancelled_by.setdefault(tid, cause)
            waiter = task._fut_waiter
            if isinstance(waiter, _TASK_TYPES):
                cause = f"{cause.split('@')[0]}@{task.get_name()}"
                task = waiter
            elif type(waiter).__name__ == "_GatheringFuture":
                through = f"{cause.split('@')[0]}@{task.get_name()}"
                for child in getattr(waiter, "_children", ()):
                    if isinstance(child, _TASK_TYPES):
                        self.mark_cancelled_by(child, through)
                return
            else:
                return

def _frame_of(awaitable: Any) -> Any:
    """The frame of a coroutine, generator-based coroutine or async generator, if any."""
    return (
        getattr(awaitable, "cr_frame", None)
        or getattr(awaitable, "gi_frame", None)
        or getattr(awaitable, "ag_frame", None)
    )


def _awaited_by(awaitable: Any) -> Any:
    """What a suspended coroutine is itself awaiting (the next link of the chain)."""
    return (
        getattr(awaitable, "cr_await", None)
        or getattr(awaitable, "gi_yieldfrom", None)
        or getattr(awaitable, "ag_await", None)
    )


_COROUTINE = types.CoroutineType
_GENERATOR = types.GeneratorType
_FRAMELESS: set[type] = set()
"""Types met at the end of await chains that can have no frame (a future's ``__await__``
iterator, written in C): the walk stops at them without trying six attributes."""


def _learn_frameless(kind: type) -> None:
    """Remember a type with no frame: only one whose instances have no ``__dict__``, and
    none of whose class attributes names a frame, so that no instance can grow one."""
    if getattr(kind, "__dictoffset__", 1) == 0 and not any(
        hasattr(kind, name) for name in ("cr_frame", "gi_frame", "ag_frame", "cr_await", "gi_yieldfrom", "ag_await")
    ):
        _FRAMELESS.add(kind)


_FUTURE_WAIT = Wait("future")


def _lib_wait(lib_code: Any) -> Wait:
    """What a wait whose innermost asyncio code is ``lib_code`` is (when nothing more
    particular is known: no task, sleep, gather, executor or resource frame)."""
    qualname = lib_code.co_qualname
    if qualname.split(".", 1)[0] in _SYNC_CLASSES:
        return Wait("sync", detail=qualname)
    if os.path.basename(lib_code.co_filename) in _IO_FILES or ".sock_" in qualname:
        return Wait("io", detail=qualname)
    if qualname == "to_thread":
        return Wait("thread", detail="to_thread")
    return Wait("future", detail=qualname)


_GET_CORO_CRASHES = (3, 12, 0) <= sys.version_info[:3] < (3, 12, 2)
"""3.12.0 and 3.12.1 crash in ``get_coro()`` on an eager task that finished in its first
step (its coroutine pointer is NULL): never ask those for a finished task's coroutine."""


def _task_coro(task: Any) -> Any:
    """``task.get_coro()``, or None where asking would crash the interpreter."""
    if _GET_CORO_CRASHES and task.done():
        return None
    return task.get_coro()


def _task_facts(task: Any) -> dict[str, Fact]:
    """Name and coroutine of a task met in a finalizer (it may be half torn down)."""
    facts: dict[str, Fact] = {}
    try:
        facts["name"] = task.get_name()
        facts["coro"] = _coro_name(task)
    except Exception:
        facts.setdefault("name", repr(task))
    return facts


_ACQUIRES = frozenset({"Lock.acquire", "Semaphore.acquire", "BoundedSemaphore.acquire"})


def _sync_frame(frames: list[Any]) -> Any:
    """Which resource a task waits on, from the resource methods it is suspended in
    (outermost first): the outermost (``Queue.join``, not the ``Event.wait`` inside it;
    ``Barrier.wait``, not its condition), unless the innermost is taking a lock or a
    slot (``Condition.wait`` re-acquiring its lock waits for the lock's holder)."""
    if not frames:
        return None
    if frames[-1].f_code.co_qualname in _ACQUIRES:
        return frames[-1]
    return frames[0]


def _coro_name(task: Any) -> str:
    coro = _task_coro(task)
    return getattr(coro, "__qualname__", None) or type(coro).__name__


_PLAIN_TYPES = frozenset({int, float, complex, bool, str, bytes, type(None)})


def _describe_result(value: Any, limit: int = 200) -> str:
    """A task's result in a few characters, without running any of the program's code.

    ``repr()`` of a user object is a call into the program (CPython's own test suite
    checks that asyncio never makes it), so only built-in scalars are shown by value.
    """
    if type(value) in _PLAIN_TYPES:
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    kind = type(value)
    if kind in (list, tuple, dict, set, frozenset):
        return f"<{kind.__name__} of {len(value)}>"
    if kind.__module__ == "builtins":
        return f"<{kind.__qualname__}>"
    return f"<{kind.__module__}.{kind.__qualname__} object>"


def _safe_repr_exc(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<str failed>"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__




def _untimed_calls(function: Any, name: str) -> frozenset[tuple[Any, int]]:
    """``(code, line)`` of each call of ``.name()`` with no arguments in ``function``: a
    ``waiter.acquire()`` without a timeout, a ``_wait_for_tstate_lock()`` from ``join()``
    without one. Found in the bytecode, so no frame's locals need reading: reading the
    locals of a frame that another thread is running is not safe before 3.13."""
    import dis

    code = function.__code__
    found = set()
    instructions = list(dis.get_instructions(code))
    for index, instruction in enumerate(instructions):
        if instruction.argval != name or "ATTR" not in instruction.opname and "METHOD" not in instruction.opname:
            continue
        for after in instructions[index + 1:index + 4]:
            if after.opname in ("PRECALL", "CALL"):
                if after.arg == 0 and instruction.positions and instruction.positions.lineno:
                    found.add((code, instruction.positions.lineno))
                break
    return frozenset(found)


_PARKED_AT = _untimed_calls(threading.Condition.wait, "acquire") | _untimed_calls(threading.Thread.join,
                                                                                 "_wait_for_tstate_lock")
_TSTATE_WAIT = getattr(getattr(threading.Thread, "_wait_for_tstate_lock", None), "__code__", None)
_JOIN = threading.Thread.join.__code__


def _parked(frame: Any) -> bool:
    """Is the thread whose innermost frame this is parked until another thread wakes it?"""
    code = frame.f_code
    if code is _POOL_WORKER_CODE:
        # concurrent.futures' worker, waiting for its next work item (a job's own frames
        # would sit above it); whether work is queued is the caller's question.
        return frame.f_lineno in _POOL_WAIT_LINES
    if code is _TSTATE_WAIT:  # join() (3.11, 3.12): look at the line that called it
        frame = frame.f_back
        if frame is None:
            return False
        code = frame.f_code
    if (code, frame.f_lineno) in _PARKED_AT:
        return True
    if code is _JOIN and sys.version_info >= (3, 13):
        # 3.13 joins in C, from one line; reading another thread's frame locals is safe
        # from 3.13 on (PEP 667).
        return frame.f_locals.get("timeout", 0) is None
    return False


def _lines_calling(code: Any, name: str) -> frozenset[int]:
    import dis

    return frozenset(i.positions.lineno for i in dis.get_instructions(code)
                     if i.argval == name and i.positions and i.positions.lineno)


_POOL_WORKER_CODE: Any = None
_POOL_WAIT_LINES: frozenset[int] = frozenset()


def _know_pool_worker(module: Any) -> None:
    """concurrent.futures' thread pool is imported (by the program, or by asyncio's first
    ``run_in_executor``): learn where its idle workers wait, for :func:`_parked`."""
    global _POOL_WORKER_CODE, _POOL_WAIT_LINES
    worker = getattr(getattr(module, "_worker", None), "__code__", None)
    if worker is not None:
        _POOL_WAIT_LINES = _lines_calling(worker, "get")
        _POOL_WORKER_CODE = worker


when_imported("concurrent.futures.thread", _know_pool_worker)


class PendingFutures:
    """Futures not finished yet, pruned as they finish (and whenever the list grows long,
    in case the loop never idles to ask)."""

    def __init__(self) -> None:
        self._pending: list[Any] = []

    def add(self, future: Any) -> None:
        pending = self._pending
        if len(pending) > 256:
            pending[:] = [f for f in pending if not f.done()]
        pending.append(future)

    def busy(self) -> bool:
        pending = self._pending
        if pending:
            pending[:] = [f for f in pending if not f.done()]
        return bool(pending)

    def __contains__(self, future: Any) -> bool:
        return future in self._pending


class PoolWatch:
    """Futures handed out by ``Executor.submit`` that have not finished yet.

    Such a job, in a worker thread or process, may wake the loop when it ends (through
    ``wrap_future``, ``run_in_executor`` or its own ``call_soon_threadsafe``), so while one
    is pending the loop's idle time is real time and no deadlock can be proven.
    """

    def __init__(self) -> None:
        self._pending = PendingFutures()
        self._executors: weakref.WeakSet[Any] = weakref.WeakSet()
        """Thread pools seen: one with queued work (a job, or the None that tells its
        workers to exit at shutdown) has workers about to run, parked or not."""

    def busy(self) -> bool:
        if self._pending.busy():
            return True
        for executor in list(self._executors):
            queue = getattr(executor, "_work_queue", None)
            if queue is not None and not queue.empty():
                return True
        return False

    def install(self) -> None:
        add = self._pending.add
        executors = self._executors

        def watched(original: Any) -> Any:
            def submit(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
                future = original(self, fn, *args, **kwargs)
                add(future)
                executors.add(self)
                return future

            submit.__doc__ = original.__doc__
            submit.__qualname__ = original.__qualname__
            return submit

        def patch(module: Any, name: str) -> None:
            cls = getattr(module, name)
            cls.submit = watched(cls.submit)

        # Not before the program (or asyncio) imports them: the process pool's module
        # imports multiprocessing, ~7 ms of start-up the program may never need.
        when_imported("concurrent.futures.thread", lambda module: patch(module, "ThreadPoolExecutor"))
        when_imported("concurrent.futures.process", lambda module: patch(module, "ProcessPoolExecutor"))


class SignalWatch:
    """Signals for which the program installed a Python handler of its own.

    A handler may wake the loop (``call_soon_threadsafe``) when a signal comes from
    outside, so the loop waits for real and no deadlock is called while one is set.
    asyncio's own handlers do not count (``add_signal_handler``'s are counted through the
    loop, and the SIGINT handler of ``asyncio.run``/``Runner`` only cancels the main task),
    nor does Python's default SIGINT handler, or no deadlock could ever be found.
    """

    def __init__(self) -> None:
        self._user: dict[int, Any] = {}

    def user_handlers(self) -> bool:
        return bool(self._user)

    def install(self) -> None:
        import signal

        original = signal.signal
        user = self._user

        def signal_(signalnum: Any, handler: Any) -> Any:
            previous = original(signalnum, handler)
            try:
                number = int(signalnum)
            except (TypeError, ValueError):
                return previous
            if _is_user_handler(handler):
                user[number] = handler
            else:
                user.pop(number, None)
            return previous

        signal_.__doc__ = original.__doc__
        signal_.__name__ = signal_.__qualname__ = "signal"
        signal.signal = signal_  # type: ignore[assignment]


def _is_user_handler(handler: Any) -> bool:
    import functools
    import signal

    if not callable(handler) or handler is signal.default_int_handler:
        return False
    func = handler.func if isinstance(handler, functools.partial) else handler
    name = getattr(func, "__qualname__", "")
    module = getattr(func, "__module__", "") or ""
    return not (module.startswith("asyncio.") and name in ("Runner._on_sigint", "_sighandler_noop"))
