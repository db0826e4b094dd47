"""The standard graceful-shutdown recipe: the test sends SIGINT or SIGTERM."""
import asyncio
import signal


async def main():
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print("serving", flush=True)
    await stop.wait()
    print("shutting down")
    await asyncio.sleep(0.1)
    print("closed cleanly")


asyncio.run(main())
