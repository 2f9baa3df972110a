"""``deepphen import`` and deepphen.importer.parse_list: every variant of the real page.

tests/fixtures/lists/variants.md is an invented excerpt page holding each oddity the real
list has (misspelt labels, odd indentation, closed details, duplicates, entries without
links...). Its export and its problem report are golden files; regenerate them after an
intended change with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_importer.py``
and review the diff.
"""

from __future__ import annotations

import collections
import difflib
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deepphen import catalog
from deepphen.catalog import Catalog
from deepphen.catalog_write import write_catalog
from deepphen.dialect import fold_lines
from deepphen.errors import DeepphenError
from deepphen.export.markdown import render, render_entry
from deepphen.import_entry import ERROR, ImportNote
from deepphen.importer import ImportResult, iter_problem_lines, parse_list
from deepphen.models import Link, Paper, Settings
from deepphen.order import assign_sort_as
from deepphen.printable import has_control
from tests.helpers import FIXTURES, check_golden, sample_settings

VARIANTS = FIXTURES / "lists" / "variants.md"
GOLDEN = Path(__file__).parent / "golden" / "markdown"


@pytest.fixture(scope="module")
def variants() -> ImportResult:
    return parse_list(VARIANTS.read_text(encoding="utf-8"), source="variants.md")


def by_title(result: ImportResult) -> dict[str, Paper]:
    return {p.title: p for p in result.papers}


def assert_page_order(papers: list[Paper]) -> None:
    """Sorting each year subsection as export does gives back the page order."""
    groups: dict[tuple[str, int], list[Paper]] = collections.defaultdict(list)
    for paper in papers:
        groups[(paper.section, paper.year)].append(paper)
    for group in groups.values():
        assert sorted(group, key=Paper.sort_key, reverse=True) == group


# ---- the variants page ---------------------------------------------------------------------


def test_variants_export_matches_golden(variants: ImportResult) -> None:
    check_golden("variants.md", render(variants.papers, variants.settings))


def test_variants_problems_match_golden(variants: ImportResult) -> None:
    check_golden("variants.problems.txt", "\n".join(iter_problem_lines(variants)) + "\n")


def test_exported_page_reads_back_to_itself() -> None:
    page = (GOLDEN / "variants.md").read_text(encoding="utf-8")
    again = parse_list(page)
    assert render(again.papers, again.settings) == page
    # Written in the list's format (verbatim dropped, as lint --fix does), the page reads back
    # to itself, and only the rule breaks of the papers themselves remain.
    for paper in again.papers:
        paper.verbatim = []
    normal = render(again.papers, again.settings)
    again = parse_list(normal)
    assert render(again.papers, again.settings) == normal
    assert not any(p.verbatim for p in again.papers)
    assert {p.message for p in again.problems} == {
        "entry has no paper link (imported with no links)", "entry has no 'Key Word:' line"}


def test_every_entry_is_read_or_reported(variants: ImportResult) -> None:
    text = VARIANTS.read_text(encoding="utf-8")
    body = text.split("## Related Resources")[0].split("\n## ", 1)[1]
    entries = [line for line in body.splitlines()
               if line.startswith("- ") and "<details>" not in line]
    skipped = [p for p in variants.problems if "left out" in p.message and p.level == ERROR]
    assert len(variants.papers) + len(skipped) == len(entries) == 18


def test_settings_are_captured(variants: ImportResult) -> None:
    s = variants.settings
    assert s.title == "Fixture Phenomena"
    assert s.title_badge.startswith("[![Listed]")
    assert s.badges.splitlines()[1] == "![Papers](https://img.shields.io/badge/papers-many-blue)"
    assert s.intro.endswith("must read. ")  # verbatim, trailing space and all
    assert s.toc_heading == "Table of Contents"
    assert s.toc_image.startswith('<img width="20%"')
    assert [sec.slug for sec in s.sections] == [
        "empirical-study", "neural-collapse", "emergence-and-phase-transitions", "others"]
    assert s.sections[0].image == "https://example.org/img/empirical.png"
    assert s.sections[2].image is None
    assert (s.sections[3].toc_label, s.sections[3].toc_anchor) == ("Other Papers", "others")
    assert s.resources_toc_label == "Resources"
    assert [r.name for r in s.resources] == ["Invented Theory Blog", "Invented Paper List"]
    assert s.resources[1].badges.startswith("![ ](https://img.shields.io/github/stars/")
    assert s.closing.startswith("# Contributing\n\nOpen an issue")
    assert s.closing.endswith("  - Authors. *Venue*")
    assert s.blank_lines == {"Empirical Study": 2, "Empirical Study: 2016": 2,
                             "Neural Collapse": 2, "Neural Collapse: 2020": 2,
                             "Others": 2, "Contributing": 2}


def test_paper_fields(variants: ImportResult) -> None:
    papers = by_title(variants)
    nature = papers["AI models collapse when trained on recursively generated data"]
    assert nature.arxiv is None and nature.venue == "Nature" and nature.year == 2024
    assert nature.links == [Link("paper", "https://www.nature.com/articles/"
                                          "s41586-024-07566-y?utm_source=feed#top")]
    assert nature.digest.endswith("the tails of the distribution.")  # </details> dropped
    lora = papers["LoRA Learns Less and Forgets Less"]
    assert lora.keywords == ["LoRA", "Fine-Tuning"] and lora.digest is None
    assert papers["Are Emergent Abilities of Large Language Models a Mirage?"].arxiv == "2304.15004"
    assert "Scaling Laws Keep Working!" in papers
    scaling = papers["Scaling Laws Keep Working!"]
    assert [link.label for link in scaling.links] == ["paper", "blog"]
    assert scaling.authors == ["Invented Person", "Other Invented Person"]
    grok = papers["Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets"]
    assert grok.year == 2023  # as the page says, though the id says 2022: lint's to flag
    assert grok.venue == "ICLR 2022 Workshop"
    framework = papers["A deep learning framework for neuroscience"]
    assert framework.authors_collapsed and framework.venue == "Nature Neuroscience"
    assert framework.authors[-1] == "Yoshua Bengio & Konrad P. Kording"
    assert papers["Emergent Abilities of Large Language Models"].keywords == []
    assert papers["Does Neural Collapse Happen Everywhere?"].keywords == [
        "Neural Collapse", "Transfer Learning"]
    info = papers["Opening the Black Box of Deep Neural Networks via Information"]
    assert "[compress](https://arxiv.org/abs/1503.02406)" in info.digest
    assert papers["The Unreasonable Ineffectiveness of the Deeper Layers"].digest.endswith(
        "little loss. ")  # digest text is kept as written


def test_an_old_style_id_listed_with_and_without_its_subject_class_is_one_paper() -> None:
    """math.GT/0309136 and math/0309136 are one paper: both were imported, two files of
    it (lint's DP304 then refused the catalog it had just written)."""
    page = ("# L\n\n## Others\n\n### Others: 2003\n\n"
            "- A Knot Paper. [[paper]](https://arxiv.org/abs/math.GT/0309136)\n"
            "  - Ann Author.\n\n"
            "- A Knot Paper Again. [[paper]](https://arxiv.org/abs/math/0309136v2)\n"
            "  - Ann Author.\n")
    result = parse_list(page)
    assert [p.arxiv for p in result.papers] == ["math.GT/0309136"]
    assert ImportNote(10, "arXiv math/0309136 already listed at line 7; a catalog holds a "
                      "paper once, so this entry is left out", ERROR) in result.problems


def test_entry_without_link_is_imported_and_reported(variants: ImportResult) -> None:
    paper = by_title(variants)["Does Neural Collapse Happen Everywhere?"]
    assert paper.links == [] and paper.arxiv is None
    assert paper.digest == "An invented entry without any paper link."
    assert ImportNote(70, "entry has no paper link (imported with no links)", "warning") \
        in variants.problems


def test_duplicate_is_reported_with_line_and_skipped(variants: ImportResult) -> None:
    assert [p.section for p in variants.papers if p.arxiv == "2008.08186"] == ["neural-collapse"]
    dup = [p for p in variants.problems if p.level == ERROR]
    assert dup == [ImportNote(119, "arXiv 2008.08186 already listed at line 65; a catalog "
                                   "holds a paper once, so this entry is left out", ERROR)]


def test_keys_are_ids_or_title_slugs(variants: ImportResult) -> None:
    keys = [p.key for p in variants.papers]
    assert len(set(keys)) == len(keys)
    assert by_title(variants)["Scaling Laws Keep Working!"].key == "scaling-laws-keep-working"
    assert by_title(variants)["LoRA Learns Less and Forgets Less"].key == "2405.09673"


def test_sort_as_reproduces_page_order(variants: ImportResult) -> None:
    assert_page_order(variants.papers)
    papers = by_title(variants)
    # In id order: no sort_as. Out of id order or without an id: a position below its upper
    # neighbour.
    assert papers["LoRA Learns Less and Forgets Less"].sort_as is None
    assert papers["AI models collapse when trained on recursively generated data"].sort_as \
        == "2405.14860"
    assert papers["The Platonic Representation Hypothesis"].sort_as == "2403.17887"
    assert papers["Emergent Abilities of Large Language Models"].sort_as == "2201.02176"


def test_sort_as_when_ids_leave_no_room() -> None:
    # Two papers without ids between adjacent ids: one anchor has to give way.
    page = ["## S", "### S: 2024"]
    for title, url in [("A", "https://arxiv.org/abs/2401.00011"), ("B", "https://x.org/b"),
                       ("C", "https://x.org/c"), ("D", "https://arxiv.org/abs/2401.00010")]:
        page += ["", f"- {title}. [[paper]]({url})", "  - X.", "  - Key Word: K."]
    result = parse_list("\n".join(page))
    assert [p.title for p in result.papers] == ["A", "B", "C", "D"]
    assert_page_order(result.papers)
    page_out = render(result.papers, result.settings)
    assert re.findall(r"^- (\w)\.", page_out, re.MULTILINE) == ["A", "B", "C", "D"]
    assert [p.sort_as for p in result.papers] == [None, "2401.00011", "2401.00010", "2401.00009"]


ids_strategy = st.tuples(st.integers(15, 25), st.integers(1, 12), st.integers(1, 40))


@given(st.lists(st.one_of(st.none(), ids_strategy), min_size=1, max_size=25))
def test_sort_as_reproduces_any_order(entries: list) -> None:
    seen: set[str] = set()
    papers = []
    for i, entry in enumerate(entries):
        arxiv = None
        if entry is not None:
            arxiv = f"{entry[0]:02d}{entry[1]:02d}.{entry[2]:05d}"
            if arxiv in seen:
                arxiv = None
            seen.add(arxiv or "")
        papers.append(Paper(title=f"P{i}", year=2020, section="s", arxiv=arxiv))
    assign_sort_as(papers)
    assert_page_order(papers)
    for paper in papers:
        assert paper.sort_as is None or re.fullmatch(r"\d{4}\.\d{4,5}", paper.sort_as)


@pytest.mark.parametrize("opening, closing, kind", [
    ("<!-- hidden for now", "-->", "HTML comment"), ("```", "```", "code block")])
def test_entries_in_comments_and_code_blocks_are_left_out(opening: str, closing: str,
                                                          kind: str) -> None:
    entry = ["- {}. [[paper]](https://arxiv.org/abs/2401.0000{})", "  - X.", "  - Key Word: K."]
    page = ["## S", "", "### S: 2024", ""]
    for n, title in enumerate(["Shown", "Hidden", "Also Shown"], 1):
        lines = [entry[0].format(title, n), *entry[1:], ""]
        page += [opening, *lines, closing, ""] if title == "Hidden" else lines
    result = parse_list("\n".join(page))
    assert [p.title for p in result.papers] == ["Shown", "Also Shown"]
    assert [(p.line, p.message) for p in result.problems if p.level == "error"] == [
        (9, f"{kind} (lines 9-14) left out: what it holds is not shown on the page")]


def test_not_a_list_has_no_papers() -> None:
    result = parse_list("# Notes\n\nJust some text.\n- a bullet\n")
    assert result.papers == []


def test_entries_outside_year_subsections_are_dated_and_reported() -> None:
    page = "# T\n\n## S\n\n- Dated By Id. [[paper]](https://arxiv.org/abs/2301.00001)\n" \
           "### S: 2024\n\n- Kept. [[paper]](https://arxiv.org/abs/2401.00002)\n" \
           "stray text\n### Wrong\n- Dated By Neighbour.\n"
    result = parse_list(page)
    years = {p.title: p.year for p in result.papers}
    assert years == {"Dated By Id": 2023, "Kept": 2024, "Dated By Neighbour": 2024}
    messages = {p.line: (p.level, p.message) for p in result.problems}
    assert messages[9][0] == ERROR  # stray text: left out
    assert "year 2023 taken from its arXiv id" in messages[5][1]
    assert "has no year" in messages[10][1]
    assert "year 2024 taken from the entry above" in messages[11][1]
    assert all(level != ERROR for line, (level, _) in messages.items() if line != 9)


def test_section_slugs_are_safe_folder_names(tmp_path: Path) -> None:
    entry = "\n- P{n}. [[paper]](https://arxiv.org/abs/2001.0000{n})\n  - A.\n  - Key Word: K.\n"
    page = ("## Études & Co\n### Études & Co: 2020\n" + entry.format(n=1)
            + "## Études & Co!\n### Études & Co!: 2020\n" + entry.format(n=2)
            + "## Études & Co\n### Études & Co: 2020\n" + entry.format(n=3))
    result = parse_list(page)
    assert [(s.heading, s.slug) for s in result.settings.sections] == [
        ("Études & Co", "etudes-co"), ("Études & Co!", "etudes-co-2")]
    assert [p.section for p in result.papers] == ["etudes-co", "etudes-co-2", "etudes-co"]
    assert any("appears twice" in p.message for p in result.problems)
    root = write_catalog(tmp_path / "cat", result.settings, result.papers)
    assert len(Catalog.load(root).papers) == 3


def test_crlf_page_reads_like_lf(variants: ImportResult) -> None:
    text = VARIANTS.read_text(encoding="utf-8").replace("\n", "\r\n")
    again = parse_list(text, source="variants.md")
    assert [p.to_dict() for p in again.papers] == [p.to_dict() for p in variants.papers]


# ---- older and other layouts (tests/fixtures/lists/layouts.md) -----------------------------

LAYOUTS = FIXTURES / "lists" / "layouts.md"


@pytest.fixture(scope="module")
def layouts() -> ImportResult:
    return parse_list(LAYOUTS.read_text(encoding="utf-8"), source="layouts.md")


def test_layouts_export_and_problems_match_golden(layouts: ImportResult) -> None:
    check_golden("layouts.md", render(layouts.papers, layouts.settings))
    check_golden("layouts.problems.txt", "\n".join(iter_problem_lines(layouts)) + "\n")


def test_layouts_every_entry_is_imported_without_error(layouts: ImportResult) -> None:
    entries = [line for line in LAYOUTS.read_text(encoding="utf-8").splitlines()
               if line.startswith(("- ", "* ")) and "](#" not in line
               and "example.org/blog" not in line]
    assert len(layouts.papers) == len(entries) == 10
    assert not [p for p in layouts.problems if p.level == ERROR]
    assert_page_order(layouts.papers)


def test_yearless_entries_take_the_year_of_their_id_venue_or_neighbour(
        layouts: ImportResult) -> None:
    papers = by_title(layouts)
    assert papers["Grokking Beyond Toy Tasks"].year == 2023  # arXiv id (from a pdf link)
    assert papers["Grokking Beyond Toy Tasks"].arxiv == "2305.01234"
    assert papers["Memorization Without Identifiers"].year == 2022  # venue
    assert papers["A Workshop Note With No Clue"].year == 2022  # the entry above
    assert papers["Scaling In The Old Days"].year == 2021
    clues = {p.line: p.message for p in layouts.problems if "year subsection" in p.message}
    assert "taken from its arXiv id" in clues[9]
    assert "taken from its venue" in clues[15]
    assert "taken from the entry above" in clues[19]


def test_year_heading_styles_are_kept_per_section(layouts: ImportResult) -> None:
    styles = {s.heading: s.year_heading for s in layouts.settings.sections}
    assert styles == {"Empirical Study": None, "Neural Collapse": "{year}",
                      "Deep Double Descent": "Deep Double Descent ({year})",
                      "Others": "Others - {year}"}
    page = render(layouts.papers, layouts.settings)
    assert "### 2022" in page and "### Deep Double Descent (2019)" in page
    # A section mixing styles is written in the style of its first year heading, reported.
    assert "### Others - 2017" in page
    assert any("'Others: 2017' is written as 'Others - 2017'" in p.message
               for p in layouts.problems)


def test_year_heading_style_survives_the_catalog(layouts: ImportResult,
                                                 tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat", layouts.settings, layouts.papers)
    loaded = Catalog.load(root)
    assert render(loaded.papers, loaded.settings) == render(layouts.papers, layouts.settings)


def test_bad_year_heading_style_is_refused() -> None:
    from deepphen.models import FieldError

    data = {"title": "T", "sections": [{"heading": "S", "slug": "s", "year_heading": "S"}]}
    with pytest.raises(FieldError, match="year_heading"):
        Settings.from_dict(data)


def test_bare_year_headings_keep_their_spacing_per_section() -> None:
    entry = "- P{n}. [[paper]](https://arxiv.org/abs/2301.0000{n})\n  - A.\n  - Key Word: K.\n"
    page = ("# T\n\n# Contents\n\n- [A](#a)\n- [B](#b)\n\n## A\n\n\n### 2023\n\n"
            + entry.format(n=1) + "\n## B\n\n### 2023\n\n" + entry.format(n=2))
    result = parse_list(page)
    assert result.settings.blank_lines == {"A: 2023": 2}
    assert render(result.papers, result.settings) == page
    assert not result.problems


def test_deeper_year_headings_are_read_as_subsections() -> None:
    page = "## S\n\n#### S: 2021\n\n- P. [[paper]](https://arxiv.org/abs/2101.00001)\n" \
           "  - A.\n  - Key Word: K.\n"
    result = parse_list(page)
    assert [p.year for p in result.papers] == [2021]
    assert any(p.line == 3 and "'####' written as '###'" in p.message for p in result.problems)
    assert "\n### S: 2021\n" in render(result.papers, result.settings)


def test_layouts_export_reads_back_to_itself(layouts: ImportResult) -> None:
    page = render(layouts.papers, layouts.settings)
    again = parse_list(page)
    assert render(again.papers, again.settings) == page
    assert [p.year for p in again.papers] == [p.year for p in layouts.papers]


def test_layouts_with_crlf_read_like_lf(layouts: ImportResult) -> None:
    text = LAYOUTS.read_text(encoding="utf-8").replace("\n", "\r\n")
    again = parse_list(text)
    assert [p.to_dict() for p in again.papers] == [p.to_dict() for p in layouts.papers]
    assert again.problems[0].message == "'\\r\\n' line ends written as '\\n'"


@pytest.mark.parametrize(("written", "url", "message"), [
    ("(<https://arxiv.org/abs/2101.00001>)", "https://arxiv.org/abs/2101.00001",
     "written without its angle brackets"),
    ("(<https://example.org/a b>)", "https://example.org/a b",
     "written without its angle brackets"),
    ('(https://arxiv.org/abs/2101.00001 "Abstract")', "https://arxiv.org/abs/2101.00001",
     'link title "Abstract" dropped'),
    ("(https://arxiv.org/abs/2101.00001 'Abstract')", "https://arxiv.org/abs/2101.00001",
     "link title 'Abstract' dropped"),
])
def test_links_in_angle_brackets_or_with_titles(written: str, url: str, message: str) -> None:
    page = f"## S\n### S: 2021\n- P. [[paper]]{written} [[code]](https://github.com/o/r)\n" \
           "  - A.\n  - Key Word: K.\n"
    result = parse_list(page)
    (paper,) = result.papers
    assert [link.url for link in paper.links] == [url, "https://github.com/o/r"]
    assert any(message in p.message and p.level != ERROR for p in result.problems)
    assert "%20" in render_entry(paper) or " " not in url


def test_table_of_contents_missing_extra_and_incomplete() -> None:
    body = "## A\n\n### A: 2020\n\n- P. [[paper]](https://arxiv.org/abs/2001.00001)\n" \
           "  - X.\n  - Key Word: K.\n\n## B\n\n### B: 2020\n\n" \
           "- Q. [[paper]](https://arxiv.org/abs/2001.00002)\n  - Y.\n  - Key Word: K.\n" \
           "\n# Contributing\n\nSend papers.\n"
    missing = parse_list("# T\n\nIntro.\n\n" + body)
    assert len(missing.papers) == 2
    assert any("no '# Table of Contents'" in p.message for p in missing.problems)
    page = render(missing.papers, missing.settings)
    assert "- [A](#a)\n- [B](#b)\n\n## A" in page
    extra = parse_list("# T\n\n# Contents\n\n- [A](#a)\n- [B](#b)\n"
                       "- [Contributing](#contributing)\n- [Elsewhere](#nowhere)\n\n" + body)
    assert len(extra.papers) == 2
    (dropped,) = [p for p in extra.problems if p.level == ERROR]
    assert dropped.line == 8 and "points to no section" in dropped.message
    # An item pointing to a heading of the closing is kept and written back.
    assert extra.settings.layout.toc_after == ["- [Contributing](#contributing)"]
    assert "- [B](#b)\n- [Contributing](#contributing)\n" in render(extra.papers,
                                                                    extra.settings)
    incomplete = parse_list("# T\n\n# Contents\n\n- [A](#a)\n\n" + body)
    assert len(incomplete.papers) == 2
    assert any("'B' is not in the table of contents" in p.message
               for p in incomplete.problems)
    assert "- [B](#b)" in render(incomplete.papers, incomplete.settings)


def test_a_section_without_papers_dates_nothing_and_no_year_at_all_is_reported() -> None:
    page = "## A\n\n- Undated. [[paper]](https://example.org/p)\n  - X.\n  - Key Word: K.\n"
    result = parse_list(page)
    assert result.papers == []
    (problem,) = [p for p in result.problems if p.level == ERROR]
    assert problem.line == 3 and "year is unknown" in problem.message


def test_digest_without_list_marker_is_kept() -> None:
    page = "## S\n### S: 2021\n- P. [[paper]](https://arxiv.org/abs/2101.00001)\n" \
           "  - A.\n  - Key Word: K.\n  <details><summary>Digest</summary> Kept text.\n"
    result = parse_list(page)
    (paper,) = result.papers
    assert paper.digest == "Kept text."
    assert paper.verbatim[-1] == "  <details><summary>Digest</summary> Kept text."
    assert render(result.papers, result.settings).splitlines()[-1] == paper.verbatim[-1]
    assert any(p.line == 6 and "without its '- ' list marker" in p.message
               for p in result.problems)


@pytest.mark.parametrize(("close", "kept"), [("</details>", True), (" </DETAILS>", True),
                                            ("\t</Details> ", True), ("\x1f</details>", False),
                                            ("\u00a0</details>", False)])
def test_a_closing_details_in_any_case_is_formatting(close: str, kept: bool) -> None:
    """Import drops a closing </details> in any case; the entry is then kept as written
    (the page comes back line for line) only when nothing but spaces and tabs went with it:
    the fields hold no other blank, and verbatim lines hold nothing the fields do not."""
    last = f"  - <details><summary>Digest</summary> Kept text.{close}"
    page = ("## S\n### S: 2021\n- P. [[paper]](https://arxiv.org/abs/2101.00001)\n"
            f"  - A.\n  - Key Word: K.\n{last}\n")
    result = parse_list(page)
    (paper,) = result.papers
    assert paper.digest == "Kept text."
    assert (paper.verbatim[-1:] == [last]) is kept
    exported = render(result.papers, result.settings).splitlines()[-1]
    assert exported == (last if kept else "  - <details><summary>Digest</summary> Kept text.")


def test_plain_digest_line_is_read_and_kept() -> None:
    """Older versions of the list wrote the digest as a plain '- Digest:' line; it was
    reported as a second authors line and its text was left out."""
    page = ("## S\n### S: 2021\n- P. [[paper]](https://arxiv.org/abs/2101.00001)\n"
            "  - A. Author.\n  - Digest:  Invented *text*.  \n")
    result = parse_list(page)
    (paper,) = result.papers
    assert paper.digest == " Invented *text*.  "
    assert not [p for p in result.problems if p.level == ERROR]
    assert any(p.line == 5 and "'Digest:'" in p.message for p in result.problems)
    assert render(result.papers, result.settings).splitlines()[-1] == paper.verbatim[-1]
    assert paper.verbatim[-1] == page.splitlines()[-1]
    # Without the verbatim lines it is written in the list's format.
    paper.verbatim = []
    assert render(result.papers, result.settings).splitlines()[-1] == (
        "  - <details><summary>Digest</summary>  Invented *text*.  ")


@pytest.mark.parametrize("live", ["[a link](https://example.org)", "https://example.org",
                                  "<b>tag</b>"])
def test_plain_digest_with_live_markup_is_written_as_details(live: str) -> None:
    """A link or tag is live in a plain digest line and inert in a <details> one: such a
    line is not kept as written, so export never makes the digest's text live."""
    page = ("## S\n### S: 2021\n- P. [[paper]](https://arxiv.org/abs/2101.00001)\n"
            f"  - A. Author.\n  - Digest: Invented {live}.\n")
    result = parse_list(page)
    (paper,) = result.papers
    assert paper.digest == f"Invented {live}."
    assert not paper.verbatim
    assert render(result.papers, result.settings).splitlines()[-1].startswith(
        "  - <details><summary>Digest</summary> Invented")


def test_links_on_lines_below_the_title_are_read() -> None:
    """The first version of the list put each link on a line of its own below the title;
    they were left out as lines not understood."""
    page = ("## S\n### S: 2020\n- Invented Title\n  [[paper]](https://arxiv.org/abs/2003.00001)\n"
            "  [[code]](https://github.com/o/r)  \n  - A. Author.\n")
    result = parse_list(page)
    (paper,) = result.papers
    assert paper.arxiv == "2003.00001"
    assert [(link.label, link.url) for link in paper.links] == [
        ("paper", "https://arxiv.org/abs/2003.00001"), ("code", "https://github.com/o/r")]
    assert not [p for p in result.problems if p.level == ERROR]
    assert {4, 5} <= {p.line for p in result.problems if "joined" in p.message}
    # Kept as written (markdown reads the lines as one paragraph) until lint --fix.
    assert render(result.papers, result.settings).splitlines()[-4:] == page.splitlines()[-4:]
    paper.verbatim = []
    assert render(result.papers, result.settings).splitlines()[-2] == (
        "- Invented Title. [[paper]](https://arxiv.org/abs/2003.00001) "
        "[[code]](https://github.com/o/r)")


def test_a_year_subsection_written_as_h2_stays_in_its_section() -> None:
    """An older page wrote one year heading of a section as '## Section: YYYY'; it was read
    as a new section of that name, and the section's later year headings were rewritten
    as 'Section: YYYY: YYYY'."""
    page = ("## Table of Contents\n\n- [Survey](#survey)\n- [Other](#other)\n\n"
            "## Survey\n\n## Survey: 2022\n\n"
            "- A. [[paper]](https://arxiv.org/abs/2201.00001)\n  - X.\n  - Key Word: K.\n\n"
            "### Survey: 2021\n\n"
            "- B. [[paper]](https://arxiv.org/abs/2101.00001)\n  - X.\n  - Key Word: K.\n\n"
            "## Other\n\n### Other: 2020\n\n"
            "- C. [[paper]](https://arxiv.org/abs/2001.00001)\n  - X.\n  - Key Word: K.\n")
    result = parse_list(page)
    assert [s.heading for s in result.settings.sections] == ["Survey", "Other"]
    assert [(p.section, p.year) for p in result.papers] == [
        ("survey", 2022), ("survey", 2021), ("other", 2020)]
    assert [p for p in result.problems if p.line == 8] and not [
        p for p in result.problems if p.level == ERROR]
    exported = render(result.papers, result.settings)
    assert "### Survey: 2022" in exported and "### Survey: 2021" in exported
    assert "## Survey: 2022" not in exported.replace("### ", "")


def test_a_h2_text_section_after_the_resources_is_the_closing() -> None:
    """A 2023 version of the sibling list's full list ends in '## Contributing' with a line
    of text after its '##' resource sections; it was read as a paper section and export
    moved it before the resources."""
    page = ("## Table of Contents\n\n- [Alpha](#alpha)\n- [Tools](#tools)\n"
            "- [Contributing](#contributing)\n\n## Alpha\n\n### Alpha: 2021\n\n"
            "- A. [[paper]](https://arxiv.org/abs/2101.00001)\n  - X.\n  - Key Word: K.\n\n"
            "## Tools\n\n- [T](https://example.org/t)\n\n## Contributing\n\nInvented text.\n")
    result = parse_list(page)
    assert [s.heading for s in result.settings.sections] == ["Alpha"]
    assert result.settings.closing == "## Contributing\n\nInvented text."
    assert not result.problems
    assert render(result.papers, result.settings) == page


def test_entries_without_blank_lines_around_them_are_kept() -> None:
    """The list's 2020 versions write some entries right under the year heading or the entry
    above; export separated them by a blank line (reported), which no later import kept."""
    page = ("## S\n### S: 2020\n- A. [[paper]](https://arxiv.org/abs/2001.00002)\n  - X.\n"
            "- B. [[paper]](https://arxiv.org/abs/2001.00001)\n  - X.\n\n"
            "- C. [[paper]](https://arxiv.org/abs/2001.00000)\n  - X.\n")
    result = parse_list(page)
    assert len(result.papers) == 3
    assert not [p for p in result.problems if "blank line" in p.message]
    gaps = result.settings.layout.entry_gaps
    assert sorted(gaps.values()) == [0, 0] and len(gaps) == 2
    tail = page.split("### S: 2020")[1]
    assert render(result.papers, result.settings).endswith(tail)
    # Two blank lines above an entry are kept too.
    result = parse_list(page.replace("\n\n- C.", "\n\n\n- C."))
    assert sorted(result.settings.layout.entry_gaps.values()) == [0, 0, 2]
    assert render(result.papers, result.settings).endswith(tail.replace("\n\n- C.", "\n\n\n- C."))


# ---- round trip of generated catalogs -------------------------------------------------------

# No control or formatting character (bidi overrides, U+FFF9..FFFB, ...): the page drops them
# on purpose (deepphen.printable; tests/test_control_characters.py), so they cannot come back.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                max_size=30).map(str.strip).filter(lambda t: t and not has_control(t))
_HOSTILE = st.sampled_from(["[x](javascript:alert(1))", "<script>", "</details>", "*a*", "`c`",
                            "# h", "1. n", "12", "a, b", "a; b", "\\", "x\\", "&lt;b", "Key W:",
                            "- item", "[[code]](https://evil.org)", "ü ß", "?", "Q!"])
_FIELD = st.one_of(_TEXT, _HOSTILE)
_URL = st.from_regex(r"https://example\.org/[A-Za-z0-9_./-]{0,20}", fullmatch=True)


@st.composite
def catalogs(draw: st.DrawFn) -> list[Paper]:
    settings_obj = sample_settings()
    slugs = [s.slug for s in settings_obj.sections]
    n = draw(st.integers(1, 8))
    ids_drawn = draw(st.lists(ids_strategy, min_size=n, max_size=n, unique=True))
    papers = []
    for i in range(n):
        arxiv = None
        links = []
        if draw(st.booleans()):
            arxiv = f"{ids_drawn[i][0]:02d}{ids_drawn[i][1]:02d}.{ids_drawn[i][2]:05d}"
            links.append(Link("paper", f"https://arxiv.org/abs/{arxiv}"))
        elif draw(st.booleans()):
            links.append(Link("paper", draw(_URL)))
        for _ in range(draw(st.integers(0, 2))):
            links.append(Link(draw(st.sampled_from(["code", "blog", "]]x[["]) | _TEXT),
                              draw(_URL)))
        authors = draw(st.lists(_FIELD, max_size=4))
        papers.append(Paper(
            title=draw(_FIELD), year=draw(st.integers(2015, 2025)),
            section=draw(st.sampled_from(slugs)), authors=authors,
            venue=draw(st.none() | _FIELD), arxiv=arxiv,
            keywords=draw(st.lists(_FIELD, max_size=3)), links=links,
            authors_collapsed=bool(authors) and draw(st.booleans()),
            digest=draw(st.none() | _FIELD | st.text(min_size=1)),
            sort_as=draw(st.none() | st.just(f"2001.{i + 1:05d}")),
        ))
    return papers


def _content(paper: Paper) -> dict:
    data = paper.to_dict()
    data.pop("sort_as", None)
    return data


def _placed(paper: Paper, settings_obj: Settings) -> dict:
    """A paper's content with its section named by heading, not by slug."""
    headings = {s.slug: s.heading for s in settings_obj.sections}
    return {**_content(paper), "section": headings.get(paper.section, paper.section)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_import_of_export_gives_the_catalog_back(papers: list[Paper]) -> None:
    settings_obj = sample_settings()
    for paper in papers:
        # Line breaks in a digest are folded, and a digest that is blank then is left out.
        folded = fold_lines(paper.digest or "")
        paper.digest = folded if folded.strip() else None
    page = render(papers, settings_obj)
    result = parse_list(page)
    # Same papers, same page order, same fields (sort_as is recomputed, only order matters).
    order = {id(p): i for i, p in enumerate(papers)}
    on_page = []
    for sec in settings_obj.sections:
        group = [p for p in papers if p.section == sec.slug]
        for year in sorted({p.year for p in group}, reverse=True):
            on_page += sorted((p for p in group if p.year == year), key=Paper.sort_key,
                              reverse=True)
    assert len(order) == len(on_page)
    assert [_content(p) for p in result.papers] == [_content(p) for p in on_page]
    assert render(result.papers, result.settings) == page
    assert all(p.level != ERROR for p in result.problems)


_PAGE_PIECES = st.sampled_from([
    "# T", "## S", "### S: 2020", "### S", "- ", "  - ", "   - ", "\n", " ", "x", ".", ",", ";",
    "[[paper]](https://arxiv.org/abs/2001.00001)", "[[code]](x)", "*V*", "\\", "(", "]", "*",
    "<details><summary>Digest</summary>", "<details><summary>Author List</summary>",
    "</details>", "Key Word:", "![avatar](u)", "- [R](#r)", "## Related Resources",
    "- [n](u) b", "\r\n", "&lt;", "<b>", "2024",
    "### 2019", "#### S: 2017", "### S (2021)", "### S - 2018", "### {year}", "* ", "  <details>",
    "*NeurIPS 2019*", "<details>", "<summary>S: 2020</summary>",
    "<details><summary>S: 2021</summary>", "<details><summary>2019</summary>",
    "[[pdf]](<https://arxiv.org/pdf/1901.00002v1>)", '[[paper]](https://x.org/p "t")',
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_PAGE_PIECES, max_size=6).map("".join), max_size=40).map("\n".join))
@example("## S\n## S.\n### 2019\n- ")  # an empty section before one of the same anchor
# A year group ended by a <details> line, then ended again: it raised (TypeError).
@example("## S\n### S: 2023\n<details>\n</details>\n## T")
@example("## S\n<details><summary>S: 2023</summary>\n<details>\n## T")
# An empty resources section, then a closing that reads as a heading: the section is kept.
@example("## S\n### S: 2020\n- \n## Related Resources\n## S")
def test_any_page_imports_without_error_and_export_is_stable(text: str) -> None:
    result = parse_list(text)
    page = render(result.papers, result.settings)
    again = parse_list(page)
    assert render(again.papers, again.settings) == page
    # The same papers (export may reorder them: sorting is its job), each under the same
    # heading. Not the same slug: a slug is its heading's anchor on the page, and an empty
    # section is not exported, so "## S" then "## S." (anchors s, s-2) come back as "## S."
    # alone, whose anchor is s.
    assert sorted(repr(_placed(p, again.settings)) for p in again.papers) == sorted(
        repr(_placed(p, result.settings)) for p in result.papers)


# ---- writing the catalog and the command ----------------------------------------------------


def test_write_catalog_writes_settings_and_papers(variants: ImportResult,
                                                  tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "cat", variants.settings, variants.papers)
    cat = Catalog.load(root)
    assert len(cat.papers) == len(variants.papers)
    assert (root / "others" / "1903.03516.toml").is_file()
    assert render(cat.papers, cat.settings) == render(variants.papers, variants.settings)
    assert [p.name for p in tmp_path.iterdir()] == ["cat"]  # no temporary folder left


def test_write_failure_writes_nothing(variants: ImportResult, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def failing(paper: Paper) -> str:
        calls.append(paper)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return "title = 'x'\n"

    monkeypatch.setattr(catalog, "paper_to_toml", failing)
    with pytest.raises(DeepphenError, match="No space left"):
        write_catalog(tmp_path / "cat", variants.settings, variants.papers)
    assert list(tmp_path.iterdir()) == []


def test_failed_force_keeps_the_old_catalog(variants: ImportResult, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(tmp_path / "cat", variants.settings, variants.papers)

    def files() -> list[Path]:  # the catalog's own (its lock and cache are derived, ignored)
        return sorted(p.relative_to(root) for p in root.rglob("*")
                      if ".deepphen-cache" not in p.parts)

    before = files()

    def failing(paper: Paper) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog, "paper_to_toml", failing)
    with pytest.raises(KeyboardInterrupt):
        write_catalog(root, variants.settings, variants.papers, force=True)
    assert files() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cat"]


def test_cli_import_reports_problems_and_exits_1(run_cli, tmp_path: Path) -> None:
    result = run_cli("import", VARIANTS, "--catalog", tmp_path / "cat", exit_code=1)
    # Findings are diagnostics (stderr, as every command prints them); stdout is the summary.
    assert f"{VARIANTS}:119: error: arXiv 2008.08186 already listed at line 65" in result.stderr
    assert "already listed" not in result.stdout
    assert result.stdout.splitlines() == [
        f"imported 17 papers in 4 sections, 31 problems into {tmp_path / 'cat'}"]
    exported = run_cli("export", "--format", "md", "--catalog", tmp_path / "cat")
    assert exported.stdout == (GOLDEN / "variants.md").read_text(encoding="utf-8")


def test_cli_import_clean_page_exits_0(run_cli, tmp_path: Path) -> None:
    page = tmp_path / "README.md"
    papers = [p for p in parse_list(VARIANTS.read_text(encoding="utf-8")).papers
              if p.links and p.keywords]
    for paper in papers:
        paper.verbatim = []  # written in the list's format: nothing left to report
    page.write_text(render(papers, parse_list(VARIANTS.read_text()).settings), encoding="utf-8")
    result = run_cli("import", page, "--catalog", tmp_path / "cat", exit_code=0)
    assert result.stdout.startswith("imported 14 papers in 4 sections, 0 problems")


def test_cli_refuses_existing_catalog_without_force(run_cli, tmp_path: Path) -> None:
    run_cli("import", VARIANTS, "--catalog", tmp_path / "cat", exit_code=1)
    result = run_cli("import", VARIANTS, "--catalog", tmp_path / "cat", exit_code=2)
    assert "a catalog already exists here (pass --force to replace it)" in result.stderr
    (tmp_path / "cat" / "others" / "stale.toml").write_text("title = 'gone'\n")
    run_cli("import", VARIANTS, "--catalog", tmp_path / "cat", "--force", exit_code=1)
    assert not (tmp_path / "cat" / "others" / "stale.toml").exists()


def test_cli_imports_into_an_existing_empty_folder(run_cli, tmp_path: Path) -> None:
    (tmp_path / "cat").mkdir()
    run_cli("import", VARIANTS, "--catalog", tmp_path / "cat", exit_code=1)
    assert (tmp_path / "cat" / "catalog.toml").is_file()


def test_cli_rejects_a_file_that_is_not_utf8(run_cli, tmp_path: Path) -> None:
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    result = run_cli("import", tmp_path / "latin1.md", "--catalog", tmp_path / "cat", exit_code=2)
    assert "not UTF-8 text" in result.stderr


def test_cli_never_replaces_a_folder_that_is_not_a_catalog(run_cli, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("keep me")
    result = run_cli("import", VARIANTS, "--catalog", tmp_path / "docs", "--force", exit_code=2)
    assert "holds no catalog; refusing to replace it" in result.stderr
    assert (tmp_path / "docs" / "notes.txt").read_text() == "keep me"


def test_cli_not_a_list_exits_2(run_cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nNothing here.\n")
    result = run_cli("import", notes, "--catalog", tmp_path / "cat", exit_code=2)
    assert "not a paper list" in result.stderr
    assert not (tmp_path / "cat").exists()
    run_cli("import", tmp_path / "missing.md", "--catalog", tmp_path / "cat", exit_code=2)


def test_cli_json(run_cli, tmp_path: Path) -> None:
    result = run_cli("import", VARIANTS, "--catalog", tmp_path / "cat", "--format", "json",
                     exit_code=1)
    data = json.loads(result.stdout)
    assert (data["papers"], data["sections"], len(data["problems"])) == (17, 4, 31)
    assert data["problems"][:2] == [
        {"line": 30, "level": "warning",
         "message": "entry kept as written until 'deepphen lint --fix' applies the changes "
                    "reported on its lines"},
        {"line": 33, "level": "warning",
         "message": "closing </details> dropped (the list leaves it open)"}]


def test_cli_progress_on_a_terminal(run_cli, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    page = ["# Big", "", "# Contents", "", "- [S](#s)", "", "## S", "", "### S: 2024"]
    for i in range(1, 121):
        page += ["", f"- Paper {i}. [[paper]](https://arxiv.org/abs/2401.{200 - i:05d})",
                 "  - A. B.", "  - Key Word: K."]
    (tmp_path / "big.md").write_text("\n".join(page) + "\n")
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli("import", tmp_path / "big.md", "--catalog", tmp_path / "cat")
    assert "imported 120 papers in 1 section, 0 problems" in result.stdout
    assert len(list((tmp_path / "cat" / "s").iterdir())) == 120


# ---- the real list (../shared), when present ------------------------------------------------


def line_similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """(SequenceMatcher ratio over lines, shared-line multiset fraction)."""
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    common = collections.Counter(a) & collections.Counter(b)
    return ratio, sum(common.values()) / max(len(a), len(b))


@pytest.mark.shared
def test_real_list_round_trip(real_list: Path) -> None:
    text = real_list.read_text(encoding="utf-8")
    result = parse_list(text, source="README.md")
    page = render(result.papers, result.settings)
    original, exported = text.splitlines(), page.splitlines()
    ratio, multiset = line_similarity(original, exported)
    # Entries that stray from the format only in formatting come back verbatim; the one
    # difference left is the second entry of an arXiv id, which a catalog cannot hold.
    assert ratio >= 0.99 and multiset >= 0.99
    assert sum(1 for p in result.papers if p.verbatim) >= 30
    assert_page_order(result.papers)
    # Every difference is one the importer reported, line by line.
    reported = {p.line for p in result.problems}
    matcher = difflib.SequenceMatcher(None, original, exported, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changed = [i + 1 for i in range(i1, i2) if original[i].strip()]
            assert any(line in reported for line in changed) or not changed, (i1, tag)


@pytest.mark.shared
def test_real_list_every_entry_read(real_list: Path) -> None:
    text = real_list.read_text(encoding="utf-8")
    result = parse_list(text, source="README.md")
    body = text.split("\n## Related Resources")[0].split("\n## ", 1)[1]
    entries = [line for line in body.splitlines()
               if line.startswith("- ") and "<details>" not in line]
    skipped = [p for p in result.problems if p.level == ERROR]
    assert len(entries) == 581
    assert len(result.papers) + len(skipped) == len(entries)
    assert all("already listed" in p.message for p in skipped)
    assert result.section_count == 9


def test_a_heading_above_only_a_resources_section_is_no_papers_heading() -> None:
    """Found by the property above: a '[[pdf]]' link in a resources section made the '#'
    heading above it the papers heading, and the page's export read back differently."""
    text = ("## S\n# T\r\n## Related Resources\n- [R](#r)\n"
            "- [[pdf]](<https://arxiv.org/pdf/1901.00002v1>)")
    result = parse_list(text)
    assert result.settings.layout.papers_heading is None
    page = render(result.papers, result.settings)
    again = parse_list(page)
    assert render(again.papers, again.settings) == page


def test_urls_with_balanced_parentheses_are_read_whole() -> None:
    """GitHub reads parentheses in a link's URL when they are balanced (nested too): a section
    image, a resource and a paper link keep them, and the page reads back to itself."""
    page = ("# L\n\n## Others\n\n![image](https://e.org/img_(a).png)\n\n### Others: 2022\n\n"
            "- Grokking. [[paper]](https://e.org/p_(a)_(b))\n  - Alethea Power.\n"
            "  - Key Word: Grokking.\n\n## Related Resources\n\n"
            "- [Grokking](https://en.wikipedia.org/wiki/Grokking_(machine_learning))"
            " ![stars](https://img.shields.io/x_(y))\n"
            "- [Deep](https://e.org/a_(b_(c)))\n")
    result = parse_list(page)
    assert result.settings.sections[0].image == "https://e.org/img_(a).png"
    assert [(r.url, r.badges) for r in result.settings.resources] == [
        ("https://en.wikipedia.org/wiki/Grokking_(machine_learning)",
         "![stars](https://img.shields.io/x_(y))"), ("https://e.org/a_(b_(c))", None)]
    assert [link.url for link in result.papers[0].links] == ["https://e.org/p_(a)_(b)"]
    again = parse_list(render(result.papers, result.settings))
    assert again.settings.resources == result.settings.resources
    assert again.settings.sections[0].image == result.settings.sections[0].image


def test_a_line_of_spaces_is_reported_where_export_writes_it_blank() -> None:
    """Export writes a line of spaces as an empty line; import said nothing of it, where
    every other line export writes differently is reported at its number."""
    page = ("# T\n\n## S\n\n### S: 2024\n\n"
            "- A Paper. [[paper]](https://arxiv.org/abs/2401.00001)\n  - Ann Lee.\n"
            "  - Key Word: X.\n   \n"
            "- B Paper. [[paper]](https://arxiv.org/abs/2401.00002)\n  - Bo Li.\n"
            "  - Key Word: Y.\n")
    result = parse_list(page)
    assert [(p.line, p.message) for p in result.problems if "spaces" in p.message] == [
        (10, "a line of spaces written blank")]
