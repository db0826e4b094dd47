"""Printed output in order: each line with its loop time and its task in the task's colour.

The text is the program's own: it is shown literally (``safe_text`` in a ``Text``, never
markup), so ``[bold]`` or an ANSI escape appears as those characters. stderr lines are
marked and red. The view keeps the last :data:`KEEP` lines and says how many earlier
ones it no longer shows. The model keeps more (``feed.OUTPUT_LIMIT``), and a run started
with ``--trace FILE`` keeps every line on disk.
"""

from __future__ import annotations

from rich.text import Text

from asyncscope.model import Model
from asyncscope.report import safe_text, task_colour
from asyncscope.tui.format import fit_cells
from asyncscope.tui.widgets.linelog import LineLog

__all__ = ["OutputView", "KEEP"]

KEEP = 5_000
"""Lines the pane shows at most; older ones are summarised in one line."""


class OutputView(LineLog):
    """What the program printed."""

    def __init__(self, *, keep: int = KEEP, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = Model()
        self.keep = keep

    def set_model(self, model: Model) -> None:
        self.model = model
        self._max_width = 0
        self.follow = True
        self.lines_changed()

    @property
    def dropped(self) -> int:
        """Earlier lines not shown: beyond this pane's ``keep``, plus any the model let go."""
        return self._hidden_here + self.model.output_dropped

    @property
    def _hidden_here(self) -> int:
        return max(0, len(self.model.output) - self.keep)

    def line_count(self) -> int:
        output = self.model.output
        if not output:
            return 1
        return min(len(output), self.keep) + (1 if self.dropped else 0)

    def line_text(self, index: int) -> Text:
        output = self.model.output
        if not output:
            return Text("(nothing printed yet)", style="dim italic")
        dropped = self.dropped
        if dropped:
            if index == 0:
                return Text(f"… {dropped:,} earlier lines not shown (the last {self.keep:,} are kept here)",
                            style="dim italic")
            index = self._hidden_here + index - 1
        line = output[index]
        model = self.model
        text = Text.assemble((f"{line.t:8.3f} ", "dim"))
        if line.task is not None:
            label = model.task_name(line.task)
        else:
            label = line.thread or "-"
        text.append(f"{fit_cells(safe_text(label), 12)} ", style=task_colour(line.task))
        if line.stream == "stderr":
            text.append("! ", style="bold red")
            text.append(safe_text(line.text), style="red")
        else:
            text.append("  ")
            text.append(safe_text(line.text))
        if not line.complete and model.end is None:
            text.append("▏", style="dim")
        return text

    def plain_lines(self) -> list[str]:
        """The pane's lines as plain text (for tests and copying)."""
        return [self.line_text(index).plain for index in range(self.line_count())]
