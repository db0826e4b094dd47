# /// asyncscope
# order = 70
# level = "beginner"
# title.en = "A task abandoned when main returns"
# title.ja = "main が戻ると見捨てられるタスク"
# summary.en = "create_task without await: only 'I say,' is printed, then asyncio.run cancels the task."
# summary.ja = "await しない create_task: 'I say,' だけが表示され、asyncio.run がタスクをキャンセルする。"
# watch.en = "main returns at once, but hello's first step is already queued ahead of the callback that stops the loop: it prints 'I say,' and starts to sleep. At shutdown asyncio.run cancels it: the task ends 'cancelled' and a cancelled-at-shutdown diagnostic appears."
# watch.ja = "main はすぐに戻りますが、hello の最初のステップはループを止めるコールバックより先にキューに入っているので、'I say,' を表示して sleep に入ります。終了時に asyncio.run がそれをキャンセルし、タスクは cancelled で終わり、cancelled-at-shutdown の診断が出ます。"
# explain.en = """
# `create_task` wraps hello in a task and queues its first step on the loop. main returns
# without awaiting it. The loop does not stop at that instant: main's end only queues the
# callback that stops the loop, behind hello's first step. So hello still runs up to its
# first real suspension, `await asyncio.sleep(1)`, and prints `I say,`. Then `asyncio.run`
# cancels every task still pending: `hello` is never printed.
#
# Do not rely on that first step: work that must finish has to be awaited (or run in a
# TaskGroup)."""
# explain.ja = """
# `create_task` は hello をタスクに包み、その最初のステップをループのキューに入れます。
# main はそれを await せずに戻ります。
# ループはその瞬間には止まりません。main が終わると、ループを止めるコールバックがキューに入りますが、それは hello の最初のステップの後ろです。
# そのため hello は最初の本当の中断である `await asyncio.sleep(1)` まで動き、`I say,` を表示します。
# その後 `asyncio.run` はまだ終わっていないタスクをすべてキャンセルするので、`hello` は表示されません。
#
# この最初のステップを当てにしてはいけません。
# 終わらせる必要のある処理は await する(または TaskGroup の中で動かす)必要があります。"""
#
# [expect]
# status = "finished"
# elapsed = 0.0
# output = ["I say,"]
# diagnostics = ["cancelled-at-shutdown"]
# user_tasks = 2
# ///
"""A task created but never awaited is cancelled when asyncio.run() finishes."""

import asyncio


async def hello():
    print("I say,")
    await asyncio.sleep(1)
    print("hello")


async def main():
    asyncio.create_task(hello())  # never awaited: main returns at once


asyncio.run(main())
