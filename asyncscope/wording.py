"""Every sentence asyncscope says about a program, in English and Japanese.

Only the parent words things: the child reports facts (``Diagnostic.facts``), and the
views word them here at display time, in the chosen language, so a trace recorded in
English reads in Japanese. A message is written once and exists in both languages
(``tests/test_wording.py`` checks that every key has both). No UI imports.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Callable, Iterable
from typing import Any

from asyncscope.display import brief_where

__all__ = [
    "LANGUAGES",
    "default_language",
    "cancel_cause",
    "diagnostic_text",
    "end_text",
    "language",
    "set_language",
    "text",
    "wait_text",
]

LANGUAGES = ("en", "ja")

MESSAGES: dict[str, dict[str, str]] = {
    "never-awaited": {
        "en": "coroutine '{name}' was never awaited: calling {short}() only creates a "
        "coroutine object and runs nothing. Await it, or wrap it in asyncio.create_task().",
        "ja": "コルーチン '{name}' は一度も await されていません。{short}() を呼ぶだけでは"
        "コルーチンオブジェクトが作られるだけで、何も実行されません。await するか、"
        "asyncio.create_task() でタスクにしてください。",
    },
    "cancelled-at-shutdown": {
        "en": "task {task} ({coro}) was still pending when asyncio.run() finished, so it was "
        "cancelled: main returned without awaiting it. Keep a reference and await it, or use "
        "a TaskGroup.",
        "ja": "タスク {task} ({coro}) は asyncio.run() の終了時にまだ終わっていなかったため、"
        "キャンセルされました。main がこのタスクを await せずに戻ったためです。"
        "参照を保持して await するか、TaskGroup を使ってください。",
    },
    "destroyed-pending": {
        "en": "task {task} ({coro}) was garbage-collected while still pending: nothing kept a reference "
        "to it. Keep tasks you create in a variable or a set until they finish.",
        "ja": "タスク {task} ({coro}) は未完了のままガベージコレクションされました。"
        "どこからも参照されていなかったためです。作成したタスクは終了するまで変数や set に保持してください。",
    },
    "exception-never-retrieved": {
        "en": "task {task} failed with {error} and nobody ever awaited it or asked for its "
        "result, so the error went unnoticed.",
        "ja": "タスク {task} は {error} で失敗しましたが、誰も await せず結果も取り出さなかったため、"
        "エラーが見過ごされました。",
    },
    "blocking": {
        "en": "{task} blocked the event loop for more than {ms} ms at {where}: while one step "
        "runs, no other task can. {hint}",
        "ja": "{task} が {where} でイベントループを {ms} ミリ秒以上止めました。あるステップが実行中は、"
        "ほかのタスクは一切動けません。{hint}",
    },
    "blocking-sleep": {
        "en": "Await asyncio.sleep() instead of calling time.sleep().",
        "ja": "time.sleep() を呼ぶ代わりに asyncio.sleep() を await してください。",
    },
    "blocking-other": {
        "en": "Move blocking I/O to asyncio.to_thread(); CPU-heavy work does not get faster in a "
        "thread (the GIL): run it in a process pool (loop.run_in_executor with a ProcessPoolExecutor).",
        "ja": "ブロックする I/O は asyncio.to_thread() に移してください。CPU を使う重い処理はスレッドでは"
        "速くなりません (GIL): プロセスプール (ProcessPoolExecutor を渡した loop.run_in_executor) で実行してください。",
    },
    "deadlock": {
        "en": "deadlock: no task can make progress and nothing can wake the loop (no timer, "
        "no I/O, no thread). {waits}",
        "ja": "デッドロック: どのタスクも進めず、ループを起こすもの(タイマー、I/O、スレッド)もありません。{waits}",
    },
    "deadlock-none": {
        "en": "The loop waits forever with no task left.",
        "ja": "タスクが残っていないのに、ループが永久に待ち続けています。",
    },
    "stdin-closed": {
        "en": "the program read its standard input, which the TUI keeps for itself, so it got "
        "end of file. To give it input, run it headless: `asyncscope run --headless prog.py < input`.",
        "ja": "プログラムが標準入力を読みましたが、TUI は端末を自分で使うため、プログラムには"
        "ファイルの終わり (EOF) が渡されました。入力を与えるには、ヘッドレスで実行してください: "
        "`asyncscope run --headless prog.py < input`。",
    },
    "uvloop-replaced": {
        "en": "the program asked for uvloop, whose loop is written in C and cannot be traced: it "
        "runs on asyncio's own event loop instead. What it does is the same; how fast it runs "
        "is asyncio's, not uvloop's.",
        "ja": "プログラムは uvloop を使おうとしましたが、uvloop のループは C で書かれていて追跡できないため、"
        "代わりに asyncio 自身のイベントループで実行しています。動作は同じですが、速度は uvloop ではなく "
        "asyncio のものです。",
    },
    "datetime-real": {
        "en": "idle time was skipped, and the program uses datetime: time.time(), time.monotonic() and "
        "time.localtime() include the skipped time, but datetime.now(), today() and utcnow() read the "
        "system clock and now lag behind them. Run with --clock real where wall-clock dates matter.",
        "ja": "待ち時間を飛ばしましたが、プログラムは datetime を使っています。time.time()、time.monotonic()、"
        "time.localtime() は飛ばした時間を含みますが、datetime.now()、today()、utcnow() はシステムの時計を"
        "読むため、それらより遅れています。実際の日時が重要な場合は --clock real で実行してください。",
    },
    "several-loops": {
        "en": "event loops run in {count} threads at once: asyncscope waits for real instead of "
        "skipping idle time, so every loop keeps one timeline.",
        "ja": "{count} 個のスレッドでイベントループが同時に動いています。すべてのループが同じ時間軸を"
        "共有できるよう、待ち時間は飛ばさず実時間で待ちます。",
    },
    "trace-truncated": {
        "en": "{path} ends mid-batch: the run is shown up to its last whole batch",
        "ja": "{path} はバッチの途中で切れています。最後の完全なバッチまでを表示します",
    },
    "end-timeout": {
        "en": "stopped after {seconds:g} s of wall time (--timeout)",
        "ja": "実時間で {seconds:g} 秒経ったので停止しました (--timeout)",
    },
    "end-not-ending": {
        "en": "the program did not end after the signal asyncscope passed on to it, so it was stopped",
        "ja": "asyncscope が伝えたシグナルの後もプログラムが終わらなかったため、停止しました",
    },
    "end-user": {"en": "stopped by the user", "ja": "ユーザーが停止しました"},
    "end-signal": {
        "en": "the program was killed by {signal}",
        "ja": "プログラムは {signal} で強制終了されました",
    },
    "end-exit": {
        "en": "the program ended abruptly with exit code {code} (os._exit or a fatal error)",
        "ja": "プログラムは終了コード {code} で突然終わりました (os._exit または致命的なエラー)",
    },
    "end-trace-cut": {
        "en": "the trace ends before the run did",
        "ja": "トレースは実行が終わる前に途切れています",
    },
    "cause-shutdown": {"en": "asyncio.run() shutdown", "ja": "asyncio.run() の終了処理"},
    "cause-taskgroup": {"en": "TaskGroup (a sibling task failed)", "ja": "TaskGroup (兄弟タスクが失敗)"},
    "cause-timeout": {"en": "timeout", "ja": "タイムアウト"},
    "cause-cancellation": {"en": "cancellation", "ja": "キャンセル"},
    "cancelled-by": {"en": "by {cause}", "ja": "{cause} による"},
    "cause-through": {"en": "{cause}, through {task}", "ja": "{cause} ({task} 経由)"},
    "list-joiner": {"en": "; ", "ja": "、"},
    "list-end": {"en": ".", "ja": "。"},
    "waits-on": {"en": "{task} waits on {what}", "ja": "{task} は {what} を待っています"},
    "holds-and-waits": {
        "en": "{task} holds {held} and waits on {what}",
        "ja": "{task} は {held} を保持したまま {what} を待っています",
    },
    "wait-resource": {"en": "{name} ({detail})", "ja": "{name} ({detail})"},
    "held-by": {"en": " held by {tasks}", "ja": " ({tasks} が保持)"},
    "no-holder": {"en": " (no holder known)", "ja": " (保持者不明)"},
    "at": {"en": " at {where}", "ja": "({where})"},
    "wait-sleep": {"en": "sleep → t={until:.3f}", "ja": "sleep → t={until:.3f}"},
    "wait-task": {"en": "{tasks}", "ja": "{tasks}"},
    "wait-gather": {"en": "gather({count})", "ja": "gather({count})"},
    "wait-sync": {"en": "{detail}", "ja": "{detail}"},
    "wait-io": {"en": "I/O ({detail})", "ja": "I/O ({detail})"},
    "wait-thread": {"en": "thread ({detail})", "ja": "スレッド ({detail})"},
    "wait-future": {"en": "Future", "ja": "Future"},
    "wait-future-detail": {"en": "Future ({detail})", "ja": "Future ({detail})"},
    "wait-ready": {"en": "ready", "ja": "実行待ち"},
}

_language = "en"


def default_language() -> str:
    """The user's language from the environment (``ja`` for Japanese locales)."""
    for var in ("ASYNCSCOPE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "ja" if loc.lower().startswith("ja") else "en"


def set_language(lang: str) -> None:
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _language = lang


def language() -> str:
    return _language


def text(key: str, **fields: Any) -> str:
    table = MESSAGES[key]
    return table.get(_language, table["en"]).format(**fields)


def wait_text(wait: Any, name_of: Callable[[int], str], resources: Any = None) -> str:
    """A wait in a few words: ``sleep → t=2.000``, ``Task-3``, ``gather(3)``, ``Event.wait``;
    with ``resources`` (the model: ``resource_words(rid)``), a wait on a lock, queue … names
    it and its holders: ``lock_b (Lock.acquire) held by Task-3``."""
    if wait is None:
        return text("wait-ready")
    kind = wait.kind
    if kind == "sync" and resources is not None and getattr(wait, "resource", None) is not None:
        label, res_kind, holders = resources.resource_words(wait.resource)
        words = text("wait-resource", name=label, detail=wait.detail or res_kind)
        if holders:
            words += text("held-by", tasks=", ".join(holders))
        elif res_kind in ("Lock", "Semaphore", "BoundedSemaphore") and (wait.detail or "").endswith("acquire"):
            words += text("no-holder")
        return words
    if kind == "sleep":
        return text("wait-sleep", until=wait.until or 0.0)
    if kind == "task":
        return text("wait-task", tasks=", ".join(name_of(t) for t in wait.tasks or ()))
    if kind == "gather":
        return text("wait-gather", count=wait.count or 0)
    if kind in ("sync", "io", "thread"):
        return text(f"wait-{kind}", detail=wait.detail or "?")
    if wait.detail:
        return text("wait-future-detail", detail=wait.detail)
    return text("wait-future")


def _name(diagnostic: Any, name_of: Callable[[int], str] | None) -> str:
    """Today's name of the diagnostic's task (it may have been renamed since), else the
    name it had when the child saw it."""
    if diagnostic.task is not None and name_of is not None:
        return name_of(diagnostic.task)
    return str(diagnostic.facts.get("name") or "?")


def deadlock_waits(waits: Iterable[Any], name_of: Callable[[int], str] | None = None,
                   resources: Any = None) -> str:
    """``Task-2 holds lock_a and waits on lock_b (Lock.acquire) held by Task-3 at
    deadlock.py:50; ...``: who waits on what, and who holds it — the cycle, when there is
    one. Without ``resources`` (no model at hand), the waits alone."""
    names = name_of or (lambda tid: f"task {tid}")
    parts = []
    for item in waits:
        task = names(item.task) if name_of else item.name
        what = wait_text(item.wait, names, resources)
        held = resources.held_labels(item.task) if resources is not None else []
        if held:
            part = text("holds-and-waits", task=task, held=", ".join(held), what=what)
        else:
            part = text("waits-on", task=task, what=what)
        if item.where:
            part += text("at", where=brief_where(item.where))
        parts.append(part)
    return text("list-joiner").join(parts) + text("list-end") if parts else text("deadlock-none")


def diagnostic_text(diagnostic: Any, name_of: Callable[[int], str] | None = None,
                    resources: Any = None) -> str:
    """A diagnostic in the current language, from the facts it carries.

    ``name_of`` gives a task's name as the views show it (``Model.task_name``); without it
    the names the child saw are used. A kind this version has no words for shows its
    facts as they are, so a newer trace still says something.
    """
    kind = diagnostic.kind
    facts = diagnostic.facts
    if kind == "never-awaited":
        coro = str(facts.get("coro") or "?")
        return text(kind, name=coro, short=coro.rsplit(".", 1)[-1])
    if kind in ("cancelled-at-shutdown", "destroyed-pending"):
        return text(kind, task=_name(diagnostic, name_of), coro=facts.get("coro") or "?")
    if kind == "exception-never-retrieved":
        return text(kind, task=_name(diagnostic, name_of), error=facts.get("error") or "an exception")
    if kind == "blocking":
        where = diagnostic.where
        hint = text("blocking-sleep" if facts.get("call") == "time.sleep" else "blocking-other")
        return text(kind, task=_name(diagnostic, name_of), ms=facts.get("ms") or 0,
                    where=brief_where(where) if where else "?", hint=hint)
    if kind == "deadlock":
        return text(kind, waits=deadlock_waits(diagnostic.waits or (), name_of, resources))
    if kind == "several-loops":
        return text(kind, count=facts.get("count") or 2)
    if kind in ("stdin-closed", "uvloop-replaced", "datetime-real"):
        return text(kind)
    if kind == "trace-truncated":
        return text(kind, path=facts.get("path") or "?")
    if "error" in facts:  # error, internal-error: the error's own words
        return str(facts["error"])
    return "; ".join(f"{key}={value}" for key, value in facts.items()) or kind


def cancel_cause(cause: str | None) -> str | None:
    """Why a task was cancelled, in words: ``timeout@main`` → ``timeout, through main``.
    Causes this version does not know are shown as they are."""
    if not cause:
        return None
    key, _, through = cause.partition("@")
    words = text(f"cause-{key}") if f"cause-{key}" in MESSAGES else key
    return text("cause-through", cause=words, task=through) if through else words


def end_text(end: Any) -> str | None:
    """Why the run ended, in the current language: asyncscope's reason when it ended or
    lost the run, else the program's own message (its uncaught exception)."""
    if end is None:
        return None
    reason = end.reason
    if reason is None:
        return end.message
    key = f"end-{reason}"
    if key not in MESSAGES:
        return end.message or reason
    return text(key, **end.facts)
