"""deepphen.linediff: opcodes that turn one page into the other, found fast on any page."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from deepphen.linediff import opcodes

LINES = st.lists(st.sampled_from(["", "- A", "- B", "  - Key Word: X.", "## S", "x", "y"]),
                 max_size=40)


def apply(a: list[str], b: list[str], codes: list) -> list[str]:
    """``a`` turned by ``codes`` (taking inserted and replacing lines from ``b``)."""
    out, at = [], 0
    for tag, i1, i2, j1, j2 in codes:
        assert i1 == at, codes  # the opcodes cover ``a`` in order, without gaps
        out += a[i1:i2] if tag == "equal" else b[j1:j2]
        at = i2
    assert at == len(a)
    return out


@given(LINES, LINES)
def test_the_opcodes_turn_one_page_into_the_other(a: list[str], b: list[str]) -> None:
    codes = opcodes(a, b)
    assert apply(a, b, codes) == b
    assert all(a[i1:i2] == b[j1:j2] for tag, i1, i2, j1, j2 in codes if tag == "equal")
    assert [c[3] for c in codes] == sorted(c[3] for c in codes)


@given(LINES, LINES, st.sampled_from([0, 1, 4, 30]))
def test_anchors_and_gaps_over_the_budget_still_turn_one_into_the_other(
        a: list[str], b: list[str], budget: int) -> None:
    """Small budgets take the anchored way on these small pages (and make gaps one block)."""
    codes = opcodes(a, b, budget=budget)
    assert apply(a, b, codes) == b
    assert all(a[i1:i2] == b[j1:j2] for tag, i1, i2, j1, j2 in codes if tag == "equal")


def test_equal_lines_are_found_as_difflib_finds_them() -> None:
    a = ["# T", "", "- one", "  - Key Word: K.", "", "- two", "  - Key Word: K.", ""]
    b = ["# T", "", "- two", "  - Key Word: K.", "", "- one", "  - Key Word: K.", ""]
    changed = {(i1, i2) for tag, i1, i2, *_ in opcodes(a, b) if tag != "equal"}
    expected = {(i1, i2) for tag, i1, i2, *_ in
                difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                if tag != "equal"}
    assert sum(i2 - i1 for i1, i2 in changed) <= sum(i2 - i1 for i1, i2 in expected) + 1


def test_a_page_of_repeated_lines_is_diffed_in_bounded_work() -> None:
    """Thousands of blank and identical key-word lines between shuffled titles: difflib alone
    took minutes on such a page (merge's report of what export rewrites)."""
    a = [line for n in range(20_000) for line in (f"- T{n}", "  - Key Word: K.", "")]
    b = [line for n in reversed(range(20_000)) for line in (f"- T{n}", "  - Key Word: K.", "")]
    codes = opcodes(a, b)
    assert apply(a, b, codes) == b
