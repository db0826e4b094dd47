"""Resource churn: 100,000 asyncio locks, events and queues, each made and used once.

10 rounds of gather over 10,000 tasks; each task makes a Lock, an Event and a Queue (the
queue makes an Event of its own inside), takes the lock, sets the event, puts and gets an
item, and yields once while holding the lock.
"""

import asyncio
import sys

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
TASKS = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000


async def work():
    lock = asyncio.Lock()
    done = asyncio.Event()
    queue = asyncio.Queue()
    async with lock:
        await asyncio.sleep(0)
        queue.put_nowait(1)
        queue.get_nowait()
        done.set()
    await done.wait()


async def main():
    for _ in range(ROUNDS):
        await asyncio.gather(*(work() for _ in range(TASKS)))


asyncio.run(main())
