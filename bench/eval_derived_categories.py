"""Which arXiv categories to derive from a catalog: rules tried on real categories.

``discover`` asks, for a catalog with no ``[discover] categories``, the categories its papers
are in (catalog_meta.derived_categories). The list records no categories, so this measures the
rule on papers whose categories are known: the arXiv background
(../shared/data/arxiv-background, primary category first, then cross-lists). Each topic (a
phrase in the title or abstract) stands in for a catalog: its papers listed before CUT are
the catalog, those listed from CUT on are the new papers a weekly run should fetch. A rule
gives the categories to ask from the catalog's categories; the category query
(``cat:A OR cat:B ...``) fetches a new paper when one of its categories, primary or cross-list,
is asked. Reported per rule: the share of the new papers fetched (mean over topics, and the
worst topic) and the number of categories asked (each one a listing more to page through on
arXiv). The background is the listings of cs.CV, cs.CL, cs.AI and a few others (a cs.LG
paper is there only when cross-listed into one of them), so a rule's share here says how
well it follows a topic's spread over categories, not how large its listings are.

    .venv/bin/python bench/eval_derived_categories.py [--cut 2025-05-10] [--topics]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deepphen.catalog_meta import CatalogMeta, derived_categories  # noqa: E402
from deepphen.discover import DEFAULT_CATEGORIES  # noqa: E402
from deepphen.models import Paper  # noqa: E402

BACKGROUND = ROOT.parent / "shared/data/arxiv-background/arxiv-2025-03-to-06.jsonl.gz"
CUT = "2025-05-10"  # about half the background's days on each side
MIN_PAPERS = 20  # a topic needs this many papers on each side of the cut

# Topics across the background's fields, not only this list's: the rule must serve any catalog.
TOPICS = {
    "in-context learning": r"in-context learning",
    "interpretability": r"interpretab",
    "grokking, memorization": r"grokking|memoriz",
    "diffusion models": r"diffusion model",
    "graph neural networks": r"graph neural network",
    "reinforcement learning": r"reinforcement learning",
    "federated learning": r"federated",
    "adversarial robustness": r"adversarial (?:attack|robust|example)",
    "privacy": r"privacy",
    "retrieval augmentation": r"retrieval-augmented|\brag\b",
    "gaussian splatting": r"gaussian splatting",
    "medical segmentation": r"medical image segmentation",
    "speech": r"\bspeech\b",
    "hallucination": r"hallucinat",
    "knowledge distillation": r"knowledge distillation",
    "continual learning": r"continual learning|catastrophic forgetting",
    "pruning, sparsity": r"pruning|sparsit",
    "uncertainty": r"uncertainty quantification|calibration",
    "time series": r"time series|forecasting",
    "robot policies": r"robot|manipulation policy",
    "recommendation": r"recommend",
    "quantization": r"quantiz",
    "reasoning": r"chain-of-thought|reasoning model",
    "fairness, bias": r"fairness|\bbias(?:es)?\b",
    "agents": r"\bagents?\b",
    "vision-language": r"vision-language|multimodal large language",
}

Rule = Callable[[Sequence[list[str]]], list[str]]


def now(cats: Sequence[list[str]]) -> list[str]:
    """The rule discover has (deepphen.catalog_meta.derived_categories)."""
    papers = [Paper(title=f"p{i}", authors=["A"], year=2025, section="s", arxiv=f"2503.{i:05d}")
              for i in range(len(cats))]
    meta = CatalogMeta(categories={p.arxiv or "": c for p, c in zip(papers, cats, strict=True)})
    return derived_categories(papers, meta)


def any_share(share: float, cap: int = 8) -> Rule:
    """Cross-lists counted: a category counts when ``share`` of the papers carry it at all."""
    def rule(cats: Sequence[list[str]]) -> list[str]:
        counts = Counter(c for paper in cats for c in dict.fromkeys(paper))
        return [c for c, n in counts.most_common() if n >= share * len(cats)][:cap]
    return rule


def cover(share: float, cap: int = 8) -> Rule:
    """Greedy cover: the category that fetches most papers not yet fetched, while it fetches
    at least ``share`` of them (and two) more."""
    def rule(cats: Sequence[list[str]]) -> list[str]:
        left, out = [set(paper) for paper in cats], []
        while left and len(out) < cap:
            counts = Counter(c for paper in left for c in paper)
            best, n = min(counts.items(), key=lambda item: (-item[1], item[0]))
            if out and n < max(share * len(cats), 2):
                break
            out.append(best)
            left = [paper for paper in left if best not in paper]
        return out
    return rule


def with_default(rule: Rule) -> Rule:
    """The rule's categories and discover's default ones (cs.LG, stat.ML, cs.AI, cs.CL)."""
    return lambda cats: list(dict.fromkeys([*rule(cats), *DEFAULT_CATEGORIES]))


RULES: dict[str, Rule] = {
    "primary >= 5 % (now)": now,
    "primary >= 5 % + the default four": with_default(now),
    "any >= 5 % (cross-lists counted)": any_share(0.05),
    "any >= 10 %": any_share(0.10),
    "any >= 20 %": any_share(0.20),
    "greedy cover, >= 2 % more": cover(0.02),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cut", default=CUT, help="the catalog is the papers listed before it")
    parser.add_argument("--topics", action="store_true", help="a row per topic and rule too")
    args = parser.parse_args(argv)
    if not BACKGROUND.exists():
        print(f"skipped: needs {BACKGROUND} (the shared data folder)")
        return 0
    with gzip.open(BACKGROUND, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    fetched: dict[str, list[float]] = {name: [] for name in RULES}
    asked: dict[str, list[int]] = {name: [] for name in RULES}
    if args.topics:
        print("| topic | catalog | new | rule | asked | new fetched |")
        print("|---|---:|---:|---|---|---:|")
    for topic, pattern in TOPICS.items():
        found = re.compile(pattern, re.IGNORECASE)
        papers = [r for r in rows if found.search(f"{r['title']} {r['summary']}")]
        catalog = [r["categories"] for r in papers if r["published"] < args.cut]
        new = [set(r["categories"]) for r in papers if r["published"] >= args.cut]
        if min(len(catalog), len(new)) < MIN_PAPERS:
            continue
        for name, rule in RULES.items():
            chosen = rule(catalog)
            share = sum(1 for cats in new if cats & set(chosen)) / len(new)
            fetched[name].append(share)
            asked[name].append(len(chosen))
            if args.topics:
                print(f"| {topic} | {len(catalog)} | {len(new)} | {name} | {' '.join(chosen)} "
                      f"| {share:.2f} |")
    topics = len(next(iter(fetched.values())))
    print(f"\n{topics} topics, catalog before {args.cut}, new papers from it on\n")
    print("| rule | new papers fetched, mean | worst topic | categories asked, mean | most |")
    print("|---|---:|---:|---:|---:|")
    for name in RULES:
        print(f"| {name} | {statistics.mean(fetched[name]):.3f} | {min(fetched[name]):.2f} "
              f"| {statistics.mean(asked[name]):.1f} | {max(asked[name])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
