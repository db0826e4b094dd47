"""Start-up: a program that does nothing (what asyncscope adds before and after it)."""

import asyncio


async def main():
    pass


asyncio.run(main())
