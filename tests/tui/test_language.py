"""The TUI in the language asked for (issue 15): with ``lang="ja"`` the run screen's pane
titles, status bar, task table, detail, footer and help are Japanese; with ``lang="en"``
they are the English they always were. The scenario picker keeps an explanation's
paragraphs. On Python 3.13.0, eager tasks (named "None" by CPython) show as Task-<id>.

The language is global (``wording.set_language``, as the CLI sets it): every test puts
English back, so the tests after it read English.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator

import pytest
from rich.console import Console, Group
from rich.text import Text
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from tui_support import SIZE, app_for, wait_end, wait_for

from asyncscope import catalog, wording
from asyncscope.tui.screens.help import HelpScreen
from asyncscope.tui.screens.picker import PickerScreen
from asyncscope.tui.widgets.detail import TaskDetail
from asyncscope.tui.widgets.diagnostics import DiagnosticsList
from asyncscope.tui.widgets.status import StatusBar
from asyncscope.tui.widgets.tasks import TaskTable
from asyncscope.tui.widgets.timeline import Timeline

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

TITLES = {
    "en": {"tasks": "Tasks · user", "detail": "Task detail", "timeline": "Timeline", "output": "Output",
           "narration": "What happened", "diagnostics": "Diagnostics"},
    "ja": {"tasks": "タスク · プログラム", "detail": "タスクの詳細", "timeline": "タイムライン", "output": "出力",
           "narration": "何が起きたか", "diagnostics": "診断"},
}


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    wording.set_language("en")


def plain(renderable: object, width: int = 200) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def title(widget: object) -> str:
    value = widget.border_title  # type: ignore[attr-defined]
    return value.plain if isinstance(value, Text) else Text.from_markup(value or "").plain


@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_the_run_screen_speaks_the_language_asked_for(lang: str) -> None:
    async with app_for("sequential", lang=lang).run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        await pilot.pause()
        assert {pane: title(screen.query_one(f"#{pane}")) for pane in TITLES[lang]} == TITLES[lang]
        status = plain(screen.query_one(StatusBar).content)
        header = screen.query_one(TaskTable)._header().plain
        detail = plain(screen.query_one("#detail-body", Static).content, width=100)
        none = plain(screen.query_one(DiagnosticsList).get_option_at_index(0).prompt)
        footer = [key.description for key in screen.query(FooterKey)]
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="the help screen")
        help_text = "\n".join(plain(static.content) for static in pilot.app.screen.query(Static))
        if lang == "ja":
            assert "■ 終了 (終了コード 0)" in status and "ステップ 5" in status and "タスク 1 個" in status
            assert header.split() == ["タスク", "コルーチン", "状態", "待ち", "/", "結果", "ステップ", "作成時刻"]
            assert "Task-1  main()  完了" in detail and "作成" in detail and "ステップ" in detail
            assert none.strip() == "診断はありません"
            assert "再実行" in footer and "ヘルプ" in footer and "終了" in footer
            assert "プログラムの実行中" in help_text and "シナリオ一覧" in help_text
            assert "次のタスクステップの前でプログラムを一時停止します。" in help_text
            for english in ("finished", "step", "task", "Restart", "Help", "While a program runs"):
                assert english not in status + header + detail + " ".join(footer) + help_text, english
        else:
            assert "■ finished (exit 0)" in status and "step 5" in status and "1 task" in status
            assert header.split() == ["task", "coroutine", "state", "waits", "on", "/", "result", "steps", "created"]
            assert "Task-1  main()  done" in detail and "created   t=0.000 by asyncio.run()" in detail
            assert none.strip() == "no diagnostics"
            assert "Restart" in footer and "Help" in footer and "Quit" in footer
            assert "While a program runs" in help_text
            assert not JAPANESE.search(status + header + detail + " ".join(footer) + help_text)


async def test_the_picker_speaks_japanese() -> None:
    async with app_for(None, lang="ja").run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PickerScreen)
        assert title(screen.query_one("#scenario-list")) == "シナリオ"
        assert title(screen.query_one("#preview")) == "プレビュー"
        assert "シナリオを選んで" in plain(screen.query_one("#picker-title", Static).content)
        footer = [key.description for key in screen.query(FooterKey)]
        assert "ファイルを開く" in footer and "ヘルプ" in footer


def preview_paragraphs(screen: PickerScreen) -> list[str]:
    """The preview's texts, one a renderable: the title, the watch line, then one per
    paragraph of the explanation (blank Texts between them are left out)."""
    body = screen.query_one("#preview-body", Static).content
    assert isinstance(body, Group)
    return [part.plain for part in body.renderables if isinstance(part, Text) and part.plain]


@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_the_picker_keeps_the_explanations_paragraphs(lang: str) -> None:
    """eager_tasks explains in three paragraphs: the preview shows three, each one line of
    text (Rich wraps it), its lines joined with a space in English and with nothing in
    Japanese."""
    scenario = catalog.find("eager_tasks")
    assert scenario is not None
    explain = scenario.text("explain", lang).strip()
    assert explain.count("\n\n") == 2
    async with app_for(None, lang=lang).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PickerScreen)
        await pilot.press(*"eager_tasks")
        await wait_for(pilot, lambda: screen.selected() is scenario, what="eager_tasks highlighted")
        texts = preview_paragraphs(screen)
        paragraphs = texts[2:]  # after the title and the watch line
        assert paragraphs == wording.paragraphs(explain)
        assert len(paragraphs) == 3 and all("\n" not in paragraph for paragraph in paragraphs)
        if lang == "en":
            assert paragraphs[0].startswith("Normally `create_task` only schedules the task: its first step runs "
                                            "at the loop's next turn, after")
            assert paragraphs[1] == ("The order of execution changes: code you expected to run \"later\" now "
                                     "runs first. Turn it on deliberately, and test.")
        else:
            assert paragraphs[1] == ("実行の順番が変わります。「後で」動くと思っていたコードが先に動きます。"
                                     "意図して有効にし、テストしましょう。")
            assert "ループの次の番で動きます。`loop.set_task_factory" in paragraphs[0]


@pytest.mark.skipif(sys.version_info[:2] != (3, 13),
                    reason="only Python 3.13 (3.13.0 among its releases) names eager tasks 'None' (gh-130033)")
async def test_eager_tasks_named_none_are_shown_as_task_n() -> None:
    """On 3.13.0 the task table, the timeline and the detail call the eager tasks Task-4
    and Task-5; the detail says what the program calls them, and why."""
    async with app_for("eager_tasks").run_test(size=SIZE) as pilot:
        screen = await wait_end(pilot)
        model = screen.shown
        if model.tasks[4].name != "None":
            pytest.skip(f"this Python {sys.version.split()[0]} names eager tasks properly")
        table = screen.query_one(TaskTable)
        name_column = table._columns()[0][0]
        assert [table._cell(model.tasks[tid], name_column).plain for tid in (4, 5)] == ["Task-4", "Task-5"]
        timeline = screen.query_one(Timeline)
        assert timeline.render_line(timeline.rows.index[4] + 1).text.split()[0] == "Task-4"
        assert table.select_task(4)
        await pilot.pause()
        detail = plain(screen.query_one(TaskDetail).query_one("#detail-body", Static).content, width=120)
        assert detail.startswith("Task-4  cached()  done")
        assert "name      'None' in the program (a CPython 3.13.0 bug: gh-130033)" in detail
