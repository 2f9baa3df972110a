"""Heading anchors as GitHub makes them, so that every table-of-contents link lands.

GitHub gives each heading of a page the slug of its text and, when a slug is taken already,
appends ``-1``, ``-2``, ... in page order (github-slugger's rule). ``page_anchors`` computes
that for a finished page; ``resolve`` fills in the links the renderer left as placeholders.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata

from deepphen.dialect import LINK_URL
from deepphen.slugs import github_slug

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# [text](url "title"): the text may hold balanced brackets, the URL balanced parentheses or
# be written <in angle brackets>. <https://...> and <name@host> are autolinks.
_TARGET = (rf"\((?:<[^<>\n]*>|{LINK_URL})(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
_TEXT = r"(?:[^\[\]]|\[[^\[\]]*\])*"
_AUTOLINK = (r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
             r"|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*")
_LINK_PARTS_RE = re.compile(rf"(?P<image>!\[{_TEXT}\]{_TARGET})|\[(?P<link>{_TEXT})\]{_TARGET}"
                            rf"|<(?P<auto>{_AUTOLINK})>|[\[\]]")
_TAG_RE = re.compile(r"<[^>]*>")
# A character reference shows its character ("R&amp;D" reads "R&D").
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
# Private-use blocks of 128 code points where escaped characters are set aside; the first
# block none of a heading's own characters falls in is used, so its text never collides.
_ASIDE_BLOCKS = (*range(0xE000, 0xF900, 0x80), *range(0xF0000, 0xFFF80, 0x80),
                 *range(0x100000, 0x10FF80, 0x80))
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Where emphasis, strike-through or a code span may open (see ``strip_emphasis``).
_MARKER_RE = re.compile(r"[*~`_]")
PLACEHOLDER = "\x00anchor{}\x00"
_PLACEHOLDER_RE = re.compile("\x00anchor(\\d+)\x00")


def _set_aside(markdown: str) -> tuple[str, re.Pattern[str], int]:
    """Escaped characters are text: set aside (as private-use characters) until the end.

    Returns the text, the pattern of the set-aside characters and their base. The block is
    one the heading's own characters do not use (a heading cannot fill 1,000 of them).
    """
    used = {ord(c) & ~0x7F for c in markdown if ord(c) >= 0xE000}
    base = next((b for b in _ASIDE_BLOCKS if b not in used), None)
    if base is None:  # every block taken: drop private-use characters, as slugs do
        markdown = "".join(c for c in markdown if not _private(c))
        base = _ASIDE_BLOCKS[0]
    aside = _aside_re(base)
    return _ESCAPE_RE.sub(lambda m: chr(base + ord(m.group(1))), markdown), aside, base


@functools.lru_cache(maxsize=16)
def _aside_re(base: int) -> re.Pattern[str]:
    return re.compile(f"[{chr(base)}-{chr(base + 0x7F)}]")


def _private(char: str) -> bool:
    return unicodedata.category(char) == "Co"


def _links(text: str, *, label: bool) -> str:
    """Links and autolinks as their text; images dropped, or (``label``) kept with every other
    bracket escaped, for the text of a link."""
    def one(m: re.Match[str]) -> str:
        if m.group("image"):
            return m.group() if label else ""
        if m.group("link") is not None:
            return _links(m.group("link"), label=label)
        if m.group("auto") is not None:
            return m.group("auto")
        return "\\" + m.group() if label else m.group()

    return _LINK_PARTS_RE.sub(one, text)


def heading_text(markdown: str) -> str:
    """The text a reader sees of a heading's markdown (closely enough for its anchor): images
    dropped, links, autolinks, emphasis and code as their text, tags dropped, character
    references and escapes undone."""
    text, aside, base = _set_aside(markdown)
    text = _TAG_RE.sub("", _links(text, label=False))
    for _ in range(3):  # nested emphasis, innermost last
        text = strip_emphasis(text)
    # A reference to a set-aside character is none a slug keeps (private use): dropped.
    text = _ENTITY_RE.sub(lambda m: aside.sub("", html.unescape(m.group())), text)
    return aside.sub(lambda m: chr(ord(m.group()) - base), text)


def strip_emphasis(text: str) -> str:
    r"""Emphasis, strike-through and code spans as their text ('_' not inside a word), one
    level: what the pattern

        (?<!\\)(\*{1,3}|~~|`+)(?=[^\s*~`])(.+?)(?<=[^\s*~`\\])\1
        |(?<![\w\\])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_\\])\3(?!\w)

    replaces by its inner text (runs of more than MAX_TICKS backticks aside), in O(n log n):
    each opening marker looks its closing one up among those found once, where the pattern
    scanned to the end of the line for every marker left open (a heading of 8,000 took 40 s).
    """
    closers: dict[str, list[int]] = {}
    runs: list[int] = [0, 0]  # the last run of one marker character: [start, end)
    out, pos, p = [], 0, 0
    while (m := _MARKER_RE.search(text, p)) is not None:
        p = m.start()
        if not runs[0] <= p < runs[1]:
            runs[:] = [p, _RUN_RE[text[p]].match(text, p).end()]
        found = _span(text, p, runs[1] - p, closers)
        if found is None:
            p += 1
            continue
        inner, end = found
        out += [text[pos:p], inner]
        pos = p = end
    return "".join(out) + text[pos:] if out else text


MAX_TICKS = 16  # backticks a code span opens with, at most (no heading has more)
_RUN_RE = {char: re.compile(re.escape(char) + "+") for char in "*~`_"}


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _span(text: str, p: int, run: int, closers: dict[str, list[int]]
          ) -> tuple[str, int] | None:
    """(inner text, end) of the span opening at ``p``, where ``run`` markers alike start,
    or None (see ``strip_emphasis``). Only the whole run can open: a shorter one is followed
    by a marker, which the pattern refuses after an opening."""
    char, before = text[p], text[p - 1] if p else ""
    if before == "\\" or (char == "_" and before and _is_word(before)):
        return None
    limit = {"*": 3, "_": 3, "~": 2, "`": MAX_TICKS}[char]
    if run > limit or (char == "~" and run != 2):
        return None
    after = p + run
    if after >= len(text) or text[after].isspace() or \
            text[after] in ("_" if char == "_" else "*~`"):
        return None
    mark = char * run
    if mark not in closers:
        closers[mark] = _closers(text, mark)
    candidates = closers[mark]
    i = bisect.bisect_left(candidates, after + 1)
    stop = text.find("\n", p)
    if i < len(candidates) and (stop < 0 or candidates[i] < stop):
        return text[after:candidates[i]], candidates[i] + run
    return None


def _closers(text: str, mark: str) -> list[int]:
    """Where ``mark`` may close a span: after a character that is no space, marker or
    backslash (and, for '_', before no word character). Two such never overlap."""
    pattern = rf"(?<=[^\s_\\]){mark}(?!\w)" if mark[0] == "_" \
        else rf"(?<=[^\s*~`\\]){re.escape(mark)}"
    return [m.start() for m in re.finditer(pattern, text)]


def link_label(markdown: str) -> str:
    """``markdown`` fit to be the text of a link: its links and autolinks as their text (a link
    inside another is the one GitHub keeps, leaving the outer as text) and a bracket that is
    no image's escaped (an unbalanced one would end the text early or never); images stay."""
    text, aside, base = _set_aside(markdown)
    text = _links(text, label=True)
    return aside.sub(lambda m: "\\" + chr(ord(m.group()) - base), text)


def page_anchors(lines: list[str]) -> dict[int, str]:
    """Line index -> the anchor GitHub gives that heading, de-duplicated in page order."""
    anchors: dict[int, str] = {}
    seen: dict[str, int] = {}
    fence: str | None = None
    for i, line in enumerate(lines):
        opened = _FENCE_RE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        m = _ATX_RE.match(line)
        if m is None:
            continue
        slug = github_slug(heading_text(m.group(2) or ""))
        anchor = slug
        while anchor in seen:
            seen[slug] += 1
            anchor = f"{slug}-{seen[slug]}"
        seen[anchor] = 0
        anchors[i] = anchor
    return anchors


def resolve(lines: list[str], targets: list[tuple[int | None, str | None]]) -> list[str]:
    """Replace each placeholder ``PLACEHOLDER.format(n)`` with the anchor of ``targets[n]``:
    (index of the heading's line, the anchor the settings ask for). The asked-for anchor is
    kept only where it lands on some heading; otherwise the heading's own anchor is used."""
    anchors = page_anchors(lines)
    landing = set(anchors.values())

    def anchor(n: int) -> str:
        line, wanted = targets[n]
        if wanted and (wanted in landing or line is None):
            return wanted
        return anchors.get(line, wanted or "") if line is not None else ""

    return [_PLACEHOLDER_RE.sub(lambda m: anchor(int(m.group(1))), text)
            if "\x00" in text else text for text in lines]
