"""Three threads, each with its own loop and a 1 s sleep inside a 1.5 s timeout.

compare: set (the threads finish in any order)
"""
import asyncio
import sys
import threading


async def job(n):
    async with asyncio.timeout(1.5):
        await asyncio.sleep(1)
    return f"thread {n}: ok"


def run(n):
    sys.stdout.write(asyncio.run(job(n)) + "\n")  # one write: print() from threads may interleave


threads = [threading.Thread(target=run, args=(n,)) for n in range(3)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
