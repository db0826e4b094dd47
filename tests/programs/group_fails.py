import asyncio


async def bad(n):
    await asyncio.sleep(n)
    raise ValueError(f"bad {n}")


async def main():
    async with asyncio.TaskGroup() as group:
        group.create_task(bad(1))
        group.create_task(bad(1.5))


asyncio.run(main())
