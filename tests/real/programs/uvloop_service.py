"""A service started the way uvicorn starts one: uvloop.run(main())."""
import asyncio

import uvloop


async def tick(n):
    await asyncio.sleep(0.1 * n)
    print("tick", n)


async def main():
    await asyncio.gather(*(tick(n) for n in range(3)))
    print("loop is asyncio's or uvloop's:", isinstance(asyncio.get_running_loop(), asyncio.AbstractEventLoop))


uvloop.run(main())
