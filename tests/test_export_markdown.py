"""The markdown export: the list's layout, filtered pages, and escaping of hostile text.

Golden file: tests/golden/markdown/sample.md (regenerate with ``UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from deepphen.dialect import (
    UNSAFE_URL,
    entry_lines,
    escape_html,
    escape_md,
    fold_lines,
    safe_url,
    unescape_html,
    unescape_md,
)
from deepphen.export import exporter
from deepphen.export.markdown import render, render_entry
from deepphen.importer import parse_list
from deepphen.models import Link, Paper, Resource
from deepphen.verbatim import page_lines
from tests.helpers import check_golden, sample_papers, sample_settings

# Our own two HTML openers; any other tag-like '<' in the output would be injected HTML.
OWN_HTML = ("<details><summary>Digest</summary>", "<details><summary>Author List</summary>")
TAG_RE = re.compile(r"<[A-Za-z/!?]")
# In markdown text a backslash makes '<' literal (an even run of backslashes does not).
MD_TAG_RE = re.compile(r"(?<!\\)(?:\\\\)*<[A-Za-z/!?]")


def injected_tags(line: str) -> list[str]:
    """Tag openers in a rendered line other than our own <details> openers.

    Inside those (a raw-HTML line) a backslash escapes nothing, so any '<' counts there.
    """
    for own in OWN_HTML:
        if own in line:
            return TAG_RE.findall(line.replace(own, ""))
    return MD_TAG_RE.findall(line)


def settings_with_resources():
    return sample_settings(
        badges="![PRs](https://img.shields.io/badge/PRs-welcome-green)",
        title_badge="[![Listed](https://example.org/b.svg)](https://example.org)",
        toc_image='<img width="30%" src="img/x.png" />',
        resources=[Resource("A Blog", "https://example.org/blog"),
                   Resource("A List", "https://github.com/o/r", "![ ](https://example.org/s)")],
        closing="# Contributing\n\nSee CONTRIBUTING.md.",
        blank_lines={"Neural Collapse": 2, "Contributing": 2},
    )


def test_page_matches_golden(catalog_dir: Path, run_cli) -> None:
    from deepphen.catalog import settings_to_toml

    (catalog_dir / "catalog.toml").write_text(settings_to_toml(settings_with_resources()))
    result = run_cli("export", "--format", "md", "--catalog", catalog_dir)
    check_golden("sample.md", result.stdout)


def test_registered_in_formats() -> None:
    assert exporter("md") is render


def test_layout_of_one_section() -> None:
    papers = [p for p in sample_papers() if p.section == "empirical-study"]
    page = render(papers, sample_settings())
    assert page == "\n".join([
        "# Test List", "", "A list for tests.", "", "# Table of Contents", "",
        "- [Empirical Study](#empirical-study)",
        "", "## Empirical Study", "", "![avatar](https://example.org/a.png)",
        "", "### Empirical Study: 2025", "",
        "- When Bad Data Leads to Good Models. [[paper]](https://arxiv.org/abs/2505.04741)",
        "  - Kenneth Li, Yida Chen, Fernanda Viégas, Martin Wattenberg.",
        "  - Key Word: Detoxification; Large Language Model.",
        "", "### Empirical Study: 2024", "",
        "- AI models collapse when trained on recursively generated data. "
        "[[paper]](https://www.nature.com/articles/s41586-024-07566-y)",
        "  - Ilia Shumailov, Zakhar Shumaylov. *Nature*",
        "  - Key Word: Model Collapse.", ""])


def test_sections_without_papers_are_left_out_with_their_toc_item() -> None:
    papers = [p for p in sample_papers() if p.section == "others"]
    page = render(papers, settings_with_resources())
    assert "- [Other Papers](#others)" in page and "## Others" in page
    assert "Neural Collapse" not in page and "Empirical Study" not in page
    assert "- [Resources](#related-resources)" in page
    again = parse_list(page)
    assert [p.title for p in again.papers] == [papers[0].title]


def test_filtered_export_through_the_cli(catalog_dir: Path, run_cli) -> None:
    result = run_cli("export", "--format", "md", "--section", "Neural Collapse",
                     "--catalog", catalog_dir)
    assert result.stdout.count("\n## ") == 1
    assert "- [Neural Collapse](#neural-collapse)" in result.stdout
    assert "Grokking" not in result.stdout


def test_years_newest_first_and_papers_by_sort_key() -> None:
    base = dict(section="others", keywords=["K"])
    papers = [
        Paper(title="Old", year=2019, arxiv="1901.00001", **base),
        Paper(title="Late", year=2020, arxiv="2012.00001", **base),
        Paper(title="Placed", year=2020, sort_as="2012.00001", **base),
        Paper(title="Early", year=2020, arxiv="2001.00001", **base),
    ]
    page = render(papers, sample_settings())
    titles = re.findall(r"^- (\w+)\.", page, re.MULTILINE)
    assert titles == ["Late", "Placed", "Early", "Old"]
    assert page.index("### Others: 2020") < page.index("### Others: 2019")


@pytest.mark.parametrize(("style", "headings", "read_back"), [
    (None, ["### Others: 2020", "### Others: 2019"], None),
    ("{year}", ["### 2020", "### 2019"], "{year}"),
    ("Others ({year})", ["### Others (2020)", "### Others (2019)"], "Others ({year})"),
    # A style import does not know (text after the year) still reads back the years.
    ("{year} {x}", ["### 2020 {x}", "### 2019 {x}"], None),
])
def test_year_headings_in_the_section_style(style: str | None, headings: list[str],
                                            read_back: str | None) -> None:
    # New Section objects: sample_settings shares its sections between tests.
    settings = sample_settings(sections=[
        dataclasses.replace(sec, year_heading=style) if sec.slug == "others" else sec
        for sec in sample_settings().sections])
    papers = [Paper(title=f"P{year}", year=year, section="others", arxiv=f"{year % 100}01.00001")
              for year in (2019, 2020)]
    page = render(papers, settings)
    assert re.findall(r"^### .*$", page, re.MULTILINE) == headings
    again = parse_list(page)
    assert [p.year for p in again.papers] == [2020, 2019]
    assert again.settings.section("others").year_heading == read_back


def test_missing_fields_leave_their_lines_out() -> None:
    bare = Paper(title="Bare Paper", year=2020, section="others")
    assert render_entry(bare) == "- Bare Paper."
    venue_only = Paper(title="Why Not?", year=2020, section="others", venue="Nature")
    assert render_entry(venue_only) == "- Why Not?\n  - *Nature*"
    collapsed = Paper(title="Many Authors", year=2020, section="others",
                      authors=["A One", "B Two"], authors_collapsed=True, keywords=["K"])
    assert render_entry(collapsed).splitlines()[1] == (
        "  - <details><summary>Author List</summary> A One, B Two.")


def test_render_entry_is_the_list_format() -> None:
    grok = sample_papers()[0]
    assert render_entry(grok) == "\n".join([
        "- Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets. "
        "[[paper]](https://arxiv.org/abs/2201.02177) [[code]](https://github.com/openai/grok)",
        "  - Alethea Power, Yuri Burda, Harri Edwards, Igor Babuschkin, Vedant Misra. "
        "*ICLR 2022 Workshop*",
        "  - Key Word: Grokking.",
        "  - <details><summary>Digest</summary> A small network learns modular arithmetic "
        "long after it overfits.",
    ])
    assert [kind for kind, _ in entry_lines(grok)] == ["title", "authors", "keywords", "digest"]


# ---- escaping ------------------------------------------------------------------------------

HOSTILE = [
    ("title", "Nice <script>alert(1)</script> Title"),
    ("title", "Click [here](javascript:alert(1)) now"),
    ("title", "Sneaky [[code]](https://evil.example) label"),
    ("title", "![img](https://evil.example/x.png)"),
    ("title", "# Heading\n## Another heading\n- [x](https://evil.example)"),
    ("title", "<details><summary>Digest</summary> fake"),
    ("title", "1. ordered"),
    ("title", "12"),
    ("title", "[ ] task box"),
    ("title", "> quoted"),
    ("title", "```fence"),
    ("title", "back\\slash\\"),
    ("authors", "Key Words: Not A Keyword"),
    ("authors", "Mallory <img src=x onerror=alert(1)>"),
    ("authors", "Comma, Inside"),
    ("authors", "Star *bold* Name"),
    ("authors", "- nested"),
    ("venue", "NeurIPS* *Fake"),
    ("keywords", "A; B"),
    ("keywords", "<b>bold</b>"),
    ("digest", "Ends here.</details><script>alert(1)</script>"),
    ("digest", "Line one\n\n## Injected heading\n- item"),
    ("digest", "An &lt;entity&gt; and <!-- comment --> and <a href='javascript:x'>a</a>"),
    ("label", "code]](https://evil.example) [[x"),
]


def hostile_paper(field: str, value: str) -> Paper:
    paper = Paper(title="Plain Title", year=2021, section="others", authors=["Ann Author"],
                  venue="ICML 2021", keywords=["Safe"], digest="Plain digest.",
                  links=[Link("paper", "https://arxiv.org/abs/2101.00001")], arxiv="2101.00001",
                  authors_collapsed=field == "authors" and "img" in value)
    if field in ("authors", "keywords"):
        setattr(paper, field, [value, "Other"])
    elif field == "label":
        paper.links.append(Link(value, "https://github.com/o/r"))
    else:
        setattr(paper, field, value)
    return paper


@pytest.mark.parametrize(("field", "value"), HOSTILE)
def test_hostile_text_cannot_inject(field: str, value: str) -> None:
    paper = hostile_paper(field, value)
    lines = render_entry(paper).split("\n")
    # One line per field: no newline, heading or list item escapes its line.
    assert len(lines) == 4
    for line in lines:
        assert not injected_tags(line), line
    # Links: only the entry's own, in the entry's own place.
    assert re.findall(r"(?<!\\)\]\((?!https://(arxiv\.org|github\.com))", lines[0]) == []
    # Reading the page back gives the same fields (line breaks folded into spaces).
    page = render([paper], sample_settings())
    back = parse_list(page).papers
    assert len(back) == 1
    expected = paper.to_dict()
    if field in ("title", "digest"):
        expected[field] = fold_lines(value)
    assert back[0].to_dict() == expected


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
    "java\nscript:alert(1)", "javascript&#58;alert(1)", "&#x6A;avascript:alert(1)",
    "javascript\\:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
    "file:///etc/passwd",
])
def test_unsafe_urls_are_neutralized(url: str) -> None:
    assert safe_url(url) == UNSAFE_URL
    paper = Paper(title="T", year=2020, section="others", links=[Link("code", url)])
    assert render_entry(paper) == f"- T. [[code]]({UNSAFE_URL})"


def test_urls_that_would_end_the_link_are_encoded() -> None:
    assert safe_url("https://example.org/a b)(c<d>") == "https://example.org/a%20b%29%28c%3Cd%3E"
    # Ordinary URLs stay byte for byte, tracking parameters and all (lint's job, not export's).
    real = "https://www.nature.com/articles/x?utm_medium=Social&utm_campaign=nature#Echobox=1"
    assert safe_url(real) == real
    assert safe_url("mailto:someone@example.org") == "mailto:someone@example.org"
    assert safe_url("./img/local.png") == "./img/local.png"


# Text as the real list has it: escaping must leave it byte for byte.
ORDINARY_FIELDS = [
    "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
    "Triple descent and the two kinds of overfitting: Where & why do they appear?",
    "Why does deep and cheap learning work so well?",
    "Laurent_Viennot", "Clément Hongler", "X. Y. Han", "Invariance and Equivariance",
]
ORDINARY_DIGESTS = [
    "with high-dimensional (>100) data and rank \\(\\sqrt{N}\\) at 1\\% cost",
    "see [Jacot et al., 2018] and [recent work](https://arxiv.org/abs/1703.00810)",
    "the ``grokking'' effect and *global optimality* with η* ∝ γ² and \\cite{x}",
]


@pytest.mark.parametrize("text", ORDINARY_FIELDS)
def test_ordinary_fields_are_unchanged(text: str) -> None:
    assert escape_md(text, ",;", line_start=True) == text


@pytest.mark.parametrize("text", ORDINARY_DIGESTS + ORDINARY_FIELDS)
def test_ordinary_digests_are_unchanged(text: str) -> None:
    assert escape_html(text) == text


_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")))


@given(_ANY_TEXT, st.sampled_from(["", ",;", ";,"]), st.booleans())
def test_escape_md_round_trips(text: str, separators: str, line_start: bool) -> None:
    # escape_md first drops what fold_lines drops (bidi and other invisible formatting
    # characters, '\ufff9'); at a line start, spaces around the text go: they would indent it
    # into a code block.
    text = fold_lines(text)
    expected = text.strip(" ") if line_start else text
    assert unescape_md(escape_md(text, separators, line_start=line_start)) == expected


@given(_ANY_TEXT)
@example("a\u202eb\U000e0041")
def test_escape_html_round_trips(text: str) -> None:
    # As escape_md, escape_html first drops what fold_lines drops (bidi controls, tag
    # characters: format characters the strategy draws now and then, e.g. '\U000e0000').
    escaped = escape_html(text)
    assert unescape_html(escaped) == fold_lines(text)
    assert not TAG_RE.search(escaped)


@given(_ANY_TEXT)
def test_collapsed_authors_round_trip(text: str) -> None:
    assert unescape_md(unescape_html(escape_html(escape_md(text, ",;")))) == fold_lines(text)


# ---- verbatim entries ----------------------------------------------------------------------


def _grokking() -> Paper:
    return Paper(title="Grokking", year=2022, section="others", authors=["Alethea Power"],
                 keywords=["Grokking"], arxiv="2201.02177",
                 links=[Link("paper", "https://arxiv.org/abs/2201.02177")])


def test_verbatim_lines_are_written_while_they_differ_in_formatting_only() -> None:
    paper = _grokking()
    paper.verbatim = ["- Grokking [[paper]](https://arxiv.org/abs/2201.02177)  ",
                      "   - Alethea Power *",
                      "  - Key Wrod:Grokking"]
    assert page_lines(paper) == [line for _, line in entry_lines(paper)]  # '*' is text
    paper.verbatim[1] = "   - Alethea Power"
    assert page_lines(paper) == paper.verbatim


@pytest.mark.parametrize("title_line", [
    "- Grokking <script>x</script>. [[paper]](https://arxiv.org/abs/2201.02177)",
    "- Grokking. [[paper]](javascript:alert(1))",
    "- [Grokking](https://evil.example). [[paper]](https://arxiv.org/abs/2201.02177)",
    "- Grokking. [[paper]](https://arxiv.org/abs/2201.02177)\n# Injected heading",
    "- Grokking, revised. [[paper]](https://arxiv.org/abs/2201.02177)",
])
def test_verbatim_lines_cannot_carry_other_text(title_line: str) -> None:
    paper = _grokking()
    canonical = [line for _, line in entry_lines(paper)]
    paper.verbatim = [title_line, *canonical[1:]]
    assert page_lines(paper) == canonical


def test_verbatim_is_dropped_when_a_field_changes() -> None:
    paper = _grokking()
    paper.verbatim = [line + " " for _, line in entry_lines(paper)]
    assert page_lines(paper) == paper.verbatim
    paper.title = "Grokking: Generalization Beyond Overfitting"
    assert page_lines(paper) == [line for _, line in entry_lines(paper)]


def test_verbatim_with_a_line_break_is_refused_on_load() -> None:
    from deepphen.models import FieldError

    with pytest.raises(FieldError, match="without line breaks"):
        Paper.from_dict({"title": "T", "year": 2020, "section": "others",
                         "verbatim": ["- T.\n# injected"]})
