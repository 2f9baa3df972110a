"""Variants of deepphen.fit's ranking, measured on bench/eval_discover.py's windows.

Each variant changes one thing in the contrastive naive Bayes of deepphen.fit as a past
session shipped it: ``second-session`` (no title contrast) is the base of the third session's
variants, ``third-session`` (title contrast; key words counted with their own words) the base
of the fourth's. A variant changes how the weights are cut, how a candidate's words are
pooled, what the catalog papers carry, adds a second channel or a second pass; each is scored
like the model: the catalog's papers of a year hidden among the arXiv background in 7-day
windows, seeds 0-2, mean and min recall@10 / recall@25 per year and catalog mode (``titles``:
titles, key words, authors; ``abstracts``: plus the list's digests standing in for the
catalog papers' abstracts, evaluation only). ``plain`` is ``FitModel.rank`` itself; ``knobs``
is this script's re-implementation of it with every knob at the shipped value, which must
give the same figures (it checks the re-implementation).

The ``lsa-*`` and ``local-*`` variants need numpy (not a deepphen dependency); they are
skipped without it.

    .venv/bin/python bench/eval_fit_variants.py [--variants plain title-0.5 ...] [--seeds 3]
                                                [--days 7] [--met]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from eval_discover import (  # bench/: this script's folder is on sys.path
    BACKGROUND,
    LIST_PAGE,
    as_entry,
    load,
    read_background,
    window_recalls,
)

from deepphen import fit
from deepphen.arxiv import ArxivEntry
from deepphen.fit import KEYWORD_PREFIX, FitModel
from deepphen.models import Paper, Settings
from deepphen.vocab import fold, keyword_norm

# The variants of the third session were each measured against the second session's model
# (no title contrast: ``second-session``), those of the fourth against the third's
# (``third-session``: key words counted with their own words); ``knobs`` re-implements the
# shipped model and must agree with ``plain``.
# Until the fifth session, an author was the catalog's when surname and first initial agreed,
# and weighed 0.5 (``initials``).
_INITIALS: dict[str, Any] = {"authors": "initials", "author_weight": 0.5}
_BASE: dict[str, Any] = {"title": 0.0, "covers": False, "pairs": True, **_INITIALS}
_THIRD: dict[str, Any] = {"covers": False, "pairs": True, **_INITIALS}
_FOURTH: dict[str, Any] = {"pairs": True, **_INITIALS}  # key words once, word pairs still in
VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {"plain": True},
    "knobs": {},
    "second-session": _BASE,
    "third-session": _THIRD,
    "fourth-session": _INITIALS,
    # The catalog's texts are titles: a second contrast of catalog titles against the
    # listing's titles, its z-score added with this weight (not divided by the norm).
    "title-0.25": {"title": 0.25},
    "title-0.5": {"title": 0.5},
    "title-1": {"title": 1.0},
    # Pseudo-relevance feedback: the first pass's top k count as extra catalog papers (weight b).
    "prf-10-0.5": {**_BASE, "prf": (10, 0.5)},
    "prf-20-0.3": {**_BASE, "prf": (20, 0.3)},
    # Word weights clipped to [lo, hi] before centring (LLM words weigh far below zero).
    "clip-neg-2": {**_BASE, "clip": (-2.0, math.inf)},
    "clip-neg-1": {**_BASE, "clip": (-1.0, math.inf)},
    "clip-1.5-4": {**_BASE, "clip": (-1.5, 4.0)},
    "headings": {**_BASE, "headings": True},  # each catalog paper carries its section's heading
    "stem-6": {**_BASE, "stem": 6},
    "stem-8": {**_BASE, "stem": 8},
    "keywords-x2": {**_BASE, "keyword_factor": 2.0},
    "keywords-x0.5": {**_BASE, "keyword_factor": 0.5},
    "authors-1": {**_BASE, "author_weight": 1.0},
    "authors-0.25": {**_BASE, "author_weight": 0.25},
    # The pooled evidence divided by n ** power (0.5 ships: a z-score).
    "length-0.35": {**_BASE, "power": 0.35},
    "length-0.65": {**_BASE, "power": 0.65},
    # Latent semantic analysis of catalog and listing (binary TF-IDF, 100 dimensions): the
    # z-scored mean cosine to the five nearest catalog papers (or to the catalog's centroid)
    # added with this weight.
    "lsa-0.5": {**_BASE, "lsa": 0.5},
    "lsa-1": {**_BASE, "lsa": 1.0},
    "lsa-centroid-0.5": {**_BASE, "lsa": 0.5, "lsa_centroid": True},
    # The catalog as a mixture of its sections: the same contrast per section (sections of
    # at least 8 papers), z-scored over the listing; the best section's z combined with the
    # whole catalog's evidence ("max": the larger of the two; a number: added with that weight).
    # Titles-only catalogs: each catalog title borrows the features of the k listed papers
    # whose titles are nearest to it (IDF-weighted shared title words), with weight b: the
    # listing as a dictionary from title words to abstract words.
    "expand-5-0.5": {**_THIRD, "expand": (5, 0.5)},
    "expand-10-0.3": {**_THIRD, "expand": (10, 0.3)},
    "expand-3-1": {**_THIRD, "expand": (3, 1.0)},
    # Recent catalog papers count more: a paper's weight halves every h years before the
    # catalog's latest year (the list's wording drifts: "deep neural networks" then, LLMs now).
    "recency-2": {**_THIRD, "recency": 2.0},
    "recency-4": {**_THIRD, "recency": 4.0},
    "recency-8": {**_THIRD, "recency": 8.0},
    # Smoothing: more pseudo-documents per class, or more documents before a word counts.
    "alpha-2": {**_THIRD, "set": {"ALPHA": 2.0}},
    "alpha-4": {**_THIRD, "set": {"ALPHA": 4.0}},
    "min-docs-3": {**_THIRD, "set": {"MIN_DOCS": 3}},
    "min-docs-5": {**_THIRD, "set": {"MIN_DOCS": 5}},
    # A key word spelt out stands for its words: the words and word pairs it covers are
    # dropped from the text's features ("sharpness aware minimization" counts once, not 6x).
    "kw-covers": _FOURTH,
    "kw-covers-pairs": {**_THIRD, "covers": "pairs"},  # only the word pairs it covers dropped
    "no-kw-features": {**_THIRD, "covers": "kw"},  # the key words' own features dropped instead
    # No adjacent-word pairs in the main contrast (``no-pairs``), nor in the title contrast
    # (``no-pairs-titles``: shipped since, equal to ``knobs``); on top of ``kw-covers``.
    "no-pairs": {"pairs": "titles", **_INITIALS},
    "no-pairs-titles": _INITIALS,
    # Of key words nested in one another ("lottery ticket" in "lottery ticket hypothesis"),
    # only the longest spelt out counts.
    "kw-longest": {"longest": True, **_INITIALS},
    "sections-max": {**_THIRD, "sections": "max"},
    "sections-0.5": {**_THIRD, "sections": 0.5},
    "sections-1": {**_THIRD, "sections": 1.0},
    # Fifth round, on ``fourth-session``: who counts as a catalog author, and how much. An
    # author is the catalog's when surname and given name agree, an initial agreeing with the
    # names it begins (``authors-names-*``; shipped: ``authors-names-1``, equal to ``knobs``),
    # or, as before, surname and first initial (``authors-initials-*``).
    "authors-none": {"author_weight": 0.0},
    "authors-initials-1": {**_INITIALS, "author_weight": 1.0},
    "authors-names-0.5": {"author_weight": 0.5},
    "authors-names-1": {},
    "authors-names-1.5": {"author_weight": 1.5},
    "authors-names-2": {"author_weight": 2.0},
    # A shared author weighed like a word: the log-ratio of the catalog papers they signed
    # and of the other listed papers signed by that name, the best two summed, times b.
    "authors-contrast-0.5": {"author_contrast": 0.5},
    "authors-contrast-1": {"author_contrast": 1.0},
    # A word the catalog never uses, but rarer in the listing than its average word, weighs
    # above zero once centred: at most zero (``unseen-min``) or zero (``unseen-zero``); or no
    # centring, the mean of the uncentred weights (``rawmean``).
    "unseen-min": {"unseen": "min"},
    "unseen-zero": {"unseen": "zero"},
    "rawmean": {"unseen": "rawmean"},
    # Sixth round, on the shipped model. A candidate's evidence minus b times the mean
    # evidence of its k nearest listed papers (IDF-weighted cosine of their words): a paper
    # measured against its own neighbourhood, so that an LLM-behaviour paper need only
    # stand out among LLM papers, not among all.
    "local-10-0.3": {"local": (10, 0.3)},
    "local-10-0.5": {"local": (10, 0.5)},
    "local-20-0.5": {"local": (20, 0.5)},
    # A shared author's bonus divided by the square root of the listed papers signed by
    # that name (a prolific or common name lifts fewer of them), times w.
    "authors-damped-1": {"author_damped": 1.0},
    "authors-damped-1.5": {"author_damped": 1.5},
    # Seventh round, on the shipped model: how a title is written, as features of the main
    # contrast (and, ``-both``, of the title contrast): the function words of the title
    # (dropped from the words), a one-word name before a colon ("Name: a method for ..."),
    # another colon, a question mark; their weights times f.
    "style-1": {"style": 1.0},
    "style-0.5": {"style": 0.5},
    "style-2": {"style": 2.0},
    "style-both-1": {"style": 1.0, "style_titles": True},
    # The same title features as a channel of their own: their contrast's z-score (catalog
    # titles against listed titles) added to the evidence with weight w.
    "style-channel-0.3": {"style_channel": 0.3},
    "style-channel-0.5": {"style_channel": 0.5},
    "style-channel-1": {"style_channel": 1.0},
    "style-channel-1.5": {"style_channel": 1.5},
    # Eighth round, on the shipped model: how often a candidate says a word. The weights stay
    # those of document frequencies; a candidate's words are pooled with multiplicities
    # m = g(count in title and abstract), sum(m * centred weight) / sqrt(sum m^2) (still a
    # z-score): a paper that says "generalization" four times is about it, one that says it
    # once uses it. ``tf-log``: g = 1 + ln(count); ``tf-sqrt``: g = sqrt(count); ``tf-sat``:
    # BM25's saturation, count * 2.2 / (count + 1.2).
    "tf-log": {"tf": "log"},
    "tf-sqrt": {"tf": "sqrt"},
    "tf-sat": {"tf": "sat"},
    # A title that echoes a catalog title: a run of n words (function words kept, not all of
    # them function words) that some catalog title has and at most ``rare`` listed titles
    # have ("are not biased towards texture", "the edge of stability"): a follow-up or a
    # reply; b per echo, at most ``cap``.
    "echo-2-0.5": {"echo": (2, 0.5, 1, 3)},
    "echo-2-1": {"echo": (2, 1.0, 1, 3)},
    "echo-3-1": {"echo": (3, 1.0, 1, 3)},
    "echo-23-0.5-2": {"echo": ((2, 3), 0.5, 2, 3)},
    # Not a ranker: a bound. The catalog also holds the hidden papers themselves (titles, key
    # words, authors; with their digests in ``abstracts`` mode), as if the model had learnt the
    # year it is asked to find: what is left missing is out of reach of these features.
    "oracle": {"oracle": True},
    # The catalog's acronyms (deepphen.acronyms: defined in its titles, or the initials of its
    # key words) spelt out in catalog and candidate texts before key words are looked for
    # ("the NTK regime" spells the key word "neural tangent kernel").
    "acronyms": {"acronyms": True},
    # Ninth round: the words a listing uses often (in at least a share t of its papers: "we",
    # "propose", "model", "language") carry how a paper is written, the rare ones its topic;
    # each pooled and z-scored on its own, combined as (rare + w x common) / sqrt(1 + w^2),
    # on the scale of the shipped evidence: ``split-t-w``.
    "split-02-1": {"split": (0.02, 1.0)},
    "split-02-1.5": {"split": (0.02, 1.5)},
    "split-02-2": {"split": (0.02, 2.0)},
    "split-05-1.5": {"split": (0.05, 1.5)},
    "split-01-0.5": {"split": (0.01, 0.5)},
}

Ranker = Callable[[Sequence[ArxivEntry]], list[str]]


def nb_weights(pos_df: Counter[str] | dict[str, float], n_pos: float, listed: Counter[str],
               n_neg: int) -> dict[str, float]:
    """deepphen.fit's smoothed log-ratio of document frequencies, catalog against listing."""
    log_pos = math.log(n_pos + 2 * fit.ALPHA)
    log_neg = math.log(n_neg + fit.PRIOR_DOCS)
    out = {}
    for tok, neg in listed.items():
        pos = pos_df.get(tok, 0)
        if pos + neg >= fit.MIN_DOCS:
            out[tok] = ((math.log(pos + fit.ALPHA) - log_pos)
                        - (math.log(neg + fit.PRIOR_DOCS * fit.PRIOR_RATE) - log_neg))
    return out


def pooled(docs: Sequence[set[str]], listed: Counter[str], weights: dict[str, float],
           power: float = 0.5, *, pos_df: Any = None, unseen: str = "",
           counts: Sequence[dict[str, float]] | None = None) -> list[float]:
    """Each document's centred weights, summed, over n ** power and the listing's spread.

    ``unseen``: what a word the catalog never uses (``pos_df``) contributes: its centred
    weight (""), at most 0 ("min"), 0 ("zero"); "rawmean": the mean of the uncentred weights.
    """
    if unseen == "rawmean":
        means = []
        for doc in docs:
            raw = [weights[t] for t in doc if t in weights]
            means.append(math.fsum(raw) / len(raw) if raw else -math.inf)
        return means
    total = sum(listed[t] for t in weights) or 1
    mean = math.fsum(listed[t] * w for t, w in weights.items()) / total
    spread = math.sqrt(math.fsum(listed[t] * (w - mean) ** 2
                                 for t, w in weights.items()) / total) or 1.0
    out = []
    if counts is not None:  # multiplicities: sum(m * c) / sqrt(sum m^2)
        for doc, mult in zip(docs, counts, strict=True):
            used_m = [(weights[t] - mean, mult.get(t, 1.0)) for t in doc if t in weights]
            norm = math.sqrt(math.fsum(m * m for _, m in used_m))
            out.append(math.fsum(c * m for c, m in used_m) / norm / spread
                       if used_m else -math.inf)
        return out
    for doc in docs:
        used = [weights[t] - mean for t in doc if t in weights]
        if unseen in ("min", "zero"):
            used = [(min(c, 0.0) if unseen == "min" else 0.0)
                    if not pos_df.get(t) else c
                    for t, c in zip([t for t in doc if t in weights], used, strict=True)]
        out.append(math.fsum(used) / len(used) ** power / spread if used else -math.inf)
    return out


def zscored(values: Sequence[float]) -> list[float]:  # the variants' own (-inf: -10)
    """Values centred and scaled over the listing."""
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    mean = statistics.fmean(finite)
    spread = statistics.pstdev(finite) or 1.0
    return [(v - mean) / spread if math.isfinite(v) else -10.0 for v in values]


def lsa_scores(docs: Sequence[set[str]], entries_docs: Sequence[set[str]], *,
               centroid: bool, dims: int = 100, nearest: int = 5) -> list[float]:
    """Similarity to the catalog in a latent space of catalog and listing together."""
    import numpy as np

    every = [*docs, *entries_docs]
    df: Counter[str] = Counter()
    for doc in every:
        df.update(doc)
    vocab = {t: i for i, t in enumerate(t for t, c in df.items() if c >= 2)}
    idf = np.zeros(len(vocab), dtype=np.float32)
    for t, i in vocab.items():
        idf[i] = math.log(len(every) / df[t])
    x = np.zeros((len(every), len(vocab)), dtype=np.float32)
    for row, doc in enumerate(every):
        x[row, [vocab[t] for t in doc if t in vocab]] = 1.0
    x *= idf
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    values, vectors = np.linalg.eigh(x @ x.T)  # the documents' Gram matrix: n x n, n small
    emb = vectors[:, ::-1][:, :dims] * np.sqrt(np.maximum(values[::-1][:dims], 0))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    cat, cand = emb[:len(docs)], emb[len(docs):]
    if centroid:
        centre = cat.mean(0)
        scores = cand @ (centre / np.linalg.norm(centre))
    else:
        scores = np.sort(cand @ cat.T, axis=1)[:, -nearest:].mean(1)
    return [float(s) for s in scores]


def local_contrast(docs: Sequence[set[str]], evidence: Sequence[float], nearest: int,
                   share: float) -> list[float]:
    """Evidence minus ``share`` times the mean evidence of each doc's nearest listed docs."""
    import numpy as np

    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc)
    vocab = {t: i for i, t in enumerate(df)}
    x = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for row, doc in enumerate(docs):
        x[row, [vocab[t] for t in doc]] = 1.0
    x *= np.log(len(docs) / np.array([df[t] for t in vocab], dtype=np.float32))
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    sim = x @ x.T
    np.fill_diagonal(sim, -1.0)
    ev = np.array(evidence, dtype=np.float64)
    finite = ev[np.isfinite(ev)]
    ev = np.where(np.isfinite(ev), ev, finite.min() if finite.size else 0.0)
    near = np.argsort(-sim, axis=1, kind="stable")[:, :nearest]
    return [float(v) for v in ev - share * ev[near].mean(axis=1)]


PAIRS: Any = False  # word pairs: False, True, or "titles" (in the title contrast only)


def initial_key(name: str) -> str:
    """An author as the models before the fifth session knew one: "surname initial"."""
    words = fold(name).split()
    if not words:
        return ""
    return f"{words[-1]} {words[0][0]}" if len(words) > 1 else words[0]


def tokens(text: str, *, title: bool = False) -> set[str]:
    """deepphen.fit's words, with adjacent-word pairs as the older models had them."""
    words = [fit._stem(w) for w in fit._WORD_RE.findall(fold(text))
             if w not in fit._FUNCTION_WORDS]
    out = set(words)
    if PAIRS is True or (PAIRS == "titles" and title):
        out.update(f"{a}_{b}" for a, b in itertools.pairwise(words))
    return out


ACRONYMS: Any = None  # an ``Acronyms`` table for the ``acronyms`` variant, else None


def spelt(text: str) -> str:
    """The text with the catalog's acronyms spelt out (``acronyms`` variant), else as is."""
    return ACRONYMS.expand(text) if ACRONYMS is not None else text


def raw_paper_features(model: FitModel, paper: Paper, abstract: str) -> set[str]:
    """A catalog paper's features before ``uncovered``: key words and every word of it."""
    found = model.phrases.find(spelt(f"{paper.title} {abstract}"))
    found.update(keyword_norm(k) for k in paper.keywords)
    feats = {KEYWORD_PREFIX + k for k in found if k}
    feats.update(tokens(paper.title), tokens(abstract))
    for kw in paper.keywords:
        feats.update(tokens(kw))
    return feats


def raw_entry_features(model: FitModel, entry: ArxivEntry) -> set[str]:
    """A candidate's features before ``uncovered``."""
    text = f"{entry.title} {entry.summary}"
    return {KEYWORD_PREFIX + k for k in model.phrases.find(spelt(text))} | tokens(text)


_NAME_COLON = re.compile(r"^\s*[^\s:]+\s*:")
STYLE_PREFIX = "~"


_TF = {"log": lambda n: 1.0 + math.log(n), "sqrt": math.sqrt,
       "sat": lambda n: n * 2.2 / (n + 1.2)}


def multiplicities(model: FitModel, entry: ArxivEntry, how: str) -> dict[str, float]:
    """g(how often the candidate says each word or key word), for the ``tf-*`` variants."""
    text = f"{entry.title} {entry.summary}"
    counts: Counter[str] = Counter(fit._stem(w) for w in fit._WORD_RE.findall(fold(text))
                                   if w not in fit._FUNCTION_WORDS)
    words = [keyword_norm(w) for w in fold(text).split()]
    for i, word in enumerate(words):
        for phrase in model.phrases.by_first.get(word, ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                counts[KEYWORD_PREFIX + " ".join(phrase)] += 1
    g = _TF[how]
    return {t: g(n) for t, n in counts.items()}


def title_grams(title: str, sizes: Any) -> set[tuple[str, ...]]:
    """The title's runs of n words (function words kept), not all of them function words."""
    words = [fit._stem(w) for w in fit._WORD_RE.findall(fold(title))]
    out = set()
    for n in (sizes if isinstance(sizes, tuple) else (sizes,)):
        for i in range(len(words) - n + 1):
            gram = tuple(words[i:i + n])
            if not all(w in fit._FUNCTION_WORDS for w in gram):
                out.add(gram)
    return out


def style_features(title: str) -> set[str]:
    """How a title is written: its function words, a leading "Name:", a colon, a question."""
    out = {STYLE_PREFIX + w for w in fit._WORD_RE.findall(fold(title))
           if w in fit._FUNCTION_WORDS}
    if _NAME_COLON.match(title):
        out.add(STYLE_PREFIX + "name:")
    elif ":" in title:
        out.add(STYLE_PREFIX + ":")
    if "?" in title:
        out.add(STYLE_PREFIX + "?")
    return out


def longest(doc: set[str]) -> set[str]:
    """The features less the key words nested in a longer key word of the same text."""
    found = [t[len(KEYWORD_PREFIX):] for t in doc if t.startswith(KEYWORD_PREFIX)]
    nested = {a for a in found for b in found
              if a != b and f" {a} " in f" {b} "}
    return doc - {KEYWORD_PREFIX + a for a in nested}


def uncovered(doc: set[str], how: Any = True) -> set[str]:
    """The features less those of the key words spelt out (``True``: as deepphen.fit ships).

    ``False``: nothing left out (the models of the second and third sessions); ``"pairs"``:
    only the key words' word pairs; ``"kw"``: the key words' own features instead.
    """
    if not how:
        return doc
    if how == "kw":
        return {t for t in doc if not t.startswith(KEYWORD_PREFIX)}
    covered: set[str] = set()
    for tok in doc:
        if tok.startswith(KEYWORD_PREFIX):
            covered |= tokens(tok[len(KEYWORD_PREFIX):])
    if how == "pairs":
        covered = {t for t in covered if "_" in t}
    return doc - covered


def recency_weighted(model: FitModel, cat_docs: Sequence[set[str]], half_life: float
                     ) -> tuple[dict[str, float], float, dict[str, float]]:
    """Document frequencies (features, titles) and count, each paper weighted by its age."""
    latest = max(p.year for p in model.papers)
    feats: dict[str, float] = {}
    titles: dict[str, float] = {}
    total = 0.0
    for paper, doc in zip(model.papers, cat_docs, strict=True):
        weight = 0.5 ** ((latest - paper.year) / half_life)
        total += weight
        for tok in doc:
            feats[tok] = feats.get(tok, 0.0) + weight
        for tok in tokens(paper.title, title=True):
            titles[tok] = titles.get(tok, 0.0) + weight
    return feats, total, titles


def expanded(model: FitModel, cat_docs: Sequence[set[str]], entries: Sequence[ArxivEntry],
             docs: Sequence[set[str]],
             k: int, share: float) -> dict[str, float]:
    """The catalog's document frequencies, each bare paper adding its title neighbours'."""
    titles = [tokens(e.title, title=True) for e in entries]
    postings: dict[str, list[int]] = {}
    for i, doc in enumerate(titles):
        for tok in doc:
            postings.setdefault(tok, []).append(i)
    n = len(entries)
    idf = {t: math.log(n / len(ix)) for t, ix in postings.items()}
    out: dict[str, float] = dict(Counter(t for d in cat_docs for t in d))
    for paper, abstract in zip(model.papers, model.abstracts, strict=True):
        if abstract:
            continue
        score: Counter[int] = Counter()
        for tok in tokens(paper.title, title=True):
            for i in postings.get(tok, ()):
                score[i] += idf[tok]
        near = [i for i, s in sorted(score.items(), key=lambda x: (-x[1], x[0]))[:k] if s > 3]
        for i in near:
            for tok in docs[i]:
                out[tok] = out.get(tok, 0) + share / len(near)
    return out


def section_mixture(model: FitModel, cat_docs: Sequence[set[str]], docs: Sequence[set[str]],
                    listed: Counter[str], evidence: list[float], how: Any,
                    least: int = 8) -> list[float]:
    """The whole catalog's evidence combined with its best-fitting section's."""
    by_section: dict[str, Counter[str]] = {}
    sizes: Counter[str] = Counter()
    for paper, doc in zip(model.papers, cat_docs, strict=True):
        by_section.setdefault(paper.section, Counter()).update(doc)
        sizes[paper.section] += 1
    best = [-math.inf] * len(docs)
    for section, freq in by_section.items():
        if sizes[section] < least:
            continue
        ev = fit._standardized(pooled(docs, listed, nb_weights(freq, sizes[section], listed,
                                                               len(docs))))
        best = [max(b, e) for b, e in zip(best, ev, strict=True)]
    whole = fit._standardized(evidence)
    if how == "max":
        return [max(w, b) for w, b in zip(whole, best, strict=True)]
    return [(w + how * b) / math.sqrt(1 + how ** 2) for w, b in zip(whole, best, strict=True)]


def variant_ranker(catalog: list[Paper], settings: Settings, abstracts: dict[str, str],
                   knobs: dict[str, Any]) -> Ranker:
    """A ranker for one variant (``plain``: deepphen.fit itself)."""
    if knobs.get("headings"):
        heads = {s.slug: s.heading for s in settings.sections}
        catalog = [dataclasses.replace(p, keywords=[*p.keywords, heads[p.section]])
                   if p.section in heads else p for p in catalog]
    model = FitModel.learn(catalog, settings, abstracts or None)
    global ACRONYMS
    ACRONYMS = None
    if knobs.get("acronyms"):
        from deepphen.acronyms import derive

        ACRONYMS = derive([dataclasses.replace(p, digest=abstracts.get(p.key) or None)
                           for p in catalog], [s.heading for s in settings.sections])
    if knobs.get("plain"):
        return lambda entries: [f.entry.id for f in model.rank(entries)]
    covers = knobs.get("covers", True)
    cat_docs = [uncovered(raw_paper_features(model, p, a), covers)
                for p, a in zip(model.papers, model.abstracts, strict=True)]
    if knobs.get("longest"):
        cat_docs = [longest(d) for d in cat_docs]
    if knobs.get("style"):
        cat_docs = [d | style_features(p.title) for d, p in zip(cat_docs, model.papers,
                                                                  strict=True)]
    pos_freq: Counter[str] | dict[str, float] = Counter(t for d in cat_docs for t in d)

    if knobs.get("authors") == "initials":
        initials = Counter(k for p in model.papers for k in {initial_key(a) for a in p.authors}
                           if k)

        def signed(name: str) -> int:
            return initials.get(initial_key(name), 0)
    else:
        signed = model.authors.papers_of

    def title_tokens(title: str) -> set[str]:
        out = tokens(title, title=True)
        return out | style_features(title) if knobs.get("style_titles") else out

    def rank(entries: Sequence[ArxivEntry]) -> list[str]:
        nonlocal pos_freq
        docs = [uncovered(raw_entry_features(model, e), covers) for e in entries]
        if knobs.get("longest"):
            docs = [longest(d) for d in docs]
        if knobs.get("style"):
            docs = [d | style_features(e.title) for d, e in zip(docs, entries, strict=True)]
        listed: Counter[str] = Counter()
        for doc in docs:
            listed.update(doc)
        n_pos: float = len(model.papers)
        title_freq: Counter[str] | dict[str, float] = Counter(
            t for p in model.papers for t in title_tokens(p.title))
        if "recency" in knobs:
            pos_freq, n_pos, title_freq = recency_weighted(model, cat_docs, knobs["recency"])
        if "expand" in knobs and model.title_weight:
            pos_freq = expanded(model, cat_docs, entries, docs, *knobs["expand"])
        weights = nb_weights(pos_freq, n_pos, listed, len(entries))
        factor = knobs.get("keyword_factor", 1.0)
        lo, hi = knobs.get("clip", (-math.inf, math.inf))
        weights = {t: min(max(w * (factor if t.startswith(KEYWORD_PREFIX) else 1.0), lo), hi)
                   for t, w in weights.items()}
        if knobs.get("style"):
            weights = {t: w * knobs["style"] if t.startswith(STYLE_PREFIX) else w
                       for t, w in weights.items()}
        unseen = knobs.get("unseen", "")
        counts = ([multiplicities(model, e, knobs["tf"]) for e in entries]
                  if "tf" in knobs else None)
        evidence = pooled(docs, listed, weights, knobs.get("power", 0.5), pos_df=pos_freq,
                          unseen=unseen, counts=counts)
        if unseen == "rawmean":
            evidence = fit._standardized(evidence)
        if "split" in knobs:
            share, w = knobs["split"]
            cut = share * len(entries)
            parts = [fit._standardized(pooled(docs, listed, {
                t: v for t, v in weights.items() if (listed[t] >= cut) == common}))
                for common in (False, True)]
            scale = statistics.pstdev([e for e in evidence if math.isfinite(e)])
            evidence = [(r + w * c) / math.sqrt(1 + w * w) * scale
                        for r, c in zip(*parts, strict=True)]
        if "prf" in knobs:
            top, share = knobs["prf"]
            best = sorted(range(len(entries)), key=lambda i: -evidence[i])[:top]
            pos_df: dict[str, float] = dict(pos_freq)
            for i in best:
                for tok in docs[i]:
                    pos_df[tok] = pos_df.get(tok, 0) + share
            weights = nb_weights(pos_df, len(model.papers) + share * top, listed, len(entries))
            evidence = pooled(docs, listed, weights)
        shipped = "title" not in knobs  # as FitModel.rank: weighted by the bare share
        title = model.title_weight if shipped else knobs["title"]
        if title:
            titles = [title_tokens(e.title) for e in entries]
            in_titles: Counter[str] = Counter()
            for doc in titles:
                in_titles.update(doc)
            extra = pooled(titles, in_titles,
                           nb_weights(title_freq, n_pos, in_titles, len(entries)),
                           pos_df=title_freq, unseen=unseen)
            z_title = fit._standardized(extra) if shipped else zscored(extra)
            norm = math.sqrt(1 + title ** 2) if shipped else 1.0
            evidence = [(e + title * z) / norm for e, z in zip(evidence, z_title, strict=True)]
        if "style_channel" in knobs:
            cat_style: Counter[str] = Counter(
                t for p in model.papers for t in style_features(p.title))
            styles = [style_features(e.title) for e in entries]
            in_styles: Counter[str] = Counter()
            for doc in styles:
                in_styles.update(doc)
            extra = pooled(styles, in_styles,
                           nb_weights(cat_style, n_pos, in_styles, len(entries)))
            evidence = [e + knobs["style_channel"] * z
                        for e, z in zip(evidence, fit._standardized(extra), strict=True)]
        if "sections" in knobs:
            evidence = section_mixture(model, cat_docs, docs, listed, evidence, knobs["sections"])
        if "lsa" in knobs:
            extra = lsa_scores(cat_docs, docs, centroid=knobs.get("lsa_centroid", False))
            evidence = [e + knobs["lsa"] * z for e, z in zip(evidence, zscored(extra),
                                                             strict=True)]
        if "local" in knobs:
            evidence = local_contrast(docs, evidence, *knobs["local"])
        if "echo" in knobs:
            sizes, per, cap, rare = knobs["echo"]
            cat_grams = {g for p in model.papers for g in title_grams(p.title, sizes)}
            grams = [title_grams(e.title, sizes) & cat_grams for e in entries]
            df = Counter(g for gs in grams for g in gs)
            evidence = [ev + per * min(sum(df[g] <= rare for g in gs), cap)
                        for ev, gs in zip(evidence, grams, strict=True)]
        weight = knobs.get("author_weight", fit.AUTHOR_WEIGHT)
        # A name's listed papers, the candidate's own left out, for ``author_contrast``.
        named = Counter(n for e in entries for n in {fit.name_parts(a) for a in e.authors})
        scored = []
        for entry, ev in zip(entries, evidence, strict=True):
            shared = [a for a in entry.authors if signed(a)]
            if "author_contrast" in knobs:
                lean = sorted((math.log(signed(a) / len(model.papers))
                               - math.log((named[fit.name_parts(a)] - 1 + 0.5) / len(entries))
                               for a in shared), reverse=True)
                bonus = knobs["author_contrast"] * math.fsum(max(w, 0.0) for w in lean[:2])
            elif "author_damped" in knobs:
                damped = sorted((1 / math.sqrt(named[fit.name_parts(a)]) for a in shared),
                                reverse=True)
                bonus = knobs["author_damped"] * math.fsum(damped[:2])
            else:
                bonus = weight * min(len(shared), 2)
            scored.append((ev + bonus, entry.id))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [i for _, i in scored]

    return rank


def measure(papers: list[Paper], settings: Settings, background: list[ArxivEntry],
            name: str, *, years: Sequence[int], modes: Sequence[str], seeds: int,
            days: int, met: bool = False) -> str:
    """One table row: the variant's mean (min) R@10 / R@25 per year and catalog mode."""
    knobs = VARIANTS[name]
    cells = []
    old_stem = fit.STEM
    fit.STEM = knobs.get("stem", old_stem)
    fit._stem.cache_clear()  # the prefix length is cached
    global PAIRS
    PAIRS = knobs.get("pairs", False)
    saved = {k: getattr(fit, k) for k in knobs.get("set", {})}
    for k, v in knobs.get("set", {}).items():
        setattr(fit, k, v)
    try:
        for year in years:
            catalog = [p for p in papers
                       if p.year < year or (knobs.get("oracle") and p.year == year)]
            hidden = [as_entry(p) for p in papers if p.year == year and p.digest]
            for mode in modes:
                given = ({p.key: p.digest for p in catalog if p.digest}
                         if mode == "abstracts" else {})
                rank = variant_ranker(catalog, settings, given, knobs)
                r10, r25, _ = window_recalls(rank, background, hidden, days=days, seeds=seeds)
                cell = (f"{statistics.mean(r10):.2f} / {statistics.mean(r25):.2f} "
                        f"({min(r10):.2f} / {min(r25):.2f})")
                if met:  # the windows that meet the target on both counts
                    hits = sum(a >= 0.8 and b >= 0.9 for a, b in zip(r10, r25, strict=True))
                    cell += f"; {hits}/{len(r10)} met"
                cells.append(cell)
    finally:
        for k, v in saved.items():
            setattr(fit, k, v)
        fit.STEM = old_stem
        fit._stem.cache_clear()
    return f"| {name} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2024])
    parser.add_argument("--modes", nargs="+", default=["titles", "abstracts"],
                        choices=["titles", "abstracts"])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--met", action="store_true",
                        help="also count the windows with R@10 >= 0.8 and R@25 >= 0.9")
    args = parser.parse_args(argv)
    if not BACKGROUND.exists() or not LIST_PAGE.exists():
        print(f"skipped: needs {BACKGROUND} and {LIST_PAGE} (the shared data folder)")
        return 0
    names = list(args.variants)
    try:
        import numpy  # noqa: F401
    except ImportError:
        skipped = [n for n in names if n.startswith(("lsa", "local"))]
        names = [n for n in names if n not in skipped]
        if skipped:
            print(f"skipped (needs numpy): {', '.join(skipped)}")
    papers, settings = load(LIST_PAGE)
    lengths = [len(p.digest.split()) for p in papers if p.digest]
    background = read_background(BACKGROUND, ml_only=False, lengths=lengths)
    heads = [f"{y} {m}" for y in args.years for m in args.modes]
    print(f"{args.days}-day windows, seeds 0-{args.seeds - 1}; mean R@10 / R@25 (min)\n")
    print("| variant | " + " | ".join(heads) + " |")
    print("|---|" + "---|" * len(heads))
    for name in names:
        print(measure(papers, settings, background, name, years=args.years,
                      modes=args.modes, seeds=args.seeds, days=args.days, met=args.met),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
