"""The resources pane: every lock, semaphore, event, condition, queue and barrier the
program uses, with its state, who holds it and who waits on it. The resource under the
cursor marks its holders and waiters in the task table; choosing one (enter) selects its
holder (or first waiter) there.

It shares the side column with the diagnostics (``x`` shows one or the other), so it fits
the run screen at 120x40; ``z`` maximises it like any pane. Asyncio's own resources (a
queue's inner event, a condition's lock) are left out unless a task of the program's waits
on them, as the JSON report marks them ``internal``.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from asyncscope import wording
from asyncscope.display import brief_where, safe_text, task_colour
from asyncscope.model import Model, ResourceInfo
from asyncscope.report import resource_state_text
from asyncscope.verdict import resources_json

__all__ = ["ResourcesList"]

SHOW_AT_MOST = 500
"""Rows drawn at most (a program may make 100,000 locks; the JSON report lists them all)."""


class ResourcesList(OptionList):
    """One option per resource of the program's, in the order they were made."""

    DEFAULT_CSS = """
    ResourcesList { height: 1fr; }
    """

    class Chosen(Message):
        """A resource was chosen: ``tasks`` are its holders, then its waiters."""

        def __init__(self, resources: ResourcesList, tasks: list[int]) -> None:
            super().__init__()
            self.resources = resources
            self.tasks = tasks

        @property
        def control(self) -> ResourcesList:
            return self.resources

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(name=name, id=id, classes=classes)
        self.model = Model()
        self._tasks: dict[str, list[int]] = {}
        self._roles: dict[str, tuple[list[int], list[int]]] = {}
        """Option id → (holders, waiters) of its resource."""
        self._key: tuple | None = None

    def set_model(self, model: Model) -> None:
        self.model = model
        self._key = None
        if self.display:  # hidden, it is brought up to date when shown (action_toggle_resources)
            self.resources_changed()

    def resources_changed(self) -> None:
        """Rebuild the rows when what they show changed (cheap to call every batch)."""
        model = self.model
        rows = [row for row in resources_json(model) if not row.internal][:SHOW_AT_MOST]
        key = tuple((row.id, tuple(row.holders), tuple(row.waiters), tuple(row.putters or ()),
                     tuple(row.joiners or ()), row.value, row.size, row.set) for row in rows)
        if key == self._key:
            return
        self._key = key
        highlighted = self.highlighted
        self.clear_options()
        self._tasks = {}
        self._roles = {}
        if not rows:
            self.add_option(Option(Text(wording.text("res-none"), style="dim italic"),
                                   id="none", disabled=True))
            return
        options = []
        for row in rows:
            info = model.resources[row.id]
            waiting = list(row.waiters) + list(row.putters or ()) + list(row.joiners or ())
            self._tasks[f"r{row.id}"] = list(row.holders) + waiting
            self._roles[f"r{row.id}"] = (list(row.holders), waiting)
            options.append(Option(self._prompt(info, row.holders, row.waiters, row.putters or [],
                                               row.joiners or []), id=f"r{row.id}"))
        self.add_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted
        self._tell_highlighted()  # holders and waiters may have changed under the cursor

    def _names(self, tids: list[int]) -> Text:
        text = Text()
        for number, tid in enumerate(tids):
            if number:
                text.append(", ")
            text.append(safe_text(self.model.task_name(tid)), style=task_colour(tid))
        return text

    def _prompt(self, info: ResourceInfo, holders: list[int], waiters: list[int],
                putters: list[int], joiners: list[int]) -> Text:
        text = Text.assemble((safe_text(info.label), "bold"), " ", (info.kind, "cyan"), " ",
                             (resource_state_text(self.model, info), "yellow"))
        if info.where:
            text.append(f"  {brief_where(info.where)}", style="dim")
        if holders:
            text.append("\n  " + wording.text("res-held-by"))
            text.append_text(self._names(holders))
        for key, tids in (("res-waiting", waiters), ("res-putting", putters), ("res-joining", joiners)):
            if tids:
                text.append("\n  " + wording.text(key))
                text.append_text(self._names(tids))
        return text

    class Highlighted(Message):
        """The cursor is on a resource (``holders`` and ``waiters`` of it), or on none."""

        def __init__(self, resources: ResourcesList, holders: list[int], waiters: list[int]) -> None:
            super().__init__()
            self.resources = resources
            self.holders = holders
            self.waiters = waiters

        @property
        def control(self) -> ResourcesList:
            return self.resources

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._tell_highlighted()

    def _tell_highlighted(self) -> None:
        option = self.highlighted_option if self.highlighted is not None else None
        roles = self._roles.get(option.id or "") if option is not None else None
        holders, waiters = roles if roles is not None else ([], [])
        self.post_message(self.Highlighted(self, holders, waiters))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        tasks = self._tasks.get(event.option.id or "")
        if tasks:
            self.post_message(self.Chosen(self, tasks))
