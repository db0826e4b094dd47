"""The scenario picker: built-in scenarios in course order, filtered as you type, with
a preview of the selected one's explanation and source. Also the way to open a file."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from asyncscope import catalog, wording
from asyncscope.narration import say
from asyncscope.tui.actions import PICKER_KEYS, bindings, localise

__all__ = ["PickerScreen", "matches"]

OPEN_ID = "__open__"


def matches(scenario: catalog.Scenario, query: str) -> bool:
    """Every word of ``query`` appears in the name, a title or a summary (any language)."""
    haystack = " ".join([scenario.name, scenario.level, *scenario.title.values(), *scenario.summary.values()])
    haystack = haystack.lower()
    return all(word in haystack for word in query.lower().split())


class PickerScreen(Screen[None]):
    """Choose what to run."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings(PICKER_KEYS),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        # Printable keys go to the filter box while it has focus; in the list they act.
        Binding("o", "open_file", "Open file", show=False),
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        localise(self, PICKER_KEYS)
        self.lang = lang
        self.shown: list[catalog.Scenario] = []

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("asyncscope", "bold"), wording.text("picker-title")), id="picker-title")
        yield Input(placeholder=wording.text("picker-filter"), id="picker-filter")
        with Horizontal(id="picker-body"):
            yield OptionList(id="scenario-list")
            with VerticalScroll(id="preview"):
                yield Static(id="preview-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#scenario-list").border_title = wording.text("picker-scenarios")
        self.query_one("#preview").border_title = wording.text("picker-preview")
        self._fill("")
        self.query_one("#picker-filter").focus()

    def _prompt(self, scenario: catalog.Scenario) -> Text:
        text = Text()
        text.append(scenario.text("title", self.lang), style="bold")
        text.append(f"  {scenario.name}", style="dim")
        summary = scenario.text("summary", self.lang)
        if summary:
            text.append("\n")
            text.append(summary, style="italic")
        return text

    def _fill(self, query: str) -> None:
        options = self.query_one("#scenario-list", OptionList)
        needle = query.strip().lower()
        found = [s for s in catalog.scenarios() if matches(s, query)]
        # A scenario whose name matches comes first; otherwise course order.
        self.shown = sorted(found, key=lambda s: (s.name != needle, not s.name.startswith(needle) if needle else 0))
        options.clear_options()
        options.add_options([Option(self._prompt(s), id=s.name) for s in self.shown])
        options.add_option(Option(Text(wording.text("picker-open"), style="bold cyan"), id=OPEN_ID))
        options.highlighted = 0
        self._preview()

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self) -> None:
        self.action_run()

    @on(OptionList.OptionHighlighted, "#scenario-list")
    def _highlighted(self) -> None:
        self._preview()

    @on(OptionList.OptionSelected, "#scenario-list")
    def _selected(self) -> None:
        self.action_run()

    def selected(self) -> catalog.Scenario | None:
        options = self.query_one("#scenario-list", OptionList)
        index = options.highlighted
        if index is None or index >= len(self.shown):
            return None
        return self.shown[index]

    def _preview(self) -> None:
        body = self.query_one("#preview-body", Static)
        scenario = self.selected()
        if scenario is None:
            body.update(Text(wording.text("picker-open-preview"), style="italic"))
            return
        body.update(self._preview_body(scenario))
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    def _preview_body(self, scenario: catalog.Scenario) -> RenderableType:
        parts: list[RenderableType] = []
        title = Text.assemble((scenario.text("title", self.lang), "bold"))
        if scenario.level:
            title.append(f"  ({level_word(scenario.level)})", style="dim")
        parts.append(title)
        watch = scenario.text("watch", self.lang).strip()
        if watch:
            parts.append(Text(""))
            parts.append(Text.assemble((say("watch", self.lang, text=""), "bold cyan"), watch))
        # The explanation keeps its paragraphs (a blank line between two); the lines of
        # one paragraph are joined as the language joins them.
        for paragraph in wording.paragraphs(scenario.text("explain", self.lang)):
            parts.append(Text(""))
            parts.append(Text(paragraph))
        parts.append(Text(""))
        parts.append(Syntax(_strip_header(scenario.source), "python", theme="monokai", line_numbers=False))
        return Group(*parts)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#scenario-list", OptionList)
        count = options.option_count
        if not count:
            return
        index = options.highlighted or 0
        options.highlighted = max(0, min(count - 1, index + delta))

    def action_run(self) -> None:
        options = self.query_one("#scenario-list", OptionList)
        index = options.highlighted
        if index is None:
            return
        option = options.get_option_at_index(index)
        if option.id == OPEN_ID:
            self.action_open_file()
            return
        scenario = self.selected()
        if scenario is not None:
            self.app.run_scenario(scenario)  # type: ignore[attr-defined]

    def action_open_file(self) -> None:
        from asyncscope.tui.screens.open_file import Opened, OpenFileScreen

        def opened(choice: Opened | None) -> None:
            if choice is not None:
                self.app.run_file(choice.path, clock=choice.clock)  # type: ignore[attr-defined]

        self.app.push_screen(OpenFileScreen(clock=self.app.clock), opened)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from asyncscope.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())


def level_word(level: str) -> str:
    """``beginner`` / ``intermediate`` / ``advanced`` in the current language."""
    key = f"level-{level}"
    return wording.text(key) if key in wording.MESSAGES else level


def _strip_header(source: str) -> str:
    """The scenario's code without its ``# /// asyncscope`` header block."""
    lines = source.splitlines()
    if lines and lines[0].startswith("# /// asyncscope"):
        for index, line in enumerate(lines[1:], 1):
            if line.startswith("# ///"):
                return "\n".join(lines[index + 1:]).lstrip("\n")
    return source
