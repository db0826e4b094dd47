# /// asyncscope
# order = 210
# level = "intermediate"
# title.en = "to_thread: move the blocking call off the loop"
# title.ja = "to_thread: ブロッキング呼び出しをループの外へ"
# summary.en = "await asyncio.to_thread(time.sleep, 0.75) runs the blocking call in a worker thread; the ticker keeps ticking."
# summary.ja = "await asyncio.to_thread(time.sleep, 0.75) はブロッキング呼び出しをワーカースレッドで実行する。ティッカーは刻み続ける。"
# watch.en = "The download task waits on a thread while the ticker goes on: ticks 1 and 2 appear before 'download done'. The virtual clock follows real time while the thread is busy, so the exact times vary a little."
# watch.ja = "ダウンロードのタスクはスレッドを待ち、その間もティッカーは動きます。'download done' の前に tick 1 と tick 2 が表示されます。スレッドが動いている間、仮想時計は実時間に従うので、正確な時刻は少し揺れます。"
# explain.en = """
# `await asyncio.to_thread(func, *args)` runs an ordinary blocking function in a thread of
# the loop's default executor and suspends only the calling task until it returns. The
# loop stays free, so the other tasks keep running.
#
# Threads help with blocking I/O (files, `requests`, old database drivers). They do not
# make CPU-heavy Python code faster, because of the GIL; for that, use a process pool
# (`loop.run_in_executor(ProcessPoolExecutor(), ...)`)."""
# explain.ja = """
# `await asyncio.to_thread(func, *args)` は通常のブロッキング関数をループの既定のエグゼキューターのスレッドで実行し、それが戻るまで呼び出したタスクだけを中断します。
# ループは空いたままなので、ほかのタスクは動き続けます。
#
# スレッドが役に立つのはブロッキング I/O (ファイル、`requests`、古いデータベースドライバー)です。
# GIL があるので CPU の重い Python コードは速くなりません。
# その場合はプロセスプール(`loop.run_in_executor(ProcessPoolExecutor(), ...)`)を使います。"""
#
# [expect]
# status = "finished"
# output = ["tick 0", "download starts", "tick 1", "tick 2", "download done", "tick 3", "tick 4"]
# real_time = true  # waits for a real thread: the order holds with 0.15 s to spare
# user_tasks = 3
# ///
"""asyncio.to_thread() runs a blocking call in a thread, so the loop stays free."""

import asyncio
import time


async def ticker():
    for n in range(5):
        print(f"tick {n}")
        await asyncio.sleep(0.3)


async def download():
    print("download starts")
    await asyncio.to_thread(time.sleep, 0.75)  # blocks a worker thread, not the loop
    print("download done")


async def main():
    await asyncio.gather(ticker(), download())


asyncio.run(main())
