# /// asyncscope
# order = 22
# level = "beginner"
# title.en = "Old style: get_event_loop() and run_until_complete()"
# title.ja = "古い書き方: get_event_loop() と run_until_complete()"
# summary.en = "Code from old tutorials makes the loop by hand: silent on 3.11, a DeprecationWarning on 3.12 and 3.13, an error on 3.14. Write asyncio.run(main()) instead."
# summary.ja = "古いチュートリアルのコードはループを手で作る。3.11 では何も言われず、3.12 と 3.13 では DeprecationWarning、3.14 ではエラーになる。代わりに asyncio.run(main()) と書く。"
# watch.en = "Both ways run main to its end in a task of its own: the old way by t=1, asyncio.run by t=2. On Python 3.12 and 3.13 'DeprecationWarning: There is no current event loop' appears on stderr at t=0 for the get_event_loop() line; on 3.11 nothing does. On 3.14 the old way fails at once: the program prints the RuntimeError, and only asyncio.run runs main, which returns at t=1."
# watch.ja = "どちらの書き方でも main は専用のタスクで最後まで動きます。古い書き方は t=1 まで、asyncio.run は t=2 までです。Python 3.12 と 3.13 では t=0 に get_event_loop() の行について「DeprecationWarning: There is no current event loop」が stderr に出ます。3.11 では何も出ません。3.14 では古い書き方がすぐに失敗し、プログラムはその RuntimeError を表示して、asyncio.run だけが main を実行し、main は t=1 に戻ります。"
# explain.en = """
# Before Python 3.7 a program began with `loop = asyncio.get_event_loop()` and ended with
# `loop.run_until_complete(main())`, and many tutorials and answers still do. With no loop
# running, `get_event_loop()` used to make one for you. That is going away: silent on 3.11,
# `DeprecationWarning: There is no current event loop` on 3.12 and 3.13, and on 3.14
# `RuntimeError: There is no current event loop in thread 'MainThread'.`
#
# Write `asyncio.run(main())` instead. It makes a new loop, runs main in a task, cancels
# the tasks still pending, shuts down async generators and the default executor, and closes
# the loop: the clean-up the old code usually left out. Inside async code, use
# `asyncio.get_running_loop()` when you need the loop itself; to run several coroutines on
# one loop from synchronous code, use `asyncio.Runner` (3.11+)."""
# explain.ja = """
# Python 3.7 より前のプログラムは `loop = asyncio.get_event_loop()` で始まり `loop.run_until_complete(main())` で終わっていて、今でも多くのチュートリアルや回答がそう書いています。
# ループが動いていないとき、`get_event_loop()` はループを作ってくれていました。
# これはなくなりつつあります。3.11 では何も言われず、3.12 と 3.13 では `DeprecationWarning: There is no current event loop`、3.14 では `RuntimeError: There is no current event loop in thread 'MainThread'.` になります。
#
# 代わりに `asyncio.run(main())` と書きましょう。
# 新しいループを作り、main をタスクとして実行し、残っているタスクをキャンセルし、非同期ジェネレーターと既定のエグゼキューターを片付けてからループを閉じます。
# 古いコードが省きがちだった後片付けです。
# 非同期コードの中でループそのものが必要なら `asyncio.get_running_loop()` を使い、同期コードから一つのループで複数のコルーチンを実行するには `asyncio.Runner` (3.11 以降)を使います。"""
#
# # Python 3.14 and later: get_event_loop() refuses when no loop is set (read from CPython's
# # source; there is no 3.14 in the test matrix yet).
# [expect]
# status = "finished"
# elapsed = 1.0
# output = [
#     "old way: get_event_loop() failed: There is no current event loop in thread 'MainThread'.",
#     "main: running",
#     "asyncio.run: main returned 'done'",
# ]
# stderr = []
# user_tasks = 1
#
# [expect."python < 3.14"]
# elapsed = 2.0
# output = [
#     "main: running",
#     "old way: main returned 'done'",
#     "main: running",
#     "asyncio.run: main returned 'done'",
# ]
# stderr = ["DeprecationWarning: There is no current event loop"]
# user_tasks = 2
#
# [expect."python < 3.12"]
# stderr = []  # 3.11 makes the loop without a word
# ///
"""The old way to run a coroutine, get_event_loop() and run_until_complete(), and what to write instead."""

import asyncio


async def main():
    print("main: running")
    await asyncio.sleep(1)
    return "done"


# The old way, from tutorials written before Python 3.7:
try:
    loop = asyncio.get_event_loop()  # no loop is set: 3.12 and 3.13 warn, 3.14 refuses
except RuntimeError as exc:
    print(f"old way: get_event_loop() failed: {exc}")
else:
    result = loop.run_until_complete(main())
    loop.close()
    print(f"old way: main returned {result!r}")

# What to write instead:
result = asyncio.run(main())
print(f"asyncio.run: main returned {result!r}")
