"""Task churn: 5 rounds of gather over 10,000 tasks that each await sleep(0) 10 times."""

import asyncio
import sys

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
TASKS = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000


async def work():
    for _ in range(10):
        await asyncio.sleep(0)


async def main():
    for _ in range(ROUNDS):
        await asyncio.gather(*(work() for _ in range(TASKS)))


asyncio.run(main())
