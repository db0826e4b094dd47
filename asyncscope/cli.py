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
from asyncscope.runtime import hot_path_name

__all__ = ["main"]

_PASSTHROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False}


class _ProgramCommand(click.Command):
    """A command whose trailing arguments belong to the program, as with ``python``.

    Everything after the program (a file or name, or ``-m MODULE``) reaches the program's
    ``sys.argv`` untouched, ``--help`` included; ``--`` ends our options and is not passed
    on. With ``options_after_name`` (the TUI's short form ``asyncscope NAME --paused``)
    our own options may still follow the name, up to a ``--``.
    """

    options_after_name = False

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._split(args))

    def _split(self, args: list[str]) -> list[str]:
        takes_value: set[str] = set()
        flags: set[str] = set()
        for param in self.params:
            if isinstance(param, click.Option):
                names = [*param.opts, *param.secondary_opts]
                (flags if param.is_flag else takes_value).update(names)
        flags.update(ctx_help for ctx_help in ("-h", "--help"))
        ours: list[str] = []
        program: list[str] = []
        named = False
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                program.extend(args[i + 1:])
                break
            if named and not self.options_after_name:
                program.extend(args[i:])
                break
            name = arg.split("=", 1)[0]
            if arg in ("-m",) or (arg.startswith("-m") and len(arg) > 2 and not arg.startswith("--")):
                module = args[i + 1] if arg == "-m" and i + 1 < len(args) else arg[2:]
                ours += ["-m", module]
                i += 2 if arg == "-m" else 1
                named = True
                continue
            if name in takes_value:
                ours.append(arg)
                if "=" not in arg and i + 1 < len(args):
                    ours.append(args[i + 1])
                    i += 1
            elif name in flags:
                ours.append(arg)
            elif not named and not arg.startswith("-"):
                program.append(arg)
                named = True
            else:
                program.append(arg)  # an option of the program's (or one we do not know)
            i += 1
        return [*ours, "--", *program]


class _TuiCommand(_ProgramCommand):
    options_after_name = True


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
@click.version_option(f"{__version__} (hot path: {hot_path_name()})", prog_name="asyncscope")
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


@main.command("run", cls=_ProgramCommand, context_settings=_PASSTHROUGH)
@click.option("--headless", is_flag=True, help="No UI: run to the end and print a report.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object (see docs/report.md).")
@click.option("--trace", type=click.Path(dir_okay=False), help="Write every event to this file.")
@click.option("--clock", type=click.Choice(["virtual", "real"]), default="virtual", show_default=True,
              help="virtual: time jumps to the next timer; real: the ordinary clock.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Stop the program after this many seconds of wall time.")
@click.option("--slow", type=click.FloatRange(min=0, min_open=True), default=0.1, show_default=True,
              help="Report a blocking step when one task step holds the loop this many seconds.")
@click.option("--python", "python", metavar="PATH", default=None,
              help="Run the program with this interpreter (default: the active virtualenv's "
                   "python when it can run asyncscope, else asyncscope's own).")
@click.option("--paused", is_flag=True, help="(TUI) start paused before the first step.")
@click.option("--speed", type=float, default=None, help="(TUI) playback speed of the virtual clock.")
@click.option("-m", "module", metavar="MODULE", help="Run a module, like python -m.")
@_lang_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[SCENARIO] [ARGS]...")
def run_command(headless: bool, as_json: bool, trace: str | None, clock: str, timeout: float | None,
                slow: float, python: str | None, paused: bool, speed: float | None, module: str | None,
                lang: str | None, args: tuple[str, ...]) -> None:
    """Run SCENARIO (a .py file or a built-in name) or -m MODULE; ARGS reach its sys.argv.

    As with python, everything after SCENARIO or -m MODULE belongs to the program
    (--help included); `--` ends asyncscope's options and is not passed on. Headless
    runs pass stdin through, and pass SIGINT (Ctrl+C), SIGTERM and SIGHUP on to the
    program; a second Ctrl+C stops it at once."""
    from asyncscope.headless import error_result, run_headless
    from asyncscope.interpreter import InterpreterError
    from asyncscope.targets import TargetError, resolve

    lang = lang or wording.default_language()
    wording.set_language(lang)
    scenario, rest = (args[0], args[1:]) if args and module is None else (None, args)
    try:
        target = resolve(scenario, module, rest)
    except TargetError as exc:
        sys.exit(error_result(str(exc), scenario or "", clock, as_json))
    if headless or as_json:
        try:
            code = run_headless(target, clock=clock, timeout=timeout, trace=trace, as_json=as_json,
                                slow=slow, python=python)
        except InterpreterError as exc:
            sys.exit(error_result(str(exc), scenario or "", clock, as_json))
        # The report is out; skip tearing down a model of possibly millions of objects
        # one by one (measured ~0.1 s on bench/churn.py). Everything is flushed first.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _launch_tui(target, clock=clock, paused=paused, speed=speed, lang=lang, trace=trace)


@main.command("report")
@click.argument("trace", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object (see docs/report.md).")
@click.option("--at", "at", type=float, default=None, metavar="T",
              help="The run as it stood at loop time T (events stamped at T included).")
@_lang_option
def report_command(trace: str, as_json: bool, at: float | None, lang: str | None) -> None:
    """Print the headless report of a recorded run (a --trace file), at its end or at --at T.

    The same text and JSON as `asyncscope run --headless`; nothing of the program runs.
    Before the end, the status is `running` and the JSON exit_code null."""
    from asyncscope.headless import report_trace

    wording.set_language(lang or wording.default_language())
    code = report_trace(trace, as_json=as_json, at=at)
    sys.stdout.flush()
    sys.exit(code)


@main.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--headless", is_flag=True, help="Print both verdicts and the difference instead of opening the TUI.")
@click.option("--json", "as_json", is_flag=True, help='Print {"a": report, "b": report, "difference": {...}}.')
@click.option("--clock", type=click.Choice(["virtual", "real"]), default="virtual")
@_lang_option
def compare_command(a: str, b: str, headless: bool, as_json: bool, clock: str, lang: str | None) -> None:
    """Run two programs (scenario names or files) or read two traces, and compare them.

    The TUI shows both on one time axis, with one cursor (the time-travel keys; space plays
    both). --headless prints both verdicts and the difference. The exit status is 0 when
    both could be run or read, whatever their verdicts."""
    import shutil

    from asyncscope.compare import CompareError, load_both

    lang = lang or wording.default_language()
    wording.set_language(lang)
    try:
        side_a, side_b, workdir = load_both(a, b, clock)
    except CompareError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        if headless or as_json:
            from asyncscope.headless import print_comparison

            print_comparison(side_a, side_b, clock, as_json)
            sys.exit(0)
        from asyncscope.tui.app import make_compare_app

        app = make_compare_app(side_a, side_b, lang=lang)
        app.run()
        sys.exit(app.return_code or 0)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@main.command("replay")
@click.argument("trace", type=click.Path(dir_okay=False))
@_lang_option
def replay_command(trace: str, lang: str | None) -> None:
    """Open the run screen on a recorded run (a --trace file); nothing of the program runs.

    Every pane works as in a live run; left/right move one task step back and forth,
    home/end go to the start and the end, g to a loop time."""
    from asyncscope.session import Target
    from asyncscope.source import TraceSource
    from asyncscope.trace import TraceError

    lang = lang or wording.default_language()
    wording.set_language(lang)
    try:  # check it before the screen opens: a bad file is a one-line error, not a screen
        source = TraceSource(trace)
        source.start()
    except TraceError as exc:
        raise click.ClickException(str(exc)) from None
    hello = next((e for b in source.batches() for e in b if type(e).__name__ == "Hello"), None)
    label = os.path.basename(hello.target) if hello is not None else os.path.basename(trace)  # type: ignore[attr-defined]
    from asyncscope.tui.app import make_app

    target = Target("path", hello.target if hello is not None else trace, (), label)  # type: ignore[attr-defined]
    app = make_app(target, lang=lang, replay=trace)
    app.run()
    sys.exit(app.return_code or 0)


@main.command("open", cls=_TuiCommand, context_settings={"ignore_unknown_options": True}, hidden=True)
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


@main.command("serve", cls=_TuiCommand)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on: loopback only, unless --public is given too.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--public", is_flag=True,
              help="Allow a --host that other machines can reach. Anyone who opens the page can run code here.")
@click.option("--paused", is_flag=True, help="Start each run paused before the first step.")
@click.option("--speed", type=float, default=None, help="Playback speed of the virtual clock (default 1).")
@click.option("--clock", type=click.Choice(["virtual", "real"]), default="virtual", show_default=True)
@click.option("-m", "module", metavar="MODULE", help="Open a module, like python -m.")
@click.option("--replay", "replay", metavar="TRACE", type=click.Path(dir_okay=False), default=None,
              help="Serve the replay of a recorded run (a --trace file) instead of running anything.")
@_lang_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[NAME|FILE] [ARGS]...")
def serve_command(host: str, port: int, public: bool, paused: bool, speed: float | None, clock: str,
                  module: str | None, replay: str | None, lang: str | None, args: tuple[str, ...]) -> None:
    """Serve the app to a browser: the picker, or NAME, FILE or -m MODULE, as in the terminal.

    Each browser tab runs its own app and its own program; closing the tab ends both.
    Anyone who opens the page can run code on this machine, so the server listens on
    loopback only: another --host is refused unless --public is given too.
    """
    from asyncscope.serve import ServeError, check_host, serve
    from asyncscope.targets import TargetError, resolve

    lang = lang or wording.default_language()
    if args or module:
        scenario, rest = (args[0], args[1:]) if args and module is None else (None, args)
        try:
            resolve(scenario, module, rest)  # refuse a bad program now, not in every tab
        except TargetError as exc:
            raise click.ClickException(str(exc)) from None
    app_args = ["--clock", clock, "--lang", lang, *(["--paused"] if paused else []),
                *(["--speed", repr(speed)] if speed is not None else []), *(["-m", module] if module else []),
                "--", *args]
    if replay is not None:
        from asyncscope.source import TraceSource
        from asyncscope.trace import TraceError

        try:  # a bad trace is refused now, not in every tab
            TraceSource(replay).start()
        except TraceError as exc:
            raise click.ClickException(str(exc)) from None
        app_args = ["replay", os.path.abspath(replay), "--lang", lang]
    try:
        warning = check_host(host, public, port)
        if warning:
            click.secho(warning, err=True, fg="red", bold=True)
        serve(app_args, host=host, port=port, public=public, ready=lambda url: click.echo(
            f"asyncscope: serving on {url}  (open it in a browser; each tab runs its own app; Ctrl+C stops)"))
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("export")
@click.argument("trace", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "output", required=True, metavar="OUT",
              help="The file to write (replaced when the export is complete).")
@click.option("--format", "fmt", type=click.Choice(["perfetto", "chrome"]), default="perfetto", show_default=True,
              help="perfetto: Perfetto's protobuf trace; chrome: Trace Event JSON (chrome://tracing, speedscope).")
@_lang_option
def export_command(trace: str, output: str, fmt: str, lang: str | None) -> None:
    """Write a recorded run (a --trace file) for a timeline viewer such as ui.perfetto.dev.

    One track per task (nested under its creator's in Perfetto), a slice per step, instants
    for output lines, diagnostics and waits, arrows from creator to created task and from an
    awaited task to its awaiter; times are the run's loop clock (docs/export.md). Exit
    status: 0, 1 for a trace cut short (exported up to its last whole batch), 2 for a trace
    that cannot be read or an output that cannot be written."""
    from asyncscope.export import ExportError, export_trace
    from asyncscope.trace import TraceError

    wording.set_language(lang or wording.default_language())
    try:
        summary = export_trace(trace, output, fmt)
    except (TraceError, ExportError) as exc:
        click.echo(f"asyncscope: error: {exc}", err=True)
        sys.exit(2)
    if summary.truncated:
        click.echo(f"asyncscope: {trace} is truncated: the export stops at its last whole batch", err=True)
    click.echo(f"asyncscope: wrote {output} ({fmt}): {summary.tasks:,} tasks, {summary.slices:,} steps, "
               f"{summary.output_lines:,} output lines, {summary.diagnostics:,} diagnostics, "
               f"{summary.flows:,} arrows")
    sys.exit(1 if summary.truncated else 0)
