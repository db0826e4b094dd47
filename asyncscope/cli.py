"""Command-line entry points. Thin: parse, resolve the target, hand over.

``asyncscope``                  the TUI's scenario picker
``asyncscope PATH|NAME``        the TUI on one scenario (also ``-m MODULE``)
``asyncscope run --headless``   run to the end and print a report or a JSON verdict
``asyncscope list``             the built-in scenarios in course order
"""

from __future__ import annotations

import os
import sys

import click

from asyncscope import __version__, wording

__all__ = ["main"]

_PASSTHROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False}


def _lang_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--lang", type=click.Choice(wording.LANGUAGES), default=None,
        help="Language of explanations and diagnostics (default: from the locale).",
    )(function)


class _DefaultToOpen(click.Group):
    """``asyncscope foo.py`` means ``asyncscope open foo.py``: anything that is not a
    subcommand opens the TUI on it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToOpen, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asyncscope")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Watch asyncio programs run: tasks, what they wait on, and what they print.

    With no command, opens the scenario picker. `asyncscope FILE` or `asyncscope NAME`
    (or `asyncscope -m MODULE`) opens one program directly, with the options
    --paused, --speed X, --clock virtual|real, --trace FILE and --lang en|ja after it;
    arguments after `--` reach the program. Headless runs: `asyncscope run --headless`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_command)


@main.command("list")
@_lang_option
def list_command(lang: str | None) -> None:
    """List the built-in scenarios in course order: NAME  TITLE."""
    from asyncscope import catalog

    lang = lang or wording.default_language()
    items = catalog.scenarios()
    width = max((len(s.name) for s in items), default=0)
    for scenario in items:
        click.echo(f"{scenario.name:<{width}}  {scenario.text('title', lang)}")


@main.command("run", context_settings=_PASSTHROUGH)
@click.option("--headless", is_flag=True, help="No UI: run to the end and print a report.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object (see docs/report.md).")
@click.option("--trace", type=click.Path(dir_okay=False), help="Write every event to this file.")
@click.option("--clock", type=click.Choice(["virtual", "real"]), default="virtual", show_default=True,
              help="virtual: time jumps to the next timer; real: the ordinary clock.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop the program after this many seconds of wall time.")
@click.option("--slow", type=click.FloatRange(min=0, min_open=True), default=0.1, show_default=True,
              help="Report a blocking step when one task step holds the loop this many seconds.")
@click.option("--paused", is_flag=True, help="(TUI) start paused before the first step.")
@click.option("--speed", type=float, default=None, help="(TUI) playback speed of the virtual clock.")
@click.option("-m", "module", metavar="MODULE", help="Run a module, like python -m.")
@_lang_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[SCENARIO] [ARGS]...")
def run_command(headless: bool, as_json: bool, trace: str | None, clock: str, timeout: float | None,
                slow: float, paused: bool, speed: float | None, module: str | None, lang: str | None,
                args: tuple[str, ...]) -> None:
    """Run SCENARIO (a .py file or a built-in name) or -m MODULE; ARGS reach its sys.argv."""
    from asyncscope.headless import error_result, run_headless
    from asyncscope.targets import TargetError, resolve

    lang = lang or wording.default_language()
    wording.set_language(lang)
    scenario, rest = (args[0], args[1:]) if args and module is None else (None, args)
    try:
        target = resolve(scenario, module, rest)
    except TargetError as exc:
        sys.exit(error_result(str(exc), scenario or "", clock, as_json))
    if headless or as_json:
        code = run_headless(target, clock=clock, timeout=timeout, trace=trace, as_json=as_json, lang=lang,
                            slow=slow)
        # The report is out; skip tearing down a model of possibly millions of objects
        # one by one (measured ~0.1 s on bench/churn.py). Everything is flushed first.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _launch_tui(target, clock=clock, paused=paused, speed=speed, lang=lang, trace=trace)


@main.command("open", context_settings={"ignore_unknown_options": True}, hidden=True)
@click.option("--paused", is_flag=True, help="Start paused before the first step.")
@click.option("--speed", type=float, default=None, help="Playback speed of the virtual clock (default 1).")
@click.option("--clock", type=click.Choice(["virtual", "real"]), default="virtual")
@click.option("--trace", type=click.Path(dir_okay=False), help="Write every event of the run to this file.")
@click.option("-m", "module", metavar="MODULE", help="Open a module, like python -m.")
@_lang_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def open_command(paused: bool = False, speed: float | None = None, clock: str = "virtual",
                 trace: str | None = None, module: str | None = None, lang: str | None = None,
                 args: tuple[str, ...] = ()) -> None:
    """Open the TUI on a scenario, or on the picker when none is given.

    Options may follow the name (``asyncscope sequential --paused``); anything else, or
    everything after ``--``, reaches the program's ``sys.argv``.
    """
    from asyncscope.targets import TargetError, resolve

    lang = lang or wording.default_language()
    wording.set_language(lang)
    target = None
    if args or module:
        scenario, rest = (args[0], args[1:]) if args and module is None else (None, args)
        try:
            target = resolve(scenario, module, rest)
        except TargetError as exc:
            raise click.ClickException(str(exc)) from None
    _launch_tui(target, clock=clock, paused=paused, speed=speed, lang=lang, trace=trace)


def _launch_tui(target, *, clock: str, paused: bool, speed: float | None, lang: str,  # type: ignore[no-untyped-def]
                trace: str | None = None) -> None:
    from asyncscope.tui.app import make_app

    app = make_app(target, clock=clock, paused=paused, speed=speed, lang=lang, trace=trace)
    app.run()
    sys.exit(app.return_code or 0)
