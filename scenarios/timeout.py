# /// asyncscope
# order = 120
# level = "intermediate"
# title.en = "Giving up: asyncio.timeout and wait_for"
# title.ja = "待つのをあきらめる: asyncio.timeout と wait_for"
# summary.en = "asyncio.timeout(1) and wait_for(..., timeout=1) cancel what they wait for after 1 s and raise TimeoutError."
# summary.ja = "asyncio.timeout(1) と wait_for(..., timeout=1) は 1 秒後に待っている処理をキャンセルし TimeoutError を送出する。"
# watch.en = "Each 5 s download is cut off after 1 s: the clock reaches t=1, then t=3 (the middle call finishes in time), and the run ends at t=3, not t=11."
# watch.ja = "5 秒かかるダウンロードはどれも 1 秒で打ち切られます。時計は t=1、次に t=3 (真ん中の呼び出しは時間内に終わります) と進み、実行は t=11 ではなく t=3 で終わります。"
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
# 締め切りが来ると中のコードはその時点の `await` でキャンセルされ、ブロックは `TimeoutError` を
# 送出します。`asyncio.wait_for(aw, timeout)` は一つの awaitable に同じことをし、間に合えば
# その結果を返します。
#
# どちらもキャンセルの仕組みで動くので、呼び出す先のコードが `CancelledError` を握りつぶしてはいけません。(Python 3.11 までの `wait_for` はコルーチンを専用のタスクで
# 実行していましたが、3.12 からは `timeout` と同じく呼び出し側のタスクで実行します。)"""
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
