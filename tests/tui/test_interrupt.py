"""The palette's "Send Ctrl+C to the program" (issue 8 item 6): the program gets SIGINT and
may shut down its own way; ``q``, ``r`` and ``escape`` stay hard stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import SIZE, app_for, wait_end, wait_for, wait_paused

from asyncscope.session import Session
from asyncscope.tui.commands import ScreenCommands

LABEL = "Send Ctrl+C to the program"

GRACEFUL = (
    "import asyncio, signal\n"
    "async def main():\n"
    "    stop = asyncio.Event()\n"
    "    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)\n"
    "    print('serving')\n"
    "    await stop.wait()\n"
    "    print('shutting down')\n"
    "asyncio.run(main())\n"
)


async def test_palette_offers_ctrl_c_while_the_program_runs() -> None:
    async with app_for("sequential", paused=True).run_test(size=SIZE) as pilot:
        screen = await wait_paused(pilot)
        sent: list[str] = []
        assert screen.session is not None
        screen.session.interrupt = lambda: sent.append("SIGINT")  # type: ignore[method-assign]
        labels = [hit.text async for hit in ScreenCommands(screen).discover()]
        assert LABEL in labels
        await pilot.press("ctrl+p")
        await pilot.press(*"ctrl+c")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: sent == ["SIGINT"], what="the palette's Ctrl+C")
        assert screen.session is not None and not screen.session.finished  # not a hard stop
        await pilot.press("space")
        await wait_end(pilot)
        labels = [hit.text async for hit in ScreenCommands(screen).discover()]
        assert LABEL not in labels  # nothing left to interrupt


@pytest.mark.skipif(not hasattr(Session, "interrupt"), reason="Session.interrupt() is not there yet")
async def test_ctrl_c_lets_the_program_shut_down_gracefully(tmp_path: Path) -> None:
    program = tmp_path / "service.py"
    program.write_text(GRACEFUL)
    async with app_for(str(program)).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await wait_for(pilot, lambda: any(line.text == "serving" for line in screen.shown.output),
                       what="the service to start")
        await screen.run_action("interrupt")
        screen = await wait_end(pilot)
        model = screen.shown
        assert [line.text for line in model.output] == ["serving", "shutting down"]
        assert model.end is not None and model.end.status == "finished" and model.end.exit_code == 0
