"""Which redirects the arXiv client follows (deepphen.redirects).

A server, or whoever answers in its name, must not send the client to another host (a
service on the user's machine or network) nor from https down to plain http. The API's own
moves stay followed: a path on the same host, http upgraded to https (real arXiv answers
http://export.arxiv.org/api/query with a redirect to https), and moves between arxiv.org
hosts when the configured API is arXiv's.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import pytest

from deepphen import discover as discover_core
from deepphen.arxiv import Client
from deepphen.errors import NetworkError
from deepphen.redirects import refusal
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.discover_corpus import make_corpus
from tests.helpers import one_line_error, tree

ARXIV = "https://export.arxiv.org/api/query"
LOCAL = "http://127.0.0.1:8080/api/query"

FOLLOWED = [
    (LOCAL, LOCAL, "http://127.0.0.1:8080/api/v2/query?x=1"),  # another path, same origin
    (LOCAL, LOCAL, "https://127.0.0.1:8080/api/query"),  # upgraded, same port
    ("http://example.org/api", "http://example.org/api", "https://example.org/api"),
    ("http://example.org/api", "http://example.org/api", "https://EXAMPLE.org:443/api"),
    ("http://export.arxiv.org/api/query", "http://export.arxiv.org/api/query",
     "https://export.arxiv.org/api/query?id_list=2201.02177"),  # what arXiv really does
    (ARXIV, ARXIV, "https://arxiv.org/api/query"),  # between arXiv's own hosts
    (ARXIV, "https://arxiv.org/api/query", "https://export.arxiv.org/api/query"),
    ("http://export.arxiv.org/api/query", "http://export.arxiv.org/api/query",
     "https://arxiv.org/api/query"),
]

REFUSED = [
    (ARXIV, ARXIV, "http://export.arxiv.org/api/query", "https down to http"),
    (ARXIV, ARXIV, "http://arxiv.org/api/query", "https down to http"),
    ("https://example.org/a", "https://example.org/a", "http://example.org/a", "down to http"),
    (LOCAL, "https://127.0.0.1:8080/api/query", LOCAL, "down to http"),  # a later hop
    (ARXIV, ARXIV, "https://evil.example/api/query", "another host"),
    (ARXIV, ARXIV, "https://evilarxiv.org/api/query", "another host"),
    (ARXIV, ARXIV, "https://arxiv.org.evil.example/api/query", "another host"),
    (ARXIV, ARXIV, "https://arxiv.org:8443/api/query", "another port"),
    (ARXIV, ARXIV, "https://export.arxiv.org:8443/api/query", "another port"),
    (LOCAL, LOCAL, "http://localhost:8080/api/query", "another host"),
    (LOCAL, LOCAL, "http://127.0.0.1:6379/", "another port"),
    (LOCAL, LOCAL, "http://10.0.0.1:8080/api/query", "another host"),
    (LOCAL, LOCAL, "https://export.arxiv.org/api/query", "another host"),  # not arXiv's API
    (LOCAL, LOCAL, "http://127.0.0.1:8080@evil.example/", "another host"),
    ("http://example.org/api", "http://example.org/api", "https://example.org:8443/api",
     "another port"),
    (LOCAL, LOCAL, "file:///etc/passwd", "not http"),
    (LOCAL, LOCAL, "ftp://127.0.0.1:8080/x", "not http"),
    (LOCAL, LOCAL, "http://127.0.0.1:99999/", "not a valid URL"),
]


@pytest.mark.parametrize(("api", "source", "target"), FOLLOWED)
def test_the_api_s_own_moves_are_followed(api: str, source: str, target: str) -> None:
    assert refusal(api, source, target) is None


@pytest.mark.parametrize(("api", "source", "target", "reason"), REFUSED)
def test_other_hosts_and_downgrades_are_refused(api: str, source: str, target: str,
                                                reason: str) -> None:
    why = refusal(api, source, target)
    assert why is not None and reason in why, why


# --- the client ---------------------------------------------------------------------------

EMPTY_FEED = b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>'


def _client(base: str, answers: dict[str, str]) -> tuple[Client, list[str]]:
    """A client whose transport redirects each URL prefix in ``answers`` to its value (the
    query string kept) and answers anything else with an empty feed; the URLs asked."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        plain = str(request.url.copy_with(query=None))
        if plain in answers:
            target = f"{answers[plain]}?{request.url.query.decode()}"
            return httpx.Response(301, headers={"Location": target})
        return httpx.Response(200, content=iter([EMPTY_FEED]))  # streamed, as on the wire

    fake = FakeTime()
    return Client(base, clock=fake.clock, sleep=fake.sleep,
                  transport=httpx.MockTransport(handler)), asked


def test_real_arxiv_s_upgrade_to_https_is_followed() -> None:
    client, asked = _client("http://export.arxiv.org/api/query",
                            {"http://export.arxiv.org/api/query": ARXIV})
    assert client.fetch(["2201.02177"]) == {}
    assert [u.split("?")[0] for u in asked] == ["http://export.arxiv.org/api/query", ARXIV]


def test_a_downgrade_is_refused_before_it_is_asked() -> None:
    client, asked = _client(ARXIV, {ARXIV: "http://export.arxiv.org/api/query"})
    with pytest.raises(NetworkError) as caught:
        client.fetch(["2201.02177"])
    message = str(caught.value)
    assert "redirected" in message and "https down to http" in message, message
    assert "\n" not in message
    assert len(asked) == 1  # asked once: no retry, and the http URL never reached


@pytest.mark.parametrize("location", ["//evil.example/api/query", "https://evil.example/",
                                      "http://127.0.0.1:8080@evil.example/"])
def test_a_location_of_another_host_however_written_is_refused(location: str) -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(302, headers={"Location": location})

    fake = FakeTime()
    client = Client(LOCAL, clock=fake.clock, sleep=fake.sleep,
                    transport=httpx.MockTransport(handler))
    with pytest.raises(NetworkError, match=r"redirected to .*evil\.example.*another host"):
        client.fetch(["2201.02177"])
    assert len(asked) == 1 and fake.sleeps == []


def test_a_redirect_loop_is_still_reported() -> None:
    client, asked = _client(LOCAL, {LOCAL: LOCAL})
    with pytest.raises(NetworkError, match="redirect loop"):
        client.fetch(["2201.02177"])
    assert len(asked) <= 6


# --- the commands -------------------------------------------------------------------------

WINDOW = ("--since", "2025-05-15", "--until", "2025-05-20", "--category", "cs.LG")
COMMANDS = {"add": ["add", "2206.07682", "-s", "others", "-k", "Emergence"],
            "refresh": ["refresh", "2201.02177"],
            "discover": ["discover", *WINDOW, "--format", "json"]}


@pytest.fixture
def window(arxiv: ArxivServer, fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch) -> None:
    """discover's papers on the stand-in, and a fixed today."""
    arxiv.corpus = make_corpus(dt.date(2025, 5, 20), noise=20)
    monkeypatch.setattr(discover_core, "utc_today", lambda: dt.date(2025, 5, 22))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_redirect_to_another_host_is_one_line_and_writes_nothing(
        command: str, catalog_dir: Path, arxiv: ArxivServer, fake_clock: FakeTime,
        window: None, run_cli) -> None:
    # The same stand-in under another name: followed, it would answer as if nothing were wrong.
    elsewhere = arxiv.url.replace("127.0.0.1", "localhost")
    arxiv.fail(*[Fault("redirect", status=302, location=elsewhere)] * 20)
    before = tree(catalog_dir)
    result = run_cli(*COMMANDS[command], exit_code=None)
    one_line_error(result, "arXiv", "redirected to http://localhost:", "another host")
    assert tree(catalog_dir) == before
    assert all(r.headers.get("Host", "").startswith("127.0.0.1") for r in arxiv.requests)
    assert fake_clock.sleeps == [] or command == "discover"  # refused, not retried


@pytest.mark.parametrize("command", COMMANDS)
def test_a_redirect_within_the_api_is_followed(command: str, catalog_dir: Path,
                                               arxiv: ArxivServer, fake_clock: FakeTime,
                                               window: None, run_cli) -> None:
    moved = arxiv.url.replace("/api/query", "/api/v2/query")
    arxiv.fail(*[Fault("redirect", status=301, location=moved)] * 3)
    result = run_cli(*COMMANDS[command], exit_code=None)
    assert result.exit_code in (0, 1), result.stderr
    assert "error" not in result.stderr
    assert "/api/v2/query" in [r.path for r in arxiv.requests]
    if command == "discover":
        assert json.loads(result.stdout)


def test_a_refused_redirect_keeps_no_password_of_the_url_asked() -> None:
    """The error of a refused redirect keeps the URL asked (``NetworkError.url``) without
    its user name and password, as every other error of the client does."""
    from deepphen.redirects import follow

    def moved(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://10.0.0.1/elsewhere"})

    with httpx.Client(transport=httpx.MockTransport(moved)) as http:
        request = http.build_request("GET", "http://bob:s3cret@127.0.0.1:8080/api/query")
        with pytest.raises(NetworkError) as caught:
            follow(http, request, "http://bob:s3cret@127.0.0.1:8080/api/query", "hint")
    assert caught.value.url is not None and "s3cret" not in caught.value.url
    assert "s3cret" not in str(caught.value) and "bob" not in caught.value.url
