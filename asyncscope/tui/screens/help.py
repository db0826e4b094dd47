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

from asyncscope.tui.actions import PICKER_KEYS, RUN_KEYS, Key

__all__ = ["HelpScreen", "help_table"]

PANE_KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move between panes."),
    ("↑ ↓ pgup pgdn home end", "Move in the focused pane (tasks: choose a task)."),
    ("c / C", "Tasks: sort by the next column / reverse (or click a column title)."),
    ("f", "Tasks: follow the task that runs next again."),
    ("◇ / ◆", "Tasks: marks a library's task / asyncio's own (or one made while the loop shut "
              "down); the program's own tasks have no mark. i shows or hides them."),
    ("← →", "Timeline: move earlier / later when zoomed in."),
    ("enter", "Diagnostics: jump to the diagnostic's task and source line."),
    ("ctrl+p", "Command palette: every action by name."),
)

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
    for key_text, help_text in extra:
        table.add_row(key_text, help_text)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of every screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close", show=True),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text("asyncscope keys", style="bold"))
            yield Static(help_table("While a program runs", RUN_KEYS, PANE_KEYS))
            yield Static(help_table("Scenario list", PICKER_KEYS))
            yield Static(Text("escape, ? or q closes this help.", style="dim italic"))

    def on_mount(self) -> None:
        self.query_one("#help-dialog").border_title = "Help"

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
