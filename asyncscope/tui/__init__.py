"""The live Textual TUI: the scenario picker and the run screen.

Nothing outside this package imports it except ``asyncscope.cli`` (lazily), so the
headless core and the child runtime never load Textual. Entry point:
:func:`asyncscope.tui.app.make_app`.
"""

from __future__ import annotations

__all__: list[str] = []
