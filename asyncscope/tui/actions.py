"""Every key of the TUI in one table, so there is a single place to audit them.

The run screen's ``BINDINGS``, the footer, the ``?`` help screen and the command palette
are all generated from :data:`RUN_KEYS` and :data:`PICKER_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from textual.binding import Binding, BindingsMap

from asyncscope import wording

__all__ = ["FOOTER_IMPORTANCE", "Key", "RUN_KEYS", "PICKER_KEYS", "bindings", "localise"]


@dataclass(frozen=True)
class Key:
    id: str
    """Binding id (lets a keymap rebind it)."""
    keys: str
    """Textual key names, comma separated (empty: offered in the command palette only)."""
    action: str
    words: str
    """Its :data:`asyncscope.wording.MESSAGES` key: ``words`` is the short footer label and
    ``words-help`` one sentence for the help screen and the command palette, in the
    language chosen (``wording.language()``)."""
    display: str = ""
    """How the help screen writes the key (defaults to ``keys``)."""
    show: bool = True
    """Shown in the footer."""
    palette: bool = True
    """Offered in the command palette."""
    priority: bool = False
    """Checked before the focused pane's own keys (its action raises SkipAction to let
    them through when it does not apply)."""

    @property
    def key_text(self) -> str:
        return self.display or self.keys

    @property
    def label(self) -> str:
        """Short footer label."""
        return wording.text(self.words)

    @property
    def help(self) -> str:
        """One sentence for the help screen and the command palette."""
        return wording.text(f"{self.words}-help")


RUN_KEYS: tuple[Key, ...] = (
    Key("pause", "space", "pause", "key-pause", "space"),
    Key("resume", "space", "resume", "key-resume", "space"),
    Key("play", "space", "play", "key-play", "space"),
    Key("step", "s", "step", "key-step"),
    Key("step-iteration", "S", "step_iteration", "key-step-iteration", "S"),
    # Time travel's keys come before the panes' own while it applies (home/end: the task
    # table's first/last row); the output pane keeps left/right for scrolling sideways.
    Key("back", "left", "step_back", "key-back", "←/→", priority=True),
    Key("forward", "right", "step_forward", "key-forward", "→", show=False, priority=True),
    Key("travel-start", "home", "travel_start", "key-travel-start", "home", show=False, priority=True),
    Key("travel-end", "end", "travel_end", "key-travel-end", "end", show=False, priority=True),
    Key("travel-time", "g", "travel_to_time", "key-travel-time", "g", show=False),
    Key("restart", "r", "restart", "key-restart"),
    Key("faster", "plus,equals_sign", "faster", "key-faster", "+/-"),
    Key("slower", "minus", "slower", "key-slower", "-", show=False),
    Key("open", "o", "open_file", "key-open"),
    Key("timeline", "t", "toggle_timeline", "key-timeline"),
    Key("resources", "x", "toggle_resources", "key-resources"),
    Key("help", "question_mark", "help", "key-help", "?"),
    Key("quit", "q", "quit", "key-quit", palette=False),
    Key("internal", "i", "toggle_internal", "key-internal"),
    Key("tree", "v", "toggle_tree", "key-tree", show=False),
    Key("filter", "slash", "filter_tasks", "key-filter", "/", show=False),
    Key("zoom-in", "right_square_bracket", "zoom_in", "key-zoom-in", "]", show=False),
    Key("zoom-out", "left_square_bracket", "zoom_out", "key-zoom-out", "[", show=False),
    Key("zoom-fit", "0", "zoom_fit", "key-zoom-fit", show=False),
    Key("maximize", "z", "maximize_pane", "key-maximize", show=False),
    Key("back", "escape", "back", "key-scenarios", show=False),
    Key("export", "", "export_run", "key-export", "ctrl+p", show=False),
    Key("screenshot", "", "save_screenshot", "key-screenshot", "ctrl+p", show=False),
    Key("interrupt", "", "interrupt", "key-interrupt", "ctrl+p", show=False),
)
"""Keys of the run screen. An entry without ``keys`` is a command of the palette only."""

FOOTER_IMPORTANCE: tuple[str, ...] = (
    "quit", "pause", "resume", "play", "step", "step_back", "help", "restart", "faster", "open_file", "step_iteration",
    "toggle_timeline", "toggle_internal",
)
"""The run screen's footer keys, most important first: when the footer is too narrow for
all of them, the last ones are left out (they still work, and ``?`` lists them)."""

PICKER_KEYS: tuple[Key, ...] = (
    Key("run", "enter", "run", "key-run"),
    Key("open", "ctrl+o", "open_file", "key-open-file", "ctrl+o"),
    Key("help", "f1", "help", "key-help", "f1"),
    Key("quit", "ctrl+q", "app.quit", "key-quit-app", palette=False),
)
"""Keys of the scenario picker (its filter box takes every printable key)."""


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    return [
        Binding(key.keys, key.action, key.label, show=key.show, id=key.id, tooltip=key.help,
                key_display=key.display or None, priority=key.priority)
        for key in keys
        if key.keys
    ]


def localise(node: Any, keys: tuple[Key, ...]) -> None:
    """Word ``node``'s bindings from ``keys`` in the current language.

    ``BINDINGS`` are built once, when the module is imported; the language is chosen later
    (``--lang``, the locale). Call this in the screen's ``__init__``: it gives the screen's
    own copy of its bindings the labels and tooltips of ``wording.language()`` (the footer,
    the keys panel and the palette read them there)."""
    words = {key.action: key for key in keys if key.keys}
    merged: BindingsMap = node._bindings
    for name, entries in merged.key_to_bindings.items():
        merged.key_to_bindings[name] = [
            replace(binding, description=words[binding.action].label,
                    tooltip=words[binding.action].help if binding.tooltip else "")
            if binding.action in words and binding.description else binding
            for binding in entries
        ]
