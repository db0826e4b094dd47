"""Every sentence asyncscope says exists in English and Japanese, and --lang picks one."""

from __future__ import annotations

import re

import pytest
from cli_support import PROGRAMS, run_json

from asyncscope import wording


@pytest.mark.parametrize("key", sorted(wording.MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(key):
    table = wording.MESSAGES[key]
    assert set(table) == set(wording.LANGUAGES)
    fields = {lang: set(re.findall(r"{(\w+)", text)) for lang, text in table.items()}
    assert fields["en"] == fields["ja"], key
    words = re.findall(r"\b[a-zA-Z]{2,}\b", re.sub(r"{[^}]*}", "", table["en"]))
    if len(words) >= 3:  # a sentence, not a label like "sleep → t={until:.3f}"
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", table["ja"]), key


def test_diagnostics_follow_lang():
    english = run_json("--lang", "en", "never_awaited")
    japanese = run_json("--lang", "ja", "never_awaited")
    assert "was never awaited" in english["diagnostics"][0]["message"]
    assert "await されていません" in japanese["diagnostics"][0]["message"]


def test_deadlock_message_in_japanese():
    verdict = run_json("--lang", "ja", str(PROGRAMS / "deadlock.py"))
    message = verdict["diagnostics"][0]["message"]
    assert message.startswith("デッドロック") and "Event.wait" in message


def test_language_defaults_from_the_environment(monkeypatch):
    monkeypatch.setenv("ASYNCSCOPE_LANG", "ja_JP.UTF-8")
    assert wording.default_language() == "ja"
    monkeypatch.setenv("ASYNCSCOPE_LANG", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert wording.default_language() == "en"


def test_the_blocking_hint_fits_what_blocked() -> None:
    """time.sleep() in a step: await asyncio.sleep() instead. CPU work: not a thread (the
    GIL), a process pool. The course's own to_thread and cpu_starvation lessons agree."""
    from cli_support import run_json

    (sleep,) = [d for d in run_json("blocking_call")["diagnostics"] if d["kind"] == "blocking"]
    assert "asyncio.sleep() instead of calling time.sleep()" in sleep["message"]
    cpu = [d for d in run_json("cpu_starvation")["diagnostics"] if d["kind"] == "blocking"]
    assert cpu and all("process pool" in d["message"] and "time.sleep" not in d["message"] for d in cpu)


def test_narration_tells_stderr_apart_from_prints() -> None:
    """Python's never-awaited warning goes to stderr: not "prints ... and 4 more lines"."""
    from asyncscope.events import Output, Step, TaskCreated
    from asyncscope.model import Model

    model = Model()
    model.apply_batch([TaskCreated(0.0, 1, "Task-1", "main", None, None, False),
                       Output(0, 0.0, 1, "stdout", "main starts", True, None),
                       Output(1, 0.0, 1, "stderr", "prog.py:3: RuntimeWarning: coroutine 'hello' was never awaited", True, None),
                       Output(2, 0.0, 1, "stderr", "  hello()", True, None),
                       Step(0.0, 1, 10, None, None)])
    assert model.narrator is not None
    (said,) = [s.render(model.task_name) for s in model.narrator.sentences if s.task == 1 and s.kind == "step"]
    assert said.startswith("Task-1 starts, prints 'main starts', writes 'prog.py:3: RuntimeWarning")
    assert said.endswith("and 1 more to stderr, yields to the loop and is ready again")
