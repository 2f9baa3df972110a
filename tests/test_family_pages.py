"""The sibling list's dialect: <details> year groups, nested contents, front pages, resources.

tests/fixtures/lists/family-*.md are invented pages in the layouts of the family's sibling list
(Awesome Trustworthy Deep Learning): a full list (family-full.md), a front page (family-front.md)
and bad input (mixed year-group styles, unclosed <details>, a second page with unknown
sections). Nothing in them comes from the real pages. The real pages, when ../shared is
present, are measured the way the existing round-trip test measures the list's own page.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepphen.catalog import Catalog, load_settings
from deepphen.catalog_write import write_catalog
from deepphen.errors import CatalogError
from deepphen.export.markdown import recent, render
from deepphen.importer import ImportResult, parse_list
from deepphen.models import Paper, Settings
from tests.helpers import FIXTURES, SHARED

LISTS = FIXTURES / "lists"
FAMILY = SHARED / "data" / "awesome-trustworthy-deep-learning"


def read(name: str) -> ImportResult:
    return parse_list((LISTS / name).read_text(encoding="utf-8"), source=name)


def ratio(a: list[str], b: list[str]) -> float:
    """SequenceMatcher ratio over lines, trailing spaces aside (as the issue measures)."""
    a, b = [line.rstrip() for line in a], [line.rstrip() for line in b]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def unreported(original: list[str], exported: list[str], result: ImportResult) -> list[int]:
    """Non-blank lines of the original that export changes or drops and no note names."""
    original = [line.rstrip() for line in original]
    exported = [line.rstrip() for line in exported]
    reported = {p.line for p in result.problems}
    matcher = difflib.SequenceMatcher(None, original, exported, autojunk=False)
    missing = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changed = [i + 1 for i in range(i1, i2) if original[i].strip()]
            if changed and not any(line in reported for line in changed):
                missing.append(changed[0])
    return missing


# ---- the full list: <details> year groups ---------------------------------------------------


def test_full_list_comes_back_line_for_line() -> None:
    text = (LISTS / "family-full.md").read_text(encoding="utf-8")
    result = parse_list(text, source="family-full.md")
    assert render(result.papers, result.settings) == text
    assert len(result.papers) == 13
    assert not [p for p in result.problems if p.level == "error"]


def test_full_list_layout_is_recorded() -> None:
    result = read("family-full.md")
    layout = result.settings.layout
    assert layout.year_groups == "details"
    assert layout.toc_level == 2
    assert layout.toc_parent == (
        "[Invented Reliable Learning Paper List](#invented-reliable-learning)")
    assert (layout.year_floor, layout.year_floor_label) == (2019, "{year} and Before")
    assert layout.empty_year_text == "TBD"
    assert result.settings.title == ""
    calibration = result.settings.section("Calibration")
    assert calibration.empty_years == [2023, 2022]
    # Comments before a year group and between entries are kept where they were.
    assert layout.notes["Robustness: 2022"] == ["<!-- ### Robustness: 2022 -->", ""]
    assert layout.notes["Robustness: 2019"] == ["<!-- ### Robustness: 2019 -->"]
    assert layout.notes["2403.04444"] == ["<!-- an invented grouping note -->", ""]


def test_floor_group_keeps_each_papers_own_year() -> None:
    years = {p.arxiv: p.year for p in read("family-full.md").papers}
    assert years["1905.01111"] == 2019 and years["1712.02222"] == 2017
    assert years["1806.05555"] == 2018


def test_both_link_forms_and_line_break_spaces_come_back() -> None:
    papers = {p.title: p for p in read("family-full.md").papers}
    shifts = papers["A Journal Study Of Made-Up Shifts"]
    assert [link.url for link in shifts.links] == [
        "https://doi.org/10.0000/example.2024.1", "https://github.com/example/shifts"]
    assert shifts.verbatim[0].endswith("[[code](https://github.com/example/shifts)]")
    spaced = papers["Invented Perturbations Revisited"]
    assert spaced.authors == ["Ada Lovelace", "Bram Stoker"]
    assert spaced.verbatim[1].endswith("Stoker.  ")


def test_catalog_written_and_read_back_gives_the_same_page(tmp_path: Path) -> None:
    for name in ("family-full.md", "family-front.md"):
        result = read(name)
        root = write_catalog(tmp_path / name, result.settings, result.papers)
        catalog = Catalog.load(root)
        text = (LISTS / name).read_text(encoding="utf-8")
        exported = render(catalog.papers, catalog.settings)
        assert exported == render(result.papers, result.settings), name
        assert ratio(exported.splitlines(), text.splitlines()) == 1.0, name


# ---- the front page: no year groups, a line per section, resource sections -----------------


def test_front_page_comes_back_line_for_line() -> None:
    text = (LISTS / "family-front.md").read_text(encoding="utf-8")
    result = parse_list(text, source="family-front.md")
    exported = render(result.papers, result.settings).splitlines()
    assert [line.rstrip() for line in exported] == [line.rstrip() for line in text.splitlines()]
    # Only trailing spaces differ, and each such line is reported.
    trailing = {i for i, line in enumerate(text.splitlines(), 1) if line != line.rstrip()
                and line.strip() and not line.startswith("  - ")}
    assert trailing <= {p.line for p in result.problems}


def test_front_page_layout_and_resources_are_recorded() -> None:
    result = read("family-front.md")
    settings, layout = result.settings, result.settings.layout
    assert layout.year_groups == "none"
    assert layout.papers_heading == "Paper List"
    assert layout.show_empty_sections
    assert layout.section_intro == ('<a href="https://example.org/FULL_LIST.md#{anchor}">'
                                    ':open_file_folder: [<b><i>Full List of {heading}</i></b>]'
                                    '</a>.')
    assert layout.toc_after == ["- [Contributing :wave:](#contributing)"]
    assert [(r.heading, r.level, r.toc_label) for r in layout.resource_sections] == [
        ("Related Lists", 1, "Related Lists :star:"), ("Toolboxes", 1, "Toolboxes :toolbox:"),
        ("Seminars", 1, "Seminars :bell:")]
    box = next(r for r in settings.resources if r.name == "InventedBox")
    assert (box.section, box.group, box.note) == (
        "Toolboxes", "Robustness Toolboxes", "An invented toolbox for invented attacks.")
    assert [s.heading for s in settings.sections] == [
        "Robustness", "Calibration", "Unlearning", "Others"]
    assert not [p for p in result.problems if p.level == "error"]


def test_papers_without_year_groups_keep_the_page_order() -> None:
    result = read("family-front.md")
    unlearning = [p.title for p in result.papers if p.section == "unlearning"]
    # The page lists the older paper first: sort_as keeps it there.
    assert unlearning == ["Unlearning Invented Secrets", "Certified Forgetting Of Invented Data"]
    assert [p.year for p in result.papers] == [2025] * 5


# ---- bad input ------------------------------------------------------------------------------


def test_mixed_year_group_styles_are_reported_by_line() -> None:
    result = read("family-mixed.md")
    assert len(result.papers) == 3
    messages = {p.line: p.message for p in result.problems}
    # Within a section: the other style is reported and written in the section's first.
    assert "section's first uses <details> blocks" in messages[17]
    # A section all in the other style keeps it (the section's year_groups).
    assert 25 not in messages
    assert result.settings.section("Calibration").year_groups == "headings"
    assert result.settings.section("Robustness").year_groups is None
    page = render(result.papers, result.settings)
    assert page.count("<summary>Robustness") == 2 and "### Calibration: 2024" in page


def test_unclosed_details_groups_are_reported_and_closed() -> None:
    result = read("family-unclosed.md")
    assert {p.arxiv for p in result.papers} == {
        "2501.01111", "2410.01234", "2405.03333", "2309.07777"}
    years = {p.arxiv: p.year for p in result.papers}
    assert years["2501.01111"] == 2025 and years["2410.01234"] == 2024
    unclosed = {p.line for p in result.problems if "is not closed" in p.message}
    assert unclosed == {8, 26, 35}
    page = render(result.papers, result.settings)
    assert page.count("<details>\n") == page.count("</details>\n") == 4


@pytest.mark.parametrize("text", [
    "## S\n\n<details>\n<summary>S: 2024</summary>\n\n- P. [[paper]](https://arxiv.org/abs/2401.00001)\n",
    "## S\n\n<details>\n\n- P. [[paper]](https://arxiv.org/abs/2401.00001)\n</details>\n",
    "## S\n\n<summary>S: 2024</summary>\n- P. [[paper]](https://arxiv.org/abs/2401.00001)\n",
    "## S\n\n<details><summary>S: 2024 and Before</summary>\n\nTBD\n\nmore\n</details>\n",
    "# T\n\n# Paper List\n\n## S\n\n<!-- note -->\n",
    "## Table of Contents\n\n- [X](#x)\n  - [S](#s)\n\n## S\n\n</details>\n",
])
def test_odd_year_groups_never_crash_and_export_is_stable(text: str) -> None:
    result = parse_list(text)
    page = render(result.papers, result.settings)
    again = parse_list(page)
    assert render(again.papers, again.settings) == page
    assert all(isinstance(p.line, int) and p.line >= 1 for p in result.problems)


# ---- the recent window of a front page ------------------------------------------------------


def test_recent_counts_months_back_from_the_newest_paper() -> None:
    papers = [Paper(title=t, year=int("20" + a[:2]), section="s", arxiv=a)
              for t, a in (("new", "2507.00001"), ("jan", "2501.00002"), ("dec", "2412.00003"))]
    papers.append(Paper(title="undated", year=2025, section="s"))
    papers.append(Paper(title="old undated", year=2024, section="s"))
    assert [p.title for p in recent(papers, 7)] == ["new", "jan", "undated"]
    assert [p.title for p in recent(papers, 8)] == ["new", "jan", "dec", "undated",
                                                    "old undated"]


def test_layout_settings_survive_catalog_toml(tmp_path: Path) -> None:
    result = read("family-front.md")
    root = write_catalog(tmp_path / "c", result.settings, result.papers)
    settings = load_settings(root)
    assert settings.layout == result.settings.layout
    assert settings.sections == result.settings.sections


# ---- the real pages (../shared), when present ----------------------------------------------

shared = pytest.mark.skipif(not FAMILY.is_dir(), reason="../shared sibling-list data absent")


@shared
@pytest.mark.shared
@pytest.mark.parametrize("name, papers", [("FULL_LIST.md", 1140), ("README.md", 25)])
def test_real_page_round_trip(name: str, papers: int) -> None:
    text = (FAMILY / name).read_text(encoding="utf-8")
    result = parse_list(text, source=name)
    exported = render(result.papers, result.settings).splitlines()
    assert len(result.papers) >= papers
    assert ratio(text.splitlines(), exported) >= 0.99
    assert unreported(text.splitlines(), exported, result) == []


# ---- any page in the family's dialects ------------------------------------------------------

_FAMILY_PIECES = st.sampled_from([
    "<details>", "<details open>", "<summary>S: 2020</summary>", "</details>", "<!-- c -->",
    "# Paper List", "TBD", "<summary>S: 2019 and Before</summary>", "## Table of Contents",
    "  - [S](#s)",
    "- [L](#l)", "  - a note", "# Toolboxes", "[[paper](https://x.org/p)]",
    '<a href="x#s">S</a>', "## S", "- P. [[paper]](https://arxiv.org/abs/2001.00001)",
    "- Q. [[paper]](https://arxiv.org/abs/1801.00002)", "  - A, B.", "  - Key Word: K.",
    "\n", " ", "  ", "# T",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_FAMILY_PIECES, max_size=5).map("".join), max_size=40).map("\n".join))
def test_any_family_page_exports_stably(text: str) -> None:
    result = parse_list(text)
    page = render(result.papers, result.settings)
    again = parse_list(page)
    assert render(again.papers, again.settings) == page
    assert len(again.papers) == len(result.papers)


def test_second_level_resource_sections_group_one_level_down() -> None:
    text = ("# L\n\n# Table of Contents\n\n- [S](#s)\n- [Toolboxes](#toolboxes)\n\n## S\n\n"
            "- P. [[paper]](https://arxiv.org/abs/2401.00001)\n  - A.\n  - Key Word: K.\n\n"
            "## Toolboxes\n\n### Robustness Toolboxes\n\n"
            "- [Box](https://example.org/box) [[Note]](https://example.org/note)\n"
            "  - An invented note.\n\n### Other Toolboxes\n\n- [Kit](https://example.org/kit)\n")
    result = parse_list(text)
    assert render(result.papers, result.settings) == text
    assert [(r.heading, r.level) for r in result.settings.layout.resource_sections] == [
        ("Toolboxes", 2)]
    assert [(r.name, r.group, r.note) for r in result.settings.resources] == [
        ("Box", "Robustness Toolboxes", "An invented note."), ("Kit", "Other Toolboxes", None)]
    assert not result.problems


def test_resource_contents_labels_are_link_text_like_the_sections(tmp_path: Path,
                                                                  run_cli) -> None:
    """A contents item must not hold a link: GitHub keeps the inner one, so the item leads
    off the page. Section items were written as their link text; the related-resources item
    and the non-paper sections' items were copied as they came (from the page or the
    heading), links and stray brackets included."""
    page = tmp_path / "list.md"
    page.write_text(
        "# L\n\n# Table of Contents\n\n- [Paper List](#paper-list)\n"
        "  - [[S](https://x.org/s)](#s)\n"
        "- [[Related](https://x.org/r) Lists](#related-lists)\n"
        "- [Toolboxes <https://x.org/t>](#toolboxes)\n"
        "- [[Seminars](https://x.org/m) [beta](#seminars)\n\n"
        "# Paper List\n\n## S\n\n"
        "- P. [[paper]](https://arxiv.org/abs/2401.00001)\n  - A.\n  - Key Word: K.\n\n"
        "# [Related](https://x.org/r) Lists\n\n- [List](https://example.org/list)\n\n"
        "# Toolboxes\n\n- [Box](https://example.org/box)\n\n"
        "# Seminars\n\n- [Talk](https://example.org/talk)\n", encoding="utf-8")
    run_cli("import", page, "--catalog", tmp_path / "cat", exit_code=None)
    out = run_cli("export", "--format", "md", "--catalog", tmp_path / "cat").stdout
    items = out.split("# Table of Contents\n\n")[1].split("\n\n")[0].splitlines()
    assert items == ["- [Paper List](#paper-list)", "  - [S](#s)",
                     "- [Related Lists](#related-lists)",
                     "- [Toolboxes https://x.org/t](#toolboxes)",
                     r"- [Seminars \[beta](#seminars)"]
    again = parse_list(out)  # and the page reads back to itself
    assert render(again.papers, again.settings) == out


GROUPED_RESOURCES = """## Table of Contents

- [Alpha](#alpha)
- [Related Lists](#related-lists)
  - [Tools List](#tools-list)
  - [Other List](#other-list)
- [Related Resources](#related-resources)
  - [Workshops](#workshops)

## Alpha

### Alpha: 2021

- Invented Paper. [[paper]](https://arxiv.org/abs/2101.00001)
  - A. Author.
  - Key Word: K.

## Related Lists

### Tools List

- [Tool](https://example.org/tool)

### Other List

- [Other](https://example.org/other)

## Related Resources

### Workshops

TBD

### Books

TBD
"""


def test_resource_groups_in_the_contents_and_with_a_line_of_text() -> None:
    """A 2022 version of the sibling list lists its resource groups in the table of contents
    (nested under their section's item) and holds 'TBD' under empty groups; the items were
    left out as pointing to no section, and the groups with their text lost."""
    result = parse_list(GROUPED_RESOURCES)
    assert not result.problems
    assert render(result.papers, result.settings) == GROUPED_RESOURCES
    block = result.settings.layout.resource_sections[-1]
    assert block.texts == {"Workshops": "TBD", "Books": "TBD"}
    # The layout survives catalog.toml.
    again = Settings.from_dict(result.settings.to_dict())
    assert render(result.papers, again) == GROUPED_RESOURCES


def test_an_error_in_a_later_resource_section_names_its_own_table(tmp_path: Path) -> None:
    """resource_sections[1]'s error was located at the first [[resource_sections]] line."""
    result = parse_list(GROUPED_RESOURCES)
    write_catalog(tmp_path / "c", result.settings, result.papers)
    path = tmp_path / "c" / "catalog.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    tables = [i for i, line in enumerate(lines, 1) if line == "[[resource_sections]]"]
    assert len(tables) == 2
    level = lines.index("level = 2", tables[1])
    lines[level] = "level = 3"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_settings(tmp_path / "c")
    assert err.value.line == tables[1]
    assert "resource_sections[1]: 'level' must be 1 or 2" in str(err.value)


def test_a_resources_section_with_an_empty_group_keeps_the_group() -> None:
    """A '##' resources section whose one group has no items was read as the plain 'Related
    Resources' section, and the group's heading silently dropped."""
    page = ("# T\n\n## Table of Contents\n\n- [Alpha](#alpha)\n"
            "- [Related Resources](#related-resources)\n\n## Alpha\n\n### Alpha: 2021\n\n"
            "- A. [[paper]](https://arxiv.org/abs/2101.00001)\n  - B. Author.\n"
            "  - Key Word: X.\n\n## Related Resources\n\n- [Tool](https://example.org/tool)\n\n"
            "### Empty\n")
    result = parse_list(page)
    assert not result.problems
    assert render(result.papers, result.settings) == page
