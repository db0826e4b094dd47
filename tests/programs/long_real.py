import asyncio


async def main():
    print("started", flush=True)
    await asyncio.sleep(60)


asyncio.run(main())
