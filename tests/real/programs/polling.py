"""A polling loop on time.monotonic(): runs as many times under asyncscope as under python."""
import asyncio
import time


async def main():
    start = time.monotonic()
    rounds = 0
    while time.monotonic() - start < 2:
        await asyncio.sleep(0.25)
        rounds += 1
    print("rounds:", rounds)


asyncio.run(main())
