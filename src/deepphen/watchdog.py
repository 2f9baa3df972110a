"""One HTTP exchange within its time, headers included.

httpx's timeouts bound each read from the socket, not the request: a server that sends its
status line or headers a byte at a time, each within the read timeout, holds a request
forever (deepphen.arxiv bounds the body itself, but the headers are read inside httpx). A
``Watchdog`` learns the request's socket through httpcore's ``trace`` extension and, when the
time is up, shuts it down: the blocked read returns at once and httpx raises, which the
caller reports as a time-out (``fired``). The connection must not be reused (the client keeps
no idle connections), so that the socket learnt is the one the request reads. A transport
that is not httpcore's (a test's MockTransport) sends no trace: only the body's time is
then bounded.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Any, Protocol


class Timer(Protocol):
    """What ``threading.Timer`` offers and the watchdog uses; tests pass their own."""

    daemon: bool

    def start(self) -> None:
        """Start counting."""

    def cancel(self) -> None:
        """Stop counting; the function is not called."""


TimerFactory = Callable[[float, Callable[[], None]], Timer]

# httpcore's trace events once a connection's TCP socket is open, and once TLS wraps it
# (through a proxy too); the "return_value" is the network stream, whose "socket" extra is
# the socket. Wrapping detaches the plain socket, so the TLS one must be cut as well.
OPENED = frozenset(f"{where}.{step}.complete" for where in ("connection", "proxy", "socks")
                   for step in ("connect_tcp", "start_tls"))


class Watchdog:
    """Shuts down a request's socket ``seconds`` after ``with`` starts, unless it ends first.

    Pass ``trace`` as the request's ``trace`` extension. ``fired`` says the time ran out.
    """

    def __init__(self, seconds: float, timer: TimerFactory = threading.Timer) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True  # never keeps the process alive

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: remember each socket the request opens (redirects too)."""
        if event not in OPENED:
            return
        sock = getattr(info.get("return_value"), "get_extra_info", lambda _: None)("socket")
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:  # connected just after the time ran out
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    """Shutting down, unlike closing, wakes a read blocked on the socket in another thread.
    The plain socket's shutdown, even of a TLS socket: SSLSocket.shutdown would also drop
    the TLS state under the reading thread."""
    with contextlib.suppress(OSError):  # already closed by httpx, or never connected
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
