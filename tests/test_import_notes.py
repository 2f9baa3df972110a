"""``deepphen import``: lines between a page's entries that are no paper (note paragraphs,
badge lines, HTML comments) are kept as notes and exported back in place; where the catalog
has no place for them, one error names their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepphen.export.markdown import render
from deepphen.import_entry import ERROR, WARNING
from deepphen.importer import parse_list
from tests.test_import_lost import BASE, BETA, import_page, line_of, notes
from tests.test_import_roundtrip import DETAILS, round_trips

CALIBRATED = "- Calibrated Things. [[paper]](https://arxiv.org/abs/2301.00001)"
OLDER = "- Older Calibrated Things. [[paper]](https://arxiv.org/abs/2301.00000)"


@pytest.mark.parametrize("note", [
    "Note: the papers below are surveys.",
    "![Surveys](https://img.shields.io/badge/kind-survey-blue)",
    "Two lines of a note,\nthe second right below.",
    "A note.\n\n<!-- and a comment -->",
])
def test_a_note_between_two_entries_is_kept_in_place(note: str) -> None:
    """It was left out with an error; export now writes it back before the entry below."""
    page = BASE.replace(f"\n{BETA}", f"\n{note}\n\n{BETA}")
    result = parse_list(page)
    assert not result.problems
    assert list(result.settings.layout.notes.values()) == [[*note.split("\n"), ""]]
    assert render(result.papers, result.settings) == page


@pytest.mark.parametrize(("above", "below"), [(2, 1), (1, 0), (3, 2)])
def test_the_blank_lines_around_a_note_are_kept(above: int, below: int) -> None:
    """The blank lines above a note are the entry's: they were written as one."""
    page = BASE.replace(f"\n\n{BETA}", "\n" * (above + 1) + "Note: surveys." + "\n" * (below + 1)
                        + BETA)
    result = parse_list(page)
    assert render(result.papers, result.settings) == page


def test_a_note_between_two_entries_of_a_details_group_is_kept() -> None:
    assert round_trips(DETAILS.replace(f"\n{OLDER}", f"\nNote: older ones.\n\n{OLDER}"))


def test_a_note_in_an_unrelated_context_is_no_note() -> None:
    """An indented line, or a line right below an entry's lines, is the entry's: reported,
    not a note."""
    for line, above in (("  indented text", "\n\n"), ("Right below.", "\n")):
        page = BASE.replace(f"\n\n{BETA}", f"{above}{line}\n\n{BETA}")
        result = parse_list(page)
        assert line_of(page, line) in [n for n, _, _ in notes(result)]
        assert not result.settings.layout.notes


def test_a_note_with_no_entry_below_it_is_one_error(run_cli, tmp_path: Path) -> None:
    """After a section's last entry (before the next section) the catalog has no place for
    it: one error naming its lines."""
    page = BASE.replace("\n## Neural Collapse", "\nA closing note.\nOf two lines.\n\n"
                                                "## Neural Collapse")
    line = line_of(page, "A closing note.")
    assert import_page(run_cli, tmp_path, page)[1] == [
        f"{tmp_path / 'page.md'}:{line}: error: note (lines {line}-{line + 1}) left out: it "
        "precedes no year group or entry: 'A closing note.'"]


def test_a_note_before_a_closing_details_line_is_one_error() -> None:
    """It was kept before the next group's <details>, a place it did not have, unsaid."""
    for note in ("<!-- a comment -->", "A note."):
        page = DETAILS.replace("\n</details>\n\n\n## Calibration", f"\n{note}\n\n</details>\n\n\n"
                                                                   "## Calibration")
        line = line_of(page, note)
        result = parse_list(page)
        kind = "HTML comment" if note.startswith("<!--") else "note"
        assert notes(result) == [(line, ERROR, f"{kind} (lines {line}-{line}) left out: it "
                                               "precedes the year group's </details>, where "
                                               f"export writes none: {note!r}")]
        assert note not in render(result.papers, result.settings)


def test_details_open_is_read_as_a_group_and_reported() -> None:
    """'<details open>' was kept as the section's text and a second '<details>' written
    below it; the group is now read, and written closed, said."""
    page = DETAILS.replace("<details>\n<summary>Calibration: 2023", "<details open>\n"
                                                                     "<summary>Calibration: 2023")
    result = parse_list(page)
    assert notes(result) == [(line_of(page, "<details open>"), WARNING,
                              "'<details open>' written as <details>: the catalog keeps no "
                              "open state, the group shows closed")]
    assert render(result.papers, result.settings) == DETAILS


def test_the_blank_lines_above_a_comment_before_an_entry_are_kept() -> None:
    """Two blank lines above a comment kept before an entry came back as one, unsaid."""
    page = BASE.replace(f"\n\n{BETA}", f"\n\n\n<!-- a comment -->\n\n{BETA}")
    result = parse_list(page)
    assert not result.problems
    assert render(result.papers, result.settings) == page
