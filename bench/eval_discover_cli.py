"""Recall of the whole ``deepphen discover`` command, fetching included, on real arXiv listings.

bench/eval_discover.py measures the ranking model alone. This runs the command a curator
runs, ``deepphen discover --since A --until B --limit 25 --format json``, in its own
process against the local stand-in of the arXiv API (tests/arxiv_server.py, the query subset
of tests/arxiv_query.py), so losses in the category query, the key-word search, paging,
de-duplication and the filtering of known papers count too.

Per hidden year: the shipped catalog is copied with the papers of that year and later
removed (the catalog as it stood before). The stand-in serves one window of the real arXiv
background (../shared/data/arxiv-background, abstracts cut to the digests' lengths as in
eval_discover.py) plus the hidden papers dealt into that window (the same deal as
eval_discover.py): title, authors, the list page's digest as the abstract (evaluation only),
a submission date inside the window, and categories, which the list does not record:
``cs.LG`` (variant ``cslg``), those of a background paper drawn at random (variant ``mix``:
the listing's own category mix, so some hidden papers sit outside the configured categories
and only the key-word search can bring them), or those of the background paper most like it
by TF-IDF cosine (variant ``near``: an LLM-behaviour paper gets an LLM paper's categories).
Also counted: the hidden papers discover's searches fetched at all (by the category query,
and by the key-word search; the recorded queries replayed on the served window), the papers
it ranked and the search requests it sent, a window. Catalog modes: ``titles`` (the stand-in does
not know the catalog's papers, so discover finds no abstracts for them) and ``abstracts``
(it serves them by id, the digest standing in for the abstract). recall@k is read from the
JSON's order.

The derived path (a catalog with no ``[discover] categories``: discover asks the categories of
the catalog's own papers, catalog_meta.derived_categories): ``--derive`` drops the setting
from the copy, and ``--catalog-cats`` gives the catalog's papers categories for the stand-in
to serve by id, which the list does not record either: ``cslg``, or ``near`` (those of the
background paper most like each one, as for the hidden papers). In ``titles`` mode they are
served with empty abstracts, so the ranking still learns from titles alone. The categories
discover then asks are printed on stderr. The client's 3 s spacing is switched off in the
child process (arXiv's waits, not ours). The TF-IDF nearest-neighbour baseline ranks the same
served windows.

    .venv/bin/python bench/eval_discover_cli.py [--years 2025 2024] [--days 7 14] [--seeds 1]
        [--derive --catalog-cats near]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval_discover import (  # noqa: E402  (bench/ is on sys.path when run as a script)
    BACKGROUND,
    LIST_PAGE,
    as_entry,
    read_background,
    recalls,
    tfidf_baseline,
    windows,
)
from eval_suggest import load  # noqa: E402

from deepphen.arxiv import ArxivEntry  # noqa: E402
from deepphen.catalog import Catalog  # noqa: E402
from deepphen.discover import answers_keywords, norm_title  # noqa: E402
from deepphen.models import Paper  # noqa: E402

# The console entry point, with the client's politeness waits off (they are arXiv's).
LAUNCH = ("import sys, deepphen.arxiv as a; a.Client.default_sleep = staticmethod(lambda s: None);"
          " sys.argv = ['deepphen', *sys.argv[1:]]; from deepphen.launch import main; main()")


def corpus_entry(entry: ArxivEntry, categories: list[str], day: dt.date, rng: random.Random):
    from tests.arxiv_query import CorpusEntry

    when = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)))
    return CorpusEntry(id=entry.id, title=entry.title, authors=list(entry.authors) or ["Anon"],
                       summary=entry.summary, categories=categories, submitted=when)


def hidden_ids(hidden: list[Paper]) -> dict[str, str]:
    """An arXiv id for each hidden paper: its own, else an invented valid one (month 12 of
    2025, after the background, numbers no real paper of that month reached)."""
    out = {}
    for n, paper in enumerate(hidden):
        out[paper.key] = paper.arxiv or f"2512.{90000 + n}"
    return out


def catalog_copy(tmp: Path, year: int, *, derive: bool = False) -> Path:
    """The shipped catalog without its papers of ``year`` and later (and, with ``derive``,
    without its ``[discover] categories``: discover derives them from the papers)."""
    root = tmp / f"catalog-{year}"
    if root.exists():
        return root
    shutil.copytree(ROOT / "catalog", root,
                    ignore=shutil.ignore_patterns(".deepphen-cache", ".deepphen.lock"))
    if derive:
        settings = root / "catalog.toml"
        text = settings.read_text(encoding="utf-8")
        cut = re.sub(r"(?ms)^\[discover\]\n(?:categories = \[.*?\]\n)?", "[discover]\n", text)
        if cut == text:
            raise SystemExit("--derive: no [discover] categories found in catalog.toml")
        settings.write_text(cut, encoding="utf-8")
    for paper in Catalog.load(root).papers:
        if paper.year >= year and paper.path is not None:
            paper.path.unlink()
    return root


def run_discover(root: Path, url: str, since: dt.date, until: dt.date,
                 categories: list[str]) -> tuple[list[str], str]:
    """The arXiv ids of discover's JSON, best first, and its stderr's last line."""
    env = {**os.environ, "DEEPPHEN_ARXIV_API_URL": url, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-c", LAUNCH, "discover", "--since", str(since),
                          "--until", str(until), "--limit", "25", "--format", "json",
                          "--catalog", str(root),
                          *(a for c in categories for a in ("--category", c))],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"discover exit {out.returncode}: {out.stderr.strip()[-500:]}")
    rows = json.loads(out.stdout) if out.returncode == 0 else []
    return [r["arxiv"] for r in rows], (out.stderr.strip().splitlines() or [""])[-1]


def reached(corpus: list, requests: list) -> tuple[set[str], set[str]]:
    """The ids discover's searches brought: by its category query, and by its key-word
    search outside the categories (the results its own check keeps). Replays each recorded
    ``search_query`` on the served corpus: the ranking cannot find what never came."""
    from tests.arxiv_query import search

    by_category: set[str] = set()
    by_keywords: set[str] = set()
    for query in dict.fromkeys(r.params["search_query"] for r in requests
                               if "search_query" in r.params):
        hits = search(corpus, query)
        if "ANDNOT" not in query:
            by_category.update(e.id for e in hits)
            continue
        terms = re.findall(r'abs:"([^"]*)"', query)
        outside = re.findall(r"cat:([^\s()]+)", query.rsplit("ANDNOT", 1)[1])
        by_keywords.update(e.id for e in hits if answers_keywords(e, terms, outside))
    return by_category, by_keywords


def nearest_categories(hidden: list[ArxivEntry],
                       background: list[ArxivEntry]) -> dict[str, list[str]]:
    """Each hidden paper's categories guessed as those of its nearest background paper
    (TF-IDF cosine of title and abstract): an LLM-behaviour paper gets an LLM paper's
    categories, a kernel-theory paper a theory paper's. The list records no categories."""
    def words(e: ArxivEntry) -> Counter[str]:
        return Counter(re.findall(r"[a-z][a-z0-9]+", f"{e.title} {e.summary}".lower()))

    docs = [words(e) for e in background]
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log((len(docs) + 1) / (c + 1)) + 1 for w, c in df.items()}

    def vec(counts: Counter[str]) -> dict[str, float]:
        v = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items() if w in idf}
        n = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / n for w, x in v.items()}

    postings: dict[str, list[tuple[int, float]]] = {}
    for i, d in enumerate(docs):
        for w, x in vec(d).items():
            postings.setdefault(w, []).append((i, x))
    out = {}
    for e in hidden:
        sims: Counter[int] = Counter()
        for w, x in vec(words(e)).items():
            for i, y in postings.get(w, ()):
                sims[i] += x * y
        best = sims.most_common(1)
        out[e.id] = (background[best[0][0]].categories if best else None) or ["cs.LG"]
    return out


def catalog_categories(placement: str | None, mode: str, before: list[Paper],
                       background: list[ArxivEntry]) -> dict[str, list[str]]:
    """The categories the stand-in serves for the catalog's papers, by arXiv id (none: it
    does not know them). ``near``: those of the nearest background paper (title and digest)."""
    placement = placement or ("cslg" if mode == "abstracts" else "none")
    with_ids = [p for p in before if p.arxiv]
    if placement == "none":
        return {}
    if placement == "cslg":
        return {p.arxiv: ["cs.LG"] for p in with_ids if p.arxiv}
    entries = [ArxivEntry(id=p.arxiv or "", version=1, title=p.title, authors=p.authors,
                          published=None, summary=p.digest or "") for p in with_ids]
    return nearest_categories(entries, background)


def asked_categories(root: Path, categories: list[str], served: dict[str, list[str]]) -> str:
    """The categories discover asks, and why (computed as discover does)."""
    from deepphen.catalog_meta import CatalogMeta, derived_categories
    from deepphen.discover import DEFAULT_CATEGORIES, settings_categories

    cat = Catalog.load(root)
    if categories:
        return f"{' '.join(categories)} (--category)"
    if configured := settings_categories(root, cat.settings):
        return f"{' '.join(configured)} (catalog.toml)"
    if derived := derived_categories(cat.papers, CatalogMeta(categories=served)):
        return f"{' '.join(derived)} (catalog papers)"
    return f"{' '.join(DEFAULT_CATEGORIES)} (default)"


def evaluate(papers: list[Paper], background: list[ArxivEntry], tmp: Path, *, year: int,
             days: int, seeds: int, variants: list[str], modes: list[str],
             categories: list[str], derive: bool = False,
             catalog_cats: str | None = None) -> list[str]:
    from tests.arxiv_server import ArxivServer

    hidden = [p for p in papers if p.year == year and p.digest]
    ids = hidden_ids(hidden)
    hidden_titles = {norm_title(p.title) for p in hidden}
    hidden_idset = set(ids.values())
    # A hidden paper that is in the background too is served once, as the hidden paper.
    back = [e for e in background
            if e.id not in hidden_idset and norm_title(e.title) not in hidden_titles]
    entries = []
    for p in hidden:
        e = as_entry(p)
        entries.append(ArxivEntry(id=ids[p.key], version=1, title=e.title, authors=e.authors,
                                  published=None, summary=e.summary))
    near = nearest_categories(entries, back) if "near" in variants else {}
    root = catalog_copy(tmp, year, derive=derive)
    before = [p for p in papers if p.year < year]
    known = {p.arxiv for p in Catalog.load(root).papers if p.arxiv}
    in_catalog = [p for p in before if p.arxiv in known]
    rows = []
    for mode in modes:
        # The stand-in knows the catalog's papers by id in "abstracts" mode (with their
        # digests), or with --catalog-cats (in "titles" mode with empty abstracts).
        served_cats = catalog_categories(catalog_cats, mode, in_catalog, back)
        served_catalog = []
        rng = random.Random(7)
        for p in in_catalog:
            if p.arxiv in served_cats and (p.digest or mode == "titles"):
                served_catalog.append(corpus_entry(
                    ArxivEntry(id=p.arxiv, version=1, title=p.title, authors=p.authors,
                               published=None, summary=p.digest if mode == "abstracts" else ""),
                    served_cats[p.arxiv], dt.date(2019, 1, 1), rng))
        print(f"{year} {mode}: discover asks {asked_categories(root, categories, served_cats)}",
              file=sys.stderr, flush=True)
        shutil.rmtree(root / ".deepphen-cache", ignore_errors=True)
        abstracts = ({p.key: p.digest for p in before if p.digest} if mode == "abstracts"
                     else {})
        baseline = tfidf_baseline(before, abstracts)
        for variant in variants:
            scores: dict[str, list[tuple[float, float]]] = {"tfidf-nn": [], "discover": []}
            sizes, started = [], time.perf_counter()
            cost: Counter[str] = Counter()
            for seed in range(seeds):
                rng = random.Random(seed)
                for window in windows(back, entries, days, seed):
                    dates = [e.published for e in window if e.published]
                    since, until = min(dates), max(dates)
                    served = []
                    for e in window:
                        if e.published:
                            served.append(corpus_entry(e, e.categories, e.published, rng))
                        else:
                            cats = (["cs.LG"] if variant == "cslg"
                                    else near[e.id] if variant == "near"
                                    else rng.choice(back).categories or ["cs.LG"])
                            day = since + dt.timedelta(rng.randrange((until - since).days + 1))
                            served.append(corpus_entry(e, cats, day, rng))
                    positive = {e.id for e in window if not e.published}
                    server = ArxivServer()
                    # Only what is served here: the stand-in's recorded entries of the tests
                    # include a few of the catalog's papers, with their real categories.
                    server.feeds = {shape: (head, tail, {})
                                    for shape, (head, tail, _) in server.feeds.items()}
                    server.corpus = served + served_catalog
                    server.start()
                    try:
                        ranked, last = run_discover(root, server.url, since, until, categories)
                    finally:
                        server.stop()
                    scores["discover"].append(recalls(ranked, positive))
                    by_category, by_keywords = reached(server.corpus, server.requests)
                    cost["hidden"] += len(positive)
                    cost["by category"] += len(positive & by_category)
                    cost["by key words"] += len(positive & (by_keywords - by_category))
                    cost["ranked"] += int(last.split()[0]) if last[:1].isdigit() else 0
                    cost["searches"] += sum(1 for r in server.requests
                                            if "search_query" in r.params)
                    scores["tfidf-nn"].append(recalls(baseline(window), positive))
                    sizes.append(len(window))
            elapsed = time.perf_counter() - started
            for name, got in scores.items():
                r10 = [a for a, _ in got]
                r25 = [b for _, b in got]
                fetched = (f"{cost['by category']} + {cost['by key words']} of {cost['hidden']} "
                           f"| {cost['ranked'] / len(got):.0f} | {cost['searches'] / len(got):.1f}"
                           if name == "discover" else "all | all | -")
                rows.append(
                    f"| {year} ({len(hidden)}) | {mode} | {variant} | {days} d "
                    f"| {min(sizes)}-{max(sizes)} | {name} | {min(r10):.2f} "
                    f"| {statistics.mean(r10):.2f} | {min(r25):.2f} | {statistics.mean(r25):.2f} "
                    f"| {fetched} | {len(got)} | {elapsed:.0f} s |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2024])
    parser.add_argument("--modes", nargs="+", default=["titles", "abstracts"],
                        choices=["titles", "abstracts"])
    parser.add_argument("--variants", nargs="+", default=["cslg", "mix"],
                        choices=["cslg", "mix", "near"])
    parser.add_argument("--days", type=int, nargs="+", default=[7, 14])
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--category", nargs="+", default=[],
                        help="passed to discover as --category (default: catalog.toml's)")
    parser.add_argument("--derive", action="store_true",
                        help="drop catalog.toml's [discover] categories: discover derives them")
    parser.add_argument("--catalog-cats", choices=["none", "cslg", "near"],
                        help="the categories served for the catalog's papers (default: cs.LG "
                             "in abstracts mode, none in titles mode)")
    args = parser.parse_args(argv)
    if not BACKGROUND.exists() or not LIST_PAGE.exists():
        print(f"skipped: needs {BACKGROUND} and {LIST_PAGE} (the shared data folder)")
        return 0
    papers, _ = load(LIST_PAGE)
    lengths = [len(p.digest.split()) for p in papers if p.digest]
    background = read_background(BACKGROUND, ml_only=False, lengths=lengths)
    print("| hidden | catalog | hidden cats | window | served | ranker | R@10 min "
          "| R@10 mean | R@25 min | R@25 mean | hidden fetched (category + key words) "
          "| ranked a window | searches a window | windows | time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for year in args.years:
            for days in args.days:
                for row in evaluate(papers, background, Path(tmp), year=year, days=days,
                                    seeds=args.seeds, variants=args.variants,
                                    modes=args.modes, categories=args.category,
                                    derive=args.derive, catalog_cats=args.catalog_cats):
                    print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
