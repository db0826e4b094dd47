"""Open your own program: a path box with completion, a directory browser, and the clock.

The path is checked in the parent (:func:`asyncscope.targets.check_file`) before anything
runs, so a missing file, a directory or a syntax error is explained right here. The dialog
also asks which clock to run on: the virtual one skips idle time, which suits teaching and
timers but not a server answering real clients, so a program that talks over the network
or starts subprocesses gets the real clock chosen for it (the user can still change it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, RadioButton, RadioSet, Static

from asyncscope import wording
from asyncscope.targets import TargetError, check_file

__all__ = ["Opened", "OpenFileScreen", "PathInput", "PathSuggester", "PythonTree", "complete_path", "suggested_clock"]

CLOCKS = ("virtual", "real")

_TALKS_TO_THE_WORLD = re.compile(
    r"\b(start_server|start_unix_server|open_connection|open_unix_connection|create_connection|"
    r"create_server|create_datagram_endpoint|sock_connect|sock_accept|sock_recv|create_subprocess_exec|"
    r"create_subprocess_shell|socket\.socket|aiohttp|httpx|websockets|uvicorn|hypercorn|asyncpg|aiomysql|"
    r"redis\.asyncio|aiokafka|grpc)\b"
)
"""Names in a program's source that mean it talks to other processes: real waits, real clock."""


@dataclass(frozen=True)
class Opened:
    """What the dialog returns: the program and the clock to run it on."""

    path: str
    clock: str
    """``virtual`` or ``real``."""


def suggested_clock(path: str) -> str | None:
    """``real`` for a program that uses the network or subprocesses, else None (no advice)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            source = handle.read(1_000_000)
    except OSError:
        return None
    return "real" if _TALKS_TO_THE_WORLD.search(source) else None


class PathSuggester(Suggester):
    """Completes the last part of a path from the directory's entries (folders get a ``/``)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


def complete_path(value: str) -> str | None:
    if not value:
        return None
    folder, prefix = os.path.split(value)
    real = os.path.expanduser(folder or ".")
    try:
        names = sorted(os.listdir(real))
    except OSError:
        return None
    for name in names:
        if name.startswith(prefix) and name != prefix and (prefix.startswith(".") or not name.startswith(".")):
            full = os.path.join(real, name)
            if os.path.isdir(full):
                return os.path.join(folder, name) + os.sep
            if name.endswith(".py"):
                return os.path.join(folder, name)
    return None


class PathInput(Input):
    """An input whose tab key accepts the path completion (and moves on when there is none)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("tab", "complete", "Complete", show=False)]

    def action_complete(self) -> None:
        suggestion = getattr(self, "_suggestion", "")
        if suggestion and len(suggestion) > len(self.value) and self.cursor_at_end:
            self.value = suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


class PythonTree(DirectoryTree):
    """Folders and ``.py`` files only, without hidden entries."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")
                and (path.is_dir() or path.suffix == ".py")]


class OpenFileScreen(ModalScreen[Opened | None]):
    """Returns the chosen file and clock, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: str | None = None, clock: str = "virtual") -> None:
        super().__init__()
        self.start = start or os.getcwd()
        self.clock = clock if clock in CLOCKS else "virtual"
        """The clock chosen so far."""
        self._clock_chosen = False
        """The user picked the clock: no advice from the program's source overrides it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield Static(Text(wording.text("open-hint"), style="dim"))
            yield PathInput(value=self.start.rstrip(os.sep) + os.sep, placeholder="path/to/program.py",
                        suggester=PathSuggester(), id="open-path")
            with RadioSet(id="open-clock"):
                yield RadioButton(wording.text("open-clock-virtual"),
                                  value=self.clock == "virtual", id="clock-virtual")
                yield RadioButton(wording.text("open-clock-real"),
                                  value=self.clock == "real", id="clock-real")
            yield Static("", id="open-error")
            yield PythonTree(self.start, id="open-tree")

    def on_mount(self) -> None:
        self.query_one("#open-dialog").border_title = wording.text("open-title")
        self.query_one("#open-clock").border_title = wording.text("open-clock")
        self.query_one("#open-path", Input).focus()

    @on(RadioSet.Changed, "#open-clock")
    def _clock_changed(self, event: RadioSet.Changed) -> None:
        clock = CLOCKS[event.index]
        if clock != self.clock:
            self.clock = clock
            self._clock_chosen = True

    def _set_clock(self, clock: str) -> None:
        self.clock = clock
        self.query_one(f"#clock-{clock}", RadioButton).value = True

    def _advise_clock(self, path: str) -> None:
        """Choose the real clock for a program that talks to the network (unless the user chose)."""
        if self._clock_chosen or not path.endswith(".py") or not os.path.isfile(path):
            return
        advice = suggested_clock(path)
        if advice is not None and advice != self.clock:
            self._set_clock(advice)
            self._clock_chosen = False  # still the dialog's choice, not the user's
            self.notify(wording.text("open-real-chosen", name=os.path.basename(path)),
                        timeout=4, markup=False)

    @on(Input.Changed, "#open-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._advise_clock(os.path.expanduser(event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        field = self.query_one("#open-path", Input)
        field.value = str(event.path)
        self._try_open(str(event.path))

    @on(DirectoryTree.DirectorySelected)
    def _folder_chosen(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#open-path", Input).value = str(event.path) + os.sep

    @on(Input.Submitted, "#open-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = os.path.expanduser(event.value.strip())
        if os.path.isdir(path):
            self.query_one(PythonTree).path = path
            self.query_one("#open-error", Static).update("")
            return
        self._try_open(path)

    def _try_open(self, path: str) -> None:
        try:
            check_file(path)
        except TargetError as exc:
            self.query_one("#open-error", Static).update(Text(str(exc), style="bold red"))
            return
        self._advise_clock(path)
        self.dismiss(Opened(path, self.clock))
