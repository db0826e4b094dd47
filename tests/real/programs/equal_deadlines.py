"""Ten timers that fall due at the same loop time run in the order they were scheduled."""
import asyncio


async def worker(n):
    await asyncio.sleep(1)
    print(n)


async def main():
    await asyncio.gather(*(worker(n) for n in range(10)))


asyncio.run(main())
