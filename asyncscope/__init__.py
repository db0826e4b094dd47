"""asyncscope: watch asyncio programs run, task by task.

The package root stays lazy (importing it loads neither Textual nor Rich); see
``asyncscope.cli`` for the entry point and ``asyncscope.runtime`` for the child side.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
