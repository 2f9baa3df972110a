"""Older shapes of the two lists' pages, on invented mini-pages in their format: what import
reads and export writes back (docs/catalog-format.md, "Versions of both lists")."""

from __future__ import annotations

from deepphen.dialect import is_links_line
from deepphen.export.markdown import render
from deepphen.importer import parse_list
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


def test_key_words_separated_by_both_separators_are_split_at_both() -> None:
    """'Key Word: A; B, C.' was read as two key words, the second 'B, C'. Export keeps the
    line as written (';' against ',' is formatting only)."""
    page = ("## S\n\n### S: 2022\n\n- Invented Title. [[paper]](https://arxiv.org/abs/2201.00001)\n"
            "  - Ann Author, Bob Writer; Cid Third.\n"
            "  - Key Word: Made-up Topic; Other Topic, Third Topic.\n")
    result = parse_list(page)
    (paper,) = result.papers
    assert paper.keywords == ["Made-up Topic", "Other Topic", "Third Topic"]
    assert paper.authors == ["Ann Author", "Bob Writer", "Cid Third"]
    assert {(p.line, p.message) for p in result.problems} >= {
        (7, "key words separated by both ';' and ',' (written with ';')"),
        (6, "authors separated by both ',' and ';' (written with ',')")}
    assert render(result.papers, result.settings).splitlines()[-2:] == page.splitlines()[-2:]
