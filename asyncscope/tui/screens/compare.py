"""Two runs on one screen and one time axis (``asyncscope compare A B``).

Each run's task table and timeline, the output of both interleaved by loop time and
marked A or B, and a line that states the difference. One cursor, a loop time, moves both:
``←``/``→`` to the previous/next task step of either run, ``home``/``end``, ``g`` to a
time, ``space`` plays both forward. Each side is a :class:`~asyncscope.compare.Side`,
whose history gives its state at any moment, the same as a replay's.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from asyncscope import wording
from asyncscope.compare import Side, summary
from asyncscope.display import safe_text, task_colour
from asyncscope.history import STEP_EVENTS
from asyncscope.model import Model
from asyncscope.tui.screens.time_prompt import ask_loop_time
from asyncscope.tui.widgets.footer import KeyFooter
from asyncscope.tui.widgets.linelog import LineLog
from asyncscope.tui.widgets.taskrows import TaskRows
from asyncscope.tui.widgets.tasks import TaskTable
from asyncscope.tui.widgets.timeline import Timeline

__all__ = ["CompareScreen"]

TICK = 1 / 15


class BothOutputs(LineLog):
    """The output of both runs up to the cursor, in loop-time order, each line marked."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.lines: list[Text] = []

    def show(self, a: Model, b: Model) -> None:
        marked = [(line.t, 0, index, "A", line) for index, line in enumerate(a.output)]
        marked += [(line.t, 1, index, "B", line) for index, line in enumerate(b.output)]
        marked.sort(key=lambda item: item[:3])
        self.lines = []
        for t, _side, _index, letter, line in marked:
            model = a if letter == "A" else b
            text = Text.assemble((f"{letter} ", "bold magenta" if letter == "A" else "bold cyan"),
                                 (f"{t:7.3f} ", "dim"))
            name = model.task_name(line.task) if line.task is not None else (line.thread or "-")
            text.append(f"{safe_text(name):<8} ", style=task_colour(line.task))
            text.append(safe_text(line.text))
            self.lines.append(text)
        self.lines_changed()

    def line_count(self) -> int:
        return len(self.lines)

    def line_text(self, index: int) -> Text:
        return self.lines[index].copy()


class CompareScreen(Screen[None]):
    """Run A above, run B below, their output together; one cursor in loop time."""

    DEFAULT_CSS = """
    CompareScreen #verdict { height: 2; padding: 0 1; background: $panel; }
    CompareScreen .side { height: 1fr; }
    CompareScreen .side TaskTable { width: 2fr; border: round $panel-lighten-2; }
    CompareScreen .side Timeline { width: 3fr; border: round $panel-lighten-2; }
    CompareScreen BothOutputs { height: 1fr; border: round $panel-lighten-2; }
    CompareScreen TaskTable:focus, CompareScreen Timeline:focus, CompareScreen BothOutputs:focus {
        border: round $accent;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step_back", "Back", priority=True),
        Binding("right", "step_forward", "Forward", priority=True),
        Binding("home", "start", "Start", priority=True),
        Binding("end", "end", "End", priority=True),
        Binding("g", "go_to", "Go to"),
        Binding("space", "play", "Play"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, a: Side, b: Side) -> None:
        super().__init__()
        self.sides = (a, b)
        self.rows = (TaskRows(), TaskRows())
        self.t = max(a.model.t, b.model.t)
        """The cursor: the loop time both runs are shown at (at first, the end of both)."""
        self.shown: tuple[Model, Model] = (a.model, b.model)
        self._playing: Timer | None = None
        self._play_from = (0.0, 0.0)
        self._steps: list[float] = []
        """Loop times at which a task step of either run ended: where ← and → stop."""

    @property
    def end(self) -> float:
        return max(side.model.t for side in self.sides)

    def compose(self) -> ComposeResult:
        yield Static(id="verdict")
        for number, side in enumerate(self.sides):
            with Horizontal(classes="side"):
                table = TaskTable(self.rows[number], id=f"tasks-{side.letter}")
                table.title_prefix = f"{side.letter} · {side.label} · "
                yield table
                timeline = Timeline(self.rows[number], id=f"timeline-{side.letter}")
                timeline.border_title = wording.text("compare-timeline", letter=side.letter)
                yield timeline
        output = BothOutputs(id="output")
        output.border_title = wording.text("compare-output")
        yield output
        yield KeyFooter(("step_back", "step_forward", "play", "go_to", "start", "end", "quit"))

    def on_mount(self) -> None:
        self._steps = self._step_times()
        for side in self.sides:
            self.query_one(f"#tasks-{side.letter}", TaskTable).set_model(side.model)
            self.query_one(f"#timeline-{side.letter}", Timeline).set_model(side.model)
        self.show_at(self.end)

    # -- the cursor --------------------------------------------------------------------

    def show_at(self, t: float) -> None:
        """Both runs as they stood at loop time ``t``."""
        self.t = max(0.0, min(t, self.end))
        end = self.end
        shown = []
        for side in self.sides:
            history = side.history
            index = history.index_at(self.t)
            model = side.model if index >= len(history) else history.state_at(index)
            shown.append(model)
            table = self.query_one(f"#tasks-{side.letter}", TaskTable)
            table.set_model(model, same_run=True)  # widths measured on the whole run at mount
            table.update_rows(set(model.tasks), True, True, [], jumped=True)
            timeline = self.query_one(f"#timeline-{side.letter}", Timeline)
            timeline.set_model(model)
            timeline.axis_end = end
            timeline.set_now(self.t)
            timeline.lanes_changed()
        self.shown = (shown[0], shown[1])
        self.query_one(BothOutputs).show(*self.shown)
        self._show_verdict()

    def _show_verdict(self) -> None:
        a, b = self.sides
        text = Text.assemble(("compare ", "bold"), (f"t={self.t:.3f}s", "bold"))
        if self.t < self.end - 1e-9:
            text.append(wording.text("compare-of", end=self.end), style="magenta")
        if self._playing is not None:
            text.append(wording.text("compare-playing"), style="green")
        text.append("\n")
        text.append(summary(a, b), style="yellow")
        self.query_one("#verdict", Static).update(text)

    def _step_times(self) -> list[float]:
        times: set[float] = set()
        for side in self.sides:
            history = side.history
            tasks = side.model.tasks
            for index in range(len(history)):
                event = history.event(index)
                if type(event) in STEP_EVENTS:
                    info = tasks.get(event.task)  # type: ignore[attr-defined]
                    if info is not None and not info.internal:  # asyncio's own steps are passed over
                        times.add(round(event.t, 6))  # type: ignore[attr-defined]
        return sorted(times)

    def action_step_back(self) -> None:
        self._stop()
        earlier = [t for t in self._steps if t < self.t - 1e-6]
        self.show_at(earlier[-1] if earlier else 0.0)

    def action_step_forward(self) -> None:
        self._stop()
        later = [t for t in self._steps if t > self.t + 1e-6]
        self.show_at(later[0] if later else self.end)

    def action_start(self) -> None:
        self._stop()
        self.show_at(0.0)

    def action_end(self) -> None:
        self._stop()
        self.show_at(self.end)

    def action_go_to(self) -> None:
        self._stop()
        ask_loop_time(self, self.t, self.show_at)

    def action_play(self) -> None:
        """Both runs forward from the cursor at 1x (again: stop)."""
        if self._playing is not None:
            self._stop()
            return
        if self.t >= self.end - 1e-9:
            self.show_at(0.0)
        self._play_from = (time.monotonic(), self.t)
        self._playing = self.set_interval(TICK, self._tick)
        self._show_verdict()

    def _tick(self) -> None:
        began, t0 = self._play_from
        self.show_at(t0 + time.monotonic() - began)
        if self.t >= self.end - 1e-9:
            self._stop()

    def _stop(self) -> None:
        if self._playing is not None:
            self._playing.stop()
            self._playing = None
            self._show_verdict()
