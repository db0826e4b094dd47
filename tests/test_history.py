"""The state at any moment (issue #11): snapshots plus a short fold give exactly what a
fold from the start gives, and neither the live state nor a snapshot is changed by the
other folding on."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import PROGRAMS, run_cli

from asyncscope.history import RunHistory
from asyncscope.model import Model
from asyncscope.model import Model as _Model
from asyncscope.narration import Narrator
from asyncscope.source import TraceSource
from asyncscope.verdict import to_json


def _events(target: str, tmp_path: Path) -> list:
    trace = tmp_path / "run.trace"
    run_cli("run", "--headless", "--json", "--trace", str(trace), target)
    source = TraceSource(str(trace))
    source.start()
    return [event for batch in source.batches() for event in batch]


def _picture(model: Model) -> tuple:
    """Everything a pane shows: the report's JSON, the timeline's marks and histories,
    the narration in words."""
    narrator = model.narrator
    assert narrator is not None
    tasks = {tid: (info.history, info.prints, info.flags) for tid, info in model.tasks.items()}
    said = [sentence.render(model.task_name) for sentence in narrator.sentences]
    return to_json(model, "virtual"), tasks, said, model.events_applied


@pytest.mark.parametrize("narration_kept", [500, 4])
@pytest.mark.parametrize("target", ["gather", "taskgroup", "queue_workers", "deadlock", "sequential",
                                    str(PROGRAMS / "output_mix.py"), str(PROGRAMS / "cancel_causes.py")])
def test_the_state_at_any_moment_is_the_fold_from_the_start(target: str, narration_kept: int,
                                                            tmp_path: Path) -> None:
    events = _events(target, tmp_path)

    def Model() -> _Model:  # noqa: N802  # a narrator that keeps only a few sentences makes
        # a jump count most of them quietly instead of saying them (Narrator.hush)
        return _Model(narrator=Narrator(limit=narration_kept))

    # Many snapshots, thinned out as the run grows, and events sealed in small chunks:
    # every path between them is taken.
    history = RunHistory(Model, every=6, max_snapshots=4, chunk=3)
    for start in range(0, len(events), 5):  # arriving in batches, as from a live run
        history.append(events[start:start + 5])
    moments = sorted({0, 1, 2, 3, 6, 7, 8, 12, 13, len(events) // 3, len(events) // 2, len(events) - 1, len(events)})
    fresh = Model()
    for shown in range(len(events) + 1):
        past = history.state_at(shown)
        # The narration at every moment: which sentences a jump makes and which it only
        # counts depends on where the moment falls.
        assert past.narrator.sentences == fresh.narrator.sentences, shown
        assert past.narrator.dropped == fresh.narrator.dropped, shown
        if shown < len(events):
            fresh.apply(events[shown])
    for shown in moments:
        fresh = Model()
        fresh.apply_batch(events[:shown])
        past = history.state_at(shown)
        assert _picture(past) == _picture(fresh), shown
        # Folding on from the past leaves the live state and the snapshots as they were.
        history.advance(past, shown, len(events))
        assert _picture(past) == _picture(history.live)
    fresh = Model()
    fresh.apply_batch(events)
    assert _picture(history.live) == _picture(fresh)
    assert _picture(history.state_at(len(events) // 2)) == _picture(_fold(events[: len(events) // 2], Model()))
    assert len(history._snapshots) <= 4 and (history.every > 6 or len(events) < 24)  # bounded: the spacing doubled
    assert history.events(0, len(events)) == events  # sealed and decoded again, unchanged


def _fold(events: list, model: _Model | None = None) -> _Model:
    model = model or _Model()
    model.apply_batch(events)
    return model


def test_a_moment_is_found_by_loop_time(tmp_path: Path) -> None:
    history = RunHistory(every=4)
    history.append(_events("sequential", tmp_path))
    at_one_and_a_half = history.state_at(history.index_at(1.5))  # main sleeps 2 s after "you say,"
    assert [line.text for line in at_one_and_a_half.output] == ["you say,"]
    later = history.state_at(history.index_at(2.5))
    assert [line.text for line in later.output] == ["you say,", "goodbye", "I say,"]
    assert history.time_at(history.index_at(1.5)) <= 1.5
    assert history.index_at(-1) == 0
    assert history.index_at(1e9) == len(history)


def test_snapshots_are_placed_by_what_folding_costs_not_by_count() -> None:
    """Creating and ending tasks costs a jump about twice what a step does, so where a run
    makes and ends many tasks, snapshots come closer together (counted in events): the
    worst jump of a churning run was 1.5x slower than the rest (docs/performance.md)."""
    from asyncscope.events import Step, TaskCreated, TaskDone
    from asyncscope.history import WEIGHTS

    tasks = 200
    made = [TaskCreated(0.0, tid, f"Task-{tid}", "work", None, None, False) for tid in range(1, tasks + 1)]
    stepped = [Step(0.0, tid, 10, None, None) for tid in range(1, tasks + 1)]
    ended = [TaskDone(0.0, tid, 10, "done", None, None, None, None) for tid in range(1, tasks + 1)]
    events = made + stepped + ended + stepped[:50] * 4
    history = RunHistory(Model, every=40, max_snapshots=100, chunk=16)
    history.append(events)
    taken = list(history._taken_at)

    def gap_within(start: int, stop: int) -> int:
        return next(later - earlier for earlier, later in zip(taken, taken[1:], strict=False)
                    if earlier >= start and later <= stop)

    creating = gap_within(0, tasks)
    ending = gap_within(2 * tasks, 3 * tasks)
    stepping = gap_within(3 * tasks, len(events))
    assert stepping == 40
    assert creating == -(-40 // WEIGHTS[TaskCreated]) < stepping
    assert ending == -(-40 // WEIGHTS[TaskDone]) < creating
    # And every moment is still the fold from the start.
    for shown in (0, 17, 23, 401, 455, len(events)):
        assert _picture_tasks(history.state_at(shown)) == _picture_tasks(_fold(events[:shown]))


def _picture_tasks(model: _Model) -> dict:
    return {tid: (info.state, info.steps, info.ended_at, info.history) for tid, info in model.tasks.items()}
