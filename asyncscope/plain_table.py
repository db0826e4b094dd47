"""Long tables of the headless report, printed as Rich prints them, without Rich's table.

A Rich ``Table`` measures and renders every cell through its layout machinery, about
0.3 ms a row: the report of a run of 10,000 tasks took 4 s, and a run that made 30,000
locks and queues 14 s, for a program that ran in 0.2 s. A table whose rows all fit on
one line (nothing wraps) is only padding and rules, so this writes the same characters
itself: byte for byte what ``Table(title=..., title_justify="left")`` with ``no_wrap``
columns prints (tests/test_report.py compares the two, with and without colour). Where
the console has no colour (a pipe, a file, ``NO_COLOR``), the lines are written as plain
text, about a hundred times faster than the table; with colour, Rich renders them as one
``Text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

__all__ = ["LONG", "Cell", "print_plain_table", "natural_widths"]

Cell = str | Text
"""A cell: a ``Text``, or a plain ``str`` (styled by its column, if at all), which costs a
report of 400,000 rows nothing to make where a ``Text`` is a few microseconds each. Cells
hold no control characters (the report passes program text through ``safe_text``)."""


def _width(text: str) -> int:
    """``cell_len``, at once for ASCII (one cell a character, control characters aside)."""
    return len(text) if text.isascii() else cell_len(text)

LONG = 200
"""Rows from which the report prints a table this way (shorter ones keep Rich's table)."""


def natural_widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[int]:
    """Each column's width: its widest cell or header."""
    widths = [cell_len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            length = _width(cell) if isinstance(cell, str) else cell.cell_len
            if length > widths[index]:
                widths[index] = length
    return widths


def table_width(widths: Sequence[int]) -> int:
    """Rich's default table: one space of padding each side of a cell, a rule between and around."""
    return sum(width + 3 for width in widths) + 1


def print_plain_table(console: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                      right: Sequence[bool] | None = None, widths: Sequence[int] | None = None,
                      styles: Sequence[str] | None = None) -> None:
    """``rows`` under ``headers``, ``right[i]`` right-justifying column i and ``styles[i]``
    styling its ``str`` cells; ``widths``, the columns' natural widths, when the caller has
    measured them already."""
    widths = widths or natural_widths(headers, rows)
    right = right or [False] * len(headers)
    if console.no_color or console.color_system is None:
        _write_plain(console, title, headers, rows, widths, right)
        return
    styles = styles or [""] * len(headers)
    lines = [Text(title, style="table.title"), Text("┏" + "┳".join("━" * (w + 2) for w in widths) + "┓"),
             _line([Text(header) for header in headers], widths, right, "┃", "table.header"),
             Text("┡" + "╇".join("━" * (w + 2) for w in widths) + "┩")]
    lines += [_line([Text(cell, style=style) if isinstance(cell, str) else cell
                     for cell, style in zip(row, styles, strict=True)], widths, right, "│") for row in rows]
    lines.append(Text("└" + "┴".join("─" * (w + 2) for w in widths) + "┘"))
    console.print(Text("\n").join(lines), no_wrap=True, crop=False, overflow="ignore")


def _line(cells: Sequence[Text], widths: Sequence[int], right: Sequence[bool], rule: str,
          style: str | None = None) -> Text:
    out = Text(rule)
    for cell, width, flush_right in zip(cells, widths, right, strict=True):
        pad = width - cell.cell_len
        out.append(" ", style)
        if style is not None:  # the header: its padding in its style, as Rich does
            out.append(" " * pad + cell.plain if flush_right else cell.plain + " " * pad, style)
        else:  # a cell's padding in the cell's own style, as Rich does
            if pad:
                cell = cell.copy()
                (cell.pad_left if flush_right else cell.pad_right)(pad)
            out.append_text(cell)
        out.append(" ", style)
        out.append(rule)
    return out


def _write_plain(console: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                 widths: Sequence[int], right: Sequence[bool]) -> None:
    def line(texts: Sequence[str], rule: str) -> str:
        cells = []
        for text, width, flush_right in zip(texts, widths, right, strict=True):
            pad = " " * (width - _width(text))
            cells.append(f" {pad}{text} " if flush_right else f" {text}{pad} ")
        return rule + rule.join(cells) + rule

    out = [title, "┏" + "┳".join("━" * (w + 2) for w in widths) + "┓", line(headers, "┃"),
           "┡" + "╇".join("━" * (w + 2) for w in widths) + "┩"]
    out += [line([cell if isinstance(cell, str) else cell.plain for cell in row], "│") for row in rows]
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    console.file.write("\n".join(out) + "\n")
