"""Two tasks each wait for an event only the other would set."""

import asyncio


async def first(mine, theirs):
    await theirs.wait()
    mine.set()


async def main():
    a, b = asyncio.Event(), asyncio.Event()
    await asyncio.gather(first(a, b), first(b, a))


asyncio.run(main())
