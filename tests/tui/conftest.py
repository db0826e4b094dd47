"""Fixtures for the TUI tests; the helpers live in ``tui_support``."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def _english_and_no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    # A blinking cursor would make snapshots depend on when they are taken.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setenv("ASYNCSCOPE_LANG", "en")
