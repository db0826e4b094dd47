# /// asyncscope
# order = 120
# level = "intermediate"
# title.en = "Giving up: asyncio.timeout and wait_for"
# title.ja = "待つのをあきらめる: asyncio.timeout と wait_for"
# summary.en = "asyncio.timeout(1) and wait_for(..., timeout=1) cancel what they wait for after 1 s and raise TimeoutError."
# summary.ja = "asyncio.timeout(1) と wait_for(..., timeout=1) は 1 秒後に待っている処理をキャンセルし TimeoutError を送出する。"
# watch.en = "The clock goes 1 → 2 → 3: timeout(1) gives up on the first 5 s download at t=1; wait_for(..., 2) gets the 1 s download in time, at t=2; the second wait_for gives up on its 5 s download at t=3. The run ends at t=3, not t=11."
# watch.ja = "時計は 1 → 2 → 3 と進みます。timeout(1) は t=1 に最初の 5 秒のダウンロードをあきらめ、wait_for(..., 2) は 1 秒のダウンロードの結果を t=2 に間に合って受け取り、二つ目の wait_for は t=3 に 5 秒のダウンロードをあきらめます。実行は t=11 ではなく t=3 で終わります。"
# explain.en = """
# `async with asyncio.timeout(seconds):` (Python 3.11+) puts a deadline on a whole block.
# When it expires, the code inside is cancelled at its current `await`, and the block
# raises `TimeoutError`. `asyncio.wait_for(aw, timeout)` does the same for one awaitable
# and returns its result when it is in time.
#
# Both work through cancellation, which is why code you call must not swallow
# `CancelledError`. (Up to Python 3.11, `wait_for` ran the coroutine in a task of its own;
# since 3.12 it runs it in the caller's task, like `timeout`.)"""
# explain.ja = """
# `async with asyncio.timeout(seconds):` (Python 3.11 以降) はブロック全体に締め切りを設けます。
# 締め切りが来ると中のコードはその時点の `await` でキャンセルされ、ブロックは `TimeoutError` を送出します。
# `asyncio.wait_for(aw, timeout)` は一つの awaitable に同じことをし、間に合えばその結果を返します。
#
# どちらもキャンセルの仕組みで動くので、呼び出す先のコードが `CancelledError` を握りつぶしてはいけません。
# (Python 3.11 までの `wait_for` はコルーチンを専用のタスクで実行していましたが、3.12 からは `timeout` と同じく呼び出し側のタスクで実行します。)"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = [
#     "timeout(1): gave up on the 5 s download",
#     "wait_for(..., 2): got 'small file'",
#     "wait_for(..., 1): gave up on the 5 s download",
# ]
# user_tasks = 1
#
# [expect."python < 3.12"]
# user_tasks = 3  # before 3.12, wait_for wraps the coroutine in a task of its own
# ///
"""Put a deadline on an await with asyncio.timeout() or asyncio.wait_for()."""

import asyncio


async def download(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    try:
        async with asyncio.timeout(1):
            await download("big file", 5)
    except TimeoutError:
        print("timeout(1): gave up on the 5 s download")

    result = await asyncio.wait_for(download("small file", 1), timeout=2)
    print(f"wait_for(..., 2): got {result!r}")

    try:
        await asyncio.wait_for(download("big file", 5), timeout=1)
    except TimeoutError:
        print("wait_for(..., 1): gave up on the 5 s download")


asyncio.run(main())
