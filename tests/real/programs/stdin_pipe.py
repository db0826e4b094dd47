"""Read stdin through loop.connect_read_pipe (the test gives it two lines)."""
import asyncio
import sys


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        print("read:", line.decode().rstrip())
    print("end of input")


asyncio.run(main())
