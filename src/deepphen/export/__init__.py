"""Exporters: one pure function per format, ``(papers, settings) -> text``.

FORMATS maps a format name to ``module:function``; modules are imported only when their
format is used, so adding a format is adding one function and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from deepphen.models import Paper, Settings

Exporter = Callable[[list[Paper], Settings], str]

FORMATS: dict[str, str] = {
    "md": "deepphen.export.markdown:render",
    "json": "deepphen.export.json:render",
    "bibtex": "deepphen.export.bibtex:render",
    "csv": "deepphen.export.csv:render",
}


def exporter(name: str) -> Exporter:
    """The render function of a format (a key of FORMATS)."""
    module, _, func = FORMATS[name].partition(":")
    return getattr(import_module(module), func)


def page_order(papers: list[Paper], settings: Settings) -> list[Paper]:
    """Papers in the page's order: section order, then year and ``Paper.sort_key`` newest first.

    Papers of a section missing from the settings come last, by slug, so that every export
    of the same catalog lists the same papers in the same order.
    """
    rank = {sec.slug: i for i, sec in enumerate(settings.sections)}
    unknown = len(rank)
    by_date = sorted(papers, key=lambda p: (p.year, p.sort_key(), p.key), reverse=True)
    # sorted() is stable: the section pass keeps the newest-first order inside each section.
    return sorted(by_date, key=lambda p: (rank.get(p.section, unknown), p.section))
