"""A one-line prompt for the loop time to travel to (``g`` on the run screen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label

from asyncscope import wording

__all__ = ["TimePrompt", "ask_loop_time"]


class TimePrompt(ModalScreen[str | None]):
    """Asks for a loop time; dismisses with the text typed (None on escape)."""

    DEFAULT_CSS = """
    TimePrompt { align: center middle; }
    TimePrompt > Vertical { width: 50; height: auto; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, now: float) -> None:
        super().__init__()
        self._now = now

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(wording.text("time-prompt", t=self._now))
            yield Input(placeholder=wording.text("time-prompt-placeholder"), id="time")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_loop_time(screen: Screen[object], now: float, then: Callable[[float], None]) -> None:
    """``g``: ask for a loop time (``2.5``, ``t=2.5``, ``2.5s``) and call ``then`` with it;
    anything else is a warning, and escape does nothing."""

    def answered(answer: str | None) -> None:
        if not answer:
            return
        try:
            t = float(answer.strip().removeprefix("t=").removesuffix("s"))
        except ValueError:
            screen.notify(wording.text("notify-not-a-time", answer=repr(answer)), severity="warning", markup=False)
            return
        then(t)

    screen.app.push_screen(TimePrompt(now), answered)
