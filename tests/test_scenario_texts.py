"""What the scenarios' texts say, checked wherever a rule can catch a mistake (issue 15).

A learner reads the title, summary, watch and explain of a scenario in English or Japanese
and compares them with the run on the screen. These tests hold the two languages to the same
facts (the same clock times, the same end of the run) and the Japanese to the form a reader
expects (no English sentences left inside, no line break in the middle of a sentence, the
usual terms). They only read the headers; tests/test_scenarios.py runs the programs.
"""

from __future__ import annotations

import re

import pytest

from asyncscope import catalog

SCENARIOS = catalog.scenarios()
NAMES = [scenario.name for scenario in SCENARIOS]
PARTS = ("title", "summary", "watch", "explain")
LANGS = ("en", "ja")

# A moment on the loop's clock as the texts write it: t=1, t=1.5, t=3.000.
MOMENT = re.compile(r"t=(\d+(?:\.\d+)?)")
# Where a text says when the run ends: "the run ends at t=2", "時計は t=3.000 で終わります".
RUN_ENDS = {
    "en": re.compile(r"(?:run|clock) ends at t=(\d+(?:\.\d+)?)"),
    "ja": re.compile(r"(?:実行|時計)は (?:t=\d+(?:\.\d+)? ではなく )?t=(\d+(?:\.\d+)?) (?:で|に)終わ"),
}
# What may stay in English inside a Japanese text: code, names and messages, quoted.
QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|「[^」]*」")
# Four English words in a row, once the quoted parts are gone: a sentence left untranslated.
ENGLISH_RUN = re.compile(r"[A-Za-z][\w'.()-]*(?:[ ,:]+[A-Za-z][\w'.()-]*){3,}")
# Words a Japanese reader does not expect for these terms, and the usual ones.
UNUSUAL_TERMS = {"作業者": "ワーカー", "品物": "アイテム", "共同ルーチン": "コルーチン"}


def moments(text: str) -> set[float]:
    return {float(value) for value in MOMENT.findall(text)}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_english_and_japanese_name_the_same_clock_times(scenario):
    """A reader of either language is told the same moments to look for."""
    for part in PARTS:
        assert moments(scenario.text(part, "en")) == moments(scenario.text(part, "ja")), (scenario.name, part)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_the_run_ends_when_the_watch_says(scenario):
    """ "The run ends at t=3" is the loop time the run ends at, in both languages."""
    elapsed = scenario.expected().get("elapsed")
    for lang in LANGS:
        said = {float(value) for value in RUN_ENDS[lang].findall(scenario.text("watch", lang))}
        if elapsed is None:
            assert not said, (scenario.name, lang, "no fixed loop time to promise")
        else:
            assert said <= {elapsed}, (scenario.name, lang, said, elapsed)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_no_doubled_quotes(scenario):
    """A doubled quote (''download done') is a typo a reader sees at once."""
    for part in PARTS:
        for lang in LANGS:
            text = re.sub(r"`[^`]*`", "", scenario.text(part, lang))
            assert "''" not in text and '""' not in text, (scenario.name, part, lang)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_japanese_leaves_no_english_sentence(scenario):
    """Code, names and messages stay as they are, quoted (`...`, '...', "...", 「...」);
    the sentences around them are Japanese."""
    for part in PARTS:
        text = QUOTED.sub("", scenario.text(part, "ja"))
        assert not ENGLISH_RUN.findall(text), (scenario.name, part, ENGLISH_RUN.findall(text))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_japanese_explain_breaks_lines_only_after_a_sentence(scenario):
    """The picker joins an explanation's lines with a space: a line break inside a Japanese
    sentence would show as a stray space in the middle of it."""
    for line in scenario.text("explain", "ja").strip().splitlines():
        if line.strip():
            assert re.search(r"。[)）」]*$", line.rstrip()), (scenario.name, line)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=NAMES)
def test_japanese_uses_the_usual_terms(scenario):
    for part in PARTS:
        text = scenario.text(part, "ja")
        for unusual, usual in UNUSUAL_TERMS.items():
            assert unusual not in text, (scenario.name, part, f"{unusual}: write {usual}")


def test_timeout_watch_follows_the_clock_through_1_2_3():
    """timeout gives up at t=1, wait_for(..., 2) returns at t=2, the second wait_for gives up
    at t=3: the watch names all three moments, in that order."""
    timeout = catalog.find("timeout")
    assert timeout is not None
    for lang in LANGS:
        named = [float(value) for value in MOMENT.findall(timeout.text("watch", lang))]
        assert [t for t in named if t in (1.0, 2.0, 3.0)][:3] == [1.0, 2.0, 3.0], (lang, named)


@pytest.mark.parametrize("name", ["sequential", "create_task", "gather"])
def test_the_first_three_timings_point_at_each_other(name):
    """sequential (3 s), create_task and gather (2 s) make their point side by side: each
    one's explanation suggests running the other two and comparing the clock."""
    scenario = catalog.find(name)
    assert scenario is not None
    others = {"sequential", "create_task", "gather"} - {name}
    for lang in LANGS:
        text = scenario.text("explain", lang)
        for other in others:
            assert f"`{other}`" in text, (name, lang, other)
