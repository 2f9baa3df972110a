"""Papers' order: newest first across years, and ``sort_as`` values that keep a page's
order within a year.

The catalog sorts a year subsection's papers by arXiv id, newest first (``Paper.sort_key``).
A page that places papers otherwise (no id, or out of id order) keeps its order through
``sort_as``: ``assign_sort_as`` gives each such paper an id-like position between its
neighbours, so that sorting gives back the page.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Hashable

from deepphen import ids
from deepphen.models import Paper

Position = tuple[int, int]  # (YYYYMM, number), as ids.id_sort_key


def newest_key(paper: Paper) -> tuple[int, tuple[int, int, int, str], str]:
    """Key for newest first across years (sort descending): the year, then ``sort_key``
    within it. ``sort_key`` alone put every paper without an arXiv id or a date after all
    those with one, whatever its year."""
    return (paper.year, paper.sort_key(), paper.key)


def _max_number(month: int) -> int:
    return 99999 if month >= 201501 else 9999


def _step_down(pos: Position) -> Position:
    month, num = pos
    if num > 1:
        return (month, num - 1)
    year, mm = divmod(month, 100)
    year, mm = (year - 1, 12) if mm == 1 else (year, mm - 1)
    month = year * 100 + mm
    return (month, _max_number(month))


def _step_up(pos: Position) -> Position:
    month, num = pos
    if num < _max_number(month):
        return (month, num + 1)
    year, mm = divmod(month, 100)
    year, mm = (year + 1, 1) if mm == 12 else (year, mm + 1)
    return (year * 100 + mm, 1)


def position_id(pos: Position) -> str:
    """The id-like string of a position: (202405, 14860) -> '2405.14860'."""
    month, num = pos
    yy, mm = (month // 100) % 100, month % 100
    width = 5 if month >= 201501 else 4
    return f"{yy:02d}{mm:02d}.{num:0{width}d}"


def _longest_decreasing(keys: list[tuple[int, Position]]) -> list[int]:
    """Indices (into the page order) of a longest strictly decreasing run of ids.

    Patience sorting, O(n log n) (the pairwise version took 33 s on one year of 32,000
    entries). Ties go as the pairwise version sends them: the run ends at the earliest entry
    it can, and each entry's predecessor is the earliest that fits. The entries of one run
    length have non-decreasing ids in page order (a later, smaller one would extend an earlier
    one), so the earliest that fits is found by bisection in that length's list.
    """
    if not keys:
        return []
    neg_tails: list[tuple[int, int]] = []  # per run length: minus the largest id ending one
    by_length: list[tuple[list[Position], list[int]]] = []  # per run length: ids, positions
    prev = [-1] * len(keys)
    for j, (_, key) in enumerate(keys):
        negated = (-key[0], -key[1])
        length = bisect.bisect_left(neg_tails, negated)  # runs this entry can extend
        if length:
            ids_before, places = by_length[length - 1]
            prev[j] = places[bisect.bisect_right(ids_before, key)]
        if length == len(neg_tails):
            neg_tails.append(negated)
            by_length.append(([], []))
        else:
            neg_tails[length] = negated
        by_length[length][0].append(key)
        by_length[length][1].append(j)
    best: list[int] = []
    j = by_length[-1][1][0]
    while j >= 0:
        best.append(keys[j][0])
        j = prev[j]
    return best[::-1]


def _gap_values(upper: Position | None, lower: Position | None, count: int,
                year: int) -> list[Position] | None:
    """``count`` descending positions that sort below ``upper`` and above ``lower``; None if
    there is no room. A sort_as equal to an id sorts just below that id."""
    values: list[Position] = []
    if upper is None and lower is not None:
        pos = lower
        for _ in range(count):
            pos = _step_up(pos)
            values.append(pos)
        return values[::-1]
    pos = upper if upper is not None else (year * 100 + 12, _max_number(year * 100 + 12))
    for _ in range(count):
        if lower is not None and pos <= lower:
            return None
        values.append(pos)
        pos = _step_down(pos)
    return values


def by_year_subsection(paper: Paper) -> Hashable:
    """The group a page sorts a paper in by default: its section's year subsection."""
    return (paper.section, paper.year)


def assign_sort_as(papers: list[Paper],
                   group_of: Callable[[Paper], Hashable] = by_year_subsection) -> None:
    """Set ``sort_as`` where the id cannot place a paper where the page has it.

    Per group the page sorts (a year subsection; a whole section on a page without year
    groups): the papers whose ids already fall in descending page order (a longest such run)
    keep their ids; every other paper (no id, or out of id order) gets a position between its
    neighbours. Sorting by Paper.sort_key, newest first, then gives the page order.
    """
    groups: dict[Hashable, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(group_of(paper), []).append(paper)
    for group in groups.values():
        year = max(p.year for p in group)
        keyed = [(i, ids.id_sort_key(p.arxiv)) for i, p in enumerate(group) if p.arxiv]
        anchors = _longest_decreasing(keyed)
        while (values := _place(group, anchors, year)) is None:
            anchors = _drop_crowded_anchor(group, anchors, year)
        for i, pos in values.items():
            group[i].sort_as = position_id(pos)


def _place(group: list[Paper], anchors: list[int],
           year: int) -> dict[int, Position] | None:
    """Positions for every non-anchor paper, or None when some gap lacks room."""
    bounds = [-1, *anchors, len(group)]
    values: dict[int, Position] = {}
    for a, b in itertools.pairwise(bounds):
        free = list(range(a + 1, b))
        if not free:
            continue
        upper = ids.id_sort_key(group[a].arxiv) if a >= 0 else None
        lower = ids.id_sort_key(group[b].arxiv) if b < len(group) else None
        found = _gap_values(upper, lower, len(free), year)
        if found is None:
            return None
        values.update(zip(free, found, strict=True))
    return values


def _drop_crowded_anchor(group: list[Paper], anchors: list[int], year: int) -> list[int]:
    """Drop the lower anchor of the first gap without room, so that gap can widen."""
    bounds = [-1, *anchors, len(group)]
    for a, b in itertools.pairwise(bounds):
        free = b - a - 1
        if free and a >= 0 and b < len(group):
            upper, lower = ids.id_sort_key(group[a].arxiv), ids.id_sort_key(group[b].arxiv)
            if _gap_values(upper, lower, free, year) is None:
                return [x for x in anchors if x != b]
    raise AssertionError("no gap without room")  # _place found one, so this cannot happen
