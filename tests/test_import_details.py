"""``<details>`` year groups and HTML comments: import then export gives the page back byte
for byte, or import reports, at the line, each line export writes otherwise.

Pages are built from small invented snippets: year groups open or collapsed, a comment at
each place one can stand (below a section's text, above a group, an entry, a group's
``</details>``), 0 to 3 blank lines around each, CRLF line ends. Before the fixes a group
written ``<details open>`` was read as section text, a comment above ``</details>`` was left
out or moved to the next group, and the blank lines above a comment before an entry (or below
a section's text) were changed, all without a line saying so.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from deepphen.export.markdown import render
from deepphen.fields import FieldError
from deepphen.importer import parse_list
from deepphen.layout import Layout
from tests.test_import_lost import BASE, line_of

HEAD = """# Invented List

Invented intro.

## Table of Contents

- [Robustness](#robustness)
- [Calibration](#calibration)
"""


def entry(n: int, digest: bool = False) -> list[str]:
    """An invented entry, arXiv id 2301.000NN (newer ones first on a page)."""
    lines = [f"- Invented Paper {n}. [[paper]](https://arxiv.org/abs/2301.{100 - n:05d})",
             "  - Ann Author.", "  - Key Word: Invented."]
    return lines + ["  - <details><summary>Digest</summary> An invented digest."] * digest


def group(section: str, year: int, entries: list[list[str]], opener: str = "<details>",
          end: list[str] | None = None) -> list[str]:
    """A ``<details>`` year group: its entries one blank line apart, ``end`` (lines above
    ``</details>``, blank ones included) else one blank line."""
    lines = [opener, f"<summary>{section}: {year}</summary>"]
    for one in entries:
        lines += ["", *one]
    return [*lines, *(end if end is not None else [""]), "</details>"]


def page(*sections: list[str]) -> str:
    lines = HEAD.splitlines()
    for body in sections:
        lines += ["", *body]
    return "\n".join(lines) + "\n"


def robustness(*groups: list[str]) -> list[str]:
    out = ["## Robustness"]
    for lines in groups:
        out += ["", *lines]
    return out


CALIBRATION = ["## Calibration", "", *group("Calibration", 2023, [entry(9)])]
ONE_GROUP = page(robustness(group("Robustness", 2024, [entry(1)])), CALIBRATION)


def exported(text: str) -> tuple[str, list]:
    result = parse_list(text)
    return render(result.papers, result.settings), result.problems


def assert_round_trip(text: str) -> None:
    out, problems = exported(text)
    assert not problems, problems
    assert out == text


# ---- <details open> ---------------------------------------------------------------------------


def test_a_group_written_details_open_is_kept_open() -> None:
    """'<details open>' was not a year group: it went into the section's text, and export
    wrote a '<details>' line below it (the label's group then reported as opened by export)."""
    text = page(robustness(group("Robustness", 2024, [entry(1)], "<details open>"),
                           group("Robustness", 2023, [entry(2)])), CALIBRATION)
    assert_round_trip(text)
    layout = parse_list(text).settings.layout
    assert layout.details_open == ["Robustness: 2024"]
    assert layout.to_dict()["details_open"] == ["Robustness: 2024"]


def test_a_page_whose_groups_are_all_open_keeps_them_all_open() -> None:
    text = page(robustness(group("Robustness", 2024, [entry(1)], "<details open>")),
                ["## Calibration", "", *group("Calibration", 2023, [entry(9)],
                                               "<details open>")])
    assert_round_trip(text)
    assert parse_list(text).settings.layout.details_open == "all"


@pytest.mark.parametrize(("tag", "written"), [
    ('<details open="">', "<details open>"), ("<details open='open'>", "<details open>"),
    ("<details  open >", "<details open>"), ("<DETAILS OPEN>", "<details open>"),
    ("<Details>", "<details>"), ("<details >", "<details>")])
def test_other_spellings_of_details_are_read_and_reported(tag: str, written: str) -> None:
    text = page(robustness(group("Robustness", 2024, [entry(1)], tag)), CALIBRATION)
    out, problems = exported(text)
    assert [(p.line, p.message) for p in problems] == [
        (line_of(text, tag), f"{tag!r} written as {written!r}")]
    assert out == text.replace(tag, written)


def test_details_open_in_catalog_toml_is_checked() -> None:
    assert Layout.from_dict({"details_open": "all"}).expanded("Any: 2020")
    layout = Layout.from_dict({"details_open": ["A: 2024"]})
    assert layout.expanded("A: 2024") and not layout.expanded("A: 2023")
    for bad in ("some", ["A: 2024\nB"], [1], 3):
        with pytest.raises(FieldError, match="details_open"):
            Layout.from_dict({"details_open": bad})


def test_import_and_export_through_the_catalog_keep_the_page(run_cli, tmp_path: Path) -> None:
    comment = ["", "", "<!-- invented comment -->"]
    text = page(robustness(group("Robustness", 2024, [entry(1, digest=True)], "<details open>",
                                 end=comment),
                           group("Robustness", 2023, [entry(2)])), CALIBRATION)
    (tmp_path / "page.md").write_text(text, encoding="utf-8")
    run_cli("import", tmp_path / "page.md", "--catalog", tmp_path / "cat")
    toml = (tmp_path / "cat" / "catalog.toml").read_text(encoding="utf-8")
    assert 'details_open = [\n    "Robustness: 2024",\n]' in toml
    assert '"end of Robustness: 2024" = [' in toml
    run_cli("export", "--format", "md", "--catalog", tmp_path / "cat", "-o", tmp_path / "out.md")
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == text


def yearless(opener: str) -> list[str]:
    """A ``<details>`` group whose label has no year, holding one entry of 2023 (by its id)."""
    return [opener, "<summary>Robustness: Recent</summary>", "", *entry(1), "", "</details>"]


def test_a_group_without_a_year_written_open_is_reported_when_its_state_is_lost() -> None:
    """Its '<details open>' line was written '<details>' without a word: only its label was
    reported."""
    text = page(robustness(yearless("<details open>")), CALIBRATION)
    out, problems = exported(text)
    line = line_of(text, "<details open>")
    assert [(p.line, p.level) for p in problems if p.line == line] == [(line, "warning")]
    assert "open state is lost" in next(p.message for p in problems if p.line == line)
    assert "<details open>" not in out
    # Its label: the groups export writes are <summary> ones here, not '###' headings.
    assert "export writes '<summary>Robustness: YYYY</summary>' groups" in str(problems)


def test_a_group_without_a_year_written_open_among_open_groups_stays_open() -> None:
    """Every group open: "all" keeps it open too (its entries' group is written open)."""
    text = page(robustness(yearless("<details open>")),
                ["## Calibration", "", *group("Calibration", 2023, [entry(9)], "<details open>")])
    result = parse_list(text)
    assert result.settings.layout.details_open == "all"
    assert not [p for p in result.problems if p.line == line_of(text, "<details open>")]
    out = render(result.papers, result.settings)
    assert "<details open>\n<summary>Robustness: 2023</summary>" in out


def test_a_collapsed_group_without_a_year_keeps_the_open_ones_listed() -> None:
    """Read as "all" (its entries then written open), as it was not counted."""
    text = page(robustness(yearless("<details>")),
                ["## Calibration", "", *group("Calibration", 2023, [entry(9)], "<details open>")])
    assert parse_list(text).settings.layout.details_open == ["Calibration: 2023"]


# ---- HTML comments ---------------------------------------------------------------------------


@pytest.mark.parametrize("above", range(4))
@pytest.mark.parametrize("below", range(4))
def test_a_comment_above_details_close_stays_there(above: int, below: int) -> None:
    """It was left out (error) when the section ended after the group, and moved above the
    next group's '<details>' (nothing said) when one followed."""
    end = [*[""] * above, "<!-- invented -->", *[""] * below]
    text = page(robustness(group("Robustness", 2024, [entry(1)], end=end),
                           group("Robustness", 2023, [entry(2, digest=True)], end=end)),
                CALIBRATION)
    out, problems = exported(text)
    # Only an entry right below an HTML line is written otherwise: export adds a blank line.
    assert out == text or (above == 0 and [p.line for p in problems] == [
        line_of(text, "<!-- invented -->")])
    if above:
        assert_round_trip(text)


@pytest.mark.parametrize("above", range(4))
@pytest.mark.parametrize("below", range(4))
def test_the_blank_lines_around_a_comment_above_an_entry_are_kept(above: int,
                                                                   below: int) -> None:
    """Export wrote one blank line above the comment, whatever the page had."""
    body = ["<details>", "<summary>Robustness: 2024</summary>", "", *entry(1), *[""] * above,
            "<!-- invented -->", *[""] * below, *entry(2), "", "</details>"]
    assert_round_trip(page(robustness(body), CALIBRATION))


@pytest.mark.parametrize("gap", range(4))
def test_a_comment_or_entry_right_below_a_sections_text_keeps_its_place(gap: int) -> None:
    """A comment (or an entry) right below a section's line of text got a blank line above
    it, unreported, on a page without year groups."""
    flat = BASE.replace("### Empirical Study: 2024\n\n", "").replace(
        "### Neural Collapse: 2023\n\n", "")
    for between in ("<!-- invented -->\n" + "\n" * gap, ""):
        text = flat.replace("## Neural Collapse\n\n",
                            "## Neural Collapse\n\nInvented text.\n" + between)
        assert_round_trip(text)


@pytest.mark.parametrize("first", ["![avatar](https://example.org/a.png)", "Invented text."])
@pytest.mark.parametrize("below", range(3))
def test_a_comment_above_a_sections_image_or_text_stays_above_it(first: str,
                                                                  below: int) -> None:
    """It was held for the first year group or entry, so written below the image or text
    (nothing said)."""
    text = page(["## Robustness", "", "<!-- invented -->", *[""] * below, first, "",
                 *group("Robustness", 2024, [entry(1)])], CALIBRATION)
    assert_round_trip(text)


def test_an_entry_right_below_a_sections_text_holding_html_keeps_its_place() -> None:
    """Export looked for HTML in the whole text above (a comment on its first line), not
    its last line, and wrote a blank line above the entry, unreported."""
    flat = BASE.replace("### Empirical Study: 2024\n\n", "").replace(
        "### Neural Collapse: 2023\n\n", "")
    assert_round_trip(flat.replace("## Neural Collapse\n\n",
                                   "## Neural Collapse\n\n<!-- invented -->\nInvented text.\n"))


def test_a_comment_of_a_year_group_that_appears_twice_is_reported() -> None:
    """The second group's comment replaced the first's, which was lost unreported."""
    twice = group("Robustness", 2024, [entry(2)])
    text = page(robustness(["<!-- first -->", *group("Robustness", 2024, [entry(1)])],
                           ["<!-- second -->", *twice]), CALIBRATION)
    out = assert_second_moved(text, "year group", "above the first 'Robustness: 2024'")
    assert "<!-- first -->\n<!-- second -->\n<details>" in out


def assert_second_moved(text: str, what: str, where: str) -> str:
    """Import reports the comment '<!-- second -->' moved to the first ``what``; the export."""
    out, problems = exported(text)
    line = line_of(text, "<!-- second -->")
    assert (line, "warning", f"HTML comment (lines {line}-{line}) moved: its {what} appears "
            f"twice, export writes it {where}") in [(p.line, p.level, p.message)
                                                    for p in problems]
    return out


# ---- every combination: back byte for byte, or each change reported ---------------------------


GAPS = st.integers(0, 3)
# Blank lines above and below a comment, and a second comment's below the first (or none).
COMMENT = st.none() | st.tuples(GAPS, GAPS, st.none() | GAPS)


@st.composite
def pages(draw: st.DrawFn) -> str:
    """A page of two sections: year groups as <details> blocks (open or collapsed) or
    headings, or none; entries, a placeholder, comments and blank lines drawn."""
    n = iter(range(1, 60))
    style = draw(st.sampled_from(["details", "headings", "none"]))

    def commented(lines: list[str], comment: tuple[int, int, int | None] | None,
                  gap: int) -> list[str]:
        """``lines`` with ``gap`` blank lines above, or comments and their blank lines."""
        if comment is None:
            return [*[""] * gap, *lines]
        above, below, second = comment
        more = [] if second is None else [*[""] * second, "<!--", "  invented", "-->"]
        return [*[""] * above, "<!-- invented -->", *more, *[""] * below, *lines]

    def entries() -> list[str]:
        if draw(st.integers(0, 5)) == 0:  # the page's placeholder
            return commented(["TBD"], draw(COMMENT), draw(GAPS))
        out: list[str] = []
        for _ in range(draw(st.integers(0 if style != "none" else 1, 2))):
            out += commented(entry(next(n), draw(st.booleans())), draw(COMMENT), draw(GAPS))
        return out

    def section(name: str, years: list[int]) -> list[str]:
        out = [f"## {name}"]
        if draw(st.booleans()):
            out += commented(["![avatar](https://example.org/a.png)"], draw(COMMENT), 1)
        if draw(st.booleans()):
            out += commented(["Invented text."], draw(COMMENT), draw(st.sampled_from([1, 0])))
        if style == "none":
            return out + entries()
        for year in years:
            if style == "headings":
                body = [f"### {name}: {year}", *entries()]
            else:
                opener = draw(st.sampled_from(["<details>", "<details open>",
                                               '<details open="">']))
                body = [opener, f"<summary>{name}: {year}</summary>", *entries(),
                        *commented([], draw(COMMENT), draw(GAPS)), "</details>"]
            out += commented(body, draw(COMMENT), draw(GAPS))
        if draw(st.booleans()):  # a comment after the last group: the section's end
            out += commented([], draw(COMMENT), 0)
        return out

    years = sorted(draw(st.sets(st.integers(2019, 2025), min_size=1, max_size=3)),
                   reverse=True)
    # A comment below the contents, above the first section.
    first = [*commented([], draw(COMMENT), 0), *section("Robustness", years)]
    text = page(first, section("Calibration", [2022]))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=150)
@given(pages())
def test_every_change_export_makes_is_reported_at_its_line(text: str) -> None:
    result = parse_list(text)
    # A page of placeholders only is refused by import ("not a paper list"); its changes
    # (a TBD written in an empty group) leave the line matcher below without an anchor.
    assume(result.papers)
    out = render(result.papers, result.settings)
    original = text.replace("\r\n", "\n").splitlines()
    # No entry is lost: every one is a paper.
    assert len(result.papers) == sum(1 for line in original if line.startswith("- Invented"))
    if "\r\n" in text:
        assert (1, "'\\r\\n' line ends written as '\\n'") in [(p.line, p.message)
                                                              for p in result.problems]
    reported = {p.line for p in result.problems}
    for problem in result.problems:  # a comment reported is reported on all its lines
        if span := re.search(r"\(lines (\d+)-(\d+)\)", problem.message):
            reported |= set(range(int(span[1]), int(span[2]) + 1))
    exported_lines = out.splitlines()
    # A line reported where it was may be written elsewhere (a comment export moves).
    moved = {line for i, line in enumerate(original, 1) if i in reported and line}
    matcher = difflib.SequenceMatcher(None, original, exported_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "insert" and set(exported_lines[j1:j2]) - {""} <= moved
                              and any(exported_lines[j1:j2])):
            continue
        # Which blank line of a run goes or comes is the matcher's pick: the change is the
        # run's, said at the line above it, in it or below it.
        while i1 > 0 and not original[i1 - 1]:
            i1 -= 1
        while i2 < len(original) and not original[i2]:
            i2 += 1
        assert reported & set(range(i1, i2 + 2)), (tag, original[i1:i2], j1, j2)


@pytest.mark.parametrize("above", range(3))
@pytest.mark.parametrize("below", range(1, 3))
@pytest.mark.parametrize("style", ["details", "headings", "none"])
def test_a_comment_after_a_sections_last_group_stays_there(above: int, below: int,
                                                           style: str) -> None:
    """It was left out (error): no layout key held it. Before the next section's heading
    and at the page's end (the blank lines there are the page's)."""
    def section(name: str, n: int) -> list[str]:
        if style == "details":
            body = group(name, 2024, [entry(n)])
        elif style == "headings":
            body = [f"### {name}: 2024", "", *entry(n)]
        else:
            body = entry(n)
        return [f"## {name}", "", *body, *[""] * above, f"<!-- after {name} -->",
                *[""] * (below - 1)]
    text = page(section("Robustness", 1), section("Calibration", 2))
    assert_round_trip(text)
    notes = parse_list(text).settings.layout.notes
    assert notes["end of section Calibration"] == [*[""] * above, "<!-- after Calibration -->"]


@pytest.mark.parametrize("above", range(3))
@pytest.mark.parametrize("below", range(1, 3))
@pytest.mark.parametrize("papers_heading", [False, True])
def test_a_comment_below_the_contents_stays_there(above: int, below: int,
                                                  papers_heading: bool) -> None:
    """It was left out (error): right below the items as a line of the contents not
    understood, below a blank line as a line outside any section."""
    first = "# Paper List\n\n## Robustness" if papers_heading else "## Robustness"
    text = ONE_GROUP.replace(
        "- [Calibration](#calibration)\n\n## Robustness",
        "- [Calibration](#calibration)\n" + "\n" * above + "<!--\n  invented\n-->\n"
        + "\n" * below + first)
    assert "invented" in text
    assert_round_trip(text)


def test_a_comment_after_a_section_that_appears_twice_is_reported() -> None:
    """The second section's comment goes with the first's, at the first's end."""
    text = page(robustness(group("Robustness", 2024, [entry(1)]), ["<!-- first -->"]),
                CALIBRATION, robustness(group("Robustness", 2023, [entry(2)]),
                                        ["<!-- second -->"]))
    out = assert_second_moved(text, "section", "at the end of the first 'Robustness'")
    assert "</details>\n\n<!-- first -->\n\n<!-- second -->\n\n## Calibration" in out


def test_a_sections_end_comment_moved_by_its_sections_second_part_is_reported() -> None:
    """Only the first part ends with a comment: export writes it after the second part's
    groups, below entries it was above, and nothing was said at its line."""
    text = page(robustness(group("Robustness", 2024, [entry(1)]), ["<!-- first -->"]),
                CALIBRATION, robustness(group("Robustness", 2023, [entry(2)])))
    line = text.split("\n").index("<!-- first -->") + 1
    notes = [(p.line, p.message) for p in parse_list(text).problems]
    assert any(at == line and "moved: its section appears twice" in message
               for at, message in notes), notes


def test_comments_one_below_another_stay_together() -> None:
    """The second was left out (error), though both precede the same group end or entry."""
    end = ["", "<!-- one -->", "", "<!--", "  two", "-->", ""]
    assert_round_trip(page(robustness(group("Robustness", 2024, [entry(1)], end=end)),
                           CALIBRATION))


@pytest.mark.parametrize(("text", "message", "written"), [
    # It was written above the group's <details> line, nothing said.
    (ONE_GROUP.replace("<details>\n<summary>R", "<details>\n<!-- invented -->\n<summary>R"),
     "between <details> and <summary>: export writes it above the <details> line",
     "## Robustness\n\n<!-- invented -->\n\n<details>\n<summary>"),
    # It was written below the placeholder ('TBD'), nothing said.
    (page(robustness(group("Robustness", 2025, [["<!-- invented -->", "", "TBD"]]),
                     group("Robustness", 2024, [entry(1)])), CALIBRATION),
     "above the year group's line 'TBD': export writes it below that line",
     "TBD\n\n<!-- invented -->"),
])
def test_a_comment_export_writes_elsewhere_is_reported(text: str, message: str,
                                                        written: str) -> None:
    out, problems = exported(text)
    line = line_of(text, "<!-- invented -->")
    assert [(p.line, p.message) for p in problems] == [
        (line, f"HTML comment (lines {line}-{line}) {message}")]
    assert written in out


def test_a_year_group_met_twice_keeps_the_first_groups_open_state() -> None:
    """The merged group was written open when the second was: the first's line changed."""
    text = page(robustness(group("Robustness", 2024, [entry(1)]),
                           group("Robustness", 2024, [entry(2)], "<details open>")),
                CALIBRATION)
    out, problems = exported(text)
    assert "<details open>" not in out and out.count("<details>") == 2
    second = text.splitlines().index("<details open>") + 2  # its <summary> line
    assert second in {p.line for p in problems}
