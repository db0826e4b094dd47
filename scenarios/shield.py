# /// asyncscope
# order = 130
# level = "intermediate"
# title.en = "shield: stop waiting without cancelling"
# title.ja = "shield: キャンセルせずに待つのをやめる"
# summary.en = "wait_for(shield(task), 1) gives up after 1 s, yet the shielded save goes on and finishes at 2 s."
# summary.ja = "wait_for(shield(task), 1) は 1 秒であきらめるが、shield された保存処理は続き 2 秒で終わる。"
# watch.en = "At t=1 the timeout fires, but the save task stays 'waiting' instead of turning 'cancelled'. main awaits it again and both finish at t=2."
# watch.ja = "t=1 でタイムアウトが起きても、save タスクは cancelled にならず waiting のままです。main がもう一度 await し、どちらも t=2 に終わります。"
# explain.en = """
# A timeout cancels what it waits for. `asyncio.shield(aw)` puts a guard in between: the
# outer wait can be cancelled (here by `wait_for`'s timeout) while the inner task carries on.
# Use it for work that must not be cut in half, such as saving a file; keep a reference to
# the task so you can still await its result later.
#
# Shield protects the task from the cancellation of the waiter, not from `task.cancel()`
# called on the task itself."""
# explain.ja = """
# タイムアウトは待っている処理をキャンセルします。
# `asyncio.shield(aw)` はその間に盾を置きます。
# 外側の待機は(ここでは `wait_for` のタイムアウトで)キャンセルされても、内側のタスクは続きます。
# ファイルの保存のように途中で切ってはいけない処理に使い、あとで結果を await できるようタスクへの参照を持っておきます。
#
# shield が守るのは待っている側のキャンセルからであり、タスク自身に対する `task.cancel()` からではありません。"""
#
# [expect]
# status = "finished"
# elapsed = 2.0
# output = [
#     "save: writing...",
#     "main: stopped waiting after 1 s; the save goes on",
#     "save: written",
#     "main: the save says 'saved'",
# ]
# user_tasks = 2
# ///
"""shield(): a timeout stops the waiting, not the shielded work."""

import asyncio


async def save():
    print("save: writing...")
    await asyncio.sleep(2)
    print("save: written")
    return "saved"


async def main():
    task = asyncio.create_task(save())
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=1)
    except TimeoutError:
        print("main: stopped waiting after 1 s; the save goes on")
    result = await task  # the task was never cancelled
    print(f"main: the save says {result!r}")


asyncio.run(main())
