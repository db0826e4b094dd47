"""The instrumented event loop: task steps, task creation, waits, idle time.

Every loop the child creates is instrumented, however it is made (``asyncio.run``,
``Runner``, ``new_event_loop``, a custom policy), because the hooks are installed on the
loop *classes* (``BaseEventLoop``, ``BaseSelectorEventLoop``) rather than through a policy
the program could replace.

How a task step is seen: the C ``Task`` schedules each step and each wakeup through
``loop.call_soon``, and the callback's ``__self__`` is the task. ``_call_soon`` wraps those
callbacks in :class:`TaskStepHandle`, a ``Handle`` subclass whose ``_run`` brackets the step
(a subclass measured ~1.4x on task churn, a closure per callback ~1.8x). Eager tasks
(3.12+) run their first step inside ``create_task``, so that is wrapped too.

Nothing here reorders callbacks or adds any to the loop: handles are queued exactly where
asyncio would queue them, and the only delay is the gate's (see ``gate.py``).
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import sys
import threading
import time
import traceback
import types
import weakref
from asyncio import base_events, events, futures, runners, selector_events, tasks
from typing import TYPE_CHECKING, Any

from asyncscope import wording
from asyncscope.events import Code, Diagnostic, Step, TaskRenamed, Tick, Wait

if TYPE_CHECKING:
    from asyncscope.runtime.capture import OutputCapture
    from asyncscope.runtime.clock import Clock
    from asyncscope.runtime.emit import Emitter
    from asyncscope.runtime.gate import Gate

__all__ = ["Tracer", "TaskStepHandle"]

_TASK_TYPES: tuple[type, ...] = tuple(
    {t for t in (tasks.Task, getattr(tasks, "_PyTask", None), getattr(tasks, "_CTask", None)) if t}
)
_STEP_NAMES = frozenset(
    # The C Task's wakeup is the builtin "task_wakeup"; its step is a TaskStepMethWrapper,
    # found by _probe_step_callback_types. The pure-Python Task uses bound methods.
    {"task_wakeup", "__step", "__wakeup", "_Task__step", "_Task__wakeup"}
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

_Handle = events.Handle
_handle_run = events.Handle._run
_perf_ns = time.perf_counter_ns
_current_task = tasks.current_task

TRACER: Tracer | None = None
"""The one tracer of this process (set by :meth:`Tracer.install`)."""


class TaskStepHandle(_Handle):
    """A ``Handle`` for one task step: runs the step between the tracer's hooks.

    Its ``_run`` is set by :func:`_install_hooks`, as a closure over the tracer's state:
    this is the hottest path of the runtime, and local lookups are what keep a traced
    step within budget (see docs/performance.md).
    """

    __slots__ = ("_as_task", "_as_tid")


def _report_callback_error(handle: Any, exc: BaseException) -> None:
    """What ``Handle._run`` does when its callback raises (a task step never does)."""
    from asyncio import format_helpers

    callback = format_helpers._format_callback_source(handle._callback, handle._args)
    context = {"message": f"Exception in callback {callback}", "exception": exc, "handle": handle}
    if handle._source_traceback:
        context["source_traceback"] = handle._source_traceback
    handle._loop.call_exception_handler(context)


class Tracer:
    """Turns what the loop does into events. One per child process."""

    def __init__(self, emitter: Emitter, clock: Clock, gate: Gate) -> None:
        self.emitter = emitter
        self.clock = clock
        self.gate = gate
        self.capture: OutputCapture | None = None
        self._emit = emitter.emit
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
        self._sleep_until: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._executor_futures: list[asyncio.Future[Any]] = []
        self._cancelled_by: dict[int, str] = {}
        self._in_shutdown = 0
        self._last_scheduled: int | None = None
        self._creating: list[tuple[Any, Any]] = []
        """(creating task, creating frame) while create_task runs (3.12+, eager tasks)."""
        self.own_threads: set[threading.Thread] = set()
        self.on_deadlock: Any = None

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

    def _register(self, task: Any, depth: int = 2) -> int:
        """Give ``task`` an id and report it. ``depth`` skips our own frames when looking
        for the user's line that created it (frames are materialised as they are walked,
        so starting past ours is measurably cheaper on task churn)."""
        tid = self._next_tid
        self._next_tid = tid + 1
        self._ids[id(task)] = tid
        coro = task.get_coro()
        qualname = getattr(coro, "__qualname__", None) or type(coro).__name__
        parent = None
        current = _current_task(task.get_loop())
        creating = self._creating
        if current is task and creating:
            # Registered from inside its own eager first step (3.12+): the creator is
            # the frame and task that called create_task, stashed by that wrapper.
            current, frame = creating[-1]
        else:
            try:
                frame = sys._getframe(depth)
            except ValueError:
                frame = None
        if current is not None and current is not task:
            parent = self._ids.get(id(current)) or self.task_id(current)
        internal = bool(self._in_shutdown) or qualname in _INTERNAL_COROS or self._is_private_lib(coro)
        name = self._names[tid] = task.get_name()
        clock = self.clock
        now = clock.t if clock.virtual else (_perf_ns() - clock.base_ns) / 1e9
        # A tuple laid out like TaskCreated: the same bytes on the wire, cheaper to build.
        self._append(self._encode(("created", now, tid, name, qualname, parent, self.user_site(frame), internal)))
        return tid

    def _is_private_lib(self, coro: Any) -> bool:
        """asyncio's own private coroutines (``_accept_connection2``, ...) run as tasks
        that belong to the machinery, not to the program."""
        code = getattr(coro, "cr_code", None)
        return code is not None and code.co_name.startswith("_") and self.is_lib(code)

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

    def user_site(self, frame: Any) -> str | None:
        """``file:line`` of the innermost frame outside asyncio and asyncscope."""
        lib_code = self._lib_code
        while frame is not None:
            code = frame.f_code
            lib = lib_code.get(code)
            if lib is None:
                lib = self.is_lib(code)
            if not lib:
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
            chain, lib_code = self.await_chain(task)
            self._emit(Step(self.clock.now(), tid, dur_ns, self.describe(waiter, lib_code), chain))

    def _finished(self, task: Any, tid: int, dur_ns: int) -> None:
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
        clock = self.clock
        now = clock.t if clock.virtual else (_perf_ns() - clock.base_ns) / 1e9
        # A tuple laid out like TaskDone (see TaskCreated above).
        self._append(self._encode(("done", now, tid, dur_ns, state, result, error, tb, cancelled_by)))

    def await_chain(self, task: Any) -> tuple[list[int], Any]:
        """The await chain, outermost first, and the innermost asyncio code object in it.

        Awaiting a coroutine runs it inside the *same* task, so the chain is how
        ``main -> say_after -> sleep`` is shown without any new task.
        """
        chain: list[int] = []
        lib_code = None
        coro = task.get_coro()
        depth = 0
        while coro is not None and depth < 64:
            depth += 1
            frame = _frame_of(coro)
            if frame is None:
                break
            code = frame.f_code
            chain.append(self.code_id(code))
            chain.append(frame.f_lineno)
            if self.is_lib(code):
                lib_code = code
            coro = _awaited_by(coro)
        return chain, lib_code

    def describe(self, waiter: Any, lib_code: Any) -> Wait:
        """What a suspended task waits on, from the future it is blocked on."""
        if isinstance(waiter, _TASK_TYPES):
            return Wait("task", tasks=[self.task_id(waiter)])
        until = self._sleep_until.get(waiter)
        if until is not None:
            return Wait("sleep", until=self._display_time(until))
        children = getattr(waiter, "_children", None)
        if children is not None and type(waiter).__name__ == "_GatheringFuture":
            ids = [self.task_id(c) for c in children if isinstance(c, _TASK_TYPES) and not c.done()]
            return Wait("gather", tasks=ids, count=len(children))
        if waiter in self._executor_futures:
            return Wait("thread", detail="run_in_executor")
        if lib_code is not None:
            qualname = lib_code.co_qualname
            if qualname.split(".", 1)[0] in _SYNC_CLASSES:
                return Wait("sync", detail=qualname)
            if os.path.basename(lib_code.co_filename) in _IO_FILES or ".sock_" in qualname:
                return Wait("io", detail=qualname)
            if qualname == "to_thread":
                return Wait("thread", detail="to_thread")
            return Wait("future", detail=qualname)
        return Wait("future")

    def _display_time(self, loop_time: float) -> float:
        if self.clock.virtual:
            return loop_time
        return loop_time - self.clock._base

    # -- idle, threads and deadlock ---------------------------------------------------

    def external_possible(self, loop: Any, selector: Any) -> bool:
        """Could anything outside the loop still wake it up?"""
        self_pipe = 1 if getattr(loop, "_ssock", None) is not None else 0
        if len(selector.get_map()) > self_pipe:
            return True
        if getattr(loop, "_signal_handlers", None):
            return True
        if self._executor_futures:
            self._executor_futures = [f for f in self._executor_futures if not f.done()]
            if self._executor_futures:
                return True
        for thread in threading.enumerate():
            if thread is threading.main_thread() or thread in self.own_threads:
                continue
            if thread.name.startswith(("asyncio_", "ThreadPoolExecutor-")):
                continue  # idle executor workers; their jobs are tracked above
            return True
        return False

    def deadlock(self, loop: Any) -> None:
        """Nothing is ready and nothing can ever wake the loop: report who waits on what."""
        waits = []
        for task in tasks.all_tasks(loop):
            if task.done():
                continue
            tid = self.task_id(task)
            waiter = task._fut_waiter
            chain, lib_code = self.await_chain(task)
            wait = self.describe(waiter, lib_code) if waiter is not None else None
            waits.append((tid, task.get_name(), wait, self._innermost_user_line(task)))
        message = wording.deadlock_message(waits, lambda tid: self._name_of(loop, tid))
        where = waits[0][3] if waits else None
        self._emit(Diagnostic(self.clock.now(), "deadlock", message, waits[0][0] if waits else None, where))
        if self.on_deadlock is not None:
            self.on_deadlock()

    def _name_of(self, loop: Any, tid: int) -> str:
        for task in tasks.all_tasks(loop):
            if self._ids.get(id(task)) == tid:
                return task.get_name()
        return f"task {tid}"

    def _innermost_user_line(self, task: Any) -> str | None:
        where = None
        coro = task.get_coro()
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
            self._emit(Diagnostic(self.clock.now(), "destroyed-pending", wording.destroyed_pending(task), tid, None))
        elif "exception was never retrieved" in message:
            if task is not None:
                self._failed.pop(id(task), None)
            exc = context.get("exception")
            self._emit(
                Diagnostic(self.clock.now(), "exception-never-retrieved",
                           wording.never_retrieved(task, exc), tid, None)
            )

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
        self._emit(Diagnostic(self.clock.now(), "never-awaited", wording.never_awaited(qualname), tid, where))

    def on_shutdown_cancel(self, loop: Any) -> None:
        """``asyncio.run`` is about to cancel the tasks ``main`` left behind."""
        for task in tasks.all_tasks(loop):
            if task.done():
                continue
            tid = self.task_id(task)
            self._cancelled_by[tid] = "asyncio.run() shutdown"
            self._emit(
                Diagnostic(self.clock.now(), "cancelled-at-shutdown",
                           wording.cancelled_at_shutdown(task.get_name(), _coro_name(task)),
                           tid, None)
            )

    def mark_cancelled_by(self, task: Any, cause: str) -> None:
        """Remember why ``task`` is being cancelled, and pass the cause on to what it
        awaits: cancelling a task cancels the task (or gather) it is suspended on."""
        seen = 0
        while task is not None and not task.done() and seen < 32:
            seen += 1
            tid = self.task_id(task)
            self._cancelled_by.setdefault(tid, cause)
            waiter = task._fut_waiter
            if isinstance(waiter, _TASK_TYPES):
                cause = f"{cause.split(', through')[0]}, through {task.get_name()}"
                task = waiter
            elif type(waiter).__name__ == "_GatheringFuture":
                through = f"{cause.split(', through')[0]}, through {task.get_name()}"
                for child in getattr(waiter, "_children", ()):
                    if isinstance(child, _TASK_TYPES):
                        self.mark_cancelled_by(child, through)
                return
            else:
                return

    # -- installation -----------------------------------------------------------------

    def install(self) -> None:
        """Patch the loop classes. Idempotent per process. Set ``capture`` first."""
        global TRACER
        if TRACER is not None:
            return
        TRACER = self
        _install_hooks(self)


def _probe_step_callback_types() -> frozenset[type]:
    """The type of the callable a C Task passes to ``call_soon`` for its steps.

    Learned from a throwaway task, before any hook is installed, because the type is not
    exported. The probe task is named, so it does not use up a ``Task-N`` number.
    """
    loop = events.new_event_loop()
    found: set[type] = set()
    try:
        async def probe() -> None:
            return None

        task = loop.create_task(probe(), name="asyncscope-probe")
        for handle in list(loop._ready):  # type: ignore[attr-defined]
            if getattr(handle._callback, "__self__", None) is task:
                if not isinstance(handle._callback, (types.MethodType, types.BuiltinMethodType)):
                    found.add(type(handle._callback))
        loop.run_until_complete(task)
    finally:
        loop.close()
    return frozenset(found)


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


def _coro_name(task: Any) -> str:
    coro = task.get_coro()
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


class IdleSelector:
    """Wraps a loop's selector: the loop calls ``select`` once per iteration, which makes it
    the place to gate iterations and to let the (virtual) clock pass while the loop idles."""

    def __init__(self, selector: Any, loop: Any, tracer: Tracer) -> None:
        self._selector = selector
        self._loop = loop
        self._tracer = tracer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._selector, name)

    def select(self, timeout: float | None = None) -> Any:
        tracer = self._tracer
        gate = tracer.gate
        if gate.active:
            gate.at_iteration(self._loop, idle=timeout is None or timeout > 0)
        selector = self._selector
        clock = tracer.clock
        if timeout is not None and timeout <= 0:
            return selector.select(0)
        external = tracer.external_possible(self._loop, selector)
        if not external and timeout is None:
            ready = selector.select(0)
            if ready:
                return ready
            tracer.deadlock(self._loop)
        if not clock.virtual:
            return selector.select(timeout)
        if external:
            began = time.monotonic()
            ready = selector.select(timeout)
            waited = time.monotonic() - began
            clock.advance(waited if timeout is None else min(waited, timeout))
            tracer._emit(Tick(clock.t))
            return ready
        ready = selector.select(0)
        if ready:
            return ready
        assert timeout is not None
        if clock.speed is not None:
            tracer.emitter.flush()  # let the viewer see the state before a slow jump
        clock.jump(timeout, self._progress)
        tracer._emit(Tick(clock.t))
        return []

    def _progress(self, t: float) -> None:
        emitter = self._tracer.emitter
        emitter.emit(Tick(t))
        emitter.flush()


def _install_hooks(tracer: Tracer) -> None:
    base = base_events.BaseEventLoop
    eager_possible = sys.version_info >= (3, 12)  # eager tasks exist from 3.12 on
    step_callback_types = _probe_step_callback_types()
    method_types = (types.MethodType, types.BuiltinMethodType)
    ids_get = tracer._ids.get
    register = tracer._register
    clock = tracer.clock
    virtual = clock.virtual
    base_ns = clock.base_ns
    append = tracer.emitter.queue.append  # deque.append: thread-safe, no lock needed
    encode = tracer.emitter.encode
    gate = tracer.gate
    perf_ns = _perf_ns
    suspended = tracer.suspended
    finished = tracer._finished
    capture = tracer.capture
    held_fragments = capture.pending if capture is not None else {}

    def _run(self: TaskStepHandle) -> None:
        task = self._as_task
        tid = self._as_tid
        if gate.active:
            gate.before_step(tid, self._loop)
        began = perf_ns()
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            _report_callback_error(self, exc)
        ended = perf_ns()
        dur = ended - began
        if task.done():
            finished(task, tid, dur)
        else:
            waiter = task._fut_waiter
            if waiter is None:
                # A bare yield (sleep(0)): the commonest step, so the cheapest event. A
                # tuple has the same wire layout as the Step struct.
                append(encode(("step", clock.t if virtual else (ended - base_ns) / 1e9, tid, dur, None, None)))
            else:
                suspended(task, tid, dur, waiter)
        if held_fragments:  # a line printed without its newline yet: send it with its step
            capture.flush_partial()  # type: ignore[union-attr]

    TaskStepHandle._run = _run  # type: ignore[method-assign]

    def _call_soon(self: Any, callback: Any, args: Any, context: Any) -> Any:
        callback_type = type(callback)
        if callback_type in step_callback_types or (
            callback_type in method_types
            and callback.__name__ in _STEP_NAMES
            and isinstance(callback.__self__, _TASK_TYPES)
        ):
            task = callback.__self__
            handle = TaskStepHandle(callback, args, self, context)
            handle._as_task = task
            tid = ids_get(id(task))
            handle._as_tid = tid if tid is not None else register(task, 3)
            tracer._last_scheduled = id(task)  # an id, not the task: never keep a task alive
        else:
            handle = _Handle(callback, args, self, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
        self._ready.append(handle)
        return handle

    base._call_soon = _call_soon

    original_call_soon = base.call_soon
    new_handle = object.__new__
    copy_context = contextvars.copy_context
    plain_loop_types: dict[type, bool] = {}

    def call_soon(self: Any, callback: Any, *args: Any, context: Any = None) -> Any:
        """``call_soon`` and ``_call_soon`` in one, for the commonest call of a traced run.

        Same checks and same queueing as asyncio's; the debug mode, a closed loop and
        loop classes that override ``_call_soon`` take asyncio's own path. The task-step
        test repeats ``_call_soon``'s on purpose: one Python call less per task step
        measured ~4% of the traced run on bench/churn.py (docs/performance.md).
        """
        loop_type = type(self)
        plain = plain_loop_types.get(loop_type)
        if plain is None:
            plain = plain_loop_types[loop_type] = loop_type._call_soon is _call_soon
        if self._debug or self._closed or not plain:
            return original_call_soon(self, callback, *args, context=context)
        callback_type = type(callback)
        if callback_type in step_callback_types or (
            callback_type in method_types
            and callback.__name__ in _STEP_NAMES
            and isinstance(callback.__self__, _TASK_TYPES)
        ):
            task = callback.__self__
            # Handle.__init__'s work, without its call overhead (not in debug mode).
            handle = new_handle(TaskStepHandle)
            handle._context = copy_context() if context is None else context
            handle._loop = self
            handle._callback = callback
            handle._args = args
            handle._cancelled = False
            handle._repr = None
            handle._source_traceback = None
            handle._as_task = task
            tid = ids_get(id(task))
            handle._as_tid = tid if tid is not None else register(task, 2)
            if eager_possible:
                tracer._last_scheduled = id(task)
        else:
            handle = _Handle(callback, args, self, context)
        self._ready.append(handle)
        return handle

    base.call_soon = call_soon

    original_create_task = base.create_task

    def create_task(self: Any, coro: Any, *args: Any, **kwargs: Any) -> Any:
        tracer._last_scheduled = None
        creating = tracer._creating
        creating.append((_current_task(self), sys._getframe(1)))
        began = _perf_ns()
        try:
            task = original_create_task(self, coro, *args, **kwargs)
        finally:
            creating.pop()
        if tracer._last_scheduled != id(task) and isinstance(task, _TASK_TYPES):
            # Its first step ran inside the constructor (eager): report that step.
            tracer.after_step(task, tracer.task_id(task), _perf_ns() - began)
        return task

    if eager_possible:  # before 3.12 every task's first step goes through call_soon
        base.create_task = create_task

    original_set_task_name = getattr(tasks, "_set_task_name", None)
    if original_set_task_name is not None:
        # 3.11's asyncio.create_task(name=...) names the task after creating it: report
        # the name at once rather than at the task's first suspension.
        def _set_task_name(task: Any, name: Any) -> None:
            original_set_task_name(task, name)
            tid = ids_get(id(task))
            if name is not None and tid is not None:
                tracer._check_name(task, tid)

        tasks._set_task_name = _set_task_name

    original_call_at = base.call_at
    set_result_unless_cancelled = futures._set_result_unless_cancelled
    sleep_until = tracer._sleep_until

    def call_at(self: Any, when: float, callback: Any, *args: Any, **kwargs: Any) -> Any:
        if callback is set_result_unless_cancelled and args:
            try:
                sleep_until[args[0]] = when  # asyncio.sleep's future wakes at ``when``
            except TypeError:
                pass
        return original_call_at(self, when, callback, *args, **kwargs)

    base.call_at = call_at

    original_run_in_executor = base.run_in_executor

    def run_in_executor(self: Any, executor: Any, func: Any, *args: Any) -> Any:
        future = original_run_in_executor(self, executor, func, *args)
        pending = tracer._executor_futures
        if len(pending) > 256:  # pruned here too, in case the loop never idles
            pending[:] = [f for f in pending if not f.done()]
        pending.append(future)
        return future

    base.run_in_executor = run_in_executor

    original_handler = base.call_exception_handler

    def call_exception_handler(self: Any, context: dict[str, Any]) -> None:
        try:
            tracer.on_exception_context(context)
        except Exception:
            pass
        original_handler(self, context)

    base.call_exception_handler = call_exception_handler

    selector_loop = selector_events.BaseSelectorEventLoop
    original_init = selector_loop.__init__
    original_time = base.time

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._selector = IdleSelector(self._selector, self, tracer)
        if tracer.clock.virtual and type(self).time is original_time:
            self.time = tracer.clock.loop_time

    selector_loop.__init__ = __init__

    original_cancel_all = runners._cancel_all_tasks

    def _cancel_all_tasks(loop: Any) -> None:
        tracer.on_shutdown_cancel(loop)
        original_cancel_all(loop)

    runners._cancel_all_tasks = _cancel_all_tasks

    if hasattr(runners, "Runner"):
        original_close = runners.Runner.close

        def close(self: Any) -> None:
            tracer._in_shutdown += 1
            try:
                original_close(self)
            finally:
                tracer._in_shutdown -= 1

        runners.Runner.close = close

    try:
        from asyncio import taskgroups

        original_abort = taskgroups.TaskGroup._abort

        def _abort(self: Any) -> None:
            for task in list(self._tasks):
                tracer.mark_cancelled_by(task, "TaskGroup (a sibling task failed)")
            original_abort(self)

        taskgroups.TaskGroup._abort = _abort
    except (ImportError, AttributeError):
        pass

    try:
        from asyncio import timeouts

        original_on_timeout = timeouts.Timeout._on_timeout

        def _on_timeout(self: Any) -> None:
            tracer.mark_cancelled_by(self._task, "timeout")
            original_on_timeout(self)

        timeouts.Timeout._on_timeout = _on_timeout
    except (ImportError, AttributeError):
        pass

    import warnings

    original_warn = getattr(warnings, "_warn_unawaited_coroutine", None)
    if original_warn is not None:

        def _warn_unawaited_coroutine(coro: Any) -> None:
            try:
                tracer.on_never_awaited(coro, sys._getframe(1))
            except Exception:
                pass
            if getattr(coro, "cr_origin", None) is not None:
                original_warn(coro)  # its message lists where the coroutine was created
                return
            # Same warning as asyncio's own, but stacklevel=2 must count from here so that
            # Python reports the user's line, not this wrapper.
            warnings.warn(
                f"coroutine '{coro.__qualname__}' was never awaited",
                category=RuntimeWarning, stacklevel=2, source=coro,
            )

        warnings._warn_unawaited_coroutine = _warn_unawaited_coroutine
