"""discover against an outsider's stand-in of the arXiv API (tests/foreign_arxiv.py).

Each test runs the command as a user would (``discover --since A --until B --limit 25
--format json``) against one reasonable reading of the API manual, and checks that the
answer is the one a faithful server gets, that it comes without long waits (the clock is
fake: the client's 3 s spacing and backoffs are counted, never slept), and that whatever
the server sends, no paper outside the window is ranked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import pytest

from deepphen import discover as core
from deepphen import listing as fetching
from deepphen.atom import parse_page
from deepphen.errors import NetworkError
from tests.arxiv_server import FakeTime
from tests.foreign_arxiv import VARIANTS, Foreign, Paper, QueryFailed, Quirks
from tests.helpers import sample_papers

TODAY = dt.date(2025, 5, 31)
SINCE, UNTIL = dt.date(2025, 5, 15), dt.date(2025, 5, 20)
WINDOW = ("--since", SINCE.isoformat(), "--until", UNTIL.isoformat())
TOPICS = ["grokking in modular arithmetic", "geometry of last-layer features",
          "winning lottery tickets by magnitude pruning", "double descent of test error"]
FILLER = ["protein folding", "traffic forecasting", "image segmentation", "speech codecs",
          "graph databases", "robot grasping", "weather nowcasting", "code review"]


def paper(number: int, when: dt.datetime, title: str, categories: list[str],
          summary: str | None = None) -> Paper:
    return {"id": f"{when:%y%m}.{number:05d}", "title": title, "authors": [f"Author {number}"],
            "summary": summary or f"We study {title.lower()} with new experiments.",
            "categories": categories, "submitted": when}


def listing(count: int = 60, seed: int = 3, first: dt.date = dt.date(2025, 5, 10),
            days: int = 16) -> list[Paper]:
    """Papers of ``days`` days from ``first`` (the window and days around it), a few on the
    catalog's topics, the catalog's own papers (for id_list), papers at the window's edges."""
    rng = random.Random(seed)
    out = []
    start = dt.datetime.combine(first, dt.time())
    for n in range(count):
        when = start + dt.timedelta(seconds=rng.randrange(days * 86400))
        topic = TOPICS[n % len(TOPICS)] if n % 7 == 0 else rng.choice(FILLER)
        cats = rng.choice([["cs.LG"], ["stat.ML", "cs.LG"], ["cs.LG", "cs.CV"]])
        out.append(paper(10000 + n, when, f"On {topic} ({n})", cats))
    out += [paper(20001, dt.datetime(2025, 5, 15, 0, 0, 0), "Grokking at the first second",
                  ["cs.LG"]),
            paper(20002, dt.datetime(2025, 5, 20, 23, 59, 30), "Grokking in the last minute",
                  ["cs.LG"]),
            paper(20003, dt.datetime(2025, 5, 21, 0, 0, 0), "Grokking one day late", ["cs.LG"]),
            paper(20004, dt.datetime(2025, 5, 14, 23, 59, 59), "Grokking one second early",
                  ["cs.LG"]),
            paper(20005, dt.datetime(2025, 5, 17, 9), "Neural collapse in vision models",
                  ["cs.CV"], "We observe neural collapse in vision transformers."),
            paper(20006, dt.datetime(2025, 5, 18, 9), "Segmentation of roads", ["cs.CV"],
                  "Roads, from satellites.")]
    for known in sample_papers():
        if known.arxiv:
            yymm = known.arxiv[:4]
            when = dt.datetime(2000 + int(yymm[:2]), int(yymm[2:]), 3)
            out.append({"id": known.arxiv, "title": known.title, "authors": known.authors,
                        "summary": f"About {known.title.lower()}.", "categories": ["cs.LG"],
                        "submitted": when})
    return out


@pytest.fixture
def fake(fake_clock: FakeTime, monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """The client's clock (no real waits), and today is TODAY."""
    monkeypatch.setattr(core, "utc_today", lambda: TODAY)
    return fake_clock


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """The sample catalog, with papers keyed "Neural Collapse" and "Grokking" three times
    each (so the key-word search runs), searching cs.LG and stat.ML."""
    from deepphen.models import Link
    from deepphen.models import Paper as CatalogPaper
    from tests.helpers import make_catalog, sample_settings

    extra = [CatalogPaper(title=f"{kw} study {n}", year=2023, section="neural-collapse",
                          authors=["N. C. Author"], arxiv=f"2301.0{i}{n:03d}", keywords=[kw],
                          links=[Link("paper", f"https://arxiv.org/abs/2301.0{i}{n:03d}")])
             for i, kw in enumerate(["Neural Collapse", "Grokking"], 1) for n in (1, 2)]
    settings = sample_settings()
    settings.discover.categories = ["cs.LG", "stat.ML"]
    return make_catalog(tmp_path / "catalog", sample_papers() + extra, settings)


def discover_json(run_cli, catalog: Path, fake: FakeTime, exit_code: int = 0
                  ) -> tuple[list[dict], str, float]:
    """The JSON records, stderr, and the seconds the run took on the fake clock."""
    start = fake.now
    result = run_cli("discover", *WINDOW, "--limit", "25", "--format", "json",
                     "--catalog", catalog, exit_code=exit_code)
    records = json.loads(result.stdout) if result.stdout.strip() else []
    return records, result.stderr, fake.now - start


def ranking(records: list[dict]) -> list[tuple[str, float]]:
    return [(r["arxiv"], r["score"]) for r in records]


def reference(foreign: Foreign, run_cli, catalog: Path, fake: FakeTime) -> list[dict]:
    """What a faithful server's answer ranks to (then the quirks are switched back on)."""
    quirks, foreign.quirks = foreign.quirks, Quirks()
    records = discover_json(run_cli, catalog, fake)[0]
    foreign.quirks = quirks
    foreign.requests.clear()
    return records


def test_a_faithful_server_gives_the_window_and_its_edges(foreign: Foreign, catalog: Path,
                                                          fake: FakeTime, run_cli) -> None:
    foreign.papers = listing()
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    got = {r["arxiv"] for r in records}
    assert {"2505.20001", "2505.20002"} <= got  # the window's first second and last minute
    assert not {"2505.20003", "2505.20004"} & got  # a second outside it
    assert all(SINCE.isoformat() <= r["published"] <= UNTIL.isoformat() for r in records)
    assert "2505.20005" in got and "2505.20006" not in got  # key words in other categories
    assert "1 more by key words in other categories" in stderr


# --- (b)-(e): one answer, whatever the server's reading of the manual ---------------------

# Each answers the same as a faithful server, to the last field. Not here: a server that
# does not page, and entries without dates or categories (each has its own test below).
SAME_ANSWER = {name: quirks for name, quirks in VARIANTS.items() if name[0] in "bcde"
               and not any(w in name for w in ("published", "<category>", "start ignored",
                                               "refused"))}


@pytest.mark.parametrize("quirks", SAME_ANSWER.values(), ids=SAME_ANSWER.keys())
def test_same_ranking_as_a_faithful_server(foreign: Foreign, catalog: Path, fake: FakeTime,
                                           run_cli, quirks: Quirks,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "PAGE_SIZE", 10)  # several pages
    foreign.papers = listing()
    expected = reference(foreign, run_cli, catalog, fake)
    foreign.quirks = quirks
    records, _, _ = discover_json(run_cli, catalog, fake)
    assert ranking(records) == ranking(expected)
    assert records == expected


@pytest.mark.parametrize("total", ["page", "absent", "ok"])
def test_a_page_cap_below_what_is_asked(foreign: Foreign, catalog: Path, fake: FakeTime,
                                        run_cli, total: str) -> None:
    """A server that sends 50 a page when asked 1000, even one that announces the page's
    own length as the total (a common slip), is paged to the end."""
    foreign.papers = listing(count=300)
    expected = reference(foreign, run_cli, catalog, fake)
    foreign.quirks = Quirks(cap=50, total=total)
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    assert records == expected and "warning" not in stderr


def test_categories_only_as_primary_or_only_as_category(foreign: Foreign, catalog: Path,
                                                        fake: FakeTime, run_cli) -> None:
    foreign.papers = listing()
    expected = ranking(reference(foreign, run_cli, catalog, fake))
    for quirks in (Quirks(category_elements=False), Quirks(primary=False)):
        foreign.quirks = quirks
        assert ranking(discover_json(run_cli, catalog, fake)[0]) == expected


def test_undated_entries_are_judged_by_their_id(foreign: Foreign, catalog: Path,
                                                fake: FakeTime, run_cli) -> None:
    # Undated, what the range brings from the day after cannot be told from the window's
    # own papers (same month): here there is none.
    foreign.papers = [p for p in listing() if p["submitted"] < dt.datetime(2025, 5, 21)]
    expected = ranking(reference(foreign, run_cli, catalog, fake))
    foreign.quirks = Quirks(published=False)
    records = discover_json(run_cli, catalog, fake)[0]
    assert ranking(records) == expected and all(r["published"] is None for r in records)
    # the same server, sending everything whatever the dates: other months are dropped
    old = paper(30001, dt.datetime(2025, 3, 2), "Grokking in March", ["cs.LG"])
    foreign.papers.append(old)
    foreign.quirks = Quirks(published=False, dates="day")
    monkey = foreign.matches
    foreign.matches = lambda p, q: p is old or monkey(p, q)  # type: ignore[method-assign]
    assert "2503.30001" not in {r["arxiv"] for r in discover_json(run_cli, catalog, fake)[0]}


def test_a_paper_the_server_dates_in_the_window_is_ranked_whatever_its_id(
        foreign: Foreign, catalog: Path, fake: FakeTime, run_cli) -> None:
    """A stand-in may list an older paper (an evaluation hiding the list's own later
    additions among a week's listings) with a date in the window: the server's range was
    applied to that date, so the paper is a candidate; its id's month only says it is not
    the first version's date, so JSON shows no ``published`` for it."""
    older = {**paper(7987, dt.datetime(2025, 5, 16, 9), "Grokking of older ideas", ["cs.LG"],
                     "We revisit grokking and neural collapse."), "id": "2405.07987"}
    foreign.papers = [*listing(), older]
    records = discover_json(run_cli, catalog, fake)[0]
    found = [r for r in records if r["arxiv"] == "2405.07987"]
    assert found and found[0]["published"] is None


def test_a_server_that_does_not_page_is_not_asked_forever(foreign: Foreign, catalog: Path,
                                                          fake: FakeTime, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(fetching, "PAGE_SIZE", 10)
    foreign.papers = listing()
    foreign.quirks = Quirks(ignore_start=True, total="absent")
    records, _, seconds = discover_json(run_cli, catalog, fake)
    searches = [r for r in foreign.requests if "search_query" in r]
    assert records and len(searches) <= 4 and seconds < 30


def test_miscounted_total_warns_and_ranks(foreign: Foreign, catalog: Path, fake: FakeTime,
                                          run_cli) -> None:
    foreign.papers = listing()
    foreign.quirks = Quirks(total="high")
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    assert records and "announced" in stderr and "listing ended after" in stderr


def test_a_cut_off_listing_still_needs_partial(foreign: Foreign, catalog: Path,
                                               fake: FakeTime, run_cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Full pages, then nothing, short of the total: the server stopped, not the listing."""
    monkeypatch.setattr(fetching, "PAGE_SIZE", 10)
    foreign.papers = listing()
    real = foreign.search

    def cut(params: dict[str, str]) -> tuple[int, str]:
        if int(params.get("start", 0)) >= 20:
            return 0, foreign.feed([], 999)
        return real(params)

    foreign.search = cut  # type: ignore[method-assign]
    _, stderr, _ = discover_json(run_cli, catalog, fake, exit_code=2)
    assert "incomplete fetch" in stderr and "--partial" in stderr


# --- (c) a server that refuses pages bigger than it allows ---------------------------------

REFUSING = {name: quirks for name, quirks in VARIANTS.items() if "refused" in name}


def searches(foreign: Foreign) -> list[int]:
    """The page sizes the searches asked, in order."""
    return [int(r["max_results"]) for r in foreign.requests if "search_query" in r]


@pytest.mark.parametrize("quirks", REFUSING.values(), ids=REFUSING.keys())
def test_a_refused_page_size_is_asked_again_smaller(foreign: Foreign, catalog: Path,
                                                    fake: FakeTime, run_cli,
                                                    quirks: Quirks) -> None:
    """A server that answers a page of 1000 with HTTP 400 (an error feed, as arXiv answers
    bad parameters), an error entry, 413 or 422 is asked again with smaller pages, through
    the same 3 s spacing; the rest of the run, the key-word search included, keeps to the
    size that worked, and the answer is a faithful server's."""
    foreign.papers = listing(count=300)
    expected = reference(foreign, run_cli, catalog, fake)
    foreign.quirks = quirks
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    assert records == expected and "error" not in stderr
    asked = searches(foreign)
    refused = [n for n in asked if n > quirks.max_page]
    assert asked[0] == fetching.PAGE_SIZE and len(refused) <= 3  # one refusal per size tried
    assert all(n > quirks.max_page for n in asked[:len(refused)])  # refusals come first
    assert all(s == 3.0 for s in fake.sleeps)  # the polite spacing, no backoff
    # and the user is told, once, why the run asks so many smaller pages
    notice = (f"deepphen: warning: arXiv refused pages of {fetching.PAGE_SIZE} papers; "
              f"asked {asked[len(refused)]} a page")
    assert stderr.count("refused pages") == 1 and notice in stderr.splitlines()


def test_the_smaller_page_size_is_said_in_every_format(foreign: Foreign, catalog: Path,
                                                       fake: FakeTime, run_cli) -> None:
    foreign.papers = listing(count=300)
    foreign.quirks = Quirks(max_page=100)
    notice = f"arXiv refused pages of {fetching.PAGE_SIZE} papers; asked 100 a page"
    for fmt in ("table", "json", "md"):
        result = run_cli("discover", *WINDOW, "--format", fmt, "--catalog", catalog)
        assert f"deepphen: warning: {notice}" in result.stderr.splitlines()
    assert f"> {notice}" in result.stdout.splitlines()  # md: the text says it too
    foreign.quirks = Quirks()  # a server that takes the pages asked: no such line
    assert "refused" not in run_cli("discover", *WINDOW, "--catalog", catalog).stderr


def test_a_limit_under_50_that_is_not_named_is_found_at_10(foreign: Foreign, catalog: Path,
                                                           fake: FakeTime, run_cli) -> None:
    """A server refusing pages over 30 without saying so is still paged, 10 at a time,
    after three refusals: bounded, and with the usual 3 s spacing."""
    foreign.papers = listing(count=100)
    expected = reference(foreign, run_cli, catalog, fake)
    foreign.quirks = Quirks(max_page=30, refusal="error-entry")
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    assert records == expected and searches(foreign)[:5] == [1000, 200, 50, 10, 10]
    assert set(searches(foreign)[3:]) == {10} and all(s == 3.0 for s in fake.sleeps)
    assert "arXiv refused pages of 1000 papers; asked 10 a page" in stderr


def test_an_unhinted_refusal_walks_down_to_pages_of_50(foreign: Foreign, catalog: Path,
                                                       fake: FakeTime, run_cli) -> None:
    foreign.papers = listing(count=300)
    foreign.quirks = Quirks(max_page=100, refusal="error-entry")
    records, _, _ = discover_json(run_cli, catalog, fake)
    assert records and searches(foreign)[:4] == [1000, 200, 50, 50]


def test_a_refusal_naming_the_limit_goes_straight_to_it(foreign: Foreign, catalog: Path,
                                                        fake: FakeTime, run_cli) -> None:
    foreign.papers = listing(count=300)
    foreign.quirks = Quirks(max_page=100)  # "max_results must be at most 100"
    records, _, _ = discover_json(run_cli, catalog, fake)
    assert records and searches(foreign)[:3] == [1000, 100, 100]
    assert max(searches(foreign)[1:]) <= 100


@pytest.mark.parametrize("quirks", [Quirks(), Quirks(max_page=100, refusal="error-entry")])
def test_a_malformed_query_is_one_clear_error_after_bounded_tries(
        foreign: Foreign, catalog: Path, fake: FakeTime, run_cli, quirks: Quirks) -> None:
    """A refusal that smaller pages do not cure is not about the page size: exit 2 with
    the server's words after at most three tries, nothing written."""
    foreign.papers = listing()
    foreign.quirks = quirks

    def broken(paper: Paper, query: str) -> bool:
        raise QueryFailed("unbalanced parentheses")

    foreign.matches = broken  # type: ignore[method-assign]
    before = committed_files(catalog)
    _, stderr, seconds = discover_json(run_cli, catalog, fake, exit_code=2)
    assert "rejected" in stderr and "unbalanced parentheses" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert searches(foreign) == [1000, 200, 50, 10] and seconds == 9.0
    assert committed_files(catalog) == before


def committed_files(catalog: Path) -> dict[Path, bytes]:
    """The catalog's files, its private folders (the derived cache) aside."""
    return {p: p.read_bytes() for p in catalog.rglob("*") if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(catalog).parts)}


def test_a_refusal_of_a_size_already_answered_is_not_about_the_size(
        foreign: Foreign, catalog: Path, fake: FakeTime, run_cli) -> None:
    """The key-word search refused (phrases unsupported) after pages of 1000 were answered:
    one request, a warning, no smaller pages."""
    foreign.papers = listing()
    foreign.quirks = Quirks(keywords="400")
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    keyword = [r for r in foreign.requests if "ANDNOT" in r.get("search_query", "")]
    assert records and "key-word search" in stderr and len(keyword) == 1


def test_client_keeps_the_page_size_that_worked(foreign: Foreign, fake: FakeTime) -> None:
    from deepphen.arxiv import Client

    foreign.papers = listing(count=300)
    foreign.quirks = Quirks(max_page=60, refusal="413")
    client = Client(foreign.url, clock=fake.clock, sleep=fake.sleep)
    query = "cat:cs.LG AND submittedDate:[202505010000 TO 202506010000]"
    first = [e.id for page in client.search(query, page_size=1000) for e in page.entries]
    assert searches(foreign)[:3] == [1000, 200, 50] and set(searches(foreign)[2:]) == {50}
    foreign.requests.clear()
    second = [e.id for page in client.search(query, page_size=1000) for e in page.entries]
    assert second == first and set(searches(foreign)) == {50}  # no refusal the second time
    assert len(first) == len({p["id"] for p in foreign.papers if "cs.LG" in p["categories"]
                              and p["submitted"] >= dt.datetime(2025, 5, 1)})


def test_id_look_ups_refused_in_batches_of_100_are_asked_in_smaller_ones(
        foreign: Foreign, fake: FakeTime) -> None:
    from deepphen.arxiv import Client

    foreign.papers = listing(count=120)
    foreign.quirks = Quirks(max_page=30)
    wanted = [p["id"] for p in foreign.papers[:70]]
    client = Client(foreign.url, clock=fake.clock, sleep=fake.sleep)
    assert set(client.fetch(wanted)) == set(wanted)
    sizes = [len(r["id_list"].split(",")) for r in foreign.requests]
    assert sizes == [70, 30, 30, 10] and fake.sleeps == [3.0] * 3
    foreign.requests.clear()
    list(client.search("cat:cs.LG"))  # and the client's searches keep to it
    assert set(searches(foreign)) == {30}
    # id_list refused whatever its length, once a page of 30 was answered: one request
    foreign.quirks = Quirks(max_page=30, id_list="400")
    foreign.requests.clear()
    with pytest.raises(NetworkError, match="id_list is not supported"):
        client.fetch(wanted[:20])
    assert len(foreign.requests) == 1


def test_a_refusal_after_the_first_page_is_kept_as_a_failure(foreign: Foreign,
                                                             fake: FakeTime) -> None:
    """Smaller pages are tried for the first page only: a later refusal (a server that will
    not go past some start) ends the search after the pages already yielded."""
    from deepphen.arxiv import Client

    foreign.papers = listing(count=300)
    real = foreign.search

    def no_further(params: dict[str, str]) -> tuple[int, str]:
        if int(params.get("start", 0)) > 0:
            raise QueryFailed("start must be 0")
        return real(params)

    foreign.search = no_further  # type: ignore[method-assign]
    client = Client(foreign.url, clock=fake.clock, sleep=fake.sleep)
    pages = []
    with pytest.raises(NetworkError, match="start must be 0"):
        for page in client.search("cat:cs.LG", page_size=100):
            pages.append(page)
    assert len(pages) == 1 and searches(foreign) == [100, 100]


# --- (a) id_list not supported ------------------------------------------------------------

@pytest.mark.parametrize("mode", ["ignore", "empty", "400", "error-entry", "500"])
def test_no_id_list_costs_one_request(foreign: Foreign, catalog: Path, fake: FakeTime,
                                      run_cli, mode: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen import arxiv

    real = arxiv.batched
    monkeypatch.setattr(arxiv, "batched", lambda items, size=2: real(items, 2))  # 4 batches
    foreign.papers = listing()
    foreign.quirks = Quirks(id_list=mode)
    records, stderr, seconds = discover_json(run_cli, catalog, fake)
    assert records and "deepphen: warning:" in stderr
    lookups = [r for r in foreign.requests if "id_list" in r]
    assert len(lookups) == (2 if mode == "500" else 1)  # 500: retried once, best effort
    assert seconds <= 4 * 3.0 + 3.0  # the searches' 3 s spacing, one backoff at most
    # nothing was recorded as unknown to arXiv: a faithful server is asked next time
    foreign.quirks = Quirks()
    foreign.requests.clear()
    discover_json(run_cli, catalog, fake)
    assert [r for r in foreign.requests if "id_list" in r]


def test_an_answer_with_other_papers_keeps_what_was_asked(foreign: Foreign, catalog: Path,
                                                          fake: FakeTime, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """An API that ignores id_list and sends its first papers, one of them asked for."""
    from deepphen import arxiv

    real = arxiv.batched
    monkeypatch.setattr(arxiv, "batched", lambda items, size=2: real(items, 2))
    papers = listing()
    first = next(p for p in papers if p["id"] == "1803.03635")  # in the first batch
    foreign.papers = [first, *(p for p in papers if p is not first)]
    foreign.quirks = Quirks(id_list="ignore")
    _, stderr, _ = discover_json(run_cli, catalog, fake)
    assert "did not look up" in stderr
    assert len([r for r in foreign.requests if "id_list" in r]) == 1
    foreign.quirks = Quirks()
    foreign.requests.clear()
    discover_json(run_cli, catalog, fake)
    asked = {i for r in foreign.requests if "id_list" in r for i in r["id_list"].split(",")}
    assert "2008.08186" in asked and "1803.03635" not in asked  # kept, not "unknown"


# --- (f) a window of thousands ----------------------------------------------------------

def test_thousands_of_results_in_a_few_polite_pages(foreign: Foreign, catalog: Path,
                                                    fake: FakeTime, run_cli) -> None:
    foreign.papers = listing(count=3000, seed=5, first=dt.date(2025, 5, 14), days=8)
    new = sum(SINCE <= p["submitted"].date() <= UNTIL and bool({"cs.LG", "stat.ML"} &
                                                            set(p["categories"]))
              for p in foreign.papers) + 1  # and 2505.20005, by its key words
    assert new > 2000
    foreign.quirks = Quirks(cap=1000)
    records, stderr, seconds = discover_json(run_cli, catalog, fake)
    assert len(records) == 25 and f"{new} new papers" in stderr
    assert all(s == 3.0 for s in fake.sleeps)  # spacing, no backoff
    requests = len(foreign.requests)
    assert requests <= 7 and seconds == pytest.approx(3.0 * (requests - 1))
    for order in ("ascending", "listing"):  # the ranking does not depend on the page order
        foreign.quirks = Quirks(cap=1000, sort=order)
        assert discover_json(run_cli, catalog, fake)[0] == records


# --- (g) a key-word search the server runs poorly -----------------------------------------

@pytest.mark.parametrize("mode", ["400", "everything"])
def test_a_poor_keyword_search_does_not_flood_the_ranking(foreign: Foreign, catalog: Path,
                                                          fake: FakeTime, run_cli,
                                                          mode: str) -> None:
    foreign.papers = listing()
    foreign.quirks = Quirks(keywords=mode)
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    assert len(records) == 25
    assert all(SINCE.isoformat() <= r["published"] <= UNTIL.isoformat() for r in records)
    # in the categories searched, or outside them with the key words (2505.20005) only
    assert all({"cs.LG", "stat.ML"} & set(r["categories"]) or r["arxiv"] == "2505.20005"
               for r in records)
    if mode == "400":
        assert "key-word search" in stderr and "incomplete" in stderr


# --- entry shapes ---------------------------------------------------------------------------

FEED = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>{id}</id><title>T</title><published>{year}-{month}-20T22:30:00-04:00</published>
<arxiv:primary_category term="cs.LG"/>{link}</entry></feed>"""


@pytest.mark.parametrize(("raw", "expected"), [
    ("http://arxiv.org/abs/2503.01234v2", ("2503.01234", 2)),
    ("https://arxiv.org/abs/2503.01234v2", ("2503.01234", 2)),
    ("http://export.arxiv.org/abs/2503.01234", ("2503.01234", None)),
    ("2503.01234v2", ("2503.01234", 2)),
    ("arXiv:2503.01234v2", ("2503.01234", 2)),
    ("oai:arXiv.org:2503.01234", ("2503.01234", None)),
    ("http://arxiv.org/abs/math/0601001v1", ("math/0601001", 1)),
    ("http://localhost:8080/abs/math/0601001", ("math/0601001", None)),
])
def test_entry_ids_in_any_reasonable_shape(raw: str, expected: tuple[str, int | None]) -> None:
    year, month = ("2006", "01") if "math/" in raw else ("2025", "03")
    [entry], _ = parse_page(FEED.format(id=raw, link="", year=year, month=month).encode())
    assert (entry.id, entry.version) == expected
    assert entry.categories == ["cs.LG"] and entry.primary_category == "cs.LG"
    # 22:30 in New York is the next day in UTC, arXiv's calendar
    assert entry.published == dt.date(int(year), int(month), 21)


def test_entry_id_from_the_abstract_link() -> None:
    link = '<link href="https://arxiv.org/abs/2503.01234v3" rel="alternate"/>'
    [entry], _ = parse_page(FEED.format(id="urn:x:17", link=link, year=2025,
                                         month="03").encode())
    assert (entry.id, entry.version) == ("2503.01234", 3)


def test_window_holds_by_date_then_by_id_month() -> None:
    from deepphen.arxiv import ArxivEntry

    window = core.Window(SINCE, UNTIL)
    dated = [ArxivEntry("2505.00001", 1, "T", [], dt.date(2025, 5, d)) for d in (14, 15, 20, 21)]
    assert [window.holds(e) for e in dated] == [False, True, True, False]
    undated = [ArxivEntry(i, 1, "T", [], None) for i in
               ("2504.00001", "2505.00001", "2506.00001", "2507.00001", "math/0601001")]
    assert [window.holds(e) for e in undated] == [False, True, True, False, False]
    assert dataclasses.replace(window, start=dt.date(2006, 1, 1)).holds(undated[-1])


@pytest.mark.parametrize(("title", "categories", "kept"), [
    ("Neural collapse in vision models", ["cs.CV"], True),
    ("Neural collapsing features", ["cs.CV"], True),  # arXiv stems: so does the check
    ("Collapse of neural features", ["cs.CV"], False),  # the words, not the phrase
    ("Neural collapse, cross-listed", ["cs.CV", "cs.LG"], False),  # in a searched category
    ("Roads from satellites", ["cs.CV"], False),
])
def test_keyword_results_must_answer_the_query(title: str, categories: list[str],
                                               kept: bool) -> None:
    from deepphen.arxiv import ArxivEntry

    entry = ArxivEntry("2505.00001", 1, title, [], None, categories=categories)
    assert core.answers_keywords(entry, ["neural collapse", "grokking"], ["cs.LG"]) is kept



def test_id_look_ups_refused_first_are_said_too(foreign: Foreign, tmp_path: Path,
                                                fake: FakeTime, run_cli) -> None:
    """A catalog that names no categories looks its papers up first (their categories):
    refused there, the search keeps to the smaller size from its first page, and the
    warning names the look-ups' refused size."""
    from deepphen.models import Paper as CatalogPaper
    from tests.helpers import make_catalog, sample_settings

    extra = [CatalogPaper(title=f"Grokking study {n}", year=2023, section="others",
                          authors=["G. Author"], arxiv=f"2301.{n:05d}", keywords=["Grokking"])
             for n in range(1, 41)]
    catalog = make_catalog(tmp_path / "catalog", sample_papers() + extra, sample_settings())
    foreign.papers = listing(count=100)
    foreign.quirks = Quirks(max_page=30, refusal="error-entry")
    records, stderr, _ = discover_json(run_cli, catalog, fake)
    looked_up = [len(r["id_list"].split(",")) for r in foreign.requests if "id_list" in r]
    assert records and looked_up[0] > 30 and max(looked_up[1:]) == 10
    assert set(searches(foreign)) == {10}
    assert f"arXiv refused pages of {looked_up[0]} papers; asked 10 a page" in stderr
