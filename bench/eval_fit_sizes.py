"""How discover's scores depend on the size of the listing they are ranked in.

The model learns what is ordinary on arXiv from the listing itself, so a small listing (a
narrow category, a short window) gives it little to contrast against. For each listing size,
three of the list's papers of 2025 (as eval_discover.py gives them: title, authors, digest)
are ranked among that many papers drawn from the background (all of it, or its cs.LG and
stat.ML part), six draws a size; printed: the hidden papers' median score and their mean
rank as a share of the listing. Needs ../shared (prints "skipped" without it).

    .venv/bin/python bench/eval_fit_sizes.py
"""

from __future__ import annotations

import random
import statistics

from eval_discover import ML_CATEGORIES, shared_data, table_cells

from deepphen.fit import FitModel

SIZES = (10, 25, 50, 100, 200, 400, 800)
DRAWS = 6
HIDDEN = 3


def main() -> int:
    """Print one line per background part and listing size."""
    data = shared_data()
    if data is None:
        return 0
    papers, settings, background = data
    parts = {"all": background,
             "cs.LG+stat.ML": [e for e in background if ML_CATEGORIES & set(e.categories)]}
    for catalog, hidden, abstracts in table_cells(papers, [2025], ["titles"]):
        model = FitModel.learn(catalog, settings, abstracts or None)
        print("| background | listing | median score of the hidden | mean rank / listing |")
        print("|---|---:|---:|---:|")
        for name, pool in parts.items():
            for size in SIZES:
                scores, ranks = [], []
                for draw in range(DRAWS):
                    rng = random.Random(draw)
                    fits = model.rank(rng.sample(pool, size) + rng.sample(hidden, HIDDEN))
                    for place, fit in enumerate(fits):
                        if fit.entry.id.startswith("hidden:"):
                            scores.append(fit.score)
                            ranks.append(place / len(fits))
                print(f"| {name} | {size} | {statistics.median(scores):.2f} "
                      f"| {statistics.mean(ranks):.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
