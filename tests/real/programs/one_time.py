"""loop.time(), time.monotonic(), perf_counter() and time.time() tell the same story."""
import asyncio
import time


async def main():
    loop = asyncio.get_running_loop()
    before = (loop.time(), time.monotonic(), time.perf_counter(), time.time(), time.monotonic_ns())
    await asyncio.sleep(5)
    after = (loop.time(), time.monotonic(), time.perf_counter(), time.time(), time.monotonic_ns())
    spans = [after[i] - before[i] for i in range(4)] + [(after[4] - before[4]) / 1e9]
    print("each clock moved 5 s:", all(5 <= span < 5.5 for span in spans))
    print("monotonic is loop time:", abs(loop.time() - time.monotonic()) < 0.01)
    # A busy-wait on the program's clock inside one step ends, and shows as time.
    began = time.monotonic()
    while time.monotonic() - began < 0.2:
        pass
    time.sleep(0.1)
    print("blocking time is time:", time.monotonic() - began >= 0.3)


asyncio.run(main())
