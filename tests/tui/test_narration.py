"""Narration: plain-word sentences derived from a real run's events (issue 3)."""

from __future__ import annotations

import pytest

from asyncscope.session import Session
from asyncscope.targets import resolve
from asyncscope.tui.feed import Feed, drain
from asyncscope.tui.narration import NARRATION, Narrator, say


def test_every_key_has_both_languages() -> None:
    for key, table in NARRATION.items():
        assert set(table) >= {"en", "ja"}, key
        assert table["en"].strip() and table["ja"].strip(), key


def test_japanese_sentences_format_with_the_same_fields() -> None:
    fields = dict(second="'y'", task="Task-2", parent="Task-1", coro="hello", tasks="Task-2", count=3,
                  detail="Event.wait",
                  until=1.0, text="'x'", more=2, outer="main", inner="hello", result="42", error="ValueError",
                  by="Task-1", t=2.0, kind="deadlock", message="m", status="finished")
    for key in NARRATION:
        assert say(key, "ja", **fields)
        assert say(key, "en", **fields)


def _narrate(name: str, lang: str = "en") -> list[str]:
    session = Session(resolve(name, None, ()), speed=None)
    session.start()
    feed = Feed(narrator=Narrator(lang=lang))
    ended = False
    while not ended:
        events, ended = drain(session, first_wait=1.0)
        feed.apply(events)
    return [sentence.text for sentence in feed.narrator.sentences]


def test_sequential_says_same_task_no_new_task() -> None:
    said = _narrate("sequential")
    assert "asyncio.run() wraps main() in a task: Task-1" in said
    assert "main awaits goodbye() — same task, no new task" in said
    assert "main awaits hello() — same task, no new task" in said
    assert "Task-1 starts, prints 'you say,', sleeps until t=2.000" in said
    assert "Task-1 wakes, prints 'goodbye' and 'I say,', sleeps until t=3.000" in said
    assert "Task-1 wakes, prints 'hello', finishes" in said
    assert said[-1] == "The program ends: finished at t=3.000"
    assert not any("creates" in sentence for sentence in said)


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
