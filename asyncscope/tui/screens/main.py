"""The run screen: one program running in a child process, shown live.

The screen owns the :class:`~asyncscope.session.Session`. A thread worker drains the
session's batches and posts them as one :class:`EventsArrived` at a time; the screen
folds them into the run's :class:`~asyncscope.history.RunHistory` (the one run state,
with snapshots for time travel) and refreshes the panes once per message. Pause, step and
speed go to the child as commands; the ``paused`` reactive follows the child's acknowledgement
(``Paused``/``Resumed`` events), never the keypress.
Leaving the screen, restarting or quitting stops the child.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Container
from typing import ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from asyncscope import catalog, wording
from asyncscope import model as run_state
from asyncscope.history import RunHistory
from asyncscope.model import Delta, Model, TaskInfo
from asyncscope.narration import say
from asyncscope.session import Session, Target
from asyncscope.source import TraceSource
from asyncscope.trace import TraceError
from asyncscope.tui.actions import FOOTER_IMPORTANCE, RUN_KEYS, bindings, localise
from asyncscope.tui.feed import drain
from asyncscope.tui.format import SPEEDS, speed_label
from asyncscope.tui.messages import EventsArrived
from asyncscope.tui.screens.time_prompt import ask_loop_time
from asyncscope.tui.widgets.detail import TaskDetail
from asyncscope.tui.widgets.diagnostics import DiagnosticsList
from asyncscope.tui.widgets.footer import KeyFooter
from asyncscope.tui.widgets.narration import NarrationView
from asyncscope.tui.widgets.output import OutputView
from asyncscope.tui.widgets.resources import ResourcesList
from asyncscope.tui.widgets.status import StatusBar
from asyncscope.tui.widgets.taskrows import VIEWS, TaskRows, tier, view_name
from asyncscope.tui.widgets.tasks import TaskTable
from asyncscope.tui.widgets.timeline import Timeline

__all__ = ["RunScreen"]


def _free_path(stem: str, ext: str) -> str:
    """``stem.ext`` in the current directory, or ``stem-2.ext``… when that exists."""
    path = os.path.abspath(stem + ext)
    number = 1
    while os.path.exists(path):
        number += 1
        path = os.path.abspath(f"{stem}-{number}{ext}")
    return path


def _tui_model() -> Model:
    """The TUI keeps a bounded output history (a flooding program must not exhaust memory)."""
    return Model(output_limit=run_state.TUI_OUTPUT_LIMIT)

_TRAVEL_ACTIONS = frozenset({"step_back", "step_forward", "travel_start", "travel_end", "travel_to_time"})
_LIVE_ONLY_ACTIONS = frozenset({"pause", "resume", "step", "step_iteration", "interrupt"})

MIN_INTERVAL = 1 / 30
"""Seconds between two UI updates from the event stream, at least."""
CLOCK_TICK = 1 / 15
"""How often the estimated clock moves the status bar and the timeline cursor."""


class RunScreen(Screen[None]):
    """Tasks, detail, timeline, output, narration and diagnostics of one run."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(RUN_KEYS)
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (140, "-wide")]
    """From 140 columns the task table takes a larger share of the row (app.tcss)."""

    paused: reactive[bool] = reactive(False, bindings=True)
    asked: str | None = None
    """A command sent to the program and not yet answered (see StatusBar)."""
    _asked_at_steps = 0
    """The child's acknowledged pause state (the gate is holding the loop)."""
    ended: reactive[bool] = reactive(False, bindings=True)
    """The run is over (its final state and verdict stay on screen)."""
    speed: reactive[float | None] = reactive(1.0, bindings=True, init=False)
    """Playback rate of the virtual clock (None: instant)."""

    def __init__(self, target: Target, *, clock: str = "virtual", paused: bool = False,
                 speed: float | None = 1.0, lang: str = "en", trace: str | None = None,
                 replay: str | None = None) -> None:
        super().__init__()
        localise(self, RUN_KEYS)
        self.target = target
        self.trace = trace
        self.replay = replay
        """A trace file to show instead of running the program (``asyncscope replay``)."""
        self.history = RunHistory(_tui_model)
        """Every event of the run so far, the live state, and the state at any moment."""
        self.cursor: int | None = None
        """Events shown while looking at the past; None at the live edge."""
        self.previous_traces: list[str] = []
        """Traces of the runs before this one (restarts), oldest first."""
        self._current_trace: str | None = None
        self._trace_dir: str | None = None
        self._playing: Timer | None = None
        """The replay's playback timer while it plays (``space``)."""
        self._play_from = (0.0, 0.0)
        self.clock = clock
        self.start_paused = paused
        self.set_reactive(RunScreen.speed, speed)
        self.lang = lang
        self.rows = TaskRows()
        self.shown: Model = self.history.live
        """What the panes show: the live state at the live edge, the state after the first
        ``cursor`` events in the past."""
        self.session: Session | TraceSource | None = None
        self.generation = 0
        self._ack = threading.Event()
        self._wall_at_event = time.monotonic()
        self._next_timer: float | None = None
        self._t_base = 0.0

    @property
    def model(self) -> Model:
        return self.shown

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="top"):
            yield TaskTable(self.rows, id="tasks")
            yield TaskDetail(id="detail")
        yield Timeline(self.rows, id="timeline")
        with Horizontal(id="bottom"):
            yield OutputView(id="output")
            with Vertical(id="side"):
                yield NarrationView(id="narration")
                yield DiagnosticsList(id="diagnostics")
                yield ResourcesList(id="resources")
        yield Input(placeholder="filter tasks by name or coroutine (enter: keep, escape: clear)",
                    id="task-filter")
        yield KeyFooter(FOOTER_IMPORTANCE)

    def on_mount(self) -> None:
        self.query_one("#detail").border_title = wording.text("pane-detail")
        self.query_one("#timeline").border_title = wording.text("pane-timeline")
        self.query_one("#output").border_title = wording.text("pane-output")
        self.query_one("#narration").border_title = wording.text("pane-narration")
        self.query_one("#diagnostics").border_title = wording.text("pane-diagnostics")
        self.query_one("#resources").border_title = wording.text("pane-resources")
        self.query_one("#task-filter", Input).placeholder = wording.text("filter-placeholder")
        self.query_one("#resources").display = False
        self.query_one("#task-filter").display = False
        self.set_interval(CLOCK_TICK, self._clock_tick)
        self.query_one(TaskTable).focus()
        self.start_run()

    def on_unmount(self) -> None:
        self.stop_run()
        if self._trace_dir is not None:
            shutil.rmtree(self._trace_dir, ignore_errors=True)

    def _next_trace(self) -> str:
        """Where this run records its events. Every run is recorded, so that a restart
        keeps the run before it (the palette offers to replay it): beside ``--trace FILE``
        as ``FILE.1``, ``FILE.2`` ... (the newest run is always ``FILE``), or in a temporary
        directory removed when the screen closes."""
        previous = self._current_trace
        if self.trace is not None:
            if previous is not None and os.path.exists(self.trace):
                root, ext = os.path.splitext(self.trace)
                kept = f"{root}.{len(self.previous_traces) + 1}{ext}"
                os.replace(self.trace, kept)
                self.previous_traces.append(kept)
            path = self.trace
        else:
            if self._trace_dir is None:
                self._trace_dir = tempfile.mkdtemp(prefix="asyncscope-runs-")
            if previous is not None and os.path.exists(previous):
                self.previous_traces.append(previous)
            path = os.path.join(self._trace_dir, f"run-{self.generation}.trace")
        self._current_trace = path
        return path

    def replay_previous(self, path: str) -> None:
        """Open a kept run (see :meth:`_next_trace`) in a replay screen of its own."""
        self.app.push_screen(RunScreen(self.target, lang=self.lang, replay=path))

    # -- the run ---------------------------------------------------------------------

    def start_run(self) -> None:
        """(Re)start the target from scratch."""
        self.stop_run()
        self.generation += 1
        self.history = RunHistory(_tui_model)
        self.shown = self.history.live
        self.cursor = None
        self._reset_panes()
        session: Session | TraceSource
        if self.replay is not None:
            session = TraceSource(self.replay)
        else:
            session = Session(self.target, clock=self.clock, speed=self.speed, paused=self.start_paused,
                              trace_path=self._next_trace())
        self.paused = False
        self.asked = None
        self.ended = False
        try:
            session.start()
        except (OSError, TraceError) as exc:
            self.notify(wording.text("notify-could-not-start", error=exc), severity="error", markup=False)
            return
        self.session = session
        self.app.register_session(session)  # type: ignore[attr-defined]
        self._ack = threading.Event()
        self._wall_at_event = time.monotonic()
        self._t_base = 0.0
        self._next_timer = None
        self.consume(session, self.generation, self._ack)
        self._show_status()

    def stop_run(self) -> None:
        session = self.session
        if session is not None:
            session.stop()
            self.session = None

    def _reset_panes(self, same_run: bool = False) -> None:
        model = self.shown
        scenario = self._scenario()
        intro: list[str] = []
        if scenario is not None:
            watch = scenario.text("watch", self.lang)
            if watch:
                intro.append(say("watch", self.lang, text=watch))
        if self.start_paused:
            intro.append(say("start-paused", self.lang))
        self.query_one(TaskTable).set_model(model, same_run)
        self.query_one(Timeline).set_model(model)
        self.query_one(OutputView).set_model(model)
        self.query_one(NarrationView).set_model(model, intro)
        self.query_one(DiagnosticsList).set_model(model)
        self.query_one(ResourcesList).set_model(model)
        placeholder = wording.text("detail-placeholder")
        self.query_one(TaskDetail).set_model(model, placeholder)

    def _scenario(self) -> catalog.Scenario | None:
        if self.target.kind != "path":
            return None
        for scenario in catalog.scenarios():
            if os.path.abspath(scenario.path) == os.path.abspath(self.target.value):
                return scenario
        return None

    @work(thread=True, exclusive=True, group="session", exit_on_error=False, description="read events")
    def consume(self, session: Session, generation: int, ack: threading.Event) -> None:
        """Drain the session's batches and post them, one message in flight at a time."""
        worker = get_current_worker()
        ended = False
        while not ended and not worker.is_cancelled:
            events, ended = drain(session)
            if not events and not ended:
                continue
            began = time.monotonic()
            ack.clear()
            self.post_message(EventsArrived(generation, events, ended))
            while not ack.wait(0.1):
                if worker.is_cancelled:
                    return
            rest = MIN_INTERVAL - (time.monotonic() - began)
            if rest > 0 and not ended:
                time.sleep(rest)

    def on_events_arrived(self, message: EventsArrived) -> None:
        if message.generation != self.generation:
            return
        try:
            changes = self.history.append(message.events)
        finally:
            self._ack.set()
        if message.ended:
            self.history.settle()
        self._wall_at_event = time.monotonic()
        if self.cursor is not None:  # looking at the past: the live edge moves on unseen
            live = self.history.live
            self.paused = live.paused
            self.ended = live.end is not None
            self._show_status()
            return
        self._refresh(changes)

    def _refresh(self, changes: Delta) -> None:
        """Redraw what ``changes`` touched, from the state shown."""
        model = self.shown
        self._t_base = model.t
        if changes.tasks and self.cursor is None and self.replay is None:  # only now() reads it
            self._next_timer = min(
                (info.wait.until for info in model.tasks.values()
                 if not info.final and info.wait is not None and info.wait.kind == "sleep"
                 and info.wait.until is not None),
                default=None,
            )
        table = self.query_one(TaskTable)
        table.update_rows(changes.tasks, changes.new_tasks, changes.renamed, changes.stepped, changes.jumped)
        timeline = self.query_one(Timeline)
        timeline.lanes_changed()
        timeline.set_now(self.now())
        if changes.output:
            self.query_one(OutputView).lines_changed()
        if changes.renamed and not changes.jumped:  # a jump's set_model wrapped them with today's names
            self.query_one(NarrationView).names_changed()
        elif changes.narration:
            self.query_one(NarrationView).lines_changed()
        if changes.diagnostics:
            self.query_one(DiagnosticsList).diagnostics_changed()
        resources = self.query_one(ResourcesList)
        if resources.display and (changes.resources or changes.tasks):
            resources.resources_changed()
        self.query_one(TaskDetail).update_view()
        live = self.history.live
        if live.paused != self.paused or live.steps != self._asked_at_steps or live.end is not None:
            self.asked = None  # the program answered (paused, resumed, stepped or ended)
        self.paused = live.paused
        self.ended = live.end is not None
        self._show_status()

    # -- time travel -----------------------------------------------------------------

    def travel_to(self, shown: int | None) -> None:
        """Show the run after its first ``shown`` events (None, or all of them: the live edge)."""
        if shown is not None and shown >= len(self.history):
            shown = None
        if shown == self.cursor:
            return
        if shown is not None and self.cursor is not None and self.history.snapshot_before(shown) <= self.cursor < shown:
            # Forward from a moment in the past, and no snapshot in between: fold only the
            # events in between (how playback and → stay cheap); the panes update as they
            # do live. Further than that, a jump is cheaper (g 2.2 after g 0.7 folded
            # 240,000 events, 0.9 s, on a million-event run).
            changes = self.history.advance(self.shown, self.cursor, shown)
            self.cursor = shown
            self._refresh(changes)
            self.refresh_bindings()
            return
        table = self.query_one(TaskTable)
        selected = table.selected
        # The moment shown before is let go after the frame, not before it: freeing a
        # large run's state (its task table, the tasks copied since its snapshot) took
        # 20 ms, and the panes drop their references to it one by one below.
        retired = self.shown
        self.call_after_refresh(lambda: retired)
        self.shown = self.history.live if shown is None else self.history.state_at(shown)
        changes = Delta.everything(self.shown)
        self.cursor = shown
        self._reset_panes(same_run=True)
        self._refresh(changes)
        if selected is not None:
            table.select_task(selected)
        self.refresh_bindings()

    def _can_travel(self) -> bool:
        return bool(self.history) and (self.paused or self.ended or self.cursor is not None)

    def _hidden_tasks(self) -> Container[int]:
        """Tasks whose steps the arrows pass over: the ones the task pane does not show.
        Asked about task by task, as the arrows meet steps (listing them all up front took
        20 ms on a run of 80,000 tasks, for the few an arrow looks at)."""
        return _HiddenTasks(self.history.live.tasks, self.rows.view)

    def _travel_or_skip(self, arrows: bool = False) -> None:
        """Time travel keys share keys with the panes (home, end): when they do not apply,
        let the focused pane have the key; the output pane keeps its arrows to scroll
        long lines sideways."""
        if not self._can_travel() or (arrows and isinstance(self.focused, OutputView)):
            raise SkipAction()
        self._stop_playing()

    def action_step_back(self) -> None:
        self._travel_or_skip(arrows=True)
        if self._can_travel():
            cursor = len(self.history) if self.cursor is None else self.cursor
            self.travel_to(self.history.previous_step(cursor, self._hidden_tasks()))

    def action_step_forward(self) -> None:
        self._travel_or_skip(arrows=True)
        if self.cursor is None:
            # At the live edge, forward is the program's next step (as s is).
            if self.paused and not self.ended:
                self.action_step()
            return
        self.travel_to(self.history.next_step(self.cursor, self._hidden_tasks()))

    def action_travel_start(self) -> None:
        self._travel_or_skip()
        self.travel_to(self.history.previous_step(1))

    def action_travel_end(self) -> None:
        if self.cursor is None:
            raise SkipAction()
        self.travel_to(None)

    def _stop_playing(self) -> None:
        if self._playing is not None:
            self._playing.stop()
            self._playing = None
            self.asked = None
            self._show_status()

    def action_play(self) -> None:
        """Replay: play forward from the moment shown, at the chosen speed (again: stop)."""
        if self._playing is not None:
            self._stop_playing()
            return
        if self.cursor is None:
            self.travel_to(self.history.previous_step(1))  # at the end: play from the start
        if self.speed is None:
            self.travel_to(None)
            return
        self._play_from = (time.monotonic(), self.shown.t)
        self._playing = self.set_interval(CLOCK_TICK, self._play_tick)
        self.asked = "playing"
        self._show_status()

    def _play_tick(self) -> None:
        began, t0 = self._play_from
        target = t0 + (time.monotonic() - began) * (self.speed or 1.0)
        shown = self.history.index_at(target)
        if self.cursor is not None and shown > self.cursor:
            self.travel_to(shown)
        if self.cursor is None:  # reached the end
            self._stop_playing()

    def action_travel_to_time(self) -> None:
        self._travel_or_skip()
        ask_loop_time(self, self.shown.t, lambda t: self.travel_to(self.history.index_at(t)))

    def now(self) -> float:
        """Loop time now: the model's, or between events an estimate of the child's clock
        (a slow-motion jump of the virtual clock sends no event until it lands)."""
        model = self.shown
        if (model.end is not None or model.paused or model.hello is None or self.session is None
                or self.cursor is not None or self.replay is not None):
            return model.t
        elapsed = time.monotonic() - self._wall_at_event
        if self.clock == "real":
            return model.t + elapsed
        if self.speed is None:
            return model.t
        estimate = self._t_base + elapsed * self.speed
        limit = self._next_timer if self._next_timer is not None else model.t
        return max(model.t, min(estimate, limit))

    def _clock_tick(self) -> None:
        model = self.shown
        if model.end is not None or model.paused or model.hello is None:
            return
        now = self.now()
        if now != model.t:
            self.query_one(Timeline).set_now(now)
            self._show_status(now)

    def _show_status(self, now: float | None = None) -> None:
        label = (wording.text("replay-label", name=self.target.display) if self.replay is not None
                 else self.target.display)
        past = None if self.cursor is None else (self.cursor, len(self.history), self.history.live.status)
        self.query_one(StatusBar).show(label, self.shown,
                                       self.now() if now is None else now, self.speed, self.clock,
                                       self.asked, past)
        total = self.shown.t
        self.query_one(Timeline).border_subtitle = wording.text("timeline-total", t=total)
        output = self.query_one(OutputView)
        dropped = output.dropped
        count = len(self.shown.output) + self.shown.output_dropped  # every line printed
        output.border_subtitle = wording.text("output-lines-one" if count == 1 else "output-lines", count=count) + (
            wording.text("output-not-shown", count=dropped) if dropped else "")

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _TRAVEL_ACTIONS:
            return True if self._can_travel() else None
        if self.replay is not None and action in _LIVE_ONLY_ACTIONS:
            return False  # nothing runs in a replay: hidden
        if action == "play":
            return True if self.replay is not None else False
        if action in ("step", "step_iteration"):
            return True if self.paused and not self.ended else None
        if action == "pause":
            # One key, two meanings: the footer shows the one that applies now.
            return None if self.ended else (not self.paused)
        if action == "resume":
            return self.paused and not self.ended
        if action in ("faster", "slower"):
            return True if self.clock == "virtual" else None
        if action in ("zoom_in", "zoom_out", "zoom_fit"):
            return True if self.query_one(Timeline).display else None
        if action == "interrupt":
            return True if self.session is not None and not self.ended else None
        return True

    def _send(self, cmd: str, value: float | None = None) -> None:
        if self.session is not None:
            self.session.send(cmd, value)

    def _ask(self, cmd: str, shown: str) -> None:
        self._send(cmd)
        self.asked = shown
        self._asked_at_steps = self.shown.steps
        self._show_status()

    def action_pause(self) -> None:
        if not self.ended:
            self._ask("pause", "pausing")

    def action_resume(self) -> None:
        if not self.ended:
            self.travel_to(None)  # resuming runs from the live edge
            self._ask("resume", "resuming")

    def action_step(self) -> None:
        if self.paused and not self.ended:
            self.travel_to(None)
            self._ask("step", "stepping")

    def action_step_iteration(self) -> None:
        if self.paused and not self.ended:
            self._ask("step-iteration", "stepping")

    def action_export_run(self) -> None:
        """The run so far, as a Perfetto trace beside where asyncscope was started."""
        source = self.replay or self._current_trace
        if source is None or not os.path.exists(source):
            self.notify(wording.text("notify-no-recording"), severity="warning")
            return
        if isinstance(self.session, Session):
            self.session.flush_trace()
        stem = os.path.splitext(os.path.basename(self.target.display or "run"))[0] or "run"
        self._export(source, _free_path(f"asyncscope-{stem}", ".pftrace"))

    @work(thread=True, group="export", exit_on_error=False, description="export the run")
    def _export(self, source: str, out: str) -> None:
        from asyncscope.export import ExportError, export_trace

        try:
            export_trace(source, out, "perfetto")
        except (TraceError, ExportError) as exc:
            self.app.call_from_thread(self.notify, wording.text("notify-export-failed", error=exc), severity="error",
                                      markup=False)
        else:
            self.app.call_from_thread(self.notify, wording.text("notify-exported", path=out),
                                      markup=False, timeout=8)

    def action_save_screenshot(self) -> None:
        stem = os.path.splitext(os.path.basename(self.target.display or "run"))[0] or "run"
        path = _free_path(f"asyncscope-{stem}", ".svg")
        self.app.save_screenshot(os.path.basename(path), os.path.dirname(path))
        self.notify(wording.text("notify-screenshot", path=path), markup=False, timeout=8)

    def action_interrupt(self) -> None:
        """Ctrl+C for the program (SIGINT), which may handle it and end on its own; unlike
        q, r and escape, this does not stop it."""
        session = self.session
        if session is None or self.ended:
            return
        interrupt = getattr(session, "interrupt", None)
        if interrupt is None:
            self.notify(wording.text("notify-no-interrupt"), severity="warning")
            return
        interrupt()
        self.notify(wording.text("notify-interrupted"), timeout=3)

    def action_restart(self) -> None:
        self.start_run()
        # markup=False: a file name is user text
        self.notify(wording.text("notify-restarted", name=self.target.display), timeout=2, markup=False)

    def _set_speed(self, direction: int) -> None:
        current = SPEEDS.index(self.speed) if self.speed in SPEEDS else 3
        index = max(0, min(len(SPEEDS) - 1, current + direction))
        if index == current:
            self.notify(wording.text("notify-speed-limit", speed=speed_label(self.speed)), timeout=2)
            return
        # Re-base the clock estimate so the cursor does not jump when the rate changes.
        self._t_base = self.now()
        self._wall_at_event = time.monotonic()
        self.speed = SPEEDS[index]
        self._send("speed", self.speed)
        self._show_status()

    def action_faster(self) -> None:
        self._set_speed(1)

    def action_slower(self) -> None:
        self._set_speed(-1)

    def action_open_file(self) -> None:
        from asyncscope.tui.screens.open_file import Opened, OpenFileScreen

        def opened(choice: Opened | None) -> None:
            if choice is not None:
                self.target = Target("path", os.path.abspath(choice.path), (), os.path.basename(choice.path))
                self.clock = choice.clock
                # A new program starts at the default speed, not at whatever the last one ran at.
                self.speed = self.app.speed  # type: ignore[attr-defined]
                self.refresh_bindings()
                self.start_run()

        self.app.push_screen(OpenFileScreen(clock=self.clock), opened)

    def action_toggle_timeline(self) -> None:
        timeline = self.query_one(Timeline)
        timeline.display = not timeline.display

    def action_toggle_resources(self) -> None:
        """The side column's lower pane: diagnostics, or resources."""
        resources = self.query_one(ResourcesList)
        resources.display = not resources.display
        self.query_one(DiagnosticsList).display = not resources.display
        if resources.display:
            resources.resources_changed()
            resources.focus()
        else:
            self.query_one(TaskTable).mark([], [])

    def on_resources_list_highlighted(self, event: ResourcesList.Highlighted) -> None:
        """Mark in the task table who holds and who waits on the resource under the cursor."""
        if event.resources.display:
            self.query_one(TaskTable).mark(event.holders, event.waiters)

    def on_resources_list_chosen(self, event: ResourcesList.Chosen) -> None:
        """Select the resource's holder (or first waiter) in the task table, and say who
        holds and who waits."""
        table = self.query_one(TaskTable)
        for tid in event.tasks:
            info = self.shown.tasks.get(tid)
            if info is None:
                continue
            if tier(info) > self.rows.view:
                self.rows.view = tier(info)
                self._rows_changed()
            if table.select_task(tid):
                break

    def action_toggle_internal(self) -> None:
        """Cycle the tasks shown: the program's own, + libraries', + asyncio's own."""
        self.rows.view = (self.rows.view + 1) % len(VIEWS)
        self._rows_changed()
        self.notify(wording.text("tasks-shown", view=view_name(self.rows.view)), timeout=2)

    def action_toggle_tree(self) -> None:
        self.rows.tree = not self.rows.tree
        self._rows_changed()

    def _rows_changed(self) -> None:
        self.query_one(TaskTable).rebuild()
        self.query_one(Timeline).lanes_changed()

    def action_filter_tasks(self) -> None:
        field = self.query_one("#task-filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#task-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.rows.filter = event.value.strip()
        self._rows_changed()

    @on(Input.Submitted, "#task-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.query_one(TaskTable).focus()

    def action_zoom_in(self) -> None:
        self.query_one(Timeline).zoom_in()

    def action_zoom_out(self) -> None:
        self.query_one(Timeline).zoom_out()

    def action_zoom_fit(self) -> None:
        self.query_one(Timeline).zoom_fit()

    def action_maximize_pane(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            self.maximize(self.focused)

    def action_help(self) -> None:
        from asyncscope.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        field = self.query_one("#task-filter", Input)
        if field.has_focus or field.display:
            field.value = ""
            field.display = False
            self.query_one(TaskTable).focus()
            return
        self.stop_run()
        self.app.show_picker()  # type: ignore[attr-defined]

    async def action_quit(self) -> None:
        self.stop_run()
        self.app.exit(0)

    # -- pane links ------------------------------------------------------------------

    def on_task_table_selected(self, event: TaskTable.Selected) -> None:
        self.query_one(TaskDetail).show_task(event.task)
        self.query_one(Timeline).select(event.task)

    def on_timeline_lane_chosen(self, event: Timeline.LaneChosen) -> None:
        self.query_one(TaskTable).select_task(event.task)

    def on_diagnostics_list_chosen(self, event: DiagnosticsList.Chosen) -> None:
        diagnostic = event.diagnostic
        table = self.query_one(TaskTable)
        if diagnostic.task is not None and diagnostic.task in self.shown.tasks:
            info = self.shown.tasks[diagnostic.task]
            if tier(info) > self.rows.view:
                self.rows.view = tier(info)
                self._rows_changed()
            if self.rows.filter and diagnostic.task not in self.rows.index:
                self.query_one("#task-filter", Input).value = ""
            table.select_task(diagnostic.task)
        self.query_one(TaskDetail).show_diagnostic(diagnostic)


class _HiddenTasks:
    """The tasks a view of the task pane leaves out, as a container (see ``tier``)."""

    __slots__ = ("_tasks", "_view")

    def __init__(self, tasks: dict[int, TaskInfo], view: int) -> None:
        self._tasks = tasks
        self._view = view

    def __contains__(self, tid: object) -> bool:
        info = self._tasks.get(tid)  # type: ignore[call-overload]
        return info is not None and tier(info) > self._view
