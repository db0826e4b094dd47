"""Four tasks print 50,000 lines each, as fast as they can."""

import asyncio
import sys

LINES = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000


async def writer(name):
    for i in range(LINES):
        print(f"{name} {i}")
        if i % 1000 == 0:
            await asyncio.sleep(0)


async def main():
    await asyncio.gather(*(writer(n) for n in "abcd"))


asyncio.run(main())
