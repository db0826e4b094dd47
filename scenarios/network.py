# /// asyncscope
# order = 260
# level = "advanced"
# title.en = "Real network I/O: an echo server on loopback"
# title.ja = "本物のネットワーク I/O: ループバック上のエコーサーバー"
# summary.en = "start_server and open_connection talk over 127.0.0.1: the loop waits on sockets, not timers."
# summary.ja = "start_server と open_connection が 127.0.0.1 で通信する。ループはタイマーではなくソケットを待つ。"
# watch.en = "When the client connects, the server creates a new task for the connection. main waits on I/O for the reply (readline) while the handler task reads, answers and closes. Sockets are watched, so the virtual clock follows real time here."
# watch.ja = "クライアントが接続すると、サーバーはその接続のために新しいタスクを作ります。main は返事(readline)を待って I/O 待ちになり、その間にハンドラーのタスクが読み、答え、閉じます。ソケットを監視しているので、ここでは仮想時計は実時間に従います。"
# explain.en = """
# `asyncio.start_server(handler, host, port)` listens on a socket and calls `handler(reader,
# writer)` in a new task for every connection. `asyncio.open_connection(host, port)` is the
# client side. Port 0 lets the operating system pick a free port.
#
# `await reader.readline()` suspends the task until data arrives on the socket; meanwhile
# the loop is free, which is what asyncio is for: many connections, one thread.
# `writer.write()` only buffers; `await writer.drain()` waits until the data can be sent.
# Close writers and servers when done (`async with server:` does it for the server)."""
# explain.ja = """
# `asyncio.start_server(handler, host, port)` はソケットで待ち受け、接続ごとに新しいタスクで `handler(reader, writer)` を呼びます。
# `asyncio.open_connection(host, port)` はクライアント側です。
# ポート 0 を指定すると、OS が空いているポートを選びます。
#
# `await reader.readline()` はソケットにデータが届くまでタスクを中断し、その間ループは空いています。
# これこそ asyncio の目的で、一つのスレッドで多くの接続を扱えます。
# `writer.write()` はバッファーに入れるだけで、`await writer.drain()` が送れるようになるまで待ちます。
# 終わったら writer とサーバーを閉じます(サーバーは `async with server:` が閉じてくれます)。"""
#
# [expect]
# status = "finished"
# output = [
#     "server: listening",
#     "client: sending 'hello'",
#     "server: got 'hello'",
#     "client: got 'HELLO'",
#     "server: closed",
# ]
# real_time = true  # sockets are watched, so the clock follows real time
# user_tasks = 2
# ///
"""An echo server and a client over the loopback interface."""

import asyncio


async def handle(reader, writer):
    line = await reader.readline()
    print(f"server: got {line.decode().strip()!r}")
    writer.write(line.upper())
    await writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)  # port 0: any free port
    port = server.sockets[0].getsockname()[1]
    async with server:
        print("server: listening")
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        print("client: sending 'hello'")
        writer.write(b"hello\n")
        await writer.drain()
        reply = await reader.readline()
        print(f"client: got {reply.decode().strip()!r}")
        writer.close()
        await writer.wait_closed()
    print("server: closed")


asyncio.run(main())
