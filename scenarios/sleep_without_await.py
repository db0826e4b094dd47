# /// asyncscope
# order = 52
# level = "beginner"
# title.en = "asyncio.sleep without await: no pause at all"
# title.ja = "await のない asyncio.sleep: まったく待たない"
# summary.en = "asyncio.sleep(1) without await only creates a coroutine object: no delay, only a warning."
# summary.ja = "await のない asyncio.sleep(1) はコルーチンオブジェクトを作るだけ。待ち時間はなく、警告が出るだけ。"
# watch.en = "The three 'without await' ticks all come at t=0: the clock does not move and main never waits. Three never-awaited diagnostics point at the asyncio.sleep(1) line (Python prints its RuntimeWarning only once for that line). With await, main waits on sleep between ticks: they come at t=0, 1 and 2, and the run ends at t=3."
# watch.ja = "'without await' の三つの tick はすべて t=0 に出ます。時計は進まず、main は一度も待ちません。三つの never-awaited の診断が asyncio.sleep(1) の行を指します(Python の RuntimeWarning は同じ行については一度しか表示されません)。await を付けると、main は tick の合間に sleep で待ち、tick は t=0、1、2 に出て、実行は t=3 で終わります。"
# explain.en = """
# `asyncio.sleep` is a coroutine function like any other: `asyncio.sleep(1)` creates a
# coroutine object and runs nothing. Without `await` the object is thrown away at once:
# there is no pause at all, and Python only warns
# `RuntimeWarning: coroutine 'sleep' was never awaited` on stderr, which is easy to miss.
#
# A retry or polling loop written this way runs at full speed: it hammers the server it
# meant to wait for, and since it never suspends, no other task runs meanwhile. Write
# `await asyncio.sleep(1)`. A type checker catches the mistake before you run the program
# (pyright reports it as reportUnusedCoroutine)."""
# explain.ja = """
# `asyncio.sleep` もほかと同じコルーチン関数で、`asyncio.sleep(1)` はコルーチンオブジェクトを作るだけで何も実行しません。
# `await` がなければそのオブジェクトはすぐに捨てられるので、まったく待たず、Python が stderr に `RuntimeWarning: coroutine 'sleep' was never awaited` と警告するだけです。
# この警告は見落としがちです。
#
# このように書いたリトライやポーリングのループは全速力で回ります。
# 待つつもりだったサーバーに要求を浴びせ続け、一度も中断しないので、その間ほかのタスクは動けません。
# `await asyncio.sleep(1)` と書きましょう。
# 型チェッカーなら実行する前にこの間違いを見つけてくれます(pyright では reportUnusedCoroutine)。"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = [
#     "without await: tick 0 at t=0",
#     "without await: tick 1 at t=0",
#     "without await: tick 2 at t=0",
#     "with await: tick 0 at t=0",
#     "with await: tick 1 at t=1",
#     "with await: tick 2 at t=2",
# ]
# diagnostics = ["never-awaited", "never-awaited", "never-awaited"]
# stderr = ["RuntimeWarning: coroutine 'sleep' was never awaited"]
# user_tasks = 1
# ///
"""asyncio.sleep() without await does not wait: it only makes a coroutine object."""

import asyncio


async def main():
    loop = asyncio.get_running_loop()

    start = loop.time()
    for n in range(3):
        print(f"without await: tick {n} at t={loop.time() - start:.0f}")
        asyncio.sleep(1)  # the mistake: no await, so no pause (and a warning)

    start = loop.time()
    for n in range(3):
        print(f"with await: tick {n} at t={loop.time() - start:.0f}")
        await asyncio.sleep(1)


asyncio.run(main())
