"""What lint rules look at: ``PaperFile`` (one file as read), ``Context`` (the catalog),
and locating a key or a text in a file's lines.

A file that does not parse or validate is still a ``PaperFile`` (with its error), so that
it is one finding and every other file is still checked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from deepphen import catalog
from deepphen.comments import key_line
from deepphen.errors import CatalogError
from deepphen.lint.config import LintConfig
from deepphen.models import FieldError, Paper, Settings
from deepphen.printable import text_lines

T = TypeVar("T")


@dataclass
class PaperFile:
    """One paper file as found on disk: its table and Paper when they could be read."""

    path: Path
    rel: str  # path relative to the catalog folder, with '/'
    data: dict[str, Any] | None = None  # the raw table, when the file was parsed here
    paper: Paper | None = None
    parse_error: CatalogError | None = None  # not UTF-8 or not TOML
    field_error: FieldError | None = None  # TOML, but a field is missing or mistyped
    field_errors: list[FieldError] = field(default_factory=list)  # every one: field_error first

    @property
    def folder(self) -> str:
        """The name of the folder the file is in (its section, when it is in the right one)."""
        return self.path.parent.name

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines (as parsed: a BOM dropped); none when it cannot be read as text."""
        try:
            return text_lines(catalog.read_text(self.path))
        except CatalogError:
            return []

    @property
    def keys(self) -> list[str]:
        """The file's top-level keys (those of a valid paper are its fields and extras)."""
        if self.data is not None:
            return list(self.data)
        return list(self.paper.to_dict()) if self.paper else []

    @property
    def ignore_table(self) -> Any:
        """The file's ``[ignore]`` table as written (may be mistyped when the file is invalid)."""
        if self.paper is not None:
            return self.paper.ignore
        return self.data.get("ignore") if self.data else None

    @property
    def ignores(self) -> dict[str, str]:
        """Rules this file silences with a non-empty reason."""
        table = self.ignore_table
        if not isinstance(table, dict):
            return {}
        return {k: v for k, v in table.items() if isinstance(v, str) and v.strip()}

    def locate(self, field_name: str | None, needle: str | None = None,
               index: int | None = None) -> tuple[int, int]:
        """(line, column) of a key in the file and, when given, of ``needle`` after it."""
        return locate(self.lines, field_name, needle, index)


def locate(lines: list[str], field_name: str | None, needle: str | None = None,
           index: int | None = None) -> tuple[int, int]:
    """(line, column), 1-based, of a TOML key (its ``index``-th table) and, when given, of
    ``needle`` after it."""
    start = 0
    if field_name:
        line = key_line(lines, field_name, index or 0)
        if line is None:
            return (1, 1)
        start = line - 1
    if needle:
        forms = [json.dumps(needle, ensure_ascii=False)[1:-1], needle]
        for i in range(start, len(lines)):
            for form in forms:
                col = lines[i].find(form) if form else -1
                if col >= 0:
                    return (i + 1, col + 1)
    if field_name and lines:
        return (start + 1, len(lines[start]) - len(lines[start].lstrip()) + 1)
    return (1, 1)


def read_file(path: Path, root: Path) -> PaperFile:
    """Read and validate one paper file, keeping whatever could be read."""
    rel = relative_path(path, root)
    try:
        data = catalog.read_toml(path)
    except CatalogError as exc:
        return PaperFile(path, rel, parse_error=exc)
    try:
        paper = Paper.from_dict(data, key=path.stem, path=path)
    except FieldError as exc:
        return PaperFile(path, rel, data=data, field_error=exc,
                         field_errors=every_field_error(data, exc))
    return PaperFile(path, rel, data=data, paper=paper)


# What a required field stands in with while the rest of a table is checked.
_STAND_IN = {"title": "-", "year": 2000, "section": "-"}


def every_field_error(data: dict[str, Any], first: FieldError) -> list[FieldError]:
    """Every field of a paper table that is missing or mistyped, ``first`` (the one
    Paper.from_dict met first) first: each is set aside (a required one given a stand-in)
    and the table read again. A file of wrong types everywhere took a lint run per field."""
    errors, probe = [first], dict(data)
    while len(errors) <= len(probe) + len(_STAND_IN):  # each round sets one field aside
        name = errors[-1].field
        if name in _STAND_IN:
            probe[name] = _STAND_IN[name]
        else:
            probe.pop(name, None)
        try:
            Paper.from_dict(probe)
        except FieldError as exc:
            if any(exc.field == e.field for e in errors):  # set aside, yet again: stop
                break
            errors.append(exc)
        else:
            break
    return errors


@dataclass
class Context:
    """The catalog being linted; derived data is computed once, on first use."""

    root: Path
    settings: Settings
    files: list[PaperFile]
    config: LintConfig
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, run once per lint run under ``key``: derived data a rule asks of the
        whole catalog for every file (DP408's misspellings), kept beside the rest."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @cached_property
    def papers(self) -> list[Paper]:
        """The papers of the files that parsed."""
        return [f.paper for f in self.files if f.paper is not None]

    @cached_property
    def vocabulary(self) -> Any:
        """The catalog's key-word vocabulary (deepphen.vocab.Vocabulary), built once."""
        from deepphen.tidy import keyword_vocabulary

        return keyword_vocabulary(self.papers)

    @cached_property
    def canonical_keywords(self) -> dict[str, str]:
        """Each key-word spelling in use -> the canonical spelling of its group."""
        vocab = self.vocabulary
        return {spelling: vocab.canonical(spelling) for spelling in vocab.counts}

    @cached_property
    def folded_titles(self) -> dict[int, str]:
        """vocab.fold_distinct of each valid file's title, by index in ``files``."""
        from deepphen.vocab import fold_distinct

        return {i: fold_distinct(f.paper.title) for i, f in enumerate(self.files)
                if f.paper is not None}

    @property
    def all_valid(self) -> bool:
        """Whether every paper file parsed."""
        return all(f.paper is not None for f in self.files)

    @cached_property
    def settings_lines(self) -> list[str]:
        """catalog.toml's lines, for findings that name a line of it."""
        return text_lines(catalog.read_text(self.root / catalog.SETTINGS_FILE))

    @cached_property
    def settings_data(self) -> dict[str, Any]:
        """catalog.toml parsed as it is written, for rules that read past deepphen's model of
        it (unknown keys, the raw text of every value): parsed once for all of them."""
        return catalog.read_toml(self.root / catalog.SETTINGS_FILE)

    @cached_property
    def page(self) -> str | None:
        """A fresh markdown export of the catalog; None when no markdown exporter exists."""
        return self.fresh_pages[0][1]

    @cached_property
    def fresh_pages(self) -> list[tuple[Settings, str | None]]:
        """Every declared page (``page``, then ``[[pages]]``) with its fresh markdown export
        (None when no markdown exporter exists)."""
        from deepphen.export import exporter

        try:
            render = exporter("md")
        except (ImportError, AttributeError):
            return [(page, None) for page in self.settings.page_views()]
        return [(page, render(self.papers, page)) for page in self.settings.page_views()]


def relative_path(path: str | Path, root: Path) -> str:
    """``path`` relative to ``root`` with '/', cheaply (this runs once per paper file)."""
    text, base = os.fspath(path), os.fspath(root) + os.sep
    if text.startswith(base):
        return text[len(base):].replace(os.sep, "/")
    return Path(os.path.relpath(text, root)).as_posix()
