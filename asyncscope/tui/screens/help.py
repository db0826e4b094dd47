"""The ``?`` screen: every key, generated from the one key table."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from asyncscope import wording
from asyncscope.tui.actions import PICKER_KEYS, RUN_KEYS, Key, localise

__all__ = ["HelpScreen", "help_table"]

PANE_KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "help-pane-focus"),
    ("↑ ↓ pgup pgdn home end", "help-pane-move"),
    ("c / C", "help-pane-sort"),
    ("f", "help-pane-follow"),
    ("◇ / ◆", "help-pane-markers"),
    ("← →", "help-pane-timeline"),
    ("enter", "help-pane-diagnostic"),
    ("ctrl+p", "help-pane-palette"),
)
"""Keys of the panes themselves: the key, and its sentence's ``wording.MESSAGES`` key."""

_KEY_NAMES = {"space": "space", "slash": "/", "question_mark": "?", "plus,equals_sign": "+",
              "minus": "-", "left_square_bracket": "[", "right_square_bracket": "]"}


def _key(key: Key) -> str:
    if key.id == "faster":
        return "+"
    return key.display or _KEY_NAMES.get(key.keys, key.keys)


def help_table(title: str, keys: tuple[Key, ...], extra: tuple[tuple[str, str], ...] = ()) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key in keys:
        table.add_row(_key(key), key.help)
    for key_text, words in extra:
        table.add_row(key_text, wording.text(words))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close", show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise(self, (Key("close", "escape,question_mark,q,f1", "dismiss", "key-close"),))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text(wording.text("help-title"), style="bold"))
            yield Static(help_table(wording.text("help-run"), RUN_KEYS, PANE_KEYS))
            yield Static(help_table(wording.text("help-picker"), PICKER_KEYS))
            yield Static(Text(wording.text("help-close"), style="dim italic"))

    def on_mount(self) -> None:
        self.query_one("#help-dialog").border_title = wording.text("help-border")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
