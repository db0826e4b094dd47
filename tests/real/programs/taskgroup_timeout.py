"""A TaskGroup inside asyncio.timeout(): the timeout, not a sibling, cancels the children.

compare: set (TaskGroup cancels its children by iterating a set of tasks, whose order
follows their memory addresses, which differ from one process to another)
"""
import asyncio


async def child(n):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(f"child {n} cancelled")
        raise


async def main():
    try:
        async with asyncio.timeout(1):
            async with asyncio.TaskGroup() as group:
                for n in range(2):
                    group.create_task(child(n))
    except TimeoutError:
        print("timed out")


asyncio.run(main())
