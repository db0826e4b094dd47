"""The headless text report (Rich), derived from the model; the JSON verdict is verdict.py.

Scenario output is user data: it is always rendered through ``rich.text.Text`` with
control characters made visible, never as markup, so a program printing ``[bold]`` or an
ANSI escape shows exactly those characters. The text and the JSON (docs/report.md) say
the same things; keep the two in step.
"""

from __future__ import annotations

import os
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from asyncscope import wording
from asyncscope.display import (
    STATE_STYLE,
    STATUS_STYLE,
    brief_where,
    relative_where,
    safe_text,
    task_colour,
)
from asyncscope.model import Model, OutputLine, TaskInfo
from asyncscope.plain_table import LONG, Cell, natural_widths, print_plain_table, table_width
from asyncscope.verdict import exit_code, resources_json

__all__ = ["ReportPrinter", "make_console", "page_width", "render", "resource_state_text"]

UNBOUNDED = 10_000
"""The console width for a pipe or a file: nothing there cuts or wraps a line, so the report
prints at its natural width rather than Rich's default of 80 columns."""
RULE_WIDTH = 80
"""Width of the title rule when the output has no width of its own."""


def make_console(file: Any = None) -> Console:
    """Colour only on a terminal, never with ``NO_COLOR`` (Rich honours it too).

    A terminal gives the report its width; so does ``COLUMNS`` when set. A pipe or a file
    has none: the console is then :data:`UNBOUNDED`, and the task table takes its natural
    width instead of cutting names to fit 80 columns.
    """
    no_color = bool(os.environ.get("NO_COLOR"))
    console = Console(file=file, no_color=no_color, highlight=False, soft_wrap=True)
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip().isdigit():
        console = Console(file=file, no_color=no_color, highlight=False, soft_wrap=True, width=UNBOUNDED)
    return console


def page_width(console: Console) -> int | None:
    """The width the report must fit, or None when nothing limits it (a pipe, a file)."""
    return None if console.width >= UNBOUNDED else console.width




_MIN_LABEL = len("Task-1")
"""The task column of the output starts this wide and grows with the longest label printed."""


def _label(model: Model, line: OutputLine) -> str:
    return safe_text(model.task_name(line.task) if line.task is not None else (line.thread or "-"))


class ReportPrinter:
    """Prints the text report while the program runs: each output line as soon as it has
    arrived, then the tasks, the diagnostics and the verdict at the end.

    Call :meth:`feed` after folding each batch into the model and :meth:`finish` once the
    run is over. Feeding batch by batch or once at the end prints the same text; only when
    differs. A line still open (``print(x, end="")``) is written as far as it goes and
    continued when the rest arrives, so fragments make one line, as in the program's own
    terminal. Lines come out in the order the program wrote them: a line after an open
    one waits until that one ends (or the run does).
    """

    def __init__(self, model: Model, console: Console, title: str = "") -> None:
        self.model = model
        self.console = console
        self.title = title
        self._started = False
        self._done = 0
        """Output lines printed to their end, counting lines the model no longer holds."""
        self._prefix: Text | None = None
        """Time and label of the line being printed (fixed once its first part is out)."""
        self._shown = 0
        """Characters of that line's row already written."""
        self._label_width = _MIN_LABEL

    def feed(self) -> None:
        """Print every output line the model has completed since the last call."""
        self._start()
        output = self.model.output
        index = max(0, self._done - self.model.output_dropped)
        while index < len(output):
            line = output[index]
            self._write(line, ended=line.complete)
            if not line.complete:
                return
            index += 1

    def finish(self) -> None:
        """Print the rest: open lines (the run is over, they end here), tasks, diagnostics, verdict."""
        self._start()
        model = self.model
        output = model.output
        for line in output[max(0, self._done - model.output_dropped):]:
            self._write(line, ended=True)
        console = self.console
        if not output and not model.output_dropped:
            console.print(Text(wording.text("report-no-output"), style="dim"))
        _print_tasks(model, console)
        _print_resources(model, console)
        if model.diagnostics:
            console.print(Text(wording.text("report-diagnostics"), style="bold"))
            for diag in model.diagnostics:
                row = Text("  ")
                row.append(diag.kind, style="bold yellow")
                if diag.where:
                    row.append(f" {relative_where(diag.where)}", style="dim")
                row.append(f"  {safe_text(model.diagnostic_text(diag))}")
                console.print(row)
        status = model.status
        verdict = Text(wording.status_word(status), style=STATUS_STYLE.get(status, "bold"))
        code = exit_code(model) if model.end is not None else "-"  # still running (report --at)
        verdict.append(wording.text("report-verdict", t=model.t, code=code), style="")
        end_text = model.end_text
        if end_text and status != "finished":
            verdict.append(f"  {safe_text(end_text)}")
        console.print(verdict)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        title = Text(f"asyncscope · {self.title}" if self.title else "asyncscope")
        self.console.print(Rule(title), width=page_width(self.console) or RULE_WIDTH)

    def _write(self, line: OutputLine, ended: bool) -> None:
        if self._prefix is None:
            label = _label(self.model, line)
            self._label_width = max(self._label_width, cell_len(label))
            self._prefix = Text(f"t={line.t:7.3f} ", style="dim")
            self._prefix.append(label + " " * (self._label_width - cell_len(label) + 1), style=task_colour(line.task))
        row = self._prefix.copy()
        row.append(safe_text(line.text), style="red" if line.stream == "stderr" else "")
        row.expand_tabs(8)  # here, not by Rich per part: a tab's width depends on the whole line
        part = row[self._shown:]
        if ended:
            self.console.print(part)
            self._done += 1
            self._prefix = None
            self._shown = 0
        elif part.plain:
            self.console.print(part, end="")
            self._shown = len(row.plain)


def render(model: Model, console: Console, title: str = "") -> None:
    """Print the whole report at once: output, tasks, diagnostics, verdict."""
    printer = ReportPrinter(model, console, title)
    printer.feed()
    printer.finish()


# -- the task table ----------------------------------------------------------------------

_HEADERS = {"task": "col-task", "coro": "col-coro", "state": "col-state", "steps": "col-steps",
            "created": "col-created", "where": "col-where", "detail": "col-detail"}
"""Columns of the task table, in display order (``created`` is loop time), and the
``wording.MESSAGES`` key of each one's title."""
_DROP_ORDER = ("created", "steps", "where", "coro")
"""When the table does not fit the width, these columns go first, in this order; the task,
its state and the detail (wait, error, cancellation) stay. Narrower still, tasks print as lines."""
_MIN_DETAIL = 24
"""The detail column wraps, but not narrower than this."""


def _task_cells(model: Model, info: TaskInfo) -> dict[str, Cell]:
    """One task's cells: ``Text`` where the style follows the task or its state, else a plain
    ``str`` (a report of 100,000 tasks made 700,000 ``Text`` objects; see plain_table.Cell)."""
    if info.final:
        detail = info.error or info.cancelled_by_text
    else:
        detail = model.wait_text(info)
        suspended = model.suspended_at(info)
        if suspended:
            at = wording.text("at", where=brief_where(suspended))
            detail = f"{detail}{at}" if detail else at.lstrip()
    return {
        "task": Text(safe_text(model.task_name(info.id)), style=task_colour(info.id)),
        "coro": safe_text(info.coro),
        "state": Text(wording.state_word(info.state), style=STATE_STYLE.get(info.state, "")),
        "steps": str(info.steps),
        "created": f"{info.created_at:.3f}",
        "where": safe_text(brief_where(info.where)),
        "detail": safe_text(detail or ""),
    }


def _text(cell: Cell) -> Text:
    """A cell as Rich's table and wrapping need it (a ``str`` given to Rich would be read as markup)."""
    return Text(cell) if isinstance(cell, str) else cell


def _plain(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.plain


def _table_width(columns: list[str], widths: dict[str, int]) -> int:
    return table_width([widths[column] for column in columns])


def _print_tasks(model: Model, console: Console) -> None:
    tasks = [info for info in model.tasks.values() if not info.internal]
    if tasks:
        rows = [_task_cells(model, info) for info in tasks]
        widths = natural_widths([wording.text(header) for header in _HEADERS.values()],
                                [[row[column] for column in _HEADERS] for row in rows])
        natural = dict(zip(_HEADERS, widths, strict=True))
        width = page_width(console)
        columns = list(_HEADERS)
        if width is None or _table_width(columns, natural) <= width:
            _print_table(console, rows, columns, wrap=False)
        else:
            narrow = dict(natural, detail=min(natural["detail"], _MIN_DETAIL))
            for dropped in range(len(_DROP_ORDER) + 1):
                columns = [column for column in _HEADERS if column not in _DROP_ORDER[:dropped]]
                if _table_width(columns, narrow) <= width:
                    _print_table(console, rows, columns, wrap=True)
                    if dropped:
                        gone = wording.text("comma").join(wording.text(_HEADERS[column])
                                                          for column in _DROP_ORDER[:dropped])
                        console.print(Text(wording.text("report-columns-dropped", width=width, columns=gone),
                                           style="dim"))
                    break
            else:
                _print_task_lines(console, rows, width)
    hidden = len(model.tasks) - len(tasks)
    if hidden:
        key = "report-internal-hidden-one" if hidden == 1 else "report-internal-hidden"
        console.print(Text(wording.text(key, count=hidden), style="dim"))


def resource_state_text(model: Model, info: Any) -> str:
    """``locked``, ``2/5 free``, ``set``, ``3/10 items``: a resource's state in a few words."""
    kind = info.kind
    text = wording.text
    if kind in ("Lock", "Condition"):
        return text("res-locked") if model.resource_holders(info) else text("res-free")
    if kind in ("Semaphore", "BoundedSemaphore"):
        if info.initial is not None:
            return text("res-slots", value=info.value, initial=info.initial)
        return text("res-slots-left", value=info.value)
    if kind == "Event":
        return text("res-set") if info.set else text("res-not-set")
    if kind.endswith("Queue"):
        return text("res-items", size=info.size, maxsize=info.maxsize or "∞")
    if kind == "Barrier":
        return text("res-parties", parties=info.parties)
    return ""


_RESOURCE_HEADERS = ("col-resource", "col-kind", "col-res-state", "col-held-by", "col-waiting", "col-made-at")


def _print_resources(model: Model, console: Console) -> None:
    found = [row for row in resources_json(model) if not row.internal]
    if not found:
        return
    name = model.task_name
    rows = []
    for row in found:
        info = model.resources[row.id]
        waiting = [name(tid) for tid in row.waiters]
        waiting += [wording.text("res-put", task=name(tid)) for tid in row.putters or ()]
        waiting += [wording.text("res-join", task=name(tid)) for tid in row.joiners or ()]
        rows.append((safe_text(row.name), row.kind, resource_state_text(model, info),
                     safe_text(", ".join(name(tid) for tid in row.holders)), safe_text(", ".join(waiting)),
                     safe_text(relative_where(row.where))))
    headers = [wording.text(key) for key in _RESOURCE_HEADERS]
    styles = ("", "", "", "", "", "dim")  # cells as plain str, styled by column (see plain_table.Cell)
    widths = _plain_widths(console, headers, rows)
    if widths is not None:
        print_plain_table(console, wording.text("report-resources"), headers, rows, widths=widths, styles=styles)
        return
    table = Table(title=wording.text("report-resources"), title_justify="left", expand=False)
    for key, header in zip(_RESOURCE_HEADERS, headers, strict=True):
        table.add_column(header, no_wrap=key != "col-waiting", overflow="fold")
    for cells in rows:
        table.add_row(*(Text(cell, style=style) for cell, style in zip(cells, styles, strict=True)))
    console.print(table)


def _plain_widths(console: Console, headers: list[str], rows: list[Any]) -> list[int] | None:
    """The columns' widths of a table long enough to print without Rich's table (see
    plain_table) whose rows all fit the width on one line each; else None."""
    if len(rows) < LONG:
        return None
    widths = natural_widths(headers, rows)
    width = page_width(console)
    return widths if width is None or table_width(widths) <= width else None


def _print_table(console: Console, rows: list[dict[str, Cell]], columns: list[str], wrap: bool) -> None:
    if not wrap and len(rows) >= LONG:  # each on one line: printed without Rich's table
        print_plain_table(console, wording.text("report-tasks"), [wording.text(_HEADERS[c]) for c in columns],
                          [[row[column] for column in columns] for row in rows],
                          right=[column == "steps" for column in columns])
        return
    table = Table(title=wording.text("report-tasks"), title_justify="left", expand=False)
    for column in columns:
        header = wording.text(_HEADERS[column])
        if column == "detail":
            table.add_column(header, no_wrap=not wrap, overflow="fold")
        else:
            table.add_column(header, no_wrap=True, justify="right" if column == "steps" else "left")
    for row in rows:
        table.add_row(*(_text(row[column]) for column in columns))
    console.print(table)


def _print_task_lines(console: Console, rows: list[dict[str, Cell]], width: int) -> None:
    """Too narrow for a table: each task on a line of its own, the rest indented below it.
    Nothing is cut: a name longer than the width folds onto the next line."""
    console.print(Text(wording.text("report-tasks"), style="italic"))
    for row in rows:
        head = Text.assemble(row["task"], "  ", row["state"])
        steps = int(_plain(row["steps"]))
        facts = Text(wording.text("report-task-facts-one" if steps == 1 else "report-task-facts",
                                  coro=_plain(row["coro"]), steps=steps, created=_plain(row["created"]),
                                  where=_plain(row["where"])), style="dim")
        for text, indent in ((head, 0), (facts, 4), (_text(row["detail"]), 4)):
            if not text.plain:
                continue
            for line in text.wrap(console, max(8, width - indent), overflow="fold"):
                line.rstrip()
                console.print(Text(" " * indent) + line)
