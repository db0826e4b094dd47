"""The child side of asyncscope: runs inside the traced program's process.

Nothing here may import Textual or Rich (``tests/test_import_hygiene.py`` checks it in a
fresh interpreter): the child must start fast and must not disturb the program it traces.
"""

from __future__ import annotations

import os
from types import ModuleType

PURE_ENV = "ASYNCSCOPE_PURE"
"""Set (to anything but ``0`` or nothing) to run the pure-Python hot path even where the
compiled one is built."""


def compiled_hot_path() -> ModuleType | None:
    """The compiled hot path (``_hotpath.c``), or None: not built, not built for this
    Python, or turned off with ``ASYNCSCOPE_PURE``. The two paths behave the same."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return None
    try:
        from asyncscope.runtime import _hotpath
    except ImportError:
        return None
    return _hotpath


def hot_path_name() -> str:
    """``compiled`` or ``python``: which hot path a run started now would use."""
    return "compiled" if compiled_hot_path() is not None else "python"
