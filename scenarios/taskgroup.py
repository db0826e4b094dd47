# /// asyncscope
# order = 100
# level = "intermediate"
# title.en = "TaskGroup: one failure cancels the siblings"
# title.ja = "TaskGroup: 一つの失敗で兄弟タスクがキャンセルされる"
# summary.en = "When one task in a TaskGroup fails, the group cancels the others and raises an ExceptionGroup."
# summary.ja = "TaskGroup の中の一つのタスクが失敗すると、グループは残りをキャンセルし ExceptionGroup を送出する。"
# watch.en = "Three tasks start under main. fast finishes at t=1; broken fails at t=2 and slow, still sleeping, turns 'cancelled' at the same moment. The run ends at t=2, not t=3."
# watch.ja = "main の下で三つのタスクが始まります。fast は t=1 で完了し、broken は t=2 で失敗、まだ眠っていた slow は同じ瞬間に cancelled になります。実行は t=3 ではなく t=2 で終わります。"
# explain.en = """
# `async with asyncio.TaskGroup() as tg:` waits, at the end of the block, for every task
# created with `tg.create_task()`. If one of them raises, the group cancels all the others
# (they receive `CancelledError`, so their cleanup code runs), waits for them, and raises
# an `ExceptionGroup` holding the errors. Catch it with `except*`.
#
# This is "structured concurrency": no task outlives the block, and no error goes unnoticed."""
# explain.ja = """
# `async with asyncio.TaskGroup() as tg:` はブロックの終わりで、`tg.create_task()` で作ったすべてのタスクを待ちます。
# どれかが例外を送出すると、グループは残りのタスクをすべてキャンセルし(それらは `CancelledError` を受け取るので後片付けのコードが動きます)、終わるのを待ってから、エラーをまとめた `ExceptionGroup` を送出します。
# `except*` で受け取ります。
#
# これが「構造化された並行性」です。
# ブロックより長生きするタスクはなく、エラーが見過ごされることもありません。"""
#
# [expect]
# status = "finished"
# elapsed = 2.0
# output = [
#     "fast: finished",
#     "slow: cancelled",
#     "TaskGroup raised: ValueError('broken failed')",
# ]
# user_tasks = 4
# ///
"""TaskGroup: when one task fails, the others are cancelled and the error is raised."""

import asyncio


async def worker(name, seconds, fail=False):
    try:
        await asyncio.sleep(seconds)
        if fail:
            raise ValueError(f"{name} failed")
        print(f"{name}: finished")
    except asyncio.CancelledError:
        print(f"{name}: cancelled")
        raise  # always let a cancellation go on


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(worker("fast", 1))
            tg.create_task(worker("broken", 2, fail=True))
            tg.create_task(worker("slow", 3))
    except* ValueError as group:
        for exc in group.exceptions:
            print(f"TaskGroup raised: {exc!r}")


asyncio.run(main())
