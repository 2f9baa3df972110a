"""Import stays near-linear on pathological pages (timed in bench/bench_import.py, never here):
the linear algorithms must answer exactly as the simple quadratic ones did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.dialect import LINK_URL, unbracket_inner_links, unescaped_positions
from deepphen.importer import parse_list
from deepphen.models import Paper
from deepphen.order import assign_sort_as
from deepphen.slugs import UniqueNames


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


# --- More pages that were quadratic: a title of '[' or of spaces, 20,000 sections, many
# papers of one title, many entries dated by their neighbours. Each linear version must answer
# as the simple one did.

_INNER_LINK_REFERENCE = re.compile(rf"\[\[((?:\\.|[^\\\]])*)\]\(({LINK_URL})\)\]")
_CLOSE_REFERENCE = re.compile(r"[ \t]*</details>[ \t]*$")


@settings(max_examples=500)
@given(st.text(alphabet="[]()\\ax:/ \n", max_size=40))
def test_unbracketing_inner_links_agrees_with_the_regex(text: str) -> None:
    assert unbracket_inner_links(text) == _INNER_LINK_REFERENCE.sub(r"[[\1]](\2)", text)


@given(st.lists(st.sampled_from(["[[", "]", "](https://x.org/a)]", "\\", "a", "(", ")"]),
                max_size=12).map("".join))
def test_unbracketing_inner_links_agrees_with_the_regex_on_link_pieces(text: str) -> None:
    assert unbracket_inner_links(text) == _INNER_LINK_REFERENCE.sub(r"[[\1]](\2)", text)


@given(st.lists(st.sampled_from([" ", "\t", "</details>", "x", "<", "\n"]), max_size=8)
       .map("".join))
def test_dropping_a_closing_details_agrees_with_the_regex(text: str) -> None:
    from deepphen.verbatim import _drop_close

    assert _drop_close(text) == _CLOSE_REFERENCE.sub("", text)


def reference_unique(bases: list[str], taken: set[str]) -> list[str]:
    """The count-up the catalog always used: base, else base-2, base-3, ... the first free."""
    out = []
    for base in bases:
        name, n = base, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        out.append(name)
    return out


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["a", "a-2", "a-3", "a-2-2", "b", "section"]), max_size=25),
       st.sets(st.sampled_from(["a", "a-2", "a-4", "section", "section-2"])))
def test_unique_names_agree_with_counting_up(bases: list[str], taken: set[str]) -> None:
    names = UniqueNames(taken)
    assert [names.unique(b) for b in bases] == reference_unique(bases, set(taken))


_KIND = st.one_of(st.just(("none",)), st.tuples(st.just("id"), st.integers(15, 24)),
                  st.tuples(st.just("venue"), st.integers(1995, 2024)))


def reference_neighbour_years(sections: list[list[tuple]]) -> list[dict[int, int]]:
    """Per section, entry index -> year: from its id or venue, else (in page order) the
    nearest dated entry above (one dated so counts), else the nearest below dated by its id or
    venue; entries nothing dates are left out."""
    out = []
    for kinds in sections:
        years: dict[int, int | None] = {}
        for i, kind in enumerate(kinds):
            years[i] = (2000 + kind[1] if kind[0] == "id" else
                        kind[1] if kind[0] == "venue" else None)
        static = dict(years)
        for i, kind in enumerate(kinds):
            if kind[0] == "none":
                above = [years[j] for j in range(i) if years.get(j)]
                below = [static[j] for j in range(i + 1, len(kinds)) if static[j]]
                years[i] = above[-1] if above else below[0] if below else None
        out.append({i: y for i, y in years.items() if y is not None})
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_KIND, min_size=1, max_size=8), min_size=1, max_size=3))
def test_entries_dated_by_their_neighbours_as_before(sections: list[list[tuple]]) -> None:
    lines = ["# L", ""]
    for s, kinds in enumerate(sections):
        lines += [f"## S{s}", ""]
        for i, kind in enumerate(kinds):
            url = (f"https://arxiv.org/abs/{kind[1]}{s + 1:02d}.{i + 1:05d}"
                   if kind[0] == "id" else f"https://example.org/{s}/{i}")
            venue = f" *Venue {kind[1]}*" if kind[0] == "venue" else ""
            lines += [f"- Title {s} {i}. [[paper]]({url})", f"  - A B.{venue}",
                      "  - Key Word: K.", ""]
    result = parse_list("\n".join(lines))
    got = [{} for _ in sections]
    for paper in result.papers:
        _, s, i = paper.title.split()
        got[int(s)][int(i)] = paper.year
    assert got == reference_neighbour_years(sections)


# The pattern that took a heading's emphasis off for its anchor, which searched the rest of
# the line for every opener's closing marker (quadratic); strip_emphasis must agree with it.
EMPHASIS_REFERENCE = re.compile(r"(?<!\\)(\*{1,3}|~~|`+)(?=[^\s*~`])(.+?)(?<=[^\s*~`\\])\1"
                                r"|(?<![\w\\])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_\\])\3(?!\w)")


@settings(max_examples=2000)
@given(st.text(alphabet="*_~`\\ a\nb.é", max_size=30))
def test_strip_emphasis_agrees_with_the_pattern(text: str) -> None:
    from deepphen.export.anchors import strip_emphasis

    assert strip_emphasis(text) == EMPHASIS_REFERENCE.sub(lambda m: m.group(2) or m.group(4),
                                                          text)


def test_a_heading_of_unclosed_openers_keeps_its_text() -> None:
    from deepphen.export.anchors import heading_text

    for marker in ("_", "*", "`", "~~"):
        heading = f"{marker}a " * 3000
        assert heading_text(heading) == heading.replace("\\", "")
