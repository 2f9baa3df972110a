"""Catalog text on the page is text: checked with a real markdown parser, not with patterns.

markdown-it-py (CommonMark, GFM tables and strike-through, linkify for autolinks) parses a page
rendered from a paper whose every field is arbitrary text (titles, authors, venues, key words,
link labels, digests, verbatim lines, section names), and the same page rendered from a "twin"
paper that has plain words where the first has text. The two token trees must have the same
shape: any element, link, emphasis, heading, quote or code block more in the first came from
catalog text. What the title and key words show must be exactly their text (no character
reference decoded), and what a digest shows in its HTML block is exactly the digest. Every
table-of-contents link must land on a heading, its anchor computed the way GitHub does.
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from deepphen.dialect import entry_lines, fold_lines
from deepphen.export.anchors import heading_text, link_label, page_anchors
from deepphen.export.markdown import render
from deepphen.models import Link, Paper, Section
from tests.helpers import sample_settings

# Markup that catalog text tends to hold, mixed into arbitrary text so both get tried.
_MARKUP = ["_", "__", "*", "~~", "`", "[", "]", "](", "<", ">", "<img src=x onerror=a()>",
           "&amp;", "&#42;", "&lt;b&gt;", "#", "> ", "- ", "1. ", "    ", "\\", "\\.", "\\ ",
           "https://evil.example", "www.evil.example", "a@evil.example", "|", "---", "===",
           "```", "\x0b", "\x01", "\u2028", "\u2029", "\x85", "\t", "\n", "!", "![x](y)",
           "javascript:", "<!--", "-->", "$x$", ":", ";", ",", "."]
TEXT = st.lists(st.one_of(st.sampled_from(_MARKUP), st.text(max_size=6)), max_size=8).map(
    "".join)


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough",
                                                              "linkify"])
    md.linkify.set({"fuzzy_link": False})  # GitHub links scheme://, www. and e-mail only
    md.disable("text_join")  # keep escaped characters as tokens of their own (see below)
    return md


MD = parser()
# GitHub also links "www." text; linkify-it (fuzzy links off) does not, so it is checked here:
# an escaped '.' is a token of its own, so a linkable "www." sits within one text token.
_WWW_RE = re.compile(r"www\.", re.IGNORECASE)
_TEXTUAL = {"text", "text_special"}


def shape(page: str) -> list[tuple[str, str, int]]:
    """The token tree as (type, tag, nesting), runs of text inside a line merged into one."""
    out: list[tuple[str, str, int]] = []
    for token in MD.parse(page):
        out.append((token.type, token.tag, token.nesting))
        for child in token.children or []:
            kind = "text" if child.type in _TEXTUAL else child.type
            if kind == "text" and out and out[-1][0] == "text":
                continue
            out.append((kind, child.tag, child.nesting))
    return out


def twin_text(text: str) -> str:
    """A plain word where ``text`` shows something, nothing where it shows nothing."""
    return "word" if fold_lines(text).strip(" ") else ""


def twin_of(paper: Paper) -> Paper:
    return Paper(
        title=twin_text(paper.title), year=paper.year,
        section=paper.section if paper.section == "empirical-study" or not twin_text(
            paper.section) else "word",
        authors=[twin_text(a) for a in paper.authors],
        venue="word" if paper.venue and fold_lines(paper.venue).strip() else None,
        keywords=[twin_text(k) for k in paper.keywords],
        links=[Link(twin_text(link.label), "https://example.org/p") for link in paper.links],
        # A digest of spaces (U+00A0 too) is no digest: the exporter leaves its line out.
        digest="word" if paper.digest and fold_lines(paper.digest).strip() else None,
        authors_collapsed=paper.authors_collapsed)


@st.composite
def hostile_papers(draw: st.DrawFn) -> Paper:
    authors = draw(st.lists(TEXT, min_size=1, max_size=3))
    return Paper(
        title=draw(TEXT), year=2021,
        section=draw(st.sampled_from(["empirical-study"]) | TEXT.filter(lambda t: t.strip())),
        authors=authors, venue=draw(st.none() | TEXT), keywords=draw(st.lists(TEXT, max_size=3)),
        links=[Link(draw(TEXT), "https://arxiv.org/abs/2101.00001")],
        digest=draw(st.none() | TEXT), authors_collapsed=draw(st.booleans()))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_blocks(page: str) -> list[str]:
    return [t.content for t in MD.parse(page) if t.type == "html_block"]


def shown_text(page: str, startswith: str) -> str | None:
    """What the paragraph starting with ``startswith`` shows before its first link."""
    for token in MD.parse(page):
        if token.type != "inline" or not token.children:
            continue
        text = []
        for child in token.children:
            if child.type == "link_open":
                break
            text.append(child.content if child.type in _TEXTUAL else "\n")
        joined = "".join(text)
        if joined.startswith(startswith):
            return joined
    return None


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_papers())
def test_catalog_text_adds_no_markup_to_the_page(paper: Paper) -> None:
    page = render([paper], sample_settings())
    twin = render([twin_of(paper)], sample_settings())
    assert shape(page) == shape(twin), page
    for token in MD.parse(page):
        before = ""  # the character shown before the current token
        for child in token.children or []:
            if child.type == "link_open":
                href = child.attrs["href"]
                assert href.startswith("#") or href == "https://arxiv.org/abs/2101.00001", href
            if child.type in _TEXTUAL:
                for m in _WWW_RE.finditer(child.content):
                    prev = child.content[m.start() - 1] if m.start() else before
                    # GFM links "www." at a line start, after a space or after * _ ~ (.
                    assert not (prev == "" or prev.isspace() or prev in "*_~("), child.content
                before = child.content[-1:] or before
            else:
                before = "" if child.type in ("softbreak", "hardbreak") else "\x00"
    # HTML blocks hold our own tags only, and show exactly the catalog text.
    for mine, theirs in zip(html_blocks(page), html_blocks(twin), strict=True):
        got, want = _Tags(), _Tags()
        got.feed(mine)
        want.feed(theirs)
        assert got.tags == want.tags, mine
    if paper.digest is not None and fold_lines(paper.digest).strip():
        digest = next(b for b in html_blocks(page) if "Digest" in b)
        shown = html.unescape(digest.split("</summary>", 1)[1].rstrip("\n"))
        assert shown == " " + fold_lines(paper.digest)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.lists(TEXT, min_size=1, max_size=3))
def test_title_and_key_words_show_exactly_their_text(title: str, keywords: list[str]) -> None:
    paper = Paper(title=title, year=2021, section="empirical-study", keywords=keywords,
                  links=[Link("paper", "https://arxiv.org/abs/2101.00001")])
    page = "\n".join(line for _, line in entry_lines(paper)) + "\n"
    shown_title = fold_lines(title).strip(" ")
    ending = "" if shown_title.endswith(("?", "!")) else "."
    got = shown_text(page, "")
    # markdown-it trims Unicode spaces (U+00A0 too) at a paragraph's ends; cmark does not.
    assert got is not None and got.strip() == (shown_title + ending).strip()
    words = "; ".join(fold_lines(k) for k in keywords)
    assert shown_text(page, "Key Word:").strip() == f"Key Word: {words}.".strip()


def github_slug(text: str, seen: dict[str, int]) -> str:
    """github-slugger: lower case, drop what is not a letter, mark, decimal or letter number
    (it drops other numbers: '²', '¼'), connector, space or hyphen, spaces to hyphens; a repeat
    gets -1, -2, ... in page order."""
    keep = "".join(ch for ch in text.lower() if ch in " -" or unicodedata.category(ch)[0] in "LM"
                   or unicodedata.category(ch) in ("Nd", "Nl", "Pc"))
    slug = base = keep.replace(" ", "-")
    while slug in seen:
        seen[base] += 1
        slug = f"{base}-{seen[base]}"
    seen[slug] = 0
    return slug


def anchors_and_links(page: str) -> tuple[list[str], list[str]]:
    seen: dict[str, int] = {}
    anchors, links = [], []
    tokens = MD.parse(page)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or [] if c.type in _TEXTUAL)
            anchors.append(github_slug(text, seen))
        for child in token.children or []:
            if child.type == "link_open" and child.attrs["href"].startswith("#"):
                links.append(unquote(child.attrs["href"][1:]))  # the parser %-encodes it
    return anchors, links


# Headings of catalog.toml are the curator's markdown (emphasis in them is theirs to write);
# plain text with the punctuation that makes slugs collide. Paper files' own sections: TEXT.
_HEADING = st.text(alphabet="aAbBzé\u0f8d19 -!?:.,'()", min_size=1, max_size=12).filter(
    lambda t: t.strip(" "))


@settings(max_examples=150, deadline=None)
@given(st.lists(_HEADING, min_size=1, max_size=5, unique=True), st.lists(TEXT, max_size=2))
@example(["1"], ["\ue041"])  # a private-use character, where escapes were set aside
def test_every_contents_link_lands_on_a_heading(headings: list[str],
                                                unknown: list[str]) -> None:
    """Sections whose headings slug alike ("Empirical Study", "Empirical Study!"), one named
    like the contents heading, and sections no setting defines (a paper file's own text)."""
    sections = [Section(h.strip(" "), f"s{i}") for i, h in enumerate(headings)]
    sections.append(Section("Table of Contents", "toc-twin"))
    config = sample_settings(sections=sections)
    papers = [Paper(title="T", year=2020, section=sec.slug,
                    links=[Link("paper", "https://arxiv.org/abs/2001.00001")])
              for sec in sections]
    # markdown-it (the reference here) trims any Unicode space off a heading; CommonMark and
    # GitHub's cmark only spaces and tabs, and the page's anchors follow GitHub. Judged on the
    # name as the page writes it, its control characters dropped ("> \xa0\x1b" ends in a
    # no-break space there).
    unknown = [name for name in unknown
               if (shown := fold_lines(name)).strip() == shown.strip(" \t")]
    papers += [Paper(title="U", year=2020, section=name) for name in unknown if name.strip()]
    page = render(papers, config)
    anchors, links = anchors_and_links(page)
    assert links and set(links) <= set(anchors), page
    assert len(links) == len(set(links)), page  # each item its own heading


# Headings with what GitHub's slug drops or reads as text: parentheses and brackets, links whose
# URL holds balanced parentheses, images, autolinks, tags, character references, escapes,
# numbers GitHub keeps ('Ⅻ') or drops ('²').
_HEADING_PIECES = ["(", ")", "[", "]", "()", "(2020)", "[x](u_(v)w)", "[y [z] (w)](<a b> \"t\")",
                   "[p](q_(r_(s)))", "![i](p_(q)r)", "<https://e.org/(a)>", "<a@b.org>", "<b>",
                   "&amp;", "&#40;", "&copy;", "\\(", "\\[", "snake_case", "-", "²", "Ⅻ", "C++",
                   "é", "\u0f8d", ":", "?", "!", ".", "/", "'", "&", "  "]
_MARKDOWN_HEADING = st.lists(st.one_of(st.sampled_from(_HEADING_PIECES),
                                       st.text(alphabet="aZ9 ", min_size=1, max_size=4)),
                             min_size=1, max_size=6).map("".join).filter(lambda t: t.strip(" "))


@settings(max_examples=200, deadline=None)
@given(st.lists(_MARKDOWN_HEADING, min_size=1, max_size=5, unique=True))
def test_heading_anchors_are_githubs(headings: list[str]) -> None:
    """Every heading's anchor, as deepphen computes it for the contents, is the one GitHub gives
    the text a CommonMark parser shows of it (numbered -1, -2, ... when taken)."""
    sections = [Section(h.strip(" "), f"s{i}") for i, h in enumerate(headings)]
    page = render([Paper(title="T", year=2020, section=sec.slug) for sec in sections],
                  sample_settings(sections=sections))
    expected, links = anchors_and_links(page)
    assert list(page_anchors(page.split("\n")).values()) == expected, page
    assert set(links) <= set(expected), page
    assert len(set(links)) == len(sections), page  # each section's item links to it


def test_colliding_headings_link_as_github_numbers_them() -> None:
    config = sample_settings(sections=[Section("Empirical Study", "a"),
                                       Section("Empirical Study!", "b")])
    papers = [Paper(title="T", year=2020, section=s) for s in ("a", "b")]
    page = render(papers, config)
    assert "- [Empirical Study](#empirical-study)" in page
    assert "- [Empirical Study!](#empirical-study-1)" in page


@pytest.mark.parametrize("text", ["\ue041", "a\\*\ue02a", "\ue000\\[x\\]\uf8ff",
                                  "".join(map(chr, range(0xE000, 0xE100))) + "\\_"])
def test_private_use_characters_are_text_not_set_aside_escapes(text: str) -> None:
    """Escapes are set aside as private-use characters while links and emphasis are read; a
    heading's own private-use characters must come out as they went in, not as escapes."""
    plain = text.replace("\\", "")
    assert heading_text(text) == plain
    assert link_label(text) == text


# Verbatim lines (an entry as an imported page wrote it) may differ from the list's format in
# spacing, periods, ';' against ',', the marker and the key-word label's spelling: never in
# what the page shows as markup, nor where a link leads. Variants of each canonical line are
# made with such edits anywhere (a URL's dots and spaces, the indentation before a marker, the
# blanks beside a '*' or in a tag, ...); whenever export takes one, the page must hold the
# canonical page's markup and links.

_EDITS = [" ", "  ", "    ", "\t", ".", ""]


@st.composite
def verbatim_variants(draw: st.DrawFn) -> tuple[Paper, list[str]]:
    paper = Paper(title=draw(st.sampled_from(["Grokking", "Deep Double Descent", "A.B. Test"])),
                  year=2022, section="empirical-study",
                  authors=draw(st.sampled_from([["Alethea Power"], ["A. Power", "Y. Burda"]])),
                  venue=draw(st.sampled_from([None, "ICLR 2022"])),
                  keywords=["Grokking", "Phase Transition"],
                  digest=draw(st.sampled_from([None, "Late generalization. See the paper."])),
                  authors_collapsed=draw(st.booleans()),
                  links=[Link("paper", draw(st.sampled_from([
                      "https://arxiv.org/abs/2201.02177", "https://www.example.org/a.b/c"]))),
                         Link("code", "https://github.com/openai/grok")])
    lines = []
    for _, line in entry_lines(paper):
        for _ in range(draw(st.integers(0, 2))):
            at = draw(st.integers(0, len(line)))
            cut = draw(st.integers(0, 1))
            line = line[:at] + draw(st.sampled_from(_EDITS)) + line[at + cut:]
        lines.append(line)
    return paper, lines


# What is markup on the page (a list's nesting aside: imported pages keep a digest line
# without its marker, or with its marker at the margin, and so may a verbatim line).
_MARKUP_TOKENS = {"link_open", "image", "em_open", "strong_open", "s_open", "code_inline",
                  "code_block", "fence", "heading_open", "blockquote_open", "html_block",
                  "html_inline", "hr", "table_open", "lheading_open"}


def _markup(page: str) -> list[str]:
    found = []
    for token in MD.parse(page):
        found += [t.type for t in [token, *(token.children or [])] if t.type in _MARKUP_TOKENS]
    return sorted(found)


def _links(page: str) -> list[str]:
    return [child.attrs["href"] for token in MD.parse(page) for child in token.children or []
            if child.type == "link_open"]


@settings(max_examples=400, deadline=None)
@given(verbatim_variants())
def test_verbatim_lines_change_no_markup_and_no_link(case: tuple[Paper, list[str]]) -> None:
    paper, verbatim = case
    canonical = render([paper], sample_settings())
    # Two entries, so the variant is tried both after a heading and after another entry.
    other = Paper(title="Other", year=2022, section="empirical-study", authors=["B C"],
                  keywords=["K"], links=[Link("paper", "https://arxiv.org/abs/2201.00001")])
    canonical = render([paper, other], sample_settings())
    paper.verbatim = verbatim
    page = render([paper, other], sample_settings())
    if verbatim[0] not in page.split("\n"):
        return  # not taken: the entry is written in the list's format
    assert _markup(page) == _markup(canonical), page
    assert _links(page) == _links(canonical), page


_GROKKING = Paper(title="Grokking", year=2022, section="empirical-study",
                  authors=["Alethea Power"], venue="ICLR 2022", keywords=["Grokking"],
                  links=[Link("paper", "https://arxiv.org/abs/2201.02177")])
_LINES = [line for _, line in entry_lines(_GROKKING)]


@pytest.mark.parametrize("verbatim", [
    [_LINES[0].replace("arxiv.org", "arxivorg"), *_LINES[1:]],  # another host
    [_LINES[0].replace("2201.02177", "2201 02177"), *_LINES[1:]],  # no link at all
    ["    " + _LINES[0], *_LINES[1:]],  # code after a heading
    ["\t" + _LINES[0], *_LINES[1:]],
    [" " + _LINES[0], *_LINES[1:]],  # its lines become entries of their own
    [_LINES[0], "        " + _LINES[1].lstrip(), _LINES[2]],  # code inside the entry
    [_LINES[0], _LINES[1], "      " + _LINES[2].lstrip()],  # an item inside the authors'
    [_LINES[0], "  -\t" + _LINES[1].lstrip(" -"), _LINES[2]],
    [_LINES[0], _LINES[1].replace("*ICLR 2022*", "*ICLR 2022 *"), _LINES[2]],
    "html-without-marker",  # an author list whose HTML block takes the key words in
    [_LINES[0], "- " + _LINES[1].lstrip(" -"), _LINES[2]],  # an entry of its own
    "ci-without-marker",  # an author's "::error ...::" starting a line of the page
], ids=["host", "space-in-url", "indent-4", "tab", "indent-1", "sub-code", "sub-nested",
        "tab-after-marker", "emphasis-space", "html-without-marker", "marker-at-margin",
        "ci-without-marker"])
def test_verbatim_that_changes_markup_is_not_taken_and_lint_says_so(
        verbatim: list[str] | str, tmp_path) -> None:
    from deepphen.lint import engine
    from deepphen.verbatim import page_lines
    from tests.helpers import make_catalog

    paper = dataclasses.replace(_GROKKING, verbatim=verbatim)
    if verbatim == "html-without-marker":
        paper.authors_collapsed = True
        lines = [line for _, line in entry_lines(paper)]
        paper.verbatim = [lines[0], "  " + lines[1].lstrip(" -"), lines[2]]
    if verbatim == "ci-without-marker":  # the page printed in a CI log forged an annotation
        paper.authors = ["::error file=forged.py::forged", "B C"]
        lines = [line for _, line in entry_lines(paper)]
        paper.verbatim = [lines[0], "  " + lines[1].lstrip(" -"), lines[2]]
    assert page_lines(paper) == [line for _, line in entry_lines(paper)]  # not the verbatim
    root = make_catalog(tmp_path / "catalog", [paper])
    assert "DP505" in {p.rule for p in engine.run(root)}


@given(st.lists(st.sampled_from(["&", "lt", "copy", "notin", "amp", "#60", "#x3c", "#", "x",
                                 ";", " ", "G", "C", "AElig", "<", "b>", "#35", "[", "vso",
                                 "\u200b", "&#35;"]), max_size=10)
       .map("".join))
@example("##[warning]x &#35;##[y &#35;#[z ##vso[task.setvariable] #\u200b#[w")
def test_raw_html_shows_exactly_its_text_even_without_semicolons(text: str) -> None:
    """A digest or author list sits in raw HTML, where a browser reads "&lt", "&copy 2020" and
    "&#60" as characters though no ';' ends them (html.unescape reads as a browser does).
    Written there as text, "##[" would open a CI command in a log that prints the page: its
    '#' is "&#35;", which shows the same."""
    from deepphen.dialect import escape_html, unescape_html

    assert html.unescape(escape_html(text)) == text
    assert unescape_html(escape_html(text)) == text
    assert not re.search(r"#[\u200b]*#[A-Za-z]*\[", escape_html(text))
    assert escape_html("G&C and AT&T") == "G&C and AT&T"  # no reference: left as the page had it
