import asyncio


class Loud:
    def __repr__(self):
        print("REPR CALLED")
        return "Loud()"


async def number():
    return 42


async def loud():
    return Loud()


async def main():
    await asyncio.gather(number(), loud())


asyncio.run(main())
