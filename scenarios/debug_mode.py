# /// asyncscope
# order = 238
# level = "intermediate"
# title.en = "asyncio's debug mode: the checker you already have"
# title.ja = "asyncio のデバッグモード: すでに手元にある検査役"
# summary.en = "asyncio.run(main(), debug=True) logs every step that holds the loop longer than slow_callback_duration (0.1 s) and says where a never-awaited coroutine was created."
# summary.ja = "asyncio.run(main(), debug=True) は slow_callback_duration (0.1 秒)より長くループを占有したステップをすべてログに出し、await されなかったコルーチンがどこで作られたかを教えてくれる。"
# watch.en = "The first line is 'main: debug=True, slow_callback_duration=0.1'. On stderr Python warns that coroutine 'forgotten' was never awaited, followed by `Coroutine created at` and the call stack down to the line in main. resize_images's first step holds the loop for 0.2 s with time.sleep, and asyncio logs it: `Executing <Task pending name='resize_images' ...> took 0.20x seconds`. asyncscope's own never-awaited and blocking diagnostics report the same two problems."
# watch.ja = "最初の行は 'main: debug=True, slow_callback_duration=0.1' です。stderr には、コルーチン forgotten が await されなかったという Python の警告と、それに続く `Coroutine created at` と main の中の行までの呼び出し履歴が出ます。resize_images の最初のステップは time.sleep で 0.2 秒ループを占有し、asyncio がそれを `Executing <Task pending name='resize_images' ...> took 0.20x seconds` とログに出します。asyncscope 自身の never-awaited と blocking の診断も同じ二つの問題を報告します。"
# explain.en = """
# asyncio has a debug mode, off by default because it slows things down. Turn it on with
# `asyncio.run(main(), debug=True)`, with the environment variable `PYTHONASYNCIODEBUG=1`
# (no change to the code), or with `python -X dev`. Then asyncio:
#
# - logs a warning for every callback or task step that takes longer than
#   `loop.slow_callback_duration` (0.1 s unless you set it): a blocking call or CPU-heavy
#   work in a coroutine;
# - records where each coroutine is created, so the "was never awaited" warning shows the
#   line that forgot the `await`;
# - raises when a loop method that is not thread-safe is called from another thread
#   (`threadsafe` scenario), and notes where each task and future was created, so that a
#   "Task exception was never retrieved" log says it too.
#
# Its messages go through the `asyncio` logger, to stderr unless logging is configured.
# Try it on your own program before anything else: it runs anywhere asyncio does. The
# exact duration in the log line varies a little from run to run."""
# explain.ja = """
# asyncio にはデバッグモードがあります。遅くなるので既定では無効です。
# `asyncio.run(main(), debug=True)`、環境変数 `PYTHONASYNCIODEBUG=1` (コードの変更なし)、または `python -X dev` で有効になります。
# すると asyncio は次のことをします。
#
# - `loop.slow_callback_duration` (設定しなければ 0.1 秒)より長くかかったコールバックやタスクのステップ、つまりコルーチンの中のブロッキング呼び出しや CPU の重い処理を、すべて警告としてログに出します。
# - 各コルーチンが作られた場所を記録するので、"was never awaited" の警告が `await` を忘れた行を示します。
# - スレッドセーフでないループのメソッドが別のスレッドから呼ばれると例外を送出し(`threadsafe` のシナリオ)、各タスクと Future が作られた場所を記録するので、"Task exception was never retrieved" のログもそれを示します。
#
# メッセージは `asyncio` ロガーを通り、logging を設定していなければ stderr に出ます。
# 何よりも先に自分のプログラムで試してみましょう。asyncio が動くところならどこでも使えます。
# ログの行に出る時間は実行ごとに少し揺れます。"""
#
# [expect]
# status = "finished"
# # no elapsed: the slow step is real time, and debug mode's bookkeeping adds real time on a busy machine
# output = [
#     "main: debug=True, slow_callback_duration=0.1",
#     "resize_images: starts a blocking step",
#     "resize_images: step done",
#     "resize_images: done",
#     "main: done",
# ]
# stderr = [
#     "coroutine 'forgotten' was never awaited",
#     "Coroutine created at (most recent call last)",
#     "in main",
#     "Executing <Task pending name='resize_images' coro=<resize_images() running at",
# ]
# diagnostics = ["never-awaited", "blocking"]
# user_tasks = 2
# ///
"""asyncio's debug mode reports slow steps and where never-awaited coroutines were created."""

import asyncio
import time


async def forgotten():
    await asyncio.sleep(0.1)


async def resize_images():
    print("resize_images: starts a blocking step")
    time.sleep(0.2)  # holds the loop for 0.2 s: debug mode logs the step as slow
    print("resize_images: step done")
    await asyncio.sleep(0.1)
    print("resize_images: done")


async def main():
    loop = asyncio.get_running_loop()
    print(f"main: debug={loop.get_debug()}, slow_callback_duration={loop.slow_callback_duration}")
    task = asyncio.create_task(resize_images(), name="resize_images")
    forgotten()  # the mistake: never awaited (debug mode shows where it was created)
    await task
    print("main: done")


asyncio.run(main(), debug=True)
