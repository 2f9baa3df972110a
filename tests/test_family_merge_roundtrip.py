"""Two pages of one list, merged: what export writes of the second page is the page, or reported.

The pages are built here from small invented snippets in the sibling list's dialect (a full
list with <details> year groups, a front page without year groups), then varied the way the
real pages vary between versions: the same paper on both pages written otherwise, in another
order or section, an old paper on the front page. For each variant, the front page exported
from the merged catalog must equal the page, or every line it changes must be named by a note
(a note at the line, or, for lines export adds, at a line beside them).
"""

from __future__ import annotations

import pytest

from deepphen.export.markdown import render
from deepphen.importer import parse_list
from deepphen.merge import MergeResult, merge_page
from deepphen.verbatim import page_lines
from tests.helpers import SHARED, unnamed_changes

_ENTRIES = {
    "a": ("Invented Stress Tests", "2503.01010", "Rae Doe", "Robustness"),
    "b": ("Invented Jailbreak Defenses", "2501.02020", "Tom Roe", "Jailbreak"),
    "c": ("Invented Secrets Unlearned", "2502.03030", "Uma Poe", "Unlearning"),
    "d": ("Invented Old Allocations", None, "Quin Moe", "Fairness"),
    "e": ("Invented Older Attacks", "2208.00111", "Hal Loe", "Attacks"),
    "f": ("Invented Fresh Finding", "2503.05050", "Ida Noe", "Robustness"),
}


def entry(name: str, authors_end: str = "") -> str:
    """One entry of the dialect; ``d`` has no arXiv id (an OpenReview link, a venue)."""
    title, arxiv, author, keyword = _ENTRIES[name]
    url = f"https://arxiv.org/abs/{arxiv}" if arxiv else "https://openreview.net/forum?id=inv"
    venue = "" if arxiv else " *ICLR 2023*"
    return (f"- {title}. [[paper]]({url})\n  - {author}.{venue}{authors_end}\n"
            f"  - Key Word: {keyword}.\n")


def group(section: str, year: str, *entries: str) -> str:
    return (f"<details>\n<summary>{section}: {year}</summary>\n\n" + "\n".join(entries)
            + "\n</details>\n\n")


def full_page(a: str | None = None, d: str | None = None) -> str:
    """The full list: a, b in Robustness 2025, e in 2022; c in Unlearning 2025; d in Others
    2023."""
    return ("## Table of Contents\n\n- [Invented List](#invented-list)\n"
            "  - [Robustness](#robustness)\n  - [Unlearning](#unlearning)\n"
            "  - [Others](#others)\n\n\n## Robustness\n\n"
            + group("Robustness", "2025", a or entry("a"), entry("b"))
            + group("Robustness", "2022", entry("e"))
            + "## Unlearning\n\n" + group("Unlearning", "2025", entry("c"))
            + "## Others\n\n" + group("Others", "2023", d or entry("d"))).rstrip("\n") + "\n"


def front_page(robustness: list[str], unlearning: list[str], others: list[str]) -> str:
    """A front page: no year groups, a 'Full List' line under each section."""
    def section(heading: str, entries: list[str]) -> str:
        intro = f'<a href="FULL.md#{heading.lower()}">Full List of {heading}</a>.\n\n'
        return f"## {heading}\n\n" + intro + "\n".join(entries) + ("\n" if entries else "")
    return ("# Invented List\n\n# Table of Contents\n\n- [Invented List](#invented-list)\n"
            "  - [Robustness](#robustness)\n  - [Unlearning](#unlearning)\n"
            "  - [Others](#others)\n\n# Paper List\n\n"
            + section("Robustness", robustness) + section("Unlearning", unlearning)
            + section("Others", others)).rstrip("\n") + "\n"


def merged_front(full: str, front: str) -> tuple[MergeResult, str]:
    """Import ``full``, merge ``front``; the front page as export writes it then."""
    first = parse_list(full, source="FULL.md")
    first.settings.page = "FULL.md"
    papers = first.papers
    merged = merge_page(first.settings, papers, parse_list(front, source="FRONT.md"),
                        "FRONT.md")
    view = next(v for v in merged.settings.page_views() if v.page == "FRONT.md")
    return merged, render([*papers, *merged.added], view)


def silent(original: str, exported: str, merged: MergeResult) -> list[str]:
    """The changes export makes to ``original`` that no note of the merge names; a matched
    entry is the page's, written as the catalog has it."""
    same = {page_lines(found)[0]: page_lines(mine)[0] for mine, found in merged.matched}
    return unnamed_changes(original, exported, {p.line for p in merged.problems}, same)


FULL = full_page()
FRONT = front_page([entry("a"), entry("b")], [entry("c")], [])

VARIANTS = {
    "the same papers": (FULL, FRONT),
    "the front page orders two papers otherwise": (
        FULL, front_page([entry("b"), entry("a")], [entry("c")], [])),
    "the full list keeps trailing spaces the front page has not": (
        full_page(a=entry("a", "  ")), FRONT),
    "the front page keeps trailing spaces the full list has not": (
        FULL, front_page([entry("a", "  "), entry("b")], [entry("c")], [])),
    "the front page lists a paper under a section it has on no other": (
        FULL, front_page([entry("a"), entry("b")], [], [entry("c")])),
    "the front page shows an undated old paper": (
        FULL, front_page([entry("a"), entry("b")], [entry("c")], [entry("d")])),
    "the front page lacks a paper of its window": (
        FULL, front_page([entry("a")], [entry("c")], [])),
    "the front page has a paper the full list lacks": (
        FULL, front_page([entry("f"), entry("a"), entry("b")], [entry("c")], [])),
    "a title differs": (
        FULL, front_page([entry("a").replace("Stress", "Stressed"), entry("b")],
                         [entry("c")], [])),
    "a title differs and the front page orders the paper otherwise": (
        FULL, front_page([entry("b"), entry("a").replace("Stress", "Stressed")],
                         [entry("c")], [])),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_front_page_comes_back_or_each_change_is_reported(name: str) -> None:
    full, front = VARIANTS[name]
    merged, exported = merged_front(full, front)
    assert silent(front, exported, merged) == []


def test_the_same_papers_come_back_byte_for_byte() -> None:
    merged, exported = merged_front(FULL, FRONT)
    assert exported == FRONT
    assert [p.message for p in merged.problems if "written" in p.message] == []


def test_an_undated_paper_the_front_page_shows_stays_on_it() -> None:
    """The window was counted from the dated papers alone: a paper known only by its year
    (2023, an OpenReview link) fell outside it, and export left it off the page unsaid."""
    front = front_page([entry("a"), entry("b")], [entry("c")], [entry("d")])
    merged, exported = merged_front(FULL, front)
    assert exported == front
    view = merged.settings.pages[0]
    # From its year's December (a window reaching into 2023) to 2025-03, not back to 2022.
    assert view.layout.recent_months == 16
    assert "2208.00111" not in exported


@pytest.mark.parametrize("title", ["Stress", "Stressed"])
def test_a_matched_paper_the_page_orders_otherwise_is_reported_at_its_line(title: str) -> None:
    """Written otherwise too ("Stressed"), the move was named at the line of the entry the
    catalog's text went above (b's), which the note on its title did not explain."""
    a = entry("a").replace("Stress", title)
    front = front_page([entry("b"), a], [entry("c")], [])
    merged, exported = merged_front(FULL, front)
    assert exported != front
    # The catalog's order (newest id first) moves a above b: named at a's line on the page.
    line = front.split("\n").index(a.split("\n")[0]) + 1
    notes = [p.message for p in merged.problems if p.line == line and "moves" in p.message]
    assert len(notes) == 1
    assert notes[0].startswith("export from the merged catalog moves this entry: "
                               f"'- Invented {title} Tests. [[paper]]")
    b_line = front.split("\n").index(entry("b").split("\n")[0]) + 1
    assert [p for p in merged.problems if p.line == b_line] == []


FAMILY = SHARED / "data" / "awesome-trustworthy-deep-learning"


@pytest.mark.shared
@pytest.mark.skipif(not FAMILY.is_dir(), reason="../shared sibling-list data absent")
def test_the_real_front_page_merged_comes_back_or_each_change_is_reported() -> None:
    full = (FAMILY / "FULL_LIST.md").read_text(encoding="utf-8")
    front = (FAMILY / "README.md").read_text(encoding="utf-8")
    merged, exported = merged_front(full, front)
    assert silent(front, exported, merged) == []


def test_a_paper_only_the_front_page_has_is_said_to_change_the_full_list() -> None:
    """The merge adds it to the catalog, so the full list's next export lists it too: the
    merge said nothing of the other page changing."""
    front = front_page([entry("f"), entry("a"), entry("b")], [entry("c")], [])
    merged, exported = merged_front(FULL, front)
    assert exported == front
    assert [p.message for p in merged.problems if "FULL.md" in p.message] == [
        "the catalog's page FULL.md lists the paper this page adds: export writes it there "
        "too"]
    assert [p.message for p in merged_front(FULL, FRONT)[0].problems
            if "FULL.md" in p.message] == []


def test_a_paper_of_another_arxiv_id_is_never_matched_by_its_title() -> None:
    """Two papers of one title (a common one) are two papers when each has its arXiv id: the
    page's was matched to the catalog's by title, and left out of the catalog."""
    other = entry("a").replace("2503.01010", "2503.07777")
    front = front_page([other, entry("b")], [entry("c")], [])
    merged, exported = merged_front(FULL, front)
    assert [p.arxiv for p in merged.added] == ["2503.07777"]
    assert "2503.07777" in exported
    assert not [p for p in merged.problems if "matches" in p.message]


def test_a_whole_list_lacking_the_newest_papers_gets_no_window() -> None:
    """The full list merged into a catalog made from the front page lacks the front page's
    newer papers: a window was recorded that held every paper (recent_months = 32 here),
    so the page would lose its oldest papers, unsaid, as the catalog grew newer ones."""
    front = front_page([entry("f"), entry("a"), entry("b")], [entry("c")], [])
    first = parse_list(front, source="FRONT.md")
    merged = merge_page(first.settings, first.papers, parse_list(FULL, source="FULL.md"),
                        "FULL.md")
    assert merged.settings.pages[0].layout.recent_months is None
    assert [p.message for p in merged.problems if "not on it" in p.message] == [
        "2503.05050 ('Invented Fresh Finding') of the catalog is not on it: export adds it"]
