"""Reading the body of a list page: paper sections, their year groups and entries, the
non-paper sections, up to the closing.

``BodyReader.read`` walks the lines after the table of contents. Paper sections are ``##``
headings (optionally under a ``# Paper List`` heading; none on a page of ``## YYYY`` groups),
each with an image line and a line of its own before its papers; papers sit in year groups
(deepphen.import_years) or directly under the section. Non-paper sections
(deepphen.import_resources) follow; the first other ``#`` heading starts the closing, kept
verbatim. HTML comments before a year group or an entry are kept as the page's notes.
Every line that export will not write back is reported with its number."""

from __future__ import annotations

import re

from deepphen import ids
from deepphen.dialect import IMAGE_ALT, LINK_URL, group_year, hidden_block_end
from deepphen.import_entry import (
    AUTHOR_LIST_RE,
    DIGEST_RE,
    ENTRY_RE,
    ERROR,
    SUBLINE_RE,
    WARNING,
    EntryLines,
    ImportNote,
    check_rendering,
    closing_text,
    gap_note,
    keep_verbatim,
    opens_details,
    paper_entry,
    read_entry,
    short,
    year_clue,
)
from deepphen.import_notes import PageNotes
from deepphen.import_resources import (
    entries_follow,
    read_resource_line,
    resource_block_end,
)
from deepphen.import_years import (
    DETAILS_CLOSE_RE,
    DETAILS_OPEN_RE,
    YearGroups,
    closes_group,
    keep_empty_group,
    line_notes,
    summary_label,
)
from deepphen.layout import Layout, ResourceSection, group_key
from deepphen.models import Paper, Resource, Section
from deepphen.slugs import UniqueNames, github_anchor
from deepphen.venues import YEAR_RE

# Headings need a space or the line's end after their '#'s: '#hashtag' is text (CommonMark).
H1_RE = re.compile(r"^#(?=[ \t]|$)\s*(.*?)\s*$")
_H2_RE = re.compile(r"^##(?=[ \t]|$)\s*(.*?)\s*$")
# A subsection heading; '####' and deeper are read as '###' (and reported).
_H3_RE = re.compile(r"^(?P<level>#{3,6})(?=[ \t]|$)\s*(.*?)\s*$")
_IMAGE_RE = re.compile(rf"^!\[(?P<alt>[^\]]*)\]\((?P<url>{LINK_URL})\)\s*$")
DEFAULT_BLANK_LINES = 1
_YEAR_ONLY_RE = re.compile(r"^\d{4}$")
YEARS_SECTION = "Papers"  # the section of a page without topics (section_headings = false)


class BodyReader:
    """The sections of one page as they are read; ``read`` returns the closing."""

    def __init__(self, lines: list[str], problems: list[ImportNote], layout: Layout) -> None:
        self.lines = lines
        self.problems = problems
        self.layout = layout
        self.years = YearGroups(layout, self.report)
        self.papers: list[Paper] = []
        self.sections: list[Section] = []
        self.by_heading: dict[str, Section] = {}
        self.slugs = UniqueNames()
        self.sections_with_papers: set[str] = set()
        self.blank_lines: dict[str, int] = {}
        self.resources: list[Resource] = []
        self.resources_heading: str | None = None
        self.seen_ids: dict[str, int] = {}
        self.entry_problems = 0  # len(problems) when the current entry began
        # Entries dated without a year group: (paper, line, clue, where its note goes).
        self.inferred: list[tuple[Paper, int, str, int]] = []
        self.section_texts: dict[str, str] = {}  # slug -> the line(s) under its heading
        self.empty_sections: set[str] = set()
        self.bare_groups: list[tuple[int, str]] = []  # year groups holding nothing: line, label
        # Reading state.
        self.section: Section | None = None
        self.year: int | None = None
        self.entry: EntryLines | None = None
        self.stray: int | None = None  # the line not understood whose indented lines follow
        self.group_text: list[tuple[int, str]] = []  # text lines of the year group
        self.group_entries = 0
        # The open year group's label: its line, text and len(problems) then.
        self.group_line: tuple[int, str, int] | None = None
        self.notes = PageNotes(layout, self.report)  # the HTML comment held
        self.resource_section: str | None = None  # heading of the open non-paper section
        self.moved: list[tuple[int, str]] = []  # resources a paper section follows: notes
        self.resource_level = 0
        self.resource_group: str | None = None
        self.intro_lines: list[tuple[int, str]] = []
        self.started = False  # the section has an entry or a year group
        self.pending_gap = 0  # blank lines before the open <details> line
        self.entry_note: tuple[int, list[str]] | None = None  # (line, comment) before the entry
        self.entry_notes: list[tuple[Paper, list[str]]] = []
        self.entry_gaps: list[tuple[Paper, int]] = []  # blank lines above, where not one
        self.paper_lines: dict[int, int] = {}  # id(paper) -> its entry's first line
        self.section_lines: dict[str, int] = {}  # slug -> its heading's line

    def report(self, line: int, message: str, level: str = WARNING) -> None:
        """Record a problem of the page at ``line`` (1-based)."""
        self.problems.append(ImportNote(line, message, level))

    def note_gap(self, heading: str, gap: int) -> None:
        """Keep a section's blank lines before its entries when they are not the default."""
        if gap != DEFAULT_BLANK_LINES:
            self.blank_lines[heading] = min(gap, 9)

    # ---- the walk ---------------------------------------------------------------------------

    def read(self, i: int) -> str | None:
        """Read from line index ``i`` to the closing; returns the closing, verbatim."""
        lines, blanks = self.lines, 0
        while i < len(lines):
            line, lineno = lines[i], i + 1
            i += 1
            if not line.strip():
                if line:  # export writes it blank: said, as trailing spaces are
                    self.report(lineno, "a line of spaces written blank")
                blanks += 1
                continue
            gap, blanks = blanks, 0
            hidden_end = hidden_block_end(lines, i - 1)
            if hidden_end is not None:
                self._hidden(lineno, hidden_end, gap)
                i = hidden_end
                continue
            if H1_RE.match(line) and self._h1(lineno, H1_RE.match(line).group(1), gap):
                return closing_text(self.lines, i, self.report)
            h2 = _H2_RE.match(line)
            if h2 and self._h2(lineno, h2.group(1), gap):
                return closing_text(self.lines, i, self.report)
            line_notes(lineno, line, gap, self.report)  # the closing keeps its own lines
            if h2 or H1_RE.match(line):
                continue
            h3 = _H3_RE.match(line)
            if h3 and self.resource_level == 2 and h3.group("level") == "###":
                self.note_gap(h3.group(2), gap)
                self._resource_group(h3.group(2))
                continue
            if h3 and self.resource_section is None:
                self._h3(lineno, h3.group("level"), h3.group(2), gap)
                continue
            if self.resource_section is not None:
                read_resource_line(lineno, line, self.resources, self.resource_section,
                                   self.resource_group, self.report, self._resource_block(),
                                   gap)
                continue
            if self.section is None:
                self.report(lineno, f"line outside any section, left out: {short(line)}", ERROR)
                continue
            self._section_line(lineno, line, gap)
        self._end_section(len(lines) + 1)
        return None

    def _hidden(self, lineno: int, end: int, gap: int) -> None:
        """An HTML comment or code block: a comment of a paper section is held as a note."""
        # (Above the first section: below the contents, kept at the contents' end.)
        in_section = self.resource_section is None and bool(self.section or not self.sections)
        if self.notes.read(lineno, self.lines[lineno - 1:end], gap, in_section):
            self._finish_entry()

    def _h1(self, lineno: int, heading: str, gap: int) -> bool:
        """A '#' heading: the heading above the sections, a non-paper section, or the
        closing (returns True)."""
        self._finish_entry()
        if not self._dated_papers() and self.entry is None and self.layout.papers_heading is None \
                and entries_follow(self.lines, lineno):
            self._end_section(lineno)
            self.layout.papers_heading = heading
            self.note_gap(heading, gap)
            return False
        self._end_section(lineno)
        self.note_gap(heading, gap)
        # Only after papers: the page's export keeps what came before in the same places.
        if self._dated_papers() and resource_block_end(self.lines, lineno - 1, 1) is not None:
            self._open_resources(heading, 1)
            return False
        return True

    def _dated_papers(self) -> bool:
        """True once a paper is read whose year is known (an undated one may yet be left
        out, and a page's export keeps only what it holds)."""
        return any(p.year for p in self.papers)

    def _h2(self, lineno: int, heading: str, gap: int) -> bool:
        """A '##' heading: a section, resources (or their group), a year group a level too
        high, or the closing (returns True)."""
        section = self.section
        if self.resource_section is None and section is not None \
                and re.fullmatch(rf"{re.escape(section.heading)}\s*:\s*\d{{4}}", heading):
            # "## Section: YYYY" under "## Section": a year subsection a level too high.
            self._h3(lineno, "##", heading, gap)
            return False
        if self.resource_section is None and _YEAR_ONLY_RE.match(heading) and (not self.sections
                or (section is self.sections[0] and not self.layout.section_headings)):
            if not self.sections:  # "## 2021" first: the papers are grouped by year alone
                self.section = self._new_section(lineno, YEARS_SECTION)
                self.layout.section_headings = False
            self._h3(lineno, "###", heading, gap)
            return False
        self.note_gap(heading, gap)
        after_resources = self.resource_section is not None
        if after_resources and self.resource_level == 1:
            self._resource_group(heading)
            return False
        self._end_section(lineno)
        # Resource items alone make no paper section, before the papers too (then moved).
        if "resource" in heading.lower() or resource_block_end(self.lines, lineno - 1, 2):
            where = "between" if self.sections else "before"
            self.moved.append((lineno, f"resources section {heading!r} {where} the paper "
                                       "sections: export writes it after them"))
            self._open_resources(heading, 2)
            return False
        if after_resources and self._dated_papers() and not entries_follow(self.lines, lineno, 2):
            return True  # "## Contributing" after '##' resources: the closing, as '#' starts it
        self.section = self._new_section(lineno, heading)
        return False

    def _resource_block(self) -> ResourceSection | None:
        return next((b for b in self.layout.resource_sections
                     if b.heading == self.resource_section), None)

    def _resource_group(self, heading: str) -> None:
        """A group heading in a resources section (kept in page order, see Layout)."""
        self.resource_group = heading
        block = self._resource_block()
        if block is not None and heading not in block.groups:
            block.groups.append(heading)

    def _open_resources(self, heading: str, level: int) -> None:
        if all(block.heading != heading for block in self.layout.resource_sections):
            self.layout.resource_sections.append(ResourceSection(heading, level))
        self.resource_section, self.resource_level, self.resource_group = heading, level, None

    def _h3(self, lineno: int, level: str, text: str, gap: int) -> None:
        self._end_group(lineno)
        self.year = self.years.read_label(lineno, text, self.section, "headings")
        self.group_line = (lineno, text, len(self.problems))
        if level != "###":
            self.report(lineno, f"heading level '{level}' written as '###'")
        # Keyed "<section>: YYYY" whatever the style: "### 2023" recurs per section.
        key = self._group_key() or text
        self.note_gap(key, self.notes.before_group(key, gap))
        self.started = True

    # ---- lines of a paper section -----------------------------------------------------------

    def _section_line(self, lineno: int, line: str, gap: int) -> None:
        section, entry = self.section, self.entry
        image = _IMAGE_RE.match(line)
        # Below a comment, the image is the section's text: export writes the image first.
        if image and not self.started and section.image is None and not self.intro_lines \
                and self.notes.held is None:
            section.image = image.group("url")
            gap_note(lineno, gap, "the image line", self.report)
            if image.group("alt") != IMAGE_ALT:
                self.report(lineno, f"image alt text {image.group('alt')!r} is written as "
                                    f"{IMAGE_ALT!r}")
            return
        details = DETAILS_OPEN_RE.match(line)
        rest = details.group("rest") if details else None
        if details and not (rest and opens_details(line)):
            self._finish_entry()
            self._end_group(lineno)
            self.years.open_details(lineno, bool(details.group("open")))
            self.pending_gap, self.started = gap, True
            if rest and summary_label(rest) is not None:
                self._summary(lineno, rest, gap)
            elif rest:
                self.report(lineno, f"year group label not understood: {short(rest)}", ERROR)
            return
        if summary_label(line) is not None:
            self._summary(lineno, line, gap)
            return
        if DETAILS_CLOSE_RE.match(line) and self.years.open is not None and closes_group(
                self.lines, lineno, self.entry.subs[-1][2] if self.entry and self.entry.subs
                else None):
            self._finish_entry()
            # A comment above '</details>' stays there; the blank lines below it go with it.
            key = self._group_key()
            if key is None:
                self.notes.drop()
            kept = key is not None and self.notes.before_close(key, gap)
            line_notes(lineno, line, 1 if kept else gap, self.report, closes=True)
            self._end_group(lineno)
            self.years.close()
            self.year = None
            return
        sub = SUBLINE_RE.match(line)
        top = ENTRY_RE.match(line)
        if top and not DIGEST_RE.match(top.group("content")) \
                and not AUTHOR_LIST_RE.match(top.group("content")):
            self._finish_entry()
            self.stray = None
            self.entry = EntryLines(lineno, top.group("content"), section.slug, self.year)
            self.entry.raw[lineno] = line
            self.entry_problems = len(self.problems)  # its problems are reported after this
            # A comment above the entry goes with it: the blank lines above the comment count.
            note = self.notes.take()
            first, above_gap = (note.line, note.gap) if note else (lineno, gap)
            if above_gap != 1:
                self.entry.gap = min(above_gap, 9)  # kept in the layout's entry_gaps
                if not above_gap and "<" in self.lines[first - 2]:  # see export.markdown
                    what = "the HTML comment" if note else "the entry"
                    self.report(first, f"no blank line above {what}, below an HTML line "
                                       "(export writes one)")
            self.group_entries += 1
            self.started = True
            if note is not None:
                self.entry_note = (note.line, [*note.block, *([""] * gap)])
            return
        if self.stray is not None and line[:1].isspace():
            self.report(lineno, f"line of the entry at line {self.stray} (not imported), left "
                                f"out: {short(line)}", ERROR)
            return
        lost = paper_entry(line)
        if lost is None and entry is not None and entry.take(lineno, line, self.report, gap):
            return
        if lost is None and entry is None and not self.group_entries and (
                self.year is not None or self.years.open is not None):
            self.notes.passed(line)
            if not self.group_text:  # export writes one blank line above a placeholder
                gap_note(lineno, gap, "the year group's text", self.report)
            self.group_text.append((lineno, line))
        elif lost is None and entry is None and not self.started and not (sub or top):
            # A comment above the section's text is part of it (else it moves below it).
            if (note := self.notes.take()) is not None:
                self._intro(note.line, note.block, note.gap)
            self._intro(lineno, [line], gap)
        else:
            # Its indented lines are its own, not the entry's above (they went there).
            self._finish_entry()
            self.stray = lineno
            what = "line not understood, left out" if lost is None else \
                f"entry {'indented' if line[:1].isspace() else 'not understood'}, not " \
                f"imported ({lost})"
            self.report(lineno, f"{what}: {short(line)}", ERROR)

    def _intro(self, lineno: int, block: list[str], gap: int) -> None:
        """Lines of the section's text (``gap`` blank lines above them)."""
        if not self.intro_lines:  # export writes one blank line above it
            gap_note(lineno, gap, "the section's first line of text", self.report)
        else:
            self.intro_lines += [(lineno - k, "") for k in range(gap, 0, -1)]
        self.intro_lines += [(lineno + k, text) for k, text in enumerate(block)]

    def _summary(self, lineno: int, text: str, gap: int) -> None:
        label = summary_label(text)
        group = self.years.open
        if group is None or group.label is not None:
            self._finish_entry()
            self._end_group(lineno)
            if group is None:
                self.report(lineno, "year group label without its <details> line: export "
                                    "writes one")
            else:
                self.years.unclosed(lineno)
            self.years.open_details(lineno)
            self.pending_gap = gap
        self.years.open.label = label
        self.year = self.years.read_label(lineno, label, self.section, "details")
        self.group_line = (lineno, label, len(self.problems))
        if (key := self._group_key()) is not None:
            self.years.keyed(key)
            self.note_gap(key, self.notes.before_group(key, self.pending_gap,
                                                       self.years.open.line))

    def _group_key(self) -> str | None:
        """The open year group's key in blank_lines and notes, "Section: YYYY"."""
        if self.year is None or self.section is None:
            return None
        return group_key(self.section.heading, group_year(self.year, self.layout))

    def _end_group(self, lineno: int) -> None:
        """The current year group ends: its placeholder text, if any, is kept."""
        self._finish_entry()
        self.stray = None
        text, self.group_text = self.group_text, []
        entries, self.group_entries = self.group_entries, 0
        group, self.group_line = self.group_line, None
        # No group line: the group already ended (a <details> line ends one) and was kept.
        if entries or self.year is None or group is None or len(text) > 1:
            for line, content in text:
                self.report(line, f"line not understood, left out: {short(content)}", ERROR)
            return
        # A group that holds nothing is kept; one whose lines were left out is reported.
        if text or not any(p.level == ERROR for p in self.problems[group[2]:]):
            keep_empty_group(self.section, group_year(self.year, self.layout), self.layout,
                             text[0] if text else None, self.report)
            if not text:
                self.bare_groups.append((group[0], group[1]))

    def _end_section(self, lineno: int) -> None:
        """The current section (or non-paper section) ends at ``lineno``."""
        if self.years.open is not None:
            self.years.unclosed(lineno)
        self._end_group(lineno)
        section = self.section
        if section is not None:  # a comment after its last group or entry: its end's note
            self.notes.at_section_end(section.heading)
        elif not (self.sections or self.resource_section) and self.layout.papers_heading is None:
            self.notes.at_contents_end()  # (not below '# Paper List': written above it)
        self.notes.drop()
        if section is not None:
            if self.intro_lines:
                self.section_texts[section.slug] = "\n".join(t for _, t in self.intro_lines)
            if section.slug not in self.sections_with_papers:
                # A section kept for its heading alone (or its line: a link to the full
                # list): the page shows sections without papers.
                self.empty_sections.add(section.slug)
        self.section, self.year, self.intro_lines, self.started = None, None, [], False
        self.resource_section, self.resource_level = None, 0

    def _new_section(self, lineno: int, heading: str) -> Section:
        """The section of a '## heading': new, or the earlier one of the same heading."""
        for moved in self.moved:  # the resources above it move below it on export
            self.report(*moved)
        self.moved = []
        if (known := self.by_heading.get(heading)) is not None:
            self.report(lineno, f"section {heading!r} appears twice; its entries are merged")
            self.notes.section_again(heading)
            return known
        # The slug names a folder: GitHub's anchor when that is a safe name, else ASCII.
        base = github_anchor(heading)
        if not ids.is_safe_key(base):
            base = ids.slugify(heading, max_words=12)
        slug = self.slugs.unique(base)
        if not self.layout.section_headings:  # one hidden section is all the layout holds
            self.layout.section_headings = True
            self.report(lineno, f"a section after '## YYYY' year groups: export writes those "
                                f"under a '## {YEARS_SECTION}' heading")
        self.sections.append(Section(heading, slug))
        self.by_heading[heading] = self.sections[-1]
        self.section_lines[slug] = lineno
        return self.sections[-1]

    # ---- entries ----------------------------------------------------------------------------

    def _finish_entry(self) -> None:
        """Turn the entry's lines into a paper (or report why it cannot be one)."""
        entry, self.entry = self.entry, None
        note, self.entry_note = self.entry_note, None
        if entry is None:
            return
        paper, kinds, known = read_entry(entry, self.report)
        # math.GT/0309136 and math/0309136 are one paper: known by the id arXiv gives it.
        same = ids.archive_id(paper.arxiv) if paper.arxiv else None
        if same and same in self.seen_ids:
            first = self.seen_ids[same]
            # The entry is left out whole: what else was wrong with it no longer matters.
            # Only the problems reported since the entry began can be its own: filtering the
            # whole list for each duplicate was quadratic.
            start = min(self.entry_problems, len(self.problems))
            self.problems[start:] = [p for p in self.problems[start:] if p.line not in entry.raw]
            self.report(entry.line, f"arXiv {paper.arxiv} already listed at line {first}; a "
                                    "catalog holds a paper once, so this entry is left out",
                        ERROR)
            if note is not None:  # nothing else on the page holds it
                end = note[0] + sum(1 for text in note[1] if text) - 1
                self.report(note[0], f"HTML comment (lines {note[0]}-{end}) left out with the "
                                     f"duplicate entry below it: {short(note[1][0])}", ERROR)
            return
        if same:
            self.seen_ids[same] = entry.line
        if entry.year is None:  # the rest are dated later, by their neighbours on the page
            self.inferred.append((paper, entry.line, year_clue(paper), len(self.problems)))
        else:
            venue_years = YEAR_RE.findall(paper.venue or "")
            id_year = ids.id_year(paper.arxiv) if paper.arxiv else None
            paper.year = self.years.paper_year(group_year(entry.year, self.layout), id_year,
                                               int(venue_years[-1]) if venue_years else None)
        check_rendering(paper, entry, kinds, known, self.report)
        keep_verbatim(paper, entry, self.report)
        if note is not None:
            # Keyed by the paper's key once keys are given out.
            self.entry_notes.append((paper, note[1]))
        if entry.gap != 1:
            self.entry_gaps.append((paper, entry.gap))
        self.paper_lines[id(paper)] = entry.line
        self.papers.append(paper)
        self.sections_with_papers.add(paper.section)
