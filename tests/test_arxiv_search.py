"""Client.search against the stand-in: paging, stopping, de-duplication, faults, politeness."""

from __future__ import annotations

import datetime as dt

import pytest

from deepphen.arxiv import MAX_PAGE_SIZE, Client, SearchPage
from deepphen.atom import parse_page
from deepphen.errors import NetworkError
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.discover_corpus import make_corpus
from tests.helpers import ARXIV_FIXTURES

DAY = dt.date(2025, 5, 20)
QUERY = "(cat:cs.LG OR cat:stat.ML) AND submittedDate:[202505100000 TO 202505202359]"


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def client(arxiv: ArxivServer, fake: FakeTime, **kw: object) -> Client:
    return Client(arxiv.url, clock=fake.clock, sleep=fake.sleep, **kw)  # type: ignore[arg-type]


def all_pages(pages: list[SearchPage]) -> list[str]:
    return [e.id for page in pages for e in page.entries]


def test_pages_until_total_newest_first(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=40)
    pages = list(client(arxiv, fake).search(QUERY, page_size=4))
    got = all_pages(pages)
    total = pages[0].total
    assert total and len(got) == total and len(pages) == -(-total // 4)
    dates = [e.published for page in pages for e in page.entries]
    assert dates == sorted(dates, reverse=True)
    params = [r.params for r in arxiv.requests]
    assert [p["start"] for p in params] == [str(4 * i) for i in range(len(pages))]
    assert all(p["sortBy"] == "submittedDate" and p["sortOrder"] == "descending"
               and p["search_query"] == QUERY for p in params)
    # at least 3 s between requests, never more
    assert fake.sleeps == [3.0] * (len(pages) - 1)


def test_page_size_is_capped_at_2000(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=3)
    list(client(arxiv, fake).search(QUERY, page_size=10_000))
    assert arxiv.requests[0].params["max_results"] == str(MAX_PAGE_SIZE)


def test_limit_stops_early(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=40)
    pages = list(client(arxiv, fake).search(QUERY, page_size=4, limit=6))
    assert len(all_pages(pages)) == 6
    assert [r.params["max_results"] for r in arxiv.requests] == ["4", "2"]


def test_an_empty_page_is_asked_once_more_then_ends(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=40)
    real = arxiv.search_feed
    empty = {"left": 2}

    def flaky(params: dict[str, str]) -> bytes:
        body = real(params)
        if params["start"] == "4" and empty["left"]:
            empty["left"] -= 1
            head, _, _ = body.decode().partition("  <entry>")
            return (head + "</feed>\n").encode()
        return body

    arxiv.search_feed = flaky  # type: ignore[method-assign]
    pages = list(client(arxiv, fake).search(QUERY, page_size=4))
    assert len(all_pages(pages)) == 4  # stopped after the second empty answer
    assert [r.params["start"] for r in arxiv.requests] == ["0", "4", "4"]


def test_entries_repeated_across_pages_are_dropped(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=10)
    real = arxiv.search_feed

    def shifted(params: dict[str, str]) -> bytes:  # a new submission shifts the results by 1
        if params["start"] != "0":
            params = {**params, "start": str(int(params["start"]) - 1)}
        return real(params)

    arxiv.search_feed = shifted  # type: ignore[method-assign]
    pages = list(client(arxiv, fake).search(QUERY, page_size=3))
    got = all_pages(pages)
    assert len(got) == len(set(got))
    assert sum(p.received for p in pages) > len(got)


def test_a_failing_page_raises_after_earlier_pages(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=20)
    pages: list[SearchPage] = []
    search = client(arxiv, fake, max_tries=2).search(QUERY, page_size=4)
    pages.append(next(search))
    arxiv.fail(Fault("status", 503), Fault("status", 503))
    with pytest.raises(NetworkError, match="HTTP 503"):
        pages.extend(search)
    assert len(pages) == 1


def test_retries_429_mid_paging(arxiv: ArxivServer, fake: FakeTime) -> None:
    arxiv.corpus = make_corpus(DAY, noise=20)
    arxiv.fail(Fault("status", 429, headers={"Retry-After": "7"}))
    pages = list(client(arxiv, fake).search(QUERY, page_size=50))
    assert len(pages) == 1 and 7.0 in fake.sleeps


def test_bad_query_is_reported_after_bounded_tries(arxiv: ArxivServer, fake: FakeTime) -> None:
    """A refused first page is asked again with smaller pages (the refusal may be about its
    size); refused at every size, it is reported, with the sizes tried, never backed off."""
    with pytest.raises(NetworkError, match="rejected") as caught:
        list(client(arxiv, fake).search("ti:(unbalanced"))
    assert [r.params["max_results"] for r in arxiv.requests] == ["1000", "200", "50", "10"]
    assert fake.sleeps == [3.0] * 3 and "max_results 200, 50 and 10" in str(caught.value)
    arxiv.requests.clear()
    with pytest.raises(NetworkError, match="rejected"):  # pages of 10: none smaller to try
        list(client(arxiv, fake).search("ti:(unbalanced", page_size=10))
    assert len(arxiv.requests) == 1


def test_total_results_read_from_real_recordings() -> None:
    if not ARXIV_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/arxiv not present")
    body = (ARXIV_FIXTURES / "multi-partial-0808.05394,1707.08567.xml").read_bytes()
    entries, total = parse_page(body)
    assert total == 1 and len(entries) == 1
    legacy = (ARXIV_FIXTURES / "legacy-empty-1201.56789.xml").read_bytes()
    assert parse_page(legacy) == ([], 1)  # the legacy quirk: a total but no entry



@pytest.mark.parametrize(("asked", "reason", "tried", "expected"), [
    (1000, "", 0, 200),  # no words: the next smaller size
    (200, "page too large", 1, 50),
    (50, "page too large", 2, 10),  # a server allowing fewer than 50 still gets pages
    (10, "page too large", 3, None),  # enough tries
    (10, "page too large", 2, None),  # none smaller left
    (1000, "max_results must be at most 100", 0, 100),  # the size the server names
    (1000, "max_results must be between 1 and 300", 0, 300),
    (1000, '{"detail": "max_results: ensure this value is <= 25"}', 0, 25),
    (1000, "max_results=1000 is more than the limit", 0, 200),  # the size asked is no hint
    (1000, "bad date range [20250515 TO 20250520]", 0, 200),  # numbers not about pages
    (1000, "unexpected token at 17", 0, 200),
    (100, "max_results must be at most 10", 3, None),  # enough tries
])
def test_smaller_page(asked: int, reason: str, tried: int, expected: int | None) -> None:
    from deepphen.page_sizes import smaller_page

    assert smaller_page(asked, reason, tried) == expected
