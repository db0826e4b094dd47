"""The timeline: one lane per task along loop time.

Each lane is drawn from ``TaskInfo.changes``: ``─`` while the task waits, ``░`` while it
is ready but not yet run, ``█`` where a step ran, ``●`` where it printed, ``!`` at a
diagnostic, and ``✓``/``✗``/``⊘`` where it ended. A cursor marks "now". The default zoom
fits the whole run, so "3 s one after another" and "2 s concurrently" read off the ruler
and the overlap of the lanes at a glance. Lanes follow the task table's rows (shared
:class:`TaskRows`) and only the lanes on screen are drawn, so 10,000 tasks cost the same
per frame as ten.
"""

from __future__ import annotations

import bisect
import math
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from asyncscope import wording
from asyncscope.display import safe_text, task_colour
from asyncscope.model import Model, TaskInfo, any_between
from asyncscope.tui.format import fit_cells
from asyncscope.tui.widgets.taskrows import MARKERS, TaskRows, tier

__all__ = ["Timeline", "nice_step"]

LABEL = 12
"""Cells for the task name before each lane."""

_STATE_GLYPH = {
    "waiting": ("─", Style(color="bright_blue")),
    "ready": ("░", Style(color="cyan")),
    "running": ("█", Style(color="green")),
}
_END_GLYPH = {
    "done": ("✓", Style(color="green", bold=True)),
    "failed": ("✗", Style(color="red", bold=True)),
    "cancelled": ("⊘", Style(color="yellow", bold=True)),
}
_STEP = ("█", Style(color="green"))
_DIAG = ("!", Style(color="red", bold=True))
_NOW = Style(bgcolor="grey30")


def nice_step(span: float, cells: int, min_gap: int = 8) -> float:
    """A round tick interval (1, 2 or 5 times a power of ten) at least ``min_gap`` cells apart."""
    if span <= 0 or cells <= 0:
        return 1.0
    raw = span * min_gap / cells
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _fmt_tick(t: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{t:.{decimals}f}s"


class Timeline(ScrollView, can_focus=True):
    """Lanes of task states over loop time."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--ruler", "timeline--selected"}
    DEFAULT_CSS = """
    Timeline { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    Timeline > .timeline--ruler { color: $text-muted; }
    Timeline > .timeline--selected { background: $block-cursor-blurred-background; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("left,h", "pan(-1)", "Earlier", show=False),
        Binding("right,l", "pan(1)", "Later", show=False),
    ]

    class LaneChosen(Message):
        """A lane was clicked. Handle with ``on_timeline_lane_chosen``."""

        def __init__(self, timeline: Timeline, task: int) -> None:
            super().__init__()
            self.timeline = timeline
            self.task = task

        @property
        def control(self) -> Timeline:
            return self.timeline

    def __init__(self, rows: TaskRows, *, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = rows
        self.model = Model()
        self.now = 0.0
        """Loop time of the cursor (the screen may estimate it between events)."""
        self.zoom = 1.0
        """1 fits the whole run; 2 shows half of it, and so on."""
        self.center: float | None = None
        """Middle of the window when zoomed in and panned; None follows "now"."""
        self.selected: int | None = None
        self.axis_end = 0.0
        """The axis reaches at least this loop time (compare: both runs on one axis)."""

    def set_model(self, model: Model) -> None:
        self.model = model
        self.now = 0.0
        self.center = None
        self.lanes_changed()

    def lanes_changed(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows.rows) + 1)
        self.refresh()

    def set_now(self, now: float) -> None:
        if now != self.now:
            self.now = now
            self.refresh()

    def select(self, tid: int | None) -> None:
        self.selected = tid
        row = self.rows.index.get(tid) if tid is not None else None
        if row is not None:
            visible = max(1, self.scrollable_content_region.height - 1)
            top = round(self.scroll_y)
            if row < top:
                self.scroll_to(y=row, animate=False)
            elif row >= top + visible:
                self.scroll_to(y=row - visible + 1, animate=False)
        self.refresh()

    # -- the window ------------------------------------------------------------------

    @property
    def full_span(self) -> float:
        end = max(self.now, self.model.t, self.axis_end)
        return end if end > 0 else 1.0

    def window(self) -> tuple[float, float]:
        """``(start, span)`` of loop time shown across the lanes."""
        full = self.full_span
        span = full / self.zoom
        if self.zoom <= 1:
            return 0.0, full
        middle = self.now if self.center is None else self.center
        start = min(max(0.0, middle - span / 2), max(0.0, full - span))
        return start, span

    def zoom_in(self) -> None:
        self.zoom = min(self.zoom * 2, 1024.0)
        self.refresh()

    def zoom_out(self) -> None:
        self.zoom = max(1.0, self.zoom / 2)
        if self.zoom == 1:
            self.center = None
        self.refresh()

    def zoom_fit(self) -> None:
        self.zoom = 1.0
        self.center = None
        self.refresh()

    def action_pan(self, direction: int) -> None:
        start, span = self.window()
        self.center = start + span / 2 + direction * span / 4
        self.refresh()

    # -- rendering -------------------------------------------------------------------

    def _lane_cells(self) -> int:
        return max(1, self.scrollable_content_region.width - LABEL - 1)

    def _ruler(self, start: float, span: float, cells: int) -> Text:
        text = Text(f"{fit_cells(wording.text('timeline-ruler'), LABEL)} ")
        chars = ["─"] * cells
        step = nice_step(span, cells)
        first = math.ceil(start / step - 1e-9) * step
        tick = first
        labels: list[tuple[int, str]] = []
        while tick <= start + span + 1e-9:
            col = int(round((tick - start) / span * cells)) if span else 0
            if 0 <= col < cells:
                chars[col] = "┼"
                labels.append((col, _fmt_tick(tick, step)))
            tick += step
        for col, label in labels:
            for offset, char in enumerate(label, 1):
                if col + offset < cells and chars[col + offset] == "─":
                    chars[col + offset] = char
        now_col = self._col(self.now, start, span, cells)
        if now_col is not None:
            chars[now_col] = "▼"
        text.append("".join(chars))
        return text

    @staticmethod
    def _col(t: float, start: float, span: float, cells: int) -> int | None:
        if span <= 0:
            return None
        col = int((t - start) / span * cells)
        if t >= start + span:
            col = cells - 1 if t <= start + span * (1 + 1 / cells) else cells
        return col if 0 <= col < cells else None

    def _lane(self, info: TaskInfo, start: float, span: float, cells: int) -> Text:
        dt = span / cells
        times = info.changes[0::2]
        states = info.changes[1::2]
        prints = info.prints
        diags = info.flags
        end = info.ended_at
        now = max(self.now, self.model.t)
        lane = Text()
        glyphs: list[tuple[str, Style | None]] = []
        created_col = self._col(info.created_at, start, span, cells)
        if created_col is None:
            created_col = 0 if info.created_at < start else cells
        end_col = None if end is None else self._col(end, start, span, cells)
        if end is not None and end_col is None:
            end_col = -1 if end < start else cells
        now_limit = self._col(now, start, span, cells)
        if now_limit is None:
            now_limit = -1 if now < start else cells
        for col in range(cells):
            a = start + col * dt
            b = a + dt
            if col < created_col or col > now_limit or (end_col is not None and col > end_col):
                glyphs.append((" ", None))
                continue
            if col == end_col:
                glyphs.append(_END_GLYPH.get(info.state, ("■", None)))
                continue
            if any_between(diags, a, b):
                glyphs.append(_DIAG)
                continue
            if any_between(prints, a, b):
                glyphs.append(("●", Style(color=task_colour(info.id), bold=True)))
                continue
            # A step ran where the task left the ready state within this cell.
            lo = bisect.bisect_left(times, a)
            hi = bisect.bisect_left(times, b)
            stepped = any(states[i] != "ready" for i in range(max(lo, 1), hi))
            if stepped:
                glyphs.append(_STEP)
                continue
            index = bisect.bisect_right(times, a) - 1
            state = states[index] if index >= 0 else "ready"
            glyphs.append(_STATE_GLYPH.get(state, ("·", None)))
        now_col = self._col(self.now, start, span, cells)
        if now_col is not None and now_col < len(glyphs):
            char, style = glyphs[now_col]
            glyphs[now_col] = ("│" if char == " " else char, (style or Style()) + _NOW)
        # One span per run of equal styles, not one per cell: a lane is mostly long runs,
        # and Rich's cost grows with spans (bench/ui_frames.py: 26 ms -> see performance.md).
        run: list[str] = []
        run_style: Style | None = None
        for char, style in glyphs:
            if style is run_style or style == run_style:
                run.append(char)
                continue
            if run:
                lane.append("".join(run), run_style)
            run = [char]
            run_style = style
        if run:
            lane.append("".join(run), run_style)
        return lane

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        start, span = self.window()
        cells = self._lane_cells()
        if y == 0:
            text = self._ruler(start, span, cells)
            style = base + self.get_component_rich_style("timeline--ruler")
        else:
            row = round(self.scroll_y) + y - 1
            rows = self.rows.rows
            if row >= len(rows):
                return Strip.blank(width, base)
            info = self.model.tasks.get(rows[row])
            if info is None:
                return Strip.blank(width, base)
            marker = MARKERS[tier(info)]
            shown = safe_text(self.model.task_name(info.id))
            name = f"{marker} {shown}" if marker else shown
            label = fit_cells(name, LABEL)
            label_style = Style(color=task_colour(info.id), dim=bool(marker))  # as in the task table
            if info.id == self.selected:
                label_style += self.get_component_rich_style("timeline--selected")
            text = Text.assemble((label, label_style))
            text.append(" ")
            text.append_text(self._lane(info, start, span, cells))
            style = base
        strip = Strip(list(text.render(self.app.console, end="")), text.cell_len)
        return strip.crop_extend(0, width, base).apply_style(style)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self.rows.rows):
            self.post_message(self.LaneChosen(self, self.rows.rows[row]))

    def on_resize(self, event: events.Resize) -> None:
        self.lanes_changed()

    def lane_text(self, tid: int) -> str:
        """The plain lane of ``tid`` at the current window (for tests)."""
        info = self.model.tasks[tid]
        start, span = self.window()
        return self._lane(info, start, span, self._lane_cells()).plain

    def ruler_text(self) -> str:
        start, span = self.window()
        return self._ruler(start, span, self._lane_cells()).plain
