"""Time and memory of ranking arXiv candidates by fit (deepphen.fit), the fetching aside.

Budgets (issue 10): 5,000 candidates against a 600-paper catalog within 2 s and 200 MiB
peak; against a 10,000-paper catalog within 5 s. Catalogs come from bench/generate.py (fixed
seed); the candidates are generated papers too (a title, authors, and three digests joined
as an abstract of arXiv length, ~170 words), drawn with another seed so that they overlap
the catalog's vocabulary as real listings do. Each measurement runs in a fresh process:
``import deepphen.fit``, learn from the catalog (with its digests as the abstracts that
discover may fetch, the costlier mode), rank all candidates, and touch the explanation and
suggestions of the top 25 (what ``discover --limit 25`` shows); ``--titles-only`` learns from
titles, key words and authors alone, which adds the contrast of titles against the
candidates' titles (a fresh clone, or an API that does not know the catalog's papers).
Reported: the median wall
and CPU seconds of learn + rank + top-25 details over ``--runs``, and the process's peak RSS.

Usage:
    .venv/bin/python bench/bench_fit.py [--sizes 600 10000] [--candidates 5000] [--runs 3]
        [--titles-only]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUDGETS = {600: 2.0, 10_000: 5.0}
MEMORY_BUDGET_MIB = 200


def candidates(count: int, seed: int = 7) -> list:
    """``count`` generated arXiv entries with abstracts of arXiv length."""
    import datetime as dt
    import random

    import generate  # bench/generate.py: this script's folder is on sys.path

    from deepphen.arxiv import ArxivEntry

    rng = random.Random(seed)
    used: set[str] = set()
    out = []
    for i in range(count):
        parts = [generate.make_paper(rng, i, used) for _ in range(3)]
        out.append(ArxivEntry(
            id=f"2505.{i:05d}", version=1, title=parts[0].title, authors=parts[0].authors,
            published=dt.date(2025, 5, 1 + i % 28),
            summary=" ".join(p.digest or "" for p in parts), categories=["cs.LG"]))
    return out


def child(size: int, count: int, titles_only: bool = False) -> None:
    """One measurement, in this process; prints JSON on stdout."""
    import generate

    settings, papers = generate.generate(size)
    for p in papers:
        p.key = p.arxiv or ""
    abstracts = {} if titles_only else {p.key: p.digest or "" for p in papers}
    for p in papers:
        p.digest = None  # the shipped catalog has none: abstracts come from discover's cache
    entries = candidates(count)
    cpu0, start = time.process_time(), time.perf_counter()
    from deepphen.fit import FitModel

    model = FitModel.learn(papers, settings, abstracts)
    learnt = time.perf_counter() - start
    fits = model.rank(entries)
    ranked = time.perf_counter() - start
    for fit in fits[:25]:
        fit.explain()
        _ = fit.why, fit.suggested_sections, fit.suggested_keywords
    total = time.perf_counter() - start
    print(json.dumps({"learn": learnt, "rank": ranked - learnt, "details": total - ranked,
                      "total": total, "cpu": time.process_time() - cpu0}))


def measure(size: int, count: int, titles_only: bool = False) -> tuple[dict, float]:
    """(timings, peak MiB) of one child process."""
    flags = ["--titles-only"] if titles_only else []
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(size), str(count),
                             *flags],
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(HERE)})
    out = proc.stdout.read() if proc.stdout else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the measuring process failed for {size} papers")
    return json.loads(out), usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 10_000])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--titles-only", action="store_true",
                        help="the catalog without abstracts (the title contrast added)")
    parser.add_argument("--child", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child, titles_only=args.titles_only)
        return 0
    print("| catalog | candidates | learn | rank | top-25 details | total (median) | CPU "
          "| budget | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|")
    failed = False
    for size in args.sizes:
        runs = [measure(size, args.candidates, args.titles_only) for _ in range(args.runs)]
        mid = {k: statistics.median(r[k] for r, _ in runs)
               for k in ("learn", "rank", "details", "total", "cpu")}
        peak = max(m for _, m in runs)
        budget = BUDGETS.get(size)
        failed |= bool(budget and mid["total"] > budget) or (size <= 600
                                                            and peak > MEMORY_BUDGET_MIB)
        print(f"| {size:,} | {args.candidates:,} | {mid['learn']:.2f} s | {mid['rank']:.2f} s "
              f"| {mid['details']:.2f} s | {mid['total']:.2f} s | {mid['cpu']:.2f} s "
              f"| {f'{budget:.0f} s' if budget else '-'} | {peak:.0f} MiB |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
