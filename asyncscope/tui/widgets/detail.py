"""Detail of the selected task: its await chain, the source line it runs or waits at
(syntax highlighted and marked), and its result or traceback.

It can also show a location alone (a diagnostic without a task). The body is rebuilt
only when what it shows changed, not on every batch.
"""

from __future__ import annotations

import os
from functools import lru_cache

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from asyncscope import wording
from asyncscope.display import STATE_STYLE, brief_where, safe_text, split_where, task_colour
from asyncscope.events import Diagnostic
from asyncscope.model import Model, TaskInfo
from asyncscope.tui.format import safe_lines
from asyncscope.tui.widgets.taskrows import MARKERS, tier

__all__ = ["TaskDetail", "read_source"]

_CONTEXT = 3
"""Source lines shown above and below the marked one."""

_WHOSE = {
    "library": "detail-origin-library",
    "asyncio": "detail-origin-asyncio",
    "user": "detail-origin-user",
}
"""Words for a task that is not the program's own, by its ``origin`` (the task table shows
only the marker): keys of ``wording.MESSAGES``."""

_ROWS = ("waits-on", "awaits", "created", "origin", "name", "steps", "ended", "result", "cancelled")
"""The row labels (``detail-…`` in ``wording.MESSAGES``): they are padded to the widest."""


def _label_width() -> int:
    """Cells of the widest row label in the current language (9 in English)."""
    return max(cell_len(wording.text(f"detail-{row}")) for row in _ROWS)


@lru_cache(maxsize=64)
def _source(path: str, mtime: float) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def read_source(path: str) -> str | None:
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return None
    return _source(path, mtime)


def source_snippet(where: str | None, title: str) -> RenderableType | None:
    """The lines around ``where`` (``file:line``) with that line marked."""
    split = split_where(where)
    if split is None:
        return None
    path, line = split
    code = read_source(path)
    if code is None:
        return None
    syntax = Syntax(code, "python", theme="monokai", line_numbers=True, word_wrap=False,
                    line_range=(max(1, line - _CONTEXT), line + _CONTEXT), highlight_lines={line})
    return Group(Text(f"{title} {brief_where(where)}", style="dim"), syntax)


class TaskDetail(VerticalScroll):
    """The selected task, in depth."""

    ALLOW_MAXIMIZE = True

    DEFAULT_CSS = """
    TaskDetail { height: 1fr; }
    TaskDetail > Static { width: auto; min-width: 100%; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self.model = Model()
        self.task_id: int | None = None
        self.diagnostic: Diagnostic | None = None
        self._key: object = None
        self.placeholder = wording.text("detail-no-task")

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def set_model(self, model: Model, placeholder: str | None = None) -> None:
        self.model = model
        self.task_id = None
        self.diagnostic = None
        self.placeholder = placeholder if placeholder is not None else wording.text("detail-no-task")
        self._key = None
        self.update_view()

    def show_task(self, tid: int | None) -> None:
        if self.diagnostic is not None and self.diagnostic.task != tid:
            self.diagnostic = None  # a diagnostic stays on show while its task is selected
        self.task_id = tid
        self.update_view()

    def show_diagnostic(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        self.task_id = diagnostic.task
        self._key = None
        self.update_view()

    def _state_key(self) -> object:
        info = self.model.tasks.get(self.task_id) if self.task_id is not None else None
        if info is None:
            return (self.task_id, id(self.diagnostic), None)
        return (info.id, id(self.diagnostic), info.state, info.steps, self.model.task_name(info.id),
                tuple(info.chain or ()),
                self.model.paused and self.model.next_task == info.id, info.wait)

    def update_view(self) -> None:
        key = self._state_key()
        if key == self._key:
            return
        self._key = key
        self.query_one("#detail-body", Static).update(self._render_body())

    def _render_body(self) -> RenderableType:
        parts: list[RenderableType] = []
        diagnostic = self.diagnostic
        if diagnostic is not None:
            head = Text.assemble((diagnostic.kind, "bold yellow"))
            head.append(f"  t={diagnostic.t:.3f}", style="dim")
            parts.append(head)
            parts.append(Text(safe_lines(self.model.diagnostic_text(diagnostic))))
        info = self.model.tasks.get(self.task_id) if self.task_id is not None else None
        if info is not None:
            parts.extend(self._task_parts(info))
        elif diagnostic is not None:
            snippet = source_snippet(diagnostic.where, wording.text("detail-at"))
            if snippet is not None:
                parts.append(snippet)
        if not parts:
            return Text(self.placeholder, style="dim italic")
        return Group(*parts)

    def _task_parts(self, info: TaskInfo) -> list[RenderableType]:
        model = self.model
        parts: list[RenderableType] = []
        name = model.task_name(info.id)
        head = Text.assemble((safe_text(name), f"bold {task_colour(info.id)}"))
        head.append(f"  {safe_text(info.coro)}()  ")
        head.append(wording.state_word(info.state), style=STATE_STYLE.get(info.state, ""))
        if model.paused and model.next_task == info.id:
            head.append(wording.text("detail-runs-next"), style="bold yellow")
        parts.append(head)
        width = _label_width()

        def row(key: str, value: Text | str) -> Text:
            label = wording.text(f"detail-{key}")
            text = Text.assemble((label + " " * (width - cell_len(label) + 1), "dim"))
            text.append_text(value if isinstance(value, Text) else Text(value))
            return text

        if not info.final:
            parts.append(row("waits-on", model.wait_text(info) or wording.text("detail-ready")))
        links = model.chain_links(info) if not info.final else []
        if links:
            chain = Text()
            for number, link in enumerate(links):
                if number:
                    chain.append(" → ", style="dim")
                chain.append(link.qualname, style="dim" if link.lib else "bold")
            parts.append(row("awaits", chain))
        if info.parent is not None:
            parent = model.task_name(info.parent)
        elif info.from_callback:
            parent = wording.text("detail-by-callback", callback=info.from_callback)
        else:
            parent = "asyncio.run()"
        created = Text(wording.text("detail-created-at", t=info.created_at))
        created.append(safe_text(parent), style=task_colour(info.parent))
        created.append(wording.text("detail-created-by"))
        if info.where:
            created.append(wording.text("at", where=brief_where(info.where)), style="dim")
        parts.append(row("created", created))
        if info.internal:  # its own row, so the head line (name, coroutine, state) stays one line
            whose = wording.text(_WHOSE.get(info.origin, _WHOSE["asyncio"]))
            parts.append(row("origin", f"{MARKERS[tier(info)]} {whose}"))
        if name != info.name:  # shown as another name than the program's (Model.task_name)
            parts.append(row("name", wording.text("detail-name-none")))
        parts.append(row("steps", str(info.steps)))
        if info.ended_at is not None:
            parts.append(row("ended", f"t={info.ended_at:.3f}"))
        if info.state == "done" and info.result not in (None, "None"):
            parts.append(row("result", Text(safe_text(info.result or ""))))
        if info.state == "cancelled" and info.cancelled_by:
            parts.append(row("cancelled", info.cancelled_by_text))
        where = model.suspended_at(info) if not info.final else None
        if where:
            title = "detail-runs-next-at" if model.paused and model.next_task == info.id else "detail-suspended-at"
            snippet = source_snippet(where, wording.text(title))
        else:
            snippet = source_snippet(info.where, wording.text("detail-created-at-line"))
        if snippet is not None:
            parts.append(snippet)
        if info.state == "failed":
            parts.append(Text(safe_lines(info.error or wording.state_word("failed")), style="bold red"))
            if info.traceback:
                parts.append(Text(safe_lines(info.traceback.rstrip()), style="red"))
        return parts
