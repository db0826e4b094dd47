# /// asyncscope
# order = 50
# level = "beginner"
# title.en = "A coroutine that is never awaited"
# title.ja = "await されないコルーチン"
# summary.en = "Calling hello() without await does nothing, and Python warns about it."
# summary.ja = "await せずに hello() を呼んでも何も起きず、Python が警告する。"
# watch.en = "No 'I say,' and no 'hello': the body never ran. A never-awaited diagnostic points at the line that called hello()."
# watch.ja = "'I say,' も 'hello' も表示されません。本体は一度も実行されていません。never-awaited の診断が hello() を呼んだ行を指します。"
# explain.en = """
# `hello()` only creates a coroutine object. Without `await` (or `create_task`), nothing
# ever runs it; when the object is thrown away, Python warns
# `RuntimeWarning: coroutine 'hello' was never awaited`."""
# explain.ja = """
# `hello()` はコルーチンオブジェクトを作るだけです。
# `await` (または `create_task`) がなければ誰も実行せず、オブジェクトが捨てられたときに Python が `RuntimeWarning: coroutine 'hello' was never awaited` と警告します。"""
#
# [expect]
# status = "finished"
# elapsed = 0.0
# output = ["main starts", "main ends"]
# diagnostics = ["never-awaited"]
# user_tasks = 1
# ///
"""Calling a coroutine function without awaiting it runs nothing."""

import asyncio


async def hello():
    print("I say,")
    await asyncio.sleep(1)
    print("hello")


async def main():
    print("main starts")
    hello()  # the mistake: this only creates a coroutine object
    print("main ends")


asyncio.run(main())
