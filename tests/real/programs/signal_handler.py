"""Wait for SIGHUP from another process, through a signal.signal() handler."""
import asyncio
import os
import signal
import subprocess


async def main():
    loop = asyncio.get_running_loop()
    hup = asyncio.Event()
    signal.signal(signal.SIGHUP, lambda *_: loop.call_soon_threadsafe(hup.set))
    sender = subprocess.Popen(["sh", "-c", f"sleep 0.3; kill -HUP {os.getpid()}"])
    print("waiting for SIGHUP")
    await hup.wait()
    sender.wait()
    print("got SIGHUP")


asyncio.run(main())
