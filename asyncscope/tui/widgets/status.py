"""The status bar: scenario, run state and verdict, loop clock, speed, steps."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from asyncscope import wording
from asyncscope.display import safe_text
from asyncscope.model import Model
from asyncscope.tui.format import STATUS_STYLE, speed_label

__all__ = ["StatusBar"]

_ICON = {"running": "▶", "paused": "‖", "starting": "…"}


class StatusBar(Static):
    """One line at the top of the run screen."""

    DEFAULT_CSS = """
    StatusBar { height: 1; width: 1fr; }
    """

    def show(self, label: str, model: Model, now: float, speed: float | None, clock: str,
             asked: str | None = None, past: tuple[int, int, str] | None = None) -> None:
        self.update(self.compose_text(label, model, now, speed, clock, asked, past))

    @staticmethod
    def compose_text(label: str, model: Model, now: float, speed: float | None, clock: str,
                     asked: str | None = None, past: tuple[int, int, str] | None = None) -> Text:
        """``asked``: a command sent but not yet acknowledged by the program (``pausing``,
        ``stepping``), shown at once so a key never seems ignored during a long wait.
        ``past``: (events shown, events in all, the run's status now) while time travel
        shows an earlier moment: the header says what the program is doing, the panes
        what it was doing then."""
        status = model.status if model.hello is not None or model.end is not None else "starting"
        if past is not None:
            status = past[2]
        text = Text(" ")
        text.append(safe_text(label), style="bold")
        text.append("  ")
        icon = _ICON.get(status, "■")
        text.append(f"{icon} {wording.status_word(status)}", style=STATUS_STYLE.get(status, "bold"))
        if past is not None:
            text.append(wording.text("status-past", shown=past[0], total=past[1]), style="bold magenta")
        if asked and model.end is None:
            words = wording.text(f"asked-{asked}") if f"asked-{asked}" in wording.MESSAGES else asked
            text.append(f" · {words}…", style="yellow")
        end = model.end
        if end is not None:
            text.append(wording.text("status-exit", code=end.exit_code), style=STATUS_STYLE.get(status, ""))
        elif model.paused:
            if model.next_task is not None:
                text.append(wording.text("status-next", what=safe_text(model.task_name(model.next_task))),
                            style="yellow")
            else:
                timers = [info.wait.until for info in model.tasks.values()
                          if not info.final and info.wait is not None and info.wait.kind == "sleep"
                          and info.wait.until is not None]
                nxt = wording.text("status-next-clock", t=min(timers)) if timers else wording.text("status-next-loop")
                text.append(wording.text("status-next", what=nxt), style="yellow")
        text.append(f"  t={now:.3f}s", style="bold")
        text.append("  ")
        text.append(speed_label(speed) if clock == "virtual" else wording.text("status-real-clock"), style="cyan")
        text.append(wording.text("status-steps", count=model.steps), style="")
        tasks = model.user_task_count
        text.append(wording.text("status-tasks-one" if tasks == 1 else "status-tasks", count=tasks), style="dim")
        if model.diagnostics:
            count = len(model.diagnostics)
            text.append(f"  ⚠ {count}", style="yellow")
        end_text = model.end_text
        if end_text and status != "finished":
            text.append(f"  {safe_text(end_text)}", style=STATUS_STYLE.get(status, ""))
        return text
