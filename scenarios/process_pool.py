# /// asyncscope
# order = 225
# level = "intermediate"
# title.en = "CPU-heavy work in a process pool, not a thread"
# title.ja = "CPU の重い処理はスレッドではなくプロセスプールで"
# summary.en = "loop.run_in_executor(pool, crunch, 0.3) with a ProcessPoolExecutor runs pure-Python CPU work in another process, with its own GIL; the heartbeat keeps beating meanwhile."
# summary.ja = "ProcessPoolExecutor を渡した loop.run_in_executor(pool, crunch, 0.3) は、純粋な Python の CPU 処理を独自の GIL を持つ別プロセスで実行する。その間もハートビートは動き続ける。"
# watch.en = "In both rounds 'heartbeat 1', 2 and 3 appear while crunch is still working, before the round's 'done' line: the loop stays free. Round 1 ends with 'thread: done, in this process', round 2 with 'process: done, in another process'. The loop clock follows real time while the job runs, so the exact times vary a little."
# watch.ja = "どちらのラウンドでも、crunch がまだ動いている間、そのラウンドの done の行より前に 'heartbeat 1'、2、3 が表示されます。ループは空いたままです。第 1 ラウンドは 'thread: done, in this process' で、第 2 ラウンドは 'process: done, in another process' で終わります。処理が動いている間はループの時計が実時間に従うので、正確な時刻は少し揺れます。"
# explain.en = """
# `await loop.run_in_executor(executor, func, *args)` runs an ordinary function in an
# executor and suspends only the calling task. With `None` (the default thread pool, like
# `asyncio.to_thread`) it runs in a thread of this process; with a `ProcessPoolExecutor` it
# runs in a worker process.
#
# For CPU-heavy Python code the difference is the GIL: only one thread of a process runs
# Python code at a time. The loop still gets turns (the interpreter switches threads every
# 5 ms), so the heartbeat beats in round 1 too, but the job and the loop share one core:
# two such jobs in threads take as long as one after the other. A worker process has its
# own interpreter and its own GIL, and runs on another core. The arguments and the result
# travel between the processes by pickling, so keep them small.
#
# A worker process must be able to import the function: define it at the top level of a
# module, and start the program under `if __name__ == "__main__":`. With the "spawn" start
# method used here (the default on Windows and macOS) each worker imports this file anew;
# without the guard it would run the program again."""
# explain.ja = """
# `await loop.run_in_executor(executor, func, *args)` は通常の関数をエグゼキューターで実行し、呼び出したタスクだけを中断します。
# `None` (`asyncio.to_thread` と同じ既定のスレッドプール)ならこのプロセスのスレッドで、`ProcessPoolExecutor` ならワーカープロセスで実行されます。
#
# CPU の重い Python コードでは GIL が違いを生みます。一つのプロセスで同時に Python コードを実行できるスレッドは一つだけです。
# ループにも順番は回ってくる(インタープリターは 5 ms ごとにスレッドを切り替える)ので第 1 ラウンドでもハートビートは動きますが、処理とループは一つのコアを分け合います。
# そうした処理を二つスレッドで動かすと、一つずつ順に動かすのと同じだけ時間がかかります。
# ワーカープロセスは自分のインタープリターと自分の GIL を持ち、別のコアで動きます。
# 引数と結果は pickle されてプロセス間を行き来するので、小さく保ちましょう。
#
# ワーカープロセスは関数をインポートできなければなりません。関数はモジュールのトップレベルで定義し、プログラムは `if __name__ == "__main__":` の下で開始します。
# ここで使っている "spawn" 方式(Windows と macOS の既定)では各ワーカーがこのファイルを改めてインポートするので、このガードがないとプログラムがもう一度実行されてしまいます。"""
#
# [expect]
# status = "finished"
# output = [
#     "round 1: crunch in a thread",
#     "heartbeat 1",
#     "heartbeat 2",
#     "heartbeat 3",
#     "thread: done, in this process",
#     "round 2: crunch in a process",
#     "heartbeat 1",
#     "heartbeat 2",
#     "heartbeat 3",
#     "process: done, in another process",
# ]
# real_time = true  # the job is 0.3 s of CPU time, the heartbeats end at 0.15 s: 0.15 s to spare
# user_tasks = 1
# ///
"""CPU-heavy work in a ProcessPoolExecutor runs beside the loop, in another process."""

import asyncio
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor


def crunch(seconds):
    """Pure CPU work: count until this thread has used `seconds` of CPU time."""
    end = time.thread_time() + seconds
    count = 0
    while time.thread_time() < end:
        count += 1
    return os.getpid()  # which process did the work


async def heartbeat():
    for n in range(1, 4):
        await asyncio.sleep(0.05)
        print(f"heartbeat {n}")


def where(pid):
    return "in this process" if pid == os.getpid() else "in another process"


async def main():
    loop = asyncio.get_running_loop()

    print("round 1: crunch in a thread")
    job = loop.run_in_executor(None, crunch, 0.3)  # the default thread pool
    await heartbeat()
    print("thread: done,", where(await job))

    print("round 2: crunch in a process")
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter per worker
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        job = loop.run_in_executor(pool, crunch, 0.3)
        await heartbeat()
        print("process: done,", where(await job))


if __name__ == "__main__":  # a worker process imports this file: it must not start the program again
    asyncio.run(main())
