# /// asyncscope
# order = 10
# level = "beginner"
# title.en = "A coroutine function only makes a coroutine object"
# title.ja = "コルーチン関数はコルーチンオブジェクトを作るだけ"
# summary.en = "Calling hello() runs nothing; asyncio.run(hello()) runs it."
# summary.ja = "hello() を呼んでも何も実行されない。asyncio.run(hello()) で実行される。"
# watch.en = "The first print shows a coroutine object, not 'hello'. Only one task appears: the one asyncio.run makes."
# watch.ja = "最初の print が表示するのは 'hello' ではなく、コルーチンオブジェクトです。タスクは asyncio.run が作る一つだけです。"
# explain.en = """
# `async def hello()` defines a coroutine function. Calling `hello()` does not run its body:
# it creates a coroutine object, a computation that can run and be suspended. Something has
# to drive it. `asyncio.run(hello())` starts an event loop, wraps the coroutine in a task,
# and runs it to the end."""
# explain.ja = """
# `async def hello()` はコルーチン関数を定義します。
# `hello()` を呼んでも本体は実行されず、実行と中断ができる計算であるコルーチンオブジェクトが作られるだけです。
# それを動かす何かが必要です。
# `asyncio.run(hello())` がイベントループを起動し、コルーチンをタスクに包んで最後まで実行します。"""
#
# [expect]
# status = "finished"
# elapsed = 0.0
# output = ["<coroutine object hello at ...>", "hello"]
# user_tasks = 1
# ///
"""A coroutine function only makes a coroutine object until something runs it."""

import asyncio


async def hello():
    print("hello")


coro = hello()
print(repr(coro).split(" at ")[0] + " at ...>")
asyncio.run(coro)
