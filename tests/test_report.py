"""The headless report: live output, its width on a terminal and in a pipe, and the JSON
fields a tool needs to rebuild the output and see where pending tasks wait (issue 8 items 7
and 12, issue 10 item 8)."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from cli_support import asyncscope_cmd, run_json
from rich.cells import cell_len
from rich.console import Console

from asyncscope.events import (
    Code,
    End,
    Event,
    Hello,
    Output,
    Step,
    TaskCreated,
    TaskDone,
    TaskRenamed,
    Wait,
)
from asyncscope.model import Model
from asyncscope.plain_table import print_plain_table
from asyncscope.report import UNBOUNDED, ReportPrinter, make_console, render
from asyncscope.verdict import to_json


def console(buffer: io.StringIO, width: int = UNBOUNDED) -> Console:
    return Console(file=buffer, no_color=True, highlight=False, soft_wrap=True, width=width)


def run_in_batches(batches: list[list[Event]], width: int = UNBOUNDED) -> tuple[Model, list[str], str]:
    """Feed a printer batch by batch; what had been printed after each batch, and in the end."""
    model = Model()
    buffer = io.StringIO()
    printer = ReportPrinter(model, console(buffer, width), "prog.py")
    seen = []
    for batch in batches:
        model.apply_all(batch)
        printer.feed()
        seen.append(buffer.getvalue())
    printer.finish()
    return model, seen, buffer.getvalue()


def whole_report(model: Model, width: int = UNBOUNDED) -> str:
    buffer = io.StringIO()
    render(model, console(buffer, width), "prog.py")
    return buffer.getvalue()


def hello() -> Hello:
    return Hello(1, 1, "3.11", "virtual", "prog.py", [])


def created(t: float, tid: int, name: str, coro: str = "main", parent: int | None = None) -> TaskCreated:
    return TaskCreated(t, tid, name, coro, parent, f"/src/prog.py:{10 + tid}", False)


def out(seq: int, t: float, tid: int | None, text: str, nl: bool = True, stream: str = "stdout") -> Output:
    return Output(seq, t, tid, stream, text, nl, None)


# -- live text ---------------------------------------------------------------------------


def test_lines_print_as_they_arrive_and_the_text_is_the_whole_report() -> None:
    """Issue 8 item 7: each line shows up after the batch that ended it; fragments of one line
    (print(x, end="")) make one line; the whole text equals the report printed at the end."""
    batches: list[list[Event]] = [
        [hello(), created(0.0, 1, "Task-1"), out(0, 0.0, 1, "first"), out(1, 0.0, 1, "a\t", nl=False)],
        [out(2, 0.5, 1, "b\tc", nl=False)],
        [created(0.5, 2, "Task-2", "worker", 1), out(3, 0.5, 2, "from worker"), out(4, 1.0, 1, "!")],
        [Step(1.0, 2, 10, Wait("sleep", until=5.0), None)],
        [TaskDone(2.0, 1, 10, "done", "None", None, None, None), End(2.0, "finished", 0, None, None)],
    ]
    model, seen, text = run_in_batches(batches)
    assert "first" in seen[0] and seen[0].endswith("t=  0.000 Task-1 a      ")  # open line: as far as it goes
    assert seen[1].endswith("Task-1 a      b       c")  # continued on the same line; tab stops as in the whole row
    assert "t=  0.000 Task-1 a      b       c!\nt=  0.500 Task-2 from worker\n" in seen[2]
    assert "Tasks" not in seen[3]  # the rest of the report waits for the end
    for before, after in zip(seen, seen[1:], strict=False):
        assert after.startswith(before)  # nothing printed is ever taken back
    assert text == whole_report(model)
    assert text.count("from worker") == 1 and "finished  loop time 2.000s  exit code 0" in text


def test_a_line_after_an_open_one_waits_for_it() -> None:
    """Lines keep the program's order: another task's line waits until the open line ends."""
    batches: list[list[Event]] = [
        [hello(), created(0.0, 1, "Task-1"), created(0.0, 2, "Task-2"), out(0, 0.0, 1, "progress.", nl=False)],
        [out(1, 0.1, 2, "other task")],
        [out(2, 0.2, 1, "done")],
        [End(0.2, "finished", 0, None, None)],
    ]
    model, seen, text = run_in_batches(batches)
    assert "other task" not in seen[1]
    assert "Task-1 progress.done\nt=  0.100 Task-2 other task\n" in seen[2]
    assert text == whole_report(model)


def test_an_open_line_ends_with_the_run() -> None:
    batches: list[list[Event]] = [
        [hello(), created(0.0, 1, "Task-1"), out(0, 0.0, 1, "no newline", nl=False)],
        [End(0.0, "finished", 0, None, None)],
    ]
    model, _, text = run_in_batches(batches)
    assert "Task-1 no newline\nTasks" in text
    assert text == whole_report(model)


def test_the_label_column_grows_but_is_never_cut() -> None:
    batches: list[list[Event]] = [
        [hello(), created(0.0, 1, "Task-1"), out(0, 0.0, 1, "short")],
        [created(0.0, 2, "a-much-longer-task-name"), out(1, 0.0, 2, "long"), out(2, 0.0, 1, "again")],
        [End(0.0, "finished", 0, None, None)],
    ]
    _, _, text = run_in_batches(batches)
    assert "t=  0.000 Task-1 short\n" in text
    assert "t=  0.000 a-much-longer-task-name long\n" in text
    assert "t=  0.000 Task-1                  again\n" in text


def _marker_program(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "go"
    program = tmp_path / "heartbeat.py"
    program.write_text(
        "import asyncio, os, sys\n"
        "async def main():\n"
        "    print('first line')\n"
        "    print('part-', end='', flush=True)\n"
        f"    while not os.path.exists({str(marker)!r}):\n"
        "        await asyncio.sleep(0.05)\n"
        "    print('rest')\n"
        "asyncio.run(main())\n"
    )
    return program, marker


def _read_until(stream: int, needle: bytes, within: float) -> bytes:
    got = b""
    deadline = time.monotonic() + within
    while needle not in got and time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready:
            chunk = os.read(stream, 65536)
            if not chunk:
                break
            got += chunk
    return got


def test_headless_text_output_is_live(tmp_path: Path) -> None:
    """Issue 8 item 7: a program that is still running has its output on screen already,
    an open line included; the report follows when it ends."""
    program, marker = _marker_program(tmp_path)
    env = {**os.environ, "NO_COLOR": "1", "ASYNCSCOPE_LANG": "en"}
    env.pop("COLUMNS", None)
    child = subprocess.Popen(asyncscope_cmd("run", "--headless", "--clock", "real", str(program)),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert child.stdout is not None
        early = _read_until(child.stdout.fileno(), b"part-", within=60)
        assert child.poll() is None, "the program ended before the marker existed"
        assert b"first line\n" in early and early.rstrip(b" ").endswith(b"part-")
        marker.write_text("")
        rest = child.stdout.read()
        assert child.wait(timeout=60) == 0
    finally:
        marker.write_text("")
        if child.poll() is None:
            child.kill()
            child.wait()
    text = (early + rest).decode()
    assert "Task-1 part-rest\n" in text and text.index("rest") < text.index("Tasks")
    assert "finished" in text.splitlines()[-1]


def test_json_mode_prints_one_object_only_at_the_end(tmp_path: Path) -> None:
    program, marker = _marker_program(tmp_path)
    marker.write_text("")
    verdict = run_json("--clock", "real", str(program))
    assert [line["text"] for line in verdict["output"]] == ["first line", "part-rest"]


# -- JSON --------------------------------------------------------------------------------


def test_json_output_records_say_whether_they_ended_a_line() -> None:
    """Issue 8 item 12: ``nl`` lets a tool rebuild print(x, end=" ")."""
    model = Model()
    model.apply_all([hello(), created(0.0, 1, "Task-1"), out(0, 0.0, 1, "a ", nl=False),
                     out(1, 0.0, 1, "b ", nl=False), out(2, 0.0, 1, "c"), out(3, 0.0, 1, "tail", nl=False),
                     End(0.0, "finished", 0, None, None)])
    records = json.loads(json.dumps(to_json(model, "virtual")["output"]))
    assert [(r["text"], r["nl"]) for r in records] == [("a b c", True), ("tail", False)]
    assert "".join(r["text"] + ("\n" if r["nl"] else "") for r in records) == "a b c\ntail"


def test_json_pending_task_has_its_wait_and_await_chain() -> None:
    """Issue 8 item 12: a --timeout verdict says what a pending task waits on, and where."""
    import msgspec

    model = Model()
    model.apply_all([
        hello(), created(0.0, 1, "Task-1"), created(0.0, 2, "fetcher", "fetch", 1),
        Code(1, "main", "/src/prog.py", 3, False), Code(2, "fetch", "/src/prog.py", 8, False),
        Code(3, "sleep", "/lib/asyncio/tasks.py", 600, True),
        Step(0.0, 1, 10, Wait("task", tasks=[2]), [1, 5]),
        Step(0.0, 2, 10, Wait("sleep", until=30.0), [2, 9, 3, 640]),
        TaskDone(0.1, 3, 10, "done", "None", None, None, None),
        End(1.0, "timeout", 124, "timed out", None),
    ])
    verdict = json.loads(msgspec.json.encode(to_json(model, "virtual")))
    main, fetcher = verdict["tasks"]
    assert main["state"] == "pending"
    assert main["wait"] == {"kind": "task", "detail": None, "until": None, "tasks": [2], "count": None}
    assert fetcher["wait"]["kind"] == "sleep" and fetcher["wait"]["until"] == 30.0
    assert fetcher["chain"] == [
        {"coro": "fetch", "where": "/src/prog.py:9", "lib": False},
        {"coro": "sleep", "where": "/lib/asyncio/tasks.py:640", "lib": True},
    ]


def test_json_finished_task_has_no_wait_or_chain() -> None:
    model = Model()
    model.apply_all([hello(), created(0.0, 1, "Task-1"), Code(1, "main", "/src/prog.py", 3, False),
                     Step(0.0, 1, 10, Wait("sleep", until=1.0), [1, 5]),
                     TaskDone(1.0, 1, 10, "done", "None", None, None, None), End(1.0, "finished", 0, None, None)])
    (task,) = to_json(model, "virtual")["tasks"]
    assert task.wait is None and task.chain is None


# -- width -------------------------------------------------------------------------------


def _crowded_model() -> Model:
    """Two tasks with long names and a long cancellation cause, as in a CI log."""
    model = Model()
    long_one = "request-handler-for-a-very-long-endpoint-name"
    model.apply_all([
        hello(), created(0.0, 1, "Task-1"),
        created(0.0, 2, long_one, "RequestResponseCycle.run_asgi", 1),
        created(0.0, 3, "background-metrics-flusher", "Flusher.flush_forever", 1),
        TaskDone(1.0, 2, 10, "cancelled", None, None, None,
                 "TaskGroup (a sibling task failed) while shutting down the application server"),
        Step(1.0, 3, 10, Wait("sync", detail="Event.wait"), None),
        TaskDone(2.0, 1, 10, "failed", None, "RuntimeError: the application server failed to start",
                 None, None),
        End(2.0, "failed", 1, "RuntimeError", None),
    ])
    return model


@pytest.mark.parametrize("width", [80, 60, 40])
def test_narrow_report_never_cuts_names(width: int) -> None:
    """Issue 10 item 8: at 80 columns (and narrower) names and states stay whole, no line is
    wider than the page, and a long cause is not printed a letter per line."""
    text = whole_report(_crowded_model(), width)
    lines = text.splitlines()
    lines = lines[lines.index("Tasks"):-1]  # output, diagnostics and verdict are lines the terminal wraps
    assert max(cell_len(line) for line in lines) <= width
    cells = [line.strip("│┃ ") for line in lines]
    folded = "".join(cells)  # a name longer than the page folds onto the next line, whole
    for whole in ("request-handler-for-a-very-long-endpoint-name", "background-metrics-flusher",
                  "cancelled", "waiting", "failed"):
        assert whole in folded, whole
    assert "by TaskGroup (a sibling task failed) while shutting down" in " ".join(cells)
    assert len(lines) < 30


def test_report_shows_every_column_when_it_fits() -> None:
    text = whole_report(_crowded_model(), 250)
    header = next(line for line in text.splitlines() if "task" in line and "state" in line)
    for column in ("coroutine", "steps", "created", "where", "detail"):
        assert column in header
    assert "not shown" not in text


def test_report_says_which_columns_it_left_out() -> None:
    text = whole_report(_crowded_model(), 120)
    assert "(not shown at 120 columns:" in text


def test_piped_report_is_not_cut_to_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 8 item 12: a pipe or a file has no width; the table keeps every column, whole."""
    monkeypatch.delenv("COLUMNS", raising=False)
    buffer = io.StringIO()
    render(_crowded_model(), make_console(buffer), "prog.py")
    text = buffer.getvalue()
    assert "not shown" not in text
    row = next(line for line in text.splitlines() if "request-handler" in line)
    assert "RequestResponseCycle.run_asgi" in row and "TaskGroup (a sibling task failed) while shutting" in row
    assert cell_len(text.splitlines()[0]) == 80  # the title rule keeps its usual width


def test_columns_sets_the_width_of_a_piped_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    buffer = io.StringIO()
    render(_crowded_model(), make_console(buffer), "prog.py")
    assert max(cell_len(line) for line in buffer.getvalue().splitlines()) <= 60


def test_renamed_task_prints_under_its_name_at_the_time() -> None:
    batches: list[list[Event]] = [
        [hello(), created(0.0, 1, "Task-1"), TaskRenamed(0.0, 1, "server"), out(0, 0.0, 1, "up")],
        [End(0.0, "finished", 0, None, None)],
    ]
    _, _, text = run_in_batches(batches)
    assert "t=  0.000 server up\n" in text


def test_a_long_report_prints_exactly_as_rich_would_only_faster(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Long task and resource tables are printed without Rich's table (asyncscope/plain_table.py:
    a run of 30,000 locks and queues took 14 s to report): the same characters, with and
    without colour, with rows that hold wide and styled cells; too wide for the terminal,
    Rich's table still wraps them."""
    from asyncscope import report
    from asyncscope.source import TraceSource

    program = tmp_path / "many.py"
    program.write_text(
        "import asyncio\n\n"
        "async def work(n):\n"
        "    lock, queue = asyncio.Lock(), asyncio.Queue(maxsize=n)\n"
        "    async with lock:\n"
        "        queue.put_nowait('日本' * (n % 3))\n"
        "        await asyncio.sleep(0)\n"
        "    if n % 7 == 0:\n"
        "        raise ValueError(f'no {n}')\n\n"
        "async def main():\n"
        "    await asyncio.gather(*(work(n) for n in range(1, 260)), return_exceptions=True)\n\n"
        "asyncio.run(main())\n"
    )
    trace = tmp_path / "many.trace"
    run_json("--trace", str(trace), str(program))
    source = TraceSource(str(trace))
    source.start()
    model = Model(narrator=None)
    for batch in source.batches():
        model.apply_all(batch)
    long = report.LONG
    assert len(model.tasks) > long and len(model.resources) > long
    plain_tables: list[str] = []
    monkeypatch.setattr(report, "print_plain_table",
                        lambda console, title, *rest, **kw: plain_tables.append(title) or print_plain_table(
                            console, title, *rest, **kw))

    def printed(rows_from: int, **console: Any) -> str:
        monkeypatch.setattr(report, "LONG", rows_from)
        out = io.StringIO()
        render(model, Console(file=out, highlight=False, soft_wrap=True, **console), "many.py")
        return out.getvalue()

    both = ["Tasks", "Resources"]
    for console, printed_plain in (({"no_color": True, "width": UNBOUNDED}, both),
                                   ({"force_terminal": True, "color_system": "truecolor", "width": 400}, both),
                                   # the resources too wide for 90 columns: Rich's table folds them
                                   ({"force_terminal": True, "color_system": "truecolor", "width": 90}, ["Tasks"])):
        plain_tables.clear()
        fast = printed(long, **console)
        assert plain_tables == printed_plain, console
        assert fast == printed(10**9, **console), console
    plain = printed(long, no_color=True, width=UNBOUNDED)
    assert "ValueError: no 7" in plain and "│ queue " in plain and "日本日本" not in plain
