# /// asyncscope
# order = 235
# level = "advanced"
# title.en = "An exception nobody retrieves"
# title.ja = "誰も受け取らない例外"
# summary.en = "A background task fails, but since nobody awaits it, the error goes unnoticed and main carries on."
# summary.ja = "バックグラウンドのタスクが失敗しても、誰も await しないのでエラーは気づかれず、main はそのまま続く。"
# watch.en = "send_email turns 'failed' at t=1 while main keeps sleeping. Nothing stops; only an exception-never-retrieved diagnostic (and Python's log line on stderr) tells you."
# watch.ja = "send_email は t=1 に failed になりますが、main は眠り続けます。何も止まりません。exception-never-retrieved の診断(と stderr に出る Python のログ)だけが教えてくれます。"
# explain.en = """
# An exception raised inside a task is stored in the task, to be raised again where the
# task is awaited. If nobody ever awaits it (or calls `result()` / `exception()`), the error
# is lost; Python only logs "Task exception was never retrieved" when the task object is
# finally deleted, possibly much later.
#
# Await every task you start, or use a TaskGroup, which re-raises its tasks' errors. For
# true background jobs, add a done callback that logs failures."""
# explain.ja = """
# タスクの中で送出された例外はタスクに保存され、そのタスクを await した場所で改めて送出されます。
# 誰も await しなければ(`result()` や `exception()` も呼ばなければ)エラーは失われます。
# Python はタスクオブジェクトが最終的に削除されたとき(ずっと後かもしれません)に "Task exception was never retrieved" とログに出すだけです。
#
# 開始したタスクはすべて await するか、タスクのエラーを送出し直してくれる TaskGroup を使いましょう。
# 本当のバックグラウンド処理には、失敗を記録する完了コールバックを付けます。"""
#
# [expect]
# status = "finished"
# elapsed = 2.0
# output = ["main: sending an email in the background", "main: done (was the email sent?)"]
# diagnostics = ["exception-never-retrieved"]
# user_tasks = 2
# ///
"""A task fails in the background and nobody notices."""

import asyncio


async def send_email():
    await asyncio.sleep(1)
    raise ConnectionError("mail server unreachable")


async def main():
    print("main: sending an email in the background")
    asyncio.create_task(send_email())  # never awaited: its error has nowhere to go
    await asyncio.sleep(2)
    print("main: done (was the email sent?)")


asyncio.run(main())
