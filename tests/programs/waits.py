"""One task per kind of wait, so the trace shows each (see tests/test_waits.py)."""

import asyncio
import socket


async def sleeper():
    await asyncio.sleep(5)


async def event_waiter(event):
    await event.wait()


async def lock_waiter(lock):
    async with lock:
        pass


async def queue_getter(queue):
    await queue.get()


async def future_waiter(future):
    await future


async def reader(sock):
    loop = asyncio.get_running_loop()
    await loop.sock_recv(sock, 1)


async def thread_waiter():
    await asyncio.to_thread(sum, range(10))


async def main():
    event, lock, queue = asyncio.Event(), asyncio.Lock(), asyncio.Queue()
    future = asyncio.get_running_loop().create_future()
    left, right = socket.socketpair()
    left.setblocking(False)
    await lock.acquire()
    tasks = [
        asyncio.create_task(sleeper(), name="sleeper"),
        asyncio.create_task(event_waiter(event), name="event_waiter"),
        asyncio.create_task(lock_waiter(lock), name="lock_waiter"),
        asyncio.create_task(queue_getter(queue), name="queue_getter"),
        asyncio.create_task(future_waiter(future), name="future_waiter"),
        asyncio.create_task(reader(left), name="reader"),
        asyncio.create_task(thread_waiter(), name="thread_waiter"),
    ]
    other = asyncio.create_task(asyncio.sleep(1), name="other")
    await other  # waits on a task
    await asyncio.sleep(0.1)
    event.set()
    lock.release()
    queue.put_nowait(1)
    future.set_result(None)
    right.send(b"x")
    await asyncio.gather(*tasks)
    left.close()
    right.close()


asyncio.run(main())
