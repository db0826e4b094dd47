# /// asyncscope
# order = 30
# level = "beginner"
# title.en = "Awaiting one after another takes 3 s"
# title.ja = "順番に await すると 3 秒かかる"
# summary.en = "await goodbye(); await hello(): the sleeps add up, and no task is created."
# summary.ja = "await goodbye(); await hello(): sleep の時間が足し算になり、タスクは作られない。"
# watch.en = "One task only. Its await chain goes main -> goodbye -> sleep, then main -> hello -> sleep. The clock ends at t=3.000."
# watch.ja = "タスクは一つだけ。await チェーンは main -> goodbye -> sleep、次に main -> hello -> sleep。時計は t=3.000 で終わります。"
# explain.en = """
# `await coro()` runs the coroutine inside the current task: no new task is created.
# main is suspended until goodbye() has slept 2 s and printed, and only then does it
# call hello(), which sleeps 1 s more. Total: 2 + 1 = 3 s.
#
# Run `create_task` and `gather` after this one and compare the clock: the same two sleeps
# take 3 s here and 2 s there. Or see both at once: `asyncscope compare sequential gather`."""
# explain.ja = """
# `await coro()` はコルーチンを現在のタスクの中で実行します。
# 新しいタスクは作られません。
# main は goodbye() が 2 秒眠って表示するまで中断し、その後で hello() を呼び、さらに 1 秒眠ります。
# 合計 2 + 1 = 3 秒です。
#
# この後で `create_task` と `gather` を実行し、時計を比べてみましょう。
# 同じ二つの sleep が、ここでは 3 秒、あちらでは 2 秒です。`asyncscope compare sequential gather` なら両方を一つの画面で比べられます。"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = ["you say,", "goodbye", "I say,", "hello"]
# user_tasks = 1
# ///
"""Two coroutines awaited one after another: 2 s + 1 s = 3 s, all in one task."""

import asyncio


async def hello():
    print("I say,")
    await asyncio.sleep(1)
    print("hello")


async def goodbye():
    print("you say,")
    await asyncio.sleep(2)
    print("goodbye")


async def main():
    await goodbye()
    await hello()


asyncio.run(main())
