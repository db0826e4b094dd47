"""``asyncscope serve`` (issue 14): the host checks as a user meets them on the command line, the
guard on the page's door, and no process outliving its browser tab or the server.

The browser itself is driven in ``test_serve_browser.py``; here a websocket client plays the tab.
"""

from __future__ import annotations

import asyncio
import signal
import socket

import aiohttp
import pytest
from cli_support import run_cli
from serve_support import RUNTIME_MARK, Served, cmdline, descendants, free_port, pid_alive, serve, wait_until

from asyncscope.serve import check_host

# -- the host checks, on the command line -----------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1"])
def test_a_host_other_machines_can_reach_is_refused_without_public(host: str) -> None:
    result = run_cli("serve", "--host", host, "--port", "0")
    assert result.returncode == 1
    message = result.stderr.strip()
    assert message.startswith("Error: refusing to serve on ")
    assert "anyone who opens it can run code on this machine" in message and "--public" in message
    assert "\n" not in message, "the refusal is one paragraph"
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_public_warns_before_it_listens() -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes first, then a
    # clear error, and nothing ever listens on a public address in this test.
    result = run_cli("serve", "--host", "192.0.2.1", "--public", "--port", "0")
    assert result.returncode == 1
    warning, error = result.stderr.strip().splitlines()
    assert warning.startswith("WARNING: serving on 192.0.2.1:0 with --public.")
    assert "Anyone who can reach this address can open the page and run code on this machine" in warning
    assert error == ("Error: cannot listen on 192.0.2.1: it is not an address of this machine. "
                     "Give one of its addresses, or 127.0.0.1 (the default).")


def test_loopback_hosts_pass_and_need_no_warning() -> None:
    for host in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"):
        assert check_host(host, public=False) is None, host
        assert check_host(host, public=True) is None, host


@pytest.mark.parametrize(("args", "expected"), [
    (("--host", ""), "Error: --host is empty"),
    (("--port", "70000"), "Invalid value for '--port': 70000 is not in the range 0<=x<=65535"),
    (("no_such_scenario",), "Error: 'no_such_scenario' is neither a file nor a built-in scenario."),
])
def test_bad_input_is_a_clear_error(args: tuple[str, ...], expected: str) -> None:
    result = run_cli("serve", *args)
    assert result.returncode in (1, 2)
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: port {port} on 127.0.0.1 is already in use")
    assert "--port 0 picks a free one" in result.stderr
    assert "Traceback" not in result.stderr


# -- the door ---------------------------------------------------------------------------


async def test_only_its_own_page_at_a_loopback_name_gets_in() -> None:
    """A page elsewhere can neither rebind its name to 127.0.0.1 nor open the websocket itself."""
    with serve("--port", str(free_port())) as server:
        async with aiohttp.ClientSession() as client:
            async with client.get(server.url) as page:
                assert page.status == 200
                assert f'data-session-websocket-url="{server.ws_url}"' in await page.text()
            port = server.url.rsplit(":", 1)[1]
            async with client.get(server.url, headers={"Host": f"localhost:{port}"}) as page:
                assert page.status == 200
                assert f"ws://localhost:{port}/ws" in await page.text()
            async with client.get(server.url, headers={"Host": f"attacker.example:{port}"}) as page:
                assert page.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await client.ws_connect(server.ws_url, headers={"Origin": "http://attacker.example"})
            assert refused.value.status == 403
        assert descendants(server.process.pid) == set(), "a refused websocket started an app"


# -- no orphans -------------------------------------------------------------------------

_READERS: set[asyncio.Task[None]] = set()


async def _open_tab(client: aiohttp.ClientSession, server: Served) -> aiohttp.ClientWebSocketResponse:
    """Connect as the page does, and keep reading the screen updates as a browser would."""
    websocket = await client.ws_connect(f"{server.ws_url}?width=120&height=40", headers={"Origin": server.url})

    async def read() -> None:
        async for _ in websocket:
            pass

    task = asyncio.create_task(read())
    _READERS.add(task)  # the loop keeps only a weak reference to a task
    task.add_done_callback(_READERS.discard)
    return websocket


def _programs(pids: set[int]) -> set[int]:
    return {pid for pid in pids if RUNTIME_MARK in cmdline(pid)}


async def _wait_gone(what: str, pids: set[int]) -> None:
    await asyncio.to_thread(wait_until, what, lambda: not any(pid_alive(pid) for pid in pids))


async def test_each_tab_runs_its_own_app_and_program_and_closing_it_ends_them() -> None:
    # --paused: each program waits before its first step, so it lives until something ends it.
    with serve("--port", str(free_port()), "--paused", "create_task") as server:
        async with aiohttp.ClientSession() as client:
            first = await _open_tab(client, server)
            first_pids = await asyncio.to_thread(server.tab_processes)
            second = await _open_tab(client, server)
            second_pids = await asyncio.to_thread(server.tab_processes, first_pids)
            assert len(_programs(first_pids)) == len(_programs(second_pids)) == 1
            assert len(first_pids) >= 2 and len(second_pids) >= 2, "each tab has an app and a program"

            await first.close()
            await _wait_gone("the closed tab's app and program to end", first_pids)
            assert all(pid_alive(pid) for pid in second_pids), "closing one tab ended another's program"

            await second.close()
            await _wait_gone("the second tab's app and program to end", second_pids)
        assert server.process.poll() is None, "the server keeps serving after its tabs close"
        assert descendants(server.process.pid) == set()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["stopped", "killed"])
async def test_when_the_server_goes_its_tabs_processes_go_too(how: signal.Signals) -> None:
    with serve("--port", str(free_port()), "--paused", "create_task") as server:
        async with aiohttp.ClientSession() as client:
            await _open_tab(client, server)
            pids = await asyncio.to_thread(server.tab_processes)
            server.process.send_signal(how)
            await _wait_gone("the tab's app and program to end with the server", pids)
            code = await asyncio.to_thread(server.process.wait, 30)
        assert code == (0 if how == signal.SIGTERM else -signal.SIGKILL)


# -- a replay in the browser ------------------------------------------------------------


def test_replay_tabs_open_the_recording_and_a_bad_trace_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from asyncscope.serve import tab_command

    argv = tab_command(["replay", "/data/run.trace", "--lang", "en"])
    assert argv[-4:] == ["replay", "/data/run.trace", "--lang", "en"] and "open" not in argv
    assert tab_command(["--clock", "virtual", "--", "gather"])[3] == "open"
    bad = tmp_path / "not.trace"
    bad.write_text("hello")
    result = run_cli("serve", "--port", "0", "--replay", str(bad))
    assert result.returncode != 0 and "not an asyncscope trace" in result.stderr
    assert "Traceback" not in result.stderr
