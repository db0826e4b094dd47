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
    "paragraphs",
    "set_language",
    "state_word",
    "status_word",
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
    "compare-ends": {
        "en": "A ({a}) {status_a} at t={ta:.3f}, B ({b}) {status_b} at t={tb:.3f}.",
        "ja": "A ({a}) は t={ta:.3f} に {status_a}、B ({b}) は t={tb:.3f} に {status_b}。",
    },
    "compare-less": {"en": "B took {seconds:.3f} s less.", "ja": "B のほうが {seconds:.3f} 秒短い。"},
    "compare-more": {"en": "B took {seconds:.3f} s more.", "ja": "B のほうが {seconds:.3f} 秒長い。"},
    "res-locked": {"en": "locked", "ja": "ロック中"},
    "res-free": {"en": "free", "ja": "空き"},
    "res-slots": {"en": "{value}/{initial} free", "ja": "空き {value}/{initial}"},
    "res-slots-left": {"en": "{value} free", "ja": "空き {value}"},
    "res-set": {"en": "set", "ja": "セット済み"},
    "res-not-set": {"en": "not set", "ja": "未セット"},
    "res-items": {"en": "{size}/{maxsize} items", "ja": "{size}/{maxsize} 個"},
    "res-parties": {"en": "{parties} parties", "ja": "{parties} 者"},
    "res-held-by": {"en": "held by ", "ja": "保持: "},
    "res-waiting": {"en": "waiting: ", "ja": "待ち: "},
    "res-putting": {"en": "putting: ", "ja": "put 待ち: "},
    "res-joining": {"en": "joining: ", "ja": "join 待ち: "},
    "res-put": {"en": "{task} (put)", "ja": "{task} (put)"},
    "res-join": {"en": "{task} (join)", "ja": "{task} (join)"},
    "res-none": {"en": "no locks, queues or events yet", "ja": "ロック、キュー、イベントはまだありません"},
    "report-resources": {"en": "Resources", "ja": "リソース"},
    "col-resource": {"en": "resource", "ja": "リソース"},
    "col-kind": {"en": "kind", "ja": "種類"},
    "col-res-state": {"en": "state", "ja": "状態"},
    "col-held-by": {"en": "held by", "ja": "保持者"},
    "col-waiting": {"en": "waiting", "ja": "待っているタスク"},
    "col-made-at": {"en": "made at", "ja": "作成位置"},
    "compare-output": {"en": "Output of A and B, by loop time", "ja": "A と B の出力 (ループ時間順)"},
    "compare-timeline": {"en": "{letter} · timeline", "ja": "{letter} · タイムライン"},
    "compare-of": {"en": "  ◀ of {end:.3f}s", "ja": "  ◀ 全体 {end:.3f}s"},
    "compare-playing": {"en": "  ▶ playing", "ja": "  ▶ 再生中"},
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
    # -- fixed words of the text report and the TUI --------------------------------------
    # Task states and run statuses as words (the JSON keeps the English ones: an API).
    "state-ready": {"en": "ready", "ja": "実行待ち"},
    "state-running": {"en": "running", "ja": "実行中"},
    "state-waiting": {"en": "waiting", "ja": "待機中"},
    "state-done": {"en": "done", "ja": "完了"},
    "state-failed": {"en": "failed", "ja": "失敗"},
    "state-cancelled": {"en": "cancelled", "ja": "キャンセル"},
    "state-destroyed": {"en": "destroyed", "ja": "破棄"},
    "status-starting": {"en": "starting", "ja": "起動中"},
    "status-running": {"en": "running", "ja": "実行中"},
    "status-paused": {"en": "paused", "ja": "一時停止中"},
    "status-finished": {"en": "finished", "ja": "終了"},
    "status-failed": {"en": "failed", "ja": "失敗"},
    "status-crashed": {"en": "crashed", "ja": "異常終了"},
    "status-timeout": {"en": "timeout", "ja": "タイムアウト"},
    "status-deadlock": {"en": "deadlock", "ja": "デッドロック"},
    "status-error": {"en": "error", "ja": "エラー"},
    "status-stopped": {"en": "stopped", "ja": "停止"},
    "comma": {"en": ", ", "ja": "、"},
    # The headless text report.
    "report-no-output": {"en": "(no output)", "ja": "(出力なし)"},
    "report-tasks": {"en": "Tasks", "ja": "タスク"},
    "report-diagnostics": {"en": "Diagnostics", "ja": "診断"},
    "report-verdict": {
        "en": "  loop time {t:.3f}s  exit code {code}",
        "ja": "  ループ時間 {t:.3f} 秒  終了コード {code}",
    },
    "report-columns-dropped": {
        "en": "(not shown at {width} columns: {columns})",
        "ja": "({width} 桁の幅には入らないため表示しない列: {columns})",
    },
    "report-internal-hidden-one": {
        "en": "({count} internal task not shown)",
        "ja": "(内部タスク {count} 個は表示していません)",
    },
    "report-internal-hidden": {
        "en": "({count} internal tasks not shown)",
        "ja": "(内部タスク {count} 個は表示していません)",
    },
    "report-task-facts-one": {
        "en": "{coro} · {steps} step · created {created} at {where}",
        "ja": "{coro} · {steps} ステップ · {created} に {where} で作成",
    },
    "report-task-facts": {
        "en": "{coro} · {steps} steps · created {created} at {where}",
        "ja": "{coro} · {steps} ステップ · {created} に {where} で作成",
    },
    # Columns: of the report's task table (col-where, col-detail) and of the TUI's (col-waits).
    "col-task": {"en": "task", "ja": "タスク"},
    "col-coro": {"en": "coroutine", "ja": "コルーチン"},
    "col-state": {"en": "state", "ja": "状態"},
    "col-steps": {"en": "steps", "ja": "ステップ"},
    "col-created": {"en": "created", "ja": "作成時刻"},
    "col-where": {"en": "where", "ja": "場所"},
    "col-detail": {"en": "detail", "ja": "詳細"},
    "col-waits": {"en": "waits on / result", "ja": "待ち / 結果"},
    # The run screen's panes.
    "pane-tasks": {"en": "Tasks · {view}", "ja": "タスク · {view}"},
    "pane-tasks-filter": {"en": " · filter: ", "ja": " · 絞り込み: "},
    "pane-tasks-hidden": {"en": "{count} hidden (i)", "ja": "{count} 個を非表示 (i)"},
    "view-0": {"en": "user", "ja": "プログラム"},
    "view-1": {"en": "user + library ◇", "ja": "プログラム + ライブラリ ◇"},
    "view-2": {"en": "user + library ◇ + asyncio ◆", "ja": "プログラム + ライブラリ ◇ + asyncio ◆"},
    "tasks-shown": {"en": "tasks shown: {view}", "ja": "表示するタスク: {view}"},
    "pane-detail": {"en": "Task detail", "ja": "タスクの詳細"},
    "pane-timeline": {"en": "Timeline", "ja": "タイムライン"},
    "pane-output": {"en": "Output", "ja": "出力"},
    "pane-narration": {"en": "What happened", "ja": "何が起きたか"},
    "pane-diagnostics": {"en": "Diagnostics", "ja": "診断"},
    "pane-resources": {"en": "Resources", "ja": "リソース"},
    "timeline-ruler": {"en": "loop time", "ja": "ループ時刻"},
    "timeline-total": {"en": "{t:.3f} s of loop time", "ja": "ループ時間 {t:.3f} 秒"},
    "output-lines-one": {"en": "{count} line", "ja": "{count} 行"},
    "output-lines": {"en": "{count} lines", "ja": "{count} 行"},
    "output-not-shown": {"en": ", {count} not shown", "ja": "、{count} 行は非表示"},
    "output-none": {"en": "(nothing printed yet)", "ja": "(まだ何も出力されていません)"},
    "output-dropped": {
        "en": "… {count:,} earlier lines not shown (the last {keep:,} are kept here)",
        "ja": "… それより前の {count:,} 行は表示していません(ここには最新の {keep:,} 行を残します)",
    },
    "diagnostics-none": {"en": "no diagnostics", "ja": "診断はありません"},
    "diagnostics-more": {"en": "… {count} more", "ja": "… ほか {count} 件"},
    "filter-placeholder": {
        "en": "filter tasks by name or coroutine (enter: keep, escape: clear)",
        "ja": "名前かコルーチンでタスクを絞り込み (enter: 確定、escape: 解除)",
    },
    # The status bar.
    "status-past": {"en": "  ◀ past: event {shown} of {total}", "ja": "  ◀ 過去: イベント {shown} / {total}"},
    "asked-pausing": {"en": "pausing", "ja": "一時停止しています"},
    "asked-resuming": {"en": "resuming", "ja": "再開しています"},
    "asked-stepping": {"en": "stepping", "ja": "ステップを実行しています"},
    "asked-playing": {"en": "playing", "ja": "再生しています"},
    "status-exit": {"en": " (exit {code})", "ja": " (終了コード {code})"},
    "status-next": {"en": " · next: {what}", "ja": " · 次: {what}"},
    "status-next-clock": {"en": "clock → t={t:.3f}", "ja": "時計 → t={t:.3f}"},
    "status-next-loop": {"en": "the loop", "ja": "ループ"},
    "status-real-clock": {"en": "real clock", "ja": "実時間の時計"},
    "status-steps": {"en": "  step {count}", "ja": "  ステップ {count}"},
    "status-tasks-one": {"en": "  {count} task", "ja": "  タスク {count} 個"},
    "status-tasks": {"en": "  {count} tasks", "ja": "  タスク {count} 個"},
    "speed-instant": {"en": "instant", "ja": "即時"},
    "replay-label": {"en": "replay · {name}", "ja": "リプレイ · {name}"},
    # The task detail pane.
    "detail-placeholder": {
        "en": "Select a task to see its await chain and source.",
        "ja": "タスクを選ぶと、その await の連鎖とソースが表示されます。",
    },
    "detail-no-task": {"en": "No task yet.", "ja": "まだタスクはありません。"},
    "detail-runs-next": {"en": "  ▶ runs next", "ja": "  ▶ 次に実行"},
    "detail-waits-on": {"en": "waits on", "ja": "待機対象"},
    "detail-ready": {"en": "nothing: ready to run", "ja": "なし: 実行できます"},
    "detail-awaits": {"en": "awaits", "ja": "await の連鎖"},
    "detail-created": {"en": "created", "ja": "作成"},
    "detail-created-at": {"en": "t={t:.3f} by ", "ja": "t={t:.3f}、"},
    "detail-created-by": {"en": "", "ja": " による"},
    "detail-by-callback": {
        "en": "the loop, from a callback ({callback})",
        "ja": "ループ(コールバック {callback} から)",
    },
    "detail-origin": {"en": "origin", "ja": "出どころ"},
    "detail-origin-library": {"en": "a library's task", "ja": "ライブラリのタスク"},
    "detail-origin-asyncio": {"en": "asyncio's own task", "ja": "asyncio 自身のタスク"},
    "detail-origin-user": {"en": "made while the loop shut down", "ja": "ループの終了処理中に作られたタスク"},
    "detail-name": {"en": "name", "ja": "名前"},
    "detail-name-none": {
        "en": "'None' in the program (a CPython 3.13.0 bug: gh-130033)",
        "ja": "プログラム内では 'None' (CPython 3.13.0 のバグ gh-130033)",
    },
    "detail-steps": {"en": "steps", "ja": "ステップ"},
    "detail-ended": {"en": "ended", "ja": "終了"},
    "detail-result": {"en": "result", "ja": "結果"},
    "detail-cancelled": {"en": "cancelled", "ja": "キャンセル"},
    "detail-runs-next-at": {"en": "runs next at", "ja": "次に実行する場所"},
    "detail-suspended-at": {"en": "suspended at", "ja": "中断している場所"},
    "detail-created-at-line": {"en": "created at", "ja": "作成した場所"},
    "detail-at": {"en": "at", "ja": "場所"},
    # Notifications of the run screen.
    "notify-could-not-start": {"en": "could not start: {error}", "ja": "開始できませんでした: {error}"},
    "notify-not-a-time": {
        "en": "not a loop time: {answer} (try 2.5)",
        "ja": "ループ時刻ではありません: {answer} (例: 2.5)",
    },
    "notify-no-interrupt": {
        "en": "this version of asyncscope cannot send Ctrl+C to the program",
        "ja": "このバージョンの asyncscope はプログラムに Ctrl+C を送れません",
    },
    "notify-interrupted": {
        "en": "Ctrl+C sent to the program (q, r or escape stop it outright)",
        "ja": "プログラムに Ctrl+C を送りました (q、r、escape ならすぐに止めます)",
    },
    "notify-restarted": {"en": "restarted {name}", "ja": "{name} を再実行しました"},
    "notify-speed-limit": {"en": "speed is already {speed}", "ja": "速度はすでに {speed} です"},
    "notify-no-recording": {
        "en": "this run has no recording to export",
        "ja": "この実行には書き出せる記録がありません",
    },
    "notify-export-failed": {"en": "export failed: {error}", "ja": "書き出しに失敗しました: {error}"},
    "notify-exported": {
        "en": "exported to {path} (open it at ui.perfetto.dev)",
        "ja": "{path} に書き出しました (ui.perfetto.dev で開けます)",
    },
    "notify-screenshot": {"en": "screenshot saved to {path}", "ja": "スクリーンショットを {path} に保存しました"},
    "replay-earlier": {"en": "Replay earlier run {number}", "ja": "以前の実行 {number} をリプレイ"},
    "replay-earlier-help": {
        "en": "Open run {number} of this program (before a restart) as a replay: {path}",
        "ja": "このプログラムの実行 {number} (再実行の前のもの) をリプレイとして開きます: {path}",
    },
    "time-prompt": {
        "en": "Go to loop time (seconds; now showing t={t:.3f}):",
        "ja": "移動するループ時刻 (秒。いま表示しているのは t={t:.3f}):",
    },
    "time-prompt-placeholder": {"en": "e.g. 2.5", "ja": "例: 2.5"},
    # Keys: a footer label, and one sentence for the help screen and the command palette.
    "key-pause": {"en": "Pause", "ja": "一時停止"},
    "key-pause-help": {
        "en": "Pause the program before its next task step.",
        "ja": "次のタスクステップの前でプログラムを一時停止します。",
    },
    "key-resume": {"en": "Run", "ja": "再開"},
    "key-resume-help": {"en": "Let the paused program run on.", "ja": "一時停止中のプログラムを続けて実行します。"},
    "key-play": {"en": "Play", "ja": "再生"},
    "key-play-help": {
        "en": "Replay: play the recording forward from the moment shown, at the chosen speed (again: stop).",
        "ja": "リプレイ: 表示中の時点から記録を選んだ速度で再生します (もう一度押すと停止)。",
    },
    "key-step": {"en": "Step", "ja": "ステップ"},
    "key-step-help": {
        "en": "Run exactly one task step, then pause again (while paused).",
        "ja": "タスクのステップをちょうど1つ実行して、また一時停止します (一時停止中)。",
    },
    "key-step-iteration": {"en": "Loop", "ja": "ループ"},
    "key-step-iteration-help": {
        "en": "Run one whole event-loop iteration: every step that is ready (while paused).",
        "ja": "イベントループを1周まるごと実行します。実行できるステップをすべて実行します (一時停止中)。",
    },
    "key-back": {"en": "Back", "ja": "戻る"},
    "key-back-help": {
        "en": "Time travel: show the run one task step earlier (while paused, or in a replay).",
        "ja": "タイムトラベル: 1タスクステップ前の状態を表示します (一時停止中かリプレイ中)。",
    },
    "key-forward": {"en": "Forward", "ja": "進む"},
    "key-forward-help": {
        "en": "Time travel: one task step later; at the latest moment of a live run, run the next step.",
        "ja": "タイムトラベル: 1タスクステップ後へ進みます。実行中の最新の時点では次のステップを実行します。",
    },
    "key-travel-start": {"en": "Start", "ja": "最初"},
    "key-travel-start-help": {
        "en": "Time travel: show the run at its start (while paused, or in a replay).",
        "ja": "タイムトラベル: 実行の最初の状態を表示します (一時停止中かリプレイ中)。",
    },
    "key-travel-end": {"en": "Latest", "ja": "最新"},
    "key-travel-end-help": {
        "en": "Time travel: back to the latest moment (the live edge).",
        "ja": "タイムトラベル: 最新の時点 (ライブの先端) に戻ります。",
    },
    "key-travel-time": {"en": "Go to", "ja": "時刻へ"},
    "key-travel-time-help": {
        "en": "Time travel: show the run at a loop time you type (e.g. 2.5).",
        "ja": "タイムトラベル: 入力したループ時刻 (例: 2.5) の状態を表示します。",
    },
    "key-restart": {"en": "Restart", "ja": "再実行"},
    "key-restart-help": {
        "en": "Stop the program and run it again from the start.",
        "ja": "プログラムを止めて、最初からもう一度実行します。",
    },
    "key-faster": {"en": "Speed", "ja": "速度"},
    "key-faster-help": {
        "en": "Play the virtual clock faster: 0.1x … 100x, then instant.",
        "ja": "仮想時計を速くします: 0.1x … 100x、その次は即時。",
    },
    "key-slower": {"en": "Slower", "ja": "遅く"},
    "key-slower-help": {
        "en": "Play the virtual clock slower (down to 0.1x).",
        "ja": "仮想時計を遅くします (0.1x まで)。",
    },
    "key-open": {"en": "Open", "ja": "開く"},
    "key-open-help": {"en": "Open your own .py file and run it.", "ja": "自分の .py ファイルを開いて実行します。"},
    "key-timeline": {"en": "Timeline", "ja": "タイムライン"},
    "key-timeline-help": {"en": "Show or hide the timeline pane.", "ja": "タイムラインのペインを表示/非表示にします。"},
    "key-resources": {"en": "Resources", "ja": "リソース"},
    "key-resources-help": {
        "en": "Show the locks, semaphores, events, queues and barriers (who holds each, who waits) "
        "in place of the diagnostics; again to switch back.",
        "ja": "診断の代わりに、ロック、セマフォ、イベント、キュー、バリア (それぞれを誰が保持し、"
        "誰が待っているか) を表示します。もう一度押すと元に戻ります。",
    },
    "key-help": {"en": "Help", "ja": "ヘルプ"},
    "key-help-help": {"en": "Show every key.", "ja": "すべてのキーを表示します。"},
    "key-quit": {"en": "Quit", "ja": "終了"},
    "key-quit-help": {"en": "Stop the program and quit.", "ja": "プログラムを止めて終了します。"},
    "key-internal": {"en": "Which tasks", "ja": "表示タスク"},
    "key-internal-help": {
        "en": "Cycle the tasks shown: the program's own → + libraries' (◇) → + asyncio's own (◆) → "
        "the program's own again. The Tasks title says which are shown.",
        "ja": "表示するタスクを切り替えます: プログラム自身のもの → + ライブラリのもの (◇) → "
        "+ asyncio 自身のもの (◆) → またプログラム自身のもの。いまの表示はタスクのペインのタイトルに出ます。",
    },
    "key-tree": {"en": "Tree", "ja": "ツリー"},
    "key-tree-help": {
        "en": "Show tasks flat, or as a tree by parent task.",
        "ja": "タスクを一覧で、または親タスクごとのツリーで表示します。",
    },
    "key-filter": {"en": "Filter", "ja": "絞り込み"},
    "key-filter-help": {
        "en": "Filter tasks by name or coroutine as you type.",
        "ja": "名前かコルーチンで、入力しながらタスクを絞り込みます。",
    },
    "key-zoom-in": {"en": "Zoom in", "ja": "拡大"},
    "key-zoom-in-help": {"en": "Zoom the timeline in.", "ja": "タイムラインを拡大します。"},
    "key-zoom-out": {"en": "Zoom out", "ja": "縮小"},
    "key-zoom-out-help": {"en": "Zoom the timeline out.", "ja": "タイムラインを縮小します。"},
    "key-zoom-fit": {"en": "Fit", "ja": "全体"},
    "key-zoom-fit-help": {"en": "Fit the whole run into the timeline.", "ja": "実行全体をタイムラインに収めます。"},
    "key-maximize": {"en": "Zoom pane", "ja": "ペイン最大化"},
    "key-maximize-help": {
        "en": "Maximize the focused pane (escape restores it).",
        "ja": "フォーカスのあるペインを最大化します (escape で元に戻ります)。",
    },
    "key-scenarios": {"en": "Scenarios", "ja": "シナリオ一覧"},
    "key-scenarios-help": {
        "en": "Back to the scenario list (stops the program).",
        "ja": "シナリオ一覧に戻ります (プログラムは止まります)。",
    },
    "key-interrupt": {"en": "Send Ctrl+C to the program", "ja": "プログラムに Ctrl+C を送る"},
    "key-interrupt-help": {
        "en": "Send Ctrl+C (SIGINT) to the program, as a terminal would, so it can shut down its own way "
        "(q, r and escape stop it outright).",
        "ja": "端末と同じようにプログラムへ Ctrl+C (SIGINT) を送り、プログラム自身のやり方で終われるようにします "
        "(q、r、escape はすぐに止めます)。",
    },
    "key-export": {"en": "Export this run for Perfetto", "ja": "この実行を Perfetto 用に書き出す"},
    "key-export-help": {
        "en": "Write the run so far as a Perfetto trace (open it at ui.perfetto.dev) in the current "
        "directory.",
        "ja": "ここまでの実行を Perfetto のトレースとして現在のディレクトリに書き出します "
        "(ui.perfetto.dev で開けます)。",
    },
    "key-screenshot": {"en": "Save a screenshot (SVG)", "ja": "スクリーンショットを保存 (SVG)"},
    "key-screenshot-help": {
        "en": "Save what the screen shows now as an SVG file in the current directory.",
        "ja": "いま画面に表示されているものを SVG ファイルとして現在のディレクトリに保存します。",
    },
    "key-run": {"en": "Run", "ja": "実行"},
    "key-run-help": {"en": "Run the selected scenario.", "ja": "選んだシナリオを実行します。"},
    "key-open-file": {"en": "Open file", "ja": "ファイルを開く"},
    "key-open-file-help": {"en": "Open your own .py file and run it.", "ja": "自分の .py ファイルを開いて実行します。"},
    "key-quit-app": {"en": "Quit", "ja": "終了"},
    "key-quit-app-help": {"en": "Quit asyncscope.", "ja": "asyncscope を終了します。"},
    "key-close": {"en": "Close", "ja": "閉じる"},
    "key-cancel": {"en": "Cancel", "ja": "キャンセル"},
    # The help screen (keys of the panes themselves, besides the key table).
    "help-title": {"en": "asyncscope keys", "ja": "asyncscope のキー"},
    "help-border": {"en": "Help", "ja": "ヘルプ"},
    "help-run": {"en": "While a program runs", "ja": "プログラムの実行中"},
    "help-picker": {"en": "Scenario list", "ja": "シナリオ一覧"},
    "help-close": {"en": "escape, ? or q closes this help.", "ja": "escape、? または q でこのヘルプを閉じます。"},
    "help-pane-focus": {"en": "Move between panes.", "ja": "ペインを移動します。"},
    "help-pane-move": {
        "en": "Move in the focused pane (tasks: choose a task).",
        "ja": "フォーカスのあるペインの中を移動します (タスク: タスクを選びます)。",
    },
    "help-pane-sort": {
        "en": "Tasks: sort by the next column / reverse (or click a column title).",
        "ja": "タスク: 次の列で並べ替え / 逆順 (列のタイトルのクリックでも)。",
    },
    "help-pane-follow": {
        "en": "Tasks: follow the task that runs next again.",
        "ja": "タスク: 次に実行されるタスクをまた追いかけます。",
    },
    "help-pane-markers": {
        "en": "Tasks: marks a library's task / asyncio's own (or one made while the loop shut down); "
        "the program's own tasks have no mark. i shows or hides them.",
        "ja": "タスク: ライブラリのタスク / asyncio 自身のタスク (またはループの終了処理中に作られたもの) の印です。"
        "プログラム自身のタスクには印がありません。i で表示/非表示を切り替えます。",
    },
    "help-pane-timeline": {
        "en": "Timeline: move earlier / later when zoomed in.",
        "ja": "タイムライン: 拡大しているとき、前 / 後へ移動します。",
    },
    "help-pane-diagnostic": {
        "en": "Diagnostics: jump to the diagnostic's task and source line.",
        "ja": "診断: その診断のタスクとソースの行へ移動します。",
    },
    "help-pane-palette": {
        "en": "Command palette: every action by name.",
        "ja": "コマンドパレット: すべての操作を名前で選べます。",
    },
    # The scenario picker.
    "picker-title": {
        "en": "  pick a scenario to watch it run, or open your own file",
        "ja": "  シナリオを選んで実行の様子を見るか、自分のファイルを開きます",
    },
    "picker-filter": {"en": "type to filter scenarios…", "ja": "入力してシナリオを絞り込み…"},
    "picker-scenarios": {"en": "Scenarios", "ja": "シナリオ"},
    "picker-preview": {"en": "Preview", "ja": "プレビュー"},
    "picker-open": {"en": "Open your own .py file…  (ctrl+o)", "ja": "自分の .py ファイルを開く…  (ctrl+o)"},
    "picker-open-preview": {
        "en": "Open any asyncio program: a path box with completion and a directory "
        "browser. It runs under asyncscope just like the built-in scenarios.",
        "ja": "任意の asyncio プログラムを開きます。補完つきのパス入力欄とディレクトリブラウザーがあります。"
        "組み込みのシナリオと同じように asyncscope の下で実行されます。",
    },
    "level-beginner": {"en": "beginner", "ja": "入門"},
    "level-intermediate": {"en": "intermediate", "ja": "中級"},
    "level-advanced": {"en": "advanced", "ja": "上級"},
    # The open-file dialog.
    "open-hint": {
        "en": "Type a path (tab completes) or browse, then enter.",
        "ja": "パスを入力する (tab で補完) か一覧から選んで、enter を押します。",
    },
    "open-title": {"en": "Open a Python file", "ja": "Python ファイルを開く"},
    "open-clock": {"en": "Clock", "ja": "時計"},
    "open-clock-virtual": {
        "en": "virtual clock: idle time is skipped, runs repeat exactly",
        "ja": "仮想時計: 待ち時間を飛ばし、何度実行しても同じ結果になります",
    },
    "open-clock-real": {
        "en": "real clock: for network servers, clients and subprocesses",
        "ja": "実時間の時計: ネットワークのサーバーやクライアント、サブプロセス向け",
    },
    "open-real-chosen": {
        "en": "{name} uses the network or subprocesses: the real clock is chosen",
        "ja": "{name} はネットワークかサブプロセスを使うため、実時間の時計を選びました",
    },
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


def state_word(state: str) -> str:
    """A task state as the views write it (``done``; 完了 in Japanese). The JSON report
    keeps the English word: it is an API."""
    key = f"state-{state}"
    return text(key) if key in MESSAGES else state


def status_word(status: str) -> str:
    """A run status as the views write it (``finished``; 終了 in Japanese)."""
    key = f"status-{status}"
    return text(key) if key in MESSAGES else status


def _japanese(char: str) -> bool:
    """Kana, kanji, and the CJK and full-width punctuation Japanese text is set with."""
    code = ord(char)
    return (0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xFF01 <= code <= 0xFF60 or 0x31F0 <= code <= 0x31FF)


def _closes(char: str) -> bool:
    """Japanese punctuation after which no space is set (。、」） ...)."""
    return char in "。、，．・：；！？」』）】〕〉》" or 0xFF01 <= ord(char) <= 0xFF0F


def paragraphs(words: str) -> list[str]:
    """A text written over several lines (a scenario's explanation) as its paragraphs, each
    on one line. A blank line separates paragraphs. Within one, the lines are joined with a
    space, or with nothing where the break falls between two Japanese characters or after
    Japanese punctuation (Japanese sets no space between words, nor after 。)."""
    result: list[str] = []
    current = ""
    for raw in words.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current:
                result.append(current)
            current = ""
            continue
        if current and not (_japanese(current[-1]) and (_japanese(line[0]) or _closes(current[-1]))):
            current += " "
        current += line
    return result


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
