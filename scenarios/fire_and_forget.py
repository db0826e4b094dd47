# /// asyncscope
# order = 230
# level = "advanced"
# title.en = "Fire and forget: a task with no reference vanishes"
# title.ja = "撃ちっぱなし (fire and forget): 参照のないタスクは消える"
# summary.en = "A task started without keeping a reference can be garbage-collected mid-wait and silently never finish."
# summary.ja = "参照を保持せずに開始したタスクは、待機の途中でガベージコレクションされ、黙って終わらないことがある。"
# watch.en = "The listener task waits on a Future that only it knows about. When the garbage collector runs, the task is destroyed while still pending: a destroyed-pending diagnostic, and 'listener: got a reply' never appears. The kept task finishes normally."
# watch.ja = "listener タスクは自分しか知らない Future を待っています。ガベージコレクターが動くと、タスクは未完了のまま破棄されます。destroyed-pending の診断が出て、'listener: got a reply' は表示されません。参照を保持したタスクは普通に終わります。"
# explain.en = """
# The event loop keeps only a *weak* reference to tasks. A task that waits on a timer or on
# I/O is kept alive by the loop's own structures, but one that waits on something nothing
# else refers to can be collected by the garbage collector in the middle of its work: it
# never finishes, and Python only logs "Task was destroyed but it is pending!".
#
# The asyncio documentation's fix: keep every task you start, for example in a set, and
# drop it when it is done with `task.add_done_callback(background_tasks.discard)`. Better
# still, use a TaskGroup."""
# explain.ja = """
# イベントループはタスクへの *弱い* 参照しか持ちません。
# タイマーや I/O を待つタスクはループ自身のデータ構造によって生き残りますが、ほかの誰も参照していないものを待つタスクは、仕事の途中でガベージコレクターに回収されることがあります。
# タスクは終わらず、Python は "Task was destroyed but it is pending!" とログに出すだけです。
#
# asyncio のドキュメントにある対策は、開始したタスクを set などにすべて保持し、終わったら `task.add_done_callback(background_tasks.discard)` で取り除くことです。
# TaskGroup を使えばなお良いでしょう。"""
#
# [expect]
# status = "finished"
# elapsed = 1.0
# output = [
#     "listener: waiting for a reply",
#     "kept: waiting for a reply",
#     "kept: got a reply",
#     "main: done",
# ]
# diagnostics = ["destroyed-pending"]
# user_tasks = 3
# ///
"""A task nobody keeps a reference to can be garbage-collected before it finishes."""

import asyncio
import gc

background_tasks = set()


async def listen(name, reply):
    print(f"{name}: waiting for a reply")
    await reply
    print(f"{name}: got a reply")


async def main():
    loop = asyncio.get_running_loop()

    # The mistake: no reference to the task, and its Future is known to nobody else.
    asyncio.create_task(listen("listener", loop.create_future()))

    # The fix: keep the task (and its Future) until it is done.
    reply = loop.create_future()
    task = asyncio.create_task(listen("kept", reply))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)

    await asyncio.sleep(0)  # both tasks start and wait
    gc.collect()  # the collector would run sooner or later anyway
    await asyncio.sleep(1)
    reply.set_result("pong")
    await asyncio.sleep(0)  # let the kept task finish
    print("main: done")


asyncio.run(main())
