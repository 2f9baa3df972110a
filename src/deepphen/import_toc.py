"""Reading a page's table of contents and matching its items to what the page holds.

The contents sit under a ``# Table of Contents`` heading (or ``##``, as on a page without a
title), optionally after an image line. Items are ``- [Label](#anchor)``; the section items
may be nested under a parent item (``- [The List](#the-list)`` with the sections indented
under it), and items after the sections may point to the non-paper sections or to headings
of the closing (``#contributing``). ``read_toc`` collects the items; ``match_toc`` records, once
the whole page is read, what export needs to write them back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from deepphen.dialect import is_heading
from deepphen.export.anchors import link_label
from deepphen.import_entry import ERROR, gap_note, short
from deepphen.models import Settings
from deepphen.slugs import github_anchor

Report = Callable[..., None]  # (line, message, level=WARNING)

TOC_ITEM_RE = re.compile(r"^(?P<indent>\s*)[-*]\s+(?P<link>\[(?P<label>.*)\]"
                         r"\(#(?P<anchor>[^)\s]*)\))\s*$")
# A list item that is not '- [Label](#anchor)' ('1. [Label](#anchor)', '+ ...'): not an image.
_LIST_LINE_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_HEADING_RE = re.compile(r"^(?P<level>#{1,2})(?=[ \t]|$)\s*(?P<text>.*?)\s*$")


@dataclass
class TocItem:
    """One item: its line, indentation, ``[label](#anchor)`` text, label and anchor."""

    line: int
    indent: int
    link: str
    label: str
    anchor: str
    raw: str


@dataclass
class Toc:
    """A table of contents as read: heading, its level, the image lines, the items."""

    heading: str = "Table of Contents"
    level: int = 1
    image: str | None = None
    items: list[TocItem] = field(default_factory=list)
    gap: int = 1  # blank lines before its heading
    items_gap: int = 1  # blank lines between its heading and its first item (no image)


def is_toc_heading(lines: list[str], i: int) -> bool:
    """True when line ``i`` is a ``#`` heading, or a ``##`` heading naming the contents
    ("Table of Contents")."""
    m = _HEADING_RE.match(lines[i])
    if m is None:
        return False
    return m.group("level") == "#" or "contents" in m.group("text").lower()


def read_toc(lines: list[str], i: int, report: Report) -> tuple[Toc, int]:
    """Read the contents starting at the heading on line ``i``; returns it and the index of
    the line after it (the blank lines that follow belong to the next heading)."""
    m = _HEADING_RE.match(lines[i])
    toc = Toc(heading=m.group("text"), level=len(m.group("level")))
    i += 1
    start, image_lines, n, last_image = i, [], len(lines), i
    next_item = 0  # the index of the next item below a comment, -1 for none
    while i < n and not is_heading(lines[i]):
        if toc.items and not lines[i].strip():
            # Blank lines end the items, unless more items follow before the next heading.
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if j >= n or not TOC_ITEM_RE.match(lines[j]):
                break
            report(j + 1, "blank line above the contents item dropped")
            i = j
            continue
        if toc.items and lines[i].lstrip().startswith("<!--"):
            if next_item <= i:  # found once per run of lines: a scan per line was quadratic
                next_item = _next_item(lines, i)
            if next_item < 0:
                break  # a comment below the items: the contents' end (deepphen.import_notes)
        item = TOC_ITEM_RE.match(lines[i])
        if item and not toc.items and not image_lines:
            toc.items_gap = min(i - start, 9)
        elif item and not toc.items:  # export writes one blank line below the image
            gap_note(i + 1, i - last_image - 1, "the contents' first item", report)
        if item:
            toc.items.append(TocItem(i + 1, len(item.group("indent").expandtabs(4)),
                                     item.group("link"), item.group("label"),
                                     item.group("anchor"), lines[i]))
            if lines[i].lstrip().startswith("*"):
                report(i + 1, "list marker '*' written as '-'")
            if lines[i] != lines[i].rstrip():
                report(i + 1, "trailing spaces dropped")
        elif lines[i].strip() and not toc.items and not _LIST_LINE_RE.match(lines[i]):
            image_lines.append(lines[i])  # kept as written above the items
            last_image = i
        elif lines[i].strip():
            report(i + 1, f"line in the table of contents not understood, left out: "
                          f"{short(lines[i])}", ERROR)
        i += 1
    while not toc.items and i > start and not lines[i - 1].strip():
        i -= 1  # blank lines before the next heading are counted there
    toc.image = "\n".join(image_lines) or None
    return toc, i


def _next_item(lines: list[str], i: int) -> int:
    """The index of the contents item after line index ``i``, before the next heading; -1
    when none."""
    for j in range(i + 1, len(lines)):
        if is_heading(lines[j]):
            return -1
        if TOC_ITEM_RE.match(lines[j]):
            return j
    return -1


def _parent(toc: Toc, settings: Settings,
            anchor_of: Callable[[str], str] = github_anchor) -> TocItem | None:
    """The item the section items are nested under: the first, unindented, followed by
    indented items, and pointing to no section."""
    items = toc.items
    if len(items) < 2 or items[0].indent or items[1].indent <= items[0].indent:
        return None
    if any(anchor_of(s.heading) == items[0].anchor for s in settings.sections):
        return None
    return items[0]


def _group_items(items: list[TocItem], settings: Settings,
                 anchor_of: Callable[[str], str]) -> list[TocItem]:
    """The items nested under a resource section's item that point to its groups' headings,
    each kept (as written) in that section's ``toc_groups``."""
    found, block = [], None
    for item in items:
        if not item.indent:
            block = next((b for b in settings.layout.resource_sections
                          if anchor_of(b.heading) == item.anchor), None)
            continue
        if block is None:
            continue
        names = [*block.groups, *(r.group for r in settings.resources
                                  if r.section == block.heading and r.group)]
        if any(anchor_of(name) == item.anchor for name in names):
            block.toc_groups.append(item.link)
            found.append(item)
    return found


def match_toc(toc: Toc, settings: Settings, closing_anchors: set[str], report: Report,
              anchor_of: Callable[[str], str] = github_anchor,
              section_lines: dict[str, int] | None = None) -> None:
    """Record the contents' labels, anchors, parent item and trailing items in the settings;
    report the items export will not write back. ``anchor_of(heading)`` is the anchor the
    page gives that heading (GitHub numbers repeats: '#empirical-study-1');
    ``section_lines`` (slug: its heading's line) places what is said of a section."""
    layout = settings.layout
    layout.toc_level = toc.level
    settings.toc_heading, settings.toc_image = toc.heading, toc.image
    items = list(toc.items)
    parent = _parent(toc, settings, anchor_of)
    if parent is not None:
        layout.toc_parent = parent.link
        items.remove(parent)
        for item in items:
            if item.indent <= parent.indent and any(
                    anchor_of(s.heading) == item.anchor for s in settings.sections):
                report(item.line, "section item not nested under the first item: export "
                                  "nests it")
    groups = _group_items(items, settings, anchor_of)
    items = [item for item in items if item not in groups]
    for item in [*groups, *(items if parent is not None else [])]:  # nested on export
        if item.indent and not re.match(r"  [-*]", item.raw):
            report(item.line, "nested item's indentation written as two spaces")
    if parent is None and any(item.indent for item in items):
        for item in items:
            if item.indent:
                report(item.line, "nested item written without indentation")
    unmatched = []
    resources_anchor = anchor_of(settings.resources_heading)
    by_anchor = {anchor_of(s.heading): s for s in settings.sections}
    resource_sections = {anchor_of(r.heading): r for r in layout.resource_sections}
    if parent is not None:
        for item in items:
            if item.indent > parent.indent and (item.anchor == resources_anchor
                                                or item.anchor in resource_sections):
                report(item.line, "item nested under the first item: export writes it "
                                  "without indentation")
    listed_here: set[str] = set()
    for item in items:
        if item.anchor in listed_here and (item.anchor in by_anchor
                                           or item.anchor in resource_sections):
            report(item.line, f"table-of-contents item [{item.label}](#{item.anchor}) listed "
                              "twice: export lists it once")
            continue
        listed_here.add(item.anchor)
        if item.anchor in by_anchor:
            sec = by_anchor[item.anchor]
            if item.label != link_label(sec.heading):  # what export writes for the heading
                sec.toc_label = item.label
            _check_label(item, sec.toc_text, report)
        elif item.anchor in resource_sections:
            resource_sections[item.anchor].toc_label = item.label
            _check_label(item, item.label, report)
        elif item.anchor == resources_anchor:
            if item.label != link_label(settings.resources_heading):
                settings.resources_toc_label = item.label
            _check_label(item, settings.resources_toc_label or settings.resources_heading,
                         report)
        elif item.anchor in closing_anchors and not item.indent:
            layout.toc_after.append(f"- {item.link}")
        else:
            unmatched.append(item)
    # Export's order: the sections, the related resources, the non-paper sections as the
    # page has them, then the closing's items (kept in theirs).
    plain = [resources_anchor] if resources_anchor not in resource_sections else []
    _check_order(items, [*by_anchor, *plain, *resource_sections,
                         *(item.anchor for item in items if f"- {item.link}" in layout.toc_after)],
                 report)
    listed = {item.anchor for item in toc.items}
    if toc.items and resources_anchor not in listed and any(
            r.section is None for r in settings.resources):
        report(toc.items[-1].line, f"the contents have no item for "
                                   f"{settings.resources_heading!r}: export adds one")
    missing = [s for s in settings.sections if anchor_of(s.heading) not in listed]
    # An item whose anchor matches no heading belongs to the next section it does not list.
    for item, sec in zip(unmatched, missing, strict=False):
        sec.toc_label = item.label if item.label != link_label(sec.heading) else None
        _check_label(item, sec.toc_text, report)
        sec.anchor = item.anchor
        report(item.line, f"table-of-contents item #{item.anchor} matches no heading; "
                          f"taken as the link to {sec.heading!r}")
    for item in unmatched[len(missing):]:
        report(item.line, f"table-of-contents item [{item.label}](#{item.anchor}) points to "
                          "no section, left out", ERROR)
    for sec in missing[len(unmatched):]:
        if toc.items:
            report((section_lines or {}).get(sec.slug, 1), f"section {sec.heading!r} is not "
                   "in the table of contents; export lists it")


def _check_label(item: TocItem, label: str, report: Report) -> None:
    """Report an item whose label export writes otherwise: as link text, with its brackets
    escaped and its links as their text (``export.anchors.link_label``)."""
    written = link_label(label)
    if written != item.label:
        report(item.line, f"table-of-contents label {item.label!r} written as {written!r}")


def _check_order(items: list[TocItem], anchors: list[str], report: Report) -> None:
    """Report each item listed below one that ``anchors`` puts after it (export lists them in
    that order): every item export moves up is named, not only the first."""
    place = {}
    for anchor in anchors:
        place.setdefault(anchor, len(place))
    last = -1
    for item in items:
        at = place.pop(item.anchor, None)  # an item listed twice: reported above
        if at is not None and at < last:
            report(item.line, f"table-of-contents item [{item.label}](#{item.anchor}) out of "
                              "the sections' order: export lists the sections in page order")
        last = max(last, at if at is not None else last)
