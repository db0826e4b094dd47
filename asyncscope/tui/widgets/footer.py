"""The key footer: Textual's footer, keeping the most important keys when not all fit.

Textual's footer lays its keys out in a row and lets the screen's edge cut the rest, so at
80 columns the run screen read ``… ? Help q Quit i``. This one leaves out whole keys, the
least important first (the order is :data:`~asyncscope.tui.actions.FOOTER_IMPORTANCE`), and
keeps the rest in their usual places. Every key still works, and ``?`` lists them all.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeyFooter", "fit_keys"]


def fit_keys(keys: Sequence[tuple[str, int]], width: int, importance: Sequence[str]) -> set[int]:
    """Which keys to show: ``keys`` are ``(action, cells)`` in footer order; the result holds
    the positions that fit in ``width`` when keys are taken most important first (actions
    not in ``importance`` come last, in footer order)."""
    rank = {action: number for number, action in enumerate(importance)}
    order = sorted(range(len(keys)), key=lambda index: (rank.get(keys[index][0], len(rank)), index))
    chosen: set[int] = set()
    used = 0
    for index in order:
        cells = keys[index][1]
        if used + cells <= width:
            chosen.add(index)
            used += cells
    return chosen


class KeyFooter(Footer):
    """A compact footer that drops its least important keys instead of cutting the row."""

    def __init__(self, importance: Sequence[str], *, compact: bool = True,
                 show_command_palette: bool = False) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self.importance = tuple(importance)
        self._composed_width = -1

    def _cells(self, key: FooterKey) -> int:
        """The cells a key takes: ``key label`` and the margin after it (see Footer's CSS)."""
        label = cell_len(key.description) + 1 if key.description else 0
        padding = 0 if self.compact else 3
        return cell_len(key.key_display) + label + padding + 1

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        self._composed_width = width = self.size.width or self.screen.size.width or self.app.size.width
        keys = [widget for widget in widgets if isinstance(widget, FooterKey)]
        fixed = [key for key in keys if key.has_class("-command-palette")]
        optional = [key for key in keys if not key.has_class("-command-palette")]
        room = width - sum(self._cells(key) for key in fixed)
        chosen = fit_keys([(key.action, self._cells(key)) for key in optional], room, self.importance)
        left_out = {id(key) for index, key in enumerate(optional) if index not in chosen}
        yield from (widget for widget in widgets if id(widget) not in left_out)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)

