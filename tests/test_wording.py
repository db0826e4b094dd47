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
