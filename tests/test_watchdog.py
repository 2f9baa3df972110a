"""A server that sends its status line or headers a byte at a time: httpx's timeout bounds
each read, so each byte restarted it and `add --timeout 5` waited for ever (red-team round
6). The watchdog (deepphen.watchdog) cuts the request's socket when its time is up; here
its timer is told to fire once the server has begun to trickle, so nothing waits on a clock.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deepphen.arxiv import Client
from deepphen.errors import NetworkError
from deepphen.watchdog import Watchdog


class Trickler:
    """A TCP server that answers each connection with ``head`` and then one byte of a
    header every 50 ms, up to 200 bytes (10 s), unless the client goes first."""

    def __init__(self, head: bytes, tls: ssl.SSLContext | None = None) -> None:
        self.head = head
        self.tls = tls
        self.sent = 0  # bytes trickled: all 200 means the client waited the trickle out
        self.trickling = threading.Event()
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                try:
                    if self.tls is not None:
                        conn = self.tls.wrap_socket(conn, server_side=True)
                    conn.sendall(self.head)
                    self.trickling.set()
                    for _ in range(200):
                        if self.stop.wait(0.05):  # the server's pace, not the test's clock
                            return
                        conn.sendall(b"x")
                        self.sent += 1
                except OSError:  # the client cut the connection
                    continue

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


class FireWhen:
    """A timer factory for the watchdog: its timer fires once ``event`` is set."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event
        self.started = 0
        self.seconds: list[float] = []
        self.done = threading.Event()  # set once the function has run

    def __call__(self, seconds: float, function: Callable[[], None]) -> object:
        factory = self
        self.seconds.append(seconds)

        class Timer:
            daemon = False

            def start(self) -> None:
                factory.started += 1

                def run() -> None:
                    if factory.event.wait(10):
                        function()
                        factory.done.set()

                threading.Thread(target=run, daemon=True).start()

            def cancel(self) -> None:
                pass

        return Timer()


# A body with no length runs to the end of the stream: cut, it must not pass for whole.
HEADS = {"status line": b"HTTP/1.1 200 O", "headers": b"HTTP/1.1 200 OK\r\nX-Slow: ",
         "body to the end": b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n<feed "}


@pytest.fixture(params=list(HEADS.values()), ids=list(HEADS))
def trickler(request: pytest.FixtureRequest) -> Iterator[Trickler]:
    server = Trickler(request.param)
    yield server
    server.close()


def test_a_trickled_status_line_or_header_times_out(trickler: Trickler) -> None:
    timer = FireWhen(trickler.trickling)
    client = Client(f"http://127.0.0.1:{trickler.port}/api/query", timeout=5, max_tries=1,
                    timer=timer, sleep=lambda s: None)
    with pytest.raises(NetworkError, match="timed out after 5s"):
        client.fetch(["2201.02177"])
    assert timer.started == 1 and timer.seconds == [5]
    assert trickler.sent < 200  # cut, not waited out


def test_a_trickled_header_over_tls_times_out(certificate: tuple[Path, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """TLS wraps the connection's socket and detaches the plain one, whose shutdown then
    did nothing: over https (arXiv's own scheme) the request still hung."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # httpx trusts it (trust_env)
    server = Trickler(HEADS["headers"], tls=context)
    try:
        timer = FireWhen(server.trickling)
        client = Client(f"https://127.0.0.1:{server.port}/api/query", timeout=5, max_tries=1,
                        timer=timer, sleep=lambda s: None)
        with pytest.raises(NetworkError, match="timed out after 5s"):
            client.fetch(["2201.02177"])
        assert server.sent < 200  # cut, not waited out
    finally:
        server.close()


def test_the_watchdog_cuts_a_socket_that_connects_after_it_fired() -> None:
    """The time may run out while the connection is still being made."""
    left, right = socket.socketpair()
    with left, right:
        now = threading.Event()
        now.set()
        timer = FireWhen(now)
        with Watchdog(0, timer) as dog:
            assert timer.done.wait(10)
            stream = type("Stream", (), {"get_extra_info": lambda self, what: left})()
            dog.trace("connection.connect_tcp.complete", {"return_value": stream})
        assert dog.fired
        assert left.recv(1) == b""  # shut down: reading ends at once


def test_a_quick_answer_cancels_the_watchdog() -> None:
    cancelled: list[bool] = []

    class Timer:
        daemon = False

        def start(self) -> None:
            pass

        def cancel(self) -> None:
            cancelled.append(True)

    with Watchdog(5, lambda s, f: Timer()) as dog:
        pass
    assert cancelled == [True] and not dog.fired
