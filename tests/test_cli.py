"""The command line as a user meets it: list, version, arguments, errors, the report."""

from __future__ import annotations

import json
import re

from cli_support import PROGRAMS, kinds, run_cli, run_json, texts


def test_list_shows_builtins_in_course_order():
    result = run_cli("list")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names.index("coroutine_object") < names.index("sequential") < names.index("gather")
    assert any(line.startswith("sequential") and "3 s" in line for line in result.stdout.splitlines())


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("asyncscope, version ")


def test_args_reach_the_program_as_main():
    verdict = run_json(str(PROGRAMS / "argv_echo.py"), "one", "--two")
    assert texts(verdict) == ["__main__ ['one', '--two']"]


def test_module_runs_as_main(tmp_path):
    verdict = run_json("-m", "pkgmod", "x", cwd=PROGRAMS)
    assert verdict["status"] == "finished"
    assert texts(verdict) == ["module main __main__ ['x']"]


def test_missing_module_is_an_error():
    verdict = run_json("-m", "no_such_module_here")
    assert verdict["status"] == "error"
    assert verdict["exit_code"] == 2
    assert "no_such_module_here" in verdict["diagnostics"][0]["message"]


def test_missing_file_is_a_clear_error():
    result = run_cli("run", "--headless", "nope/missing.py")
    assert result.returncode == 2
    assert "nope/missing.py: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_name_lists_the_builtins():
    result = run_cli("run", "--headless", "no_such_scenario")
    assert result.returncode == 2
    assert "Built-in scenarios:" in result.stderr and "sequential" in result.stderr


def test_syntax_error_names_file_and_line_in_json():
    verdict = run_json(str(PROGRAMS / "syntax_error.py"))
    assert verdict["status"] == "error"
    assert verdict["exit_code"] == 2
    assert kinds(verdict) == ["error"]
    message = verdict["diagnostics"][0]["message"]
    assert "syntax_error.py:3" in message and "SyntaxError" in message


def test_not_utf8_is_a_clear_error():
    result = run_cli("run", "--headless", str(PROGRAMS / "not_utf8.py"))
    assert result.returncode == 2
    assert "not valid text" in result.stderr
    assert "Traceback" not in result.stderr


def test_json_is_exactly_one_object_on_stdout():
    result = run_cli("run", "--headless", "--json", "gather")
    verdict = json.loads(result.stdout)  # would raise on anything extra
    assert set(verdict) >= {"status", "exit_code", "clock", "elapsed", "tasks", "output", "diagnostics"}
    task = verdict["tasks"][0]
    assert set(task) >= {"id", "name", "coro", "parent", "state", "created_at", "where", "steps", "internal",
                         "wait", "chain"}
    assert set(verdict["output"][0]) == {"t", "task", "stream", "text", "nl"}


def test_report_shows_output_tasks_and_verdict_as_plain_text():
    result = run_cli("run", "--headless", "create_task")
    assert result.returncode == 0
    out = result.stdout
    assert "\x1b[" not in out  # not a terminal (and NO_COLOR): no escape codes
    # Program time is real time plus the idle time skipped: a loaded machine adds a
    # millisecond or so of real work to the seed's round numbers.
    assert re.search(r"t=  1\.00\d Task-3 hello", out), out
    assert "Tasks" in out and "goodbye" in out
    assert "finished" in out and re.search(r"loop time 2\.00\ds", out), out


def test_markup_and_escapes_in_output_are_shown_literally():
    result = run_cli("run", "--headless", str(PROGRAMS / "markup.py"))
    assert "[bold red]not bold[/bold red]" in result.stdout
    assert "\\x1b[31mnot red\\x1b[0m" in result.stdout
    assert "\\x1b]0;title\\x07" in result.stdout
    assert "\x1b" not in result.stdout


def test_failed_program_exit_code_and_report():
    result = run_cli("run", "--headless", str(PROGRAMS / "fails.py"))
    assert result.returncode == 1
    assert "failed" in result.stdout and "ValueError: kaboom" in result.stdout


def test_tui_options_may_follow_the_name(monkeypatch):
    """`asyncscope NAME --paused` pauses; after `--`, options belong to the program."""
    from click.testing import CliRunner

    import asyncscope.cli as cli

    calls = []
    monkeypatch.setattr(cli, "_launch_tui", lambda target, **options: calls.append((target, options)))
    runner = CliRunner()
    assert runner.invoke(cli.main, ["sequential", "--paused", "--speed", "2"]).exit_code == 0
    target, options = calls[-1]
    assert target.label == "sequential" and target.args == ()
    assert options["paused"] is True and options["speed"] == 2.0
    assert runner.invoke(cli.main, ["sequential", "--", "--paused"]).exit_code == 0
    target, options = calls[-1]
    assert target.args == ("--paused",) and options["paused"] is False
