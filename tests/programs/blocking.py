import asyncio
import time


async def ticker():
    for _ in range(3):
        await asyncio.sleep(0.1)
        print("tick")


async def blocker():
    await asyncio.sleep(0.05)
    time.sleep(0.3)  # the mistake: blocks every other task
    print("blocker done")


async def main():
    await asyncio.gather(ticker(), blocker())


asyncio.run(main())
