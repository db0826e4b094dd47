"""The TUI's screens: scenario picker, run screen, help, open-a-file dialog."""

from __future__ import annotations

__all__: list[str] = []
