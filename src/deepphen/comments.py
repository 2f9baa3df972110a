"""TOML comments: the lines of a catalog file that hold one, which a rewrite would drop;
and the text outside strings and comments, where an integer too long to read, a value
nested too deep or a key's table is found.

Every command that changes a TOML file of the catalog writes it again from the parsed data
(tomli-w), and parsed data has no comments. A curator's ``# why this paper is here`` must not
vanish silently: the writers ask here first, and keep the text (dismissals) or leave the
file as it is and say so (``lint --fix``, ``refresh --write``, ``import --merge``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection
from pathlib import Path

from deepphen.errors import CatalogError

_PLAIN, _BASIC, _LITERAL, _ML_BASIC, _ML_LITERAL = range(5)


def comment_lines(text: str) -> list[int]:
    """The 1-based lines of a TOML text that hold a comment: a ``#`` outside every kind of
    string (basic, literal, multi-line; quoted keys are strings too), escapes in basic
    strings honoured. Exact for valid TOML; for invalid text a single-line string ends at
    its line, so a stray quote hides no comment below it."""
    return _scan(text)[0]


def string_lines(text: str) -> set[int]:
    """The 1-based lines of a TOML text that start inside a multi-line string: their text
    is a value's, never a key or a table header (``[[dismissed]]`` in a reason)."""
    return _scan(text)[2]


def long_integer_line(text: str, limit: int | None = None) -> int | None:
    """The 1-based line of the first integer value of more than ``limit`` decimal digits
    (default: what int() reads at the most), outside strings and comments; None when there
    is none. Digits in a string, a comment, a float or a bare key are no integer value."""
    limit = sys.get_int_max_str_digits() if limit is None else limit
    masked = _scan(text)[1]
    for m in _INTEGER_RE.finditer(masked):
        if sum(c.isdigit() for c in m.group()) > limit:
            return masked.count("\n", 0, m.start()) + 1
    return None


def deepest_line(text: str, limit: int) -> int | None:
    """The 1-based line where a TOML text nests deepest (table header parts, dotted key
    parts, open arrays and inline tables, outside strings and comments): where to look when
    it nests too deep to read. The first line past ``limit`` levels, else the deepest;
    None for an empty text."""
    header = depth = 0
    deepest: tuple[int, int | None] = (0, None)
    for number, line in enumerate(_scan(text)[1].split("\n"), 1):
        stripped = line.lstrip()
        if depth == 0 and stripped.startswith("["):  # a table header: its key's parts
            key = stripped.split("]", 1)[0]
            header = level = key.count(".") + 1 + key.startswith("[[")
        else:
            level = header
            if depth == 0 and "=" in stripped:  # a (dotted) key's parts
                level += stripped.split("=", 1)[0].count(".") + 1
            peak = depth
            for char in line:
                if char in "[{":
                    depth += 1
                    peak = max(peak, depth)
                elif char in "]}":
                    depth = max(depth - 1, 0)
            level += peak
        if level > limit:
            return number
        if level > deepest[0]:
            deepest = (level, number)
    return deepest[1]


def key_line(lines: list[str], name: str, index: int = 0) -> int | None:
    """The line (1-based) setting top-level ``name =``, ``[name]``, the index-th ``[[name]]``
    or the index-th table of an inline array (``name = [{...}, {...}]``); also a dotted
    key or table under it (``name.x =``, ``[name.x]``) and the key quoted."""
    key = rf"(?:{re.escape(name)}|\"{re.escape(name)}\"|'{re.escape(name)}')"
    pattern = re.compile(rf"^\s*(?:{key}\s*[=.]|\[\[?\s*{key}\s*\]?\])")
    found = [i for i, text in enumerate(lines, 1) if pattern.match(text)]
    if not found:  # the key quoted with escapes ("\u0041" for "A"): read each such key
        found = [i for i, text in enumerate(lines, 1) if _escaped_key(text) == name]
    if not found:  # only a table under it ([name.x]): [[pages.x]] is no [[pages]] of its own
        under = re.compile(rf"^\s*\[\[?\s*{key}\s*\.")
        found = [i for i, text in enumerate(lines, 1) if under.match(text)]
    if not found:
        return None
    if not lines[found[0] - 1].lstrip().startswith("["):  # name = ...: an inline value
        return _inline_table_line(lines, found[0], index) or found[0]
    return found[index] if index < len(found) else found[0]


# A top-level key, or a table header's first key, quoted (a basic string). Its two
# alternatives never both match a character, so a line of 30,000 backslash pairs and no
# closing quote fails in linear time (a pattern demanding a backslash inside backtracked
# quadratically: seconds to minutes per line, on every command whose load finds a fault).
_QUOTED_KEY_RE = re.compile(r'^\s*(?:\[\[?\s*)?("(?:[^"\\\n]|\\.)*")')


def _escaped_key(line: str) -> str | None:
    """The name a line's leading key quoted with an escape stands for; None when it has none."""
    if "\\" not in line:
        return None
    m = _QUOTED_KEY_RE.match(line)
    if m is None or "\\" not in m.group(1):
        return None
    import tomli  # as the catalog is read (deepphen.catalog); only a rare file pays for it

    try:
        return tomli.loads(f"k = {m.group(1)}")["k"]
    except tomli.TOMLDecodeError:
        return None


def _inline_table_line(lines: list[str], start: int, index: int) -> int | None:
    """The line of the index-th inline table directly in the array set on line ``start``."""
    # The line starts with the bare key and its "=", so what follows is the value's text.
    if not lines[start - 1].partition("=")[2].lstrip().startswith("["):
        return None  # not an array: no need to scan the text (lint locates many keys)
    masked = _scan("\n".join(lines))[1].split("\n")
    depth, seen = 0, -1
    for number, line in enumerate(masked[start - 1:], start):
        for char in line.partition("=")[2] if number == start else line:
            if char in "[{":
                depth += 1
                if char == "{" and depth == 2:
                    seen += 1
                    if seen == index:
                        return number
            elif char in "]}":
                depth -= 1
                if depth <= 0:
                    return None
    return None


# A decimal integer: not part of a key, float, date or time ("1.5", "1e9", "2024-05-01",
# "12:30"), nor a bare key itself ("123 = ...").
_INTEGER_RE = re.compile(r"(?<![\w.:+-])[+-]?[0-9][0-9_]*(?![\w.:-])(?!\s*[=.])")


def _scan(text: str) -> tuple[list[int], str, set[int]]:
    """The comments' lines; the text with every string and comment blanked (line breaks
    kept), so that what is left is keys, values and punctuation; the lines that start
    inside a multi-line string."""
    found: list[int] = []
    inside: set[int] = set()
    blank: list[tuple[int, int]] = []  # [start, end) of strings and comments
    state, line, i, n, opened = _PLAIN, 1, 0, len(text), 0
    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
            if state in (_BASIC, _LITERAL):
                state = _PLAIN
                blank.append((opened, i))
            elif state != _PLAIN:
                inside.add(line)
            i += 1
        elif state == _PLAIN:
            if char == "#":
                found.append(line)
                end = text.find("\n", i)
                blank.append((i, n if end < 0 else end))
                i = n if end < 0 else end  # the newline is counted on the next turn
            elif char in "\"'":
                triple = text.startswith(char * 3, i)
                if char == '"':
                    state = _ML_BASIC if triple else _BASIC
                else:
                    state = _ML_LITERAL if triple else _LITERAL
                opened = i
                i += 3 if triple else 1
            else:
                i += 1
        elif char == "\\" and state in (_BASIC, _ML_BASIC):
            i += 1  # the escaped character is read next turn only when it is a newline
            if i < n and text[i] != "\n":
                i += 1
        elif state in (_BASIC, _LITERAL):
            if char == ('"' if state == _BASIC else "'"):
                state = _PLAIN
                blank.append((opened, i + 1))
            i += 1
        else:
            quote = '"' if state == _ML_BASIC else "'"
            if char != quote:
                i += 1
                continue
            run = len(text[i:i + 5]) - len(text[i:i + 5].lstrip(quote))
            if run >= 3:  # up to two quotes before the closing three are content
                state = _PLAIN
                blank.append((opened, i + run))
            i += run
    if state != _PLAIN:
        blank.append((opened, n))
    parts, at = [], 0
    for start, end in blank:
        parts += [text[at:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        at = end
    parts.append(text[at:])
    return found, "".join(parts), inside


_NOT_NEWLINE = re.compile(r"[^\n]")


class HasComment(CatalogError):
    """A TOML file holding a comment that rewriting it would drop: left as it is."""


def comment_problem(path: Path, text: str, outcome: str, fix: str, *,
                    ignore: Collection[int] = ()) -> HasComment | None:
    """The error for a file whose rewrite would drop a comment (None when it has none
    but on the lines to ``ignore``): one line naming the file and the first comment's line,
    what was done instead (``outcome``) and how to proceed (``fix``)."""
    lines = [n for n in comment_lines(text) if n not in ignore]
    if not lines:
        return None
    what = "a comment" if len(lines) == 1 else f"{len(lines)} comments (the first here)"
    return HasComment(f"has {what}, which rewriting the file would drop; {outcome}",
                      path=path, line=lines[0], hint=fix)
