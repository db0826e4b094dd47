# /// asyncscope
# order = 40
# level = "beginner"
# title.en = "Awaiting a coroutine creates no task"
# title.ja = "コルーチンを await してもタスクは作られない"
# summary.en = "await hello() runs hello inside main's own task; only create_task makes a new one."
# summary.ja = "await hello() は hello を main 自身のタスクの中で実行する。新しいタスクを作るのは create_task だけ。"
# watch.en = "During 'await hello()' the task list still holds only main, and its await chain is main -> hello -> sleep. After create_task, a second task appears with its own chain."
# watch.ja = "'await hello()' の間、タスク一覧には main しかなく、その await チェーンは main -> hello -> sleep です。create_task の後に二つ目のタスクが現れ、独自のチェーンを持ちます。"
# explain.en = """
# A common explanation says that awaiting a coroutine "internally creates a task". It does
# not. `await hello()` runs hello's body inside the task that is already running (here,
# main's task), exactly like a function call that can be suspended. When hello sleeps, the
# whole task, main included, is suspended.
#
# A new task exists only when you ask for one: `asyncio.create_task()`, `gather()`,
# `TaskGroup.create_task()` and similar wrap a coroutine in a task, which then runs
# concurrently with the task that created it."""
# explain.ja = """
# 「コルーチンを await すると内部でタスクが作られる」という説明をよく見かけますが、そうではありません。
# `await hello()` は hello の本体を、いま動いているタスク(ここでは main のタスク)の中で実行します。
# 中断できる関数呼び出しのようなものです。
# hello が眠っている間は、main を含むタスク全体が中断します。
#
# 新しいタスクができるのは、それを頼んだときだけです。
# `asyncio.create_task()`、`gather()`、`TaskGroup.create_task()` などがコルーチンをタスクに包み、作った側のタスクと並行に実行します。"""
#
# [expect]
# status = "finished"
# elapsed = 2.0
# output = [
#     "main: 1 task(s) exist",
#     "hello via await: same task as main? True; 1 task(s) exist",
#     "hello via create_task: same task as main? False; 2 task(s) exist",
# ]
# user_tasks = 2
# ///
"""await coro() runs the coroutine in the current task; create_task() makes a new one."""

import asyncio

main_task = None


async def hello(how):
    same = asyncio.current_task() is main_task
    print(f"hello via {how}: same task as main? {same}; {len(asyncio.all_tasks())} task(s) exist")
    await asyncio.sleep(1)


async def main():
    global main_task
    main_task = asyncio.current_task()
    print(f"main: {len(asyncio.all_tasks())} task(s) exist")
    await hello("await")  # no new task: hello runs inside main's task
    task = asyncio.create_task(hello("create_task"))  # a new task
    await task


asyncio.run(main())
