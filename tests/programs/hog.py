import asyncio


async def spin():
    print("spinning")
    n = 0
    while True:
        n += 1


asyncio.run(spin())
