# /// asyncscope
# order = 150
# level = "intermediate"
# title.en = "wait(FIRST_COMPLETED): take the fastest, cancel the rest"
# title.ja = "wait(FIRST_COMPLETED): 一番速いものを取り、残りをキャンセルする"
# summary.en = "Ask three mirrors at once, use the first answer (t=1), cancel the two slower requests."
# summary.ja = "三つのミラーに同時に問い合わせ、最初の答え (t=1) を使い、遅い二つの要求をキャンセルする。"
# watch.en = "mirror-b finishes at t=1. main then cancels mirror-a and mirror-c, which turn 'cancelled' at t=1 instead of running to t=2 and t=3."
# watch.ja = "mirror-b が t=1 で終わります。main は mirror-a と mirror-c をキャンセルし、それらは t=2、t=3 まで動かずに t=1 で cancelled になります。"
# explain.en = """
# `done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)` returns
# as soon as any task finishes, as two sets. Unlike `wait_for`, `wait` never cancels
# anything: the pending tasks keep running until you cancel them yourself. Cancel them
# and wait for them, or they will be cancelled (or, worse, left running) later."""
# explain.ja = """
# `done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)` はどれか一つのタスクが終わった時点で、二つの set を返します。
# `wait_for` と違い、`wait` は何もキャンセルしません。
# 残ったタスクは自分でキャンセルするまで動き続けます。
# キャンセルして終わるのを待ちましょう。
# そうしないと後でキャンセルされるか、悪くすると動き続けます。"""
#
# [expect]
# status = "finished"
# elapsed = 1.0
# output = ["first answer: from mirror-b", "cancelled: ['mirror-a', 'mirror-c']"]
# user_tasks = 4
# ///
"""wait(FIRST_COMPLETED): use the fastest answer and cancel the others."""

import asyncio


async def ask(mirror, seconds):
    await asyncio.sleep(seconds)
    return f"from {mirror}"


async def main():
    tasks = {
        asyncio.create_task(ask("mirror-a", 2), name="mirror-a"),
        asyncio.create_task(ask("mirror-b", 1), name="mirror-b"),
        asyncio.create_task(ask("mirror-c", 3), name="mirror-c"),
    }
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in done:
        print(f"first answer: {task.result()}")
    for task in pending:
        task.cancel()  # wait() does not cancel anything by itself
    await asyncio.wait(pending)
    print(f"cancelled: {sorted(task.get_name() for task in pending)}")


asyncio.run(main())
