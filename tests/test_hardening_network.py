"""A hostile or broken arXiv server, or API URL (issue 13, items 13 and 24).

Every malformed answer (header, redirect, encoding) and every malformed API URL ends in one
``deepphen: error:`` line and exit 2, after bounded retries, in every command that talks to
arXiv; and every command gives up after its overall deadline (``--timeout``).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepphen import arxiv as client_module
from deepphen.arxiv import DEFAULT_DEADLINE, Client
from deepphen.errors import DeepphenError, NetworkError
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.helpers import one_line_error, tree

COMMANDS = [["add", "2206.07682", "-s", "others", "-k", "Emergence"],
            ["refresh", "2201.02177"]]


def _status(status: int, **headers: str) -> Fault:
    return Fault("status", status=status, headers=headers, body=b"<feed/>")


# ---------------------------------------------------------------------------------------
# 13. Retry-After, redirects, encodings, headers.

@given(st.text(max_size=60))
def test_any_retry_after_value_is_a_delay_or_ignored(value: str) -> None:
    delay = client_module.parse_retry_after(value)
    assert delay is None or delay >= 0


# Header values travel as latin-1; other text is covered by the property test above.
@pytest.mark.parametrize("value", ["²", "½", "1.5", "-3", "0x10", "Wed, 21 Oct 2015 99:28:00 GMT",
                                   "Wed, 21 Oct 99999 07:28:00 GMT",
                                   "Wed, 21 Oct 2015 07:28:00 +9999", "x" * 500, "9" * 400, ""])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_malformed_retry_after_never_crashes(value: str, command: list[str], catalog_dir: Path,
                                             arxiv: ArxivServer, fake_clock: FakeTime,
                                             run_cli) -> None:
    arxiv.fail(_status(503, **{"Retry-After": value}))
    result = run_cli(*command, exit_code=None)
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        one_line_error(result, "arXiv")


def _bad_answers(url: str) -> dict[str, list[Fault]]:
    loop = _status(302, Location=url)
    return {
        "redirect-loop": [loop] * 12,
        "redirect-to-file": [_status(302, Location="file:///etc/passwd")] * 4,
        "redirect-to-ftp": [_status(302, Location="ftp://example.org/x")] * 4,
        "redirect-broken": [_status(302, Location="http://[::1")] * 4,
        "gzip-lie": [Fault("status", status=200, headers={"Content-Encoding": "gzip"},
                           body=b"not gzip at all")] * 4,
        "deflate-lie": [Fault("status", status=200, headers={"Content-Encoding": "deflate"},
                              body=b"not deflate")] * 4,
        "br-lie": [Fault("status", status=200, headers={"Content-Encoding": "br"},
                         body=b"not brotli")] * 4,
        "length-not-a-number": [Fault("status", status=200,
                                      headers={"Content-Length": "abc"}, body=b"<feed/>")] * 4,
        "not-xml": [Fault("status", status=200, body=b"\xff\xfe<html>")] * 4,
        "truncated": [Fault("truncate")] * 4,
    }


ANSWERS = list(_bad_answers("x"))


@pytest.mark.parametrize("answer", ANSWERS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_malformed_answers_end_in_one_line_after_bounded_retries(
        answer: str, command: list[str], catalog_dir: Path, arxiv: ArxivServer,
        fake_clock: FakeTime, run_cli) -> None:
    arxiv.fail(*_bad_answers(arxiv.url)[answer])
    before = tree(catalog_dir)
    result = run_cli(*command, exit_code=None)
    one_line_error(result, "arXiv")
    assert len(arxiv.requests) <= 4 * (client_module.MAX_REDIRECTS + 1)
    assert tree(catalog_dir) == before


# ---------------------------------------------------------------------------------------
# 13. The API URL.

BAD_URLS = ["http://[::1", "http://[::1]:x/api", "http://127.0.0.1:9/api/query\n",
            "http://127.0.0.1:9/api/query ", "http://exa mple.org/api", "http://host:99999/",
            "http://host:abc/", "ftp://example.org/api", "http://", "//example.org/api",
            "http://\x01host/", "https://ex\u2028ample.org/", "javascript:alert(1)"]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_malformed_api_url_is_one_line_at_once(url: str, command: list[str],
                                                 catalog_dir: Path, fake_clock: FakeTime,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 run_cli) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", url)
    result = run_cli(*command, exit_code=None)
    one_line_error(result, "DEEPPHEN_ARXIV_API_URL")
    assert fake_clock.sleeps == []  # no retries of an error that cannot change


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_malformed_base_url_is_refused_by_the_client(url: str) -> None:
    with pytest.raises(DeepphenError, match="API URL"):
        Client(url)


# ---------------------------------------------------------------------------------------
# 24. The overall deadline.

class HungApi:
    """A transport whose every request hangs until the client's timeout: the fake clock
    moves by that timeout, then the read times out."""

    def __init__(self, fake: FakeTime) -> None:
        self.fake = fake
        self.timeouts: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions["timeout"]["read"]
        self.timeouts.append(timeout)
        self.fake.now += timeout
        raise httpx.ReadTimeout("hung", request=request)


@pytest.mark.parametrize("deadline", [5.0, 45.0, DEFAULT_DEADLINE, 100.0])
@pytest.mark.parametrize("max_tries", [2, 4, 10])
def test_a_hung_api_is_given_up_on_by_the_deadline(deadline: float, max_tries: int) -> None:
    fake = FakeTime()
    hung = HungApi(fake)
    client = Client("http://127.0.0.1:9/api/query", clock=fake.clock, sleep=fake.sleep,
                    deadline=deadline, max_tries=max_tries,
                    transport=httpx.MockTransport(hung))
    start = fake.now
    with pytest.raises(NetworkError) as caught:
        client.fetch(["2201.02177"])
    assert fake.now - start <= deadline + 1e-6
    assert all(t <= 30.0 for t in hung.timeouts)
    assert "\n" not in str(caught.value)
    assert len(hung.timeouts) <= max_tries


def test_default_deadline_beats_the_old_142_seconds() -> None:
    fake = FakeTime()
    client = Client("http://127.0.0.1:9/api/query", clock=fake.clock, sleep=fake.sleep,
                    transport=httpx.MockTransport(HungApi(fake)))
    with pytest.raises(NetworkError, match=r"gave up on the arXiv API after 60s"):
        client.fetch(["2201.02177"])
    assert fake.now - 1000.0 <= DEFAULT_DEADLINE


def test_waits_say_when_the_command_gives_up(arxiv: ArxivServer) -> None:
    fake = FakeTime()
    waits: list[str] = []
    arxiv.fail(_status(503))
    client = Client(arxiv.url, clock=fake.clock, sleep=fake.sleep, timeout=1, deadline=40,
                    on_wait=lambda _s, why: waits.append(why))
    client.fetch(["2201.02177"])
    assert waits == ["retry after HTTP 503; giving up in 40s"]


def test_giving_up_before_the_limit_says_so(arxiv: ArxivServer) -> None:
    """A Retry-After past the deadline ends the run at once, not at the limit: the message
    said "after 60s" a few seconds in."""
    fake = FakeTime()
    arxiv.fail(_status(503, **{"Retry-After": "120"}))
    client = Client(arxiv.url, clock=fake.clock, sleep=fake.sleep, timeout=1, deadline=60)
    start = fake.now
    with pytest.raises(NetworkError) as caught:
        client.fetch(["2201.02177"])
    assert fake.now - start < 60
    assert str(caught.value).startswith(
        "gave up on the arXiv API after 0s: the next wait, 120s, would pass the 60s limit "
        "(last: HTTP 503; 1 try)")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_timeout_option_bounds_every_network_command(command: list[str], catalog_dir: Path,
                                                     arxiv: ArxivServer, fake_clock: FakeTime,
                                                     run_cli) -> None:
    arxiv.fail(Fault("hang"))  # one real request hangs up to the 1 s deadline
    before = tree(catalog_dir)
    result = run_cli(*command, "--timeout", "1", exit_code=None)
    # The hang passes in real time, not on the fake clock: the client may see the 3 s gap
    # to its next try pass the 1 s limit at once ("after 0s: the next wait ...").
    one_line_error(result, "gave up on the arXiv API after ", "1s", "--timeout")
    assert tree(catalog_dir) == before


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_timeout_must_be_a_positive_number(value: str, catalog_dir: Path, run_cli) -> None:
    result = run_cli("add", "2206.07682", "--timeout", value, exit_code=2)
    assert "--timeout" in result.stderr


@pytest.mark.parametrize(("value", "said"), [
    ("9" * 400, "asks to wait over a century"),  # read as inf: "asks to wait infs"
    ("9" * 27, "asks to wait over a century"),  # 27 digits were printed whole
    ("Fri, 31 Dec 9999 23:59:59 GMT", "asks to wait over a century"),
    ("864000", "asks to wait 10 days"), ("3600", "asks to wait 3600s")])
def test_an_absurd_retry_after_is_said_in_words(value: str, said: str, catalog_dir: Path,
                                                arxiv: ArxivServer, fake_clock: FakeTime,
                                                run_cli) -> None:
    arxiv.fail(_status(429, **{"Retry-After": value}))
    result = run_cli("add", "2206.07682", "-s", "others", "-k", "Emergence", exit_code=2)
    one_line_error(result, said)
    assert fake_clock.sleeps == [] and len(arxiv.requests) == 1
