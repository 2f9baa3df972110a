"""Import stays near-linear on pathological pages (timed in bench/bench_import.py, never here):
the linear algorithms must answer exactly as the simple quadratic ones did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.dialect import unescaped_positions
from deepphen.importer import parse_list
from deepphen.models import Paper
from deepphen.order import assign_sort_as


def reference_positions(text: str, char: str) -> list[int]:
    """The pairwise definition: a ``char`` preceded by an even run of backslashes."""
    out = []
    for i, ch in enumerate(text):
        if ch == char:
            backslashes = len(text[:i]) - len(text[:i].rstrip("\\"))
            if backslashes % 2 == 0:
                out.append(i)
    return out


@given(st.text(alphabet="*\\ab ", max_size=40))
def test_unescaped_positions_agree_with_the_pairwise_definition(text: str) -> None:
    assert unescaped_positions(text, "*") == reference_positions(text, "*")


def reference_longest_decreasing(keys: list[tuple[int, int]]) -> int:
    length = [1] * len(keys)
    for j in range(len(keys)):
        for k in range(j):
            if keys[k] > keys[j]:
                length[j] = max(length[j], length[k] + 1)
    return max(length, default=0)


_IDS = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 40)), max_size=25, unique=True)


@settings(max_examples=300)
@given(_IDS)
def test_the_page_order_is_kept_and_a_longest_run_keeps_its_ids(months_numbers: list) -> None:
    # Numbers far apart, so that every gap has room and no id has to give up its place.
    papers = [Paper(title=f"P{i}", year=2020, section="s", arxiv=f"20{m:02d}.{n * 1000:05d}")
              for i, (m, n) in enumerate(months_numbers)]
    assign_sort_as(papers)
    assert sorted(papers, key=Paper.sort_key, reverse=True) == papers
    kept = sum(p.sort_as is None for p in papers)
    keys = [(2020 * 100 + m, n) for m, n in months_numbers]
    assert kept == reference_longest_decreasing(keys)


def test_a_long_line_of_stars_and_a_venue_read_as_before() -> None:
    page = ("# L\n\n# Table of Contents\n\n## S\n\n### S: 2020\n\n"
            "- T. [[paper]](https://arxiv.org/abs/2001.00001)\n"
            f"  - A B, C \\* D. *{'*' * 2000}ICLR 2020*\n  - Key Word: K.\n")
    [paper] = parse_list(page).papers
    # The venue is what the last two unescaped '*' enclose; the escaped one stays text.
    assert paper.venue == "ICLR 2020"
    assert paper.authors[0] == "A B" and paper.authors[1].startswith("C * D. *")
