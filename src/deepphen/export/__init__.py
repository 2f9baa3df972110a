"""Exporters: one pure function per format, ``(papers, settings) -> text``.

FORMATS maps a format name to ``module:function``; modules are imported only when their
format is used, so adding a format is adding one function and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module

from deepphen.models import Paper, Section, Settings
from deepphen.order import newest_key

Exporter = Callable[[list[Paper], Settings], str]

FORMATS: dict[str, str] = {
    "md": "deepphen.export.markdown:render",
    "json": "deepphen.export.json:render",
    "bibtex": "deepphen.export.bibtex:render",
    "csv": "deepphen.export.csv:render",
    "html": "deepphen.export.html:render",
}
# What standard output off a terminal, which a CI log may show, gets in place of a format's
# text where the format lets a CI command open (``::`` at a line's start, ``##[``); the other
# formats escape such an opening themselves, so that they show the same text ("&#35;",
# "\\u0023"). CSV has no escape of its own: the file is exact, a pipe gets printable's
# ``\\x3a``. The markdown page holds what the curator wrote as markup (intro, closing,
# badges: a code block may show "::warning::"): the file keeps it, a pipe gets character
# references, which the page shows alike outside code (docs/export-formats.md).
PIPED: dict[str, str] = {
    "csv": "deepphen.printable:ci_inert",
    "md": "deepphen.dialect:ci_inert_markdown",
}


def piped(name: str, text: str) -> str:
    """A format's text as standard output off a terminal writes it (``PIPED``)."""
    if name not in PIPED:
        return text
    module, _, func = PIPED[name].partition(":")
    return getattr(import_module(module), func)(text)


# Formats whose render takes ``catalog=``, the whole catalog the exported papers were chosen
# from: what a reader keeps of one export (a BibTeX key in \cite, a page's section anchor in
# a link) must be the same in every export, whole or filtered.
WHOLE_CATALOG = frozenset({"bibtex", "html"})


def export(name: str, papers: list[Paper], settings: Settings,
           catalog: Iterable[Paper] = ()) -> str:
    """The text of format ``name`` for ``papers``, chosen from ``catalog`` (``WHOLE_CATALOG``)."""
    render = exporter(name)
    if name in WHOLE_CATALOG:
        return render(papers, settings, catalog=catalog)  # type: ignore[call-arg]
    return render(papers, settings)


def exporter(name: str) -> Exporter:
    """The render function of a format (a key of FORMATS)."""
    module, _, func = FORMATS[name].partition(":")
    return getattr(import_module(module), func)


def page_order(papers: list[Paper], settings: Settings) -> list[Paper]:
    """Papers in the page's order: section order, then newest first (``order.newest_key``).

    Papers of a section missing from the settings come last, by slug, so that every export
    of the same catalog lists the same papers in the same order.
    """
    rank = {sec.slug: i for i, sec in enumerate(settings.sections)}
    unknown = len(rank)
    by_date = sorted(papers, key=newest_key, reverse=True)
    # sorted() is stable: the section pass keeps the newest-first order inside each section.
    return sorted(by_date, key=lambda p: (rank.get(p.section, unknown), p.section))


def sections_with_papers(papers: list[Paper], settings: Settings, *,
                         keep_empty: bool = False) -> list[tuple[Section, list[Paper]]]:
    """Sections in page order with their papers (in the given order); sections with none are
    left out unless ``keep_empty`` (a page showing every section's heading). Papers of a
    section the settings do not know come last, under their slug."""
    by_slug: dict[str, list[Paper]] = {}
    for paper in papers:
        by_slug.setdefault(paper.section, []).append(paper)
    out = [(sec, by_slug.pop(sec.slug, [])) for sec in settings.sections
           if keep_empty or sec.slug in by_slug]
    out.extend((Section(slug, slug), by_slug[slug]) for slug in sorted(by_slug))
    return out
