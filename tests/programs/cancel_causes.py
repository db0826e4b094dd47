import asyncio


async def sibling():
    await asyncio.sleep(10)


async def failing():
    await asyncio.sleep(1)
    raise RuntimeError("boom")


async def slow():
    await asyncio.sleep(10)


async def main():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(sibling(), name="sibling")
            group.create_task(failing(), name="failing")
    except* RuntimeError:
        print("group failed")
    task = asyncio.create_task(slow(), name="slow")
    try:
        async with asyncio.timeout(1):
            await task
    except TimeoutError:
        print("timed out")


asyncio.run(main())
