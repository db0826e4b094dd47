"""Small shared formatting helpers for the panes: state colours, paths, times, speeds.

Scenario text never passes through here as markup: callers build ``rich.text.Text``
from :func:`asyncscope.report.safe_text`.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from asyncscope import wording
from asyncscope.display import STATE_STYLE, STATUS_STYLE, safe_text

__all__ = [
    "STATE_STYLE",
    "STATUS_STYLE",
    "SPEEDS",
    "INSTANT",
    "speed_label",
    "normalise_speed",
    "safe_lines",
    "fit_cells",
]

INSTANT = float("inf")
"""Pass as ``speed`` to :func:`asyncscope.tui.app.make_app` for instant playback."""

SPEEDS: tuple[float | None, ...] = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, None)
"""Playback rates ``+``/``-`` move through; None is instant."""


def normalise_speed(speed: float | None) -> float | None:
    """The session's speed for what the user asked: None (not given) plays at 1x;
    ``inf`` or a rate <= 0 means instant (None on the wire)."""
    if speed is None:
        return 1.0
    if speed <= 0 or speed == INSTANT:
        return None
    return float(speed)


def speed_label(speed: float | None) -> str:
    if speed is None:
        return wording.text("speed-instant")
    return f"{speed:g}x"


def safe_lines(text: str) -> str:
    """:func:`safe_text` line by line: a traceback keeps its line breaks, while every
    other control character is still made visible."""
    return "\n".join(safe_text(line) for line in text.split("\n"))


def fit_cells(text: str, width: int) -> str:
    """``text`` cut (with ``…``) or padded to exactly ``width`` terminal cells: a task
    named in Japanese takes two cells a character, and columns must still line up."""
    if cell_len(text) > width:
        cut = set_cell_size(text, width - 1)
        if not text.startswith(cut):  # half a wide character was padded with a space
            cut = cut[:-1]
        text = cut + "…"
    return set_cell_size(text, width)
