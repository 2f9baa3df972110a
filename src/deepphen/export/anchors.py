"""Heading anchors as GitHub makes them, so that every table-of-contents link lands.

GitHub gives each heading of a page the slug of its text and, when a slug is taken already,
appends ``-1``, ``-2``, ... in page order (github-slugger's rule). ``page_anchors`` computes
that for a finished page; ``resolve`` fills in the links the renderer left as placeholders.
"""

from __future__ import annotations

import re

from deepphen.models import github_anchor

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG_RE = re.compile(r"<[^>]*>")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Emphasis, strike-through and code spans show their text only ('_' not inside a word).
_EMPHASIS_RE = re.compile(r"(?<!\\)(\*{1,3}|~~|`+)(?=[^\s*~`])(.+?)(?<=[^\s*~`\\])\1"
                          r"|(?<![\w\\])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_\\])\3(?!\w)")
PLACEHOLDER = "\x00anchor{}\x00"
_PLACEHOLDER_RE = re.compile("\x00anchor(\\d+)\x00")


def heading_text(markdown: str) -> str:
    """The text a reader sees of a heading's markdown (closely enough for its anchor): images
    dropped, links, emphasis and code as their text, tags dropped, escapes undone."""
    # Escaped characters are text: set aside (as private-use characters) until the end.
    text = _ESCAPE_RE.sub(lambda m: chr(0xE000 + ord(m.group(1))), markdown)
    text = _IMAGE_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _TAG_RE.sub("", text)
    for _ in range(3):  # nested emphasis, innermost last
        text = _EMPHASIS_RE.sub(lambda m: m.group(2) or m.group(4), text)
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - 0xE000), text)


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
        slug = github_anchor(heading_text(m.group(2) or ""))
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
