# /// asyncscope
# order = 155
# level = "intermediate"
# title.en = "Async generators and async for"
# title.ja = "非同期ジェネレーターと async for"
# summary.en = "An async generator awaits between values; break out of async for, and who closes it?"
# summary.ja = "非同期ジェネレーターは値と値の間で await する。async for を break したら、誰が閉じるのか。"
# watch.en = "The generator runs inside main's task: no task of its own. After the first break, its 'closed' line comes from a separate task the loop creates to finish it off (asyncio's own, so it is listed with the internal tasks: press i); with aclosing(), main closes it right away."
# watch.ja = "ジェネレーターは main のタスクの中で動き、専用のタスクは持ちません。一回目の break の後、'closed' の行はループが後始末のために作る別のタスクから出ます (asyncio 自身のタスクなので内部タスクとして扱われ、i キーを押すと一覧に表示されます)。aclosing() を使うと main がすぐに閉じます。"
# explain.en = """
# An `async def` containing `yield` is an async generator: `async for` pulls values from it,
# and it may `await` between them (here, one reading per second). Like an awaited coroutine
# it runs inside the consuming task.
#
# If you `break` out early, the generator is left suspended. Its `finally` block runs only
# when it is closed: asyncio does that for you later, in a task of its own, when the
# generator is garbage-collected (or at the latest when `asyncio.run` ends). To close it at
# a predictable moment, wrap it in `contextlib.aclosing()`."""
# explain.ja = """
# `yield` を含む `async def` は非同期ジェネレーターです。
# `async for` が値を取り出し、値と値の間で `await` できます(ここでは 1 秒ごとに一つの測定値)。
# await されたコルーチンと同じく、値を使う側のタスクの中で動きます。
#
# 途中で `break` すると、ジェネレーターは中断したまま残されます。
# `finally` ブロックが動くのは閉じられたときだけです。
# asyncio は、ジェネレーターがガベージコレクションされたとき(遅くとも `asyncio.run` の終わり)に、専用のタスクでそれを閉じてくれます。
# 決まったタイミングで閉じるには `contextlib.aclosing()` で包みます。"""
#
# [expect]
# status = "finished"
# elapsed = 4.0
# output = [
#     "got reading 0",
#     "got reading 1",
#     "main: break",
#     "main: after the first loop",
#     "sensor: closed",
#     "got reading 0",
#     "got reading 1",
#     "main: break",
#     "sensor: closed",
#     "main: after the second loop",
# ]
# user_tasks = 1
# ///
"""An async generator yields values with awaits in between; close it when you stop early."""

import asyncio
import contextlib


async def sensor():
    try:
        n = 0
        while True:
            await asyncio.sleep(1)  # wait for the next reading
            yield f"reading {n}"
            n += 1
    finally:
        print("sensor: closed")


async def main():
    async for value in sensor():
        print(f"got {value}")
        if value == "reading 1":
            print("main: break")
            break  # the generator is left suspended; asyncio closes it later
    print("main: after the first loop")  # the generator is not closed yet

    async with contextlib.aclosing(sensor()) as readings:
        async for value in readings:
            print(f"got {value}")
            if value == "reading 1":
                print("main: break")
                break  # aclosing() closes the generator right here
    print("main: after the second loop")


asyncio.run(main())
