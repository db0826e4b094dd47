# /// asyncscope
# order = 25
# level = "beginner"
# title.en = "asyncio.run in Jupyter: a loop is already running"
# title.ja = "Jupyter で asyncio.run: ループはすでに動いている"
# summary.en = "A notebook cell runs inside a running event loop: asyncio.run() refuses with RuntimeError, and a top-level await works."
# summary.ja = "ノートブックのセルは動いているイベントループの中で実行される。asyncio.run() は RuntimeError で拒否し、トップレベルの await なら動く。"
# watch.en = "One task only, the notebook's. Cell 1 fails at t=0 with RuntimeError: asyncio.run() cannot be called from a running event loop, and a never-awaited diagnostic follows (the fetch coroutine handed to asyncio.run never ran). Cell 2 awaits at top level: the notebook task's await chain goes through the cell into fetch and its sleep, and Out[2] arrives at t=1."
# watch.ja = "タスクはノートブックのもの一つだけです。セル 1 は t=0 に「RuntimeError: asyncio.run() cannot be called from a running event loop」で失敗し、never-awaited の診断が続きます(asyncio.run に渡した fetch のコルーチンは一度も実行されていません)。セル 2 はトップレベルで await します。ノートブックのタスクの await チェーンはセルを通って fetch とその sleep に入り、t=1 に Out[2] が出ます。"
# explain.en = """
# Jupyter (through IPython's kernel) runs every cell inside an event loop that is already
# running. `asyncio.run()` wants to start a loop of its own, and refuses while one runs in
# the same thread: `RuntimeError: asyncio.run() cannot be called from a running event
# loop`. The coroutine you handed it never runs, so the never-awaited warning follows.
#
# In a notebook, write the `await` directly in the cell: `await fetch("example.com")`.
# IPython compiles each cell with top-level `await` allowed and awaits it in the running
# loop; this program plays the notebook and does the same (`ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`).
# `python -m asyncio` starts a REPL that allows it too. In a `.py` file, `await` outside
# `async def` is a SyntaxError: there, `asyncio.run(main())` at the top is right."""
# explain.ja = """
# Jupyter は(IPython のカーネルを通して)すべてのセルを、すでに動いているイベントループの中で実行します。
# `asyncio.run()` は自分のループを起動しようとするので、同じスレッドでループが動いている間は `RuntimeError: asyncio.run() cannot be called from a running event loop` で拒否します。
# 渡したコルーチンは一度も実行されないので、never-awaited の警告が続きます。
#
# ノートブックでは、セルに直接 `await` を書きます: `await fetch("example.com")`。
# IPython はトップレベルの `await` を許してセルをコンパイルし、動いているループの中でそれを await します。
# このプログラムはノートブックの役を演じて同じことをしています(`ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`)。
# `python -m asyncio` で起動する REPL でもトップレベルの `await` が使えます。
# `.py` ファイルでは `async def` の外の `await` は SyntaxError なので、そこでは一番外側で `asyncio.run(main())` を呼ぶのが正解です。"""
#
# [expect]
# status = "finished"
# elapsed = 1.0
# output = [
#     'In [1]: asyncio.run(fetch("example.com"))',
#     "RuntimeError: asyncio.run() cannot be called from a running event loop",
#     'In [2]: await fetch("example.com")',
#     "Out[2]: '<html of example.com>'",
# ]
# diagnostics = ["never-awaited"]
# stderr = ["RuntimeWarning: coroutine 'fetch' was never awaited"]
# user_tasks = 1
# ///
"""In Jupyter a loop is already running: asyncio.run() refuses, and a top-level await works."""

import ast
import asyncio
import inspect


async def fetch(url):
    await asyncio.sleep(1)  # e.g. a request over the network
    return f"<html of {url}>"


# Two notebook cells, as you would type them:
CELLS = [
    'asyncio.run(fetch("example.com"))',  # what a script does: refused here
    'await fetch("example.com")',  # what works in a notebook
]


async def notebook():
    """Plays Jupyter: runs each cell inside the loop that is already running, as IPython does."""
    namespace = {"asyncio": asyncio, "fetch": fetch}
    for number, cell in enumerate(CELLS, 1):
        print(f"In [{number}]: {cell}")
        code = compile(cell, f"<cell {number}>", "eval", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        try:
            result = eval(code, namespace)
            if code.co_flags & inspect.CO_COROUTINE:  # the cell awaits: run it in this loop
                result = await result
        except Exception as exc:  # the notebook shows the error and goes on
            print(f"{type(exc).__name__}: {exc}")
        else:
            print(f"Out[{number}]: {result!r}")


asyncio.run(notebook())
