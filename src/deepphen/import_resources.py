"""Reading a page's non-paper sections: related lists, toolboxes, workshops, talks, ...

A non-paper section is a ``#`` or ``##`` heading whose block holds only resource items
``- [Name](url) badges``, each optionally followed by one indented ``  - note`` line; the items
may be grouped by headings one level down (``## Robustness Toolboxes`` under ``# Toolboxes``).
``resource_block_end`` tells such a block from a paper section or the closing;
``read_resource_line`` reads one of its lines into a ``Resource``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deepphen.dialect import LINK_URL
from deepphen.import_entry import ERROR, gap_note, short
from deepphen.layout import ResourceSection
from deepphen.models import Resource

Report = Callable[..., None]  # (line, message, level=WARNING)

RESOURCE_RE = re.compile(
    rf"^[-*]\s+\[(?P<name>[^\]]*)\]\((?P<url>{LINK_URL})\)\s*(?P<badges>.*?)\s*$")
NOTE_RE = re.compile(r"^\s+[-*]\s+(?P<text>.*?)\s*$")
_HEADING_RE = re.compile(r"^(#{1,6})(?=[ \t]|$)")  # '#hashtag' is text (CommonMark)
_H1_RE = re.compile(r"^#(?=[ \t]|$)")
_H2_RE = re.compile(r"^##(?=[ \t]|$)\s*(.*?)\s*$")
ENTRY_LIKE_RE = re.compile(r"^\s*[-*]\s+.*\[\[")  # an entry's title line (with links)


def _is_item(line: str) -> bool:
    """``- [Name](url) ...``: a paper entry starts with its title, not with a link."""
    return bool(RESOURCE_RE.match(line))


def resource_block_end(lines: list[str], i: int, level: int) -> int | None:
    """When the heading on line ``i`` (of ``level`` 1 or 2) opens a block of resource items
    only, the index of the line after the block; else None."""
    items, j = 0, i + 1
    while j < len(lines):
        line = lines[j]
        heading = _HEADING_RE.match(line)
        if heading:
            depth = len(heading.group(1))
            if depth <= level:
                break
            if depth != level + 1:  # a group heading, one level down
                return None
        elif line.strip():
            if _is_item(line):
                items += 1
            elif not (items and NOTE_RE.match(line) and "[[" not in line):
                return None
        j += 1
    return j if items else None


def read_resource_line(lineno: int, line: str, resources: list[Resource], section: str | None,
                       group: str | None, report: Report,
                       block: ResourceSection | None = None, gap: int = 1) -> None:
    """Read one line of a non-paper section (``gap`` blank lines above it): an item, the
    note line under the last one, or a line of text in place of a group's items ("TBD",
    kept in ``block.texts``)."""
    m = RESOURCE_RE.match(line)
    if m is not None:
        resources.append(Resource(m.group("name"), m.group("url"), m.group("badges") or None,
                                  section=section, group=group))
        if line.startswith("*"):
            report(lineno, "list marker '*' written as '-'")
        if line != line.rstrip():
            report(lineno, "trailing spaces dropped")
        gap_note(lineno, gap, "the item", report)
        return
    note = NOTE_RE.match(line)
    last = resources[-1] if resources else None
    if note and last is not None and last.note is None and (last.section, last.group) == (
            section, group):
        last.note = note.group("text")
        if line != line.rstrip():
            report(lineno, "trailing spaces dropped")
        if gap:  # export writes the note right under its item
            report(lineno, "blank line above the note dropped")
        if not line.startswith("  - "):
            report(lineno, "note line written as '  - '")
        return
    if block is not None and not line[:1].isspace() and (group or "") not in block.texts \
            and not any((r.section, r.group) == (section, group) for r in resources) \
            and not line.lstrip().startswith(("<", "#", "[", "-", "*", "!")):
        block.texts[group or ""] = line.strip()
        if line != line.rstrip():
            report(lineno, "trailing spaces dropped")
        return
    what = "related-resources" if section is None else "resources"
    report(lineno, f"{what} line not understood, left out: {short(line)}", ERROR)


def entries_follow(lines: list[str], lineno: int, level: int = 1) -> bool:
    """True when a '##' paper section with an entry follows the '#' heading on ``lineno``
    before the next '#' heading (a '##' resources section is not one: its links read as
    resources). With ``level`` 2: when the '##' section on ``lineno`` holds an entry."""
    in_section = level == 2
    for line in lines[lineno:]:
        if _H1_RE.match(line) or (level == 2 and _H2_RE.match(line)):
            return False
        h2 = _H2_RE.match(line)
        if h2:
            in_section = "resource" not in h2.group(1).lower()
        if in_section and ENTRY_LIKE_RE.match(line) and not line[0].isspace():
            return True
    return False
