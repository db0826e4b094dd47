# /// asyncscope
# order = 240
# level = "advanced"
# title.en = "Deadlock: two tasks waiting for each other"
# title.ja = "デッドロック: 互いを待つ二つのタスク"
# summary.en = "Each task holds one Lock and waits for the other's: neither can ever continue. (Run plainly, this program hangs.)"
# summary.ja = "それぞれのタスクが一つの Lock を持ったまま相手の Lock を待つので、どちらも先に進めない。(普通に実行するとこのプログラムは止まったままになる。)"
# watch.en = "At t=0.5 bob, holding lock B, starts waiting on lock A; at t=1 alice, holding A, starts waiting on B. No timer, I/O or thread can wake anyone: asyncscope ends the run as 'deadlock' and tells the cycle: each task holds one lock and waits for the other's. Press x: the resources pane shows both locks, their holders and waiters."
# watch.ja = "t=0.5 にロック B を持つ bob がロック A を待ち始め、t=1 に A を持つ alice が B を待ち始めます。誰かを起こすタイマーも I/O もスレッドもありません。asyncscope は実行を deadlock として終え、循環を示します。どちらのタスクも一つのロックを持ったまま、相手のロックを待っています。x を押すと、リソース欄に二つのロックと、その保持者と待ち手が表示されます。"
# explain.en = """
# alice takes lock A then lock B; bob takes them in the opposite order. A moment later
# each holds one lock and waits for the other's, forever. A plain Python program would
# simply hang with no error at all.
#
# The classic cure is to always acquire locks in the same order (here: A before B), or to
# hold only one lock at a time. The same thing happens with two tasks that each wait for
# an Event only the other would set, or a task that acquires a Lock it already holds
# (asyncio's Lock is not reentrant)."""
# explain.ja = """
# alice はロック A、次にロック B を取り、bob は逆の順番で取ります。
# 少し後には、それぞれが一つのロックを持ったまま相手のロックを永遠に待ちます。
# 普通の Python プログラムなら、エラーも出さずにただ止まったままになります。
#
# 定番の対策は、ロックをいつも同じ順番で取る(ここでは A の次に B)か、一度に一つのロックしか持たないことです。
# 相手だけがセットする Event を互いに待つ二つのタスクや、すでに持っている Lock をもう一度取ろうとするタスクでも同じことが起きます(asyncio の Lock は再入可能ではありません)。"""
#
# [expect]
# status = "deadlock"
# elapsed = 1.0
# output = [
#     "alice: has lock A",
#     "bob: has lock B",
#     "bob: waiting for lock A",
#     "alice: waiting for lock B",
# ]
# diagnostics = ["deadlock"]
# user_tasks = 3
# ///
"""Two tasks take two locks in opposite order and wait for each other forever."""

import asyncio


async def worker(name, locks, first, second, think):
    async with locks[first]:
        print(f"{name}: has lock {first}")
        await asyncio.sleep(think)  # meanwhile, the other task takes its first lock
        print(f"{name}: waiting for lock {second}")
        async with locks[second]:
            print(f"{name}: has both locks")  # never reached


async def main():
    locks = {"A": asyncio.Lock(), "B": asyncio.Lock()}
    await asyncio.gather(
        worker("alice", locks, "A", "B", think=1),
        worker("bob", locks, "B", "A", think=0.5),
    )


asyncio.run(main())
