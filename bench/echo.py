"""Network echo on loopback: an asyncio TCP server on 127.0.0.1 (port 0) and CLIENTS
concurrent clients that each send MESSAGES short lines and read each echo back, all in one
process and one ``asyncio.run`` (issue 16: tracing should cost ≤ 1.1x here).

Usage: ``python bench/echo.py [CLIENTS] [MESSAGES]`` (defaults 100 and 400: 40,000 round
trips, about 1 s of plain python on the project's 2-core machine with bench/overhead.py's
fixed malloc thresholds). Every client sends its
next line only after the echo of the last one came back, so the loop runs CLIENTS
conversations at once, each a chain of socket reads and writes.
"""

import asyncio
import sys

CLIENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
MESSAGES = int(sys.argv[2]) if len(sys.argv) > 2 else 400

handlers: set[asyncio.Task] = set()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    handlers.add(asyncio.current_task())
    try:
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()


async def client(port: int, number: int) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    echoed = 0
    try:
        for index in range(MESSAGES):
            line = b"client %d message %d\n" % (number, index)
            writer.write(line)
            await writer.drain()
            if await reader.readline() != line:
                raise RuntimeError(f"client {number}: wrong echo for message {index}")
            echoed += 1
    finally:
        writer.close()
        await writer.wait_closed()
    return echoed


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        counts = await asyncio.gather(*(client(port, number) for number in range(CLIENTS)))
        # Each client closed its end: every handler reads end of file, closes its own
        # writer and returns. Wait for them here (3.11's Server.wait_closed does not), so
        # that asyncio.run has nothing left to cancel.
        await asyncio.gather(*handlers)
    # Leaving ``async with`` closed the listening socket and waited for it.
    if sum(counts) != CLIENTS * MESSAGES:
        raise RuntimeError(f"{sum(counts)} echoes instead of {CLIENTS * MESSAGES}")


asyncio.run(main())
