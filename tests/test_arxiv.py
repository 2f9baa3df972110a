"""The arXiv client against a real local HTTP server, and the Atom parser on every shape."""

from __future__ import annotations

import datetime as dt

import pytest

from deepphen import __version__
from deepphen.arxiv import MIN_INTERVAL, Client
from deepphen.atom import parse_feed
from deepphen.endpoint import DEFAULT_API_URL, api_url
from deepphen.errors import DeepphenError, InvalidId, NetworkError
from deepphen.venues import venue_from_journal_ref
from tests.arxiv_server import (
    ENTITY_BOMB,
    EXTERNAL_ENTITY,
    FEEDS,
    ArxivServer,
    FakeTime,
    Fault,
)


def make_client(server: ArxivServer, fake: FakeTime, **kwargs: object) -> Client:
    options: dict = {"timeout": 0.5, "clock": fake.clock, "sleep": fake.sleep}
    options.update(kwargs)
    return Client(server.url, **options)


def test_api_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", "http://127.0.0.1:1/x")
    assert api_url() == "http://127.0.0.1:1/x"
    monkeypatch.delenv("DEEPPHEN_ARXIV_API_URL")
    assert api_url() == DEFAULT_API_URL == "https://export.arxiv.org/api/query"


@pytest.mark.parametrize("bad", ["export.arxiv.org/api/query", "ftp://arxiv.org/api", "https://"])
def test_api_url_that_is_not_http_is_refused_without_retrying(
        monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", bad)
    with pytest.raises(DeepphenError, match=r"DEEPPHEN_ARXIV_API_URL is .*not an http") as info:
        Client().fetch(["2201.02177"])
    assert info.value.exit_code == 2 and not isinstance(info.value, NetworkError)

def test_fetch_single_entry_fields(arxiv: ArxivServer) -> None:
    fake = FakeTime()
    found = make_client(arxiv, fake).fetch(["2008.08186"])
    entry = found["2008.08186"]
    assert entry.title.startswith("Prevalence of Neural Collapse")
    assert entry.authors == ["Vardan Papyan", "X. Y. Han", "David L. Donoho"]
    assert entry.published == dt.date(2020, 8, 18)
    assert entry.year == 2020
    assert entry.version == 2
    assert entry.doi == "10.1073/pnas.2015509117"
    assert entry.primary_category == "cs.LG"
    assert entry.categories == ["cs.LG", "stat.ML"]
    assert entry.abs_url == "https://arxiv.org/abs/2008.08186"
    assert venue_from_journal_ref(entry.journal_ref) == "PNAS"
    request = arxiv.requests[0]
    assert request.params == {"id_list": "2008.08186", "max_results": "1"}
    assert request.headers["User-Agent"].startswith(f"deepphen/{__version__} (+https://")
    assert fake.sleeps == []


def test_whitespace_normalized_and_versions_matched(arxiv: ArxivServer) -> None:
    found = make_client(arxiv, FakeTime()).fetch(["2206.07682v1"])
    entry = found["2206.07682"]
    assert entry.title == "Emergent Abilities of Large Language Models"
    assert entry.authors[0] == "Jason Wei"
    assert arxiv.requests[0].ids == ["2206.07682v1"]


def test_several_ids_out_of_order_and_missing(arxiv: ArxivServer) -> None:
    wanted = ["2201.02177", "1803.03635", "2301.99999", "math.GT/0309136"]
    found = make_client(arxiv, FakeTime()).fetch(wanted)
    assert set(found) == {"2201.02177", "1803.03635", "math.GT/0309136"}
    assert found["math.GT/0309136"].year == 2003
    assert arxiv.requests[0].params["max_results"] == "4"


def test_legacy_feed_with_empty_entries(arxiv: ArxivServer) -> None:
    arxiv.mode = "legacy"
    found = make_client(arxiv, FakeTime()).fetch(["1611.03530", "1703.00810", "2301.99999",
                                                   "hep-th/9901001"])
    assert set(found) == {"1611.03530", "1703.00810", "hep-th/9901001"}
    entry = found["1611.03530"]
    assert entry.title == "Understanding deep learning requires rethinking generalization"
    assert entry.summary.startswith("Networks that reach zero training error")
    assert "\n" not in entry.summary
    assert venue_from_journal_ref(entry.journal_ref) == "ICLR 2017"
    assert found["1703.00810"].doi == "10.0000/deepphen.test.1703"
    assert found["1703.00810"].categories == ["cs.LG", "68T05"]


def test_batches_of_100_spaced_three_seconds(arxiv: ArxivServer) -> None:
    fake = FakeTime()
    wanted = [f"2101.{n:05d}" for n in range(1, 251)]
    batches: list[int] = []
    make_client(arxiv, fake).fetch(wanted, on_batch=batches.append)
    assert [len(r.ids) for r in arxiv.requests] == [100, 100, 50]
    assert [r.params["max_results"] for r in arxiv.requests] == ["100", "100", "50"]
    assert batches == [100, 100, 50]
    assert fake.sleeps == [MIN_INTERVAL, MIN_INTERVAL]


def test_invalid_ids_refused_before_any_request(arxiv: ArxivServer) -> None:
    with pytest.raises(InvalidId):
        make_client(arxiv, FakeTime()).fetch(["2201.02177", "../../etc/passwd"])
    assert arxiv.requests == []


def test_retry_after_honoured_on_429(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("status", 429, {"Retry-After": "17"}))
    fake = FakeTime()
    waits: list[tuple[float, str]] = []
    found = make_client(arxiv, fake, on_wait=lambda s, why: waits.append((s, why))).fetch(
        ["2201.02177"])
    assert "2201.02177" in found
    assert fake.sleeps == [17.0]
    assert waits == [(17.0, "retry after HTTP 429; giving up in 60s")]
    assert len(arxiv.requests) == 2


def test_exponential_backoff_then_one_line_error(arxiv: ArxivServer) -> None:
    arxiv.fail(*[Fault("status", 503)] * 4)
    fake = FakeTime()
    with pytest.raises(NetworkError) as info:
        make_client(arxiv, fake, max_tries=4, backoff=3.0).fetch(["2201.02177"])
    assert fake.sleeps == [3.0, 6.0, 12.0]
    err = info.value
    assert err.status == 503 and err.url and err.url.startswith(arxiv.url)
    assert "HTTP 503" in str(err) and "4 tries" in str(err)
    assert "\n" not in str(err)


def test_spacing_kept_after_a_quick_success(arxiv: ArxivServer) -> None:
    fake = FakeTime()
    client = make_client(arxiv, fake)
    client.fetch(["2201.02177"])
    fake.now += 1.0  # the caller did something else for one second
    client.fetch(["1803.03635"])
    assert fake.sleeps == [pytest.approx(MIN_INTERVAL - 1.0)]


def test_timeout_is_retried_and_reported(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("hang"), Fault("hang"))
    fake = FakeTime()
    with pytest.raises(NetworkError) as info:
        make_client(arxiv, fake, timeout=0.2, max_tries=2).fetch(["2201.02177"])
    assert "timed out" in str(info.value)
    assert fake.sleeps == [3.0]


def test_timeout_then_success(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("hang"))
    found = make_client(arxiv, FakeTime(), timeout=0.2).fetch(["2201.02177"])
    assert "2201.02177" in found


def test_connection_refused_is_a_network_error() -> None:
    fake = FakeTime()
    client = Client("http://127.0.0.1:9/api/query", timeout=0.5, max_tries=2,
                    clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(NetworkError) as info:
        client.fetch(["2201.02177"])
    assert "connection failed" in str(info.value)
    assert info.value.status is None


def test_truncated_body_is_retried(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("truncate"))
    found = make_client(arxiv, FakeTime()).fetch(["2201.02177"])
    assert "2201.02177" in found
    assert len(arxiv.requests) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Service temporarily unavailable</body></html>", "not an Atom feed"),
        (b"this is not XML at all", "not a valid Atom feed"),
        (ENTITY_BOMB, "unsafe"),
        (EXTERNAL_ENTITY, "unsafe"),
    ],
)
def test_bad_bodies_refused_cleanly(arxiv: ArxivServer, body: bytes, message: str) -> None:
    arxiv.fail(Fault("body", 200, body=body))
    with pytest.raises(NetworkError, match=message):
        make_client(arxiv, FakeTime()).fetch(["2201.02177"])


@pytest.mark.parametrize("send_length", [True, False])
def test_huge_body_cut_off(arxiv: ArxivServer, send_length: bool) -> None:
    arxiv.fail(Fault("huge", size=4_000_000, send_length=send_length))
    with pytest.raises(NetworkError, match="larger than 64 KiB"):
        make_client(arxiv, FakeTime(), max_bytes=64 * 1024).fetch(["2201.02177"])


def test_http_400_error_entry_not_retried(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("status", 400, body=(FEEDS / "error-400.xml").read_bytes()))
    fake = FakeTime()
    with pytest.raises(NetworkError, match="incorrect id format for BADID") as info:
        make_client(arxiv, fake).fetch(["2201.02177"])
    assert info.value.status == 400
    assert fake.sleeps == [] and len(arxiv.requests) == 1


def test_error_entry_in_a_200_feed_is_an_error() -> None:
    with pytest.raises(NetworkError, match="incorrect id format"):
        parse_feed((FEEDS / "error-400.xml").read_bytes())


def testparse_retry_after_forms() -> None:
    from email.utils import format_datetime

    from deepphen.arxiv import parse_retry_after

    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    past = format_datetime(dt.datetime(2001, 1, 1, tzinfo=dt.UTC), usegmt=True)
    assert parse_retry_after(past) == 0.0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)
    assert 60 < parse_retry_after(format_datetime(later, usegmt=True)) <= 90


def test_too_long_retry_after_is_reported_not_waited(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("status", 429, {"Retry-After": "3600"}))
    fake = FakeTime()
    with pytest.raises(NetworkError, match="asks to wait 3600s"):
        make_client(arxiv, fake).fetch(["2201.02177"])
    assert fake.sleeps == []


def test_a_trickling_body_times_out_as_a_whole() -> None:
    """Each chunk comes in time, but the whole body must arrive within the timeout too."""
    import httpx

    from deepphen.arxiv import Client as ArxivClient
    from deepphen.errors import NetworkError

    ticks = iter(range(0, 10_000, 2))  # every look at the clock is two seconds later

    def trickle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=(b"<" for _ in range(1000)))

    client = ArxivClient("http://127.0.0.1:9/api/query", timeout=10, max_tries=2,
                         clock=lambda: float(next(ticks)), sleep=lambda s: None,
                         transport=httpx.MockTransport(trickle))
    with pytest.raises(NetworkError, match="timed out"):
        client.fetch(["2201.02177"])


@pytest.mark.parametrize("published", ["3000-01-06T18:43:05Z", "1800-01-06T18:43:05Z",
                                       "2024-01-06T18:43:05Z", "0001-01-01T00:00:00Z"])
def test_a_date_the_id_belies_is_no_date_and_the_year_comes_from_the_id(published: str) -> None:
    """A paper dated 3000 or 1800 was written and then broke every command on the catalog."""
    from deepphen.models import Paper

    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><entry>
  <id>http://arxiv.org/abs/2201.02177v2</id><published>{published}</published>
  <title>T</title><author><name>Ann Example</name></author></entry></feed>""".encode()
    [entry] = parse_feed(feed)
    assert entry.published is None and entry.year == 2022
    paper = Paper(title=entry.title, year=entry.year, section="s", published=entry.published)
    assert Paper.from_dict(paper.to_dict()).year == 2022  # the catalog can read it back


def test_control_characters_in_a_feed_never_reach_the_catalog() -> None:
    """A C1 CSI or a bidi override that XML allows came through add (and discover's triage)
    into the paper file, which lint then refused (DP413): what arXiv sends is cleaned as
    lint's fix would clean it."""
    from deepphen.printable import has_control

    feed = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><entry>
  <id>http://arxiv.org/abs/2201.02177v2</id><published>2022-01-06T18:43:05Z</published>
  <title>Grokking\u009b2J\u2028# forged</title><summary>An\u202e abstract</summary>
  <author><name>Eve\u009b31m \u202eRed</name></author></entry></feed>""".encode()
    [entry] = parse_feed(feed)
    assert entry.title == "Grokking2J # forged"
    assert entry.authors == ["Eve31m Red"]
    assert not any(has_control(t) for t in (entry.title, entry.summary, *entry.authors))


def test_a_feed_category_that_is_no_category_never_reaches_the_catalog() -> None:
    """The category terms were taken as sent: a primary category holding a bidi override,
    markup or spaces went through add (and triage) into the paper's ``category``, which lint
    then refused (DP413). Terms are cleaned, and the primary category must look like one."""
    from deepphen.printable import has_control

    feed = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"><entry>
  <id>http://arxiv.org/abs/2201.02177v2</id><published>2022-01-06T18:43:05Z</published>
  <title>T</title><author><name>Ann Example</name></author>
  <arxiv:primary_category term="cs.LG\u202e [evil] &lt;b&gt;"/>
  <category term="cs.LG\u202e [evil] &lt;b&gt;"/><category term="stat.ML\u202e"/>
  <category term="68T07"/><category term="I.2.6; I.2.7"/><category term=" "/></entry></feed>
""".encode()
    [entry] = parse_feed(feed)
    assert entry.primary_category == "stat.ML"  # the first term shaped as a category
    assert "stat.ML" in entry.categories and "68T07" in entry.categories  # MSC kept, cleaned
    assert "" not in entry.categories
    assert not any(has_control(c) for c in entry.categories)
