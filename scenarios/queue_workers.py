# /// asyncscope
# order = 160
# level = "intermediate"
# title.en = "Queue: producer and consumers"
# title.ja = "Queue: 生産者と消費者"
# summary.en = "A producer puts four jobs into a Queue with maxsize 2; two workers take them; join() waits until all are done."
# summary.ja = "生産者が maxsize 2 の Queue に四つのジョブを入れ、二つのワーカーが取り出す。join() は全部終わるまで待つ。"
# watch.en = "The producer blocks on the third put until a worker takes a job (backpressure). Idle workers wait on Queue.get. main waits in join() until t=3 (shown as Queue.join, though inside it waits on an Event the Queue keeps). Then main cancels the workers, which loop forever. Press x: the resources pane shows the queue's size, who waits in get, in put and in join."
# watch.ja = "生産者は三つ目の put で、ワーカーがジョブを取るまでブロックします(バックプレッシャー)。手の空いたワーカーは Queue.get で待ちます。main は t=3 まで join() で待ちます (Queue.join と表示されますが、内部では Queue が持つ Event を待っています)。その後 main は、永久にループするワーカーをキャンセルします。x を押すと、リソース欄に Queue のアイテム数と、get、put、join で待つタスクが表示されます。"
# explain.en = """
# `asyncio.Queue` hands items from producers to consumers. `await queue.get()` suspends a
# consumer while the queue is empty; with `maxsize`, `await queue.put()` suspends the
# producer while it is full, so a fast producer cannot run away from slow consumers.
#
# Each consumer calls `queue.task_done()` after finishing an item, and `await queue.join()`
# returns when every item put has been marked done (inside, it waits on an `asyncio.Event`
# that the last `task_done()` sets). Consumers written as `while True` loops never end by
# themselves: cancel them when the work is done."""
# explain.ja = """
# `asyncio.Queue` は生産者から消費者へアイテムを渡します。
# キューが空の間、`await queue.get()` は消費者を中断させます。
# `maxsize` を指定すると、満杯の間は `await queue.put()` が生産者を中断させるので、速い生産者が遅い消費者を置き去りにすることはありません。
#
# 消費者はアイテムを一つ処理するたびに `queue.task_done()` を呼び、`await queue.join()` は入れたすべてのアイテムが処理済みになると戻ります(内部では、最後の `task_done()` がセットする `asyncio.Event` を待っています)。
# `while True` で書いた消費者は自分では終わらないので、仕事が済んだらキャンセルします。"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = [
#     "producer: put job 1",
#     "producer: put job 2",
#     "worker 1: working on job 1",
#     "worker 2: working on job 2",
#     "producer: put job 3",
#     "producer: put job 4",
#     "worker 1: working on job 3",
#     "worker 2: working on job 4",
#     "main: all jobs done",
# ]
# user_tasks = 3
# ///
"""A producer and two consumers connected by an asyncio.Queue."""

import asyncio


async def producer(queue):
    for n in range(1, 5):
        await queue.put(f"job {n}")  # waits while the queue is full
        print(f"producer: put job {n}")


async def worker(name, seconds_per_job, queue):
    while True:
        job = await queue.get()  # waits while the queue is empty
        print(f"{name}: working on {job}")
        await asyncio.sleep(seconds_per_job)
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    workers = [
        asyncio.create_task(worker("worker 1", 1, queue)),
        asyncio.create_task(worker("worker 2", 1.5, queue)),
    ]
    await producer(queue)
    await queue.join()  # until every job is marked done
    print("main: all jobs done")
    for task in workers:
        task.cancel()  # they would wait for more jobs forever
    await asyncio.gather(*workers, return_exceptions=True)


asyncio.run(main())
