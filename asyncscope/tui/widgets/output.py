"""Printed output in order: each line with its loop time and its task in the task's colour.

The text is the program's own: it is shown literally (``safe_text`` in a ``Text``, never
markup), so ``[bold]`` or an ANSI escape appears as those characters. stderr lines are
marked and red. The view keeps the last :data:`KEEP` lines and says how many earlier
ones it no longer shows. The model keeps more (``model.TUI_OUTPUT_LIMIT``), and a run started
with ``--trace FILE`` keeps every line on disk.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from asyncscope import wording
from asyncscope.display import safe_text, task_colour
from asyncscope.model import Model, OutputLine
from asyncscope.tui.format import fit_cells
from asyncscope.tui.widgets.linelog import LineLog

__all__ = ["OutputView", "KEEP"]

KEEP = 5_000
"""Lines the pane shows at most; older ones are summarised in one line."""
_MIN_LABEL = len("Task-1")
_MAX_LABEL = 12
"""The task label column's width: as wide as the longest label printed, within these."""


class OutputView(LineLog):
    """What the program printed."""

    def __init__(self, *, keep: int = KEEP, name: str | None = None, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = Model()
        self.keep = keep
        self._label_width = _MIN_LABEL
        self._scanned = 0
        """Output lines (counting dropped ones) whose labels were measured."""

    def set_model(self, model: Model) -> None:
        self.model = model
        self._max_width = 0
        self._label_width = _MIN_LABEL
        self._scanned = 0
        self.follow = True
        self.lines_changed()

    def lines_changed(self) -> None:
        # The label column is as wide as the longest label so far (up to _MAX_LABEL), so
        # short task names leave the text room in a narrow pane. Only new lines are looked at.
        model = self.model
        output = model.output
        start = max(0, self._scanned - model.output_dropped)
        for line in output[start:]:
            cells = cell_len(safe_text(self._label(line)))
            if cells > self._label_width:
                self._label_width = min(_MAX_LABEL, cells)
        self._scanned = model.output_dropped + len(output)
        super().lines_changed()

    def _label(self, line: OutputLine) -> str:
        return self.model.task_name(line.task) if line.task is not None else (line.thread or "-")

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
            return Text(wording.text("output-none"), style="dim italic")
        dropped = self.dropped
        if dropped:
            if index == 0:
                return Text(wording.text("output-dropped", count=dropped, keep=self.keep), style="dim italic")
            index = self._hidden_here + index - 1
        line = output[index]
        model = self.model
        text = Text.assemble((f"{line.t:8.3f} ", "dim"))
        text.append(f"{fit_cells(safe_text(self._label(line)), self._label_width)} ", style=task_colour(line.task))
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
