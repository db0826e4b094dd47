"""The scenario picker: list, filter-as-you-type, preview, run, open a file (issue 3)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, OptionList, Static
from tui_support import SIZE, app_for, wait_end, wait_for

from asyncscope import catalog
from asyncscope.tui.screens.main import RunScreen
from asyncscope.tui.screens.open_file import OpenFileScreen, complete_path
from asyncscope.tui.screens.picker import OPEN_ID, PickerScreen, matches


def preview_text(screen: PickerScreen) -> str:
    console = Console(width=100, record=True, color_system=None, file=io.StringIO())
    console.print(screen.query_one("#preview-body", Static).content)
    return console.export_text()


async def test_picker_lists_scenarios_in_course_order_with_titles() -> None:
    async with app_for(None).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PickerScreen)
        options = screen.query_one("#scenario-list", OptionList)
        names = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert names[:-1] == [s.name for s in catalog.scenarios()]
        assert names[-1] == OPEN_ID
        first = catalog.scenarios()[0]
        assert first.text("title") in preview_text(screen)
        assert screen.focused is screen.query_one("#picker-filter", Input)


async def test_filter_as_you_type_and_preview() -> None:
    async with app_for(None).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PickerScreen)
        await pilot.press(*"3 s")
        shown = [s.name for s in screen.shown]
        assert "sequential" in shown and "gather" not in shown
        await pilot.press(*["backspace"] * 3)
        await pilot.press(*"create_task")
        assert screen.shown[0].name == "create_task"
        assert all("create_task" in (s.name + s.text("summary") + s.text("title")) for s in screen.shown)
        text = preview_text(screen)
        assert "create_task(" in text  # its source
        assert "Watch:" in text


async def test_enter_runs_the_highlighted_scenario_and_escape_returns() -> None:
    async with app_for(None).run_test(size=SIZE) as pilot:
        await pilot.press(*"sequential", "enter")
        screen = await wait_end(pilot)
        assert screen.target.display == "sequential"
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)
        assert screen.session is None


async def test_arrow_keys_move_the_list_while_typing() -> None:
    async with app_for(None).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, PickerScreen)
        await pilot.press("down", "down")
        assert screen.query_one("#scenario-list", OptionList).highlighted == 2
        assert screen.selected() is catalog.scenarios()[2]


async def test_open_a_file_from_the_picker(tmp_path: Path) -> None:
    mine = tmp_path / "mine.py"
    mine.write_text("import asyncio\nasync def main():\n    print('picked')\nasyncio.run(main())\n")
    async with app_for(None).run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        dialog = pilot.app.screen
        assert isinstance(dialog, OpenFileScreen)
        field = dialog.query_one("#open-path", Input)
        field.value = str(tmp_path / "nope.py")
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, OpenFileScreen)
        field.value = str(mine)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RunScreen), what="the run screen")
        screen = await wait_end(pilot)
        assert screen.target.display == "mine.py"
        assert [line.text for line in screen.shown.output] == ["picked"]


async def test_open_dialog_cancels_with_escape() -> None:
    async with app_for(None).run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(pilot.app.screen, OpenFileScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, PickerScreen)


def test_path_completion(tmp_path: Path) -> None:
    (tmp_path / "alpha.py").write_text("")
    (tmp_path / "beta").mkdir()
    (tmp_path / "notes.txt").write_text("")
    assert complete_path(str(tmp_path / "al")) == str(tmp_path / "alpha.py")
    assert complete_path(str(tmp_path / "be")) == str(tmp_path / "beta") + "/"
    assert complete_path(str(tmp_path / "no")) is None  # only folders and .py files


def test_matches_every_word_in_any_language() -> None:
    sequential = catalog.find("sequential")
    assert sequential is not None
    assert matches(sequential, "3 s await")
    assert matches(sequential, "順番")
    assert not matches(sequential, "gather")
