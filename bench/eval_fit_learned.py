"""Discriminative rankers (logistic regression, PU learning) against deepphen.fit's naive Bayes.

deepphen.fit ranks candidates by a contrastive Bernoulli naive Bayes: per word, a smoothed
log-ratio of document frequencies, catalog against listing. A discriminative model learns
the weights jointly instead: here an L2-regularised logistic regression trained at ranking
time on the catalog's papers (positives) against the listing being ranked (unlabelled,
taken as negatives: positive-unlabelled learning), on the model's own features
(``FitModel._paper_features`` / ``_entry_features``, binary, each document scaled to unit
length as the naive Bayes pools them), by stochastic gradient descent with the classes
weighted alike. The variants change what the weights start from and are pulled towards
(zero, or the naive Bayes weights: NB-LR), how the features are scaled (by the naive Bayes
log-ratios: NBSVM, Wang & Manning 2012), which candidate text the negatives carry on a
titles-only catalog (the whole text, or the title alone: like with like), whether a second
pass drops the first pass's top candidates from the negatives (the hidden positives are
among them), and whether the result is used alone, in place of the naive Bayes of the main
contrast (the title contrast and the author bonus kept), or added (z-scored, with a weight)
to the shipped evidence. Same windows as bench/eval_fit_variants.py: the catalog's papers of
a year hidden among the arXiv background in 7-day windows, seeds 0-2, mean and min
recall@10 / recall@25 per year and catalog mode; ``plain`` is ``FitModel.rank`` itself.
Pure Python, deterministic (fixed seeds, sorted features); the time is per window
(about 420 candidates; 494 or 544 catalog papers), the model's own ranking included.

    .venv/bin/python bench/eval_fit_learned.py [--variants plain nblr-swap ...] [--seeds 3]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from eval_discover import (  # bench/: this script's folder is on sys.path
    add_cell_options,
    shared_data,
    table_cells,
    window_recalls,
)
from eval_fit_variants import nb_weights, zscored

from deepphen import fit
from deepphen.arxiv import ArxivEntry
from deepphen.fit import KEYWORD_PREFIX, FitModel, word_tokens
from deepphen.models import Paper, Settings

# Knobs: ``lam`` L2 strength (per example, as in Pegasos); ``epochs``; ``prior``: the
# weights start from and are pulled towards the naive Bayes weights times this factor
# (0: towards zero); ``scale``: features scaled by the naive Bayes weights (NBSVM; the
# model's weights then start from 1 each, i.e. from the naive Bayes itself, when ``prior``
# is set); ``neg``: the negatives' text on a titles-only catalog (``full`` or ``title``);
# ``drop``: a second pass without the first pass's top k among the negatives; ``mix``:
# the result's z-score added to the shipped evidence with this weight (None: used alone,
# with the shipped author bonus; ``swap``: in place of the main contrast's evidence, on its
# scale, with the shipped title contrast and author bonus).
_LR: dict[str, Any] = {"lam": 1e-3, "epochs": 5, "prior": 0.0, "scale": False,
                       "neg": "full", "drop": 0, "mix": None}
VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {"plain": True},
    "lr": {},
    "lr-lam-1e-2": {"lam": 1e-2},
    "lr-lam-1e-4": {"lam": 1e-4},
    "lr-title-neg": {"neg": "title"},
    "lr-drop-10": {"drop": 10},
    "nblr": {"prior": 1.0},
    "nblr-lam-1e-2": {"prior": 1.0, "lam": 1e-2},
    "nblr-epochs-2": {"prior": 1.0, "epochs": 2},
    "nblr-title-neg": {"prior": 1.0, "neg": "title"},
    "nbsvm": {"scale": True, "prior": 1.0},
    "nbsvm-lam-1e-2": {"scale": True, "prior": 1.0, "lam": 1e-2},
    # The naive Bayes of the main contrast replaced by the variant's score, the title
    # contrast and the author bonus kept (``swap-check``: no training, must equal plain).
    "swap-check": {"mix": "swap", "prior": 1.0, "epochs": 0},
    "nblr-swap": {"mix": "swap", "prior": 1.0},
    "nblr-lam-1e-2-swap": {"mix": "swap", "prior": 1.0, "lam": 1e-2},
    "nblr-lam-3e-2-swap": {"mix": "swap", "prior": 1.0, "lam": 3e-2},
    "nblr-lam-1e-1-swap": {"mix": "swap", "prior": 1.0, "lam": 1e-1},
    "nbsvm-lam-1e-2-swap": {"mix": "swap", "scale": True, "prior": 1.0, "lam": 1e-2},
    "plain+lr-0.5": {"mix": 0.5},
    "plain+lr-1": {"mix": 1.0},
    "plain+lr-title-0.5": {"mix": 0.5, "neg": "title"},
    "plain+nblr-0.5": {"mix": 0.5, "prior": 1.0},
    "plain+nblr-1": {"mix": 1.0, "prior": 1.0},
    "plain+nblr-drop-0.5": {"mix": 0.5, "prior": 1.0, "drop": 10},
}


def train(docs: Sequence[tuple[list[int], list[float]]], labels: Sequence[int],
          n_features: int, *, lam: float, epochs: int, prior: Sequence[float] | None,
          seed: int = 0, rate: float = 0.5) -> tuple[list[float], float]:
    """Weights and bias of an L2-regularised logistic regression, classes weighted alike.

    ``docs``: (feature ids, values) per example. Minimises lam/2 |w - prior|^2 + the mean
    weighted log-loss by SGD with Pegasos-style steps; the weights are held as
    prior + a * v, so the L2 shrinkage costs one multiplication per step, not one per
    feature.
    """
    n = len(docs)
    n_pos = sum(labels)
    if not n_pos or n_pos == n:
        return list(prior or [0.0] * n_features), 0.0
    cost = (n / (2 * n_pos), n / (2 * (n - n_pos)))  # positives, negatives
    base = list(prior) if prior is not None else [0.0] * n_features
    from_prior = [math.fsum(base[j] * x for j, x in zip(ids, vals, strict=True))
                  for ids, vals in docs]
    v = [0.0] * n_features
    a, bias, step = 1.0, 0.0, 0
    order = list(range(n))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            step += 1
            eta = rate / (1 + lam * rate * step)
            ids, vals = docs[i]
            margin = from_prior[i] + bias + a * sum(v[j] * x for j, x in
                                                     zip(ids, vals, strict=True))
            y = labels[i]
            p = 1 / (1 + math.exp(-max(min(margin, 35.0), -35.0)))
            grad = (p - y) * cost[0 if y else 1]
            a *= 1 - eta * lam
            if a < 1e-6:  # fold the scale into v before it underflows
                v = [x * a for x in v]
                a = 1.0
            coef = eta * grad / a
            for j, x in zip(ids, vals, strict=True):
                v[j] -= coef * x
            bias -= eta * grad
    return [b + a * x for b, x in zip(base, v, strict=True)], bias


def swapped(model: FitModel, entries: Sequence[ArxivEntry], evidence: list[float]
            ) -> list[float]:
    """``evidence`` in place of the main contrast's, combined as ``FitModel.rank`` does."""
    if model.title_weight:
        titles = [tuple(word_tokens(e.title)) for e in entries]
        by_title = fit._standardized(model._contrast(model.title_freq, titles)[1])
        norm = math.sqrt(1 + model.title_weight ** 2)
        evidence = [(e + model.title_weight * t) / norm
                    for e, t in zip(evidence, by_title, strict=True)]
    return with_authors(model, entries, evidence)


def with_authors(model: FitModel, entries: Sequence[ArxivEntry], evidence: Sequence[float]
                 ) -> list[float]:
    """The evidence plus the shipped bonus for shared authors (at most two)."""
    return [ev + fit.AUTHOR_WEIGHT * min(sum(1 for a in e.authors
                                             if model.authors.papers_of(a)), 2)
            for ev, e in zip(evidence, entries, strict=True)]


def learned_ranker(catalog: list[Paper], settings: Settings, abstracts: dict[str, str],
                   knobs: dict[str, Any]) -> tuple[Any, list[float]]:
    """A ranker for one variant, and the list its per-window times are appended to."""
    model = FitModel.learn(catalog, settings, abstracts or None)
    times: list[float] = []
    if knobs.get("plain"):
        def plain(entries: Sequence[ArxivEntry]) -> list[str]:
            start = time.perf_counter()
            out = [f.entry.id for f in model.rank(entries)]
            times.append(time.perf_counter() - start)
            return out
        return plain, times
    k = {**_LR, **knobs}
    cat_docs = [model._paper_features(p, a)
                for p, a in zip(model.papers, model.abstracts, strict=True)]
    titles_only = not any(model.abstracts)

    def rank(entries: Sequence[ArxivEntry]) -> list[str]:
        start = time.perf_counter()
        shipped = {f.entry.id: f.evidence for f in model.rank(entries)}
        docs = [model._entry_features(e) for e in entries]
        if k["neg"] == "title" and titles_only:  # as FitModel._entry_features, title only
            negs = []
            for e in entries:
                found = model.phrases.find(e.title)
                negs.append({KEYWORD_PREFIX + p for p in found}
                            | word_tokens(e.title).difference(*map(word_tokens, found)))
        else:
            negs = docs
        listed: Counter[str] = Counter()
        for doc in negs:
            listed.update(doc)
        weights = nb_weights(model.doc_freq, len(model.papers), listed, len(negs))
        total = sum(listed[t] for t in weights) or 1
        mean = math.fsum(listed[t] * w for t, w in weights.items()) / total
        spread = math.sqrt(math.fsum(listed[t] * (w - mean) ** 2
                                     for t, w in weights.items()) / total) or 1.0
        nb = {t: (w - mean) / spread for t, w in weights.items()}
        vocab = {t: i for i, t in enumerate(sorted(nb))}
        scale = [abs(nb[t]) if k["scale"] else 1.0 for t in sorted(nb)]

        def encode(doc: set[str]) -> tuple[list[int], list[float]]:
            ids = sorted(vocab[t] for t in doc if t in vocab)
            norm = 1 / math.sqrt(len(ids)) if ids else 0.0
            return ids, [scale[j] * norm for j in ids]

        if k["scale"]:
            prior = [math.copysign(k["prior"], nb[t]) for t in sorted(nb)] if k["prior"] \
                else None
        else:
            prior = [k["prior"] * nb[t] for t in sorted(nb)] if k["prior"] else None
        pos = [encode(d) for d in cat_docs]
        neg = [encode(d) for d in negs]
        scored_docs = neg if negs is docs else [encode(d) for d in docs]

        def fit_and_score(keep: Sequence[int]) -> list[float]:
            w, _b = train([*pos, *(neg[i] for i in keep)], [1] * len(pos) + [0] * len(keep),
                          len(vocab), lam=k["lam"], epochs=k["epochs"], prior=prior)
            return [math.fsum(w[j] * x for j, x in zip(ids, vals, strict=True))
                    if ids else -math.inf for ids, vals in scored_docs]

        scores = fit_and_score(range(len(neg)))
        if k["drop"]:
            top = set(sorted(range(len(entries)), key=lambda i: (-scores[i],
                                                                  entries[i].id))[:k["drop"]])
            scores = fit_and_score([i for i in range(len(neg)) if i not in top])
        z = zscored(scores)
        if k["mix"] == "swap":
            final = swapped(model, entries, scores)
        elif k["mix"] is None:
            final = with_authors(model, entries, z)
        else:
            final = [shipped[e.id] + k["mix"] * zi for zi, e in zip(z, entries, strict=True)]
        order = sorted(range(len(entries)), key=lambda i: (-final[i], entries[i].id))
        times.append(time.perf_counter() - start)
        return [entries[i].id for i in order]

    return rank, times


def measure(papers: list[Paper], settings: Settings, background: list[ArxivEntry],
            name: str, *, years: Sequence[int], modes: Sequence[str], seeds: int,
            days: int) -> tuple[list[str], list[float], list[float], float]:
    """Cells (mean (min) R@10 / R@25 per year and mode), every window's R@10 and R@25 in
    order, and the mean time per window."""
    cells = []
    times: list[float] = []
    all10: list[float] = []
    all25: list[float] = []
    for catalog, hidden, given in table_cells(papers, years, modes):
        rank, spent = learned_ranker(catalog, settings, given, VARIANTS[name])
        r10, r25, _ = window_recalls(rank, background, hidden, days=days, seeds=seeds)
        times.extend(spent)
        all10 += r10
        all25 += r25
        cells.append(f"{statistics.mean(r10):.2f} / {statistics.mean(r25):.2f} "
                     f"({min(r10):.2f} / {min(r25):.2f})")
    return cells, all10, all25, statistics.mean(times)


def paired(ours: Sequence[float], base: Sequence[float]) -> str:
    """Windows better / worse than ``plain`` (the same windows: a paired count)."""
    up = sum(1 for a, b in zip(ours, base, strict=True) if a > b)
    down = sum(1 for a, b in zip(ours, base, strict=True) if a < b)
    return f"+{up} -{down}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    add_cell_options(parser)
    args = parser.parse_args(argv)
    data = shared_data()
    if data is None:
        return 0
    papers, settings, background = data
    heads = [f"{y} {m}" for y in args.years for m in args.modes]
    print(f"{args.days}-day windows, seeds 0-{args.seeds - 1}; mean R@10 / R@25 (min); "
          "time per window\n")
    print("| variant | " + " | ".join(heads) + " | windows vs plain, R@10; R@25 | time |")
    print("|---|" + "---|" * len(heads) + "---|---|")
    base = None
    for name in ["plain", *(n for n in args.variants if n != "plain")]:
        cells, r10, r25, spent = measure(papers, settings, background, name, years=args.years,
                                         modes=args.modes, seeds=args.seeds, days=args.days)
        if base is None:
            base = (r10, r25)
            if "plain" not in args.variants:
                continue
        versus = f"{paired(r10, base[0])}; {paired(r25, base[1])}" if name != "plain" else "-"
        print(f"| {name} | " + " | ".join(cells) + f" | {versus} | {spent:.2f} s |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
