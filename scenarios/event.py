# /// asyncscope
# order = 190
# level = "intermediate"
# title.en = "Event: one signal wakes every waiter"
# title.ja = "Event: 一つの合図で待っている全員が起きる"
# summary.en = "Three tasks wait on an Event; main sets it at t=1 and all three continue."
# summary.ja = "三つのタスクが Event を待つ。main が t=1 にそれをセットすると、三つとも動き出す。"
# watch.en = "From t=0 to t=1 the three waiters wait on Event.wait. When main calls set(), all three become ready at once and finish at t=1. Press x: the resources pane shows the event as not set, with its three waiters, until t=1."
# watch.ja = "t=0 から t=1 まで、三つのタスクは Event.wait で待っています。main が set() を呼ぶと三つ同時に実行可能になり、t=1 に終わります。x を押すと、t=1 まではリソース欄にセットされていないイベントと三つの待ち手が表示されます。"
# explain.en = """
# `asyncio.Event` is a flag that tasks can wait for. `await event.wait()` suspends until
# some other task calls `event.set()`; then every waiter wakes up, and later waits return
# at once (until `clear()`). Use it to say "the data is ready" or "shut down now" to any
# number of tasks. Unlike a Lock, nobody owns an Event."""
# explain.ja = """
# `asyncio.Event` はタスクが待つことのできるフラグです。
# `await event.wait()` は別のタスクが `event.set()` を呼ぶまで中断し、呼ばれると待っていた全員が起きます。
# その後の wait は(`clear()` するまで)すぐに戻ります。
# 「データの準備ができた」「今すぐ終了せよ」を何個のタスクにでも伝えられます。
# Lock と違い、Event には持ち主がいません。"""
#
# [expect]
# status = "finished"
# elapsed = 1.0
# output = [
#     "A waits for the signal",
#     "B waits for the signal",
#     "C waits for the signal",
#     "main: go!",
#     "A got the signal",
#     "B got the signal",
#     "C got the signal",
# ]
# user_tasks = 4
# ///
"""An asyncio.Event wakes every task waiting for it."""

import asyncio


async def waiter(name, event):
    print(f"{name} waits for the signal")
    await event.wait()
    print(f"{name} got the signal")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(name, event)) for name in "ABC"]
    await asyncio.sleep(1)
    print("main: go!")
    event.set()
    await asyncio.gather(*tasks)


asyncio.run(main())
