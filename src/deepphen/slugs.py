"""GitHub's heading slugs (github-slugger's rule), the anchors a page's links point to, and
names made unique by a number (file keys, section slugs, the HTML page's anchors).

A leaf: the catalog's models, the page's exporter and importer, and lint all ask here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SLUG_KEPT = frozenset({"Nd", "Nl", "Pc"})  # and every letter and mark


def github_anchor(heading: str) -> str:
    """GitHub's anchor slug for a heading written as plain text (see ``github_slug``)."""
    return github_slug(heading.strip())


def github_slug(text: str) -> str:
    """GitHub's slug of the text a heading shows: lower-case; only letters, marks, decimal and
    letter numbers (not '²' or '½'), connector punctuation ('_'), spaces and hyphens kept;
    spaces to hyphens (github-slugger's rule). Not trimmed: where an image or tag began the
    heading, its space gives a leading '-', as on GitHub."""
    text = text.lower()
    if not text.isascii():
        text = "".join(ch for ch in text if ch in " -" or unicodedata.category(ch) in _SLUG_KEPT
                       or unicodedata.category(ch)[0] in "LM")
    else:
        text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


class UniqueNames:
    """Names made unique as the catalog numbers them: a base as it is while free, else the
    first free of ``base-2``, ``base-3``, ... Each base remembers where its count stopped
    (names are only ever added), so n names on one base cost n steps, not n²/2: a page of
    20,000 headings alike, or of papers of one title, took minutes to import."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.taken

    def add(self, name: str) -> str:
        """Record ``name`` as it is (taken or not) and return it."""
        self.taken.add(name)
        return name

    def unique(self, base: str) -> str:
        """The first free name for ``base``, recorded as taken."""
        name = base
        if name in self.taken:
            n = self._next.get(base, 2)
            while (name := f"{base}-{n}") in self.taken:
                n += 1
            self._next[base] = n + 1
        return self.add(name)
