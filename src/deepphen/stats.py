"""Numbers about the list: papers per section and year, key words, code links, venues.

``compute_stats`` returns a plain, JSON-ready dict; ``deepphen stats`` renders it as bar
charts on a terminal, plain text when piped, or JSON. One pass over the papers, so a
10,000-paper catalog costs milliseconds here (loading the files dominates).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from deepphen.models import Paper, Settings
from deepphen.venues import venue_name
from deepphen.vocab import Vocabulary, fold_distinct, keyword_key

DEFAULT_TOP = 15
# Empty years in a row the text view shows one by one; a longer run is one row ("1901–2017"):
# a single mistyped year (2202, 1900) made the chart a thousand rows of zeros.
EMPTY_YEARS_SHOWN = 2


def _ranked(counter: Counter[str], top: int | None) -> list[tuple[str, int]]:
    # Most papers first; ties in alphabetical order so the output is stable.
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    return ranked if top is None else ranked[:top]


def compute_stats(papers: list[Paper], settings: Settings, *, top: int | None = DEFAULT_TOP
                  ) -> dict[str, Any]:
    """The numbers of these papers as a plain dict (see ``deepphen stats --format json``).

    ``sections`` follows the page order and lists empty sections too; ``years`` runs from
    the oldest to the newest year without gaps; ``keywords`` and ``venues`` are the ``top``
    most used (all when ``top`` is None), variants of a key word counted as one under the
    spelling most papers use.
    """
    sections: Counter[str] = Counter()
    years: Counter[int] = Counter()
    keyword_papers: Counter[str] = Counter()
    spelling: dict[str, str] = {}  # a spelling seen for each normalized key word
    venue_spellings: dict[str, Counter[str]] = {}
    with_code = with_arxiv = 0
    for paper in papers:
        sections[paper.section] += 1
        years[paper.year] += 1
        # A paper listing two variants of one key word counts once for it.
        norms = {}
        for kw in paper.keywords:
            norms.setdefault(keyword_key(kw), kw)
        norms.pop("", None)
        keyword_papers.update(norms.keys())
        for norm, kw in norms.items():
            spelling.setdefault(norm, kw)
        if paper.venue and paper.venue.strip():
            # "neurips 2021", "NeurIPS-2022" and "NeurIPS, 2023" are one venue, counted under
            # the spelling most papers use.
            name = venue_name(paper.venue)
            venue_spellings.setdefault(fold_distinct(name), Counter())[name] += 1
        with_code += paper.code_url is not None
        with_arxiv += paper.arxiv is not None

    venues: Counter[str] = Counter({
        min(names, key=lambda n: (-names[n], n)): names.total()
        for names in venue_spellings.values()})
    vocab = Vocabulary.from_papers(papers)
    keywords: Counter[str] = Counter()
    for norm, count in keyword_papers.items():
        keywords[vocab.canonical(spelling[norm]) or spelling[norm].strip()] += count

    known = [sec.slug for sec in settings.sections]
    section_rows = [
        {"section": sec.slug, "heading": sec.heading, "papers": sections[sec.slug]}
        for sec in settings.sections
    ]
    section_rows += [
        {"section": slug, "heading": None, "papers": sections[slug]}
        for slug in sorted(set(sections) - set(known))
    ]
    year_rows = []
    if years:
        year_rows = [{"year": y, "papers": years[y]} for y in range(min(years), max(years) + 1)]
    total = len(papers)
    return {
        "papers": total,
        "sections": section_rows,
        "years": year_rows,
        "keywords": [{"keyword": k, "papers": n} for k, n in _ranked(keywords, top)],
        "distinct_keywords": len(keywords),
        "code": {"with_code": with_code, "without_code": total - with_code},
        "arxiv": {"with_arxiv": with_arxiv, "without_arxiv": total - with_arxiv},
        "venues": [{"venue": v, "papers": n} for v, n in _ranked(venues, top)],
        "distinct_venues": len(venues),
        "without_venue": total - sum(venues.values()),
    }


def year_labels(year_rows: list[dict[str, Any]], *, shown: int = EMPTY_YEARS_SHOWN
                ) -> list[tuple[str, int]]:
    """``stats["years"]`` as the text view's rows: (label, papers), every year with papers
    and short gaps as they are, a run of more than ``shown`` empty years as one row
    labelled with its first and last year ("2001–2016", 0). JSON keeps every year."""
    rows: list[tuple[str, int]] = []
    empty: list[int] = []

    def flush() -> None:
        if len(empty) > shown:
            rows.append((f"{empty[0]}\u2013{empty[-1]}", 0))
        else:
            rows.extend((str(y), 0) for y in empty)
        empty.clear()

    for row in year_rows:
        if row["papers"]:
            flush()
            rows.append((str(row["year"]), row["papers"]))
        else:
            empty.append(row["year"])
    flush()
    return rows
