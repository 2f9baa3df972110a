"""How well ``deepphen.fit`` finds the papers that belong in the list among new arXiv papers.

The catalog's papers of one year are hidden (the positives) and ranked among real arXiv
papers of 2025-03..06 (../shared/data/arxiv-background, see its SOURCE.md) by a model learnt
from the catalog's OLDER papers only (the catalog as it stood before that year). The
background is cut by published date into windows (a week or two of listings each) and the
positives are dealt among the windows at random (fixed seeds); each window is ranked on its
own, as ``discover`` ranks one fetch, and recall@10 and recall@25 are reported per window
(min and mean over windows and seeds), next to a plain TF-IDF nearest-neighbour baseline.

A hidden paper needs text comparable to an arXiv abstract: the list page's digest of the
paper (close to its abstract) stands in for it, here and nowhere else. Two modes:
``titles``: the catalog's titles, key words and authors only (what a fresh clone has);
``abstracts``: plus the digests of the catalog's papers, standing in for the abstracts that
discover can fetch. Candidates never carry key words (arXiv has none).

    .venv/bin/python bench/eval_discover.py [--years 2025 2024] [--seeds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import math
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from eval_suggest import DEFAULT as LIST_PAGE  # bench/: this script's folder is on sys.path
from eval_suggest import load

from deepphen.arxiv import ArxivEntry
from deepphen.fit import FitModel
from deepphen.models import Paper, Settings

BACKGROUND = (Path(__file__).resolve().parents[2]
              / "shared/data/arxiv-background/arxiv-2025-03-to-06.jsonl.gz")
ML_CATEGORIES = {"cs.LG", "stat.ML"}

Ranker = Callable[[Sequence[ArxivEntry]], list[str]]


def read_background(path: Path, *, ml_only: bool,
                    lengths: Sequence[int] = ()) -> list[ArxivEntry]:
    """The background papers as arXiv entries, optionally only those in cs.LG or stat.ML.

    With ``lengths`` each abstract is cut to its first N words, N drawn from ``lengths`` (the
    digests' lengths): the hidden papers' digests are shorter than abstracts (median 76 words
    against 173), and a ranking that favours short texts would otherwise look better here
    than it is on real listings, where the papers to find have full abstracts too.
    """
    rng = random.Random(5)
    entries = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if ml_only and not ML_CATEGORIES & set(row["categories"]):
                continue
            summary = row["summary"]
            if lengths:
                summary = " ".join(summary.split()[:rng.choice(lengths)])
            entries.append(ArxivEntry(
                id=row["id"], version=1, title=row["title"], authors=row["authors"],
                published=dt.date.fromisoformat(row["published"][:10]), summary=summary,
                primary_category=row["categories"][0], categories=row["categories"]))
    return entries


def as_entry(paper: Paper) -> ArxivEntry:
    """A hidden paper as discover would see it: title, authors, digest as the abstract."""
    return ArxivEntry(id=f"hidden:{paper.key or paper.arxiv}", version=1, title=paper.title,
                      authors=list(paper.authors), published=None, summary=paper.digest or "")


def windows(background: list[ArxivEntry], positives: list[ArxivEntry], days: int,
            seed: int) -> list[list[ArxivEntry]]:
    """Background cut into windows of ``days`` by published date, positives dealt at random."""
    start = min(e.published for e in background if e.published)
    cut: dict[int, list[ArxivEntry]] = defaultdict(list)
    for e in background:
        cut[(e.published - start).days // days].append(e)
    out = [cut[k] for k in sorted(cut)]
    if len(out) > 1 and len(out[-1]) < len(out[-2]) / 3:  # a stub at the end joins the last
        out[-2].extend(out.pop())
    rng = random.Random(seed)
    shuffled = positives[:]
    rng.shuffle(shuffled)
    out = [w[:] for w in out]
    for i, p in enumerate(shuffled):
        out[i % len(out)].append(p)
    for w in out:
        rng.shuffle(w)  # the order of the fetch must not matter
    return out


_WORD = re.compile(r"[a-z][a-z0-9]+")


def tfidf_baseline(catalog: list[Paper], abstracts: dict[str, str]) -> Ranker:
    """Plain TF-IDF (unigrams, IDF over catalog) max-cosine nearest neighbour."""
    def vec(text: str, idf: dict[str, float]) -> dict[str, float]:
        counts = Counter(w for w in _WORD.findall(text.lower()) if w in idf)
        v = {w: (1 + math.log(c)) * idf[w] for w, c in counts.items()}
        n = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / n for w, x in v.items()}

    texts = [f"{p.title} {' '.join(p.keywords)} {abstracts.get(p.key, '')}" for p in catalog]
    df = Counter(w for t in texts for w in set(_WORD.findall(t.lower())))
    idf = {w: math.log((len(texts) + 1) / (c + 1)) + 1 for w, c in df.items()}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, t in enumerate(texts):
        for w, x in vec(t, idf).items():
            postings[w].append((i, x))

    def rank(entries: Sequence[ArxivEntry]) -> list[str]:
        scored = []
        for e in entries:
            sims: dict[int, float] = defaultdict(float)
            for w, x in vec(f"{e.title} {e.summary}", idf).items():
                for i, y in postings[w]:
                    sims[i] += x * y
            scored.append((max(sims.values(), default=0.0), e.id))
        return [i for _, i in sorted(scored, key=lambda s: (-s[0], s[1]))]
    return rank


def fit_ranker(catalog: list[Paper], settings: Settings, abstracts: dict[str, str]) -> Ranker:
    model = FitModel.learn(catalog, settings, abstracts or None)
    return lambda entries: [f.entry.id for f in model.rank(entries)]


RANKERS: dict[str, Callable[[list[Paper], Settings, dict[str, str]], Ranker]] = {
    "tfidf-nn": lambda c, s, a: tfidf_baseline(c, a),
    "fit": fit_ranker,
}


def recalls(ranked: list[str], positive: set[str]) -> tuple[float, float]:
    """recall@10 and recall@25 of one window."""
    return (len(positive & set(ranked[:10])) / len(positive),
            len(positive & set(ranked[:25])) / len(positive))


def window_recalls(rank: Ranker, background: list[ArxivEntry], hidden: list[ArxivEntry], *,
                   days: int, seeds: int) -> tuple[list[float], list[float], list[int]]:
    """recall@10, recall@25 and size of every window of every seed, in order."""
    r10: list[float] = []
    r25: list[float] = []
    sizes: list[int] = []
    for seed in range(seeds):
        for window in windows(background, hidden, days, seed):
            positive = {e.id for e in window if e.id.startswith("hidden:")}
            a, b = recalls(rank(window), positive)
            r10.append(a)
            r25.append(b)
            sizes.append(len(window))
    return r10, r25, sizes


def evaluate(papers: list[Paper], settings: Settings, background: list[ArxivEntry], *,
             year: int, mode: str, days: int, seeds: int, rankers: Sequence[str]) -> list[str]:
    """Table rows (markdown) for one hidden year, catalog mode and window length."""
    catalog = [p for p in papers if p.year < year]
    hidden = [as_entry(p) for p in papers if p.year == year and p.digest]
    abstracts = {p.key: p.digest for p in catalog if p.digest} if mode == "abstracts" else {}
    rows = []
    for name in rankers:
        start = time.perf_counter()
        rank = RANKERS[name](catalog, settings, abstracts)
        r10, r25, sizes = window_recalls(rank, background, hidden, days=days, seeds=seeds)
        rows.append(
            f"| {year} | {mode} | {days} d | {min(sizes)}-{max(sizes)} | {len(hidden)} | {name} "
            f"| {min(r10):.2f} | {statistics.mean(r10):.2f} | {min(r25):.2f} "
            f"| {statistics.mean(r25):.2f} | {time.perf_counter() - start:.1f} s |")
    return rows


def add_cell_options(parser: argparse.ArgumentParser) -> None:
    """The options of a variants table: hidden years, catalog modes, seeds, window length."""
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2024])
    parser.add_argument("--modes", nargs="+", default=["titles", "abstracts"],
                        choices=["titles", "abstracts"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--days", type=int, default=7)


def table_cells(papers: list[Paper], years: Sequence[int], modes: Sequence[str]
                ) -> Iterator[tuple[list[Paper], list[ArxivEntry], dict[str, str]]]:
    """(catalog, hidden papers, catalog abstracts) per year and catalog mode, in order."""
    for year in years:
        catalog = [p for p in papers if p.year < year]
        hidden = [as_entry(p) for p in papers if p.year == year and p.digest]
        for mode in modes:
            yield catalog, hidden, ({p.key: p.digest for p in catalog if p.digest}
                                    if mode == "abstracts" else {})


def shared_data() -> tuple[list[Paper], Settings, list[ArxivEntry]] | None:
    """The list and the background, abstracts cut to the digests' lengths.

    None, having printed why, when the shared data folder is absent (a fresh clone).
    """
    if not BACKGROUND.exists() or not LIST_PAGE.exists():
        print(f"skipped: needs {BACKGROUND} and {LIST_PAGE} (the shared data folder)")
        return None
    papers, settings = load(LIST_PAGE)
    lengths = [len(p.digest.split()) for p in papers if p.digest]
    return papers, settings, read_background(BACKGROUND, ml_only=False, lengths=lengths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2024])
    parser.add_argument("--modes", nargs="+", default=["titles", "abstracts"])
    parser.add_argument("--days", type=int, nargs="+", default=[7, 14])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--ml-only", action="store_true",
                        help="background of cs.LG/stat.ML papers only (harder negatives)")
    parser.add_argument("--full-abstracts", action="store_true",
                        help="do not cut the background's abstracts to the digests' lengths")
    parser.add_argument("--rankers", nargs="+", default=list(RANKERS), choices=list(RANKERS))
    args = parser.parse_args(argv)
    if not BACKGROUND.exists() or not LIST_PAGE.exists():
        print(f"skipped: needs {BACKGROUND} and {LIST_PAGE} (the shared data folder)")
        return 0
    papers, settings = load(LIST_PAGE)
    lengths = [] if args.full_abstracts else [len(p.digest.split()) for p in papers if p.digest]
    background = read_background(BACKGROUND, ml_only=args.ml_only, lengths=lengths)
    print(f"background: {len(background)} papers"
          f"{' (cs.LG/stat.ML only)' if args.ml_only else ''}, abstracts "
          f"{'in full' if args.full_abstracts else 'cut to the digests lengths'}; "
          f"list: {len(papers)} papers\n")
    print("| hidden | catalog | window | candidates | positives | ranker | R@10 min | R@10 mean "
          "| R@25 min | R@25 mean | time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for year in args.years:
        for mode in args.modes:
            for days in args.days:
                for row in evaluate(papers, settings, background, year=year, mode=mode,
                                    days=days, seeds=args.seeds, rankers=args.rankers):
                    print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
