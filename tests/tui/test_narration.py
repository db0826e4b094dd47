"""Narration: plain-word sentences derived from a real run's events (issue 3)."""

from __future__ import annotations

import sys

import pytest
from conftest import SteadyClockSession as Session  # times rounded: see conftest

from asyncscope.model import Model
from asyncscope.narration import NARRATION, Narrator, say
from asyncscope.targets import resolve
from asyncscope.tui.feed import drain


def test_every_key_has_both_languages() -> None:
    for key, table in NARRATION.items():
        assert set(table) >= {"en", "ja"}, key
        assert table["en"].strip() and table["ja"].strip(), key


def test_japanese_sentences_format_with_the_same_fields() -> None:
    fields = dict(second="'y'", task="Task-2", parent="Task-1", coro="hello", tasks="Task-2", count=3,
                  detail="Event.wait",
                  until=1.0, text="'x'", more=2, outer="main", inner="hello", result="42", error="ValueError",
                  by="Task-1", t=2.0, kind="deadlock", message="m", status="finished",
                  callback="StreamReaderProtocol.connection_made")
    for key in NARRATION:
        assert say(key, "ja", **fields)
        assert say(key, "en", **fields)


def _narrate(name: str, lang: str = "en") -> list[str]:
    session = Session(resolve(name, None, ()), speed=None)
    session.start()
    model = Model()
    ended = False
    while not ended:
        events, ended = drain(session, first_wait=1.0)
        model.apply_batch(events)
    assert model.narrator is not None
    return [sentence.render(model.task_name, lang) for sentence in model.narrator.sentences]


def test_sequential_says_same_task_no_new_task() -> None:
    said = _narrate("sequential")
    assert "Task-1 for main(): asyncio.run() wraps the coroutine in a task and runs it on a new event loop" in said
    assert "main awaits goodbye() — same task, no new task" in said
    assert "main awaits hello() — same task, no new task" in said
    # In the order it happens: the task starts, enters the coroutine, prints and sleeps in it.
    start = said.index("Task-1 starts")
    assert said[start + 1:start + 3] == ["main awaits goodbye() — same task, no new task",
                                         "Task-1 goes on, prints 'you say,', sleeps until t=2.000"]
    assert "Task-1 goes on, prints 'goodbye' and 'I say,', sleeps until t=3.000" in said
    assert "Task-1 wakes, prints 'hello', finishes" in said
    assert said[-1] == "The program ends: finished at t=3.000"
    assert not any("creates" in sentence for sentence in said)
    assert said.count("Nothing is ready: the clock jumps to t=2.000") == 1


def test_create_task_names_each_new_task() -> None:
    said = _narrate("create_task")
    assert "Task-1 creates Task-2 for goodbye() — a new task, scheduled to run" in said
    assert "Task-1 creates Task-3 for hello() — a new task, scheduled to run" in said
    assert "Task-1 starts, awaits Task-2 (waits for it to finish)" in said
    assert "Task-3 starts, prints 'I say,', sleeps until t=1.000" in said
    assert "Nothing is ready: the clock jumps to t=1.000" in said
    assert "Task-3 wakes, prints 'hello', finishes" in said


def test_abandoned_task_is_cancelled_in_words() -> None:
    said = _narrate("abandoned_task")
    assert any(sentence.startswith("Task-2 wakes, is cancelled") or "Task-2" in sentence and "cancelled" in sentence
               for sentence in said)
    assert any(sentence.startswith("⚠ cancelled-at-shutdown") for sentence in said)


@pytest.mark.parametrize("lang", ["ja"])
def test_narration_in_japanese(lang: str) -> None:
    said = _narrate("sequential", lang)
    assert "main が goodbye() を await します — 同じタスクの中で、新しいタスクは作られません" in said
    assert any("t=2.000 まで眠ります" in sentence for sentence in said)


def test_narrator_keeps_a_bounded_history() -> None:
    narrator = Narrator(limit=3)
    for number in range(10):
        narrator.add(float(number), f"s{number}")
    assert [s.text for s in narrator.sentences] == ["s7", "s8", "s9"]
    assert narrator.dropped == 7


def test_a_renamed_task_is_called_by_its_new_name_everywhere() -> None:
    """Issue 10 item 10: on 3.11 ``create_task(name=...)`` creates ``Task-2`` and renames it
    just after; the narration calls it what the task table calls it, the name before the
    coroutine, also in sentences said before the rename."""
    from asyncscope.events import Hello, Step, TaskCreated, TaskRenamed, Wait

    model = Model()
    model.apply_batch([Hello(1, 1, "3.11", "virtual", "prog.py", []),
                TaskCreated(0.0, 1, "Task-1", "main", None, "prog.py:9", False),
                TaskCreated(0.0, 2, "Task-2", "Server.serve", 1, "prog.py:5", False),
                Step(0.0, 1, 10, Wait("task", tasks=[2]), None)])
    model.apply_batch([TaskRenamed(0.0, 2, "uvicorn")])
    assert model.narrator is not None
    said = [sentence.render(model.task_name) for sentence in model.narrator.sentences]
    assert "Task-1 creates uvicorn for Server.serve() — a new task, scheduled to run" in said
    assert "Task-1 starts, awaits uvicorn (waits for it to finish)" in said
    assert not any("Task-2" in sentence for sentence in said)


async def test_narration_pane_shows_the_name_the_task_table_shows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sys

    from tui_support import SIZE, app_for, wait_end

    from asyncscope.tui.widgets.narration import NarrationView

    program = tmp_path / "named.py"
    program.write_text(
        "import asyncio\n"
        "async def serve():\n"
        "    await asyncio.sleep(0)\n"
        "async def main():\n"
        "    await asyncio.create_task(serve(), name='uvicorn')\n"
        "asyncio.run(main())\n"
    )
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        text = " ".join(screen.query_one(NarrationView).plain_lines())
        assert "creates uvicorn for serve()" in text
        assert "Task-2" not in text or sys.version_info >= (3, 12)


def test_tasks_no_task_made_are_not_said_to_come_from_asyncio_run() -> None:
    """A server's connection handler is created by the loop (a protocol callback), not by
    asyncio.run(): the narration names the callback."""
    said = _narrate("network")
    assert sum("asyncio.run() wraps" in sentence for sentence in said) == 1
    assert any(sentence.startswith("The loop creates") and "connection_made" in sentence for sentence in said)
    assert not any("jumps to t=0.000" in sentence for sentence in said)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="eager tasks exist from Python 3.12 on")
def test_an_eager_task_is_not_said_to_be_scheduled() -> None:
    said = _narrate("eager_tasks")
    assert any("an eager task: its first step runs at once" in sentence for sentence in said)
