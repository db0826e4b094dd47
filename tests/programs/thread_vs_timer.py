"""A thread's result must not be skipped over by the virtual clock."""

import asyncio
import time


async def slow_timer():
    await asyncio.sleep(10)
    print("timer fired")


async def main():
    timer = asyncio.create_task(slow_timer())
    await asyncio.to_thread(time.sleep, 0.2)
    print("thread done")
    await timer


asyncio.run(main())
