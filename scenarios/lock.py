# /// asyncscope
# order = 180
# level = "intermediate"
# title.en = "Lock: lost updates and contention"
# title.ja = "Lock: 失われる更新と競合"
# summary.en = "Three deposits of 10 that read, await, then write lose updates; with a Lock they queue up and the balance is right."
# summary.ja = "残高を読み、await し、書き戻す 10 ずつの入金を三つ同時に行うと、更新が失われる。Lock を使うと順番待ちになり残高が正しくなる。"
# watch.en = "Without the lock all three tasks read the balance at t=0 and each writes 10 at t=1. With the lock, two tasks wait on Lock while one holds it; they take turns at t=1, 2 and 3, and the run ends at t=4. Press x: the resources pane shows the lock, the task holding it and the two waiting, in order."
# watch.ja = "ロックなしでは三つのタスクがすべて t=0 に残高を読み、t=1 にそれぞれ 10 を書き込みます。ロックありでは一つが持っている間、二つが Lock で待ち、t=1、2、3 と順番に進み、実行は t=4 に終わります。x を押すと、リソース欄にロックと、それを持つタスク、順番に待つ二つのタスクが表示されます。"
# explain.en = """
# Only one task runs at a time, and another task gets to run only where the running one
# reaches an `await` that actually suspends (here `asyncio.sleep`; awaiting a coroutine that
# never suspends lets nothing else run). A "read, await, write" sequence on shared data is
# therefore not atomic: all three tasks read 0 before any of them writes, and two deposits
# are lost.
#
# `async with lock:` makes the whole sequence exclusive. The other tasks wait for the lock
# (this is contention) and get it in order. Keep the locked part short, since everyone
# else waits meanwhile."""
# explain.ja = """
# 同時に動くタスクは一つだけで、別のタスクが動けるのは、動いているタスクが実際に中断する `await` に着いたときだけです(ここでは `asyncio.sleep`。一度も中断しないコルーチンを await しても、ほかのタスクは動きません)。
# そのため共有データに対する「読む、await する、書く」の並びは不可分ではありません。
# 三つのタスクはどれかが書く前に全員 0 を読み、入金が二つ失われます。
#
# `async with lock:` でこの並び全体を排他的にできます。
# ほかのタスクはロックを待ち(これが競合です)、順番に取得します。
# ほかの全員が待つことになるので、ロックしている部分は短くしましょう。"""
#
# [expect]
# status = "finished"
# elapsed = 4.0
# output = [
#     "without a lock: balance = 10 (expected 30)",
#     "deposit 1 has the lock",
#     "deposit 2 has the lock",
#     "deposit 3 has the lock",
#     "with a lock: balance = 30",
# ]
# user_tasks = 7
# ///
"""A read-await-write race, fixed with an asyncio.Lock."""

import asyncio

balance = 0


async def deposit(amount):
    global balance
    current = balance
    await asyncio.sleep(1)  # e.g. a round trip to a database
    balance = current + amount


async def deposit_locked(name, amount, lock):
    async with lock:  # the others wait here
        print(f"{name} has the lock")
        await deposit(amount)


async def main():
    global balance
    await asyncio.gather(deposit(10), deposit(10), deposit(10))
    print(f"without a lock: balance = {balance} (expected 30)")

    balance = 0
    lock = asyncio.Lock()
    await asyncio.gather(*(deposit_locked(f"deposit {n}", 10, lock) for n in (1, 2, 3)))
    print(f"with a lock: balance = {balance}")


asyncio.run(main())
