"""anyio task groups, cancel scopes and a memory stream, on the asyncio backend."""
import anyio


async def producer(send):
    async with send:
        for n in range(3):
            await anyio.sleep(0.1)
            await send.send(n)


async def main():
    send, receive = anyio.create_memory_object_stream(0)
    async with anyio.create_task_group() as group:
        group.start_soon(producer, send)
        async with receive:
            async for item in receive:
                print("received", item)
    with anyio.move_on_after(0.5) as scope:
        await anyio.sleep(10)
    print("moved on:", scope.cancelled_caught)


anyio.run(main)
