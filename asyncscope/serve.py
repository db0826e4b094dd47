"""``asyncscope serve``: the whole app in a browser, one app and one program per tab.

textual-serve (from Textual's authors) does the heavy lifting: it serves a page holding a
terminal emulator and, for each websocket the page opens, starts a process running a Textual
app under Textual's web driver, relaying keys, resizes and screen updates. Each tab here runs
``python -m asyncscope open ...``, the very command a terminal runs, so the picker, the run
screen and every key behave as they do there. This module adds what a server that runs code
needs on top:

- **Loopback unless told otherwise.** Anyone who opens the page can run code on this machine
  (the app opens Python files and runs them), so :func:`check_host` refuses an address other
  machines could reach unless ``public`` is set. The server also answers only requests that
  name a loopback host (a page elsewhere cannot reach it by rebinding its own name to
  127.0.0.1) and accepts a websocket only from its own page (browsers let any page open a
  websocket to ``ws://127.0.0.1:8000``; the Origin header tells them apart).
- **No orphans.** When a tab closes, its app is asked to quit (quitting stops its program); an
  app still running :data:`STOP_GRACE` seconds later is killed, and the kernel then kills its
  program (the runtime's parent-death signal). Each app gets SIGTERM if the server itself dies.

It touches neither the runtime nor the TUI.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

__all__ = ["STOP_GRACE", "ServeError", "TabServer", "check_host", "serve", "tab_command"]

log = logging.getLogger("asyncscope.serve")

STOP_GRACE = 5.0
"""Seconds a tab's app has to exit once its tab is gone, before it is killed."""


class ServeError(Exception):
    """The server cannot start; the message says why and what to do, for a person."""


# -- where to listen ------------------------------------------------------------------


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses ``host`` stands for: itself when it is one, else what it resolves to."""
    try:
        return [ipaddress.ip_address(host.strip("[]").split("%")[0])]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ServeError(
            f"--host {host!r} is neither an address nor a name this machine can resolve ({reason}). "
            "Give an address such as 127.0.0.1 (the default) or ::1."
        ) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_host(host: str, public: bool, port: int = 8000) -> str | None:
    """Refuse an address that other machines could reach, unless ``public``.

    Args:
        host: What ``--host`` said.
        public: ``--public`` was given.
        port: The port, for the messages.

    Returns:
        None for a loopback address; the warning to print for a public one.

    Raises:
        ServeError: ``host`` is empty, cannot be resolved, or is not loopback and not ``public``.
    """
    if not host.strip():
        raise ServeError("--host is empty (which would mean every address of this machine). "
                         "Give an address such as 127.0.0.1 (the default).")
    addresses = _addresses(host)
    if addresses and all(address.is_loopback for address in addresses):
        return None
    where = f"[{host.strip('[]')}]:{port}" if ":" in host else f"{host}:{port}"
    if not public:
        raise ServeError(
            f"refusing to serve on {where}: {host} is not a loopback address, so other machines could "
            "open the page, and anyone who opens it can run code on this machine as you (the app opens "
            "Python files and runs them). Serve on 127.0.0.1 (the default) and reach it from elsewhere "
            f"through an SSH tunnel, or add --public if everyone who can reach {where} may run code here."
        )
    return (
        f"WARNING: serving on {where} with --public. Anyone who can reach this address can open the "
        "page and run code on this machine as you: the app opens Python files and runs them. There is "
        "no password and no encryption. Stop the server (Ctrl+C) as soon as you no longer need it."
    )


def _is_loopback_name(name: str | None) -> bool:
    """Whether a Host header names this machine's loopback, without asking DNS (DNS is the attack)."""
    if not name:
        return False
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:
        return f"http://{socket.gethostname()}:{port}"
    return f"http://[{address}]:{port}" if address.version == 6 else f"http://{address}:{port}"


# -- one tab ----------------------------------------------------------------------------


def tab_command(app_args: Sequence[str]) -> list[str]:
    """The command one tab runs: the terminal's ``asyncscope open`` with the server's options,
    or ``asyncscope replay TRACE`` when ``app_args`` start with ``replay``."""
    if app_args and app_args[0] == "replay":
        return [sys.executable, "-m", "asyncscope", *app_args]
    return [sys.executable, "-m", "asyncscope", "open", *app_args]


def _term_when_server_dies() -> Callable[[], None] | None:
    """Linux: a ``preexec_fn`` that has the kernel send the app SIGTERM if the server dies.

    Textual's web driver quits on SIGTERM, and quitting stops the app's program. Resolved here,
    in the server, so the forked child only makes one system call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig, sigterm = 1, int(signal.SIGTERM)

    def preexec() -> None:
        prctl(pr_set_pdeathsig, sigterm)

    return preexec


class _Tab(AppService):
    """textual-serve's app process for one websocket, started without a shell and always ended."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = list(argv)
        self._stopped = False

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            preexec_fn=_term_when_server_dies(),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def on_data(self, payload: bytes) -> None:
        """Relay a screen update; once the tab is gone, drop it, but keep reading so the app never
        blocks on a full pipe while it quits."""
        with contextlib.suppress(ConnectionError):
            await self.remote_write_bytes(payload)

    async def stop(self) -> None:
        """Ask the app to quit; kill it if it is still running :data:`STOP_GRACE` seconds later."""
        if self._stopped:
            return
        self._stopped = True
        process = self._process
        if process is None:
            return
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(super().stop(), STOP_GRACE)
        if process.returncode is None:
            log.warning("the app of a closed tab (pid %s) did not quit in %s s; killing it", process.pid, STOP_GRACE)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        await process.wait()


# -- the server -------------------------------------------------------------------------


class TabServer(Server):
    """textual-serve's server, made to start :func:`tab_command` per tab and to guard its door."""

    def __init__(self, app_args: Sequence[str], *, host: str, port: int, public: bool) -> None:
        self.argv = tab_command(app_args)
        super().__init__(shlex.join(self.argv), host=host, port=port, title="asyncscope")
        self.public = public
        self.tabs: set[_Tab] = set()
        """The tabs whose app is running (or starting, or stopping)."""

    async def on_startup(self, app: web.Application) -> None:
        """Print nothing yet: the URL is printed once the port is bound (see :func:`serve`)."""

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        if not self.public and not _is_loopback_name(request.url.host) and request.url.host != self.host:
            raise web.HTTPForbidden(text="asyncscope serve answers only requests to a loopback address "
                                         "(127.0.0.1, localhost).\n")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin and urlsplit(origin).netloc.lower() != request.host.lower():
            raise web.HTTPForbidden(text="this websocket belongs to the asyncscope page on the same address.\n")
        return await handler(request)

    async def make_web_app(self) -> web.Application:
        app = await self._make_app()
        app.middlewares.append(self._guard)
        return app

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with its websocket on the address the browser used (not the one bound)."""
        scheme = "wss" if request.secure else "ws"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}{request.app.router['websocket'].url_for()}",
            "config": {"static": {"url": str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start its app, relay its messages, and end the app when the tab goes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        tab = _Tab(self.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                   close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        self.tabs.add(tab)
        try:
            await tab.start(width, height)
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            pass  # the server is stopping; the tab is ended below all the same
        except Exception:
            log.exception("tab failed")
        finally:
            await tab.stop()
            self.tabs.discard(tab)
            await websocket.close()
        return websocket

    async def stop_tabs(self) -> None:
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)), return_exceptions=True)


def _bind_error(exc: OSError, host: str, port: int) -> ServeError:
    if exc.errno == errno.EADDRINUSE:
        return ServeError(f"port {port} on {host} is already in use (another program, or another "
                          "asyncscope serve, listens there). Stop it or choose another port with --port N "
                          "(--port 0 picks a free one).")
    # Python 3.13's asyncio drops EADDRNOTAVAIL and says "could not bind on any address" instead.
    if exc.errno == errno.EADDRNOTAVAIL or (exc.errno is None and "could not bind on any address" in str(exc)):
        return ServeError(f"cannot listen on {host}: it is not an address of this machine. "
                          "Give one of its addresses, or 127.0.0.1 (the default).")
    if exc.errno == errno.EACCES:
        return ServeError(f"not allowed to listen on port {port} (ports below 1024 need privileges). "
                          "Choose a port from 1024 to 65535, such as 8000 (the default).")
    reason = exc.strerror or str(exc)
    return ServeError(f"cannot listen on {host}:{port}: {reason}.")


async def _serve(server: TabServer, ready: Callable[[str], None]) -> None:
    runner = web.AppRunner(await server.make_web_app(), handle_signals=False, access_log=None,
                           shutdown_timeout=STOP_GRACE)
    await runner.setup()
    try:
        await web.TCPSite(runner, server.host, server.port).start()
    except OSError as exc:
        await runner.cleanup()
        raise _bind_error(exc, server.host, server.port) from None
    port = runner.addresses[0][1]
    server.public_url = _url(server.host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    ready(server.public_url)
    try:
        await stop.wait()
    finally:
        await server.stop_tabs()
        await runner.cleanup()


def serve(app_args: Sequence[str], *, host: str, port: int, public: bool,
          ready: Callable[[str], None]) -> None:
    """Serve the app until SIGINT or SIGTERM; every tab's app has ended when this returns.

    Args:
        app_args: Arguments of ``asyncscope open`` for every tab (options, then ``--`` and the program).
        host: Address to listen on; check it with :func:`check_host` first.
        port: Port to listen on; 0 picks a free one.
        public: Answer requests that name a non-loopback host.
        ready: Called with the URL once the server listens.

    Raises:
        ServeError: The address cannot be listened on (in use, not this machine's, not allowed).
    """
    host = host.strip("[]")  # [::1] as in a URL
    asyncio.run(_serve(TabServer(app_args, host=host, port=port, public=public), ready))
