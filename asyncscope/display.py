"""How both the headless report and the TUI show things: one place for each rule.

Program output is data: :func:`safe_text` makes control characters visible so it can never
drive the terminal. Colours follow the task id, states and statuses have one colour each,
and a ``file:line`` location is shortened the same way everywhere. Plain Python: no Rich,
no Textual (the runtime's wording uses :func:`brief_where` too).
"""

from __future__ import annotations

import functools
import os

__all__ = [
    "TASK_COLOURS", "STATE_STYLE", "STATUS_STYLE", "safe_text", "task_colour", "split_where",
    "brief_where", "relative_where", "quote",
]

TASK_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")

STATE_STYLE = {
    "ready": "cyan",
    "running": "bold green",
    "waiting": "bright_blue",
    "done": "green",
    "failed": "bold red",
    "cancelled": "yellow",
}
"""One colour per task state; the state is always also written as a word."""

STATUS_STYLE = {
    "running": "bold green",
    "paused": "bold yellow",
    "finished": "bold green",
    "failed": "bold red",
    "crashed": "bold red",
    "timeout": "bold yellow",
    "deadlock": "bold red",
    "error": "bold red",
    "stopped": "yellow",
    "starting": "dim",
}
"""One colour per run status (the verdict's first word)."""

_CONTROL = {code: f"\\x{code:02x}" for code in range(32) if code not in (9,)}
_CONTROL[0x7F] = "\\x7f"
_CONTROL.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})


def safe_text(text: str) -> str:
    """Make control characters visible (``\\x1b``), so output cannot drive the terminal."""
    return text.translate(_CONTROL)


def task_colour(tid: int | None) -> str:
    return "white" if tid is None else TASK_COLOURS[(tid - 1) % len(TASK_COLOURS)]


def split_where(where: str | None) -> tuple[str, int] | None:
    """``(path, line)`` of a ``path:line`` location, or None when it is not one."""
    if not where:
        return None
    path, _, line = where.rpartition(":")
    try:
        return path, int(line)
    except ValueError:
        return None


def brief_where(where: str | None) -> str:
    """``file.py:12`` for ``/long/path/file.py:12``: enough in a table or a sentence, where
    the full path stays in the JSON and the diagnostic's ``where``; ``-`` for none."""
    if not where:
        return "-"
    path, _, line = where.rpartition(":")
    return f"{os.path.basename(path)}:{line}" if path else os.path.basename(where)


def relative_where(where: str | None) -> str:
    """``file:line`` with the file relative to the current directory when it is below it."""
    if not where:
        return "-"
    path, _, line = where.rpartition(":")
    if not path:
        return where
    return f"{_relative_path(path)}:{line}"


@functools.lru_cache(maxsize=1024)
def _relative_path(path: str) -> str:
    """Once per file: a report of 300,000 resources made on a few lines spent 5 s in
    ``os.path.relpath``. (asyncscope never changes its working directory.)"""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def quote(text: str, limit: int = 40) -> str:
    """``'hello'`` for narration, shortened and with control characters made visible."""
    text = safe_text(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
