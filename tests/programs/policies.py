"""Loops made every way a program (or a test framework) makes them."""

import asyncio


async def job(label):
    await asyncio.sleep(1)
    print(label)


asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
loop = asyncio.new_event_loop()
loop.run_until_complete(job("new_event_loop"))
loop.close()
with asyncio.Runner() as runner:
    runner.run(job("Runner"))
asyncio.set_event_loop_policy(None)
asyncio.run(job("run"))
