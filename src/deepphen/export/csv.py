"""CSV export: RFC 4180, a header row, one row per paper, for spreadsheets and scripts.

Rows end in CRLF and cells are quoted when they hold a comma, quote or line break. List
fields are joined with ``"; "``, an item holding ``;`` (or a quote, ...) quoted as a CSV field
is, so that the cell reads back exactly (``split_list``). A cell that a spreadsheet would run
as a formula (starting with ``= + - @``, a tab or a carriage return) gets a leading
apostrophe. Control and bidi
characters are dropped (line breaks and tabs stay). Any other text is the catalog's as it
is: CSV has no escape, so the export's command keeps a CI command from opening where the
text goes to standard output (deepphen.printable.ci_inert), never in a file. The text
carries no byte-order mark (see docs/export-formats.md for opening it in Excel).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from deepphen.export import page_order
from deepphen.models import Paper, Settings
from deepphen.printable import strip_controls

LIST_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An item holding one of these is quoted in its list cell: it would split (';'), open a
# quoted item ('"') or a line of its own (a parser reads the cell as lines).
_QUOTE_ITEM_RE = re.compile('[;"\r\n]')


def list_item(item: str) -> str:
    """One item of a list cell: as it is, or quoted as a CSV field is (``"Smith; Jones"``,
    quotes doubled) when it holds ``;``, a quote or a line break, is empty, starts with a
    space, with what a spreadsheet reads as a formula or with ``'``.
    ``split_list`` reads it back."""
    if (not item or _QUOTE_ITEM_RE.search(item) or item[0].isspace()
            or item.startswith((*_FORMULA_STARTS, "'"))):  # "'": as if a formula's defence
        return '"' + item.replace('"', '""') + '"'
    return item


def _join(items: list[str]) -> str:
    # Controls go first (safe_cell drops them from the whole cell): an item is quoted or not
    # by what is left of it.
    return LIST_SEPARATOR.join(list_item(strip_controls(i, keep="\n\r\t")) for i in items)


def split_list(cell: str) -> list[str]:
    """The items of a list cell (authors, keywords, links), as a script reads them: CSV
    with ``;`` between fields and the space after each skipped (docs/export-formats.md)."""
    return next(csv.reader([cell], delimiter=";", skipinitialspace=True), [])


# (header, value) per column, in output order; docs/export-formats.md lists them.
COLUMNS: tuple[tuple[str, Callable[[Paper, dict[str, str]], object]], ...] = (
    ("key", lambda p, h: p.key),
    ("title", lambda p, h: p.title),
    ("authors", lambda p, h: _join(p.authors)),  # as listed: a final "et al." says it is cut
    ("year", lambda p, h: p.year),
    ("published", lambda p, h: p.published.isoformat() if p.published else ""),
    ("venue", lambda p, h: p.venue),
    ("section", lambda p, h: p.section),
    ("section_heading", lambda p, h: h.get(p.section)),
    ("arxiv", lambda p, h: p.arxiv),
    ("doi", lambda p, h: p.doi),
    ("category", lambda p, h: p.category),
    ("keywords", lambda p, h: _join(p.keywords)),
    ("paper_url", lambda p, h: p.paper_url),
    ("code_url", lambda p, h: p.code_url),
    ("links", lambda p, h: _join([f"{link.label}: {link.url}" for link in p.links])),
    ("digest", lambda p, h: p.digest),
)
HEADER: tuple[str, ...] = tuple(name for name, _ in COLUMNS)


def safe_cell(value: object) -> str:
    """The cell text of a value; text a spreadsheet would evaluate is prefixed with ``'``."""
    if value is None:
        return ""
    # No control or bidi character acts in a spreadsheet or on the terminal showing the
    # text (lint's DP413 names them in the paper files); a digest's line breaks stay.
    text = strip_controls(str(value), keep="\n\r\t")
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def render(papers: list[Paper], settings: Settings) -> str:
    """The header and one row per paper, in page order, as RFC 4180 text."""
    headings = {sec.slug: sec.heading for sec in settings.sections}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for paper in page_order(papers, settings):
        writer.writerow([safe_cell(value(paper, headings)) for _, value in COLUMNS])
    return out.getvalue()
