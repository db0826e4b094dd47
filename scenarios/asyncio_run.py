# /// asyncscope
# order = 20
# level = "beginner"
# title.en = "asyncio.run starts the event loop"
# title.ja = "asyncio.run がイベントループを起動する"
# summary.en = "asyncio.run(main()) runs async code from ordinary code; inside a running loop it refuses."
# summary.ja = "asyncio.run(main()) で通常のコードから非同期コードを動かす。実行中のループの中では使えない。"
# watch.en = "The first and last lines are printed outside any task: no loop is running yet, or any more. Inside main, asyncio.run raises RuntimeError, and main simply awaits hello() instead."
# watch.ja = "最初と最後の行はどのタスクにも属さずに表示されます。ループがまだ、またはもう動いていないからです。main の中では asyncio.run が RuntimeError になり、main は代わりに hello() を await します。"
# explain.en = """
# `asyncio.run(main())` is the bridge from ordinary (synchronous) code to async code: it
# creates an event loop, runs `main()` in a task until it finishes, shuts the loop down and
# returns main's result. Call it once, at the top of the program.
#
# Inside `async def` code a loop is already running, and `asyncio.run` refuses with
# `RuntimeError: asyncio.run() cannot be called from a running event loop`. There you
# simply `await` the coroutine."""
# explain.ja = """
# `asyncio.run(main())` は通常の(同期の)コードから非同期コードへの橋渡しです。
# イベントループを作り、`main()` をタスクとして最後まで実行し、ループを片付けて main の戻り値を返します。
# プログラムの一番外側で一度だけ呼びます。
#
# `async def` の中ではすでにループが動いているので、`asyncio.run` は `RuntimeError: asyncio.run() cannot be called from a running event loop` で拒否します。
# そこでは単にコルーチンを `await` します。"""
#
# [expect]
# status = "finished"
# elapsed = 1.0
# output = [
#     "before asyncio.run: no event loop yet",
#     "main: running inside the event loop",
#     "RuntimeError: asyncio.run() cannot be called from a running event loop",
#     "hello",
#     "main: hello() returned 42",
#     "after asyncio.run: main returned 'done'",
# ]
# user_tasks = 1
# ///
"""asyncio.run() is how synchronous code starts async code, and only there."""

import asyncio


async def hello():
    print("hello")
    await asyncio.sleep(1)
    return 42


async def main():
    print("main: running inside the event loop")
    coro = hello()
    try:
        asyncio.run(coro)  # wrong here: a loop is already running
    except RuntimeError as exc:
        print(f"RuntimeError: {exc}")
        coro.close()  # it never ran; closing it avoids a "never awaited" warning
    answer = await hello()  # the right way inside async code
    print(f"main: hello() returned {answer}")
    return "done"


print("before asyncio.run: no event loop yet")
result = asyncio.run(main())
print(f"after asyncio.run: main returned {result!r}")
