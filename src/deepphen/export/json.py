"""JSON export: ``{"papers": [...]}`` with every field of every paper (docs/json-schema.md).

Each paper object (one per line) has the same keys in the same order (empty values are
``null``, ``[]`` or ``{}``, never left out), so scripts can index fields without guarding,
and the same catalog always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from deepphen.export import page_order
from deepphen.models import Paper, Settings
from deepphen.printable import json_text

# The keys of a paper object, in output order; docs/json-schema.md documents each one
# (a test keeps the two in step).
PAPER_KEYS: tuple[str, ...] = (
    "key",
    "title",
    "authors",
    "authors_collapsed",
    "venue",
    "year",
    "published",
    "section",
    "section_heading",
    "arxiv",
    "doi",
    "category",
    "keywords",
    "paper_url",
    "code_url",
    "links",
    "digest",
    "sort_as",
    "ignore",
    "extra",
    "verbatim",
)


def paper_record(paper: Paper, section_headings: dict[str, str]) -> dict[str, Any]:
    """The JSON object of one paper, keys in PAPER_KEYS order."""
    return {
        "key": paper.key,
        "title": paper.title,
        "authors": list(paper.authors),
        "authors_collapsed": paper.authors_collapsed,
        "venue": paper.venue,
        "year": paper.year,
        "published": paper.published.isoformat() if paper.published else None,
        "section": paper.section,
        "section_heading": section_headings.get(paper.section),
        "arxiv": paper.arxiv,
        "doi": paper.doi,
        "category": paper.category,
        "keywords": list(paper.keywords),
        "paper_url": paper.paper_url,
        "code_url": paper.code_url,
        "links": [link.to_dict() for link in paper.links],
        "digest": paper.digest,
        "sort_as": paper.sort_as,
        "ignore": dict(sorted(paper.ignore.items())),
        "extra": dict(sorted(paper.extra.items())),
        "verbatim": list(paper.verbatim),
    }


def _plain(value: Any) -> Any:
    """TOML values JSON lacks (dates, times in ``extra``) as ISO 8601 strings; anything else
    (a path in a CLI report) as its text."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _finite(value: Any) -> Any:
    """``value`` with TOML's nan and inf (JSON has neither) as the strings TOML writes."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def dumps(data: Any, *, indent: int | None = None) -> str:
    """Strict JSON text of ``data``, UTF-8 kept, as every reader accepts it.

    A nan or inf (a TOML float in a paper's extra fields) is written as the string TOML
    writes ("nan", "inf", "-inf"): Python's bare ``NaN`` is not JSON. Controls that JSON
    allows raw (C1, U+2028, bidi overrides) are escaped, so the text is safe on a terminal.
    """
    try:
        text = json.dumps(data, indent=indent, ensure_ascii=False, default=_plain,
                          allow_nan=False)
    except ValueError:  # only a non-finite float gets here; rare, so the walk is paid then
        text = json.dumps(_finite(data), indent=indent, ensure_ascii=False, default=_plain,
                          allow_nan=False)
    return json_text(text)


def render(papers: list[Paper], settings: Settings) -> str:
    """The papers, in page order, as UTF-8 JSON ending in a newline: one paper per line.

    One line per paper keeps diffs of two exports readable (a changed paper is a changed
    line) and lets json use its C encoder, which indented output cannot: a 10,000-paper
    export takes a fraction of the time and memory.
    """
    headings = {sec.slug: sec.heading for sec in settings.sections}
    lines = [
        dumps(paper_record(p, headings))
        for p in page_order(papers, settings)
    ]
    if not lines:
        return '{"papers": []}\n'
    return '{"papers": [\n' + ",\n".join(lines) + "\n]}\n"


def hit_record(hit: Any, section_headings: dict[str, str]) -> dict[str, Any]:
    """A search hit (``deepphen.search.Hit``) as JSON: the paper object plus ``score`` and
    ``matched`` (the fields the query matched), so scripts read one shape of a paper."""
    return {**paper_record(hit.paper, section_headings), "score": hit.score,
            "matched": list(hit.fields)}
