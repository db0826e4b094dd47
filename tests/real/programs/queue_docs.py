"""The asyncio.Queue example of CPython's documentation, with a fixed seed and times rounded."""
import asyncio
import random
import time


async def worker(name, queue):
    while True:
        sleep_for = await queue.get()
        await asyncio.sleep(sleep_for)
        queue.task_done()


async def main():
    random.seed(7)
    queue = asyncio.Queue()
    total_sleep_time = 0
    for _ in range(20):
        sleep_for = random.uniform(0.05, 1.0)
        total_sleep_time += sleep_for
        queue.put_nowait(sleep_for)
    tasks = [asyncio.create_task(worker(f"worker-{i}", queue)) for i in range(3)]
    started_at = time.monotonic()
    await queue.join()
    total_slept_for = time.monotonic() - started_at
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("====")
    print(f"3 workers slept in parallel for {total_slept_for:.1f} seconds")
    print(f"total expected sleep time: {total_sleep_time:.1f} seconds")


asyncio.run(main())
