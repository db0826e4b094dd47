# /// asyncscope
# order = 215
# level = "advanced"
# title.en = "Calling into the loop from another thread"
# title.ja = "別のスレッドからイベントループを呼び出す"
# summary.en = "A plain thread hands a coroutine to the loop with asyncio.run_coroutine_threadsafe() and waits on the concurrent.futures.Future it returns; then it wakes main with loop.call_soon_threadsafe(done.set)."
# summary.ja = "普通のスレッドが asyncio.run_coroutine_threadsafe() でコルーチンをイベントループに渡し、返された concurrent.futures.Future を待つ。その後 loop.call_soon_threadsafe(done.set) で main を起こす。"
# watch.en = "After 'thread: submits fetch(4) to the loop', fetch runs as a task of the loop ('fetch(4) runs on the loop') while the thread blocks in future.result(). 'thread: got 40' appears only once fetch has returned, and 'main: the thread says it is done' only after the thread's call_soon_threadsafe(done.set). While the thread lives the loop clock follows real time, so the exact times vary a little."
# watch.ja = "'thread: submits fetch(4) to the loop' の後、スレッドが `future.result()` でブロックしている間に fetch がイベントループのタスクとして動きます('fetch(4) runs on the loop')。'thread: got 40' は fetch が戻ってから、'main: the thread says it is done' はスレッドが `call_soon_threadsafe(done.set)` を呼んでから表示されます。スレッドが生きている間はループの時計が実時間に従うので、正確な時刻は少し揺れます。"
# explain.en = """
# An event loop belongs to one thread, and almost nothing about it is thread-safe. Code in
# another thread (a callback of a GUI or hardware library, a worker of a thread pool) talks
# to it through two doors:
#
# `asyncio.run_coroutine_threadsafe(coro, loop)` schedules the coroutine as a task on the
# loop and returns a `concurrent.futures.Future`: the thread can block on `.result()`
# (with a timeout) without blocking the loop. `loop.call_soon_threadsafe(callback, *args)`
# runs a plain function on the loop soon, and wakes the loop up to do it: here it sets an
# `asyncio.Event` that main awaits (an Event's `set()` called straight from the thread is
# not safe).
#
# Calling `loop.call_soon()`, `loop.create_task()` or `asyncio.create_task()` from another
# thread is wrong: the latter fails at once (no running loop in that thread), and the
# others put the work in the loop's ready queue without waking it, and without any
# locking: the loop may sleep on until some unrelated event, or its state may be corrupted.
# Sometimes it seems to work, which makes it worse. In debug mode (`debug_mode` scenario)
# asyncio checks this and raises "Non-thread-safe operation invoked on an event loop
# other than the current one"."""
# explain.ja = """
# イベントループは一つのスレッドに属し、そのほとんどはスレッドセーフではありません。
# 別のスレッドのコード(GUI やハードウェアのライブラリのコールバック、スレッドプールのワーカーなど)がループとやり取りする入口は二つです。
#
# `asyncio.run_coroutine_threadsafe(coro, loop)` はコルーチンをループ上のタスクとして予約し、`concurrent.futures.Future` を返します。
# スレッドは `.result()` (タイムアウト付きで)でブロックしても、ループを止めません。
# `loop.call_soon_threadsafe(callback, *args)` は普通の関数をループですぐに実行させ、そのためにループを起こします。
# ここでは main が await している `asyncio.Event` をセットします(スレッドから直接 Event の `set()` を呼ぶのは安全ではありません)。
#
# 別のスレッドから `loop.call_soon()`、`loop.create_task()`、`asyncio.create_task()` を呼ぶのは誤りです。
# 最後のものは(そのスレッドには実行中のループがないので)すぐに失敗し、ほかの二つはロックもかけずに、ループを起こさないまま実行可能キューに仕事を入れます。
# ループは無関係な出来事が起きるまで眠り続けるかもしれず、状態が壊れるかもしれません。
# たまたま動くこともあるので、かえってたちが悪いのです。
# デバッグモード(`debug_mode` のシナリオ)では asyncio がこれを調べて "Non-thread-safe operation invoked on an event loop other than the current one" を送出します。"""
#
# [expect]
# status = "finished"
# output = [
#     "main: starts a thread and waits for its signal",
#     "thread: submits fetch(4) to the loop",
#     "fetch(4) runs on the loop",
#     "thread: got 40",
#     "main: the thread says it is done",
# ]
# real_time = true  # a real thread: the order holds by cause and effect (each line waits for the one before)
# user_tasks = 2
# ///
"""A plain thread calls into the event loop: run_coroutine_threadsafe and call_soon_threadsafe."""

import asyncio
import threading


async def fetch(n):
    print(f"fetch({n}) runs on the loop")
    await asyncio.sleep(0.2)
    return n * 10


def worker(loop, done):
    """A plain thread: it touches the loop only through the two threadsafe calls."""
    print("thread: submits fetch(4) to the loop")
    future = asyncio.run_coroutine_threadsafe(fetch(4), loop)  # a concurrent.futures.Future
    result = future.result(timeout=5)  # blocks this thread, not the loop
    print(f"thread: got {result}")
    loop.call_soon_threadsafe(done.set)  # done.set() runs on the loop, which wakes up for it


async def main():
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    thread = threading.Thread(target=worker, args=(loop, done))
    print("main: starts a thread and waits for its signal")
    thread.start()
    await done.wait()
    print("main: the thread says it is done")
    await asyncio.to_thread(thread.join)  # the thread is ending: join it without blocking the loop


asyncio.run(main())
