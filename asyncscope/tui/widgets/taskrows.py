"""Which tasks the task table and the timeline show, and in what order.

Pure logic over the model (no Textual), shared by the two line-API panes so a task's
row and its timeline lane line up. Built for 10,000 tasks: in the default order
(creation, flat, no filter) new tasks are appended instead of re-sorting everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asyncscope.model import Model, TaskInfo

__all__ = ["SORTS", "TaskRows"]

_STATE_ORDER = {"running": 0, "ready": 1, "waiting": 2, "failed": 3, "cancelled": 4, "done": 5}

SORTS: dict[str, Callable[[Model, TaskInfo], Any]] = {
    "id": lambda model, info: info.id,
    "name": lambda model, info: info.name.lower(),
    "coro": lambda model, info: info.coro.lower(),
    "state": lambda model, info: (_STATE_ORDER.get(info.state, 9), info.id),
    "waits": lambda model, info: (model.wait_text(info), info.id),
    "steps": lambda model, info: (info.steps, info.id),
    "created": lambda model, info: (info.created_at, info.id),
}
"""Sort keys by column id."""

_STATIC_SORTS = frozenset({"id", "coro", "created"})
"""Sort keys that a task step cannot change (only new tasks need a re-sort)."""


@dataclass
class TaskRows:
    show_internal: bool = False
    tree: bool = False
    filter: str = ""
    sort: str = "id"
    reverse: bool = False
    rows: list[int] = field(default_factory=list)
    """Task ids in display order."""
    depth: dict[int, int] = field(default_factory=dict)
    """Tree depth of each shown task (0 when flat)."""
    index: dict[int, int] = field(default_factory=dict)
    """Row of each shown task."""
    _seen: int = 0
    """How many tasks of the model the rows have considered (for the fast append)."""

    def _matches(self, info: TaskInfo) -> bool:
        if info.internal and not self.show_internal:
            return False
        if self.filter:
            needle = self.filter.lower()
            return needle in info.name.lower() or needle in info.coro.lower()
        return True

    def rebuild(self, model: Model) -> None:
        shown = [info for info in model.tasks.values() if self._matches(info)]
        key = SORTS.get(self.sort, SORTS["id"])
        shown.sort(key=lambda info: key(model, info), reverse=self.reverse)
        if self.tree:
            self._tree(shown)
        else:
            self.rows = [info.id for info in shown]
            self.depth = {}
        self.index = {tid: row for row, tid in enumerate(self.rows)}
        self._seen = len(model.tasks)

    def _tree(self, shown: list[TaskInfo]) -> None:
        visible = {info.id for info in shown}
        children: dict[int | None, list[int]] = {}
        for info in shown:
            parent = info.parent if info.parent in visible else None
            children.setdefault(parent, []).append(info.id)
        rows: list[int] = []
        depth: dict[int, int] = {}
        stack = [(tid, 0) for tid in reversed(children.get(None, []))]
        while stack:
            tid, level = stack.pop()
            rows.append(tid)
            depth[tid] = level
            stack.extend((child, level + 1) for child in reversed(children.get(tid, [])))
        self.rows = rows
        self.depth = depth

    def update(self, model: Model, changed: set[int], new_tasks: bool, renamed: bool = False) -> bool:
        """Bring the rows up to date after a batch; True if the order changed."""
        if not new_tasks and not renamed and (self.sort in _STATIC_SORTS or not changed):
            return False
        if renamed and self.sort not in ("name",) and not self.filter and not new_tasks:
            return False
        if new_tasks and self.sort == "id" and not self.reverse and not self.tree:
            # Fast path: tasks arrive in id order; append the new ones.
            infos = list(model.tasks.values())
            if len(infos) >= self._seen:
                for info in infos[self._seen:]:
                    if self._matches(info):
                        self.index[info.id] = len(self.rows)
                        self.rows.append(info.id)
                self._seen = len(infos)
                return True
        self.rebuild(model)
        return True

    def header_sort(self, column: str) -> None:
        """Sort by ``column``; choosing the same column again reverses the order."""
        if column == self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = column, False
