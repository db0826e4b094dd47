"""An aiohttp server and client on loopback: three requests, a JSON answer each."""
import asyncio

from aiohttp import ClientSession, web


async def hello(request):
    await asyncio.sleep(0.05)
    return web.json_response({"hello": request.match_info["name"]})


async def main():
    app = web.Application()
    app.router.add_get("/hello/{name}", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    async with ClientSession() as session:
        for name in ("ann", "bob", "cy"):
            async with session.get(f"http://127.0.0.1:{port}/hello/{name}") as response:
                print(response.status, await response.json())
    await runner.cleanup()


asyncio.run(main())
