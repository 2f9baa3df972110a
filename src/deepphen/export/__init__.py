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
