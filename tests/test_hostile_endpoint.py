"""Red-team round 8: the API's address and the environment's proxies. A password in
$DEEPPHEN_ARXIV_API_URL was printed in every error line; a proxy or CA setting httpx cannot use
was a traceback; a proxy that was down was blamed on the network or the API's address alone;
the address's own query string was dropped. Earlier rounds: tests/test_hostile_*.py and
tests/test_hardening*.py.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen import discover
from deepphen.arxiv import Client
from deepphen.endpoint import CERTIFICATES, PROXIES, request_url, without_credentials
from deepphen.errors import NetworkError
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.helpers import one_line_error
from tests.test_watchdog import HEADS, Trickler

Run = Callable[..., object]
SECRET = "s3cret-Pa55"
COMMANDS = [["add", "2206.07682", "-s", "others", "-k", "Emergence"],
            ["refresh", "2201.02177"],
            ["discover", "--since", "2025-05-15", "--until", "2025-05-20", "-c", "cs.LG"]]


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discover, "utc_today", lambda: dt.date(2025, 5, 22))


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """None of the machine's own proxy or CA settings: each test sets the one it tries."""
    for name in (*PROXIES, *CERTIFICATES):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def _html() -> Fault:
    return Fault("body", body=b"<!DOCTYPE html><html><body>Log in</body></html>")


FAILURES = {
    "http-404": lambda: [Fault("status", status=404, body=b"no")],
    "html-page": lambda: [_html()],
    "not-a-feed": lambda: [Fault("body", body=b"<feed")],
    "too-large": lambda: [Fault("huge", size=9 * 1024 * 1024)],
    "refused-400": lambda: [Fault("status", status=400, body=b"bad request")],
    "redirect-away": lambda: [Fault("redirect", status=302, location="http://example.org/x")],
    "http-503": lambda: [Fault("status", status=503, body=b"busy")],
}


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_password_in_the_api_url_is_never_shown(
        failure: str, command: list[str], catalog_dir: Path, arxiv: ArxivServer,
        fake_clock: FakeTime, today: None, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL",
                       arxiv.url.replace("http://", f"http://curator:{SECRET}@"))
    arxiv.fail(*FAILURES[failure]() * 8)  # discover asks smaller pages after a refusal
    result = run_cli(*command, exit_code=None)
    one_line_error(result, "***@127.0.0.1") if failure != "redirect-away" else \
        one_line_error(result, "example.org")
    assert SECRET not in result.stderr + result.stdout  # type: ignore[attr-defined]
    assert arxiv.requests[0].headers["Authorization"].startswith("Basic ")  # still sent


@pytest.mark.parametrize("url", [f"http://curator:{SECRET}@127.0.0.1:x/api",
                                 f"http://curator:{SECRET}@127.0.0.1:9/api ",
                                 f"curator:{SECRET}@127.0.0.1:9/api",
                                 f"ftp://curator:{SECRET}@127.0.0.1/api",
                                 f"http://curator:{SECRET}/x@127.0.0.1:9/api",
                                 f"http://curator:{SECRET} x@127.0.0.1:9/api"])
def test_a_malformed_api_url_is_quoted_without_its_password(
        url: str, catalog_dir: Path, fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch,
        run_cli: Run) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", url)
    result = run_cli(*COMMANDS[0], exit_code=None)
    one_line_error(result, "DEEPPHEN_ARXIV_API_URL", "***@")
    assert SECRET not in result.stderr and fake_clock.sleeps == []  # type: ignore[attr-defined]


def test_a_connection_failure_is_quoted_without_the_password(
        catalog_dir: Path, fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch,
        run_cli: Run) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", f"http://curator:{SECRET}@127.0.0.1:9/api")
    result = run_cli(*COMMANDS[0], exit_code=None)
    one_line_error(result, "connection failed", "http://***@127.0.0.1:9/api")
    assert SECRET not in result.stderr  # type: ignore[attr-defined]


def test_credentials_are_taken_out_of_any_url_in_a_text() -> None:
    assert without_credentials("from http://a:b@h/x?q=n@m and https://c@d/") == \
        "from http://***@h/x?q=n@m and https://***@d/"
    assert without_credentials("URL('socks5://u:p@w@proxy:1')") == "URL('socks5://***@proxy:1')"
    assert without_credentials("https://export.arxiv.org/api/query") == \
        "https://export.arxiv.org/api/query"


# --- the environment's proxies and CA certificates ----------------------------------------

@pytest.mark.parametrize(("name", "value", "named"), [
    ("ALL_PROXY", f"socks5://curator:{SECRET}@127.0.0.1:9", "socksio"),
    ("https_proxy", f"ftp://curator:{SECRET}@127.0.0.1:9", "https_proxy"),
    ("HTTP_PROXY", ":::", "HTTP_PROXY"),
    ("NO_PROXY", "a:b:c", "NO_PROXY"),
    ("SSL_CERT_FILE", "/nonexistent/ca.pem", "SSL_CERT_FILE"),
])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_environment_setting_httpx_cannot_use_is_one_line(
        name: str, value: str, named: str, command: list[str], catalog_dir: Path,
        arxiv: ArxivServer, fake_clock: FakeTime, today: None, no_proxies: None,
        monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> None:
    monkeypatch.setenv(name, value)
    result = run_cli(*command, exit_code=None, catch_exceptions=True)
    one_line_error(result, "as the environment says", named)
    assert SECRET not in result.stderr  # type: ignore[attr-defined]
    assert arxiv.requests == [] and fake_clock.sleeps == []  # at once, not retried


def test_a_proxy_that_is_down_is_named(catalog_dir: Path, arxiv: ArxivServer,
                                        fake_clock: FakeTime, no_proxies: None,
                                        monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> None:
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    result = run_cli(*COMMANDS[0], exit_code=None)
    one_line_error(result, "connection failed", "the proxy in http_proxy")
    assert arxiv.requests == []


# --- the API URL's own query string ---------------------------------------------------------

def test_the_api_url_s_own_query_is_kept(catalog_dir: Path, arxiv: ArxivServer,
                                          fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch,
                                          run_cli: Run) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", f"{arxiv.url}?mirror=eu&max_results=9")
    run_cli("refresh", "2201.02177", exit_code=None)
    assert arxiv.requests[0].params == {"mirror": "eu", "id_list": "2201.02177",
                                        "max_results": "1"}  # the client's own win
    assert request_url("https://h/q?k=a%20b", {"start": "0"}) == "https://h/q?k=a+b&start=0"


# --- a TLS certificate the client does not trust ----------------------------------------------

def test_an_untrusted_certificate_is_one_line_at_once(certificate: tuple[Path, Path],
                                                      no_proxies: None) -> None:
    """A self-signed certificate (a proxy inspecting https, a mirror's own): every try meets
    the same certificate, yet it was retried with backoff (21 s) before the same error."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = Trickler(HEADS["headers"], tls=context)  # not in SSL_CERT_FILE: not trusted
    fake = FakeTime()
    try:
        client = Client(f"https://127.0.0.1:{server.port}/api/query", clock=fake.clock,
                        sleep=fake.sleep)
        with pytest.raises(NetworkError, match="TLS certificate is not trusted") as info:
            client.fetch(["2201.02177"])
    finally:
        server.close()
    assert fake.sleeps == [] and client.requests_sent == 1
    assert "SSL_CERT_FILE" in str(info.value)
