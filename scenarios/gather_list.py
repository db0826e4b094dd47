# /// asyncscope
# order = 85
# level = "beginner"
# title.en = "gather([a, b]) without *: unhashable type: 'list'"
# title.ja = "* のない gather([a, b]): 「unhashable type: 'list'」"
# summary.en = "gather takes the awaitables as separate arguments; handed the list itself, it fails with a TypeError that does not say so."
# summary.ja = "gather は awaitable を別々の引数として受け取る。リストそのものを渡すと、そうとは書いていない TypeError で失敗する。"
# watch.en = "main prints its line and fails at once, at t=0: the run ends 'failed' with TypeError: unhashable type: 'list', raised inside asyncio's gather. No download task is ever created, and two never-awaited diagnostics follow, one for each coroutine left in the list."
# watch.ja = "main は一行表示した直後、t=0 に失敗します。実行は asyncio の gather の中で送出された「TypeError: unhashable type: 'list'」で failed として終わります。ダウンロードのタスクは一つも作られず、リストに残された二つのコルーチンについて never-awaited の診断が二つ続きます。"
# explain.en = """
# `asyncio.gather(*aws)` takes each awaitable as a separate argument. Handed one list, it
# sees a single argument that is neither a coroutine nor a future. It fails before it gets
# to say so: it first looks the argument up in a dict, and a list cannot be a dict key,
# hence `TypeError: unhashable type: 'list'` (a tuple gets further, to
# `TypeError: An asyncio.Future, a coroutine or an awaitable is required`).
#
# Unpack the list with `*`: `await asyncio.gather(*downloads)`. The confusion comes from
# the neighbours: `asyncio.wait()` and `asyncio.as_completed()` do take one iterable,
# `gather()` does not. Since nothing ran, the coroutines in the list are thrown away
# unawaited, hence the warnings."""
# explain.ja = """
# `asyncio.gather(*aws)` は awaitable を一つずつ別の引数として受け取ります。
# リストを一つ渡すと、コルーチンでもフューチャーでもない引数が一つあることになります。
# しかし gather はそう言う前に失敗します。まず引数を dict で調べるのですが、リストは dict のキーになれないので `TypeError: unhashable type: 'list'` になるのです(タプルならもう少し先まで進み、`TypeError: An asyncio.Future, a coroutine or an awaitable is required` になります)。
#
# リストは `*` で展開します: `await asyncio.gather(*downloads)`。
# 混乱の元は似た関数です。`asyncio.wait()` と `asyncio.as_completed()` はイテラブルを一つ受け取りますが、`gather()` は違います。
# 何も実行されないので、リストの中のコルーチンは await されないまま捨てられ、警告が出ます。"""
#
# [expect]
# status = "failed"
# elapsed = 0.0
# output = ["main: gathering 2 downloads"]
# diagnostics = ["never-awaited", "never-awaited"]
# stderr = ["TypeError: unhashable type: 'list'", "RuntimeWarning: coroutine 'download' was never awaited"]
# user_tasks = 1
# ///
"""gather([a, b]) instead of gather(a, b): a TypeError that does not say what is wrong."""

import asyncio


async def download(name, seconds):
    await asyncio.sleep(seconds)
    return f"{name} done"


async def main():
    downloads = [download("a", 1), download("b", 2)]
    print(f"main: gathering {len(downloads)} downloads")
    results = await asyncio.gather(downloads)  # the mistake: the list itself, not its items
    print(results)  # never reached


asyncio.run(main())
