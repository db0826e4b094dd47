"""Steps that do real work: 5 rounds of gather over 1,000 tasks that each take 10 steps of
about 20 µs of computation (issue 16: tracing should cost ≤ 5% here)."""

import asyncio
import sys

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
TASKS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000


def work_20us():
    total = 0
    for i in range(600):  # ~20 µs on CPython 3.11 on this project's 2-core machine
        total += i * i
    return total


async def work():
    for _ in range(10):
        work_20us()
        await asyncio.sleep(0)


async def main():
    for _ in range(ROUNDS):
        await asyncio.gather(*(work() for _ in range(TASKS)))


asyncio.run(main())
