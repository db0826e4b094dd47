"""Diagnostics from the runner (never-awaited coroutines, tasks cancelled at shutdown,
deadlocks, …); choosing one jumps to its task or source line."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from asyncscope import wording
from asyncscope.display import brief_where, safe_text
from asyncscope.events import Diagnostic
from asyncscope.model import Model

__all__ = ["DiagnosticsList"]

SHOW_AT_MOST = 1_000


class DiagnosticsList(OptionList):
    """One option per diagnostic, in the order they happened."""

    DEFAULT_CSS = """
    DiagnosticsList { height: 1fr; }
    """

    class Chosen(Message):
        """A diagnostic was chosen. Handle with ``on_diagnostics_list_chosen``."""

        def __init__(self, diagnostics: DiagnosticsList, diagnostic: Diagnostic) -> None:
            super().__init__()
            self.diagnostics = diagnostics
            self.diagnostic = diagnostic

        @property
        def control(self) -> DiagnosticsList:
            return self.diagnostics

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self.model = Model()
        self._shown = 0

    def set_model(self, model: Model) -> None:
        self.model = model
        self._shown = 0
        self.clear_options()
        self.add_option(Option(Text(wording.text("diagnostics-none"), style="dim italic"), id="none", disabled=True))

    def diagnostics_changed(self) -> None:
        diagnostics = self.model.diagnostics[: SHOW_AT_MOST]
        if self._shown >= len(diagnostics):
            return
        if self._shown == 0:
            self.clear_options()
        new = []
        for index in range(self._shown, len(diagnostics)):
            new.append(Option(self._prompt(diagnostics[index]), id=f"d{index}"))
        self._shown = len(diagnostics)
        self.add_options(new)
        if len(self.model.diagnostics) > SHOW_AT_MOST and not self.get_option_count() > SHOW_AT_MOST:
            extra = len(self.model.diagnostics) - SHOW_AT_MOST
            self.add_option(Option(Text(wording.text("diagnostics-more", count=extra), style="dim"), disabled=True))
        if self.highlighted is None:
            self.highlighted = 0

    def _prompt(self, diagnostic: Diagnostic) -> Text:
        text = Text.assemble(("⚠ ", "yellow"))
        text.append(diagnostic.kind, style="bold yellow")
        if diagnostic.task is not None:
            text.append(f" {safe_text(self.model.task_name(diagnostic.task))}", style="bold")
        if diagnostic.where:
            text.append(f" {brief_where(diagnostic.where)}", style="dim")
        text.append("\n")
        text.append(safe_text(self.model.diagnostic_text(diagnostic)))
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("d"):
            self.post_message(self.Chosen(self, self.model.diagnostics[int(option_id[1:])]))
