"""The task table: one row per task, updated in place, built for 10,000 tasks.

A line-API widget (``ScrollView`` + ``render_line``): only the rows on screen are ever
rendered, so a frame costs the same with 10 tasks or 10,000 (``DataTable`` rebuilds
O(rows) state on every cell update). Row order comes from :class:`TaskRows`, which the
timeline shares. The selection is a task id, so it survives re-sorting and new rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.cells import cell_len
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
from asyncscope.model import Model, TaskInfo
from asyncscope.tui.format import STATE_STYLE
from asyncscope.tui.widgets.taskrows import MARKERS, TaskRows, tier, view_name

__all__ = ["TaskTable", "COLUMNS", "layout_columns"]


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    min: int
    max: int
    drop: int
    """Columns with a higher ``drop`` are hidden first when the pane is narrow (0: never)."""
    right: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("name", "task", 8, 24, 0),
    Column("coro", "coroutine", 9, 48, 3),
    Column("state", "state", 9, 9, 0),
    Column("waits", "waits on / result", 10, 40, 0),
    Column("steps", "steps", 5, 6, 2, right=True),
    Column("created", "created", 8, 9, 1, right=True),
)
_STATES = ("ready", "running", "waiting", "done", "failed", "cancelled", "destroyed")
_WORDED: dict[str, tuple[Column, ...]] = {}
"""The columns as :func:`worded_columns` words them, by language."""


def worded_columns() -> tuple[Column, ...]:
    """:data:`COLUMNS` with their titles in the current language. The state column is as
    wide as its widest word, and the short number columns as their titles (Japanese
    キャンセル and ステップ take more cells than English; English keeps the widths above)."""
    lang = wording.language()
    cached = _WORDED.get(lang)
    if cached is not None:
        return cached
    columns = []
    for column in COLUMNS:
        title = wording.text("col-task" if column.id == "name" else f"col-{column.id}")
        width = cell_len(title)
        if column.id == "state":
            width = max([width, column.max] + [cell_len(wording.state_word(state)) for state in _STATES])
            column = replace(column, min=width, max=width)
        elif column.id in ("steps", "created") and width > column.max:
            column = replace(column, max=width)
        columns.append(replace(column, title=title))
    _WORDED[lang] = result = tuple(columns)
    return result


_MARK = 2  # "▶ " before the name: the task about to run while paused
_GAP = 1
_GROWTH: tuple[tuple[str, int], ...] = (
    ("name", 14), ("waits", 16), ("coro", 32), ("steps", 6), ("created", 9),
    ("name", 24), ("waits", 24), ("coro", 48),
)
"""The order in which columns take spare cells, each up to a limit (and to what its
content needs); whatever is left goes to ``waits``, up to :data:`_WAITS_LIMIT`. The
coroutine comes before the second helping of ``waits``, so a name like
``RequestResponseCycle.run_asgi`` shows whole from 140 columns on."""
_WAITS_LIMIT = 64
"""Cells ``waits on / result`` takes at most: past that, a very wide pane leaves its right
end blank rather than push steps and creation time far from the rest of their row (the
detail pane shows a long error whole)."""


def layout_columns(width: int, need: dict[str, int] | None = None) -> list[tuple[Column, int]]:
    """Choose columns and widths for a pane ``width`` cells wide.

    Args:
        width: Cells for the whole row, the ``▶`` mark included.
        need: Cells each column's widest content takes (its title included); a column grows
            no further than that, leaving the cells to the others. Columns not in it may
            grow to their limits.
    """
    need = need or {}
    columns = list(worded_columns())
    while True:
        total = _MARK + sum(c.min + _GAP for c in columns)
        droppable = [c for c in columns if c.drop]
        if total <= width or not droppable:
            break
        columns.remove(max(droppable, key=lambda c: c.drop))
    widths = {c.id: c.min for c in columns}
    spare = max(0, width - (_MARK + sum(c.min + _GAP for c in columns)))
    for column_id, limit in _GROWTH:
        column = next((c for c in columns if c.id == column_id), None)
        if column is None or spare <= 0:
            continue
        if column_id in ("steps", "created"):
            limit = max(limit, column.max)  # as wide as its title (worded_columns)
        target = min(limit, column.max, need.get(column_id, limit))
        grow = max(0, min(spare, target - widths[column_id]))
        widths[column_id] += grow
        spare -= grow
    if spare > 0 and "waits" in widths:
        widths["waits"] += min(spare, max(0, _WAITS_LIMIT - widths["waits"]))
    return [(c, widths[c.id]) for c in columns]


def _cells_of(model: Model, info: TaskInfo) -> tuple[int, int]:
    """Cells of a task's name (with its marker, if any) and of its coroutine."""
    name = cell_len(safe_text(model.task_name(info.id))) + (2 if info.internal else 0)  # "◇ " before the name
    return name, cell_len(safe_text(info.coro))


class TaskTable(ScrollView, can_focus=True):
    """Tasks with their state as a coloured word and what each one waits on."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "task-table--header",
        "task-table--cursor",
        "task-table--cursor-blurred",
        "task-table--dim",
        "task-table--marked",
    }
    DEFAULT_CSS = """
    TaskTable { height: 1fr; scrollbar-gutter: stable; }
    TaskTable > .task-table--header { text-style: bold; color: $text-muted; }
    TaskTable > .task-table--cursor { background: $block-cursor-background; }
    TaskTable > .task-table--cursor-blurred { background: $block-cursor-blurred-background; }
    TaskTable > .task-table--marked { background: $warning-muted; }
    TaskTable > .task-table--dim { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("c", "cycle_sort", "Sort", show=False, tooltip="Sort by the next column."),
        Binding("C", "reverse_sort", "Reverse", show=False, tooltip="Reverse the sort order."),
        Binding("f", "follow", "Follow", show=False, tooltip="Select the task that runs next."),
    ]

    class Selected(Message):
        """The selected task changed. Handle with ``on_task_table_selected``."""

        def __init__(self, table: TaskTable, task: int | None) -> None:
            super().__init__()
            self.table = table
            self.task = task

        @property
        def control(self) -> TaskTable:
            return self.table

    def __init__(self, rows: TaskRows, *, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = rows
        self.title_prefix = ""
        """Put before the title (compare: ``A · ``, ``B · ``)."""
        self.model = Model()
        self.selected: int | None = None
        self.marked: dict[int, str] = {}
        """Tasks to mark, by role (``holds`` or ``waits``): the holders and waiters of the
        resource under the resources pane's cursor."""
        self.follow = True
        """Select the task about to run (or that ran last) until the user moves the cursor."""
        self._layout: list[tuple[Column, int]] = []
        self._layout_key: tuple[int, ...] = ()
        self._need: dict[str, int] = self._titles_need()
        """Cells the widest shown name and coroutine take (see :func:`layout_columns`)."""
        self._measured = -1
        """``rows.rebuilt`` when ``_need`` was last measured from every row."""
        self._cells: dict[int, tuple[int, int]] = {}
        """Cells of each task's name and coroutine, measured once (see ``_measure``)."""
        self._title = ""

    # -- data ------------------------------------------------------------------------

    def set_model(self, model: Model, same_run: bool = False) -> None:
        """Show ``model``; ``same_run``: another moment of the run shown (a jump in time),
        whose columns keep the widths the run has needed so far (measured once per task:
        measuring 80,000 names again took most of a jump)."""
        self.model = model
        self.selected = None
        self.follow = True
        if same_run:
            self.rows.rebuild(model)
            self._measured = self.rows.rebuilt
            self._show_view()
        else:
            self._cells = {}  # a new run numbers its tasks from 1 again
            self.rows.rebuild(model)
            self._measure()
        self._resize_virtual()
        self.scroll_to(0, 0, animate=False)
        self.refresh()
        self.post_message(self.Selected(self, None))

    def update_rows(self, changed: set[int], new_tasks: bool, renamed: bool, stepped: list[int],
                    jumped: bool = False) -> None:
        """Called by the screen after each list of events (``stepped``: tasks that ran, in
        order); ``jumped``: after ``set_model(..., same_run=True)``, which set the rows."""
        reordered = not jumped and self.rows.update(self.model, changed, new_tasks, renamed)
        if (new_tasks or renamed) and not jumped:
            self._measure(changed)
        if reordered:
            self._resize_virtual()
        if self.follow:
            model = self.model
            target = model.next_task if model.paused and model.next_task in self.rows.index else None
            if target is None:
                # The last shown task that ran: the same whatever the batching was.
                target = next((tid for tid in reversed(stepped) if tid in self.rows.index), None)
            if target is None and self.selected is None and self.rows.rows:
                target = self.rows.rows[0]
            if target is not None:
                self._select(target, user=False)
        elif self.selected is not None and self.selected not in self.rows.index and self.rows.rows:
            self._select(self.rows.rows[0], user=False)
        self.refresh()

    def rebuild(self) -> None:
        """Re-filter and re-sort everything (after a toggle, a filter or a sort change)."""
        self.rows.rebuild(self.model)
        self._measure()
        self._resize_virtual()
        if self.selected not in self.rows.index:
            self._select(self.rows.rows[0] if self.rows.rows else None, user=False)
        else:
            self._scroll_to_cursor()
        self.refresh()

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self._table_width(), len(self.rows.rows) + 1)

    def _table_width(self) -> int:
        layout = self._columns()
        return _MARK + sum(width + _GAP for _, width in layout)

    def _columns(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width or 80
        model = self.model
        # Upper bounds that cost nothing to know: no task has more steps than the run, and
        # none was created after the loop's time.
        titles = {column.id: cell_len(column.title) for column in worded_columns()}
        steps = max(titles["steps"], len(str(model.steps)))
        created = max(titles["created"], len(f"{model.t:.3f}"))
        key = (width, self._need["name"], self._need["coro"], steps, created)
        if key != self._layout_key:
            need = {"name": key[1], "coro": key[2], "steps": steps, "created": created}
            self._layout = layout_columns(width, need)
            self._layout_key = key
        return self._layout

    def _measure(self, changed: Iterable[int] = ()) -> None:
        """Bring ``_need`` up to date. ``changed`` (new or renamed tasks) are measured
        again; after a rebuild every shown row counts, else only ``changed`` (between
        rebuilds a column only widens). Each task is measured once, not at every rebuild:
        a sort by state rebuilds 10,000 rows on every batch."""
        rows = self.rows
        tasks = self.model.tasks
        cells = self._cells
        changed = [tid for tid in changed if tid in tasks]
        for tid in changed:
            cells[tid] = _cells_of(self.model, tasks[tid])
        if rows.rebuilt != self._measured:
            self._measured = rows.rebuilt
            self._need = self._titles_need()
            shown: Iterable[int] = rows.rows
        else:
            shown = [tid for tid in changed if tid in rows.index]
        guides = rows.guides
        name_need, coro_need = self._need["name"], self._need["coro"]
        for tid in shown:
            sizes = cells.get(tid)
            if sizes is None:
                info = tasks.get(tid)
                if info is None:
                    continue
                sizes = cells[tid] = _cells_of(self.model, info)
            name_need = max(name_need, sizes[0] + len(guides.get(tid, "")))  # guides: one cell a character
            coro_need = max(coro_need, sizes[1])
        self._need = {"name": name_need, "coro": coro_need}
        self._show_view()

    @staticmethod
    def _titles_need() -> dict[str, int]:
        """The name and coroutine columns are at least as wide as their titles."""
        titles = {column.id: cell_len(column.title) for column in worded_columns()}
        return {"name": titles["name"], "coro": titles["coro"]}

    def _show_view(self) -> None:
        """The title says which tasks show (``i``) and the filter; the subtitle how many
        the view leaves out."""
        rows = self.rows
        title = Text(self.title_prefix + wording.text("pane-tasks", view=view_name(rows.view)))
        if rows.filter:
            title.append(wording.text("pane-tasks-filter"))
            title.append(safe_text(rows.filter))
        if title.plain != self._title:
            self._title = title.plain
            self.border_title = title
        subtitle = wording.text("pane-tasks-hidden", count=rows.hidden) if rows.hidden else ""
        if subtitle != (self.border_subtitle or ""):
            self.border_subtitle = subtitle

    def on_resize(self, event: events.Resize) -> None:
        self._layout_key = ()
        self._resize_virtual()
        self._scroll_to_cursor()

    # -- selection -------------------------------------------------------------------

    @property
    def cursor_row(self) -> int | None:
        return self.rows.index.get(self.selected) if self.selected is not None else None

    def mark(self, holders: list[int], waiters: list[int]) -> None:
        """Mark ``holders`` (■) and ``waiters`` (…) of a resource; nothing marked when both are empty."""
        marked = {tid: "waits" for tid in waiters}
        marked.update((tid, "holds") for tid in holders)
        if marked != self.marked:
            self.marked = marked
            self.refresh()

    def select_task(self, tid: int) -> bool:
        """Select ``tid`` as if the user chose it (stops following). False if not shown."""
        if tid not in self.rows.index:
            return False
        self._select(tid, user=True)
        return True

    def _select(self, tid: int | None, user: bool) -> None:
        if user:
            self.follow = False
        changed = tid != self.selected
        self.selected = tid
        self._scroll_to_cursor()
        self.refresh()
        if changed:
            self.post_message(self.Selected(self, tid))

    def _scroll_to_cursor(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        rows = self.rows.rows
        if not rows:
            return
        row = self.cursor_row
        row = 0 if row is None else max(0, min(len(rows) - 1, row + delta))
        self._select(rows[row], user=True)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, end: int) -> None:
        rows = self.rows.rows
        if rows:
            self._select(rows[-1] if end else rows[0], user=True)

    def action_follow(self) -> None:
        self.follow = True
        self.update_rows(set(), False, False, [])

    def action_cycle_sort(self) -> None:
        order = [c.id for c, _ in self._columns()]
        current = self.rows.sort
        nxt = order[(order.index(current) + 1) % len(order)] if current in order else order[0]
        if current == order[-1]:
            nxt = "id"
        self.rows.sort, self.rows.reverse = nxt, False
        self.rebuild()

    def action_reverse_sort(self) -> None:
        self.rows.reverse = not self.rows.reverse
        self.rebuild()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_x) - _MARK
            for column, width in self._columns():
                if x < width + _GAP:
                    self.rows.header_sort(column.id)
                    self.rebuild()
                    return
                x -= width + _GAP
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self.rows.rows):
            self._select(self.rows.rows[row], user=True)

    # -- rendering -------------------------------------------------------------------

    def _cell(self, info: TaskInfo, column: Column) -> Text:
        model = self.model
        cid = column.id
        if cid == "name":
            text = Text(self.rows.guides.get(info.id, ""), style="dim")
            marker = MARKERS[tier(info)]
            if marker:
                text.append(f"{marker} ")
            text.append(safe_text(model.task_name(info.id)), style=task_colour(info.id))
            return text
        if cid == "coro":
            return Text(safe_text(info.coro))
        if cid == "state":
            return Text(wording.state_word(info.state), style=STATE_STYLE.get(info.state, ""))
        if cid == "waits":
            if info.state == "failed":
                return Text(safe_text(info.error or wording.state_word("failed")), style="red")
            if info.state == "cancelled":
                return Text(info.cancelled_by_text, style="yellow")
            if info.state == "done":
                return Text(f"→ {safe_text(info.result)}" if info.result not in (None, "None") else "",
                            style="dim")
            return Text(model.wait_text(info))
        if cid == "steps":
            return Text(str(info.steps))
        if cid == "created":
            return Text(f"{info.created_at:.3f}")
        return Text("")

    def _line(self, cells: list[tuple[Text, int, bool]], mark: Text) -> Text:
        line = Text()
        line.append_text(mark)
        for cell, width, right in cells:
            cell.truncate(width, overflow="ellipsis")
            pad = width - cell.cell_len
            if right:
                line.append(" " * pad)
                line.append_text(cell)
            else:
                line.append_text(cell)
                line.append(" " * pad)
            line.append(" " * _GAP)
        return line

    def _header(self) -> Text:
        cells = []
        for column, width in self._columns():
            title = column.title  # worded (worded_columns)
            if column.id == self.rows.sort:
                title += " ▼" if self.rows.reverse else " ▲"
            cells.append((Text(title), width, column.right))
        return self._line(cells, Text(" " * _MARK))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if y == 0:
            text = self._header()
            style = base + self.get_component_rich_style("task-table--header")
        else:
            row = scroll_y + y - 1
            rows = self.rows.rows
            if row >= len(rows):
                return Strip.blank(width, base)
            info = self.model.tasks.get(rows[row])
            if info is None:
                return Strip.blank(width, base)
            model = self.model
            role = self.marked.get(info.id)
            if model.paused and model.next_task == info.id:
                mark = Text("▶ ", style="bold yellow")
            elif role is not None:  # the resource under the resources pane's cursor
                mark = Text("■ " if role == "holds" else "… ", style="bold green" if role == "holds" else "yellow")
            else:
                mark = Text("  ")
            text = self._line([(self._cell(info, c), w, c.right) for c, w in self._columns()], mark)
            style = base
            if info.id == self.selected:
                cursor = "task-table--cursor" if self.has_focus else "task-table--cursor-blurred"
                style = base + self.get_component_rich_style(cursor, partial=True)
            elif role is not None:
                style = base + self.get_component_rich_style("task-table--marked", partial=True)
            elif info.internal or info.id in self.rows.context:
                style = base + Style(dim=True)  # asyncio's own, or shown only as a filtered task's ancestor
        strip = Strip(list(text.render(self.app.console, end="")), text.cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
