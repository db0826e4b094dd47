"""Every sentence asyncscope says about a program, in English and Japanese.

Both the child (diagnostics) and the views (wait descriptions, narration) word things
here, so a message is written once and exists in both languages
(``tests/test_wording.py`` checks that every key has both). No UI imports.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Callable, Iterable
from typing import Any

from asyncscope.display import brief_where

__all__ = ["set_language", "language", "text", "wait_text", "LANGUAGES", "default_language"]

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
        "runs, no other task can. Await asyncio.sleep() instead of time.sleep(), or move "
        "blocking or CPU-heavy work to asyncio.to_thread().",
        "ja": "{task} が {where} でイベントループを {ms} ミリ秒以上止めました。あるステップが実行中は、"
        "ほかのタスクは一切動けません。time.sleep() の代わりに asyncio.sleep() を await するか、"
        "重い処理は asyncio.to_thread() に移してください。",
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
    "waits-on": {"en": "{task} waits on {what}", "ja": "{task} は {what} を待っています"},
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


def wait_text(wait: Any, name_of: Callable[[int], str]) -> str:
    """A wait in a few words: ``sleep → t=2.000``, ``Task-3``, ``gather(3)``, ``Event.wait``."""
    if wait is None:
        return text("wait-ready")
    kind = wait.kind
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


def never_awaited(qualname: str) -> str:
    return text("never-awaited", name=qualname, short=qualname.rsplit(".", 1)[-1])


def cancelled_at_shutdown(task: str, coro: str) -> str:
    return text("cancelled-at-shutdown", task=task, coro=coro)


def _task_name(task: Any) -> str:
    try:
        return task.get_name()
    except Exception:
        return repr(task)


def destroyed_pending(task: Any) -> str:
    try:
        coro = task.get_coro()
        coro_name = getattr(coro, "__qualname__", None) or type(coro).__name__
    except Exception:
        coro_name = "?"
    return text("destroyed-pending", task=_task_name(task), coro=coro_name)


def never_retrieved(task: Any, exc: BaseException | None) -> str:
    error = type(exc).__name__ if exc is not None else "an exception"
    if exc is not None and str(exc):
        error = f"{error}: {exc}"
    return text("exception-never-retrieved", task=_task_name(task), error=error)


def deadlock_message(
    waits: Iterable[tuple[int, str, Any, str | None]], name_of: Callable[[int], str]
) -> str:
    parts = []
    for _tid, name, wait, where in waits:
        part = text("waits-on", task=name, what=wait_text(wait, name_of))
        if where:
            part += text("at", where=brief_where(where))
        parts.append(part)
    detail = "; ".join(parts) + "." if parts else text("deadlock-none")
    return text("deadlock", waits=detail)
