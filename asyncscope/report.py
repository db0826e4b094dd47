"""The headless report (Rich) and the JSON verdict, both derived from the model.

Scenario output is user data: it is always rendered through ``rich.text.Text`` with
control characters made visible, never as markup, so a program printing ``[bold]`` or an
ANSI escape shows exactly those characters. The JSON fields are documented in
``docs/report.md``; keep the two in step.
"""

from __future__ import annotations

import os
from typing import Any

import msgspec
from rich.console import Console
from rich.table import Table
from rich.text import Text

from asyncscope.model import Model, TaskInfo

__all__ = ["to_json", "render", "exit_code", "TASK_COLOURS", "safe_text", "short_where", "task_colour", "JSON_STATES"]

TASK_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")

JSON_STATES = {"done": "done", "failed": "failed", "cancelled": "cancelled"}
"""Task states in the JSON report; every other state is ``pending``."""

_CONTROL = {code: f"\\x{code:02x}" for code in range(32) if code not in (9,)}
_CONTROL[0x7F] = "\\x7f"
_CONTROL.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})


def safe_text(text: str) -> str:
    """Make control characters visible (``\\x1b``), so output cannot drive the terminal."""
    return text.translate(_CONTROL)


def task_colour(tid: int | None) -> str:
    return "white" if tid is None else TASK_COLOURS[(tid - 1) % len(TASK_COLOURS)]


def exit_code(model: Model) -> int:
    """The exit status of ``asyncscope run``: see docs/report.md."""
    end = model.end
    if end is None:
        return 1
    return end.exit_code


class TaskRow(msgspec.Struct):
    """One task of the JSON verdict (docs/report.md). A Struct, not a dict: a verdict can
    hold 50,000 tasks, and Structs build and encode several times faster."""

    id: int
    name: str
    coro: str
    parent: int | None
    state: str
    created_at: float
    where: str | None
    steps: int
    internal: bool
    ended_at: float | None
    result: str | None
    error: str | None
    cancelled_by: str | None


def _task_json(info: TaskInfo) -> TaskRow:
    return TaskRow(
        info.id, info.name, info.coro, info.parent, JSON_STATES.get(info.state, "pending"),
        info.created_at, info.where, info.steps, info.internal, info.ended_at, info.result,
        info.error, info.cancelled_by,
    )


def to_json(model: Model, clock: str) -> dict[str, Any]:
    """The JSON verdict (docs/report.md). Times are loop seconds, as measured."""
    end = model.end
    name = model.task_name
    return {
        "status": model.status,
        "exit_code": exit_code(model),
        "clock": clock,
        "elapsed": model.t,
        "message": end.message if end else None,
        "tasks": [_task_json(info) for info in model.tasks.values()],
        "output": [
            {"t": line.t, "task": None if line.task is None else name(line.task),
             "stream": line.stream, "text": line.text}
            for line in model.output
        ],
        "diagnostics": [
            {"kind": d.kind, "message": d.message, "task": None if d.task is None else name(d.task),
             "where": d.where, "t": d.t}
            for d in model.diagnostics
        ],
    }


def make_console(file: Any = None) -> Console:
    """Colour only on a terminal, never with ``NO_COLOR`` (Rich honours it too)."""
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(file=file, no_color=no_color, highlight=False, soft_wrap=True)


def _file_line(where: str | None) -> str:
    """``name.py:12``: enough in a table, where the full path is in the JSON."""
    if not where:
        return "-"
    path, _, line = where.rpartition(":")
    return f"{os.path.basename(path)}:{line}" if path else where


def short_where(where: str | None) -> str:
    """``file:line`` with the file relative to the current directory when it is below it."""
    if not where:
        return "-"
    path, _, line = where.rpartition(":")
    if not path:
        return where
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = path
    return f"{rel if not rel.startswith('..') else path}:{line}"


_STATE_STYLE = {"done": "green", "failed": "bold red", "cancelled": "yellow", "waiting": "blue", "ready": "cyan"}
_STATUS_STYLE = {"finished": "bold green", "failed": "bold red", "crashed": "bold red",
                 "timeout": "bold yellow", "deadlock": "bold red", "error": "bold red", "stopped": "yellow"}


def render(model: Model, console: Console, title: str = "") -> None:
    """Print the report: output, tasks, diagnostics, verdict."""
    console.rule(Text(f"asyncscope · {title}" if title else "asyncscope"))
    width = max((len(model.task_name(line.task)) for line in model.output), default=4)
    for line in model.output:
        row = Text(f"t={line.t:7.3f} ", style="dim")
        label = model.task_name(line.task) if line.task is not None else (line.thread or "-")
        row.append(f"{label:<{width}} ", style=task_colour(line.task))
        row.append(safe_text(line.text), style="red" if line.stream == "stderr" else "")
        console.print(row)
    if not model.output:
        console.print(Text("(no output)", style="dim"))

    tasks = [info for info in model.tasks.values() if not info.internal]
    if tasks:
        table = Table(title="Tasks", title_justify="left", expand=False)
        for column in ("task", "coroutine", "state", "steps", "created", "where"):  # created: loop time
            table.add_column(column, no_wrap=True)
        table.add_column("detail", ratio=1, overflow="fold")
        for info in tasks:
            detail = info.error or (f"by {info.cancelled_by}" if info.cancelled_by else "")
            if not info.final:
                detail = model.wait_text(info)
            table.add_row(
                Text(info.name, style=task_colour(info.id)),
                Text(info.coro),
                Text(info.state, style=_STATE_STYLE.get(info.state, "")),
                str(info.steps),
                f"{info.created_at:.3f}",
                Text(_file_line(info.where)),
                Text(safe_text(detail or "")),
            )
        console.print(table)
    hidden = len(model.tasks) - len(tasks)
    if hidden:
        console.print(Text(f"({hidden} internal task{'s' if hidden != 1 else ''} not shown)", style="dim"))

    if model.diagnostics:
        console.print(Text("Diagnostics", style="bold"))
        for diag in model.diagnostics:
            row = Text("  ")
            row.append(diag.kind, style="bold yellow")
            if diag.where:
                row.append(f" {short_where(diag.where)}", style="dim")
            row.append(f"  {safe_text(diag.message)}")
            console.print(row)

    status = model.status
    verdict = Text(status, style=_STATUS_STYLE.get(status, "bold"))
    verdict.append(f"  loop time {model.t:.3f}s  exit code {exit_code(model)}", style="")
    if model.end and model.end.message and status != "finished":
        verdict.append(f"  {safe_text(model.end.message)}")
    console.print(verdict)
