# /// asyncscope
# order = 170
# level = "intermediate"
# title.en = "Semaphore: at most two at a time"
# title.ja = "Semaphore: 同時に二つまで"
# summary.en = "Five downloads, but a Semaphore(2) lets only two run at once: 3 s instead of 1.5 s."
# summary.ja = "ダウンロードは五つ。Semaphore(2) が同時に二つしか動かさないので、1.5 秒ではなく 3 秒かかる。"
# watch.en = "All five tasks start at t=0, but three of them wait on the semaphore. Each time one finishes, the next waiting task starts: C at t=1, D at t=1.5, E at t=2. Press x: the resources pane shows the semaphore's free slots, the two tasks holding one and the three waiting."
# watch.ja = "五つのタスクは t=0 に始まりますが、三つはセマフォで待ちます。一つ終わるたびに次の待機中のタスクが始まります。C は t=1、D は t=1.5、E は t=2 です。x を押すと、リソース欄にセマフォの空き枠、枠を持つ二つのタスク、待っている三つのタスクが表示されます。"
# explain.en = """
# `asyncio.Semaphore(n)` is a counter of free slots. `async with semaphore:` takes a slot,
# waiting while none is free, and gives it back at the end of the block. It is the usual
# way to limit concurrency: start as many tasks as you like, but let only `n` of them talk
# to the server at the same time. Waiting tasks get their turn in the order they came."""
# explain.ja = """
# `asyncio.Semaphore(n)` は空き枠の数を数えるカウンターです。
# `async with semaphore:` は枠を一つ取り(空きがなければ待ち)、ブロックの終わりで返します。
# 並行数を制限する定番の方法で、タスクはいくつ作ってもよく、サーバーと同時に話すのは `n` 個だけにできます。
# 待っているタスクは来た順に順番が回ってきます。"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = [
#     "A starts",
#     "B starts",
#     "A done",
#     "C starts",
#     "B done",
#     "D starts",
#     "C done",
#     "E starts",
#     "D done",
#     "E done",
# ]
# user_tasks = 6
# ///
"""A Semaphore limits how many downloads run at the same time."""

import asyncio


async def download(name, seconds, limit):
    async with limit:  # waits here while two downloads are running
        print(f"{name} starts")
        await asyncio.sleep(seconds)
        print(f"{name} done")


async def main():
    limit = asyncio.Semaphore(2)
    sizes = {"A": 1, "B": 1.5, "C": 1, "D": 1, "E": 1}
    await asyncio.gather(*(download(name, seconds, limit) for name, seconds in sizes.items()))


asyncio.run(main())
