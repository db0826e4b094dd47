"""uvloop's loop is written in C: none of asyncscope's hooks sees inside it. A program run
under uvloop would show every task ready with 0 steps, which is a wrong picture. So when
the program imports uvloop, its ways of making a loop (``uvloop.run``, ``new_event_loop``,
``EventLoopPolicy``, ``install``) are pointed at asyncio's own loop, which is traced, and
a diagnostic says so the first time one is used: the program's behaviour is asyncio's, its
speed is not uvloop's.

The swap happens when the program imports uvloop (:func:`~asyncscope.runtime.imports.when_imported`),
so nothing is imported that the program does not import itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from asyncscope.runtime.imports import when_imported

__all__ = ["install"]


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
    when_imported("uvloop", lambda uvloop: _swap(uvloop, on_use))
