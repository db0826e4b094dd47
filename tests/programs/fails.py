import asyncio


async def boom():
    await asyncio.sleep(1)
    raise ValueError("kaboom")


async def main():
    await boom()


asyncio.run(main())
