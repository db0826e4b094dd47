# /// asyncscope
# order = 140
# level = "intermediate"
# title.en = "as_completed: results in the order they finish"
# title.ja = "as_completed: 終わった順に結果を受け取る"
# summary.en = "Three downloads of 3, 1 and 2 s: as_completed hands their results over at t=1, 2 and 3."
# summary.ja = "3 秒、1 秒、2 秒のダウンロード三つ。as_completed は t=1、2、3 の順に結果を渡す。"
# watch.en = "Three tasks start at t=0. main prints one result at t=1, t=2 and t=3, in finishing order, not in the order they were listed."
# watch.ja = "t=0 に三つのタスクが始まります。main は t=1、t=2、t=3 に一つずつ結果を表示します。並べた順ではなく、終わった順です。"
# explain.en = """
# `gather` returns all results at once, in the order you passed them. When you want to act
# on each result as soon as it is ready (show progress, use the fastest answer),
# `asyncio.as_completed(aws)` gives you an iterator of awaitables: each `await` returns the
# next result to finish. It wraps the coroutines in tasks, so they all run concurrently."""
# explain.ja = """
# `gather` はすべての結果を、渡した順番でまとめて返します。
# 準備ができた結果から順に処理したいとき(進捗を表示する、一番速い答えを使う)は、`asyncio.as_completed(aws)` を使います。
# これは awaitable のイテレーターを返し、`await` するたびに次に終わった結果が得られます。
# コルーチンはタスクに包まれるので、すべて並行に動きます。"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = ["fast (1 s)", "medium (2 s)", "slow (3 s)"]
# user_tasks = 4
# ///
"""as_completed(): handle each result as soon as it is ready."""

import asyncio


async def download(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} ({seconds} s)"


async def main():
    downloads = [download("slow", 3), download("fast", 1), download("medium", 2)]
    for next_done in asyncio.as_completed(downloads):
        print(await next_done)


asyncio.run(main())
