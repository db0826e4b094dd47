"""The narration pane: the last few steps in plain words, newest at the bottom.

Sentences are wrapped to the pane's width (with a hanging indent under the time), so a
learner reads whole sentences even at 80 columns.
"""

from __future__ import annotations

from rich.text import Text

from asyncscope.display import task_colour
from asyncscope.model import Model
from asyncscope.narration import Narrator, Sentence
from asyncscope.tui.widgets.linelog import LineLog

__all__ = ["NarrationView"]

_SILENT = Narrator()
"""What a model that narrates nothing shows."""

_KIND_STYLE = {"clock": "dim", "diagnostic": "yellow", "end": "bold"}
_INDENT = 10  # "  1.000 ● "
AT_ONCE = 20
"""Sentences wrapped at once when a new state is shown (a jump in time), at least: as many
as the pane has lines if it has more, enough to fill it (each is one line or more); the
older ones (up to 500) are wrapped just after the frame is out, since wrapping them all
took most of a jump's time (and 60 at once, 5 ms of it)."""


class NarrationView(LineLog):
    """Sentences from the run state's :class:`~asyncscope.narration.Narrator`, worded
    now, in the current language, naming tasks as the state shown calls them."""

    DEFAULT_CSS = """
    NarrationView { overflow-x: hidden; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self.model = Model()
        self.intro: list[str] = []
        """Lines shown before any sentence (the scenario's "watch" hint)."""
        self._wrapped: list[Text] = []
        self._older: list[Sentence] | None = None
        """Sentences (and the intro) still to wrap above the ones wrapped, after a jump."""
        self._done = 0
        """Sentences wrapped so far, counting dropped ones."""
        self._width = 0
        self.wrap = True

    @property
    def narrator(self) -> Narrator:
        return self.model.narrator or _SILENT

    def set_model(self, model: Model, intro: list[str]) -> None:
        self.model = model
        self.intro = intro
        self._width = 0
        self.follow = True
        self._refresh_wrapped(at_once=max(AT_ONCE, self.scrollable_content_region.height))
        super().lines_changed()
        if self._older is not None:
            self.call_after_refresh(self._wrap_older, self._older)

    def _wrap(self, body: Text, head: Text, indent: int) -> list[Text]:
        """``head`` then ``body`` wrapped to the pane, continuation lines under the body."""
        width = max(indent + 10, self._width)
        lines = list(body.wrap(self.app.console, width - indent))
        pad = Text(" " * indent)
        return [(head if number == 0 else pad) + line for number, line in enumerate(lines)]

    def _sentence_lines(self, sentence: Sentence) -> list[Text]:
        head = Text.assemble((f"{sentence.t:7.3f} ", "dim"))
        head.append("● ", style=task_colour(sentence.task) if sentence.task is not None else "dim")
        body = Text(sentence.render(self.model.task_name, resources=self.model),
                    style=_KIND_STYLE.get(sentence.kind, ""))
        return self._wrap(body, head, _INDENT)

    def _refresh_wrapped(self, at_once: int | None = None) -> None:
        width = self.scrollable_content_region.width
        narrator = self.narrator
        total = narrator.dropped + len(narrator.sentences)
        if width != self._width or self._done < narrator.dropped:
            self._width = width
            self._wrapped = []
            self._older = None
            self._done = narrator.dropped
            if at_once is not None and len(narrator.sentences) > at_once:
                self._older = narrator.sentences[:-at_once]
                self._done = total - at_once
            else:
                self._wrapped.extend(self._intro_lines())
        for sentence in narrator.sentences[self._done - narrator.dropped:]:
            self._wrapped.extend(self._sentence_lines(sentence))
        self._done = total
        if len(self._wrapped) > 4 * narrator.limit:
            del self._wrapped[: len(self._wrapped) - 4 * narrator.limit]

    def _intro_lines(self) -> list[Text]:
        lines: list[Text] = []
        for line in self.intro:
            lines.extend(self._wrap(Text(line, style="italic"), Text(""), 0))
        return lines

    def _wrap_older(self, older: list[Sentence]) -> None:
        """Wrap what :meth:`set_model` left for after the frame, above the rest."""
        if older is not self._older:
            return  # another state or width since: wrapped anew already
        self._older = None
        lines = self._intro_lines()
        for sentence in older:
            lines.extend(self._sentence_lines(sentence))
        self._wrapped[:0] = lines
        if not self.follow:
            self.scroll_to(y=self.scroll_y + len(lines), animate=False, immediate=True)
        super().lines_changed()

    def lines_changed(self) -> None:
        self._refresh_wrapped()
        super().lines_changed()

    def names_changed(self) -> None:
        """A task was renamed: sentences name tasks as they are called now, so wrap them anew."""
        self._width = 0
        self.lines_changed()

    def line_count(self) -> int:
        return len(self._wrapped)

    def line_text(self, index: int) -> Text:
        return self._wrapped[index].copy()

    def plain_lines(self) -> list[str]:
        return [line.plain for line in self._wrapped]

    def plain_sentences(self) -> list[str]:
        return [sentence.render(self.model.task_name, resources=self.model) for sentence in self.narrator.sentences]
