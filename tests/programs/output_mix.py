"""Output in every shape: partial lines, stderr, bytes, raw fd writes, threads, logging."""

import asyncio
import logging
import os
import sys
import threading

logging.basicConfig(level=logging.INFO, format="log:%(message)s")


async def worker():
    print("part-", end="")
    await asyncio.sleep(0.5)
    print("worker done")


async def main():
    task = asyncio.create_task(worker(), name="worker")
    print("from main")
    sys.stderr.write("to stderr\n")
    sys.stdout.buffer.write(b"bytes \xff line\n")
    logging.info("logged")
    os.write(1, b"raw fd line\n")
    thread = threading.Thread(target=lambda: print("from thread"), name="helper")
    thread.start()
    thread.join()
    await task
    try:
        input()
    except EOFError:
        print("stdin closed")


asyncio.run(main())
