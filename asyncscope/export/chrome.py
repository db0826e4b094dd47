"""Chrome's Trace Event Format (JSON), which Perfetto UI, chrome://tracing and speedscope open.

The file is ``{"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}``,
written event by event (the array is opened first and closed last), never held in memory.
Times (``ts``, ``dur``) are microseconds of loop time with nanosecond decimals.

What maps to what: the program is one process (``pid`` from the trace); every task is one
thread (``tid`` = its task id, its ``thread_name`` the task's name at the end of the run,
``thread_sort_index`` its id so tracks come in creation order: the format cannot nest
them); "outside any task" is the thread whose ``tid`` is the pid (a task whose id equals
the pid is given ``tid`` 2147483647). A step is a complete event (``ph`` ``X``, ``cat``
``step``); an output line, a diagnostic, a wait or the end an instant (``ph`` ``i``,
``s`` ``t``, ``cat`` ``output``, ``diagnostic``, ``wait`` or ``run``); an arrow is a flow
event pair (``ph`` ``s`` at the start of the slice it leaves, ``ph`` ``f`` with ``bp``
``e`` at the start of the slice it reaches, the same ``id``, ``cat`` ``flow`` and ``name``
``task``): the older flow events, because one step may start several arrows (a
``bind_id`` binds one). Counters (resources, not reported yet) are ``ph`` ``C``.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from asyncscope.export.mapping import PROGRAM_TRACK, Track

__all__ = ["ChromeWriter"]

COLLIDING_TID = (1 << 31) - 1


class ChromeWriter:
    """Writes :class:`~asyncscope.export.mapping.Writer` calls as Trace Event JSON to ``out``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._chunks: list[str] = []
        self._pid = 1
        self._threads: dict[int, tuple[str, int]] = {}
        self._counters: dict[int, tuple[str, int]] = {}
        self._labels: dict[str, str] = {}

    def _tid(self, track: Track) -> int:
        if track.tid == PROGRAM_TRACK:
            return self._pid
        return COLLIDING_TID if track.tid == self._pid else track.tid

    def process(self, pid: int, name: str, argv: list[str], labels: dict[str, str]) -> None:
        self._pid = pid
        self._labels = {**labels, "argv": " ".join(argv)}
        self._out.write(b'{"traceEvents":[\n')
        self._chunks.append(f'{{"ph":"M","name":"process_name","pid":{pid},"tid":{pid},'
                            f'"args":{{"name":{json.dumps(name)}}}}}')

    def track(self, track: Track) -> None:
        tid = self._tid(track)
        self._threads[tid] = (track.name, track.tid)
        if track.cache is None and not track.done:
            where = f',"pid":{self._pid},"tid":{tid}'
            track.cache = (f'{where},"name":{json.dumps(track.coro)}', where)

    def slice(self, track: Track, start: int, end: int, args: dict[str, Any] | None,
              flows_out: list[int] | None, flows_in: list[int] | None) -> None:
        named, where = track.cache
        ts = start / 1000
        if args is None:
            self._chunks.append(f',\n{{"ph":"X","cat":"step","ts":{ts!r},"dur":{(end - start) / 1000!r}{named}}}')
        else:
            self._chunks.append(f',\n{{"ph":"X","cat":"step","ts":{ts!r},"dur":{(end - start) / 1000!r}{named},'
                                f'"args":{json.dumps(args)}}}')
        if flows_out:
            for flow in flows_out:
                self._chunks.append(f',\n{{"ph":"s","cat":"flow","name":"task","id":{flow},"ts":{ts!r}{where}}}')
        if flows_in:
            for flow in flows_in:
                self._chunks.append(f',\n{{"ph":"f","bp":"e","cat":"flow","name":"task","id":{flow},'
                                    f'"ts":{ts!r}{where}}}')

    def instant(self, track: Track, ts: int, name: str, category: str, args: dict[str, Any] | None) -> None:
        extra = f',"args":{json.dumps(args)}' if args else ""
        self._chunks.append(f',\n{{"ph":"i","s":"t","cat":"{category}","ts":{ts / 1000!r},"pid":{self._pid},'
                            f'"tid":{self._tid(track)},"name":{json.dumps(name)}{extra}}}')

    def retire(self, track: Track) -> None:
        track.cache = None  # its last step is written

    def counter_track(self, key: int, name: str, parent: Track | None, unit: str | None) -> None:
        self._counters[key] = (name, self._tid(parent) if parent is not None else self._pid)

    def counter(self, key: int, ts: int, value: float) -> None:
        name, tid = self._counters[key]
        self._chunks.append(f',\n{{"ph":"C","ts":{ts / 1000!r},"pid":{self._pid},"tid":{tid},'
                            f'"name":{json.dumps(name)},"args":{{"value":{float(value)!r}}}}}')

    def flush(self) -> None:
        if self._chunks:
            self._out.write("".join(self._chunks).encode("ascii"))
            self._chunks.clear()

    def close(self) -> None:
        pid = self._pid
        for count, (tid, (name, rank)) in enumerate(self._threads.items()):
            self._chunks.append(f',\n{{"ph":"M","name":"thread_name","pid":{pid},"tid":{tid},'
                                f'"args":{{"name":{json.dumps(name)}}}}}')
            self._chunks.append(f',\n{{"ph":"M","name":"thread_sort_index","pid":{pid},"tid":{tid},'
                                f'"args":{{"sort_index":{rank}}}}}')
            if count % 4096 == 4095:
                self.flush()
        self.flush()
        other = json.dumps({"producer": "asyncscope", "timestamps": "loop time of the run", **self._labels})
        self._out.write(f'\n],\n"displayTimeUnit":"ms",\n"otherData":{other}}}\n'.encode("ascii"))
