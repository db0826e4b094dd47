"""A program that stamps its log lines with datetime.now() while it sleeps."""
import asyncio
import datetime


async def main():
    began = datetime.datetime.now()
    await asyncio.sleep(0.5)
    print("slept at least 0.5 s by datetime:", datetime.datetime.now() - began >= datetime.timedelta(seconds=0.5))


asyncio.run(main())
