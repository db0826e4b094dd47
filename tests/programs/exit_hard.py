"""Prints, then leaves with os._exit: nothing printed may be lost."""

import asyncio
import os


async def main():
    for i in range(3):
        print(f"line {i}")
    print("partial without newline", end="")
    os._exit(7)


asyncio.run(main())
