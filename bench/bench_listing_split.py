"""What discover's sub-windows cost: requests and papers of a window over the cap a query.

Scaled down from arXiv (30,000 results a query, pages of 1,000, a 60-day window of the
shipped categories holding about 40,000 papers): the test stand-in serves ``--papers``
invented papers spread at random over 60 days, at most ``--cap`` results a query, in pages of
``--page``. For each ceiling it prints the papers fetched, the requests and sub-windows, next
to the fewest requests any listing needs (papers / page). The client's clock is fake (no
waiting); arXiv's 3 s a request come on top.

    .venv/bin/python bench/bench_listing_split.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.arxiv_query import CorpusEntry  # noqa: E402
from tests.arxiv_server import ArxivServer, FakeTime  # noqa: E402

from deepphen import listing  # noqa: E402
from deepphen.arxiv import Client  # noqa: E402
from deepphen.window import Window  # noqa: E402

FIRST = dt.date(2025, 3, 1)
DAYS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=4000)
    parser.add_argument("--cap", type=int, default=3000)
    parser.add_argument("--page", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(1)
    start = dt.datetime.combine(FIRST, dt.time())
    corpus = [CorpusEntry(f"2503.{i:05d}", f"Paper {i}", ["A B"], "x", ["cs.LG"],
                          start + dt.timedelta(minutes=rng.randrange(DAYS * 1440)))
              for i in range(args.papers)]
    window = Window(FIRST, FIRST + dt.timedelta(days=DAYS - 1))
    listing.MAX_CANDIDATES = args.cap
    print("| ceiling a query | papers fetched | complete | requests | sub-windows | fewest |")
    print("|---|---|---|---|---|---|")
    for ceiling in (None, args.cap, args.cap // 3):  # None: one query, as before the split
        server = ArxivServer()
        server.corpus, server.query_cap = corpus, args.cap
        server.start()
        os.environ["DEEPPHEN_ARXIV_API_URL"] = server.url
        fake = FakeTime()
        client = Client(deadline=None, sleep=fake.sleep, clock=fake.clock)
        if ceiling is None:
            fetched = listing.fetch_candidates(client, listing.build_query(["cs.LG"], window),
                                               limit=args.cap, page_size=args.page)
        else:
            fetched = listing.fetch_window(client, ["cs.LG"], window, ceiling=ceiling,
                                           page_size=args.page)
        asked = sum(1 for r in server.requests if "search_query" in r.params)
        server.stop()
        label = ceiling or "one query (before)"
        print(f"| {label} | {len(fetched.entries)} of {args.papers} | {fetched.complete} | "
              f"{asked} | {fetched.queries} | {math.ceil(args.papers / args.page)} |")


if __name__ == "__main__":
    main()
