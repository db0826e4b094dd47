"""A websockets echo server and client on loopback."""
import asyncio

import websockets


async def echo(websocket):
    async for message in websocket:
        await websocket.send(f"echo: {message}")


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        async with websockets.connect(f"ws://127.0.0.1:{port}") as websocket:
            for word in ("one", "two", "three"):
                await websocket.send(word)
                print(await websocket.recv())


asyncio.run(main())
