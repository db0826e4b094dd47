"""The hooks on asyncio's loop classes, and the hot path of every task step.

Every loop the child creates is instrumented, however it is made (``asyncio.run``,
``Runner``, ``new_event_loop``, a custom policy), because the hooks are installed on the
loop *classes* (``BaseEventLoop``, ``BaseSelectorEventLoop``) rather than through a policy
the program could replace.

How a task step is seen: the C ``Task`` schedules each step and each wakeup through
``loop.call_soon``, and the callback's ``__self__`` is the task. ``call_soon`` wraps those
callbacks in :class:`TaskStepHandle`, a ``Handle`` subclass whose ``_run`` brackets the step
(a subclass measured ~1.4x on task churn, a closure per callback ~1.8x). Eager tasks
(3.12+) run their first step inside ``create_task``, so that is wrapped too. The selector
is wrapped as :class:`IdleSelector`: the loop calls it once per iteration, which is where
the gate holds an idle loop and the virtual clock moves.

Nothing here reorders callbacks or adds any to the loop: handles are queued exactly where
asyncio would queue them, and the only delay is the gate's (see ``gate.py``).
"""

from __future__ import annotations

import contextvars
import math
import selectors
import sys
import threading
import types
from asyncio import base_events, events, futures, runners, selector_events, tasks
from typing import Any

from asyncscope.events import Tick
from asyncscope.runtime import compiled_hot_path
from asyncscope.runtime import loop as _loop
from asyncscope.runtime.clock import PERF_IS_MONOTONIC, real_perf_ns
from asyncscope.runtime.emit import BATCH_SIZE
from asyncscope.runtime.loop import _TASK_TYPES, Tracer

_PLAIN_FUTURES = tuple({futures.Future, getattr(futures, "_PyFuture", futures.Future)})
"""asyncio's future, exactly (the C one and the Python one): not a task, not gather's."""

__all__ = ["TaskStepHandle", "IdleSelector", "install"]

_STEP_NAMES = frozenset(
    # The C Task's wakeup is the builtin "task_wakeup"; its step is a TaskStepMethWrapper,
    # found by _probe_step_callback_types. The pure-Python Task uses bound methods.
    {"task_wakeup", "__step", "__wakeup", "_Task__step", "_Task__wakeup"}
)
_Handle = events.Handle
_perf_ns = real_perf_ns
_current_task = tasks.current_task


class TaskStepHandle(_Handle):
    """A ``Handle`` for one task step: runs the step between the tracer's hooks.

    Its ``_run`` is set by :func:`install_hooks`, as a closure over the tracer's state:
    this is the hottest path of the runtime, and local lookups are what keep a traced
    step within budget (see docs/performance.md). Where the compiled hot path loads,
    ``_run`` and ``call_soon`` are its copies of the closures (``_hotpath.c``): a change to
    one is a change to both.
    """

    __slots__ = ("_as_task", "_as_tid")


hot_path = "python"
"""Which hot path :func:`install_hooks` put in place: ``compiled`` or ``python``."""


def _report_callback_error(handle: Any, exc: BaseException) -> None:
    """What ``Handle._run`` does when its callback raises (a task step never does)."""
    from asyncio import format_helpers

    callback = format_helpers._format_callback_source(handle._callback, handle._args)
    context = {"message": f"Exception in callback {callback}", "exception": exc, "handle": handle}
    if handle._source_traceback:
        context["source_traceback"] = handle._source_traceback
    handle._loop.call_exception_handler(context)


def _without_own_frames(made: Any) -> Any:
    """Drop this module's frames from the end of a handle's or task's creation traceback.

    In debug mode asyncio records where each handle, timer and task was made, and trims
    its own frames off; the program must see the same trace, ending at its own line, not
    at the hook that stood between it and asyncio."""
    trace = getattr(made, "_source_traceback", None)
    if trace:
        while trace and trace[-1][0] == __file__:
            del trace[-1]
    return made


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


_MS_SELECTORS = tuple(getattr(selectors, name) for name in ("EpollSelector", "PollSelector", "DevpollSelector")
                      if hasattr(selectors, name))
"""Selectors whose ``select`` waits in whole milliseconds (see ``selectors.EpollSelector``)."""


def _timer_slack() -> float:
    """The kernel's slack on a timed wait (Linux: 50 µs unless changed), in seconds."""
    try:
        with open("/proc/self/timerslack_ns") as file:
            return int(file.read()) / 1e9
    except (OSError, ValueError):
        return 50e-6


_TIMER_SLACK = _timer_slack()


class IdleSelector:
    """Wraps a loop's selector: the loop calls ``select`` once per iteration, which makes it
    the place to gate iterations and to let the (virtual) clock pass while the loop idles."""

    def __init__(self, selector: Any, loop: Any, tracer: Tracer) -> None:
        self._selector = selector
        self._loop = loop
        self._tracer = tracer
        self._whole_ms = isinstance(selector, _MS_SELECTORS)

    def _wake_after(self, timeout: float) -> float:
        """How long the real selector would have slept for ``timeout``: epoll and poll round
        it up to a whole millisecond, and the kernel adds its timer slack. A skip lasts as
        long, so timers that would fall due together in one wake-up under plain Python (two
        tasks' ``sleep(0.2)`` begun a few microseconds apart) still do, in the same order."""
        if self._whole_ms:
            timeout = math.ceil(timeout * 1e3) * 1e-3
        return timeout + _TIMER_SLACK

    def __getattr__(self, name: str) -> Any:
        return getattr(self._selector, name)

    def select(self, timeout: float | None = None) -> Any:
        tracer = self._tracer
        gate = tracer.gate
        if gate.active:
            gate.at_iteration(self._loop, idle=timeout is None or timeout > 0)
        selector = self._selector
        if timeout is not None and timeout <= 0:
            return selector.select(0)
        external = tracer.external_possible(self._loop, selector)
        if external is None:  # a selector we cannot inspect: behave exactly as asyncio would
            return selector.select(timeout)
        if not external and timeout is None:
            ready = selector.select(0)
            if ready:
                return ready
            if tracer.confirm_deadlock(self._loop, selector):
                tracer.deadlock(self._loop)
            return selector.select(0)
        clock = tracer.clock
        if not clock.virtual or external:
            return selector.select(timeout)
        ready = selector.select(0)
        if ready:
            return ready
        assert timeout is not None
        stepping = gate.paused  # the user asked for a step over this wait: take it at once
        if clock.speed is not None and not stepping:
            tracer.emitter.flush()  # let the viewer see the state before a slow skip
        clock.skip(self._wake_after(timeout), self._progress, gate.pause_requested, instant=stepping)
        tracer._emit(Tick(clock.now()))
        if not tracer.told_datetime:
            tracer.check_datetime()
        return []

    def _progress(self, t: float) -> None:
        emitter = self._tracer.emitter
        emitter.emit(Tick(t))
        emitter.flush()


_installed: list[Tracer] = []


def install(tracer: Tracer) -> None:
    """Patch the loop classes, signal.signal and the executors to report to ``tracer``.
    Once per process. The tracer knows nothing of the hooks: they call it, never the
    other way round (one direction, no import circle)."""
    if _installed:
        return
    _installed.append(tracer)
    install_hooks(tracer)
    tracer.signals.install()
    tracer.pools.install()
    tracer.resources.install(steps=TaskStepHandle.__dict__["_run"] if hot_path == "compiled" else None)


def install_hooks(tracer: Tracer) -> None:
    base = base_events.BaseEventLoop
    eager_possible = sys.version_info >= (3, 12)  # eager tasks exist from 3.12 on
    step_callback_types = _probe_step_callback_types()
    method_types = (types.MethodType, types.BuiltinMethodType)
    ids_get = tracer._ids.get
    register = tracer._register
    clock = tracer.clock
    append = tracer.emitter.queue.append  # deque.append: thread-safe, no lock needed
    queued = tracer.emitter.queue
    flush = tracer.emitter.flush
    batch_size = BATCH_SIZE
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
                append(encode(("step", (ended - clock.origin_ns) / 1e9, tid, dur, None, None)))
                if len(queued) >= batch_size:  # a long run of sleep(0) must not make one huge frame
                    flush()
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
            return _without_own_frames(original_call_soon(self, callback, *args, context=context))
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

    hot = compiled_hot_path()
    if hot is not None:
        # The same two functions, compiled (asyncscope/runtime/_hotpath.c); the Python ones
        # above stay the reference, and call_soon's unusual cases still go through it.
        global hot_path
        try:
            run = hot.StepRunner(
                handle_type=TaskStepHandle, gate=gate, clock=clock, queue=queued, flush=flush,
                batch_size=batch_size, suspended=suspended, finished=finished, capture=capture,
                held=held_fragments, report_error=_report_callback_error, internal_error=tracer.internal_error,
                perf_ns=perf_ns, monotonic=PERF_IS_MONOTONIC, encode=encode,
                # Tracer._finished's common case (a task that returned) is compiled too.
                names=tracer._names, ids=tracer._ids, cancelled_by=tracer._cancelled_by,
                describe_result=_loop._describe_result,
                # And Tracer.suspended's (a wait on a plain future inside asyncio), which reads
                # the caches the Python path fills and checks what it would say more about.
                chain_codes=tracer._chain_codes, lib_wait_bytes=tracer._lib_wait_bytes, frameless=_loop._FRAMELESS,
                sleep_until=tracer._sleep_until.data, executor_pending=tracer.executor_futures._pending,
                future_types=_PLAIN_FUTURES,
            )
            soon = hot.CallSoon(
                handle_type=TaskStepHandle, plain_handle=_Handle, step_types=tuple(step_callback_types),
                step_names=_STEP_NAMES, task_types=_TASK_TYPES, ids=tracer._ids, register=register,
                tracer=tracer if eager_possible else None, fallback=call_soon, call_soon_impl=_call_soon,
                # Tracer._register's common case (a task made by a task) is compiled too.
                owner=tracer, current_task=_loop._current_task, origins=tracer._origins, names=tracer._names,
                own_ns=tracer._own_ns, clock=clock, queue=queued, encode=encode,
                internal_coros=_loop._INTERNAL_COROS, perf_ns=perf_ns, monotonic=PERF_IS_MONOTONIC,
                origin_of=tracer.origin, task_id=tracer.task_id, get_coro_crashes=_loop._GET_CORO_CRASHES,
            )
        except Exception as exc:  # a Python whose Handle the extension does not know
            tracer.internal_error(f"the compiled hot path could not start ({type(exc).__name__}: {exc}); "
                                  "running the pure-Python one")
        else:
            for compiled, python in ((run, _run), (soon, call_soon)):
                # What code that inspects a loop's methods reads off a function (asyncio
                # itself tests ``callback.__name__`` of every callback it schedules).
                for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
                    setattr(compiled, attribute, getattr(python, attribute))
            TaskStepHandle._run = run  # type: ignore[assignment]
            base.call_soon = soon
            hot_path = "compiled"

    original_create_task = base.create_task

    def create_task(self: Any, coro: Any, *args: Any, **kwargs: Any) -> Any:
        tracer._last_scheduled = None
        creating = tracer._creating
        creating.append((_current_task(self), sys._getframe(1), coro))
        began = _perf_ns()
        try:
            task = original_create_task(self, coro, *args, **kwargs)
            stepped = _perf_ns() - began
            eager = tracer._last_scheduled != id(task) and isinstance(task, _TASK_TYPES)
            tid = ids_get(id(task)) if eager else None
            if eager and tid is None:
                # A task that finished in its eager first step has no coroutine left to
                # ask for (and 3.12.0-1's get_coro() crashes on it): register it now,
                # while its creator is still on the stack, with the coroutine it was given.
                tid = register(task, 2, coro)
        finally:
            creating.pop()
        _without_own_frames(task)
        if eager:  # its first step ran inside the constructor: report that step
            tracer.after_step(task, tid, stepped)
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
        return _without_own_frames(original_call_at(self, when, callback, *args, **kwargs))

    base.call_at = call_at

    original_run_in_executor = base.run_in_executor

    def run_in_executor(self: Any, executor: Any, func: Any, *args: Any) -> Any:
        future = original_run_in_executor(self, executor, func, *args)
        tracer.executor_futures.add(future)
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

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._selector = IdleSelector(self._selector, self, tracer)
        tracer.clock.start()
        tracer.loop_threads.add(threading.get_ident())

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
            cause = "taskgroup"
            if not getattr(self, "_errors", None):
                # No child failed: the group's own task is being cancelled (a timeout, a
                # cancel() from outside), and the group passes that on to its children.
                parent = getattr(self, "_parent_task", None)
                known = tracer.known_task_id(parent) if parent is not None else None
                why = tracer._cancelled_by.get(known) if known is not None else None
                name = parent.get_name() if parent is not None else "its task"
                cause = f"{(why or 'cancellation').split('@')[0]}@{name}"
            for task in list(self._tasks):
                tracer.mark_cancelled_by(task, cause)
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
