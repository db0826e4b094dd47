# /// asyncscope
# order = 60
# level = "beginner"
# title.en = "create_task, then await: 2 s"
# title.ja = "create_task してから await: 2 秒"
# summary.en = "Both coroutines start as tasks first and sleep at the same time."
# summary.ja = "両方のコルーチンを先にタスクとして開始し、同時に眠らせる。"
# watch.en = "Two new tasks appear next to main. 'hello' is printed at t=1.000, 'goodbye' at t=2.000: the run ends at 2 s, not 3 s."
# watch.ja = "main の横に新しいタスクが二つ現れます。'hello' は t=1.000、'goodbye' は t=2.000 に表示され、実行は 3 秒ではなく 2 秒で終わります。"
# explain.en = """
# `asyncio.create_task(coro)` wraps the coroutine in a task and schedules it at once.
# While one task sleeps, the event loop runs the other: both sleeps overlap, so the
# program takes as long as the longest sleep (2 s). The output follows the sleeps.
#
# Run `sequential` and `gather` one after the other and compare the clock: `sequential`
# awaits the same two coroutines one after another and takes 3 s; `gather` makes the tasks
# for you and takes 2 s, like this program. Or see two at once: `asyncscope compare sequential create_task`."""
# explain.ja = """
# `asyncio.create_task(coro)` はコルーチンをタスクに包み、すぐにスケジュールします。
# 一方のタスクが眠っている間、イベントループはもう一方を実行します。
# 二つの sleep が重なるので、プログラムは一番長い sleep (2 秒) だけかかります。
# 出力の順番は sleep の長さに従います。
#
# `sequential` と `gather` を続けて実行し、時計を比べてみましょう。
# 同じ二つのコルーチンを順番に await する `sequential` は 3 秒、タスクを代わりに作ってくれる `gather` はこのプログラムと同じ 2 秒です。`asyncscope compare sequential create_task` なら二つを一つの画面で比べられます。"""
#
# [expect]
# status = "finished"
# elapsed = 2.0
# output = ["you say,", "I say,", "hello", "goodbye"]
# user_tasks = 3
# ///
"""Start both coroutines as tasks, then await them: 2 s instead of 3 s."""

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
    task1 = asyncio.create_task(goodbye())
    task2 = asyncio.create_task(hello())
    await task1
    await task2


asyncio.run(main())
