import asyncio
import gc


async def fails():
    raise ValueError("nobody looks at me")


async def forever():
    await asyncio.get_running_loop().create_future()


async def main():
    asyncio.create_task(fails(), name="fails")
    asyncio.create_task(forever(), name="forever")
    await asyncio.sleep(0.1)
    gc.collect()


loop = asyncio.new_event_loop()
loop.run_until_complete(main())
