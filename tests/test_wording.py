"""Every sentence asyncscope says exists in English and Japanese, and --lang picks one."""

from __future__ import annotations

import re
import sys

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
                       Output(1, 0.0, 1, "stderr", "prog.py:3: RuntimeWarning: coroutine 'hello' was never awaited",
                              True, None),
                       Output(2, 0.0, 1, "stderr", "  hello()", True, None),
                       Step(0.0, 1, 10, None, None)])
    assert model.narrator is not None
    (said,) = [s.render(model.task_name) for s in model.narrator.sentences if s.task == 1 and s.kind == "step"]
    assert said.startswith("Task-1 starts, prints 'main starts', writes 'prog.py:3: RuntimeWarning")
    assert said.endswith("and 1 more to stderr, yields to the loop and is ready again")


# -- the report's and the TUI's fixed words (issue 15) -----------------------------------------


def test_the_text_report_follows_lang() -> None:
    """Headings, column titles, states, the verdict and the hidden-tasks line: Japanese with
    --lang ja, English with --lang en (byte for byte what it always printed)."""
    from cli_support import run_cli

    japanese = run_cli("run", "--headless", "--lang", "ja", "sequential")
    assert japanese.returncode == 0, japanese.stderr
    out = japanese.stdout
    for words in ("\nタスク\n", "┃ タスク ", "コルーチン", "┃ 状態 ", "ステップ", "作成時刻", "場所", "詳細",
                  "│ 完了 ", "(内部タスク 2 個は表示していません)", "\n終了  ループ時間 3.0", "終了コード 0"):
        assert words in out, words
    for english in ("Tasks", "coroutine", "state", "done", "finished", "loop time", "exit code", "internal"):
        assert english not in out, english

    english = run_cli("run", "--headless", "--lang", "en", "sequential").stdout
    for words in ("\nTasks\n", "┃ task ", "┃ coroutine ┃ state ┃ steps ┃ created ┃ where ", "┃ detail ┃",
                  "│ done ", "(2 internal tasks not shown)", "\nfinished  loop time 3.0", "exit code 0"):
        assert words in english, words
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", english)


def test_the_report_words_diagnostics_and_waits_in_japanese() -> None:
    """The Diagnostics heading, and " at file:line" in a waiting task's detail cell."""
    from cli_support import run_cli

    out = run_cli("run", "--headless", "--lang", "ja", "never_awaited").stdout
    assert "\n診断\n" in out and "Diagnostics" not in out
    out = run_cli("run", "--headless", "--lang", "ja", str(PROGRAMS / "deadlock.py")).stdout
    assert "待機中" in out and "(deadlock.py:" in out and " at deadlock.py:" not in out
    assert "\nデッドロック  ループ時間" in out


def test_the_json_stays_english_in_japanese() -> None:
    """Keys and values such as status and state are an API: --lang ja changes sentences only."""
    english = run_json("--lang", "en", "sequential")
    japanese = run_json("--lang", "ja", "sequential")
    assert japanese["status"] == english["status"] == "finished"
    assert [t["state"] for t in japanese["tasks"]] == [t["state"] for t in english["tasks"]]
    assert [t["name"] for t in japanese["tasks"]] == [t["name"] for t in english["tasks"]]
    assert set(japanese) == set(english)


def test_paragraphs_are_kept_and_lines_joined_as_the_language_joins_them() -> None:
    """A blank line separates paragraphs; English lines join with a space, Japanese ones with
    nothing (between two Japanese characters, and after 。)."""
    assert wording.paragraphs("one\ntwo\n\nthree\n") == ["one two", "three"]
    assert wording.paragraphs("\n\nこれは\n日本語です。\n`x` を\n使います。\n\n\n次の段落") == [
        "これは日本語です。`x` を使います。", "次の段落"]
    assert wording.paragraphs("Python 3.12\n以降") == ["Python 3.12 以降"]
    assert wording.paragraphs("ab\ncd") == ["ab cd"]


def test_a_task_named_none_on_313_is_shown_as_task_n() -> None:
    """Python 3.13.0 names eager tasks "None" (CPython gh-130033): the views show Task-<id>,
    the program's name stays in the model (and the JSON); other versions, other names:
    as they are."""
    from asyncscope.events import Hello, TaskCreated
    from asyncscope.model import Model

    def model_on(python: str) -> Model:
        model = Model(narrator=None)
        model.apply(Hello(version=1, pid=1, python=python, clock="virtual", target="prog.py", argv=[]))
        model.apply(TaskCreated(0.0, 4, "None", "cached", None, None, False))
        model.apply(TaskCreated(0.0, 5, "worker", "slow", None, None, False))
        return model

    model = model_on("3.13.0")
    assert model.task_name(4) == "Task-4" and model.tasks[4].name == "None"
    assert model.task_name(5) == "worker"
    assert model_on("3.12.1").task_name(4) == "None"


@pytest.mark.skipif(sys.version_info[:2] != (3, 13),
                    reason="only Python 3.13 (3.13.0 among its releases) names eager tasks 'None' (gh-130033)")
def test_eager_tasks_named_none_read_task_n_in_the_report() -> None:
    """On 3.13.0 the eager_tasks scenario's two eager tasks are named "None" by CPython:
    the text report names them Task-4 and Task-5, as asyncio named them before the bug
    overwrote the name; the JSON keeps "None", the name the program sees."""
    from cli_support import run_cli, user_tasks

    verdict = run_json("eager_tasks")
    names = [task["name"] for task in user_tasks(verdict)]
    if "None" not in names:
        pytest.skip(f"this Python {sys.version.split()[0]} names eager tasks properly: {names}")
    assert names == ["Task-1", "Task-2", "Task-3", "None", "None"]
    out = run_cli("run", "--headless", "eager_tasks").stdout
    assert "│ Task-4 │ cached" in out and "│ Task-5 │ slow" in out
    assert "None" not in out
    assert "Task-5 slow: finished" in out
