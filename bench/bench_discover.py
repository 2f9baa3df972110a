"""Time and memory of a whole ``discover`` run, fetching included, against the local stand-in.

The stand-in (tests/arxiv_server.py) serves real arXiv papers: the 7,197 of
``../shared/data/arxiv-background`` (else generated ones), their submission dates spread
over a 30-day window. A fresh process runs ``deepphen.discover.discover`` on a copy of the
shipped catalog for that window, with the client's 3 s spacing switched off (the waits are
arXiv's, not ours: pages x 3 s come on top), and reports the seconds spent fetching and
parsing the pages, ranking, and in all, with the process's peak RSS. The catalog's own
abstracts are looked up once first (the stand-in does not know them), as a second run would
find them cached.

Usage:
    .venv/bin/python bench/bench_discover.py [--candidates 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKGROUND = ROOT.parent / "shared" / "data" / "arxiv-background" / "arxiv-2025-03-to-06.jsonl.gz"
TODAY = dt.date(2025, 7, 1)


def corpus(count: int) -> list:
    """``count`` papers submitted in the 30 days before TODAY, newest ids last."""
    from tests.arxiv_query import CorpusEntry

    rows = []
    if BACKGROUND.is_file():
        with gzip.open(BACKGROUND, "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle][:count]
    while len(rows) < count:  # no shared data: generated papers of the same shape
        n = len(rows)
        rows.append({"id": f"2506.{90000 + n}", "title": f"Generated paper {n} on learning",
                     "authors": [f"Author {n}"], "summary": "We study learning. " * 20,
                     "categories": ["cs.LG"]})
    start = dt.datetime.combine(TODAY, dt.time()) - dt.timedelta(days=30)
    step = dt.timedelta(days=29) / max(1, count)
    return [CorpusEntry(id=r["id"], title=r["title"], authors=r["authors"],
                        summary=r["summary"], categories=r["categories"] or ["cs.LG"],
                        submitted=start + i * step) for i, r in enumerate(rows)]


def child(count: int) -> None:
    """One measured run (in its own process): prints a JSON line of timings."""
    import os

    sys.path.insert(0, str(ROOT))
    from tests.arxiv_server import ArxivServer

    server = ArxivServer()
    server.corpus = corpus(count)
    server.start()
    os.environ["DEEPPHEN_ARXIV_API_URL"] = server.url
    from deepphen import discover as core
    from deepphen import listing
    from deepphen.arxiv import Client

    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "catalog", tmp / "catalog",
                    ignore=shutil.ignore_patterns(".deepphen-cache", ".deepphen.lock"))
    root = tmp / "catalog"
    from deepphen.taxonomy import is_category

    categories = sorted({c for e in server.corpus for c in e.categories[:1] if is_category(c)})
    client = Client(min_interval=0.0)
    listing.fetch_candidates(client, "cat:none")  # warm: imports, connection
    from deepphen.catalog import Catalog
    from deepphen.catalog_meta import fetch_meta

    fetch_meta(root, Catalog.load(root).papers, client)  # the cached state of a second run
    window = core.parse_window("30d", None, today=TODAY)
    query = listing.build_query(categories, window)
    began = time.perf_counter()
    fetched = listing.fetch_candidates(client, query)
    fetched_at = time.perf_counter()
    from deepphen.atom import parse_page

    body = server.search_feed({"search_query": query, "start": "0", "max_results": "1000",
                               "sortBy": "submittedDate"})
    parse_began = time.perf_counter()
    parse_page(body)
    parse_1000 = time.perf_counter() - parse_began
    fetched_at += parse_1000  # keep the discover timing below free of this measurement
    result = core.discover(root, since="30d", today=TODAY, client=client,
                           categories=categories)
    for fit in result.fits[:25]:  # what --limit 25 shows
        _ = fit.suggested_sections, fit.suggested_keywords
    done = time.perf_counter()
    server.stop()
    shutil.rmtree(tmp)
    print(json.dumps({
        "candidates": len(fetched.entries), "pages": fetched.pages,
        "fetch": fetched_at - parse_1000 - began, "parse_1000": parse_1000,
        "discover": done - fetched_at,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.candidates)
        return
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, __file__, "--child", "--candidates",
                              str(args.candidates)], capture_output=True, text=True, check=True,
                             cwd=ROOT)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = runs[0]
    print(f"| candidates | pages | parse a 1000-entry page (s) | fetch + parse, stand-in "
          f"included (s) | discover: fetch + rank + top 25 (s) | peak RSS (MiB) |\n"
          f"|---|---|---|---|---|---|\n"
          f"| {first['candidates']} | {first['pages']} "
          f"| {statistics.median(r['parse_1000'] for r in runs):.2f} "
          f"| {statistics.median(r['fetch'] for r in runs):.2f} "
          f"| {statistics.median(r['discover'] for r in runs):.2f} "
          f"| {max(r['peak_mib'] for r in runs):.0f} |")


if __name__ == "__main__":
    main()
