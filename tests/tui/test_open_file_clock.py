"""Opening a file with ``o`` asks for the clock and starts at the default speed
(issue 10 item 12: a TCP server ran at "instant" on the virtual clock)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, RadioButton
from tui_support import SIZE, app_for, wait_for, wait_paused

from asyncscope.tui.screens.main import RunScreen
from asyncscope.tui.screens.open_file import OpenFileScreen, suggested_clock

PLAIN = "import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print('plain')\nasyncio.run(main())\n"
SERVER = (
    "import asyncio\n"
    "async def main():\n"
    "    server = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)\n"
    "    server.close()\n"
    "    print('served')\n"
    "asyncio.run(main())\n"
)


async def _open(pilot, path: Path, clock: str | None = None) -> RunScreen:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    generation = screen.generation
    await pilot.press("o")
    dialog = pilot.app.screen
    assert isinstance(dialog, OpenFileScreen)
    dialog.query_one("#open-path", Input).value = str(path)
    await pilot.pause()
    if clock is not None:
        dialog.query_one(f"#clock-{clock}", RadioButton).value = True
        await pilot.pause()
    dialog.query_one("#open-path", Input).focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is screen and screen.generation == generation + 1,
                   what="the new run")
    return screen


async def test_open_resets_the_speed_to_the_default(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text(PLAIN)
    async with app_for("sequential", paused=True, speed=1.0).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        await pilot.press("plus", "plus")
        assert screen.speed == 5.0
        screen = await _open(pilot, plain)
        assert screen.target.display == "plain.py"
        assert screen.speed == 1.0 and screen.clock == "virtual"
        assert screen.session is not None and screen.session.speed == 1.0  # what the child was told


async def test_a_program_that_uses_the_network_gets_the_real_clock(tmp_path: Path) -> None:
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    async with app_for("sequential", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        screen = await _open(pilot, server)
        assert screen.clock == "real"
        assert screen.session is not None and screen.session.clock == "real"
        assert screen.check_action("faster", ()) is None  # speed keys grey out on the real clock


async def test_the_user_chooses_the_clock(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text(PLAIN)
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    async with app_for("sequential", paused=True).run_test(size=SIZE) as pilot:
        await wait_paused(pilot)
        screen = await _open(pilot, plain, clock="real")
        assert screen.clock == "real"
        screen = await _open(pilot, server, clock="virtual")
        assert screen.clock == "virtual"  # the choice wins over the advice


def test_suggested_clock(tmp_path: Path) -> None:
    plain = tmp_path / "plain.py"
    plain.write_text(PLAIN)
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    assert suggested_clock(str(plain)) is None
    assert suggested_clock(str(server)) == "real"
    assert suggested_clock(str(tmp_path / "missing.py")) is None
