"""Which tasks the task table and the timeline show, and in what order.

Pure logic over the model (no Textual), shared by the two line-API panes so a task's
row and its timeline lane line up. Built for 10,000 tasks: in the default order
(creation, flat, no filter) new tasks are appended instead of re-sorting everything.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asyncscope import wording
from asyncscope.model import Model, TaskInfo

__all__ = ["MARKERS", "SORTS", "TaskRows", "VIEWS", "tier", "view_name"]

_STATE_ORDER = {"running": 0, "ready": 1, "waiting": 2, "failed": 3, "cancelled": 4, "done": 5}

SORTS: dict[str, Callable[[Model, TaskInfo], Any]] = {
    "id": lambda model, info: info.id,
    "name": lambda model, info: model.task_name(info.id).lower(),
    "coro": lambda model, info: info.coro.lower(),
    "state": lambda model, info: (_STATE_ORDER.get(info.state, 9), info.id),
    "waits": lambda model, info: (model.wait_text(info), info.id),
    "steps": lambda model, info: (info.steps, info.id),
    "created": lambda model, info: (info.created_at, info.id),
}
"""Sort keys by column id."""

_STATIC_SORTS = frozenset({"id", "coro", "created"})
"""Sort keys that a task step cannot change (only new tasks need a re-sort)."""

VIEWS: tuple[str, ...] = ("user", "user + library ◇", "user + library ◇ + asyncio ◆")
"""What each view of ``i`` shows, by :attr:`TaskRows.view` (in English; the task pane's
title says it in the language chosen: :func:`view_name`)."""


def view_name(view: int) -> str:
    """What view ``view`` shows, in the current language (the task pane's title)."""
    return wording.text(f"view-{view}")

MARKERS: tuple[str, ...] = ("", "◇", "◆")
"""The mark before a task's name, by :func:`tier`: none for the program's own tasks."""


def tier(info: TaskInfo) -> int:
    """The first view that shows ``info``: 0 for the program's own tasks, 1 for a library's
    (``origin == "library"``), 2 for asyncio's own and anything else internal (tasks made
    while ``asyncio.run`` shuts down)."""
    if not info.internal:
        return 0
    return 1 if info.origin == "library" else 2


@dataclass
class TaskRows:
    view: int = 0
    """Which tasks show: 0 the program's own, 1 also libraries', 2 also asyncio's own
    (an index of :data:`VIEWS`; ``i`` cycles it)."""
    tree: bool = False
    filter: str = ""
    sort: str = "id"
    reverse: bool = False
    rows: list[int] = field(default_factory=list)
    """Task ids in display order."""
    depth: dict[int, int] = field(default_factory=dict)
    """Tree depth of each shown task (0 when flat)."""
    guides: dict[int, str] = field(default_factory=dict)
    """Tree lines drawn before each shown task's name (``│ ├ `` …; none when flat)."""
    context: set[int] = field(default_factory=set)
    """Tasks shown only as the ancestors of tasks the filter matched (tree view)."""
    index: dict[int, int] = field(default_factory=dict)
    """Row of each shown task."""
    hidden: int = 0
    """Tasks the view leaves out (the filter's misses are not counted)."""
    rebuilt: int = 0
    """How many times the rows were rebuilt from scratch (so a pane can tell when to
    re-measure every row)."""
    _seen: int = 0
    """How many tasks of the model the rows have considered (for the fast append)."""
    _prefix: tuple[list[int], list[int], int] | None = None
    """The program's own tasks of a moment of the run, ascending, for a jump to an earlier
    moment to cut instead of walking 80,000 tasks again (see :meth:`_earlier_rows`): the
    run's creation order (``Model._order``, one list shared by every moment), those rows,
    and how many tasks they were made from (ids ascend along the order up to there)."""

    def _shown(self, info: TaskInfo) -> bool:
        return tier(info) <= self.view

    def _matches(self, info: TaskInfo, model: Model | None = None) -> bool:
        if not self._shown(info):
            return False
        if self.filter:
            needle = self.filter.lower()
            name = model.task_name(info.id) if model is not None else info.name  # the name shown
            return needle in name.lower() or needle in info.coro.lower()
        return True

    def rebuild(self, model: Model) -> None:
        tasks = model.tasks
        if not self.filter and not self.tree and self.sort == "id":
            # The default rows, the ones a jump in time rebuilds (80,000 tasks in ~10 ms):
            # ids sorted as ints, the index zipped, no Python call per task.
            view = self.view
            rows = self._earlier_rows(model) if view == 0 else None
            if rows is None:
                if view >= 2:
                    rows = list(tasks)
                elif view == 0:
                    rows = [tid for tid, info in tasks.items() if not info.internal]
                    self._keep_prefix(model, rows)
                else:
                    rows = [tid for tid, info in tasks.items() if tier(info) <= view]
            rows.sort(reverse=self.reverse)
            self.hidden = len(tasks) - len(rows)
            self.rebuilt += 1
            self.context = set()
            self.rows = rows
            self.depth = {}
            self.guides = {}
            self.index = dict(zip(rows, range(len(rows)), strict=True))
            self._seen = len(tasks)
            return
        shown: list[TaskInfo] = []
        hidden = 0
        for info in model.tasks.values():
            if not self._shown(info):
                hidden += 1
            elif self._matches(info, model):
                shown.append(info)
        self.hidden = hidden
        self.rebuilt += 1
        self.context = set()
        if self.tree and self.filter:
            shown.extend(self._ancestors(model, shown))
        key = SORTS.get(self.sort, SORTS["id"])
        shown.sort(key=lambda info: key(model, info), reverse=self.reverse)
        if self.tree:
            self._tree(shown)
        else:
            self.rows = [info.id for info in shown]
            self.depth = {}
            self.guides = {}
        self.index = {tid: row for row, tid in enumerate(self.rows)}
        self._seen = len(model.tasks)

    def _earlier_rows(self, model: Model) -> list[int] | None:
        """The program's own tasks of ``model``, ascending, cut from the rows of a later
        moment of the same run, or None. A moment's tasks are the first ones the run
        created (tasks are never removed), so when ids ascend in creation order its rows
        are a prefix of a later moment's; the count of the program's own tasks the model
        keeps confirms the cut (a task made again as internal would fail it)."""
        kept = self._prefix
        count = len(model.tasks)
        if kept is None or kept[0] is not model._order or not 0 < count <= kept[2]:
            return None
        rows = kept[1][:bisect.bisect_right(kept[1], model._order[count - 1])]
        return rows if len(rows) == model.user_task_count else None

    def _keep_prefix(self, model: Model, rows: list[int]) -> None:
        """Keep ``rows`` (made from every task of ``model``) for :meth:`_earlier_rows`, if
        ids ascend in creation order (tasks made on two threads may be numbered in one
        order and reported in the other)."""
        count = len(model.tasks)
        kept = self._prefix
        if kept is not None and kept[0] is model._order and kept[2] >= count:
            return  # a later moment's rows, which cover this one's
        created = model._order[:count]  # the model's tasks, as created
        ascending = created == sorted(created)  # then so are rows, which are some of them
        self._prefix = (model._order, list(rows), count) if ascending else None

    def _extend_prefix(self, model: Model, before: int, added: list[TaskInfo]) -> None:
        """The run went on by ``added`` (the tasks after the first ``before``): extend
        the kept rows with them, so the first jump back from the live edge can cut too."""
        kept = self._prefix
        if kept is None or kept[0] is not model._order or kept[2] != before:
            self._prefix = None
            return
        ids = [info.id for info in added]
        last = model._order[before - 1] if before else None
        if ids != sorted(ids) or (ids and last is not None and ids[0] <= last):
            self._prefix = None
            return
        kept[1].extend(info.id for info in added if not info.internal)
        self._prefix = (kept[0], kept[1], before + len(added))

    def _ancestors(self, model: Model, matched: list[TaskInfo]) -> list[TaskInfo]:
        """The tasks above the filter's matches: a filtered tree keeps its shape, and a match
        sits under the task that created it (shown as context, not as a match)."""
        have = {info.id for info in matched}
        added: list[TaskInfo] = []
        for info in matched:
            parent = model.tasks.get(info.parent) if info.parent is not None else None
            while parent is not None and parent.id not in have and self._shown(parent):
                have.add(parent.id)
                added.append(parent)
                parent = model.tasks.get(parent.parent) if parent.parent is not None else None
        self.context = {info.id for info in added}
        return added

    def _tree(self, shown: list[TaskInfo]) -> None:
        visible = {info.id for info in shown}
        children: dict[int | None, list[int]] = {}
        for info in shown:
            parent = info.parent if info.parent in visible else None
            children.setdefault(parent, []).append(info.id)
        rows: list[int] = []
        depth: dict[int, int] = {}
        guides: dict[int, str] = {}
        # (task, level, lines of the levels above, last of its siblings)
        roots = children.get(None, [])
        stack = [(tid, 0, "", True) for tid in reversed(roots)]
        while stack:
            tid, level, above, last = stack.pop()
            rows.append(tid)
            depth[tid] = level
            guides[tid] = above + ("└ " if last else "├ ") if level else ""
            below = above + ("  " if last else "│ ") if level else ""
            kids = children.get(tid, [])
            stack.extend((child, level + 1, below, number == len(kids) - 1)
                         for number, child in reversed(list(enumerate(kids))))
        self.rows = rows
        self.depth = depth
        self.guides = guides

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
                added = infos[self._seen:]
                for info in added:
                    if self._matches(info, model):
                        self.index[info.id] = len(self.rows)
                        self.rows.append(info.id)
                    elif not self._shown(info):
                        self.hidden += 1
                self._extend_prefix(model, self._seen, added)
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
