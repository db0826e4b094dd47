"""Every key of the TUI in one table, so there is a single place to audit them.

The run screen's ``BINDINGS``, the footer, the ``?`` help screen and the command palette
are all generated from :data:`RUN_KEYS` and :data:`PICKER_KEYS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

__all__ = ["FOOTER_IMPORTANCE", "Key", "RUN_KEYS", "PICKER_KEYS", "bindings"]


@dataclass(frozen=True)
class Key:
    id: str
    """Binding id (lets a keymap rebind it)."""
    keys: str
    """Textual key names, comma separated (empty: offered in the command palette only)."""
    action: str
    label: str
    """Short footer label."""
    help: str
    """One sentence for the help screen and the command palette."""
    display: str = ""
    """How the help screen writes the key (defaults to ``keys``)."""
    show: bool = True
    """Shown in the footer."""
    palette: bool = True
    """Offered in the command palette."""
    priority: bool = False
    """Checked before the focused pane's own keys (its action raises SkipAction to let
    them through when it does not apply)."""

    @property
    def key_text(self) -> str:
        return self.display or self.keys


RUN_KEYS: tuple[Key, ...] = (
    Key("pause", "space", "pause", "Pause", "Pause the program before its next task step.", "space"),
    Key("resume", "space", "resume", "Run", "Let the paused program run on.", "space"),
    Key("play", "space", "play", "Play",
        "Replay: play the recording forward from the moment shown, at the chosen speed (again: stop).",
        "space"),
    Key("step", "s", "step", "Step", "Run exactly one task step, then pause again (while paused)."),
    Key("step-iteration", "S", "step_iteration", "Loop",
        "Run one whole event-loop iteration: every step that is ready (while paused).", "S"),
    # Time travel's keys come before the panes' own while it applies (home/end: the task
    # table's first/last row); the output pane keeps left/right for scrolling sideways.
    Key("back", "left", "step_back", "Back",
        "Time travel: show the run one task step earlier (while paused, or in a replay).", "←/→",
        priority=True),
    Key("forward", "right", "step_forward", "Forward",
        "Time travel: one task step later; at the latest moment of a live run, run the next step.", "→",
        show=False, priority=True),
    Key("travel-start", "home", "travel_start", "Start",
        "Time travel: show the run at its start (while paused, or in a replay).", "home", show=False,
        priority=True),
    Key("travel-end", "end", "travel_end", "Latest",
        "Time travel: back to the latest moment (the live edge).", "end", show=False, priority=True),
    Key("travel-time", "g", "travel_to_time", "Go to",
        "Time travel: show the run at a loop time you type (e.g. 2.5).", "g", show=False),
    Key("restart", "r", "restart", "Restart", "Stop the program and run it again from the start."),
    Key("faster", "plus,equals_sign", "faster", "Speed",
        "Play the virtual clock faster: 0.1x … 100x, then instant.", "+/-"),
    Key("slower", "minus", "slower", "Slower", "Play the virtual clock slower (down to 0.1x).", "-",
        show=False),
    Key("open", "o", "open_file", "Open", "Open your own .py file and run it."),
    Key("timeline", "t", "toggle_timeline", "Timeline", "Show or hide the timeline pane."),
    Key("resources", "x", "toggle_resources", "Resources",
        "Show the locks, semaphores, events, queues and barriers (who holds each, who waits) "
        "in place of the diagnostics; again to switch back."),
    Key("help", "question_mark", "help", "Help", "Show every key.", "?"),
    Key("quit", "q", "quit", "Quit", "Stop the program and quit.", palette=False),
    Key("internal", "i", "toggle_internal", "Which tasks",
        "Cycle the tasks shown: the program's own → + libraries' (◇) → + asyncio's own (◆) → "
        "the program's own again. The Tasks title says which are shown."),
    Key("tree", "v", "toggle_tree", "Tree", "Show tasks flat, or as a tree by parent task.", show=False),
    Key("filter", "slash", "filter_tasks", "Filter", "Filter tasks by name or coroutine as you type.", "/",
        show=False),
    Key("zoom-in", "right_square_bracket", "zoom_in", "Zoom in", "Zoom the timeline in.", "]", show=False),
    Key("zoom-out", "left_square_bracket", "zoom_out", "Zoom out", "Zoom the timeline out.", "[",
        show=False),
    Key("zoom-fit", "0", "zoom_fit", "Fit", "Fit the whole run into the timeline.", show=False),
    Key("maximize", "z", "maximize_pane", "Zoom pane",
        "Maximize the focused pane (escape restores it).", show=False),
    Key("back", "escape", "back", "Scenarios", "Back to the scenario list (stops the program).",
        show=False),
    Key("export", "", "export_run", "Export this run for Perfetto",
        "Write the run so far as a Perfetto trace (open it at ui.perfetto.dev) in the current "
        "directory.", "ctrl+p", show=False),
    Key("screenshot", "", "save_screenshot", "Save a screenshot (SVG)",
        "Save what the screen shows now as an SVG file in the current directory.", "ctrl+p", show=False),
    Key("interrupt", "", "interrupt", "Send Ctrl+C to the program",
        "Send Ctrl+C (SIGINT) to the program, as a terminal would, so it can shut down its own way "
        "(q, r and escape stop it outright).", "ctrl+p", show=False),
)
"""Keys of the run screen. An entry without ``keys`` is a command of the palette only."""

FOOTER_IMPORTANCE: tuple[str, ...] = (
    "quit", "pause", "resume", "play", "step", "step_back", "help", "restart", "faster", "open_file", "step_iteration",
    "toggle_timeline", "toggle_internal",
)
"""The run screen's footer keys, most important first: when the footer is too narrow for
all of them, the last ones are left out (they still work, and ``?`` lists them)."""

PICKER_KEYS: tuple[Key, ...] = (
    Key("run", "enter", "run", "Run", "Run the selected scenario."),
    Key("open", "ctrl+o", "open_file", "Open file", "Open your own .py file and run it.", "ctrl+o"),
    Key("help", "f1", "help", "Help", "Show every key.", "f1"),
    Key("quit", "ctrl+q", "app.quit", "Quit", "Quit asyncscope.", palette=False),
)
"""Keys of the scenario picker (its filter box takes every printable key)."""


def bindings(keys: tuple[Key, ...]) -> list[Binding]:
    return [
        Binding(key.keys, key.action, key.label, show=key.show, id=key.id, tooltip=key.help,
                key_display=key.display or None, priority=key.priority)
        for key in keys
        if key.keys
    ]
