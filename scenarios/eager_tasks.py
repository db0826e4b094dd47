# /// asyncscope
# order = 270
# level = "advanced"
# min_python = "3.12"
# title.en = "Eager tasks (Python 3.12+)"
# title.ja = "イーガータスク (eager task、Python 3.12 以降)"
# summary.en = "With eager_task_factory, create_task runs the coroutine at once, up to its first real suspension."
# summary.ja = "eager_task_factory を使うと、create_task はコルーチンをその場で、最初の本当の中断まで実行する。"
# watch.en = "A lazy task has not run yet right after create_task. An eager task has: the one that never suspends is already done, and the one that sleeps has run up to its sleep. On early Python 3.13 releases, 3.13.0 among them, CPython names the two eager tasks 'None' (a bug, gh-130033, fixed in a later 3.13 release): asyncscope lists them as Task-4 and Task-5, and their detail says what the program calls them. On Python 3.11 the program only prints that eager tasks need 3.12."
# watch.ja = "遅延(通常)のタスクは create_task の直後にはまだ動いていません。イーガータスクはもう動いています。中断しないものはすでに完了し、sleep するものは sleep まで進んでいます。初期の Python 3.13 (3.13.0 など)では CPython が二つのイーガータスクに 'None' という名前を付けます(バグ gh-130033 で、その後の 3.13 のリリースで直っています)。asyncscope はそれらを Task-4、Task-5 と表示し、タスクの詳細にプログラムの中での名前を示します。Python 3.11 では、イーガータスクには 3.12 が必要だと表示するだけです。"
# explain.en = """
# Normally `create_task` only schedules the task: its first step runs at the loop's next
# turn, after the creating task yields. With `loop.set_task_factory(asyncio.eager_task_factory)`
# (Python 3.12+), the coroutine starts running inside `create_task` itself. If it finishes
# without suspending (a cache hit, say), no scheduling happens at all, which can make
# programs with many small tasks faster.
#
# The order of execution changes: code you expected to run "later" now runs first. Turn it
# on deliberately, and test.
#
# On early Python 3.13 releases (3.13.0 among them), `create_task` with a task factory
# overwrites the task's name with the string "None" when you give no name (CPython
# gh-130033, fixed in a later 3.13 release): `get_name()` returns "None" in the program
# too. Pass `name=` if the name matters."""
# explain.ja = """
# 通常 `create_task` はタスクをスケジュールするだけで、最初のステップは作った側のタスクが制御を返した後、ループの次の番で動きます。
# `loop.set_task_factory(asyncio.eager_task_factory)` (Python 3.12 以降)を使うと、コルーチンは `create_task` の中でそのまま動き始めます。
# 中断せずに終われば(キャッシュに当たった場合など)スケジュールはまったく行われず、小さなタスクが多いプログラムが速くなることがあります。
#
# 実行の順番が変わります。
# 「後で」動くと思っていたコードが先に動きます。
# 意図して有効にし、テストしましょう。
#
# 初期の Python 3.13 (3.13.0 など)では、タスクファクトリーを設定した状態で名前を付けずに `create_task` を呼ぶと、タスクの名前が文字列 "None" で上書きされます(CPython gh-130033、その後の 3.13 のリリースで修正)。
# プログラムの中でも `get_name()` は "None" を返します。
# 名前が大事なら `name=` を渡しましょう。"""
#
# [expect]
# status = "finished"
# elapsed = 1.0
# output = [
#     "lazy: created",
#     "lazy: cached done? False",
#     "cached: running",
#     "slow: started",
#     "lazy: slow done? False",
#     "eager: setting eager_task_factory",
#     "cached: running",
#     "slow: started",
#     "eager: created",
#     "eager: cached done? True",
#     "eager: slow done? False",
#     "slow: finished",
#     "slow: finished",
# ]
# user_tasks = 5
#
# [expect."python < 3.12"]
# elapsed = 0.0
# output = ["Eager tasks need Python 3.12 or newer; this is an older Python, so there is nothing to show."]
# user_tasks = 0
# ///
"""Eager tasks (Python 3.12+): create_task starts running the coroutine immediately."""

import asyncio
import sys


async def cached():
    print("cached: running")
    return 42  # finishes without ever suspending


async def slow():
    print("slow: started")
    await asyncio.sleep(1)
    print("slow: finished")


async def main():
    t1 = asyncio.create_task(cached())
    t2 = asyncio.create_task(slow())
    print("lazy: created")
    print(f"lazy: cached done? {t1.done()}")
    await t1
    print(f"lazy: slow done? {t2.done()}")

    print("eager: setting eager_task_factory")
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    t3 = asyncio.create_task(cached())  # runs right here, to the end
    t4 = asyncio.create_task(slow())  # runs right here, up to its sleep
    print("eager: created")
    print(f"eager: cached done? {t3.done()}")
    print(f"eager: slow done? {t4.done()}")
    await asyncio.gather(t2, t4)


if sys.version_info < (3, 12):
    print("Eager tasks need Python 3.12 or newer; this is an older Python, so there is nothing to show.")
    sys.exit(0)

asyncio.run(main())
