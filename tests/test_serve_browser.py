"""End to end in a real browser (issue 14): headless Chromium opens the page ``asyncscope serve``
prints, waits for the picker, types ``gather``, presses Enter, sees ``goodbye`` in the output,
opens the command palette, takes a screenshot, and closes the tab, which ends the tab's app.

Debian's ``chromium`` (``.ci/run`` installs it) driven by Playwright's Python API: Playwright's
own browser download is not reachable from these machines. Outside CI a machine without
Chromium skips this test; in CI it fails.

The terminal in the page draws on a canvas, so the text is read from the terminal emulator's
own buffer: an init script catches the page's ``this.terminal = new Terminal(...)``.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import descendants, free_port, pid_alive, serve, wait_until

CHROMIUM = "/usr/bin/chromium"
# The flags that work on these machines: no sandbox as root, no GPU, and no background
# connections (the network is closed; they would only be refused).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    window.__terminals.push(value);
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
  },
});
"""

READ_SCREEN = """() => {
  const terminal = (window.__terminals || []).find(t => t && t.buffer && t.buffer.active);
  if (!terminal) return null;
  const buffer = terminal.buffer.active, lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


@pytest.fixture
def chromium() -> Iterator[str]:
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    yield CHROMIUM


def test_gather_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with serve("--port", str(free_port())) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 800})
        try:
            page = browser.new_page()
            page.add_init_script(CATCH_TERMINAL)
            page.goto(server.url)

            def screen_with(pattern: str) -> str | None:
                screen = page.evaluate(READ_SCREEN)
                return screen if screen and re.search(pattern, screen) else None

            def wait_for(pattern: str, what: str) -> str:
                try:
                    return wait_until(what, lambda: screen_with(pattern))
                except AssertionError as exc:
                    raise AssertionError(f"{exc}; the page shows:\n{page.evaluate(READ_SCREEN)}") from None

            picker = wait_for("type to filter scenarios", "the scenario picker")
            assert "coroutine_object" in picker

            page.focus("textarea.xterm-helper-textarea")  # where xterm.js takes the keyboard
            page.keyboard.type("gather")
            wait_until("the filter to keep only gather's scenarios", lambda: (screen := screen_with("gather"))
                       and "coroutine_object" not in screen)
            page.keyboard.press("Enter")
            # An output line of the run screen (time, task, text), not the picker's summary.
            screen = wait_for(r"Task-\d+ +goodbye", "goodbye in gather's output")
            screen = wait_for(r"finished \(exit 0\)", "the run to finish")
            assert re.search(r"^ *\S*gather +■ finished", screen, re.M), screen

            # The command palette opens in the page too (it offers every key's action).
            page.keyboard.press("Control+p")
            wait_for("Search for commands", "the command palette")
            page.keyboard.press("Escape")
            wait_until("the palette to close", lambda: (screen := page.evaluate(READ_SCREEN))
                       and "Search for commands" not in screen)

            shot = tmp_path / "gather.png"
            page.screenshot(path=str(shot))
            assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
            if target := os.environ.get("ASYNCSCOPE_SERVE_SCREENSHOT"):
                shutil.copyfile(shot, target)  # how docs/serve.png is made

            # Closing the tab ends its app (its program has finished; test_serve.py closes tabs
            # whose programs still run).
            tab = descendants(server.process.pid)
            assert tab, "the tab's app is not running"
            page.close()
            wait_until("the closed tab's processes to end", lambda: not any(pid_alive(pid) for pid in tab))
        finally:
            browser.close()
    assert time.monotonic() - started < 60
