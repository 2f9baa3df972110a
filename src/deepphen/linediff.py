"""A line diff that stays fast on any page: difflib's opcodes, found between anchors.

``difflib.SequenceMatcher`` without its junk heuristic walks every repeat of a line (blank
lines, the same ``- Key Word:`` line) for each match it looks for: minutes on a page of a
few thousand entries. Lines found once on each side (an entry's title, mostly) are matched
first, in the longest order both sides share (patience diff); difflib then works only in the
gaps between them, which are a few lines each on a real page. A gap too large for that (a
hostile page without such lines) is one replaced block.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Sequence

Opcode = tuple[str, int, int, int, int]  # difflib's: tag, a[i1:i2] -> b[j1:j2]

# The most line pairs difflib compares in one gap: about a second at its worst.
GAP_BUDGET = 250_000
# Up to this many line pairs, difflib compares the whole pages (its answer, which a reader's
# diff tool gives too, for any page of up to two thousand lines).
WHOLE_BUDGET = 4_000_000


def opcodes(a: Sequence[str], b: Sequence[str], budget: int = GAP_BUDGET) -> list[Opcode]:
    """``difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``: that itself
    for pages of up to WHOLE_BUDGET line pairs, else found between anchors, where a gap of
    more than ``budget`` line pairs is one "replace" (or "delete", "insert") opcode instead
    of difflib's finer ones. Either way the opcodes turn ``a`` into ``b``."""
    if len(a) * len(b) <= min(budget * 16, WHOLE_BUDGET):
        return _gap(a, b, 0, len(a), 0, len(b), len(a) * len(b))
    out: list[Opcode] = []
    i = j = 0
    for ai, bj in [*_anchors(a, b), (len(a), len(b))]:
        out += _gap(a, b, i, ai, j, bj, budget)
        if ai < len(a):
            out.append(("equal", ai, ai + 1, bj, bj + 1))
        i, j = ai + 1, bj + 1
    return out


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines found once in ``a`` and once in ``b``, equal, in the longest
    chain increasing on both sides."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [(i, where_b[line]) for i, line in enumerate(a)
             if count_a[line] == 1 and line in where_b]
    # Longest increasing subsequence of the j's (pairs come in i order): O(n log n).
    tails: list[int] = []  # tails[k]: the smallest j ending a chain of k + 1 pairs
    ends: list[int] = []  # ends[k]: the index in pairs of that chain's last pair
    before = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            ends.append(n)
        else:
            tails[k], ends[k] = j, n
        before[n] = ends[k - 1] if k else -1
    chain, n = [], ends[-1] if ends else -1
    while n >= 0:
        chain.append(pairs[n])
        n = before[n]
    return chain[::-1]


def _gap(a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int,
         budget: int) -> list[Opcode]:
    """The opcodes of ``a[i1:i2]`` -> ``b[j1:j2]``, offset to the whole sequences."""
    if i1 == i2 and j1 == j2:
        return []
    if i1 == i2:
        return [("insert", i1, i2, j1, j2)]
    if j1 == j2:
        return [("delete", i1, i2, j1, j2)]
    if (i2 - i1) * (j2 - j1) > budget:
        return [("replace", i1, i2, j1, j2)]
    matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
    return [(tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2)
            for tag, x1, x2, y1, y2 in matcher.get_opcodes()]
