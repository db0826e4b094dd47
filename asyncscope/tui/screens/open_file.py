"""Open your own program: a path box with completion, and a directory browser.

The path is checked in the parent (:func:`asyncscope.targets.check_file`) before anything
runs, so a missing file, a directory or a syntax error is explained right here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Static

from asyncscope.targets import TargetError, check_file

__all__ = ["OpenFileScreen", "PathInput", "PathSuggester", "PythonTree", "complete_path"]


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


class OpenFileScreen(ModalScreen[str | None]):
    """Returns the chosen file's path, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: str | None = None) -> None:
        super().__init__()
        self.start = start or os.getcwd()

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog"):
            yield Static(Text("Type a path (tab completes) or browse, then enter.", style="dim"))
            yield PathInput(value=self.start.rstrip(os.sep) + os.sep, placeholder="path/to/program.py",
                        suggester=PathSuggester(), id="open-path")
            yield Static("", id="open-error")
            yield PythonTree(self.start, id="open-tree")

    def on_mount(self) -> None:
        self.query_one("#open-dialog").border_title = "Open a Python file"
        self.query_one("#open-path", Input).focus()

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
        self.dismiss(path)
