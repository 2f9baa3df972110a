"""Older shapes of the two lists' pages, on invented mini-pages in their format: what import
reads and export writes back (docs/catalog-format.md, "Versions of both lists")."""

from __future__ import annotations

from deepphen.dialect import is_links_line
from deepphen.verbatim import same_but_format


def test_links_below_the_title_are_one_fact_for_import_and_verbatim() -> None:
    """verbatim joined any indented line starting with '[[' to the title, import only a line
    of links alone: a line of links followed by text was kept verbatim, yet import had left
    it out as not understood."""
    title = "- Invented Title"
    links = "  [[paper]](https://arxiv.org/abs/2003.00001)"
    canonical = ["- Invented Title. [[paper]](https://arxiv.org/abs/2003.00001)"]
    assert is_links_line(links.strip())
    assert same_but_format([title, links], canonical)
    tail = links + " and invented text"
    assert not is_links_line(tail.strip())
    assert not same_but_format([title, tail], [canonical[0] + " and invented text"])
