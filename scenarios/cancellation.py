# /// asyncscope
# order = 110
# level = "intermediate"
# title.en = "Cancelling a task and handling CancelledError"
# title.ja = "タスクのキャンセルと CancelledError の扱い"
# summary.en = "task.cancel() raises CancelledError inside the task at its await; it cleans up and re-raises."
# summary.ja = "task.cancel() はタスクの await の位置に CancelledError を送り込む。タスクは後片付けをして再送出する。"
# watch.en = "At t=1 main cancels the worker, which is in the middle of a 10 s sleep. The worker wakes with CancelledError, spends 0.5 s cleaning up, and ends 'cancelled' at t=1.5."
# watch.ja = "t=1 に main が、10 秒の sleep の途中にいる worker をキャンセルします。worker は CancelledError で起こされ、0.5 秒かけて後片付けをし、t=1.5 に cancelled で終わります。"
# explain.en = """
# `task.cancel()` does not stop a task on the spot. It asks: the next time the task resumes,
# `CancelledError` is raised at the `await` where it was suspended. The task can catch it
# to clean up (even awaiting while it does), but it should then re-raise it, so that the
# task really ends as cancelled and whoever awaits it sees `CancelledError` too.
#
# Swallowing `CancelledError` (catching it and carrying on) breaks timeouts and TaskGroups,
# which rely on cancellation to work."""
# explain.ja = """
# `task.cancel()` はタスクをその場で止めるわけではありません。
# 次にタスクが再開するとき、中断していた `await` の位置で `CancelledError` が送出されるよう頼むだけです。
# タスクはそれを捕まえて後片付けをしてもよく(その間に await することもできます)、最後には再送出すべきです。
# そうすればタスクは本当に cancelled で終わり、await している側も `CancelledError` を受け取ります。
#
# `CancelledError` を握りつぶす(捕まえてそのまま続ける)と、キャンセルに頼っているタイムアウトや TaskGroup が正しく動かなくなります。"""
#
# [expect]
# status = "finished"
# elapsed = 1.5
# output = [
#     "worker: starting a 10 s job",
#     "main: cancelling the worker",
#     "worker: cancelled, cleaning up",
#     "worker: cleanup done",
#     "main: the worker was cancelled? True",
# ]
# user_tasks = 2
# ///
"""Cancel a task; it catches CancelledError, cleans up, and re-raises."""

import asyncio


async def worker():
    print("worker: starting a 10 s job")
    try:
        await asyncio.sleep(10)
        print("worker: finished")  # never reached
    except asyncio.CancelledError:
        print("worker: cancelled, cleaning up")
        await asyncio.sleep(0.5)  # cleanup may await too
        print("worker: cleanup done")
        raise  # let the cancellation finish


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    print("main: cancelling the worker")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"main: the worker was cancelled? {task.cancelled()}")


asyncio.run(main())
