"""``deepphen import`` then ``export``: a page as an older or newer revision of the list may
write it comes back byte for byte, or import says, at the page's line, what export changes.

The pages are ``BASE`` (tests/test_import_lost.py: a small page in the list's style that
round-trips) with one change a curator might make. Before the fixes each change was lost or
altered on export with no problem reported.
"""

from __future__ import annotations

from pathlib import Path

from deepphen.export.markdown import render
from deepphen.importer import parse_list
from tests.test_import_lost import BASE, line_of, notes

GAMMA = """### Neural Collapse: 2023

- Gamma Paper. [[paper]](https://arxiv.org/abs/2305.00003)
  - Dan D.
  - Key Word: Qux.
"""


def round_trips(page: str) -> bool:
    result = parse_list(page)
    return not result.problems and render(result.papers, result.settings) == page


def test_a_year_heading_written_ahead_of_its_papers_is_kept() -> None:
    """A new year's heading with no entry yet was dropped from the page, unreported."""
    page = BASE.replace("## Empirical Study\n\n",
                        "## Empirical Study\n\n### Empirical Study: 2025\n\n")
    assert round_trips(page)
    assert parse_list(page).settings.sections[0].empty_years == [2025]


def test_an_empty_details_year_group_is_kept() -> None:
    page = BASE.replace("### Empirical Study: 2024\n\n",
                        "<details>\n<summary>Empirical Study: 2025</summary>\n\n</details>\n\n"
                        "<details>\n<summary>Empirical Study: 2024</summary>\n\n")
    page = page.replace("Key Word: Baz.\n", "Key Word: Baz.\n\n</details>\n")
    page = page.replace(GAMMA, "<details>\n<summary>Neural Collapse: 2023</summary>\n\n"
                        + GAMMA.split("\n\n", 1)[1] + "\n</details>\n")
    assert round_trips(page)


def test_an_empty_year_group_beside_a_placeholder_is_reported() -> None:
    """Export writes the page's placeholder ('TBD') in every group without papers."""
    page = BASE.replace("## Empirical Study\n\n", "## Empirical Study\n\n### Empirical Study: "
                        "2026\n\nTBD\n\n### Empirical Study: 2025\n\n")
    assert notes(parse_list(page)) == [
        (line_of(page, "### Empirical Study: 2025"), "warning",
         "year group 'Empirical Study: 2025' holds no entries: export writes 'TBD' in it")]


def test_a_section_emptied_keeps_its_heading_and_contents_item() -> None:
    """A section whose papers were all moved out lost its heading and contents item."""
    for rest in ("", "\n![avatar](https://example.org/a.png)\n", "\n" + GAMMA.split("\n")[0]
                 + "\n"):
        page = BASE.replace("\n" + GAMMA, rest)
        assert round_trips(page), rest


def test_a_page_without_a_final_newline_is_reported(run_cli, tmp_path: Path) -> None:
    page = BASE.rstrip("\n")
    assert notes(parse_list(page)) == [
        (page.count("\n") + 1, "warning",
         "no newline at the end of the page: export ends it with one")]
    (tmp_path / "page.md").write_text(page, encoding="utf-8")
    result = run_cli("import", tmp_path / "page.md", "--catalog", tmp_path / "cat", exit_code=1)
    assert f"page.md:{page.count(chr(10)) + 1}: warning: no newline" in result.stderr


def test_a_resources_item_nested_under_the_parent_item_is_reported() -> None:
    """Nested under the contents' first item, the resources item was written unindented."""
    page = BASE.replace("- [Empirical Study](#empirical-study)\n- [Neural Collapse]"
                        "(#neural-collapse)\n",
                        "- [Papers](#papers)\n  - [Empirical Study](#empirical-study)\n"
                        "  - [Neural Collapse](#neural-collapse)\n  - [Resources](#resources)\n")
    page += "\n## Resources\n\n- [Some Tool](https://example.org/tool)\n"
    assert notes(parse_list(page)) == [
        (line_of(page, "  - [Resources](#resources)"), "warning",
         "item nested under the first item: export writes it without indentation")]
    unnested = page.replace("  - [Resources]", "- [Resources]")
    assert round_trips(unnested)


def test_a_section_missing_from_the_contents_is_reported_at_its_heading() -> None:
    """It was reported at line 1, far from anything it concerns."""
    page = BASE.replace("- [Neural Collapse](#neural-collapse)\n", "")
    assert notes(parse_list(page)) == [
        (line_of(page, "## Neural Collapse"), "warning",
         "section 'Neural Collapse' is not in the table of contents; export lists it")]


def test_a_blank_line_inside_an_entry_is_reported() -> None:
    """Markdown reads the entry the same, but export writes its lines together: the blank
    line went unreported."""
    for above in ("  - Ann A, Bob B.", "  - Key Word: Foo; Bar."):
        page = BASE.replace(f"\n{above}\n", f"\n\n{above}\n", 1)
        assert notes(parse_list(page)) == [
            (line_of(page, above), "warning", "blank line inside the entry dropped")]


def test_trailing_spaces_after_a_heading_are_reported() -> None:
    for heading in ("## Neural Collapse", "### Neural Collapse: 2023"):
        page = BASE.replace(f"{heading}\n", f"{heading}  \n")
        assert notes(parse_list(page)) == [
            (line_of(page, f"{heading}  "), "warning", "trailing spaces dropped")]


def test_trailing_spaces_after_a_closing_heading_are_kept() -> None:
    page = BASE + "\n# Contributing  \n\nSome text.\n"
    assert round_trips(page)


TOC = "- [Empirical Study](#empirical-study)\n- [Neural Collapse](#neural-collapse)\n"
RESOURCES = "\n## Related Resources\n\n- [Some Tool](https://example.org/tool)\n"
WITH_RESOURCES = BASE.replace(TOC, TOC + "- [Resources](#related-resources)\n") + RESOURCES


def test_contents_in_another_list_style_are_reported() -> None:
    """'1. [Label](#anchor)' items were kept as the contents' image line, and export wrote
    its own items under them: the contents twice, unreported."""
    for marker in ("1.", "+"):
        page = BASE.replace(TOC, TOC.replace("- ", f"{marker} "))
        problems = notes(parse_list(page))
        assert [(line, level) for line, level, _ in problems] == [
            (line_of(page, f"{marker} [Empirical Study](#empirical-study)"), "error"),
            (line_of(page, f"{marker} [Neural Collapse](#neural-collapse)"), "error")]
        assert all("table of contents not understood" in m for _, _, m in problems)


def test_resource_items_spaced_otherwise_than_export_are_reported() -> None:
    """Export writes one blank line above each item and none above its note."""
    assert round_trips(WITH_RESOURCES)
    page = WITH_RESOURCES + "- [Another Tool](https://example.org/another)\n"
    assert notes(parse_list(page)) == [
        (line_of(page, "- [Another Tool](https://example.org/another)"), "warning",
         "no blank lines above the item: export writes one")]
    page = WITH_RESOURCES + "\n  - What it does.\n"
    assert notes(parse_list(page)) == [
        (line_of(page, "  - What it does."), "warning", "blank line above the note dropped")]


DETAILS = """## Table of Contents

- [Invented List](#invented-list)
  - [Robustness](#robustness)
  - [Calibration](#calibration)


## Robustness

<details>
<summary>Robustness: 2024</summary>

- Invented Perturbations. [[paper]](https://arxiv.org/abs/2410.01234)
  - Ada Lovelace.
  - Key Word: Robustness.
  - <details><summary>Digest</summary> An invented summary.

</details>


## Calibration

<details>
<summary>Calibration: 2023</summary>

- Calibrated Things. [[paper]](https://arxiv.org/abs/2301.00001)
  - Bram Stoker.
  - Key Word: Calibration.

- Older Calibrated Things. [[paper]](https://arxiv.org/abs/2301.00000)
  - Cleo Doe. *ICLR 2023*
  - Key Word: Calibration.

</details>
"""


def test_the_details_base_page_round_trips() -> None:
    assert round_trips(DETAILS)


def test_year_group_lines_written_otherwise_than_export_are_reported() -> None:
    """Each came back as export writes it, with no problem said."""
    cases = [
        ("<details>\n<summary>Calibration: 2023</summary>",
         "<details><summary>Calibration: 2023</summary>",
         "<summary> on the <details> line: export writes it on a line of its own"),
        ("<summary>Calibration: 2023</summary>", "<summary> Calibration: 2023 </summary>",
         "spaces around the year group's label dropped"),
        ("<summary>Calibration: 2023</summary>\n\n", "<summary>Calibration: 2023</summary>\n",
         "no blank line above the entry, below an HTML line (export writes one)"),
        ("*ICLR 2023*\n  - Key Word: Calibration.\n\n</details>",
         "*ICLR 2023*\n  - Key Word: Calibration.\n</details>",
         "no blank lines above </details>: export writes one"),
        ("Calibration.\n\n</details>", "Calibration.\n\n</details> ",
         "trailing spaces dropped"),
        ("  - [Robustness](#robustness)", "    - [Robustness](#robustness)",
         "nested item's indentation written as two spaces"),
    ]
    for old, new, message in cases:
        page = DETAILS.replace(old, new)
        problems = notes(parse_list(page))
        assert [m for _, _, m in problems] == [message], new
        changed = next(i for i, (a, b) in enumerate(zip(page.splitlines(),
                                                        DETAILS.splitlines(), strict=False))
                       if a != b)
        assert problems[0][0] in (changed + 1, changed + 2), new


def test_blank_lines_export_writes_otherwise_around_the_head_are_reported() -> None:
    """The contents' items, their image line, a section's image and first line of text
    each get one blank line above them on export; other spacing went unreported."""
    image = "<img src='banner.png'>"
    cases = [
        (TOC, TOC.replace("\n- [Neural", "\n\n- [Neural"), "- [Neural Collapse](#neural-collapse)",
         "blank line above the contents item dropped"),
        ("## Table of Contents\n\n", f"## Table of Contents\n\n{image}\n",
         "- [Empirical Study](#empirical-study)",
         "no blank lines above the contents' first item: export writes one"),
        ("## Table of Contents\n\n", f"## Table of Contents\n\n{image}\n\n\n",
         "- [Empirical Study](#empirical-study)",
         "2 blank lines above the contents' first item: export writes one"),
        ("## Neural Collapse\n\n", "## Neural Collapse\n![avatar](https://example.org/a.png)\n\n",
         "![avatar](https://example.org/a.png)",
         "no blank lines above the image line: export writes one"),
        ("## Neural Collapse\n\n", "## Neural Collapse\nWhat the section holds.\n\n",
         "What the section holds.",
         "no blank lines above the section's first line of text: export writes one"),
    ]
    for old, new, where, message in cases:
        page = BASE.replace(old, new, 1)
        assert notes(parse_list(page)) == [(line_of(page, where), "warning", message)], new
    assert round_trips(BASE.replace("## Table of Contents\n\n",
                                    f"## Table of Contents\n\n{image}\n\n"))


def test_a_year_group_opened_after_one_ended_imports_without_a_crash() -> None:
    """An empty <details> after a year heading, or a second <details> with no label, ended
    the group first; the next end read the group again and raised (a traceback, exit 1)."""
    empty_details = BASE.replace("### Empirical Study: 2024\n\n",
                                 "### Empirical Study: 2024\n\n<details>\n</details>\n\n")
    unlabelled = BASE.replace("## Neural Collapse\n",
                              "<details><summary>Empirical Study: 2023</summary>\n\n"
                              "<details>\n\n## Neural Collapse\n")
    for page in (empty_details, unlabelled):
        assert page != BASE
        result = parse_list(page)  # no exception
        assert result.problems
        assert {p.key for p in result.papers} >= {p.key for p in parse_list(BASE).papers}
