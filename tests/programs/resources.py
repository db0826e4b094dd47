"""Every kind of resource in a known state at known moments (tests/test_resources.py).

t=0.25: lock held by holder, waited on by w1, w2, w3 (w2 is cancelled at 0.5);
        sem (2 slots) held by s1, s2, waited on by s3; ev waited on by e1, e2 (set at 2);
        full (maxsize 1) has 1 item, a putter and a joiner; empty has a getter;
        barrier (3 parties) has b1, b2 waiting; cond has c1 waiting (notified at 1.5);
        handed (a lock) is held by giver.
t=0.75: w2 gone from lock's waiters; handed released by taker (not its holder).
t=1.75: c1 re-acquires cond's lock, which notifier holds until 2.5.
"""

import asyncio


async def main():
    lock = asyncio.Lock()
    sem = asyncio.Semaphore(2)
    ev = asyncio.Event()
    full = asyncio.Queue(maxsize=1)
    empty = asyncio.Queue()
    barrier = asyncio.Barrier(3)
    cond = asyncio.Condition()
    handed = asyncio.Lock()

    async def holder():
        async with lock:
            await asyncio.sleep(1)

    async def waiter():
        async with lock:
            await asyncio.sleep(0.01)

    async def slot():
        async with sem:
            await asyncio.sleep(1)

    async def giver():
        await handed.acquire()
        await asyncio.sleep(3)

    async def taker():
        await asyncio.sleep(0.5)
        handed.release()  # asyncio allows it: the holder is cleared

    async def on_cond():
        async with cond:
            await cond.wait()

    async def notifier():
        await asyncio.sleep(1.5)
        async with cond:
            cond.notify()
            await asyncio.sleep(1)

    full.put_nowait("item")
    tasks = [asyncio.create_task(holder(), name="holder")]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(waiter(), name=f"w{n}") for n in (1, 2, 3)]
    tasks += [asyncio.create_task(slot(), name=f"s{n}") for n in (1, 2, 3)]
    tasks += [asyncio.create_task(ev.wait(), name=f"e{n}") for n in (1, 2)]
    tasks += [asyncio.create_task(full.put("more"), name="putter"),
              asyncio.create_task(full.join(), name="joiner"),
              asyncio.create_task(empty.get(), name="getter")]
    tasks += [asyncio.create_task(barrier.wait(), name=f"b{n}") for n in (1, 2)]
    tasks += [asyncio.create_task(on_cond(), name="c1"), asyncio.create_task(notifier(), name="notifier"),
              asyncio.create_task(giver(), name="giver"), asyncio.create_task(taker(), name="taker")]
    await asyncio.sleep(0.5)
    tasks[2].cancel()  # w2, while it waits for the lock
    await asyncio.sleep(1.5)
    ev.set()
    await asyncio.sleep(1)
    full.get_nowait()
    full.task_done()
    await asyncio.sleep(0.01)  # the putter puts its item
    full.get_nowait()
    full.task_done()
    empty.put_nowait("x")
    await barrier.wait()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("done")


asyncio.run(main())
