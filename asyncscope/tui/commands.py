"""Command palette: every action of the current screen by name (``ctrl+p``).

Only actions that make sense right now are offered (the screen's ``check_action`` is
asked), so "Step" appears only while the program is paused.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from asyncscope import wording
from asyncscope.tui.actions import PICKER_KEYS, RUN_KEYS, Key

__all__ = ["ScreenCommands"]


class ScreenCommands(Provider):
    """Commands from the key table of the screen the palette was opened on."""

    def _keys(self) -> list[Key]:
        from asyncscope.tui.screens.main import RunScreen
        from asyncscope.tui.screens.picker import PickerScreen

        screen = self.screen
        if isinstance(screen, RunScreen):
            table = RUN_KEYS
        elif isinstance(screen, PickerScreen):
            table = PICKER_KEYS
        else:
            return []
        keys = []
        for key in table:
            if not key.palette:
                continue
            action = key.action.removeprefix("app.")
            if screen.check_action(action, ()) is not True:
                continue
            keys.append(key)
        return keys

    async def _run(self, key: Key) -> None:
        await self.screen.run_action(key.action)

    def _kept_runs(self) -> list[tuple[str, Any, str]]:
        """(label, callback, help) for each earlier run the run screen kept (restarts)."""
        from asyncscope.tui.screens.main import RunScreen

        screen = self.screen
        if not isinstance(screen, RunScreen):
            return []
        return [(wording.text("replay-earlier", number=number), partial(screen.replay_previous, path),
                 wording.text("replay-earlier-help", number=number, path=path))
                for number, path in enumerate(screen.previous_traces, start=1)]

    async def discover(self) -> Hits:
        for key in self._keys():
            yield DiscoveryHit(key.label, partial(self._run, key), help=key.help)
        for label, callback, help_text in self._kept_runs():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key in self._keys():
            for text in (key.label, key.help):
                score = matcher.match(text)
                if score > 0:
                    yield Hit(score, matcher.highlight(key.label), partial(self._run, key), text=key.label,
                              help=key.help)
                    break
        for label, callback, help_text in self._kept_runs():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, text=label, help=help_text)
