"""Tasks made by loop callbacks: a start_server handler and call_later(create_task)."""
import asyncio
async def handler(reader, writer):
    writer.close()
async def job(): await asyncio.sleep(0)
def on_timer(loop):
    loop.create_task(job())
async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop.call_later(0.01, on_timer, loop)
    r, w = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.1)
    w.close(); server.close()
asyncio.run(main())
