# /// asyncscope
# order = 70
# level = "beginner"
# title.en = "A task abandoned when main returns"
# title.ja = "main が戻ると見捨てられるタスク"
# summary.en = "create_task without await: only 'I say,' is printed, then asyncio.run cancels the task."
# summary.ja = "await しない create_task: 'I say,' だけが表示され、asyncio.run がタスクをキャンセルする。"
# watch.en = "The hello task runs up to its first sleep, then main returns. At shutdown the task ends 'cancelled' and a cancelled-at-shutdown diagnostic appears."
# watch.ja = "hello タスクは最初の sleep まで進み、main が戻ります。終了時にタスクは cancelled になり、cancelled-at-shutdown の診断が出ます。"
# explain.en = """
# `create_task` schedules the task, and it runs as soon as main yields to the loop. But
# main returns without awaiting it, and `asyncio.run` then cancels every task still
# pending. Only the part before the task's first suspension ran: `I say,` is printed,
# `hello` never is."""
# explain.ja = """
# `create_task` はタスクをスケジュールし、main がループに制御を返すとすぐに実行されます。
# しかし main はそれを await せずに戻り、`asyncio.run` はまだ終わっていないタスクをすべて
# キャンセルします。最初の中断までの部分だけが実行され、`I say,` は表示されますが `hello` は表示されません。"""
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
    asyncio.create_task(hello())
    await asyncio.sleep(0)  # let the task start: it prints, then sleeps


asyncio.run(main())
