"""``asyncscope export TRACE -o OUT [--format perfetto|chrome]`` (issue 13, export).

Each scenario is recorded with ``--trace``, exported in both formats the way a user does it,
and the files are read back with other readers than the writer (Perfetto's own generated
protobuf classes; ``json`` against the Trace Event format's documented fields), then held
against the trace they came from: a track per task with its name and its creator, a slice
per step that never overlaps the one before, every output line, wait and diagnostic, and an
arrow from each creating task and each awaited task.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cli_support import PROGRAMS, run_cli

from asyncscope import wording
from asyncscope.events import Diagnostic, Hello, Step, TaskCreated, TaskDone
from asyncscope.export import export_trace
from asyncscope.model import Model
from asyncscope.trace import MAGIC, read_trace

trace_pb2 = pytest.importorskip("perfetto.protos.perfetto.trace.perfetto_trace_pb2")

SCENARIOS = ["gather", "create_task", "taskgroup", "wait_first", "never_awaited"]
TRACK_BASE = 1 << 32
PROCESS_UUID = 1
BEGIN, END, INSTANT = 1, 2, 3


# -- what the trace says ------------------------------------------------------------------


@dataclass
class Expected:
    """What any faithful export of a trace must show, worked out from the trace alone."""

    hello: Hello
    names: dict[int, str]
    coros: dict[int, str]
    parents: dict[int, int | None]
    steps: dict[int, list[tuple[int, int]]]
    """Per task, each step's (end ns, duration ns) in order."""
    output: list[tuple[int | None, str, int]]
    """Every output line: (task, text, ns of its first fragment)."""
    waits: Counter[int]
    diagnostics: list[tuple[int | None, str]]
    arrows: Counter[tuple[int, int]]
    end_status: str


def _ns(t: float) -> int:
    return int(t * 1e9 + 0.5)


def expected_from(trace: Path) -> Expected:
    events = [event for batch in read_trace(str(trace)) for event in batch]
    model = Model()
    model.apply_all(events)
    assert model.hello is not None and model.end is not None
    steps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    waits: Counter[int] = Counter()
    arrows: Counter[tuple[int, int]] = Counter()
    latest_wait: dict[int, Any] = {}
    for event in events:
        if isinstance(event, TaskCreated) and event.parent is not None:
            arrows[(event.parent, event.task)] += 1  # the creator's step -> the task's first
        elif isinstance(event, Step):
            steps[event.task].append((_ns(event.t), event.dur_ns))
            latest_wait[event.task] = event.wait
            waits[event.task] += event.wait is not None
        elif isinstance(event, TaskDone):
            steps[event.task].append((_ns(event.t), event.dur_ns))
            for awaiter, wait in latest_wait.items():  # whoever still waits on it is woken
                if wait is not None and wait.kind in ("task", "gather") and event.task in (wait.tasks or ()):
                    arrows[(event.task, awaiter)] += 1
            latest_wait[event.task] = None
    return Expected(
        hello=model.hello,
        names={tid: info.name for tid, info in model.tasks.items()},
        coros={tid: info.coro for tid, info in model.tasks.items()},
        parents={tid: info.parent for tid, info in model.tasks.items()},
        steps=dict(steps),
        output=[(line.task, line.text, _ns(line.t)) for line in model.output],
        waits=waits,
        diagnostics=[(event.task, event.kind) for event in events if isinstance(event, Diagnostic)],
        arrows=arrows,
        end_status=model.end.status,
    )


# -- what the files say -------------------------------------------------------------------


@dataclass
class Read:
    """A file read back: per track id (a task id; 0 for "outside any task")."""

    process_name: str = ""
    pid: int = -1
    names: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)
    slices: dict[int, list[tuple[int, int, str, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))
    """(start ns, end ns, name, args) in the file's order."""
    instants: dict[int, list[tuple[int, str, str, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))
    """(ns, name, category, args)."""
    arrows: Counter[tuple[int, int]] = field(default_factory=Counter)
    arrow_times: list[tuple[int, int]] = field(default_factory=list)
    """Each arrow's (start of the slice it leaves, start of the slice it reaches)."""


def _annotations(event: Any) -> dict[str, Any]:
    values = {}
    for annotation in event.debug_annotations:
        kind = annotation.WhichOneof("value")
        values[annotation.name] = getattr(annotation, kind) if kind else None
    return values


def read_perfetto(path: Path, whole: bool = True) -> Read:
    trace = trace_pb2.Trace()
    trace.ParseFromString(path.read_bytes())  # the perfetto package's generated classes
    read = Read()
    interned: dict[int, str] = {}
    open_slices: dict[int, tuple[int, str, dict[str, Any]]] = {}
    sources: dict[int, int] = {}
    targets: dict[int, int] = {}
    begins: dict[int, int] = {}
    reaches: dict[int, int] = {}
    assert trace.packet[0].sequence_flags == trace_pb2.TracePacket.SEQ_INCREMENTAL_STATE_CLEARED

    def tid(uuid: int) -> int:
        assert uuid >= TRACK_BASE, uuid
        return uuid - TRACK_BASE

    for packet in trace.packet:
        assert packet.trusted_packet_sequence_id == 1
        for name in packet.interned_data.event_names:
            interned[name.iid] = name.name
        if packet.HasField("track_descriptor"):
            descriptor = packet.track_descriptor
            if descriptor.HasField("process"):
                assert descriptor.uuid == PROCESS_UUID
                read.pid = descriptor.process.pid
                read.process_name = descriptor.process.process_name
            else:  # a descriptor written again (a rename) replaces the name
                assert descriptor.sibling_merge_behavior == trace_pb2.TrackDescriptor.SIBLING_MERGE_BEHAVIOR_NONE
                read.names[tid(descriptor.uuid)] = descriptor.name
                parent = descriptor.parent_uuid
                read.parents[tid(descriptor.uuid)] = None if parent == PROCESS_UUID else tid(parent)
        if packet.HasField("track_event"):
            event = packet.track_event
            track = tid(event.track_uuid)
            assert track in read.names, "an event on a track not yet described"
            if event.type == BEGIN:
                assert track not in open_slices, "slices on one track nest or overlap"
                open_slices[track] = (packet.timestamp, interned[event.name_iid], _annotations(event))
                for flow in event.flow_ids:
                    sources[flow] = track
                    begins[flow] = packet.timestamp
                for flow in event.terminating_flow_ids:
                    targets[flow] = track
                    reaches[flow] = packet.timestamp
            elif event.type == END:
                start, name, args = open_slices.pop(track)
                read.slices[track].append((start, packet.timestamp, name, args))
            elif event.type == INSTANT:
                (category,) = event.categories
                read.instants[track].append((packet.timestamp, event.name, category, _annotations(event)))
    assert not open_slices
    if whole:  # (a trace cut short may leave an arrow's start without its end)
        assert sources.keys() == targets.keys(), "every arrow has both ends"
    read.arrows = Counter((sources[flow], targets[flow]) for flow in sources if flow in targets)
    read.arrow_times = [(begins[flow], reaches[flow]) for flow in sources if flow in targets]
    return read


def read_chrome(path: Path, whole: bool = True) -> Read:
    document = json.loads(path.read_text())
    assert document["displayTimeUnit"] in ("ms", "ns")
    events = document["traceEvents"]
    read = Read()
    (process,) = [e for e in events if e["ph"] == "M" and e["name"] == "process_name"]
    read.pid = process["pid"]
    read.process_name = process["args"]["name"]
    threads = {e["tid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}

    def tid(thread: int) -> int:
        return 0 if thread == read.pid else thread  # "outside any task" is the pid's thread

    def ns(micros: float) -> int:
        return round(micros * 1000)

    for thread, name in threads.items():
        read.names[tid(thread)] = name
    sources: dict[int, tuple[int, float]] = {}
    targets: dict[int, tuple[int, float]] = {}
    for event in events:
        assert event["pid"] == read.pid
        assert isinstance(event["tid"], int)
        phase = event["ph"]
        if phase == "X":
            assert isinstance(event["ts"], (int, float)) and event["dur"] >= 0 and event["cat"] == "step"
            start = ns(event["ts"])
            read.slices[tid(event["tid"])].append((start, start + ns(event["dur"]), event["name"],
                                                   event.get("args", {})))
        elif phase == "i":
            assert event["s"] == "t"
            read.instants[tid(event["tid"])].append((ns(event["ts"]), event["name"], event["cat"],
                                                     event.get("args", {})))
        elif phase in ("s", "f"):
            assert event["cat"] == "flow" and event["name"] == "task"  # both ends alike, as the format asks
            if phase == "f":
                assert event["bp"] == "e"
            (sources if phase == "s" else targets)[event["id"]] = (tid(event["tid"]), event["ts"])
        else:
            assert phase == "M"
    if whole:
        assert sources.keys() == targets.keys(), "every arrow has both ends"
    for flow, end in [*sources.items(), *targets.items()]:  # a flow event binds to the slice around it
        track, micros = end
        assert any(start <= ns(micros) <= stop for start, stop, _, _ in read.slices[track]), flow
    read.arrows = Counter((sources[flow][0], targets[flow][0]) for flow in sources if flow in targets)
    read.arrow_times = [(ns(sources[flow][1]), ns(targets[flow][1])) for flow in sources if flow in targets]
    return read


READERS = {"perfetto": (read_perfetto, ".pftrace"), "chrome": (read_chrome, ".json")}


# -- the checks ---------------------------------------------------------------------------


def check_against_trace(read: Read, expected: Expected, nested: bool = False) -> None:
    """``nested``: the run has steps inside steps (eager tasks)."""
    hello = expected.hello
    assert read.pid == hello.pid
    assert read.process_name == os.path.basename(hello.target)

    # One track per task, named as in the task table, under the task that created it.
    tasks = {tid for tid in read.names if tid != 0}
    assert tasks == set(expected.names)
    for tid, name in expected.names.items():
        assert read.names[tid] == name
        if tid in read.parents:  # (Chrome's threads cannot nest)
            assert read.parents[tid] == expected.parents[tid]
    assert read.names[0] == "outside any task"

    # A slice per step, named after the coroutine, ending when the step ended, never
    # overlapping the previous slice of its track.
    assert {tid: len(s) for tid, s in read.slices.items()} == {tid: len(s) for tid, s in expected.steps.items()}
    for tid, slices in read.slices.items():
        previous_end = 0
        for (start, end, name, _), (step_end, duration) in zip(slices, expected.steps[tid], strict=True):
            assert name == expected.coros[tid]
            assert start >= previous_end, f"{expected.names[tid]}: overlapping steps"
            assert end == step_end or end == start  # (squeezed to nothing after the step before it)
            if not nested:
                assert end - start <= duration  # shortened at most, to begin after the step before
            previous_end = end
        assert slices[-1][3]["state"] in ("done", "failed", "cancelled")  # the last step says how it ended
    if not nested:  # the loop runs one step at a time, and so do the slices
        everything = sorted((start, end) for slices in read.slices.values() for start, end, _, _ in slices)
        assert all(b[0] >= a[1] for a, b in zip(everything, everything[1:], strict=False)), "two steps at once"

    # Every output line, with its text, when it was printed, on the track of its task.
    outputs = [(tid or None, name if "text" not in args else args["text"], ts)
               for tid, instants in read.instants.items()
               for ts, name, category, args in instants if category == "output"]
    assert sorted(outputs, key=lambda o: (o[2], o[1])) == sorted(expected.output, key=lambda o: (o[2], o[1]))

    # Every wait a step ends in, with what it waits on; every diagnostic; the end.
    waits = Counter({tid: sum(category == "wait" for _, _, category, _ in instants)
                     for tid, instants in read.instants.items()})
    assert +waits == +expected.waits
    for tid, slices in read.slices.items():
        wait_times = [ts for ts, _, category, _ in read.instants[tid] if category == "wait"]
        ends = {end for _, end, _, _ in slices}
        assert all(ts in ends for ts in wait_times), "a wait starts when a step ends"
    diagnostics = [(tid or None, name) for tid, instants in read.instants.items()
                   for _, name, category, _ in instants if category == "diagnostic"]
    assert sorted(diagnostics, key=str) == sorted(expected.diagnostics, key=str)
    ((end_name, end_args),) = [(name, args) for _, name, category, args in read.instants[0] if category == "run"]
    assert end_name == f"end: {expected.end_status}"

    # An arrow from each creating task to the task it created, and from each awaited task
    # to each task waiting on it when it finished; it leaves a step that began before the
    # one it reaches (viewers draw arrows in time order: one pointing back is dropped).
    assert read.arrows == expected.arrows
    assert all(source <= target for source, target in read.arrow_times), "an arrow points back in time"


def record(target: str, trace: Path) -> Path:
    """``asyncscope run --headless --trace TRACE TARGET``, as a user records a run."""
    result = run_cli("run", "--headless", "--json", "--trace", str(trace), target)
    assert trace.exists(), result.stderr
    return trace


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    traces = {}
    for name in SCENARIOS:
        trace = tmp_path_factory.mktemp(name) / f"{name}.trace"
        traces[name] = record(name, trace)
    return traces


@pytest.mark.parametrize("fmt", ["perfetto", "chrome"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_an_export_shows_every_task_step_line_wait_and_arrow_of_the_trace(
        recorded: dict[str, Path], scenario: str, fmt: str, tmp_path: Path) -> None:
    reader, suffix = READERS[fmt]
    out = tmp_path / f"{scenario}{suffix}"
    args = ["export", str(recorded[scenario]), "-o", str(out)] + (["--format", fmt] if fmt != "perfetto" else [])
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(f"asyncscope: wrote {out} ({fmt}):")
    check_against_trace(reader(out), expected_from(recorded[scenario]))
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # nothing left beside it


def test_the_create_task_example_reads_as_on_screen(recorded: dict[str, Path], tmp_path: Path) -> None:
    """The seed's example: main creates goodbye and hello; hello prints at 1 s, goodbye at 2 s."""
    out = tmp_path / "create_task.pftrace"
    wording.set_language("en")
    export_trace(str(recorded["create_task"]), str(out), "perfetto")
    read = read_perfetto(out)
    tracks = {slices[0][2]: tid for tid, slices in read.slices.items()}  # coroutine -> track
    lines = {name: (tid, ts) for tid, instants in read.instants.items()
             for ts, name, category, _ in instants if category == "output"}
    assert lines["hello"][0] == tracks["hello"] and lines["goodbye"][0] == tracks["goodbye"]
    assert lines["hello"][1] == pytest.approx(1e9, abs=5e6)
    assert lines["goodbye"][1] == pytest.approx(2e9, abs=5e6)
    assert read.parents[tracks["hello"]] == read.parents[tracks["goodbye"]] == tracks["main"]
    assert read.names[tracks["main"]] == "Task-1"
    waits = {tid: [name for _, name, category, _ in instants if category == "wait"]
             for tid, instants in read.instants.items()}
    assert waits[tracks["hello"]] == ["sleep → t=1.000"]
    assert waits[tracks["goodbye"]] == ["sleep → t=2.000"]
    assert waits[tracks["main"]] == [read.names[tracks["goodbye"]]]  # main awaits the goodbye task
    assert read.arrows[(tracks["goodbye"], tracks["main"])] == 1  # ... which wakes it when it ends


@pytest.mark.parametrize("fmt", ["perfetto", "chrome"])
def test_a_tasks_last_step_says_how_it_ended(recorded: dict[str, Path], fmt: str, tmp_path: Path) -> None:
    reader, suffix = READERS[fmt]
    out = tmp_path / f"taskgroup{suffix}"
    assert run_cli("export", str(recorded["taskgroup"]), "-o", str(out), "--format", fmt).returncode == 0
    read = reader(out)
    outputs = {tid: [name for _, name, category, _ in instants if category == "output"]
               for tid, instants in read.instants.items()}
    ended = {outputs[tid][0] if outputs.get(tid) else read.names[tid]: slices[-1][3]
             for tid, slices in read.slices.items()}
    assert ended["fast: finished"] == {"state": "done"}
    assert ended["slow: cancelled"] == {"state": "cancelled", "cancelled by": "TaskGroup (a sibling task failed)"}
    assert {"state": "failed", "error": "ValueError: broken failed"} in ended.values()


@pytest.mark.parametrize("fmt", ["perfetto", "chrome"])
def test_diagnostics_are_worded_in_the_language_asked_for(recorded: dict[str, Path], fmt: str, tmp_path: Path) -> None:
    reader, suffix = READERS[fmt]
    texts = {}
    for lang in ("en", "ja"):
        out = tmp_path / f"{lang}{suffix}"
        run_cli("export", str(recorded["never_awaited"]), "-o", str(out), "--format", fmt, "--lang", lang)
        ((name, args),) = [(name, args) for instants in reader(out).instants.values()
                           for _, name, category, args in instants if category == "diagnostic"]
        assert name == "never-awaited"
        texts[lang] = args["text"]
    assert "was never awaited" in texts["en"] and "await されていません" in texts["ja"]


def test_times_are_the_loop_clock_in_both_formats(recorded: dict[str, Path], tmp_path: Path) -> None:
    trace = str(recorded["gather"])
    export_trace(trace, str(tmp_path / "a.pftrace"), "perfetto")
    export_trace(trace, str(tmp_path / "a.json"), "chrome")
    perfetto, chrome = read_perfetto(tmp_path / "a.pftrace"), read_chrome(tmp_path / "a.json")
    assert {tid: [s[:2] for s in slices] for tid, slices in perfetto.slices.items()} == \
        {tid: [s[:2] for s in slices] for tid, slices in chrome.slices.items()}
    ends = [end for slices in perfetto.slices.values() for _, end, _, _ in slices]
    assert 2.0e9 < max(ends) < 2.1e9  # gather's longest sleep is 2 s: the run ends just after


def _program(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "program.py"
    path.write_text(textwrap.dedent(source))
    return path


def test_a_task_renamed_after_its_first_step_keeps_one_track_with_its_new_name(tmp_path: Path) -> None:
    program = _program(tmp_path, """
        import asyncio

        async def worker():
            await asyncio.sleep(0.1)
            asyncio.current_task().set_name("renamed-worker")
            await asyncio.sleep(0.1)
            print("done")

        async def main():
            await asyncio.create_task(worker(), name="worker")

        asyncio.run(main())
    """)
    trace = tmp_path / "run.trace"
    record(str(program), trace)
    for fmt, (reader, suffix) in READERS.items():
        out = tmp_path / f"out{suffix}"
        export_trace(str(trace), str(out), fmt)
        read = reader(out)
        assert "renamed-worker" in read.names.values() and "worker" not in read.names.values()
        check_against_trace(read, expected_from(trace))


@pytest.mark.skipif(sys.version_info < (3, 12), reason="eager tasks exist from 3.12 on")
@pytest.mark.parametrize("fmt", ["perfetto", "chrome"])
def test_an_eager_tasks_first_step_inside_its_creators_keeps_its_arrow(
        recorded: dict[str, Path], fmt: str, tmp_path: Path) -> None:
    trace = tmp_path / "eager.trace"
    record("eager_tasks", trace)
    reader, suffix = READERS[fmt]
    out = tmp_path / f"eager{suffix}"
    export_trace(str(trace), str(out), fmt)
    expected = expected_from(trace)
    assert expected.arrows  # main creates them
    check_against_trace(reader(out), expected, nested=True)


def test_tasks_nest_at_most_eight_deep(tmp_path: Path) -> None:
    program = _program(tmp_path, """
        import asyncio

        async def level(n):
            if n:
                await asyncio.create_task(level(n - 1))
            else:
                print("deepest")

        asyncio.run(level(12))
    """)
    trace = tmp_path / "run.trace"
    record(str(program), trace)
    export_trace(str(trace), str(tmp_path / "out.pftrace"), "perfetto")
    read = read_perfetto(tmp_path / "out.pftrace")
    expected = expected_from(trace)

    def depth(tid: int | None) -> int:
        return 0 if tid is None else 1 + depth(read.parents[tid])

    def ancestors(tid: int | None) -> list[int]:
        return [] if tid is None else [tid, *ancestors(expected.parents[tid])]

    assert max(depth(tid) for tid in read.parents) == 8
    for tid, parent in read.parents.items():
        assert parent is None or parent in ancestors(expected.parents[tid])  # under its creator, or higher up
    assert read.arrows == expected.arrows  # the arrows still go from creator to created


# -- errors -------------------------------------------------------------------------------


def _one_line_error(result: Any) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(("content", "says"), [
    (None, "cannot read"),
    (b"", "empty"),
    (b"hello, world\n", "not an asyncscope trace"),
    (MAGIC[:7] + bytes([MAGIC[7] + 1]), "schema version"),
    (MAGIC + (5).to_bytes(4, "little") + b"\xc1\xc1\xc1\xc1\xc1", "corrupt"),
], ids=["missing", "empty", "not-a-trace", "other-version", "corrupt"])
@pytest.mark.parametrize("fmt", ["perfetto", "chrome"])
def test_a_bad_trace_is_a_one_line_error_and_nothing_is_written(
        content: bytes | None, says: str, fmt: str, tmp_path: Path) -> None:
    trace = tmp_path / "bad.trace"
    if content is not None:
        trace.write_bytes(content)
    out = tmp_path / "out"
    out.write_text("kept")
    result = run_cli("export", str(trace), "-o", str(out), "--format", fmt)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert line.startswith("asyncscope: error:") and says in line
    assert out.read_text() == "kept"  # the previous file is untouched
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == (["bad.trace", "out"] if content is not None else ["out"])  # no part-written file


@pytest.mark.parametrize("fmt", ["perfetto", "chrome"])
def test_a_truncated_trace_is_exported_up_to_its_last_whole_batch_and_says_so(
        recorded: dict[str, Path], fmt: str, tmp_path: Path) -> None:
    whole = recorded["gather"].read_bytes()
    trace = tmp_path / "cut.trace"
    trace.write_bytes(whole[:-3])
    reader, suffix = READERS[fmt]
    out = tmp_path / f"cut{suffix}"
    result = run_cli("export", str(trace), "-o", str(out), "--format", fmt)
    assert result.returncode == 1
    assert "truncated" in _one_line_error(result)
    read = reader(out, whole=False)  # a whole, readable file
    assert [name for _, name, category, _ in read.instants[0] if category == "diagnostic"] == ["trace-truncated"]
    assert sum(len(s) for s in read.slices.values()) > 0


@pytest.mark.parametrize(("target", "says"), [
    (".", "is a directory"),
    ("no/such/dir/out.json", "cannot write"),
    ("a-file/out.json", "cannot write"),
], ids=["directory", "missing-directory", "under-a-file"])
def test_an_output_that_cannot_be_written_is_a_one_line_error(
        recorded: dict[str, Path], target: str, says: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    result = run_cli("export", str(recorded["gather"]), "-o", target, "--format", "chrome", cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line_error(result)
    assert line.startswith("asyncscope: error: cannot write") and says in line


def test_the_trace_itself_is_never_overwritten(recorded: dict[str, Path], tmp_path: Path) -> None:
    trace = tmp_path / "run.trace"
    trace.write_bytes(recorded["gather"].read_bytes())
    result = run_cli("export", str(trace), "-o", str(trace))
    assert result.returncode == 2 and "is the trace being exported" in _one_line_error(result)
    assert trace.read_bytes() == recorded["gather"].read_bytes()


def test_an_unknown_format_is_refused_by_the_command(recorded: dict[str, Path], tmp_path: Path) -> None:
    result = run_cli("export", str(recorded["gather"]), "-o", str(tmp_path / "x"), "--format", "svg")
    assert result.returncode == 2 and "Invalid value for '--format'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_hostile_program_exports(tmp_path: Path) -> None:
    """Markup, huge lines and output outside any task reach the file as text."""
    trace = tmp_path / "run.trace"
    record(str(PROGRAMS / "markup.py"), trace)
    for fmt, (reader, suffix) in READERS.items():
        out = tmp_path / f"out{suffix}"
        export_trace(str(trace), str(out), fmt)
        check_against_trace(reader(out), expected_from(trace))


# -- resources: the extension point ------------------------------------------------------


def test_both_writers_draw_counter_tracks_for_resources_to_come(tmp_path: Path) -> None:
    import io

    from asyncscope.export.chrome import ChromeWriter
    from asyncscope.export.mapping import Track
    from asyncscope.export.perfetto import COUNTER_UUID_BASE, PerfettoWriter

    for writer_type in (PerfettoWriter, ChromeWriter):
        stream = io.BytesIO()
        writer = writer_type(stream)
        writer.process(42, "prog.py", [], {})
        owner = Track(1, "Task-1", "main", None)
        writer.track(owner)
        writer.counter_track(7, "queue size", owner, "items")
        writer.counter(7, 1_000_000, 3)
        writer.counter(7, 2_000_000, 0)
        writer.close()
        if writer_type is PerfettoWriter:
            trace = trace_pb2.Trace()
            trace.ParseFromString(stream.getvalue())
            values = [(p.timestamp, p.track_event.double_counter_value) for p in trace.packet
                      if p.HasField("track_event") and p.track_event.track_uuid == COUNTER_UUID_BASE + 7]
            (counter,) = [p.track_descriptor for p in trace.packet
                          if p.HasField("track_descriptor") and p.track_descriptor.HasField("counter")]
            assert counter.name == "queue size" and counter.parent_uuid == TRACK_BASE + 1
        else:
            events = json.loads(stream.getvalue())["traceEvents"]
            values = [(round(e["ts"] * 1000), e["args"]["value"]) for e in events if e["ph"] == "C"]
        assert values == [(1_000_000, 3.0), (2_000_000, 0.0)]


def test_queue_sizes_and_semaphore_slots_are_counter_tracks(tmp_path: Path) -> None:
    """Resources as counters (issue 13 with issue 12): the queue of queue_workers fills to
    its maxsize of 2 and empties; a Semaphore(2)'s free slots go to 0 and back."""
    for scenario, name, low, high in (("queue_workers", "queue (Queue size)", 0, 2),
                                      ("semaphore", "limit (Semaphore free)", 0, 2)):
        trace = record(scenario, tmp_path / f"{scenario}.trace")
        out = tmp_path / f"{scenario}.json"
        assert run_cli("export", str(trace), "-o", str(out), "--format", "chrome").returncode == 0
        events = json.loads(out.read_text())["traceEvents"]
        values = [event["args"]["value"] for event in events if event["ph"] == "C" and event["name"] == name]
        assert values and min(values) == low and max(values) == high, (name, values)
