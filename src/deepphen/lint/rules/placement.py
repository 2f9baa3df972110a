"""DP3xx: where a paper is placed, and papers that appear twice in the catalog."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from typing import Any

from deepphen import ids
from deepphen.errors import did_you_mean
from deepphen.lint.context import Context, PaperFile
from deepphen.lint.registry import Fix, Flag, rule
from deepphen.lint.rules.common import arxiv_id_from_url, is_arxiv_id
from deepphen.slugs import UniqueNames

SIMILAR_TITLE_CUTOFF = 93  # rapidfuzz ratio of folded titles; "near-identical", not "related"
# A series ("Tensor Programs II" / "Tensor Programs III") differs only in these words.
_SERIES_WORDS = re.compile(r"\b(?:[ivx]+|\d+|part|vol|volume)\b")
_MAX_BUCKET = 100  # a word pair this common does not narrow the candidates; skip it
_NEIGHBOURS = 8  # how many following titles in sorted order are candidates


@rule("DP301", "year-arxiv", "error",
      "The year is the year of the paper's first arXiv version.", fixable=True)
def year_arxiv(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The page groups papers by first-version year, which the arXiv id carries (YYMM).

    Bad:  ``arxiv = "2505.04741"`` with ``year = 2024``
    Good: ``arxiv = "2505.04741"`` with ``year = 2025``
    """
    paper = f.paper
    if not paper.arxiv or not is_arxiv_id(paper.arxiv):
        return
    expected = ids.id_year(paper.arxiv)
    if paper.year != expected:
        def edit(data: dict[str, Any], year: int = expected) -> None:
            data["year"] = year

        yield Flag(f"year {paper.year} but arXiv {paper.arxiv} is from {expected}", field="year",
                   fix=Fix(f"year = {expected}", edit=edit))


@rule("DP302", "sort-as", "warning",
      "sort_as is only for papers without an arXiv id, and is an id-like position.",
      fixable=True)
def sort_as(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A paper's own arXiv id already fixes its place; a sort_as beside it contradicts it.

    Bad:  ``arxiv = "2201.02177"`` with ``sort_as = "2203.00001"``
    Good: ``arxiv = "2201.02177"`` and no sort_as; or no arxiv and ``sort_as = "2405.00001"``
    """
    paper = f.paper
    if not paper.sort_as:
        return
    if paper.arxiv:
        def edit(data: dict[str, Any]) -> None:
            data.pop("sort_as", None)

        yield Flag(f"sort_as {paper.sort_as} overrides the paper's own arXiv id {paper.arxiv}",
                   field="sort_as", fix=Fix("removed sort_as", edit=edit))
    elif ids.id_sort_key(paper.sort_as) == (0, 0):
        yield Flag(f"sort_as {paper.sort_as!r} is not an arXiv-style position", field="sort_as",
                   hint="use the id of the paper this one sorts just below, e.g. 2405.00001")
    elif ids.id_year(paper.sort_as) != paper.year:
        yield Flag(f"sort_as {paper.sort_as} is from {ids.id_year(paper.sort_as)} but year is "
                   f"{paper.year}", field="sort_as")


@rule("DP303", "unknown-section", "error", "A paper's section is one of the settings' sections.")
def unknown_section(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Papers of an unknown section never reach the page.

    Bad:  ``section = "neural-colapse"``
    Good: ``section = "neural-collapse"``
    """
    slugs = [s.slug for s in ctx.settings.sections]
    if f.paper.section not in slugs:
        yield Flag(f"unknown section {f.paper.section!r}", field="section",
                   hint=did_you_mean(f.paper.section, slugs)
                   or f"sections: {', '.join(slugs)}")


def _pair_silenced(rule_id: str, *files: PaperFile) -> bool:
    return any(rule_id in f.ignores for f in files)


@rule("DP304", "duplicate-arxiv", "error", "An arXiv id appears in one paper only.",
      scope="catalog")
def duplicate_arxiv(ctx: Context) -> Iterator[Flag]:
    """A paper appears once in the whole list, whatever section it was filed under. A paper
    without an ``arxiv`` field counts under the arXiv id of its paper link.

    Bad:  ``neural-collapse/2008.08186.toml`` and ``others/x.toml`` both with arxiv 2008.08186
    (or one with ``math.GT/0309136``, the other with ``math/0309136``: one paper)
    Good: one file per arXiv id
    """
    first: dict[str, PaperFile] = {}
    for f in ctx.files:
        if f.paper is None:
            continue
        if f.paper.arxiv:
            # "arXiv:2201.02177v2" is DP201's to rewrite, and 2201.02177 all the same.
            arxiv, where = ids.canonical_id(f.paper.arxiv) or f.paper.arxiv, {"field": "arxiv"}
        else:
            linked = [(found, link.url) for link in f.paper.links if link.label == "paper"
                      and (found := arxiv_id_from_url(link.url))]
            if not linked:
                continue
            arxiv, where = linked[0][0], {"field": "links", "needle": linked[0][1]}
        # math.GT/0309136 and math/0309136 are one paper (arXiv names it the latter today).
        other = first.setdefault(ids.archive_id(arxiv), f)
        if other is not f and not _pair_silenced("DP304", f, other):
            yield Flag(f"arXiv {arxiv} is also {other.rel}", file=f, **where,
                       hint="keep one entry; move anything worth keeping into it")


def _series_free(title: str) -> str:
    return " ".join(_SERIES_WORDS.sub(" ", title).split())


def _where(f: PaperFile) -> str:
    url = f.paper.paper_url if f.paper else None
    if not url:
        return f.rel
    host = re.sub(r"^https?://(?:www\.)?", "", url).split("/", 1)[0]
    return f"{f.rel} ({host})"


@rule("DP305", "duplicate-title", "error", "No two papers have the same title.",
      scope="catalog")
def duplicate_title(ctx: Context) -> Iterator[Flag]:
    """Titles are compared folded (case, accents, punctuation), so the same paper filed
    once under its arXiv link and once under a journal link is found too.

    Bad:  "Deep Double Descent" in two files, one linking arXiv, one a journal
    Good: one entry, with the journal as its venue
    """
    first: dict[str, PaperFile] = {}
    for i, folded in ctx.folded_titles.items():
        f = ctx.files[i]
        other = first.setdefault(folded, f)
        if other is not f and not _pair_silenced("DP305", f, other):
            yield Flag(f"same title as {_where(other)}", file=f, field="title",
                       hint="keep one entry (one of them may be the journal version)")


@rule("DP306", "similar-title", "warning", "No two papers have near-identical titles.",
      scope="catalog")
def similar_title(ctx: Context) -> Iterator[Flag]:
    """Near-identical folded titles (rapidfuzz ratio >= 93) are usually one paper entered
    twice, e.g. a preprint and its renamed journal version. Numbered series are left alone.

    Bad:  "Grokking: Generalization beyond Overfitting on Small Algorithmic Datasets" and
          "Grokking: Generalisation Beyond Overfitting on Small Algorithmic Data Sets"
    Good: "Tensor Programs II: ..." and "Tensor Programs III: ..."
    """
    first: dict[str, PaperFile] = {}  # exact repeats are DP305's; compare each title once
    for i, folded in ctx.folded_titles.items():
        first.setdefault(folded, ctx.files[i])
    files = list(first.values())
    for i, j, score in similar_pairs(list(first)):
        a, b = files[i], files[j]
        if not _pair_silenced("DP306", a, b):
            yield Flag(f"title is {score:.0f}% like {_where(a)}", file=b, field="title",
                       hint="if it is the same paper keep one entry; else [ignore] DP306 here")


def similar_pairs(titles: list[str], cutoff: float = SIMILAR_TITLE_CUTOFF
                  ) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of near-identical distinct titles, found without comparing all pairs.

    Candidates come from two cheap blockings, and only candidates are scored (rapidfuzz,
    one call per title), so the cost grows about linearly with the number of titles:
    - rare words: each title is filed under every pair of its three rarest words; two
      titles that differ in one word both hold the two rarest words they share;
    - sorted neighbours: titles that differ in a few places share a long prefix or suffix,
      so they sit close together when sorted forwards or by their reversed text.
    """
    from rapidfuzz import fuzz, process

    tokens = [set(t.split()) for t in titles]
    df: Counter[str] = Counter(tok for toks in tokens for tok in toks)
    buckets: dict[tuple[str, ...], list[int]] = {}
    keys: list[list[tuple[str, ...]]] = []
    for idx, toks in enumerate(tokens):
        rare = [t for _, t in sorted((df[t], t) for t in toks)[:3]]
        keys.append(list(combinations(rare, 2)) if len(rare) > 1 else [tuple(rare)])
        for key in keys[-1]:
            buckets.setdefault(key, []).append(idx)
    neighbours: list[list[int]] = [[] for _ in titles]
    for order in (sorted(range(len(titles)), key=titles.__getitem__),
                  sorted(range(len(titles)), key=lambda k: titles[k][::-1])):
        for pos, i in enumerate(order):
            for j in order[pos + 1:pos + 1 + _NEIGHBOURS]:
                neighbours[min(i, j)].append(max(i, j))
    found = []
    for i, mine in enumerate(keys):
        shared = [b for key in mine if 1 < len(b := buckets[key]) <= _MAX_BUCKET]
        near = set(neighbours[i]).union(*shared)
        choices = {j: titles[j] for j in near if j > i}
        if not choices:
            continue
        for _, score, j in process.extract(titles[i], choices, scorer=fuzz.ratio,
                                           score_cutoff=cutoff, limit=None):
            if _series_free(titles[i]) != _series_free(titles[j]):
                found.append((i, j, score))
    return sorted(found)


@rule("DP307", "duplicate-key", "error",
      "No two paper files share a name (key), even in different sections.", scope="catalog")
def duplicate_key(ctx: Context) -> Iterator[Flag]:
    """A paper's key (its file name) is what exports, search and scripts refer to it by; two
    sections' files of one name (a copied file, titles whose first six words agree) were
    two papers of one ``key`` in the JSON and CSV exports. Papers named by arXiv id are
    DP304's (one id, one paper).

    Bad:  ``others/on-the-origin-of-implicit-regularization.toml`` and
    ``neural-collapse/on-the-origin-of-implicit-regularization.toml``
    Good: the second named ``on-the-origin-of-implicit-regularization-2.toml``
    """
    names = UniqueNames(f.path.stem for f in ctx.files)  # a third file gets the next name
    first: dict[str, PaperFile] = {}
    for f in sorted(ctx.files, key=lambda g: g.rel):
        stem = f.path.stem
        other = first.setdefault(stem, f)
        if other is f or ids.id_for_key(stem):
            continue
        free = names.unique(stem)
        yield Flag(f"key '{stem}' is also {other.rel}", file=f, line=1,
                   hint=f"rename one, e.g. to {f.folder}/{free}.toml")
