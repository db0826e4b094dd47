"""The Textual app: the scenario picker and the run screen, built by :func:`make_app`.

The CLI and the tests build the app through the same factory. The app keeps every
session it started and stops them all when it exits, so quitting never leaves a child
process behind.
"""

from __future__ import annotations

import atexit
import os
from typing import Any, ClassVar

from textual.app import App
from textual.binding import BindingType

from asyncscope import catalog, wording
from asyncscope.session import Session, Target
from asyncscope.tui.commands import ScreenCommands
from asyncscope.tui.format import normalise_speed
from asyncscope.tui.screens.main import RunScreen
from asyncscope.tui.screens.picker import PickerScreen

__all__ = ["AsyncScopeApp", "CompareApp", "make_app", "make_compare_app"]

_LIVE: list[Session] = []
"""Sessions started in this process and not yet finished (Session is unhashable)."""


@atexit.register
def _stop_all() -> None:
    """Last line of defence: no child outlives the parent's interpreter."""
    for session in list(_LIVE):
        session.stop()


class AsyncScopeApp(App[int]):
    """Pick a scenario, watch it run, pause and step it."""

    CSS_PATH = "app.tcss"
    TITLE = "asyncscope"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, target: Target | None, *, clock: str = "virtual", paused: bool = False,
                 speed: float | None = 1.0, lang: str = "en", trace: str | None = None,
                 replay: str | None = None) -> None:
        super().__init__()
        self.target = target
        self.trace = trace
        self.replay = replay
        self.clock = clock
        self.start_paused = paused
        self.speed = speed
        self.lang = lang
        self.sessions: list[Session] = []

    def on_mount(self) -> None:
        if self.target is not None:
            self.push_screen(self._run_screen(self.target))
        else:
            self.push_screen(PickerScreen(self.lang))

    def _run_screen(self, target: Target, clock: str | None = None) -> RunScreen:
        return RunScreen(target, clock=clock or self.clock, paused=self.start_paused, speed=self.speed,
                         lang=self.lang, trace=self.trace, replay=self.replay if target is self.target else None)

    def register_session(self, session: Session) -> None:
        self.sessions[:] = [s for s in self.sessions if not s.finished]
        _LIVE[:] = [s for s in _LIVE if not s.finished]
        self.sessions.append(session)
        _LIVE.append(session)

    def stop_sessions(self) -> None:
        for session in list(self.sessions):
            session.stop()

    def run_scenario(self, scenario: catalog.Scenario) -> None:
        self.push_screen(self._run_screen(Target("path", str(scenario.path), (), scenario.name)))

    def run_file(self, path: str, clock: str | None = None) -> None:
        """Run the user's file, on ``clock`` (the app's clock when not given)."""
        target = Target("path", os.path.abspath(path), (), os.path.basename(path))
        self.push_screen(self._run_screen(target, clock))

    def show_picker(self) -> None:
        """Leave the run screen for the scenario list (the run screen's unmount stops its child)."""
        if len(self.screen_stack) > 2 and isinstance(self.screen_stack[-2], PickerScreen):
            self.pop_screen()
        else:
            self.switch_screen(PickerScreen(self.lang))

    async def action_quit(self) -> None:
        self.stop_sessions()
        self.exit(0)

    def on_unmount(self) -> None:
        self.stop_sessions()


def make_app(target: Target | None, *, clock: str = "virtual", paused: bool = False,
             speed: float | None = None, lang: str = "en", trace: str | None = None,
             replay: str | None = None) -> AsyncScopeApp:
    """Build the app. ``target`` None opens the scenario picker.

    Args:
        target: What to run, or None for the picker.
        clock: ``virtual`` (deterministic; time jumps to the next timer) or ``real``.
        paused: Start paused before the first step.
        speed: Playback rate of the virtual clock. None (not given) plays at 1x, so
            ``sleep(1)`` takes a second; ``format.INSTANT`` (or any rate <= 0) is instant.
        lang: ``en`` or ``ja`` for explanations, diagnostics and narration.
        trace: Write every event of each run to this file: the screen keeps a bounded
            history, the trace keeps everything. A restart keeps the run before it as
            ``FILE.1``, ``FILE.2`` ... (without ``trace``, in a temporary directory), and
            the command palette offers to replay them.
        replay: A trace file to show instead of running ``target`` (``asyncscope replay``).
    """
    wording.set_language(lang)
    return AsyncScopeApp(target, clock=clock, paused=paused, speed=normalise_speed(speed), lang=lang, trace=trace,
                         replay=replay)


class CompareApp(App[int]):
    """``asyncscope compare A B``: the two runs on one screen (nothing runs any more)."""

    CSS_PATH = "app.tcss"
    TITLE = "asyncscope compare"

    def __init__(self, a: Any, b: Any) -> None:
        super().__init__()
        self.sides = (a, b)

    def on_mount(self) -> None:
        from asyncscope.tui.screens.compare import CompareScreen

        self.push_screen(CompareScreen(*self.sides))


def make_compare_app(a: Any, b: Any, *, lang: str = "en") -> CompareApp:
    """The compare screen on two loaded runs (:class:`asyncscope.compare.Side`)."""
    wording.set_language(lang)
    return CompareApp(a, b)
