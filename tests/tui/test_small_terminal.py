"""The run screen at 80x24: the footer keeps its important keys whole, and the output pane
spends no row on a scrollbar (issue 10 item 14)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey
from tui_support import SIZE, app_for, wait_end

from asyncscope.tui.widgets.footer import KeyFooter, fit_keys
from asyncscope.tui.widgets.output import OutputView

SMALL = (80, 24)


def _footer_keys(pilot) -> list[FooterKey]:  # type: ignore[no-untyped-def]
    footer = pilot.app.screen.query_one(KeyFooter)
    return [key for key in footer.query(FooterKey) if key.display]


async def test_footer_fits_80_columns_and_keeps_quit_and_help() -> None:
    async with app_for("sequential").run_test(size=SMALL) as pilot:
        await wait_end(pilot)
        await pilot.pause()
        keys = _footer_keys(pilot)
        actions = [key.action for key in keys]
        for action in ("quit", "help", "step", "restart", "faster", "open_file"):
            assert action in actions, action
        assert "toggle_internal" not in actions  # the least important key gives way
        assert keys[-1].region.right <= SMALL[0]  # nothing is cut at the screen's edge
        labels = [key.description for key in keys]
        assert labels.index("Help") < labels.index("Quit")  # keys keep their usual order


async def test_wide_footer_shows_every_key() -> None:
    async with app_for("sequential").run_test(size=SIZE) as pilot:
        await wait_end(pilot)
        await pilot.pause()
        actions = [key.action for key in _footer_keys(pilot)]
        assert "toggle_internal" in actions and "toggle_timeline" in actions and "quit" in actions


def test_fit_keys_takes_the_most_important_first() -> None:
    keys = [("pause", 12), ("step", 7), ("open_file", 7), ("help", 7), ("quit", 7)]
    importance = ("quit", "pause", "help", "step", "open_file")
    assert fit_keys(keys, 35, importance) == {0, 1, 3, 4}
    assert fit_keys(keys, 20, importance) == {0, 4}
    assert fit_keys(keys, 100, importance) == {0, 1, 2, 3, 4}


async def test_output_pane_has_no_horizontal_scrollbar_and_marks_long_lines(tmp_path: Path) -> None:
    program = tmp_path / "wide.py"
    program.write_text(
        "import asyncio\n"
        "async def main():\n"
        "    print('short')\n"
        "    print('a line much wider than the output pane of an eighty column terminal: ' + 'x' * 40)\n"
        "asyncio.run(main())\n"
    )
    async with app_for(str(program)).run_test(size=SMALL) as pilot:
        screen = await wait_end(pilot)
        await pilot.pause()
        output = screen.query_one(OutputView)
        assert output.scrollable_content_region.height == output.size.height  # no row for a scrollbar
        width = output.scrollable_content_region.width
        short, wide = (output.render_line(y).text for y in (0, 1))
        assert short.rstrip() == "   0.000 Task-1   short"  # the label column is as wide as the names
        assert len(wide) == width and wide.endswith("›")  # cut at the edge, and saying so
        assert not short.rstrip().endswith("›")
        await pilot.press("tab")  # to the output pane, whatever has focus
        output.focus()
        await pilot.press("right", "right", "right")
        assert output.scroll_x > 0  # still scrolls sideways
