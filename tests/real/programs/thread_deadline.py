"""A thread polls a deadline on time.monotonic() while the loop sleeps: neither hangs."""
import asyncio
import threading
import time


def poll(deadline, out):
    while time.monotonic() < deadline:
        time.sleep(0.01)
    out.append("thread reached its deadline")


async def main():
    out = []
    thread = threading.Thread(target=poll, args=(time.monotonic() + 0.3, out))
    thread.start()
    await asyncio.sleep(0.6)
    thread.join()
    print(out[0])
    print("loop slept 0.6 s")


asyncio.run(main())
