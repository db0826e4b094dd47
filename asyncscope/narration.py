"""Narration: the last few steps of a run in plain words, English and Japanese.

A learner stepping through a scenario reads here what each step did: "main awaits
goodbye() — same task, no new task", "Task-2 sleeps until t=1.000", "Task-2 wakes,
prints 'hello', finishes". The narrator is part of the run state: ``Model.apply`` calls
:meth:`Narrator.observe` just *before* folding an event, so it can compare a task's
previous state with the new one. It keeps *facts* (a key of :data:`NARRATION` and its
fields); a sentence is worded when it is shown, in the language chosen then
(``wording.language()``), naming tasks as the model shown calls them. Every key has both
languages (``tests/tui/test_narration.py`` checks). No UI imports: this is plain logic.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from asyncscope import wording
from asyncscope.display import quote, safe_text
from asyncscope.events import (
    Diagnostic,
    End,
    Event,
    Output,
    Step,
    TaskCreated,
    TaskDone,
    Tick,
    Wait,
)

if TYPE_CHECKING:
    from asyncscope.model import Model, TaskInfo

__all__ = ["NARRATION", "Narrator", "Sentence", "TaskRef", "say"]

NARRATION: dict[str, dict[str, str]] = {
    "run-creates": {
        "en": "{task} for {coro}(): asyncio.run() wraps the coroutine in a task and runs it on a new event loop",
        "ja": "{task}({coro}()): asyncio.run() がコルーチンをタスクで包み、新しいイベントループで実行します",
    },
    "creates": {
        "en": "{parent} creates {task} for {coro}() — a new task, scheduled to run",
        "ja": "{parent} が新しいタスク {task} を作ります({coro}() を実行、実行予約されます)",
    },
    "loop-creates": {
        "en": "The loop creates {task} for {coro}() in {callback} — no task made it",
        "ja": "ループが {callback} の中で {task}({coro}()) を作ります(作ったのはタスクではありません)",
    },
    "creates-outside": {
        "en": "{task} for {coro}() is created outside any task",
        "ja": "{task}({coro}()) はタスクの外で作られます",
    },
    "creates-eager": {
        "en": "{parent} creates {task} for {coro}() — an eager task: its first step runs at once, inside create_task()",
        "ja": "{parent} が eager タスク {task} を作ります"
              "({coro}() の最初のステップは create_task() の中ですぐに実行されます)",
    },
    "starts": {"en": "{task} starts", "ja": "{task} が動き始め"},
    "goes-on": {"en": "{task} goes on", "ja": "{task} が続けて"},
    "runs": {"en": "{task} runs", "ja": "{task} が実行され"},
    "wakes": {"en": "{task} wakes", "ja": "{task} が起きて"},
    "prints": {"en": "prints {text}", "ja": "{text} を表示し"},
    "prints-two": {"en": "prints {text} and {second}", "ja": "{text} と {second} を表示し"},
    "prints-more": {"en": "prints {text} and {more} more lines", "ja": "{text} ほか {more} 行を表示し"},
    "writes-stderr": {"en": "writes {text} to stderr", "ja": "stderr に {text} を書き"},
    "writes-stderr-more": {
        "en": "writes {text} and {more} more to stderr",
        "ja": "stderr に {text} ほか {more} 行を書き",
    },
    "sleeps": {"en": "sleeps until t={until:.3f}", "ja": "t={until:.3f} まで眠ります"},
    "awaits-task": {
        "en": "awaits {tasks} (waits for it to finish)",
        "ja": "{tasks} を await します(終わるまで待ちます)",
    },
    "awaits-gather": {
        "en": "awaits gather() of {count} — they run concurrently",
        "ja": "{count} 個の awaitable をまとめた gather() を await します(並行に実行されます)",
    },
    "waits-sync": {"en": "waits on {detail}", "ja": "{detail} で待ちます"},
    "waits-io": {"en": "waits for I/O ({detail})", "ja": "I/O ({detail}) を待ちます"},
    "waits-thread": {"en": "waits for a thread ({detail})", "ja": "スレッド ({detail}) を待ちます"},
    "waits-future": {"en": "waits on a Future", "ja": "Future を待ちます"},
    "yields": {
        "en": "yields to the loop and is ready again",
        "ja": "ループに制御を返し、すぐまた実行待ちになります",
    },
    "awaits-coro": {
        "en": "{outer} awaits {inner}() — same task, no new task",
        "ja": "{outer} が {inner}() を await します — 同じタスクの中で、新しいタスクは作られません",
    },
    "finishes": {"en": "finishes", "ja": "終了します"},
    "finishes-result": {"en": "finishes, returning {result}", "ja": "{result} を返して終了します"},
    "fails": {"en": "fails with {error}", "ja": "{error} で失敗します"},
    "cancelled": {"en": "is cancelled", "ja": "キャンセルされます"},
    "cancelled-by": {"en": "is cancelled by {by}", "ja": "{by} によってキャンセルされます"},
    "clock-jump": {
        "en": "Nothing is ready: the clock jumps to t={t:.3f}",
        "ja": "実行できるタスクがないので、時計が t={t:.3f} へ進みます",
    },
    "program-prints": {"en": "The program prints {text}", "ja": "プログラムが {text} を表示します"},
    "diagnostic": {"en": "⚠ {kind}: {message}", "ja": "⚠ {kind}: {message}"},
    "end": {
        "en": "The program ends: {status} at t={t:.3f}",
        "ja": "プログラムが終了しました: {status}(t={t:.3f})",
    },
    "joiner": {"en": ", ", "ja": "、"},
    "watch": {"en": "Watch: {text}", "ja": "見どころ: {text}"},
    "start-paused": {
        "en": "Paused before the first step. Press s to run one step, space to run on.",
        "ja": "最初のステップの前で一時停止中です。s で 1 ステップ、スペースで続行します。",
    },
}


def _gist(diagnostic: Diagnostic, names: Callable[[int], str] | None, resources: Any = None,
          limit: int = 90) -> str:
    """A diagnostic short enough for one narration sentence (without repeating its kind:
    "deadlock: no task can ..." must not read "deadlock: deadlock"). A deadlock is told by
    its waits, the part that says why."""
    if diagnostic.kind == "deadlock":
        return wording.deadlock_waits(diagnostic.waits or (), names, resources)
    message = wording.diagnostic_text(diagnostic, names, resources)
    message = message.removeprefix(f"{diagnostic.kind}: ")
    if len(message) > limit:
        message = message.split(": ", 1)[0]
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return message


def say(key: str, lang: str | None = None, **fields: Any) -> str:
    """The sentence ``key`` with ``fields``, in ``lang`` (the current language when None)."""
    table = NARRATION[key]
    return table.get(lang or wording.language(), table["en"]).format(**fields)


class TaskRef(NamedTuple):
    """A task a sentence names. The name is looked up when the sentence is shown, so the
    narration calls a task what the task table calls it, also when it was renamed after the
    sentence was said (``create_task(name=...)`` on 3.11 names the task just after creating it).
    A tuple: one is made per narrated step, and a tuple is the cheapest record to make."""

    id: int
    name: str
    """The name when the sentence was said: used when no model is at hand."""


Part = tuple[str, dict[str, Any]]
"""One clause: a :data:`NARRATION` key and its fields (which may hold :class:`TaskRef`)."""


@dataclass(slots=True)
class Sentence:
    t: float
    words: str | tuple[Part, ...]
    """The sentence: plain text, or clauses worded and joined when it is shown."""
    task: int | None = None
    kind: str = "step"
    """``step``, ``create``, ``clock``, ``output``, ``diagnostic`` or ``end``."""

    @property
    def text(self) -> str:
        """In the current language, with the names tasks had when it was said."""
        return self.render(None)

    def render(self, names: Callable[[int], str] | None, lang: str | None = None, resources: Any = None) -> str:
        """In ``lang`` (the current language when None), naming tasks by ``names``
        (``Model.task_name`` of the moment shown: a task renamed later keeps the name the
        task table gives it)."""
        words = self.words
        if isinstance(words, str):
            return words
        clauses = [say(key, lang, **{name: _resolve(value, names, resources) for name, value in fields.items()})
                   for key, fields in words]
        return say("joiner", lang).join(clauses)


_UNSAID = Sentence(0.0, "", None, "unsaid")
"""What a quiet narrator keeps in place of a sentence (see ``Narrator.quiet``): trimmed
before anyone reads it."""


def _resolve(value: Any, names: Callable[[int], str] | None, resources: Any = None) -> Any:
    if isinstance(value, TaskRef):
        return safe_text(names(value.id) if names is not None else value.name)
    if isinstance(value, list):
        return ", ".join(_resolve(item, names) for item in value)
    if isinstance(value, Diagnostic):
        return _gist(value, names, resources)
    if isinstance(value, Cause):
        return wording.cancel_cause(value.key) or ""
    if isinstance(value, Status):
        return wording.status_word(value.key)
    return value


class Cause(NamedTuple):
    """Why a task was cancelled (``TaskDone.cancelled_by``), worded when shown."""

    key: str


class Status(NamedTuple):
    """How the run ended (``End.status``), worded when shown."""

    key: str


@dataclass
class Narrator:
    """Turns events into sentences; keeps the last ``limit`` of them (up to a quarter more
    between two trims)."""

    limit: int = 500
    sentences: list[Sentence] = field(default_factory=list)
    dropped: int = 0
    _printed: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    """Task → (stream, text) of what it wrote since its step began."""
    _user_chain: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _jump: float | None = None
    """Where the clock is jumping to: a slow-motion jump sends a Tick every few
    milliseconds, and they make one sentence, said when something else happens."""
    _jump_from: float | None = None
    """Where that jump began: a jump too small to show at three decimals is not said."""
    _eager: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Task → (its creator, the creator's steps then), until its first step: a first step
    before the creator's step ends is an eager task's (3.12+)."""
    _last_made_by: tuple[int, int] | None = None
    """The last of those tuples (see :meth:`_made_by`)."""
    quiet: bool = False
    """Keep every part of the state but the sentences: a time-travel jump folds thousands
    of events whose sentences are trimmed before the moment it shows
    (``RunHistory.state_at``), and making them was most of its cost. How many they were
    the history knows (it records the count after every event): see :meth:`unhush`."""

    def clone(self) -> Narrator:
        """A copy that later events do not change (a snapshot of the run state)."""
        return Narrator(self.limit, list(self.sentences), self.dropped,
                        {tid: list(texts) for tid, texts in self._printed.items()},
                        dict(self._user_chain), self._jump, self._jump_from, dict(self._eager))

    def add(self, t: float, words: str | tuple[Part, ...] | Part, task: int | None = None,
            kind: str = "step") -> None:
        if isinstance(words, tuple) and words and isinstance(words[0], str):
            words = (words,)  # type: ignore[assignment]  # one clause
        self._keep(Sentence(t, words, task, kind))  # type: ignore[arg-type]

    def _keep(self, sentence: Sentence) -> None:
        self.sentences.append(sentence)
        if len(self.sentences) > self.limit + self.limit // 4:
            cut = len(self.sentences) - self.limit  # in chunks: a long run does not shift the list per sentence
            del self.sentences[:cut]
            self.dropped += cut

    def _made_by(self, parent: int, steps: int) -> tuple[int, int]:
        """``(parent, steps)`` for :attr:`_eager`, one tuple shared by all the tasks a step
        made: a snapshot copies the dict, and 10,000 tasks made by one ``gather`` cost
        ~0.5 MB a snapshot as 10,000 tuples."""
        last = self._last_made_by
        if last is not None and last[0] == parent and last[1] == steps:
            return last
        made = self._last_made_by = (parent, steps)
        return made

    def hush(self) -> None:
        """From now on keep the state but make no sentences (see :attr:`quiet`)."""
        self.quiet = True

    def unhush(self, said: int) -> None:
        """Make sentences again, ``said`` having been said by now: the ones not made
        meanwhile are trimmed as if they had been said one by one (the trims depend on the
        count alone, see :meth:`first_kept`)."""
        self.quiet = False
        oldest = self.first_kept(said)
        kept = self.sentences[max(0, oldest - self.dropped):]
        # Sentences not made but still kept show as blanks: none when the caller hushed
        # only events whose sentences are trimmed by the moment it shows (RunHistory.state_at).
        self.sentences = kept + [_UNSAID] * (said - oldest - len(kept))
        self.dropped = oldest

    def quiet_skips(self) -> tuple[Container[int], Container[int]] | None:
        """While quiet, with no clock jump waiting to be said, a bare step (no await chain)
        or the last step of a task that has stepped before changes nothing here, unless the
        task has printed lines waiting for its step or (for the last step) an await chain
        on record. ``Model.fold`` skips observing those, most of a jump's events. Returns
        those two sets of tasks, or None when nothing may be skipped."""
        return (self._printed, self._user_chain) if self.quiet and self._jump is None else None

    @property
    def said(self) -> int:
        """Sentences said since the run began (kept or trimmed)."""
        return len(self.sentences) + self.dropped

    def first_kept(self, said: int) -> int:
        """The index (counting from the run's first sentence) of the oldest sentence still
        kept once ``said`` have been said: the trims depend on the count alone."""
        cut = self.limit // 4 + 1
        return cut * max(0, (said - self.limit) // cut)

    def observe(self, model: Model, event: Event) -> None:
        """Narrate ``event``; call it before ``model.apply(event)``."""
        kind = type(event)
        if kind is Tick:
            if event.t > model.t:  # type: ignore[attr-defined]
                if self._jump_from is None:
                    self._jump_from = model.t
                self._jump = event.t  # type: ignore[attr-defined]
            return
        if self._jump is not None:
            t, self._jump = self._jump, None
            began, self._jump_from = self._jump_from, None
            if f"{t:.3f}" != f"{began or 0.0:.3f}":
                self.add(t, ("clock-jump", {"t": t}), kind="clock")
        if self.quiet:
            self._observe_quietly(model, event, kind)
        elif kind is Step:
            self._step(model, event)  # type: ignore[arg-type]
        elif kind is Output:
            self._output(model, event)  # type: ignore[arg-type]
        elif kind is TaskDone:
            self._done(model, event)  # type: ignore[arg-type]
        elif kind is TaskCreated:
            self._created(model, event)  # type: ignore[arg-type]
        elif kind is Diagnostic:
            self.add(event.t, ("diagnostic", {"kind": event.kind, "message": event}),  # type: ignore[attr-defined]
                     event.task, "diagnostic")  # type: ignore[attr-defined]
        elif kind is End:
            self.add(event.t, ("end", {"status": Status(event.status), "t": event.t}), kind="end")  # type: ignore[attr-defined]

    def _observe_quietly(self, model: Model, event: Any, kind: type) -> None:
        """What :meth:`observe` does to the state, making no sentence. Must leave the same
        state as :meth:`observe` (tests/test_history.py folds every scenario both ways and
        compares the narration at every moment)."""
        if kind is Step or kind is TaskDone:
            info = model.tasks.get(event.task)
            if info is None or info.internal:
                return
            if info.steps == 0:
                self._eager.pop(info.id, None)
            if self._printed:
                self._printed.pop(info.id, None)
            if kind is Step:
                if event.chain is not None:
                    self._chain(model, info, event)
            else:
                self._user_chain.pop(info.id, None)
        elif kind is Output:
            if event.task is not None and event.task in model.tasks and event.thread is None:
                if event.nl or event.text:
                    self._printed.setdefault(event.task, []).append((event.stream, event.text))
        elif kind is TaskCreated:
            if not event.internal and event.parent is not None and event.parent in model.tasks:
                self._eager[event.task] = self._made_by(event.parent, model.tasks[event.parent].steps)

    # -- events ---------------------------------------------------------------------

    def _visible(self, model: Model, tid: int | None) -> TaskInfo | None:
        info = model.tasks.get(tid) if tid is not None else None
        return None if info is None or info.internal else info

    def _created(self, model: Model, event: TaskCreated) -> None:
        if event.internal:
            return
        task = TaskRef(event.task, event.name)
        if event.parent is not None and event.parent in model.tasks:
            parent = TaskRef(event.parent, model.task_name(event.parent))
            clause: Part = ("creates", {"parent": parent, "task": task, "coro": event.coro})
            self._eager[event.task] = self._made_by(event.parent, model.tasks[event.parent].steps)
        elif event.from_callback:
            clause = ("loop-creates", {"task": task, "coro": event.coro, "callback": event.from_callback})
        elif not any(not info.internal for info in model.tasks.values()):
            clause = ("run-creates", {"coro": event.coro, "task": task})
        else:
            clause = ("creates-outside", {"task": task, "coro": event.coro})
        self.add(event.t, clause, event.task, "create")

    def _output(self, model: Model, event: Output) -> None:
        if event.task is not None and event.task in model.tasks and event.thread is None:
            if event.nl or event.text:
                self._printed.setdefault(event.task, []).append((event.stream, event.text))
            return
        if event.text.strip():
            self.add(event.t, ("program-prints", {"text": quote(event.text)}), None, "output")

    def _opening(self, info: TaskInfo) -> list[Part]:
        # The previous step's wait tells a wake-up from a plain turn (a Paused event may
        # already have marked the task ready again).
        if info.steps == 0:
            verb = "starts"
        elif info.wait is not None or info.state == "waiting":
            verb = "wakes"
        else:
            verb = "runs"
        parts: list[Part] = [(verb, {"task": TaskRef(info.id, info.name)})]
        written = self._printed.pop(info.id, [])
        printed = [text for stream, text in written if text.strip() and stream != "stderr"]
        errors = [text for stream, text in written if text.strip() and stream == "stderr"]
        if printed:
            if len(printed) == 1:
                parts.append(("prints", {"text": quote(printed[0])}))
            elif len(printed) == 2:
                parts.append(("prints-two", {"text": quote(printed[0]), "second": quote(printed[1])}))
            else:
                parts.append(("prints-more", {"text": quote(printed[0]), "more": len(printed) - 1}))
        if errors:  # a warning Python printed (never-awaited), a traceback: told apart from prints
            if len(errors) == 1:
                parts.append(("writes-stderr", {"text": quote(errors[0])}))
            else:
                parts.append(("writes-stderr-more", {"text": quote(errors[0]), "more": len(errors) - 1}))
        return parts

    def _first_step(self, model: Model, info: TaskInfo) -> None:
        """An eager task's first step runs inside ``create_task``, before its creator's
        step ends: say so where its creation was said ("scheduled to run" was not true)."""
        parent, steps = self._eager.pop(info.id, (None, -1))
        creator = model.tasks.get(parent) if parent is not None else None
        if creator is None or creator.steps != steps:
            return
        for index in range(len(self.sentences) - 1, -1, -1):
            sentence = self.sentences[index]
            if sentence.kind == "create" and sentence.task == info.id and not isinstance(sentence.words, str):
                (_key, fields), = sentence.words
                self.sentences[index] = Sentence(sentence.t, (("creates-eager", fields),), info.id, "create")
                return

    def _step(self, model: Model, event: Step) -> None:
        info = self._visible(model, event.task)
        if info is None:
            return
        if info.steps == 0:
            self._first_step(model, info)
        awaits = self._chain(model, info, event)
        parts = self._opening(info)
        if awaits:
            # In the order it happened: the task starts, enters the coroutines it awaits,
            # then prints and waits in the innermost one.
            self.add(event.t, parts[0], info.id)
            for clause in awaits:
                self.add(event.t, clause, info.id)
            parts[0] = ("goes-on", {"task": TaskRef(info.id, info.name)})
        parts.append(self._wait(model, event.wait))
        self.add(event.t, tuple(parts), info.id)

    def _chain(self, model: Model, info: TaskInfo, event: Step) -> list[Part]:
        """Each coroutine the task entered by ``await`` since its last step."""
        if event.chain is None:
            return []
        names: list[str] = []
        chain = event.chain
        for index in range(0, len(chain) - 1, 2):
            code = model.codes.get(chain[index])
            if code is not None and not code.lib:
                names.append(code.qualname)
        names_t = tuple(names)
        before = self._user_chain.get(info.id, ())
        self._user_chain[info.id] = names_t
        common = 0
        while common < min(len(before), len(names_t)) and before[common] == names_t[common]:
            common += 1
        return [("awaits-coro", {"outer": names_t[depth - 1], "inner": names_t[depth]})
                for depth in range(max(common, 1), len(names_t))]

    def _wait(self, model: Model, wait: Wait | None) -> Part:
        if wait is None:
            return ("yields", {})
        kind = wait.kind
        if kind == "sleep":
            return ("sleeps", {"until": wait.until or 0.0})
        if kind == "task":
            return ("awaits-task", {"tasks": [TaskRef(t, model.task_name(t)) for t in wait.tasks or ()]})
        if kind == "gather":
            return ("awaits-gather", {"count": wait.count or 0})
        if kind == "sync" and wait.resource is not None and wait.resource in model.resources:
            label = model.resources[wait.resource].label
            return ("waits-sync", {"detail": f"{label} ({wait.detail or '?'})"})
        if kind in ("sync", "io", "thread"):
            return (f"waits-{kind}", {"detail": wait.detail or "?"})
        return ("waits-future", {})

    def _done(self, model: Model, event: TaskDone) -> None:
        info = self._visible(model, event.task)
        if info is None:
            return
        self._user_chain.pop(info.id, None)
        if info.steps == 0:
            self._first_step(model, info)
        parts = self._opening(info)
        if event.state == "failed":
            parts.append(("fails", {"error": event.error or "an exception"}))
        elif event.state == "cancelled":
            if event.cancelled_by:
                parts.append(("cancelled-by", {"by": Cause(event.cancelled_by)}))
            else:
                parts.append(("cancelled", {}))
        elif event.result not in (None, "None"):
            parts.append(("finishes-result", {"result": quote(event.result or "", 30)[1:-1]}))
        else:
            parts.append(("finishes", {}))
        self.add(event.t, tuple(parts), info.id)
