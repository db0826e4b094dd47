"""A lock taken in an eager task's first step, which runs inside its creator's step (3.12+)."""

import asyncio


async def taker(lock, gate):
    await lock.acquire()  # runs at once, inside main's step: the holder is still taker
    await gate.wait()
    lock.release()


async def main():
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    lock = asyncio.Lock()
    gate = asyncio.Event()
    task = asyncio.create_task(taker(lock, gate), name="taker")
    await asyncio.sleep(0.5)
    gate.set()
    await task
    print("done")


asyncio.run(main())
