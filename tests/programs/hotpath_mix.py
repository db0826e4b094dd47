"""Every kind of step the hot path brackets, deterministically (tests/test_hotpath.py runs
it on both hot paths and compares the events)."""

import asyncio
import contextvars
import sys

request = contextvars.ContextVar("request", default="-")


async def spinner(n):
    for _ in range(n):
        await asyncio.sleep(0)  # bare yields: the compiled path encodes these itself
    return n


async def waiter(event, lock, queue):
    async with lock:
        await event.wait()
    item = await queue.get()
    print(f"waiter got {item}", end="")  # no newline yet: sent with the step
    await asyncio.sleep(0)  # (no timed wait while others run: when it ends would depend on the machine)
    print(" and slept")
    return item


async def failing():
    await asyncio.sleep(0)
    raise ValueError("on purpose")


async def sleeper():
    await asyncio.sleep(10)


async def in_context():
    await asyncio.sleep(0)
    return request.get()


async def over_a_socketpair():
    """Waits on a plain future inside asyncio's streams: the compiled path walks and sends
    these itself (once the Python path has met their code objects)."""
    import socket

    a, b = socket.socketpair()
    _, writer = await asyncio.open_connection(sock=a)
    reader, other = await asyncio.open_connection(sock=b)

    async def read_lines():
        return [(await reader.readline()).decode().strip() for _ in range(6)]

    lines = asyncio.create_task(read_lines(), name="line-reader")
    for i in range(6):
        await asyncio.sleep(0)
        writer.write(f"line {i}\n".encode())
        await writer.drain()
    print("socketpair:", await lines)
    for w in (writer, other):
        w.close()
        await w.wait_closed()


class Gate(asyncio.Lock):
    """A user subclass: registered once, by the most derived asyncio class's __init__."""

    def __init__(self):
        super().__init__()


class Tally(asyncio.LifoQueue):
    """A queue with a qsize of its own: its size is reported as it says, not as len(_queue)."""

    def qsize(self):
        return super().qsize() + 100


async def resources(round_):
    """Every kind of resource, each line met twice: the compiled path sends the second
    time's events itself (names in turn, holders, sizes); the first goes through Python."""
    lock, gate = asyncio.Lock(), Gate()
    ready, gone = asyncio.Event(), asyncio.Event()
    queue = asyncio.Queue(maxsize=3)
    semaphore = asyncio.BoundedSemaphore(2)
    condition = asyncio.Condition()
    barrier = asyncio.Barrier(1)
    tally = Tally()
    tally.put_nowait(round_)

    async def holder():
        async with lock, semaphore:
            await ready.wait()
            queue.put_nowait(round_)

    task = asyncio.create_task(holder(), name=f"holder-{round_}")
    await asyncio.sleep(0)
    ready.set()
    async with gate, condition:
        condition.notify_all()
    await task
    await barrier.wait()
    print(f"resources {round_}: got {queue.get_nowait()}, left {queue.qsize()}, set {ready.is_set()} {gone.is_set()}")
    print(f"resources {round_}: tally {tally.get_nowait()}, {tally.qsize()}")
    await lock.acquire()
    other = asyncio.create_task(asyncio.to_thread(int), name=f"releaser-{round_}")
    await other
    lock.release()  # (asyncio lets any task release it)


def from_callback(loop, box):
    box.append(loop.create_task(spinner(3), name="made-in-callback"))


async def main():
    loop = asyncio.get_running_loop()
    event, lock, queue = asyncio.Event(), asyncio.Lock(), asyncio.Queue()
    # More bare yields than one batch holds (2,048 events), so the size flush runs too.
    spinners = [asyncio.create_task(spinner(300 + i)) for i in range(10)]
    w = asyncio.create_task(waiter(event, lock, queue))
    bad = asyncio.create_task(failing(), name="bad")
    doomed = asyncio.create_task(sleeper(), name="doomed")
    request.set("ctx-1")
    ctx_task = asyncio.create_task(in_context(), context=contextvars.copy_context())
    box = []
    loop.call_soon(from_callback, loop, box)  # a plain callback that makes a task
    loop.call_soon(print, "callback", "with", "args", context=contextvars.copy_context())
    await asyncio.sleep(0)
    event.set()
    await queue.put("item")
    w.set_name("renamed-waiter")
    await asyncio.sleep(0)
    doomed.cancel()
    results = await asyncio.gather(*spinners, w, ctx_task, box[0], bad, doomed, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in results])
    await over_a_socketpair()
    for round_ in range(2):
        await resources(round_)
    try:
        loop.call_soon(print, unknown=1)
    except TypeError as exc:
        print("TypeError:", exc)
    other = asyncio.new_event_loop()
    other.close()
    try:
        other.call_soon(print)
    except RuntimeError as exc:
        print("RuntimeError:", exc)
    async with asyncio.timeout(0.05):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("timed out", file=sys.stderr)
            raise


try:
    asyncio.run(main())
except TimeoutError:
    print("main timed out")
