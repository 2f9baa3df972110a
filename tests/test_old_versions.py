"""Older shapes of the two lists' pages, on invented mini-pages in their format: what import
reads and export writes back (docs/catalog-format.md, "Versions of both lists")."""

from __future__ import annotations

import pytest

from deepphen.dialect import is_links_line
from deepphen.export.markdown import render
from deepphen.fields import FieldError
from deepphen.importer import ImportResult, parse_list
from deepphen.layout import Layout
from deepphen.merge import merge_page
from deepphen.verbatim import same_but_format


def _round_trip(page: str) -> ImportResult:
    """The page imported, checked to export back to itself."""
    result = parse_list(page)
    assert render(result.papers, result.settings) == page
    return result


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


def test_tight_contents_and_entries_come_back_tight() -> None:
    """The list's first versions write the contents' items right under its heading and
    entries right under their year heading or the entry above; export added a blank line
    before each."""
    page = ("# Invented List\nAn invented intro.\n\n## Table of Contents\n- [Alpha](#alpha)\n\n"
            "## Alpha\n\n### 2020\n- First invented paper.\n"
            "  [[paper]](https://arxiv.org/abs/2003.00002)\n  - Ann Author.\n"
            "  - Digest: Invented text.\n- Second invented paper.\n"
            "  [[paper]](https://arxiv.org/abs/2003.00001)\n  - Bob Writer.\n")
    layout = _round_trip(page).settings.layout
    assert layout.toc_items_gap == 0 and sorted(layout.entry_gaps.values()) == [0, 0]
    assert Layout.from_dict(layout.to_dict()) == layout


def test_an_entry_right_below_a_details_line_gets_its_blank_line() -> None:
    """Markdown reads a line right below a '<details>' digest into its HTML block, so the
    entry there is written with a blank line above it, and import says so."""
    digest = "  - <details><summary>Digest</summary> Invented text."
    page = ("## Alpha\n\n### Alpha: 2020\n\n- First invented paper. "
            "[[paper]](https://arxiv.org/abs/2003.00002)\n  - Ann Author.\n"
            f"{digest}\n- Second invented paper. [[paper]](https://arxiv.org/abs/2003.00001)\n"
            "  - Bob Writer.\n")
    result = parse_list(page)
    assert (8, "no blank line above the entry, below an HTML line (export writes one)") in {
        (p.line, p.message) for p in result.problems}
    out = render(result.papers, result.settings).splitlines()
    assert out[out.index(digest) + 1] == ""


def test_entry_gaps_out_of_range_are_a_field_error() -> None:
    with pytest.raises(FieldError, match="entry_gaps"):
        Layout.from_dict({"entry_gaps": {"some-key": 10}})


_ENTRY = ("- Invented paper {n}. [[paper]](https://arxiv.org/abs/{id})\n  - Ann Author.\n"
          "  - Digest: Invented text.  \n")


def test_a_page_grouped_by_year_alone_is_one_section_without_heading() -> None:
    """The list's 2021 versions have no topics: '## 2021' headings straight after the intro.
    Each year was read as a section ('2021', '2020'), and export added a table of contents
    listing them."""
    page = ("# Invented List\n\nAn invented intro.  \n\n\n## 2021\n\n"
            + _ENTRY.format(n=1, id="2107.00001") + "\n\n## 2020\n\n"
            + _ENTRY.format(n=2, id="2006.00002") + "\n" + _ENTRY.format(n=3, id="2002.00003"))
    result = _round_trip(page)
    assert [s.heading for s in result.settings.sections] == ["Papers"]
    assert [p.year for p in result.papers] == [2021, 2020, 2020]
    assert result.settings.layout.section_headings is False
    assert not [p for p in result.problems if "Contents" in p.message or "##" in p.message]
    assert Layout.from_dict(result.settings.layout.to_dict()).section_headings is False


def test_a_topic_after_year_groups_gives_every_section_its_heading() -> None:
    """A layout hides either no section heading or the one section's: a named section after
    '## YYYY' groups turns the headings back on, and import says so."""
    page = ("## 2021\n\n" + _ENTRY.format(n=1, id="2107.00001")
            + "\n## Invented Topic\n\n### 2020\n\n" + _ENTRY.format(n=2, id="2006.00002"))
    result = parse_list(page)
    assert [s.heading for s in result.settings.sections] == ["Papers", "Invented Topic"]
    assert result.settings.layout.section_headings is True
    assert any(p.line == 7 and "'## Papers'" in p.message for p in result.problems)
    out = render(result.papers, result.settings)
    assert "\n## Papers\n### 2021\n" in out and "\n## Invented Topic\n\n### 2020\n" in out


def test_a_resources_section_with_one_group_is_no_paper_section() -> None:
    """A '##' section of resource items under one group heading, before the papers (or after
    undated ones), was read as a paper section: the group as a year subsection without a
    year, each item an entry without a year, left out."""
    resources = "## Toolboxes\n\n### Invented Group\n\n- [Some Site](https://example.org/a)\n"
    papers = "## Alpha\n\n### 2021\n\n" + _ENTRY.format(n=1, id="2101.00001")
    toc = "# T\n\n## Table of Contents\n\n- [Alpha](#alpha)\n- [Toolboxes](#toolboxes)\n\n"
    moved = parse_list(toc + resources + "\n" + papers)
    assert [s.heading for s in moved.settings.sections] == ["Alpha"]
    assert [(r.name, r.section, r.group) for r in moved.settings.resources] == [
        ("Some Site", "Toolboxes", "Invented Group")]
    assert [(p.line, p.level) for p in moved.problems if "before the paper" in p.message] == [
        (8, "warning")]
    assert render(moved.papers, moved.settings) == toc + papers + "\n" + resources
    after = _round_trip(toc + papers + "\n" + resources)
    assert not [p for p in after.problems if "resources" in p.message]


def test_a_page_without_title_or_contents_keeps_the_blank_line_before_its_section() -> None:
    """With no title (so no intro) and no contents, the blank lines above the first section
    went with the badges' block: export wrote the contents it adds right above '## Alpha'."""
    section = "## Alpha\n\n### Alpha: 2021\n\n" + _ENTRY.format(n=1, id="2101.00001")
    page = "[![Badge](https://example.org/b.svg)](https://example.org)\n\n" + section
    result = parse_list(page)
    assert render(result.papers, result.settings).endswith("- [Alpha](#alpha)\n\n" + section)


def test_the_blank_lines_between_badges_and_title_are_kept() -> None:
    """Export wrote one blank line between the badges and the title, whatever the page had."""
    rest = ("# Invented List [![A](https://example.org/a.svg)](https://example.org)\n\n"
            "Intro.\n\n## Table of Contents\n\n- [Alpha](#alpha)\n\n## Alpha\n\n### Alpha: 2021\n\n"
            + _ENTRY.format(n=1, id="2101.00001"))
    for gap in ("", "\n", "\n\n"):
        _round_trip("[![Badge](https://example.org/b.svg)](https://example.org)\n" + gap + rest)


def test_the_contents_of_a_page_grouped_by_year_alone_are_kept() -> None:
    """Items '- [2021](#2021)' point to year groups, which are no sections: they were left
    out as pointing to nothing, and the contents with them."""
    page = ("# Invented List\n\nIntro.\n\n## Table of Contents\n\n- [2021](#2021)\n"
            "- [2020](#2020)\n\n## 2021\n\n" + _ENTRY.format(n=1, id="2107.00001")
            + "\n## 2020\n\n" + _ENTRY.format(n=2, id="2006.00002"))
    result = _round_trip(page)
    assert not [p for p in result.problems if "contents" in p.message]
    assert result.settings.layout.toc_after == ["- [2021](#2021)", "- [2020](#2020)"]


def test_a_merged_page_keeps_its_entry_gaps_under_the_catalog_keys() -> None:
    """A second page's blank lines above its entries are keyed by paper, as its notes are:
    by the catalog's key of the paper it matched, not by the key the page alone gave it."""
    def page(link: str) -> str:
        return ("## Alpha\n\n### Alpha: 2021\n"
                + "".join(f"- Invented paper {n}. [[paper]]({link.format(n=n)})\n"
                          "  - Ann Author.\n  - Key Word: Widgets.\n" for n in (2, 1)))
    first = parse_list(page("https://example.org/p{n}"))
    second = parse_list(page("https://arxiv.org/abs/2101.0000{n}"))
    merged = merge_page(first.settings, first.papers, second, "FRONT.md")
    (view,) = merged.settings.pages
    catalog_keys = {p.key for p in first.papers}
    assert set(view.layout.entry_gaps) == catalog_keys != {p.key for p in second.papers}


def test_a_page_of_nothing_but_entries_renders() -> None:
    """catalog.toml may hide the section headings with no year groups, title or contents:
    the first entry is then the page's first line (there is no line above to look at)."""
    page = "## Alpha\n\n" + _ENTRY.format(n=1, id="2101.00001")
    result = parse_list(page)
    settings = result.settings
    settings.title, settings.layout.section_headings = "", False
    settings.layout.year_groups, settings.layout.entry_gaps = "none", {result.papers[0].key: 0}
    assert render(result.papers, settings).startswith("- Invented paper 1.")
