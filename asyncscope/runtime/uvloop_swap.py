"""uvloop's loop is written in C: none of asyncscope's hooks sees inside it. A program run
under uvloop would show every task ready with 0 steps, which is a wrong picture. So when
the program imports uvloop, its ways of making a loop (``uvloop.run``, ``new_event_loop``,
``EventLoopPolicy``, ``install``) are pointed at asyncio's own loop, which is traced, and
a diagnostic says so the first time one is used: the program's behaviour is asyncio's, its
speed is not uvloop's.

The swap happens at import time through a meta-path finder, so nothing is imported that
the program does not import itself.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["install"]


class _SwapOnImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: it wraps the loader of ``uvloop`` to patch the module it made."""

    def __init__(self, on_use: Callable[[], None]) -> None:
        self._on_use = on_use
        self._busy = False

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "uvloop" or self._busy:
            return None
        self._busy = True
        try:
            from importlib.util import find_spec

            spec = find_spec(name)
        finally:
            self._busy = False
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        on_use = self._on_use
        original_exec = loader.exec_module

        def exec_module(module: Any) -> None:
            original_exec(module)
            _swap(module, on_use)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _swap(uvloop: Any, on_use: Callable[[], None]) -> None:
    original_new_event_loop = getattr(uvloop, "new_event_loop", None)

    def new_event_loop() -> asyncio.AbstractEventLoop:
        on_use()
        return asyncio.new_event_loop()

    class EventLoopPolicy(asyncio.DefaultEventLoopPolicy):  # type: ignore[misc,valid-type]
        """uvloop's policy, making asyncio's (traced) loops instead."""

        def new_event_loop(self) -> asyncio.AbstractEventLoop:
            on_use()
            return super().new_event_loop()

    def run(main: Any, *, loop_factory: Any = None, debug: bool | None = None, **run_kwargs: Any) -> Any:
        if loop_factory is None or loop_factory in (original_new_event_loop, new_event_loop):
            loop_factory = new_event_loop
        with asyncio.Runner(loop_factory=loop_factory, debug=debug, **run_kwargs) as runner:
            return runner.run(main)

    uvloop.new_event_loop = new_event_loop
    uvloop.EventLoopPolicy = EventLoopPolicy
    uvloop.run = run


def install(on_use: Callable[[], None]) -> None:
    """Swap uvloop for asyncio's loop when the program imports it (and if it already has)."""
    if "uvloop" in sys.modules:
        _swap(sys.modules["uvloop"], on_use)
        return
    sys.meta_path.insert(0, _SwapOnImport(on_use))
