"""Reading a page's year groups: ``### Section: YYYY`` headings or ``<details>`` blocks.

A section's papers are grouped by year, newest first, in one of two styles: headings, or
collapsible blocks ``<details>`` / ``<summary>Section: YYYY</summary>`` / entries /
``</details>``. The oldest group may gather a year and everything before it
(``Section: 2019 and Before``), and a group may hold a placeholder line (``TBD``) instead of
papers. ``YearGroups`` follows one page: it reads each group's label into a year, settles the
page's style (deepphen.layout) from the first group it meets, and reports what export will
write differently: a group in the other style, a label in another form, a block left open.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from deepphen.dialect import group_label, group_year, is_heading, year_style
from deepphen.import_entry import ERROR, gap_note, opens_details
from deepphen.layout import Layout
from deepphen.models import Section
from deepphen.venues import YEAR_RE

Report = Callable[..., None]  # (line, message, level=WARNING)

# "and Before", "& earlier": the oldest group gathers its year and every year before it.
_FLOOR_RE = re.compile(r"^\s*(?:and|&)\s+(?:before|earlier|older)\s*$", re.IGNORECASE)
# '<details open>' (GitHub shows the group expanded), 'open=""' and other spellings alike.
DETAILS_OPEN_RE = re.compile(r"^(?P<tag><details(?:\s+(?P<open>open)(?:\s*=\s*(?:\"(?:open)?\""
                             r"|'(?:open)?'|open))?)?\s*>)\s*(?P<rest><summary>.*)?$",
                             re.IGNORECASE)


def summary_label(line: str) -> str | None:
    """The label of a ``<summary> LABEL </summary>`` line (any case; blanks around the label
    and after the closing tag dropped); None for any other line. String operations: a
    pattern of three runs that all take blanks was cubic on a line of blanks (a line of
    8,000 took minutes to import)."""
    text = line.rstrip()
    if len(text) < 19 or text[:9].lower() != "<summary>" or text[-10:].lower() != "</summary>":
        return None
    return text[9:-10].strip()

DETAILS_CLOSE_RE = re.compile(r"^</details>\s*$", re.IGNORECASE)
STYLE_NAMES = {"headings": "'### ...' headings", "details": "<details> blocks"}


@dataclass
class OpenGroup:
    """A ``<details>`` year group being read."""

    line: int
    expanded: bool = False  # '<details open>'
    label: str | None = None
    year: int | None = None
    entries: int = 0
    text: list[tuple[int, str]] = field(default_factory=list)  # placeholder lines
    keyed: bool = False  # its label gave a year: its open state is kept under its key


class YearGroups:
    """The year groups of one page, as the reader meets them."""

    def __init__(self, layout: Layout, report: Report) -> None:
        self.layout = layout
        self.report = report
        self.style: str | None = None  # of the first group met
        self.styled: set[str] = set()  # slugs whose label style is settled
        self.section_styles: dict[str, str] = {}  # slug -> the style of its first group
        self.open: OpenGroup | None = None
        self.floor_seen = False
        self.seen: dict[str, dict[int, int]] = {}  # slug -> group year -> its first line
        self.expanded: dict[str, bool] = {}  # key of each <details> group -> written open
        self.unkeyed: list[tuple[int, bool]] = []  # groups without a year: line, written open

    def settle(self, lineno: int, style: str, section: Section) -> None:
        """The page's style is that of its first group, a section's that of its own first
        group (kept as the section's ``year_groups`` when it differs); a group in another
        style than its section's is reported."""
        if self.style is None:
            self.style = style
            self.layout.year_groups = style
        first = self.section_styles.setdefault(section.slug, style)
        if first != self.style and section.year_groups is None:
            section.year_groups = first
        if style != first:
            self.report(lineno, f"year group written as {STYLE_NAMES[style]}, the section's "
                                f"first uses {STYLE_NAMES[first]}: export writes "
                                f"{STYLE_NAMES[first]}")

    def read_label(self, lineno: int, text: str, section: Section | None,
                   style: str) -> int | None:
        """The year of a group's label (heading text or summary), or None (its entries are
        then dated by their id, venue or neighbours). The first label of a section settles
        how export writes them all."""
        what = "subsection" if style == "headings" else "year group"
        if section is None:
            self.report(lineno, f"year {what} outside any section", ERROR)
            return None
        self.settle(lineno, style, section)
        found = list(YEAR_RE.finditer(text))
        if not found:
            written = f"'### {section.heading}: YYYY' subsections" if style == "headings" \
                else f"'<summary>{section.heading}: YYYY</summary>' groups"
            self.report(lineno, f"{what} {text!r} has no year: its entries are dated by their "
                                f"arXiv id, venue or neighbours (export writes {written})")
            return None
        m = found[-1]
        year, after = int(m.group(1)), text[m.end():]
        core = text
        floor = _FLOOR_RE.match(after)
        if floor:
            core = text[:m.end()]
            if not self.floor_seen:
                self.floor_seen = True
                self.layout.year_floor = year
                self.layout.year_floor_label = "{year}" + after
        if section.slug not in self.styled:
            self.styled.add(section.slug)
            section.year_heading = year_style(core, m, section.heading)
        written = group_label(section, group_year(year, self.layout), self.layout)
        if written != text:
            self.report(lineno, f"{what} {text!r} is written as {written!r}")
        self._check_order(lineno, section, group_year(year, self.layout), written)
        return year

    def _check_order(self, lineno: int, section: Section, year: int, label: str) -> None:
        """Report a group export moves: one of a year already met in the section (merged into
        the first), one newer than a group above it (export writes them newest first)."""
        seen = self.seen.setdefault(section.slug, {})
        if year in seen:
            self.report(lineno, f"year group {label!r} appears twice in the section (first at "
                                f"line {seen[year]}): export merges its entries into the first")
            return
        if seen and year > min(seen):
            self.report(lineno, f"year group {label!r} below an older one: export writes the "
                                "groups newest first")
        seen[year] = lineno

    def paper_year(self, group: int, id_year: int | None, venue_year: int | None) -> int:
        """A paper's year under the group of ``group``: the group's year, except under the
        floor group, where the paper's own year (id, else venue) is kept when it is older."""
        if self.layout.year_floor is None or group != self.layout.year_floor:
            return group
        for own in (id_year, venue_year):
            if own is not None and own <= group:
                return own
        return group

    # ---- <details> blocks -------------------------------------------------------------------

    def open_details(self, lineno: int, expanded: bool = False) -> None:
        """A ``<details>`` line (``<details open>``: ``expanded``): a new group opens (an
        open one is closed first, reported)."""
        if self.open is not None:
            self.unclosed(lineno)
        self.open = OpenGroup(lineno, expanded)

    def keyed(self, key: str) -> None:
        """The open ``<details>`` group is year group ``key``: its open state is kept (a
        group of a year met twice goes into the first, reported: it keeps the first's)."""
        if self.open is not None:
            self.open.keyed = True
            self.expanded.setdefault(key, self.open.expanded)

    def settle_expanded(self) -> None:
        """The groups shown open, in the layout's ``details_open``: "all" when every
        ``<details>`` group is (those without a year included), else their keys. A group
        without a year written open is reported unless "all" keeps it: its entries go
        to their years' groups, collapsed."""
        shown = [key for key, expanded in self.expanded.items() if expanded]
        yearless = [line for line, expanded in self.unkeyed if expanded]
        if (shown or yearless) and len(shown) == len(self.expanded) \
                and len(yearless) == len(self.unkeyed):
            self.layout.details_open = "all"
            return
        if shown:
            self.layout.details_open = shown
        for line in yearless:
            self.report(line, "'<details open>' of a year group without a year: its open "
                              "state is lost (export writes its entries in their years' "
                              "groups, collapsed unless details_open lists them)")

    def unclosed(self, lineno: int) -> None:
        """The open group ends at ``lineno`` without its ``</details>``."""
        group = self.close()
        if group is None:
            return
        what = repr(group.label) if group.label else "without a label"
        self.report(group.line, f"year group {what} (line {group.line}) is not closed before "
                                f"line {lineno}: export closes it with </details>")
        if group.label is None:
            self.report(group.line, "<details> without a <summary> year label, left out", ERROR)

    def close(self) -> OpenGroup | None:
        """A ``</details>`` line closes the open group; returns it."""
        group, self.open = self.open, None
        if group is not None and not group.keyed:
            self.unkeyed.append((group.line, group.expanded))
        return group


def closes_group(lines: list[str], lineno: int, last_sub: str | None) -> bool:
    """Whether the '</details>' line ``lineno`` closes the open year group: not when it closes
    the digest just above it (``last_sub``, the open entry's last line) and the group's
    entries go on after it."""
    if last_sub is None or not opens_details(last_sub) or not lines[lineno - 2].strip():
        return True
    for line in lines[lineno:]:
        if line.strip():
            return bool(DETAILS_OPEN_RE.match(line) or summary_label(line) is not None
                        or is_heading(line) or line.startswith("<!--"))
    return True


def keep_empty_group(section: Section, year: int, layout: Layout,
                     placeholder: tuple[int, str] | None, report: Report) -> None:
    """A year group without entries, kept in the section's ``empty_years``: its one line
    (``placeholder``: line, text) is the page's placeholder (``TBD``; the first met is the
    page's, another is reported), or it has none (a year's heading written ahead of its
    papers)."""
    if placeholder is not None:
        line, content = placeholder
        if layout.empty_year_text is None:
            layout.empty_year_text = content
        elif content != layout.empty_year_text:
            report(line, f"placeholder {content!r} is written as {layout.empty_year_text!r}")
    if year not in section.empty_years:
        section.empty_years.append(year)


def line_notes(lineno: int, line: str, gap: int, report: Report, *, closes: bool = False) -> None:
    """Report what export writes differently of a heading or a year group's HTML line
    (``gap`` blank lines above it): trailing spaces, spaces around a ``<summary>`` label, a
    ``<summary>`` on the ``<details>`` line; with ``closes`` (a group's ``</details>``), other
    than the one blank line export writes above it."""
    opened = DETAILS_OPEN_RE.match(line)
    if closes:
        gap_note(lineno, gap, "</details>", report)
    elif not (is_heading(line) or opened or summary_label(line) is not None):
        return
    if line != line.rstrip():
        report(lineno, "trailing spaces dropped")
    if opened and opened.group("tag") not in ("<details>", "<details open>"):
        report(lineno, f"{opened.group('tag')!r} written as "
                       f"'<details{' open' if opened.group('open') else ''}>'")
    if opened and opened.group("rest"):
        report(lineno, "<summary> on the <details> line: export writes it on a line of its own")
    if re.search(r"<summary>\s|\s</summary>", line, re.IGNORECASE):
        report(lineno, "spaces around the year group's label dropped")
