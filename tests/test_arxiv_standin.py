"""The search stand-in itself: the documented query subset, paging, sorting, refusals."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from tests.arxiv_query import CorpusEntry, QueryError, parse, search
from tests.arxiv_server import ArxivServer
from tests.discover_corpus import make_corpus

DAY = dt.date(2025, 5, 20)


def ids_of(query: str, corpus: list[CorpusEntry] | None = None, **kw: str) -> list[str]:
    return [e.id for e in search(corpus or make_corpus(DAY), query, **kw)]


def entry(i: str, title: str = "A title", **kw: object) -> CorpusEntry:
    base = dict(authors=["Ada Lovelace"], summary="An abstract.", categories=["cs.LG"],
                submitted=dt.datetime(2025, 5, 1, 10, 30))
    base.update(kw)
    return CorpusEntry(id=i, title=title, **base)  # type: ignore[arg-type]


def test_field_terms_and_phrases() -> None:
    assert ids_of("ti:grokking") == ["2505.10001"]
    assert ids_of('abs:"neural collapse"') == ["2505.10002"]
    assert ids_of('ti:"collapse neural"') == []  # a phrase keeps its order
    assert ids_of('au:"Dana Okafor"') == ["2505.10002"]
    assert ids_of("au:okafor") == ["2505.10002"]
    assert ids_of("id:2505.10003") == ids_of("id:2505.10003v2") == ["2505.10003"]
    assert ids_of("grokking") == ["2505.10001"]  # a bare term is all:


def test_author_phrase_stays_within_one_name() -> None:
    corpus = [entry("1", authors=["Ada Smith", "Jones Brown"]),
              entry("2", authors=["Ada Jones"])]
    assert ids_of('au:"ada jones"', corpus) == ["2"]
    assert ids_of("au:ada_jones", corpus) == ["2"]


def test_categories_match_cross_lists() -> None:
    both = set(ids_of("cat:stat.ML"))
    assert {"2505.10001", "2505.10003"} <= both
    assert "2505.10002" not in both
    assert set(ids_of("cat:cs.C*")) >= {"2505.10004", "2505.10005"}


def test_boolean_operators_and_grouping() -> None:
    corpus = make_corpus(DAY)
    lg = set(ids_of("cat:cs.LG", corpus))
    ml = set(ids_of("cat:stat.ML", corpus))
    assert set(ids_of("cat:cs.LG OR cat:stat.ML", corpus)) == lg | ml
    assert set(ids_of("cat:cs.LG cat:stat.ML", corpus)) == lg | ml  # space is OR
    assert set(ids_of("cat:cs.LG AND cat:stat.ML", corpus)) == lg & ml
    assert set(ids_of("cat:cs.LG ANDNOT cat:stat.ML", corpus)) == lg - ml
    grouped = ids_of("(cat:cs.CL OR cat:stat.ML) AND ti:(grokking OR emergent)", corpus)
    assert set(grouped) == {"2505.10001", "2505.10005"}
    # AND binds tighter than OR
    assert set(ids_of("ti:grokking OR ti:emergent AND cat:stat.ML", corpus)) == {"2505.10001"}


def test_submitted_date_range_includes_both_ends() -> None:
    corpus = [entry("1", submitted=dt.datetime(2025, 5, 1, 0, 0)),
              entry("2", submitted=dt.datetime(2025, 5, 1, 23, 59, 30)),
              entry("3", submitted=dt.datetime(2025, 5, 2, 0, 0))]
    assert ids_of("submittedDate:[202505010000 TO 202505012359]", corpus,
                  sort_by="submittedDate", sort_order="ascending") == ["1", "2"]
    assert ids_of("cat:cs.LG AND submittedDate:[202505020000 TO 202505312359]",
                  corpus) == ["3"]


def test_last_updated_date_and_sorting() -> None:
    corpus = [entry("1", submitted=dt.datetime(2025, 5, 1), updated=dt.datetime(2025, 5, 9)),
              entry("2", submitted=dt.datetime(2025, 5, 3)),
              entry("3", title="A title A title", submitted=dt.datetime(2025, 5, 2))]
    assert ids_of("cat:cs.LG", corpus, sort_by="submittedDate") == ["2", "3", "1"]
    assert ids_of("cat:cs.LG", corpus, sort_by="submittedDate",
                  sort_order="ascending") == ["1", "3", "2"]
    assert ids_of("cat:cs.LG", corpus, sort_by="lastUpdatedDate") == ["1", "2", "3"]
    assert ids_of("ti:title", corpus, sort_by="relevance")[0] == "3"
    assert ids_of("lastUpdatedDate:[202505080000 TO 202505100000]", corpus) == ["1"]


@pytest.mark.parametrize("query", [
    "", "ti:", "(ti:a", "ti:a)", "xx:grokking", "AND ti:a", "ti:a AND",
    "submittedDate:[2025 TO 2026]", "submittedDate:grokking", 'ti:""',
])
def test_malformed_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        parse(query)


def test_server_pages_sorts_and_counts(arxiv: ArxivServer) -> None:
    arxiv.corpus = make_corpus(DAY, noise=25)
    params = {"search_query": "cat:cs.LG OR cat:cs.RO", "sortBy": "submittedDate",
              "sortOrder": "descending", "max_results": "4"}
    seen = []
    for start in range(0, 40, 4):
        body = httpx.get(arxiv.url, params={**params, "start": str(start)}).text
        assert "<opensearch:totalResults>" in body
        seen += [line.split("/abs/")[1][:10] for line in body.splitlines()
                 if "<id>http://arxiv.org/abs/" in line]
    expected = ids_of("cat:cs.LG OR cat:cs.RO", arxiv.corpus, sort_by="submittedDate")
    assert seen == expected and len(seen) > 8


def test_server_refuses_large_pages_and_bad_queries(arxiv: ArxivServer) -> None:
    arxiv.corpus = make_corpus(DAY)
    big = httpx.get(arxiv.url, params={"search_query": "cat:cs.LG", "max_results": "2001"})
    bad = httpx.get(arxiv.url, params={"search_query": "ti:(grokking"})
    assert big.status_code == bad.status_code == 400
    assert "api/errors" in bad.text and "<summary>" in bad.text


def test_server_finds_corpus_papers_by_id(arxiv: ArxivServer) -> None:
    arxiv.corpus = make_corpus(DAY)
    body = httpx.get(arxiv.url, params={"id_list": "2505.10002"}).text
    assert "Neural Collapse Emerges Late" in body
