# /// asyncscope
# order = 80
# level = "beginner"
# title.en = "gather runs coroutines concurrently"
# title.ja = "gather でコルーチンを並行実行する"
# summary.en = "asyncio.gather(goodbye(), hello(), hello()) wraps each in a task: 2 s in all."
# summary.ja = "asyncio.gather(goodbye(), hello(), hello()) はそれぞれをタスクに包む。全体で 2 秒。"
# watch.en = "main waits on gather(3); three tasks run side by side and the run ends at t=2.000."
# watch.ja = "main は gather(3) を待ちます。三つのタスクが並んで動き、実行は t=2.000 で終わります。"
# explain.en = """
# `asyncio.gather(*aws)` wraps each coroutine in a task, runs them concurrently and
# waits for all of them, returning their results in order. The two hello() tasks and the
# goodbye() task sleep at the same time, so the whole thing takes 2 s.
#
# Run `sequential` and `create_task` one after the other and compare the clock: 3 s when
# the coroutines are awaited one after another, 2 s with tasks, as here. Or see both at once: `asyncscope compare sequential gather`."""
# explain.ja = """
# `asyncio.gather(*aws)` は各コルーチンをタスクに包んで並行に実行し、すべての完了を待って結果を順番どおりに返します。
# 二つの hello() と goodbye() は同時に眠るので、全体で 2 秒です。
#
# `sequential` と `create_task` を続けて実行し、時計を比べてみましょう。
# コルーチンを順番に await すると 3 秒、ここと同じくタスクにすると 2 秒です。`asyncscope compare sequential gather` なら両方を一つの画面で比べられます。"""
#
# [expect]
# status = "finished"
# elapsed = 2.0
# output = ["you say,", "I say,", "I say,", "hello", "hello", "goodbye"]
# user_tasks = 4
# ///
"""gather(goodbye(), hello(), hello()): three tasks at once, 2 s in all."""

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
    await asyncio.gather(goodbye(), hello(), hello())


asyncio.run(main())
