"""GitHub's heading slugs (github-slugger's rule), the anchors a page's links point to.

A leaf: the catalog's models, the page's exporter and importer, and lint all ask here.
"""

from __future__ import annotations

import re
import unicodedata

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
