# /// asyncscope
# order = 90
# level = "intermediate"
# title.en = "gather and exceptions: return_exceptions"
# title.ja = "gather と例外: return_exceptions"
# summary.en = "With return_exceptions=True errors come back as results; without it, the first error is raised and the others keep running."
# summary.ja = "return_exceptions=True ならエラーも結果として返る。指定しないと最初のエラーが送出され、残りは動き続ける。"
# watch.en = "In the first gather, b fails at t=2 but c still finishes at t=3. In the second, main catches d's error at t=4 while e is still waiting; e prints 'e done' at t=5."
# watch.ja = "最初の gather では b が t=2 で失敗しても c は t=3 に完了します。二つ目では main が t=4 に d のエラーを受け取りますが e はまだ待機中で、t=5 に 'e done' を表示します。"
# explain.en = """
# `gather(..., return_exceptions=True)` waits for everything and puts each exception in the
# result list where the value would have been, so one failure does not hide the others.
#
# Without it, `gather` raises the first exception as soon as it happens, but it does *not*
# cancel the other awaitables: they keep running in the background. If you need "one fails,
# all stop", use a TaskGroup (next scenario)."""
# explain.ja = """
# `gather(..., return_exceptions=True)` はすべての完了を待ち、例外を本来の値の位置に入れて結果リストとして返します。
# 一つの失敗がほかの結果を隠しません。
#
# 指定しない場合、`gather` は最初の例外が起きた時点でそれを送出しますが、ほかの処理はキャンセル *しません*。
# それらは裏で動き続けます。
# 「一つが失敗したら全部止める」には TaskGroup を使います(次のシナリオ)。"""
#
# [expect]
# status = "finished"
# elapsed = 6.0
# output = [
#     "a done",
#     "c done",
#     "results: ['a', ValueError('b failed'), 'c']",
#     "caught: d failed",
#     "e done",
#     "main ends",
# ]
# user_tasks = 6
# ///
"""gather(return_exceptions=True) collects errors; without it the first error escapes."""

import asyncio


async def fetch(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        raise ValueError(f"{name} failed")
    print(f"{name} done")
    return name


async def main():
    # 1. Errors come back as results.
    results = await asyncio.gather(
        fetch("a", 1), fetch("b", 2, fail=True), fetch("c", 3), return_exceptions=True
    )
    print(f"results: {results}")

    # 2. The first error is raised at once, but e is not cancelled.
    try:
        await asyncio.gather(fetch("d", 1, fail=True), fetch("e", 2))
    except ValueError as exc:
        print(f"caught: {exc}")
    await asyncio.sleep(2)  # meanwhile, e finishes on its own
    print("main ends")


asyncio.run(main())
