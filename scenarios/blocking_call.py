# /// asyncscope
# order = 200
# level = "intermediate"
# title.en = "A blocking call freezes the whole loop"
# title.ja = "ブロッキング呼び出しはループ全体を止める"
# summary.en = "time.sleep() inside a coroutine stops every task: the ticker cannot tick until the download returns."
# summary.ja = "コルーチンの中の time.sleep() はすべてのタスクを止める。ダウンロードが戻るまでティッカーは時を刻めない。"
# watch.en = "The ticker prints 'tick 0', then the download's single step holds the loop for 0.3 s of real time: no tick appears until 'download done', and a blocking diagnostic points at the time.sleep line. The loop clock moves through those 0.3 s as it would without asyncscope, so tick 1 arrives late, at t=0.3, and the run takes 0.6 s instead of 0.4 s."
# watch.ja = "ティッカーが 'tick 0' を表示した後、ダウンロードの一つのステップが実時間で 0.3 秒ループを占有し、'download done' までティックは一つも出ず、blocking の診断が time.sleep の行を指します。ループの時計は asyncscope なしのときと同じくその 0.3 秒ぶん進むので、tick 1 は t=0.3 に遅れて届き、全体は 0.4 秒ではなく 0.6 秒かかります。"
# explain.en = """
# The event loop can only switch tasks at an `await`. `time.sleep()`, `requests.get()`, a
# slow file read or a heavy computation do not await anything: while one runs, the loop
# and every other task are frozen, however many tasks are "running concurrently".
#
# Inside async code use `await asyncio.sleep()` instead of `time.sleep()`, async libraries
# for network I/O, and `asyncio.to_thread()` for blocking calls you cannot avoid (next
# scenario)."""
# explain.ja = """
# イベントループがタスクを切り替えられるのは `await` のところだけです。
# `time.sleep()`、`requests.get()`、遅いファイル読み込み、重い計算は何も await しません。
# それが動いている間、いくつのタスクが「並行に動いて」いても、ループとほかのすべてのタスクは止まります。
#
# 非同期コードの中では `time.sleep()` の代わりに `await asyncio.sleep()` を、ネットワーク I/O には非同期ライブラリを、避けられないブロッキング呼び出しには `asyncio.to_thread()` (次のシナリオ)を使います。"""
#
# [expect]
# status = "finished"
# elapsed = 0.6
# output = ["tick 0", "download starts", "download done", "tick 1", "tick 2", "tick 3"]
# diagnostics = ["blocking"]
# user_tasks = 3
# ///
"""time.sleep() in a coroutine blocks the event loop, and with it every task."""

import asyncio
import time


async def ticker():
    for n in range(4):
        print(f"tick {n}")
        await asyncio.sleep(0.1)


async def download():
    print("download starts")
    time.sleep(0.3)  # the mistake: blocks the whole event loop
    print("download done")


async def main():
    await asyncio.gather(ticker(), download())


asyncio.run(main())
