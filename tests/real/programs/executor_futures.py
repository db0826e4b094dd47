"""Executor jobs that wake the loop: wrap_future(submit()) and call_soon_threadsafe."""
import asyncio
import concurrent.futures
import time


def slow(n):
    time.sleep(0.2)
    return n * 2


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        print("wrapped:", await asyncio.wrap_future(pool.submit(slow, 21)))
        done = asyncio.Event()
        pool.submit(lambda: (time.sleep(0.2), loop.call_soon_threadsafe(done.set)))
        await done.wait()
        print("woken by call_soon_threadsafe")
        print("to_thread:", await asyncio.to_thread(slow, 5))


asyncio.run(main())
