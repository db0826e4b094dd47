# /// asyncscope
# order = 54
# level = "beginner"
# title.en = "Using a result without await: 'coroutine' object is not subscriptable"
# title.ja = "await せずに結果を使う: 「'coroutine' object is not subscriptable」"
# summary.en = "user = fetch_user(1) without await gives a coroutine object, not the dict: user['name'] fails with a TypeError, and a never-awaited warning follows."
# summary.ja = "await なしの user = fetch_user(1) で得られるのは dict ではなくコルーチンオブジェクト。user['name'] が TypeError で失敗し、その後に never-awaited の警告が続く。"
# watch.en = "main prints that it got a coroutine object, then fails at t=0 on user['name']: the run ends 'failed' with TypeError: 'coroutine' object is not subscriptable. The clock never reaches t=1, since fetch_user's body never ran. The never-awaited diagnostic for fetch_user comes last, when the forgotten coroutine is thrown away at the end of the program."
# watch.ja = "main はコルーチンオブジェクトを受け取ったと表示し、t=0 に user['name'] で失敗します。実行は「TypeError: 'coroutine' object is not subscriptable」で failed として終わります。fetch_user の本体は一度も実行されないので、時計は t=1 に届きません。fetch_user の never-awaited の診断は最後、忘れられたコルーチンがプログラムの終わりに捨てられるときに出ます。"
# explain.en = """
# Calling a coroutine function without `await` gives you the coroutine object, not its
# return value. Using that object as if it were the value fails at the first thing it does
# not support, and every such error mentions 'coroutine':
#
# `user['name']` raises `TypeError: 'coroutine' object is not subscriptable`.
# `user.name` raises `AttributeError: 'coroutine' object has no attribute 'name'`.
# `for item in user` raises `TypeError: 'coroutine' object is not iterable`.
#
# Some uses do not fail at all: if `is_admin` is a coroutine function, `if is_admin(user):`
# is always true, because a coroutine object counts as true. When an error names
# 'coroutine', look for the missing `await`: `user = await fetch_user(1)`.
#
# Python's `RuntimeWarning: coroutine 'fetch_user' was never awaited` comes last, when the
# forgotten object is thrown away; here that is at the end of the program, so it points at
# no line of yours."""
# explain.ja = """
# `await` を付けずにコルーチン関数を呼ぶと、得られるのは戻り値ではなくコルーチンオブジェクトです。
# それを値のつもりで使うと、そのオブジェクトにできない最初の操作で失敗し、どのエラーにも 'coroutine' という語が出てきます。
#
# `user['name']` は `TypeError: 'coroutine' object is not subscriptable` になります。
# `user.name` は `AttributeError: 'coroutine' object has no attribute 'name'` になります。
# `for item in user` は `TypeError: 'coroutine' object is not iterable` になります。
#
# まったく失敗しない使い方もあります。
# `is_admin` がコルーチン関数なら、`if is_admin(user):` は常に真になります。
# コルーチンオブジェクトは真とみなされるからです。
# エラーに 'coroutine' とあったら、抜けている `await` を探しましょう: `user = await fetch_user(1)`。
#
# Python の `RuntimeWarning: coroutine 'fetch_user' was never awaited` は、忘れられたオブジェクトが捨てられるときに最後に出ます。
# ここではプログラムの終わりなので、あなたのコードのどの行も指しません。"""
#
# [expect]
# status = "failed"
# elapsed = 0.0
# output = ["main: fetch_user(1) gave a coroutine object"]
# diagnostics = ["never-awaited"]
# stderr = ["TypeError: 'coroutine' object is not subscriptable", "RuntimeWarning: coroutine 'fetch_user' was never awaited"]
# user_tasks = 1
# ///
"""Using what a coroutine function returns without await: a coroutine object, not the data."""

import asyncio


async def fetch_user(user_id):
    await asyncio.sleep(1)  # e.g. a request to a server
    return {"id": user_id, "name": "Ada"}


async def main():
    user = fetch_user(1)  # the mistake: no await, so user is a coroutine object
    print(f"main: fetch_user(1) gave a {type(user).__name__} object")
    print(f"main: hello, {user['name']}")  # fails: a coroutine object is not a dict


asyncio.run(main())
