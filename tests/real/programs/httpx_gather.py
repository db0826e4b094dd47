"""httpx.AsyncClient against an asyncio server on loopback: ten requests at once."""
import asyncio

import httpx


async def handle(reader, writer):
    await reader.readuntil(b"\r\n\r\n")
    await asyncio.sleep(0.02)
    body = b"ok"
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n" + body)
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with httpx.AsyncClient() as client:
        responses = await asyncio.gather(*(client.get(f"http://127.0.0.1:{port}/{n}") for n in range(10)))
    print([r.status_code for r in responses])
    print({r.text for r in responses})
    server.close()
    await server.wait_closed()


asyncio.run(main())
