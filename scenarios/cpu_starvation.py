# /// asyncscope
# order = 220
# level = "intermediate"
# title.en = "A CPU-bound task starves the others; sleep(0) shares"
# title.ja = "CPU を使い続けるタスクがほかを飢えさせる。sleep(0) で譲る"
# summary.en = "A number-crunching loop with no await runs all its chunks before the heartbeat can beat again; await asyncio.sleep(0) after each chunk lets them take turns."
# summary.ja = "await のない計算ループは、ハートビートがもう一度動く前に全部のチャンクを実行してしまう。各チャンクの後に await asyncio.sleep(0) を入れると交互に動く。"
# watch.en = "In round 1, after 'heartbeat 0', the greedy cruncher takes a single long step: chunk 0, 1, 2; only then does the heartbeat beat again. In round 2 the polite cruncher takes one step per chunk, and the heartbeat's lines interleave with them. Only round 1 gets a blocking diagnostic: its single step holds the loop for 180 ms, over the 100 ms limit, while each polite step takes 60 ms."
# watch.ja = "第 1 ラウンドでは 'heartbeat 0' の後、欲張りな計算タスクが一つの長いステップで chunk 0、1、2 を実行し、それが終わってやっとハートビートがもう一度動きます。第 2 ラウンドでは行儀のよい計算タスクがチャンクごとに一ステップずつ進み、ハートビートの行と交互に並びます。blocking の診断が出るのは第 1 ラウンドだけです。その一つのステップは 100 ms の上限を超える 180 ms ループを占有しますが、行儀のよいステップは一つ 60 ms です。"
# explain.en = """
# A task keeps the loop until it reaches an `await` that actually suspends. A long
# computation without one starves every other task, exactly like a blocking call.
#
# `await asyncio.sleep(0)` suspends for zero time: the task goes to the back of the ready
# queue, and everything else that is ready runs first. Sprinkle it in long loops to share
# the loop. (Both rounds take the same 0.18 s of CPU time, 0.36 s in all: sharing does not make
# the work faster, it only lets the heartbeat beat in between. For truly heavy work, use a process pool.)"""
# explain.ja = """
# タスクは、実際に中断する `await` に着くまでループを占有します。
# await のない長い計算は、ブロッキング呼び出しとまったく同じように、ほかのすべてのタスクを飢えさせます。
#
# `await asyncio.sleep(0)` は時間ゼロだけ中断します。
# タスクは実行可能キューの最後に回り、ほかの実行可能なものが先に動きます。
# 長いループの中に入れてループを分け合いましょう。
# (どちらのラウンドも CPU 時間は同じ 0.18 秒、合計 0.36 秒です。分け合っても計算は速くならず、その合間にハートビートが動けるだけです。本当に重い処理にはプロセスプールを使います。)"""
#
# [expect]
# status = "finished"
# # no elapsed: the chunks are CPU time, so the run takes 0.36 s on an idle machine and more on a busy one
# output = [
#     "round 1: greedy",
#     "heartbeat 0",
#     "chunk 0",
#     "chunk 1",
#     "chunk 2",
#     "heartbeat 1",
#     "heartbeat 2",
#     "round 2: polite",
#     "heartbeat 0",
#     "chunk 0",
#     "heartbeat 1",
#     "chunk 1",
#     "heartbeat 2",
#     "chunk 2",
# ]
# diagnostics = ["blocking"]
# user_tasks = 5
# ///
"""A CPU-bound loop without awaits starves other tasks; sleep(0) lets them run."""

import asyncio
import time


def crunch_numbers():
    end = time.thread_time() + 0.06  # 60 ms of pure CPU work (CPU time: the same on a busy machine)
    while time.thread_time() < end:
        pass


async def heartbeat():
    for n in range(3):
        print(f"heartbeat {n}")
        await asyncio.sleep(0)


async def cruncher(polite):
    for n in range(3):
        crunch_numbers()
        print(f"chunk {n}")
        if polite:
            await asyncio.sleep(0)  # give the other tasks a turn


async def main():
    print("round 1: greedy")
    await asyncio.gather(heartbeat(), cruncher(polite=False))
    print("round 2: polite")
    await asyncio.gather(heartbeat(), cruncher(polite=True))


asyncio.run(main())
