# /// asyncscope
# order = 195
# level = "intermediate"
# title.en = "Condition: wait until a predicate holds, notify to re-check"
# title.ja = "Condition: 条件が成り立つまで待ち、notify で確かめ直させる"
# summary.en = "Two consumers await cond.wait_for(has_item); a producer adds an item and calls notify_all(). wait() releases the lock while it waits and takes it back before it returns."
# summary.ja = "二つのコンシューマーが cond.wait_for(has_item) を await し、プロデューサーがアイテムを追加して notify_all() を呼ぶ。wait() は待つ間ロックを手放し、戻る前に取り直す。"
# watch.en = "At t=0 'A checks: []' and then 'B checks: []': B gets into `async with cond` while A is still inside it, because A's wait released the lock. At t=1 the producer adds apple and notifies both, but it keeps the lock until t=1.5: only then do 'A checks: ['apple']' and 'A takes apple' appear, and B, woken too, finds the list empty and waits again. Pear comes at t=2.5, B takes it at t=3, and the run ends at t=3. Press x: the resources pane shows the condition and its lock, the task holding it and the tasks waiting."
# watch.ja = "t=0 に 'A checks: []'、続いて 'B checks: []' が表示されます。A がまだ `async with cond` の中にいるのに B が入れるのは、A の wait がロックを手放したからです。t=1 にプロデューサーが apple を追加して二つとも起こしますが、ロックは t=1.5 まで持ったままです。そこで初めて 'A checks: ['apple']' と 'A takes apple' が表示され、同じく起こされた B はリストが空なのを見てまた待ちます。pear は t=2.5 に来て B が t=3 に受け取り、実行は t=3 に終わります。x を押すと、リソース欄にコンディションとそのロック、ロックを持つタスク、待っているタスクが表示されます。"
# explain.en = """
# `asyncio.Condition` joins a lock and a notification. A task must hold the lock
# (`async with cond:`) to wait or to notify. `await cond.wait()` releases the lock,
# sleeps until another task calls `notify()` (one waiter) or `notify_all()` (every waiter),
# then acquires the lock again before it returns: so a woken task still waits for the
# notifier to leave its `async with` block.
#
# A wake-up does not mean the thing you wait for is there: another waiter may have taken it
# first. `await cond.wait_for(predicate)` calls `wait()` in a loop until the predicate,
# checked with the lock held, is true. Use it rather than a bare `wait()`. For a plain
# "a value is ready" signal an `Event` is simpler, and for handing items over one by one a
# `Queue` is."""
# explain.ja = """
# `asyncio.Condition` はロックと通知を組み合わせたものです。
# 待つにも通知するにも、タスクはロックを持っていなければなりません(`async with cond:`)。
# `await cond.wait()` はロックを手放し、別のタスクが `notify()` (待ち手を一つ)か `notify_all()` (待ち手全員)を呼ぶまで眠り、戻る前にもう一度ロックを取得します。
# そのため起こされたタスクも、通知した側が `async with` ブロックを出るまで待ちます。
#
# 起こされたからといって、待っていたものがあるとは限りません。ほかの待ち手が先に取ったかもしれないからです。
# `await cond.wait_for(predicate)` は、ロックを持った状態で調べた述語が真になるまで `wait()` を繰り返します。
# 素の `wait()` よりこちらを使いましょう。
# 単に「値の準備ができた」と知らせるなら `Event` が、アイテムを一つずつ受け渡すなら `Queue` のほうが簡単です。"""
#
# [expect]
# status = "finished"
# elapsed = 3.0
# output = [
#     "A checks: []",
#     "B checks: []",
#     "producer adds apple and notifies all",
#     "producer releases the lock",
#     "A checks: ['apple']",
#     "A takes apple",
#     "B checks: []",
#     "producer adds pear and notifies all",
#     "producer releases the lock",
#     "B checks: ['pear']",
#     "B takes pear",
# ]
# user_tasks = 4
# ///
"""asyncio.Condition: wait_for() re-checks a predicate; wait() releases and re-takes the lock."""

import asyncio

items = []


async def consumer(name, cond):
    def has_item():  # wait_for calls this with the lock held
        print(f"{name} checks: {items}")
        return bool(items)

    async with cond:
        await cond.wait_for(has_item)  # releases the lock while it waits
        print(f"{name} takes {items.pop(0)}")


async def producer(cond):
    for item in ("apple", "pear"):
        await asyncio.sleep(1)
        async with cond:
            items.append(item)
            print(f"producer adds {item} and notifies all")
            cond.notify_all()
            await asyncio.sleep(0.5)  # still holds the lock: the woken consumers wait for it
            print("producer releases the lock")


async def main():
    cond = asyncio.Condition()
    await asyncio.gather(consumer("A", cond), consumer("B", cond), producer(cond))


asyncio.run(main())
