"""Patch a module when the program imports it, never before.

Some hooks belong to modules a program may never import: uvloop, and
``concurrent.futures``' thread and process pools (the process pool pulls in
``multiprocessing``). Importing them up front to patch them would cost start-up time
(~20 ms of the child's) and put modules in the program's ``sys.modules`` that it never
asked for. So a patch waits: :func:`when_imported` runs it at once if the module is
already loaded, otherwise right after the program's own import of it has executed the
module. The finder finds nothing itself; it wraps the loader the normal search returns.
(It is a plain class with ``find_spec``, which is all ``sys.meta_path`` needs: subclassing
``importlib.abc.MetaPathFinder`` would import ``importlib.resources`` for nothing.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

__all__ = ["when_imported"]

Patch = Callable[[Any], None]


class _PatchOnImport:
    """The one finder of this process: module name -> patches still waiting for it."""

    def __init__(self) -> None:
        self.waiting: dict[str, list[Patch]] = {}
        self._busy: set[str] = set()

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in self.waiting or name in self._busy:
            return None
        self._busy.add(name)
        try:
            from importlib.util import find_spec

            spec = find_spec(name)
        finally:
            self._busy.discard(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        patches = self.waiting.pop(name)
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module: Any) -> None:
            original_exec(module)
            for patch in patches:
                patch(module)

        loader.exec_module = exec_module
        return spec


_finder: _PatchOnImport | None = None


def when_imported(name: str, patch: Patch) -> None:
    """Call ``patch(module)`` once module ``name`` is imported: now if it already is."""
    global _finder
    module = sys.modules.get(name)
    if module is not None:
        patch(module)
        return
    if _finder is None:
        _finder = _PatchOnImport()
        sys.meta_path.insert(0, _finder)
    _finder.waiting.setdefault(name, []).append(patch)
