"""Versions of the family's pages not seen by any other test: import then export gives the page
back byte for byte, or every line export changes is named by a note at its line.

Each page is built here from small invented snippets in one of the family's dialects (the
sibling list's full list, with <details> year groups; its front page, with resource sections;
Awesome Deep Phenomena, with ``### Section: YYYY`` headings), then varied the way pages vary
between versions: sections and resource sections reordered, year groups added or dropped,
entries with and without links or badges, titles holding markup characters, a subsection one
level deeper, contents out of step with the headings, CR LF, trailing spaces.
"""

from __future__ import annotations

import itertools

import pytest

from deepphen.export.markdown import render
from deepphen.importer import encoding_notes, parse_list
from tests.helpers import REAL_LIST, SHARED, unnamed_changes

FAMILY = SHARED / "data" / "awesome-trustworthy-deep-learning"


def entry(title: str, arxiv: str, tail: str = "") -> str:
    return (f"- {title}. [[paper]](https://arxiv.org/abs/{arxiv}){tail}\n  - Ann Invented.\n"
            "  - Key Word: Invented.\n  - <details><summary>Digest</summary> Invented.\n")


def details(label: str, *entries: str) -> str:
    return f"<details>\n<summary>{label}</summary>\n\n" + "\n".join(entries) + "\n</details>\n"


FULL = ("## Table of Contents\n\n- [Invented List](#invented-list)\n  - [Alpha](#alpha)\n"
        "  - [Beta](#beta)\n\n\n## Alpha\n\n"
        + details("Alpha: 2025", entry("Alpha One", "2502.00001"), entry("Alpha Two",
                                                                         "2501.00002"))
        + "\n" + details("Alpha: 2024", entry("Alpha Three", "2403.00003"))
        + "\n## Beta\n\n" + details("Beta: 2024", entry("Beta One", "2404.00004")))

FRONT = ("# Invented List\n\n# Table of Contents\n\n- [Invented List](#invented-list)\n"
         "  - [Alpha](#alpha)\n  - [Beta](#beta)\n- [Toolboxes](#toolboxes)\n"
         "- [Seminars](#seminars)\n\n# Paper List\n\n## Alpha\n\n"
         '<a href="FULL.md#alpha">Full List of Alpha</a>.\n\n'
         + entry("Alpha One", "2502.00001") + "\n" + entry("Alpha Two", "2501.00002")
         + "\n## Beta\n\n" + '<a href="FULL.md#beta">Full List of Beta</a>.\n\n'
         + entry("Beta One", "2502.00004")
         + "\n# Toolboxes\n\n- [Invented Box](https://example.org/box)\n  - An invented box.\n"
         "\n# Seminars\n\n- [Invented Seminar](https://example.org/seminar)\n")

MAIN = ("# Invented Phenomena\n\n# Table of Contents\n\n- [Alpha](#alpha)\n- [Beta](#beta)\n\n"
        "## Alpha\n\n### Alpha: 2025\n\n" + entry("Alpha One", "2502.00001") + "\n"
        + entry("Alpha Two", "2501.00002") + "\n### Alpha: 2024\n\n"
        + entry("Alpha Three", "2403.00003") + "\n## Beta\n\n### Beta: 2024\n\n"
        + entry("Beta One", "2404.00004"))

PAGES = {"full": FULL, "front": FRONT, "main": MAIN}


def swap(page: str, a: str, b: str) -> str:
    """``page`` with the headings ``a`` and ``b`` swapped, contents left as they were."""
    return page.replace(a, "\0").replace(b, a).replace("\0", b)


def rename(page: str, heading: str, anchor: str) -> str:
    """``page`` with the section Beta called ``heading`` everywhere, its anchor ``anchor``."""
    for was, now in (("## Beta\n", f"## {heading}\n"), ("[Beta](#beta)", f"[{heading}](#{anchor})"),
                     ("Beta: 2024", f"{heading}: 2024"), ("of Beta<", f"of {heading}<"),
                     ("#beta\"", f"#{anchor}\"")):
        page = page.replace(was, now)
    return page


def retitle(page: str, title: str) -> str:
    return page.replace("- Alpha Two.", f"- {title}.", 1)


VARIANTS = {
    "as it is": lambda p: p,
    "CR LF line ends": lambda p: p.replace("\n", "\r\n"),
    "trailing spaces on entry lines": lambda p: p.replace("  - Ann Invented.\n",
                                                          "  - Ann Invented.  \n"),
    "sections reordered, contents as before": lambda p: swap(p, "## Alpha\n", "## Beta\n"),
    "resource sections reordered, contents as before": lambda p: swap(
        p, "# Toolboxes\n", "# Seminars\n"),
    "a contents item dropped": lambda p: p.replace("  - [Beta](#beta)\n", "").replace(
        "- [Beta](#beta)\n", ""),
    "a contents item for no heading": lambda p: p.replace(
        "[Beta](#beta)\n", "[Beta](#beta)\n- [Gamma](#gamma)\n"),
    "a year group dropped": lambda p: p.split("<details>\n<summary>Alpha: 2024")[0]
    + p.split("Alpha Three", 1)[-1].split("</details>\n", 1)[-1] if "Alpha: 2024<" in p else p,
    "a newer year group": lambda p: p.replace(
        "<details>\n<summary>Alpha: 2025", details("Alpha: 2026", entry("New", "2601.00009"))
        + "\n<details>\n<summary>Alpha: 2025").replace(
        "### Alpha: 2025", "### Alpha: 2026\n\n" + entry("New", "2601.00009")
        + "\n### Alpha: 2025"),
    "an entry without links": lambda p: p.replace(
        "Alpha Two. [[paper]](https://arxiv.org/abs/2501.00002)", "Alpha Two."),
    "code and venue badges": lambda p: p.replace(
        "(https://arxiv.org/abs/2501.00002)", "(https://arxiv.org/abs/2501.00002) [[code]]"
        "(https://github.com/invented/code) ![stars](https://img.shields.io/badge/x-1-blue)"),
    "a title with ]": lambda p: retitle(p, "Alpha ] Two"),
    "a title with |": lambda p: retitle(p, "Alpha | Two"),
    "a title with *": lambda p: retitle(p, "Alpha *Two*"),
    "a title with backticks": lambda p: retitle(p, "Alpha `Two`"),
    "a title with HTML": lambda p: retitle(p, "Alpha <b>Two</b>"),
    "a subsection one level deeper": lambda p: p.replace(
        "\n- Alpha Two.", "\n#### Invented Sub\n\n- Alpha Two.").replace(
        "<summary>Alpha: 2025</summary>\n\n", "<summary>Alpha: 2025</summary>\n\n"
        "### Invented Sub\n\n"),
    "no final newline": lambda p: p.rstrip("\n"),
    "a section heading with brackets": lambda p: rename(p, "Beta [Two]", "beta-two"),
    "a section heading with | and backticks": lambda p: rename(p, "Beta | `Two`",
                                                              "beta--two"),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_export_gives_the_page_back_or_names_each_change(page: str, variant: str) -> None:
    text = VARIANTS[variant](PAGES[page])
    result = parse_list(text.replace("\r\n", "\n"))
    notes = [*encoding_notes(text), *result.problems]
    exported = render(result.papers, result.settings)
    assert len(result.papers) >= 3
    if exported == text:
        return
    assert notes, "the page changes on export, and import says nothing"
    assert unnamed_changes(text, exported, {n.line for n in notes}) == []


def test_two_changes_at_once_are_each_reported_and_export_is_stable() -> None:
    """Every pair of the variants above, on each page: what export changes is named, and the
    exported page reads back to itself."""
    failures = []
    for first, second in itertools.combinations([v for v in VARIANTS if v != "as it is"], 2):
        for name, page in PAGES.items():
            text = VARIANTS[second](VARIANTS[first](page))
            result = parse_list(text.replace("\r\n", "\n"))
            notes = {n.line for n in [*encoding_notes(text), *result.problems]}
            exported = render(result.papers, result.settings)
            again = parse_list(exported)
            if exported != text and unnamed_changes(text, exported, notes):
                failures.append((name, first, second))
            if render(again.papers, again.settings) != exported:
                failures.append((name, first, second, "not stable"))
    assert failures == []


def test_the_unchanged_pages_round_trip_without_a_note() -> None:
    for text in PAGES.values():
        result = parse_list(text)
        assert render(result.papers, result.settings) == text
        assert result.problems == []


def test_resource_sections_the_contents_list_in_another_order_are_reported() -> None:
    """The body's order of the non-paper sections is export's: contents listing them in
    another were rewritten to it unsaid (section items out of order were reported)."""
    text = swap(FRONT, "# Toolboxes\n", "# Seminars\n")
    result = parse_list(text)
    line = text.split("\n").index("- [Seminars](#seminars)") + 1
    assert [(n.line, n.message) for n in result.problems] == [
        (line, "table-of-contents item [Seminars](#seminars) out of the sections' order: "
               "export lists the sections in page order")]


# ---- the real pages (../shared), varied, when present ---------------------------------------

REAL_PAGES = {"deep phenomena": REAL_LIST, "full list": FAMILY / "FULL_LIST.md",
              "front page": FAMILY / "README.md"}
REAL_VARIANTS = ("as it is", "CR LF line ends", "sections reordered, contents as before",
                 "resource sections reordered, contents as before")


def _real_variant(text: str, variant: str) -> str:
    if variant == "sections reordered, contents as before":
        headings = [line for line in text.split("\n") if line.startswith("## ")
                    and "Table of Contents" not in line]
        return swap(text, headings[1] + "\n", headings[2] + "\n")
    if variant == "resource sections reordered, contents as before":
        return swap(text, "# Toolboxes", "# Seminar")
    return VARIANTS[variant](text)


def test_each_contents_item_export_moves_is_reported() -> None:
    """Paper sections and non-paper sections both reordered in the body: only the first item
    out of order was reported, and the second move went unsaid."""
    text = swap(swap(FRONT, "## Alpha\n", "## Beta\n"), "# Toolboxes\n", "# Seminars\n")
    result = parse_list(text)
    lines = text.split("\n")
    assert [n.line for n in result.problems] == [
        lines.index("  - [Beta](#beta)") + 1, lines.index("- [Seminars](#seminars)") + 1]


def test_a_contents_label_export_escapes_is_reported() -> None:
    """A heading with brackets: its contents item, '[Beta [Two]](#beta-two)', is written with
    the brackets escaped (link text must not end early), which import did not say."""
    text = rename(MAIN, "Beta [Two]", "beta-two")
    result = parse_list(text)
    line = text.split("\n").index("- [Beta [Two]](#beta-two)") + 1
    assert [(n.line, n.message) for n in result.problems] == [
        (line, r"table-of-contents label 'Beta [Two]' written as 'Beta \\[Two\\]'")]
    assert render(result.papers, result.settings) == text.replace(
        "[Beta [Two]](#", r"[Beta \[Two\]](#")


@pytest.mark.shared
@pytest.mark.parametrize("variant", REAL_VARIANTS)
@pytest.mark.parametrize("name", list(REAL_PAGES))
def test_real_pages_varied_come_back_or_name_each_change(name: str, variant: str) -> None:
    path = REAL_PAGES[name]
    if not path.is_file():
        pytest.skip(f"../shared page absent: {path}")
    text = _real_variant(path.read_text(encoding="utf-8"), variant)
    result = parse_list(text.replace("\r\n", "\n"))
    notes = [*encoding_notes(text), *result.problems]
    exported = render(result.papers, result.settings)
    assert exported == text or unnamed_changes(text, exported, {n.line for n in notes}) == []
