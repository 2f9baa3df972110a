"""discover's listing over arXiv's cap a query: a window announcing more is fetched in
sub-windows, merged once each, against the stand-in with a small cap (never 30,000 papers)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest

from deepphen import listing
from deepphen.arxiv import Client
from deepphen.window import Window
from tests.arxiv_query import CorpusEntry
from tests.arxiv_server import ArxivServer, FakeTime, Fault

CAP = 50  # the stand-in's results a query, as arXiv's 30,000
FIRST = dt.date(2025, 5, 1)
DAYS = 20
WINDOW = Window(FIRST, FIRST + dt.timedelta(days=DAYS - 1))


def papers(per_day: int = 12, days: int = DAYS, first: dt.date = FIRST) -> list[CorpusEntry]:
    """``per_day`` cs.LG papers a day, one of them at midnight (on a sub-window's boundary)."""
    out = []
    for day in range(days):
        date = first + dt.timedelta(days=day)
        for n in range(per_day):
            at = dt.datetime.combine(date, dt.time(0, 0)) \
                + dt.timedelta(minutes=1439 * n // per_day)
            out.append(CorpusEntry(f"2505.{day:02d}{n:03d}", f"Paper {day} {n}", ["A B"],
                                   "an abstract", ["cs.LG"], at))
    return out


@pytest.fixture
def server(arxiv: ArxivServer, fake_clock: FakeTime) -> ArxivServer:
    arxiv.corpus = papers()
    arxiv.query_cap = CAP
    return arxiv


def client() -> Client:
    """A client without the command's overall deadline: the fake clock runs 3 s a request."""
    return Client(deadline=None)


def searches(arxiv: ArxivServer) -> list[dict[str, str]]:
    return [r.params for r in arxiv.requests if "search_query" in r.params]


def test_split_makes_consecutive_days_newest_first() -> None:
    parts = WINDOW.split(3)
    assert [p.days for p in parts] == [7, 7, 6]
    assert parts[0].end == WINDOW.end and parts[-1].start == WINDOW.start
    for newer, older in itertools.pairwise(parts):
        assert older.end + dt.timedelta(days=1) == newer.start
    assert Window(FIRST, FIRST).split(4) == [Window(FIRST, FIRST)]
    assert len(Window(FIRST, FIRST + dt.timedelta(days=2)).split(10)) == 3


def test_a_window_over_the_cap_is_fetched_whole_in_sub_windows(server: ArxivServer,
                                                               fake_clock: FakeTime) -> None:
    pages: list[tuple[int, int | None, int]] = []
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=CAP, page_size=20,
                                   on_page=lambda p, n: pages.append((p.start, p.total, n)))
    ids = [e.id for e in fetched.entries]
    assert len(ids) == len(set(ids)) == DAYS * 12  # 240 papers, over the cap of 50: all came
    assert fetched.complete and not fetched.missing and fetched.queries > 1
    assert fetched.total == fetched.received  # the sub-windows' totals, each counted once
    # Each sub-window asked fits under the cap: its results are all served.
    asked = searches(server)
    assert len(asked) == fetched.pages
    # Progress as one listing: one first page, papers counted once and only ever up.
    assert [s for s, _, _ in pages].count(0) == 1 and pages[0][1] == DAYS * 12
    counts = [n for _, _, n in pages]
    assert counts == sorted(counts) and counts[-1] == DAYS * 12
    # Polite: the client's spacing between every two requests, on the fake clock.
    assert sum(fake_clock.sleeps) >= 3.0 * (len(asked) - 1)


def test_a_window_under_the_ceiling_is_one_query(server: ArxivServer) -> None:
    server.query_cap = 10_000
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=1000, page_size=100)
    assert fetched.complete and fetched.queries == 1 and len(fetched.entries) == DAYS * 12
    assert len(searches(server)) == 3


def test_the_split_fetches_the_same_papers_as_one_query(server: ArxivServer) -> None:
    server.query_cap = 10_000
    whole = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=10_000)
    for ceiling in (13, 50, 110):
        split = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=ceiling)
        assert split.complete and split.queries > 1
        assert sorted(e.id for e in split.entries) == sorted(e.id for e in whole.entries)


def test_a_failing_sub_window_names_the_missing_days(server: ArxivServer) -> None:
    real = server.search_feed
    asked = []

    def third_query_fails(params: dict[str, str]) -> bytes:
        asked.append(params["search_query"])
        if len(set(asked)) == 3 and params["start"] == "0":  # its next page, however tried
            server.fail(*[Fault("status", 503)] * 4)
        return real(params)

    server.search_feed = third_query_fails  # type: ignore[method-assign]
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=CAP, page_size=10)
    assert not fetched.complete and fetched.error is not None
    # Newest first: what is missing runs from the window's first day to the failed part's end.
    (missing,) = listing.merge_days(fetched.missing)
    assert missing.start == WINDOW.start and missing.end < WINDOW.end
    assert f"incomplete: {missing}" in fetched.shortfall()
    got = {e.id for e in fetched.entries}
    newest = {p.id for p in server.corpus if p.submitted.date() > missing.end}
    assert newest <= got  # every day after the missing ones came in full


def test_a_listing_cut_after_some_pages_names_only_the_days_it_lacks(
        server: ArxivServer) -> None:
    """One query, newest first, failing at its third page: the days it reached are whole but
    the last; the warning named the whole window."""
    server.query_cap = 10_000
    real = server.search_feed

    def third_page_fails(params: dict[str, str]) -> bytes:
        if params["start"] == "10":  # served, then the next request fails
            server.fail(*[Fault("status", 503)] * 4)
        return real(params)

    server.search_feed = third_page_fails  # type: ignore[method-assign]
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=10_000, page_size=10)
    assert fetched.queries == 1 and fetched.error is not None and len(fetched.entries) == 20
    (missing,) = fetched.missing
    oldest = min(e.published for e in fetched.entries)
    assert missing == Window(WINDOW.start, oldest) and oldest > WINDOW.start
    got = {e.id for e in fetched.entries}
    assert {p.id for p in server.corpus if p.submitted.date() > oldest} <= got


def test_a_listing_in_its_own_order_names_the_whole_window(server: ArxivServer) -> None:
    """Dates out of order (a server that ignores sortOrder) bound nothing."""
    server.query_cap = 10_000
    real = server.search_feed

    def oldest_first(params: dict[str, str]) -> bytes:
        if params["start"] == "10":
            server.fail(*[Fault("status", 503)] * 4)
        return real({**params, "sortOrder": "ascending"})

    server.search_feed = oldest_first  # type: ignore[method-assign]
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=10_000, page_size=10)
    assert fetched.error is not None and fetched.missing == [WINDOW]


def test_a_single_day_over_the_cap_is_truncated(server: ArxivServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "MAX_CANDIDATES", CAP)
    server.corpus = papers(per_day=CAP + 10, days=1)
    day = Window(FIRST, FIRST)
    fetched = listing.fetch_window(client(), ["cs.LG"], day, ceiling=CAP, page_size=25)
    assert fetched.truncated and not fetched.complete and fetched.missing == [day]
    assert len(fetched.entries) == CAP  # the newest, as many as served


def test_a_server_that_ignores_the_dates_is_not_split_forever(server: ArxivServer) -> None:
    """Every sub-window announcing the whole listing: the split would never end."""
    real = server.search_feed

    def dateless(params: dict[str, str]) -> bytes:
        query = re.sub(r" AND submittedDate:\[[^\]]*\]", "", params["search_query"])
        return real({**params, "search_query": query})

    server.search_feed = dateless  # type: ignore[method-assign]
    server.query_cap = 10_000
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=CAP, page_size=100)
    assert len(fetched.entries) == DAYS * 12 and fetched.complete
    assert len(searches(server)) <= 6  # the window's first page, a part's, the part whole


def test_a_part_announcing_more_than_its_window_keeps_its_siblings(server: ArxivServer) -> None:
    """A server that narrows by date but miscounts: each part announced more than the window
    it was split from. Taken for a server ignoring the dates, the first part was fetched whole
    and its siblings dropped: their days were never asked, and the listing passed for whole."""
    real = server.search_feed
    whole = WINDOW.term

    def inflated(params: dict[str, str]) -> bytes:
        body = real(params)
        if whole in params["search_query"]:
            return body
        return re.sub(rb"<opensearch:totalResults>\d+<", b"<opensearch:totalResults>999<", body)

    server.search_feed = inflated  # type: ignore[method-assign]
    fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=CAP, page_size=100)
    days = {e.listed for e in fetched.entries}
    assert len(fetched.entries) == DAYS * 12 and len(days) == DAYS


# --- through the command ----------------------------------------------------------------

def test_discover_ranks_the_same_whatever_the_split(server: ArxivServer, catalog_dir: Path,
                                                    run_cli, monkeypatch: pytest.MonkeyPatch
                                                    ) -> None:
    args = ("discover", "--since", "2025-05-01", "--until", "2025-05-20", "-c", "cs.LG",
            "--format", "json", "--limit", "500")
    monkeypatch.setattr(listing, "QUERY_CEILING", 10_000)
    server.query_cap = 10_000
    whole = json.loads(run_cli(*args).stdout)
    server.query_cap = CAP
    monkeypatch.setattr(listing, "QUERY_CEILING", CAP)
    split = run_cli(*args)
    assert json.loads(split.stdout) == whole and "incomplete" not in split.stderr
    assert len(whole) == DAYS * 12


def test_discover_partial_says_which_dates_are_missing(server: ArxivServer, catalog_dir: Path,
                                                       run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "QUERY_CEILING", CAP)
    real = server.search_feed
    queries: list[str] = []

    def second_query_fails(params: dict[str, str]) -> bytes:
        if "ANDNOT" not in params["search_query"]:  # not the key-word search
            queries.append(params["search_query"])
            if len(set(queries)) == 2 and params["start"] == "0":
                server.fail(*[Fault("status", 503)] * 4)
        return real(params)

    server.search_feed = second_query_fails  # type: ignore[method-assign]
    args = ("discover", "--since", "2025-05-01", "--until", "2025-05-20", "-c", "cs.LG",
            "--format", "json", "--limit", "500")
    refused = run_cli(*args, exit_code=2)
    assert "incomplete: 2025-05-01 to 2025-05-" in refused.stderr and "--partial" in refused.stderr
    queries.clear()
    result = run_cli(*args, "--partial")
    assert "incomplete: 2025-05-01 to 2025-05-" in result.stderr
    dates = {r["published"][:10] for r in json.loads(result.stdout)}
    assert "2025-05-20" in dates and "2025-05-01" not in dates


def test_a_day_over_the_cap_says_to_ask_fewer_categories(server: ArxivServer,
                                                         catalog_dir: Path, run_cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "MAX_CANDIDATES", CAP)
    server.corpus = papers(per_day=CAP + 10, days=1)
    args = ("discover", "--since", "2025-05-01", "--until", "2025-05-01", "-c", "cs.LG")
    result = run_cli(*args, exit_code=2)
    assert f"fetched at most {CAP} results a query" in result.stderr
    assert "fewer categories" in result.stderr and "again later" not in result.stderr
    result = run_cli(*args, "--partial", "--format", "json")
    assert 0 < len(json.loads(result.stdout)) <= CAP and "incomplete fetch" in result.stderr


def test_the_progress_display_shows_a_split_listing_as_one_search(
        server: ArxivServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sub-window's first page starts at 0: the display took such a page for the
    key-word search's and opened a second bar for the category search's own papers."""
    import contextlib
    import io

    from rich.console import Console
    from rich.progress import Progress

    from deepphen.cli import discover as cli

    progress = Progress(console=Console(file=io.StringIO()))
    monkeypatch.setattr(cli, "terminal_progress", lambda: contextlib.nullcontext(progress))
    with cli.discover_progress() as (hooks, _on_wait):
        fetched = listing.fetch_window(client(), ["cs.LG"], WINDOW, ceiling=CAP,
                                       page_size=20, on_page=hooks.on_page)
    assert fetched.queries > 1
    (search,) = progress.tasks
    assert search.completed == search.total == DAYS * 12
    assert f"page {fetched.pages}," in search.description


@pytest.mark.parametrize(("pages", "said"), [(1, "in 1 page;"), (2, "in 2 pages;")])
def test_the_shortfall_counts_pages_in_words(pages: int, said: str) -> None:
    fetched = listing.Fetched(total=50, pages=pages, received=20, truncated=True)
    assert said in fetched.shortfall()
