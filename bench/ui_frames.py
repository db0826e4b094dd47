"""UI frame cost with 10,000 live tasks: TaskTable and Timeline vs Textual's DataTable.

Run by hand (not part of the test suite)::

    python bench/ui_frames.py [--tasks 10000] [--batch 500] [--frames 60]
                              [--only KEY,...] [--show] [--profile KEY]

Every widget runs alone in a headless ``App.run_test(size=(120, 40))``, scrolled to the
middle of the rows, on the same data: a :class:`RunHistory` (the one fold the run screen
uses) holding 10,000 live tasks built from events (``TaskCreated``, ``Step`` with
``Wait(...)``, ``Output``, ``Tick``). Each frame folds a batch of events in which
``--batch`` tasks change state (40 of them on screen), hands the changes to the widget the
way ``RunScreen.on_events_arrived`` does (``DataTable``: ``update_cell`` for the state,
"waits on" and steps cells of every changed task), then lets Textual paint the frame.

What is timed, per frame:

- *update*: the widget calls that take the batch (``TaskTable.update_rows``,
  ``Timeline.lanes_changed``/``set_now``, or the ``update_cell`` calls with their cell
  values). The model fold is shared by all widgets and reported on its own line.
- *paint*: every ``Screen._on_timer_update`` call while ``await pilot.pause()`` waits for
  the frame. That method is Textual's frame (the screen's update timer and ``Pilot.pause``
  both call it): layout if needed, ``Compositor.update_widgets``, ``render_update`` (which
  calls the widget's ``render_lines``, hence ``render_line`` for every dirty line) and
  ``App._display`` (a no-op when headless, so writing the terminal is not counted). The
  share spent inside the widget's own ``render_line`` is reported as *render_line*.

ms/frame is update + paint of one frame; median and p95 (nearest rank) over ``--frames``
frames after 5 warm-up frames. ``--profile NAME`` runs cProfile over the measured frames
of one configuration (``tasktable``, ``timeline``, ``datatable``, ...) and prints the top
functions (that configuration's times are then inflated by the profiler). ``--show`` prints
part of what each widget drew. Record results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import math
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import textual
from rich.text import Text
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

from asyncscope.display import safe_text, task_colour
from asyncscope.events import Code, Event, Hello, Output, Step, TaskCreated, Tick, Wait
from asyncscope.history import RunHistory
from asyncscope.model import Delta, Model, TaskInfo
from asyncscope.tui.format import STATE_STYLE
from asyncscope.tui.widgets.taskrows import TaskRows
from asyncscope.tui.widgets.tasks import TaskTable, layout_columns
from asyncscope.tui.widgets.timeline import Timeline

SIZE = (120, 40)
WARMUP = 5
ON_SCREEN = 40
"""Tasks of each batch taken from the rows on screen (the rest are anywhere)."""
BUDGET_MS = 16.0

# -- the data ----------------------------------------------------------------------------

CODES = [
    Code(1, "main", "app.py", 40, False),
    Code(2, "handle", "app.py", 20, False),
    Code(3, "fetch", "app.py", 12, False),
    Code(4, "sleep", "asyncio/tasks.py", 630, True),
    Code(5, "Queue.get", "asyncio/queues.py", 158, True),
    Code(6, "Event.wait", "asyncio/locks.py", 210, True),
]
CORO_NAMES = ("handle", "fetch", "consumer", "producer", "poll_sensor")


def _wait(rng: random.Random, t: float, tid: int, n: int) -> tuple[Wait | None, list[int] | None]:
    """A wait of one of the kinds a real program shows, with its await chain."""
    roll = rng.random()
    if roll < 0.35:
        return None, None  # sleep(0): ready again
    if roll < 0.65:
        return Wait("sleep", until=round(t + rng.uniform(0.01, 2.0), 6)), [2, 21, 3, 14, 4, 630]
    if roll < 0.75:
        return Wait("task", tasks=[rng.randint(2, n)]), [2, 25]
    if roll < 0.80:
        return Wait("gather", tasks=[rng.randint(2, n), rng.randint(2, n)], count=3), [2, 27]
    if roll < 0.90:
        return Wait("sync", detail="Queue.get"), [2, 22, 5, 158]
    if roll < 0.95:
        return Wait("sync", detail="Event.wait"), [2, 23, 6, 210]
    return Wait("io", detail="socket recv"), [2, 24, 3, 15]


@dataclass
class Workload:
    """A run history with ``tasks`` live tasks and a deterministic stream of update batches."""

    tasks: int
    batch: int
    seed: int = 7
    rounds: int = 12
    history: RunHistory = field(default_factory=RunHistory)
    t: float = 0.0
    fold_ms: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        n = self.tasks
        events: list[Event] = [Hello(1, 4242, "3.11.7", "virtual", "bench", ["bench"]), *CODES]
        events.append(TaskCreated(0.0, 1, "Task-1", "main", None, "app.py:50", False))
        for tid in range(2, n + 1):
            coro = CORO_NAMES[tid % len(CORO_NAMES)]
            events.append(TaskCreated(round(tid * 1e-5, 6), tid, f"{coro}-{tid}", coro, 1, "app.py:44", False))
        events.append(Step(0.1, 1, 2000, Wait("gather", tasks=list(range(2, 12)), count=n - 1), [1, 45]))
        self.t = 0.1
        self.history.append(events)
        rng = self.rng
        for _ in range(self.rounds):  # every task steps a few times: histories of ~a dozen states
            events = []
            for tid in range(2, n + 1):
                self.t += 1e-5
                wait, chain = _wait(rng, self.t, tid, n)
                events.append(Step(round(self.t, 6), tid, rng.randint(1_000, 50_000), wait, chain))
                if rng.random() < 0.01:
                    events.append(Output(tid, self.t, tid, "stdout", f"task {tid} says hi", True, None))
            events.append(Tick(self.t + 0.05))
            self.t += 0.05
            self.history.append(events)

    @property
    def model(self) -> Model:
        return self.history.live

    def next_batch(self, visible: list[int]) -> Delta:
        """Fold one batch: ``batch`` tasks step (``ON_SCREEN`` of them from ``visible``)."""
        rng = self.rng
        n = self.tasks
        chosen = list(visible[:ON_SCREEN])
        taken = set(chosen)
        while len(chosen) < self.batch:
            tid = rng.randint(2, n)
            if tid not in taken:
                taken.add(tid)
                chosen.append(tid)
        events: list[Event] = []
        for tid in chosen:
            self.t += 2e-6
            wait, chain = _wait(rng, self.t, tid, n)
            events.append(Step(round(self.t, 6), tid, rng.randint(1_000, 50_000), wait, chain))
        self.t += 0.01
        events.append(Tick(round(self.t, 6)))
        began = time.perf_counter()
        changes = self.history.append(events)
        self.fold_ms.append((time.perf_counter() - began) * 1000)
        return changes


# -- the same cells for DataTable ---------------------------------------------------------


CELLS: dict[str, Callable[[Model, TaskInfo], Text]] = {
    "name": lambda model, info: Text(safe_text(info.name), style=task_colour(info.id)),
    "coro": lambda model, info: Text(safe_text(info.coro)),
    "state": lambda model, info: Text(info.state, style=STATE_STYLE.get(info.state, "")),
    "waits": lambda model, info: Text(model.wait_text(info)),
    "steps": lambda model, info: Text(str(info.steps), justify="right"),
    "created": lambda model, info: Text(f"{info.created_at:.3f}", justify="right"),
}
"""What ``TaskTable._cell`` shows (flat view, live tasks), as DataTable cells."""


CHANGING = ("state", "waits", "steps")
"""The cells a task step can change."""


# -- instrumentation ----------------------------------------------------------------------


class Probe:
    """Times Textual's frame method, the widgets' ``render_line`` and full garbage
    collections while ``on``."""

    def __init__(self) -> None:
        self.on = False
        self.paint = 0.0
        self.render = 0.0
        self.lines = 0
        self.full_gc: list[float] = []
        self._gc_began = 0.0
        self.profiler: cProfile.Profile | None = None

    def reset(self) -> None:
        self.paint = self.render = 0.0
        self.lines = 0

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        elif self.on and info["generation"] == 2:
            self.full_gc.append((time.perf_counter() - self._gc_began) * 1000)

    def install(self) -> None:
        gc.callbacks.append(self._gc)
        original = Screen._on_timer_update
        probe = self

        def _on_timer_update(screen: Screen[Any]) -> None:
            if not probe.on:
                original(screen)
                return
            if probe.profiler is not None:
                probe.profiler.enable()
            began = time.perf_counter()
            try:
                original(screen)
            finally:
                probe.paint += time.perf_counter() - began
                if probe.profiler is not None:
                    probe.profiler.disable()

        Screen._on_timer_update = _on_timer_update  # type: ignore[method-assign]

    def watch(self, widget: Widget) -> None:
        """Time ``widget.render_line`` (looked up on the instance by Textual's StylesCache)."""
        render_line = widget.render_line
        probe = self

        def timed_render_line(y: int) -> Any:
            if not probe.on:
                return render_line(y)
            began = time.perf_counter()
            try:
                return render_line(y)
            finally:
                probe.render += time.perf_counter() - began
                probe.lines += 1

        widget.render_line = timed_render_line  # type: ignore[method-assign]


PROBE = Probe()


# -- the configurations -------------------------------------------------------------------


class BenchApp(App[None]):
    CSS = "Screen { layout: vertical; } Screen > * { height: 1fr; }"

    def __init__(self, widgets: list[Widget]) -> None:
        super().__init__()
        self.bench_widgets = widgets

    def compose(self) -> ComposeResult:
        yield from self.bench_widgets


@dataclass
class Config:
    key: str
    label: str
    widgets: Callable[[TaskRows], list[Widget]]
    setup: Callable[[list[Widget], Workload, TaskRows, int], Any]
    update: Callable[[list[Widget], Workload, Delta], None]
    visible: Callable[[list[Widget], TaskRows], list[int]]


def _visible_rows(rows: TaskRows, top: int) -> list[int]:
    return rows.rows[top:top + ON_SCREEN]


def _setup_table(widgets: list[Widget], work: Workload, rows: TaskRows, top: int, follow: bool = False) -> None:
    table = widgets[0]
    assert isinstance(table, TaskTable)
    table.set_model(work.model)
    table.follow = follow
    table.selected = rows.rows[top + 5]
    table.scroll_to(y=top, animate=False)
    for widget in widgets[1:]:
        assert isinstance(widget, Timeline)
        widget.set_model(work.model)
        widget.set_now(work.model.t)
        widget.select(table.selected)
        widget.scroll_to(y=top, animate=False)


def _update_table(widgets: list[Widget], work: Workload, changes: Delta) -> None:
    # RunScreen.on_events_arrived, minus the panes that are not on screen here.
    table = widgets[0]
    assert isinstance(table, TaskTable)
    table.update_rows(changes.tasks, changes.new_tasks, changes.renamed, changes.stepped)
    for widget in widgets[1:]:
        assert isinstance(widget, Timeline)
        widget.lanes_changed()
        widget.set_now(work.model.t)
        if table.follow:
            widget.select(table.selected)


def _setup_timeline(widgets: list[Widget], work: Workload, rows: TaskRows, top: int) -> None:
    timeline = widgets[0]
    assert isinstance(timeline, Timeline)
    rows.rebuild(work.model)
    timeline.set_model(work.model)
    timeline.set_now(work.model.t)
    timeline.select(rows.rows[top + 5])
    timeline.scroll_to(y=top, animate=False)


def _update_timeline(widgets: list[Widget], work: Workload, changes: Delta) -> None:
    timeline = widgets[0]
    assert isinstance(timeline, Timeline)
    timeline.rows.update(work.model, changes.tasks, changes.new_tasks, changes.renamed)
    timeline.lanes_changed()
    timeline.set_now(work.model.t)


def _make_datatable(rows: TaskRows) -> list[Widget]:
    return [DataTable(cursor_type="row")]


async def _setup_datatable(widgets: list[Widget], work: Workload, rows: TaskRows, top: int) -> None:
    table = widgets[0]
    assert isinstance(table, DataTable)
    # Same columns and widths as the TaskTable at this size (its content is 118 cells wide).
    # DataTable pads each cell by one cell a side where TaskTable has a 2-cell mark and a
    # 1-cell gap: take the 4 extra cells from "waits on" so the total width matches.
    width = SIZE[0] - 2
    for column, column_width in layout_columns(width):
        table.add_column(column.title, width=column_width - (4 if column.id == "waits" else 0), key=column.id)
    rows.rebuild(work.model)
    model = work.model
    order = [c.id for c, _ in layout_columns(width)]
    for tid in rows.rows:
        info = model.tasks[tid]
        table.add_row(*(CELLS[cid](model, info) for cid in order), key=str(tid))


def _update_datatable(widgets: list[Widget], work: Workload, changes: Delta) -> None:
    table = widgets[0]
    assert isinstance(table, DataTable)
    model = work.model
    changing = [(cid, CELLS[cid]) for cid in CHANGING if cid in table.columns]
    for tid in changes.tasks:
        info = model.tasks.get(tid)
        if info is None or info.internal:
            continue
        key = str(tid)
        for cid, cell in changing:
            table.update_cell(key, cid, cell(model, info))


CONFIGS = [
    Config("tasktable", "TaskTable", lambda rows: [TaskTable(rows)],
           _setup_table, _update_table, lambda ws, rows: _visible_rows(rows, round(ws[0].scroll_y))),
    Config("timeline", "Timeline", lambda rows: [Timeline(rows)],
           _setup_timeline, _update_timeline, lambda ws, rows: _visible_rows(rows, round(ws[0].scroll_y))),
    Config("split", "TaskTable+Timeline, 20 rows each", lambda rows: [TaskTable(rows), Timeline(rows)],
           _setup_table, _update_table, lambda ws, rows: _visible_rows(rows, round(ws[0].scroll_y))),
    Config("follow", "TaskTable, follow mode (scrolls)", lambda rows: [TaskTable(rows)],
           lambda ws, work, rows, top: _setup_table(ws, work, rows, top, follow=True),
           _update_table, lambda ws, rows: _visible_rows(rows, round(ws[0].scroll_y))),
    Config("datatable", "DataTable (update_cell)", _make_datatable,
           _setup_datatable, _update_datatable,
           lambda ws, rows: [int(str(ws[0].coordinate_to_cell_key((r, 0)).row_key.value))
                             for r in range(round(ws[0].scroll_y), min(ws[0].row_count,
                                                                         round(ws[0].scroll_y) + ON_SCREEN))]),
]


@dataclass
class Result:
    config: Config
    rows: int
    lines: int
    setup_s: float
    update_ms: list[float]
    paint_ms: list[float]
    render_ms: list[float]
    frame_ms: list[float]
    fold_ms: list[float]
    full_gc_ms: list[float]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


async def measure(config: Config, options: argparse.Namespace) -> Result:
    work = Workload(options.tasks, options.batch)
    rows = TaskRows()
    widgets = config.widgets(rows)
    app = BenchApp(widgets)
    update_ms: list[float] = []
    paint_ms: list[float] = []
    render_ms: list[float] = []
    frame_ms: list[float] = []
    lines: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        began = time.perf_counter()
        top = options.tasks // 2
        result = config.setup(widgets, work, rows, top)
        if asyncio.iscoroutine(result):
            await result
        await pilot.pause()
        # Scroll to the middle once the virtual size is laid out (follow mode scrolls itself).
        if isinstance(widgets[0], DataTable):
            widgets[0].move_cursor(row=top + 5, animate=False)
            await pilot.pause()
        if config.key != "follow":
            for widget in widgets:
                widget.scroll_to(y=top, animate=False)
            await pilot.pause()
            assert all(round(widget.scroll_y) == top for widget in widgets), "could not scroll to the middle"
        setup_s = time.perf_counter() - began
        for widget in widgets:
            PROBE.watch(widget)
        profiler = cProfile.Profile() if options.profile == config.key else None
        gc.collect()
        PROBE.full_gc = []
        for frame in range(WARMUP + options.frames):
            changes = work.next_batch(config.visible(widgets, rows))
            PROBE.reset()
            PROBE.on = True
            PROBE.profiler = profiler if frame >= WARMUP else None
            if PROBE.profiler is not None:
                PROBE.profiler.enable()
            began = time.perf_counter()
            config.update(widgets, work, changes)
            update = time.perf_counter() - began
            if PROBE.profiler is not None:
                PROBE.profiler.disable()
            await pilot.pause()
            PROBE.on = False
            PROBE.profiler = None
            if frame < WARMUP:
                PROBE.full_gc = []
                continue
            update_ms.append(update * 1000)
            paint_ms.append(PROBE.paint * 1000)
            render_ms.append(PROBE.render * 1000)
            frame_ms.append((update + PROBE.paint) * 1000)
            lines.append(PROBE.lines)
        row_count = widgets[0].row_count if isinstance(widgets[0], DataTable) else len(rows.rows)
        if options.show:
            print(f"\n{config.label}: the screen after the last frame (first and last lines)")
            screen = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
            for line in screen[:4] + ["..."] + screen[-2:]:
                print(f"  {line}")
    if profiler is not None:
        print(f"\ncProfile of {config.label}, {options.frames} frames (update + paint):")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(25)
    return Result(config, row_count, int(statistics.median(lines)), setup_s, update_ms, paint_ms,
                  render_ms, frame_ms, work.fold_ms[WARMUP:], list(PROBE.full_gc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500, help="tasks that change state per frame")
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--only", default="", help="comma-separated config keys: "
                        + ", ".join(c.key for c in CONFIGS))
    parser.add_argument("--show", action="store_true", help="print what each widget drew")
    parser.add_argument("--profile", default="", help="cProfile the frames of one config key")
    options = parser.parse_args()
    if options.profile and options.profile not in {c.key for c in CONFIGS}:
        parser.error(f"--profile: one of {', '.join(c.key for c in CONFIGS)}")
    wanted = set(filter(None, options.only.split(","))) or {c.key for c in CONFIGS}
    if options.profile:
        wanted.add(options.profile)
    PROBE.install()
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

    began = time.perf_counter()
    results = []
    for config in CONFIGS:
        if config.key in wanted:
            results.append(asyncio.run(measure(config, options)))
    total = time.perf_counter() - began

    print(f"UI frame cost: {options.tasks:,} live tasks, {options.batch} change state per frame "
          f"({ON_SCREEN} on screen), {SIZE[0]}x{SIZE[1]} headless, {options.frames} frames "
          f"after {WARMUP} warm-up")
    print(f"python {sys.version.split()[0]}, textual {textual.__version__}, {os.cpu_count()} cores; "
          f"ms/frame = update + paint (Screen._on_timer_update); render_line is part of paint")
    header = (f"{'widget':<34} {'rows':>6} {'lines':>5} {'update':>7} {'paint':>7} {'render_line':>11} "
              f"{'median ms/frame':>15} {'p95 ms/frame':>12}  {'full GCs':>13}")
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        median = statistics.median(r.frame_ms)
        flag = "  > 16 ms budget" if median > BUDGET_MS and r.config.key != "datatable" else ""
        if r.config.key == options.profile:
            flag = "  (under cProfile: inflated)"
        gcs = f"{len(r.full_gc_ms)} x {statistics.median(r.full_gc_ms):.0f} ms" if r.full_gc_ms else "0"
        print(f"{r.config.label:<34} {r.rows:>6} {r.lines:>5} {statistics.median(r.update_ms):>7.2f} "
              f"{statistics.median(r.paint_ms):>7.2f} {statistics.median(r.render_ms):>11.2f} "
              f"{median:>15.2f} {p95(r.frame_ms):>12.2f}  {gcs:>13}{flag}")
    print()
    by_key = {r.config.key: r for r in results}
    data, table = by_key.get("datatable"), by_key.get("tasktable")
    if data is not None and table is not None:
        print(f"DataTable / TaskTable: {statistics.median(data.frame_ms) / statistics.median(table.frame_ms):.1f}x "
              f"(median), {p95(data.frame_ms) / p95(table.frame_ms):.1f}x (p95)")
    fold = [ms for r in results for ms in r.fold_ms]
    if fold:
        print(f"model fold of one batch (RunHistory.append, shared, not in ms/frame): median "
              f"{statistics.median(fold):.2f} ms, p95 {p95(fold):.2f} ms")
    for r in results:
        if r.config.key == "datatable":
            print(f"DataTable setup (10k add_row + first layout): {r.setup_s:.1f} s")
    print(f"update: the widget calls that take a batch; paint: Textual's frame; full GCs: "
          f"generation-2 collections during the {options.frames} measured frames (median pause), "
          f"which make the p95")
    print(f"total run {total:.1f} s")


if __name__ == "__main__":
    main()
