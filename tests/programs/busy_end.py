"""Ends while executor threads, a subprocess and a flood of output are all still active."""
import asyncio
import concurrent.futures
import sys
import time


def worker(n):
    for i in range(50):
        print(f"thread {n} line {i}")
        time.sleep(0.001)


async def flood(n):
    for i in range(1000):
        print(f"task {n} line {i}")
        if i % 100 == 0:
            await asyncio.sleep(0)


async def main():
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=3)
    for n in range(3):
        pool.submit(worker, n)
    await asyncio.create_subprocess_exec("sh", "-c", "echo from a subprocess; sleep 0.05")
    await asyncio.gather(*(flood(n) for n in range(3)))
    pool.shutdown(wait=False)
    print("LAST LINE", flush=True)
    sys.exit(3)


asyncio.run(main())
