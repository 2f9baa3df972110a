"""The categories discover derives from the catalog's own papers (catalog_meta), alone and
through the whole command against the search stand-in."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from deepphen import discover as core
from deepphen.arxiv import Client
from deepphen.catalog_meta import (
    CATEGORY_SHARE,
    MAX_DERIVED_CATEGORIES,
    CatalogMeta,
    derived_categories,
)
from deepphen.models import Paper
from tests.arxiv_query import CorpusEntry
from tests.arxiv_server import ArxivServer, FakeTime
from tests.discover_corpus import make_corpus


def papers_in(*categories: list[str],
              category: str | None = None) -> tuple[list[Paper], CatalogMeta]:
    """Papers whose arXiv entries carry ``categories`` (primary first), and their metadata."""
    papers = [Paper(title=f"Paper {n}", year=2024, section="s", authors=["A. Author"],
                    arxiv=f"2401.{n:05d}", category=category)
              for n in range(1, len(categories) + 1)]
    meta = CatalogMeta(categories={p.arxiv or "": list(c)
                                   for p, c in zip(papers, categories, strict=True)})
    return papers, meta


def test_primary_categories_best_first() -> None:
    papers, meta = papers_in(*[["cs.LG", "stat.ML"]] * 6, *[["stat.ML", "cs.LG"]] * 3,
                             ["cs.CL", "cs.AI"])
    assert derived_categories(papers, meta) == ["cs.LG", "stat.ML", "cs.CL"]


def test_cross_lists_do_not_count() -> None:
    """Measured in docs/benchmarks.md: counting cross-lists fetched 0.5 % more of a topic's
    new papers for 60 % more categories (each a listing more to page through)."""
    papers, meta = papers_in(*[["cs.LG", "cs.AI", "cs.CV"]] * 20)
    assert derived_categories(papers, meta) == ["cs.LG"]


def test_a_category_below_the_share_is_left_out() -> None:
    rare = round(1 / CATEGORY_SHARE)  # one paper in this many is just below the share
    papers, meta = papers_in(*[["cs.LG"]] * rare, ["q-bio.NC"])
    assert derived_categories(papers, meta) == ["cs.LG"]
    papers, meta = papers_in(*[["cs.LG"]] * (rare - 1), ["q-bio.NC"])
    assert derived_categories(papers, meta) == ["cs.LG", "q-bio.NC"]


def test_at_most_the_cap_and_the_commonest_first() -> None:
    names = ["cs.LG", "stat.ML", "cs.AI", "cs.CL", "cs.CV", "cs.NE", "q-bio.NC",
             "cond-mat.dis-nn", "math.OC", "cs.IT"]
    papers, meta = papers_in(*[[name] for i, name in enumerate(names) for _ in range(20 - i)])
    got = derived_categories(papers, meta)
    assert got == names[:MAX_DERIVED_CATEGORIES]


def test_the_papers_own_category_field_wins_and_unknown_names_are_skipped() -> None:
    papers, meta = papers_in(["cs.LG"], ["cs.LG"], category="q-bio.NC")
    assert derived_categories(papers, meta) == ["q-bio.NC"]
    papers, meta = papers_in(["cs.XX"], ["cs.XX"], ["stat.ML"])
    assert derived_categories(papers, meta) == ["stat.ML"]


def test_nothing_known_derives_nothing() -> None:
    papers, _ = papers_in(["cs.LG"])
    assert derived_categories(papers, CatalogMeta()) == []
    assert derived_categories([], CatalogMeta()) == []


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(Client, "default_sleep", staticmethod(fake.sleep))
    monkeypatch.setattr(Client, "default_clock", staticmethod(fake.clock))
    monkeypatch.setattr(core, "utc_today", lambda: dt.date(2025, 5, 22))
    return fake


def test_discover_asks_the_catalog_papers_categories(tmp_path: Path, arxiv: ArxivServer,
                                                     fake: FakeTime) -> None:
    """A catalog without [discover] categories asks the primary categories of its papers,
    as arXiv lists them by id."""
    from tests.helpers import make_catalog, sample_papers

    # Ids the stand-in's recorded entries do not have: it serves the corpus's categories.
    papers = [replace(p, arxiv=f"1901.{n:05d}", links=[])
              for n, p in enumerate(sample_papers()[:3], start=1)]
    root = make_catalog(tmp_path / "cat", papers)
    assert "[discover]" not in (root / "catalog.toml").read_text()
    ids = {p.arxiv for p in papers}
    listed = dt.datetime(2020, 1, 1)
    arxiv.corpus = [*(e for e in make_corpus(dt.date(2025, 5, 20), noise=10) if e.id not in ids),
                    *(CorpusEntry(p.arxiv or "", p.title, p.authors, "An abstract.",
                                  ["q-bio.NC", "cs.LG"] if n == 0 else ["stat.ML", "cs.AI"],
                                  listed) for n, p in enumerate(papers))]
    found = core.discover(root, since="2025-05-15", until="2025-05-20")
    assert (found.category_source, found.categories) == ("catalog papers", ["stat.ML", "q-bio.NC"])
    assert found.query.startswith("(cat:stat.ML OR cat:q-bio.NC) AND submittedDate:")


@pytest.mark.parametrize("asked", [dt.datetime(2025, 5, 20),
                                   dt.datetime(2025, 5, 20, tzinfo=dt.UTC)], ids=["naive", "aware"])
def test_a_cached_day_that_is_a_datetime_is_no_cache(catalog_dir: Path, arxiv: ArxivServer,
                                                     fake_clock: FakeTime, asked: object) -> None:
    """The day a paper was asked, read back from a cache a person (or a stranger's
    repository) wrote: a datetime is a date to isinstance, but ``today - asked`` raised a
    TypeError that ended discover in a traceback. It is no day: the paper is asked again."""
    from deepphen import cache, ids
    from deepphen.catalog import Catalog
    from deepphen.catalog_meta import CACHE_NAME, FORMAT, fetch_meta, load_meta

    papers = Catalog.load(catalog_dir).papers
    wanted = sorted({i for p in papers if (i := ids.canonical_id(p.arxiv))})
    assert cache.write_value(catalog_dir, CACHE_NAME,
                             {"format": FORMAT, "papers": dict.fromkeys(wanted, asked)})
    assert load_meta(catalog_dir).missing == {}
    meta = fetch_meta(catalog_dir, papers, Client(deadline=None), today=dt.date(2025, 5, 22))
    assert sorted(meta.abstracts) == wanted and arxiv.requests
