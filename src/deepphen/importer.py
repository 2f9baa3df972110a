"""Reading a list page (the list's markdown layout) into settings and papers.

``parse_list`` reads a page (see docs/catalog-format.md) into an ``ImportResult``: the
settings (badges, title, intro, table of contents, sections, resources, closing) and the papers
in page order, with keys and the ``sort_as`` that keeps that order (deepphen.order). It is
pure and forgiving: every line it had to change or could not represent is an ``ImportNote``
with its line number. Entries themselves are read by deepphen.import_entry; writing the
result as a catalog folder is ``catalog_write.write_catalog``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from deepphen.catalog import paper_key
from deepphen.dialect import group_year, is_heading
from deepphen.export.anchors import page_anchors
from deepphen.import_body import H1_RE, BodyReader
from deepphen.import_entry import ERROR, WARNING, ImportNote, report_lost_entries
from deepphen.import_toc import is_toc_heading, match_toc, read_toc
from deepphen.layout import Layout
from deepphen.models import Paper, Section, Settings
from deepphen.order import assign_sort_as
from deepphen.printable import text_lines
from deepphen.slugs import UniqueNames, github_anchor


@dataclass
class ImportResult:
    """What a page holds: settings, papers (page order, keys set) and the problems found."""

    settings: Settings
    papers: list[Paper]
    problems: list[ImportNote] = field(default_factory=list)
    source: str = "<list>"
    lines: dict[str, int] = field(default_factory=dict)  # paper key -> its entry's line
    section_lines: dict[str, int] = field(default_factory=dict)  # slug -> heading's line
    text: list[str] = field(default_factory=list, repr=False)  # the page's lines, as read

    @property
    def section_count(self) -> int:
        """Number of sections that hold at least one paper."""
        return len({p.section for p in self.papers})

    def summary(self) -> str:
        """``N papers in N sections, N problems``, singular where a count is one."""
        counts = ((len(self.papers), "paper"), (self.section_count, "section"),
                  (len(self.problems), "problem"))
        papers, sections, problems = (f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
        return f"{papers} in {sections}, {problems}"


class _Reader:
    """Reads a page: its head (badges, title, intro, contents) here, its sections with
    deepphen.import_body; then settles the settings and the papers' order and keys."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text_lines(text.lstrip("\ufeff"))
        self.unended = bool(text.lstrip("\ufeff")) and not text.endswith(("\n", "\r"))
        self.source = source
        self.problems: list[ImportNote] = encoding_notes(text)
        self.layout = Layout()
        self.body = BodyReader(self.lines, self.problems, self.layout)

    def problem(self, line: int, message: str, level: str = WARNING) -> None:
        self.problems.append(ImportNote(line, message, level))

    def read(self) -> ImportResult:
        lines, body = self.lines, self.body
        i, n = 0, len(lines)
        # Badges: everything before the first heading, which should be the '# Title'.
        while i < n and not is_heading(lines[i]):
            i += 1
        badges = _block(lines[:i])
        report_lost_entries(lines, 0, i, "the badges above the title", self.problem)
        title, title_badge = "", None
        if i < n and H1_RE.match(lines[i]) and not _is_contents(lines, i):
            title, title_badge = _split_title(H1_RE.match(lines[i]).group(1))
            if lines[i] != lines[i].rstrip():
                self.problem(i + 1, "trailing spaces dropped")
            if badges is not None:  # the title is a heading: its gap is kept as theirs are
                body.note_gap(H1_RE.match(lines[i]).group(1), _blanks_before(lines, i))
            i += 1
        elif i < n and not (_is_contents(lines, i) and is_toc_heading(lines, i)):
            self.problem(i + 1, "no '# Title' line: the list has no title")
        # Intro: up to the next heading.
        start = i
        while i < n and not is_heading(lines[i]):
            i += 1
        intro = _block(lines[start:i])
        report_lost_entries(lines, start, i, "the intro", self.problem)
        if intro is not None and title:
            self.layout.intro_gap = min(next(k for k in range(start, i) if lines[k].strip())
                                        - start, 9)
        toc, no_toc = None, 0
        if i < n and is_toc_heading(lines, i):
            gap = _blanks_before(lines, i) if i > 0 else 1
            toc, i = read_toc(lines, i, self.problem)
            toc.gap = gap
            self.layout.toc_items_gap = toc.items_gap
        elif i < n:
            no_toc = i + 1  # reported below, unless export writes none either
            while i > 0 and not lines[i - 1].strip():
                i -= 1  # blank lines before the next heading are counted there (also those
                # the badges or intro block dropped: with no title, no intro may follow)
        closing = body.read(i)
        body.years.settle_expanded()
        # Lines of spaces at the end count as the page's trailing blank lines (below).
        closing = _block(closing.split("\n")) if closing is not None else None
        self._settle_resources()
        self._date_undated()
        if body.papers:  # blank lines at the end of a paper list's page are kept
            kept = len("\n".join(lines).rstrip().split("\n"))
            self.layout.end_blank_lines = min(len(lines) - kept, 9)
        settings = Settings(
            title=title, sections=body.sections, title_badge=title_badge, badges=badges,
            intro=intro, resources_heading=body.resources_heading or "Related Resources",
            resources=body.resources, closing=closing, blank_lines=body.blank_lines,
            layout=self.layout,
        )
        if no_toc and (self.layout.section_headings or body.resources):
            self.problem(no_toc, "no '# Table of Contents' before the first section: export "
                                 "writes one")
        if toc is not None:
            if toc.gap != 1:
                body.note_gap(toc.heading, toc.gap)
            if not self.layout.section_headings:  # items of '## YYYY' groups: kept as written
                self.layout.toc_after[:0] = [t.raw.rstrip() for t in toc.items
                                             if _YEAR_RE.match(t.label)]
                toc.items = [t for t in toc.items if not _YEAR_RE.match(t.label)]
            match_toc(toc, settings, _anchors(closing), self.problem,
                      _heading_anchors(self.lines), body.section_lines)
        _settle_section_texts(settings, body.section_texts)
        with_papers = {p.section for p in body.papers}
        if body.empty_sections - with_papers:
            self.layout.show_empty_sections = True
        if self.layout.year_groups == "none":
            assign_sort_as(body.papers, lambda p: p.section)
        elif self.layout.year_floor is not None:
            assign_sort_as(body.papers, lambda p: (p.section, group_year(p.year, self.layout)))
        else:
            assign_sort_as(body.papers)
        _assign_keys(body.papers)
        for paper, note in body.entry_notes:
            self.layout.notes[paper.key] = note
        for paper, gap in body.entry_gaps:
            self.layout.entry_gaps[paper.key] = gap
        if self.layout.empty_year_text is not None:  # export writes it in every empty group
            for line, label in body.bare_groups:
                self.problem(line, f"year group {label!r} holds no entries: export writes "
                                   f"{self.layout.empty_year_text!r} in it")
        if self.unended:
            self.problem(len(self.lines), "no newline at the end of the page: export ends it "
                                          "with one")
        self.problems.sort(key=lambda p: p.line)
        lines = {p.key: body.paper_lines[id(p)] for p in body.papers}
        return ImportResult(settings, body.papers, self.problems, self.source, lines,
                            dict(body.section_lines), self.lines)

    def _settle_resources(self) -> None:
        """One plain '##' resources section is the list's 'Related Resources' (kept in the
        settings' resources fields); several, grouped or with notes, are resource sections."""
        body, sections = self.body, self.layout.resource_sections
        for block in sections:
            # The groups' order is kept only where the items do not give it.
            mine = [r.group for r in body.resources if r.section == block.heading and r.group]
            if block.groups == list(dict.fromkeys(mine)):
                block.groups = []
        # With no items it stays a section: export writes the resources heading only above
        # items, and what follows it (the closing) would come back as a paper section.
        if len(sections) == 1 and sections[0].level == 2 and not sections[0].texts \
                and not sections[0].groups and body.resources \
                and not any(r.group or r.note for r in body.resources):
            body.resources_heading = sections.pop().heading
            for res in body.resources:
                res.section = None

    def _date_undated(self) -> None:
        """Report how entries outside any year group were dated; date the rest by their
        neighbours (an entry nothing dates is left out)."""
        body = self.body
        if body.papers and self.body.years.style is None:
            self.layout.year_groups = "none"
        grouped = self.layout.year_groups != "none"
        after = " (export writes it under a year subsection)" if grouped else ""
        notes = [(at, ImportNote(lineno, f"entry not under a year subsection: year "
                                         f"{paper.year} taken from {clue}{after}", WARNING))
                 for paper, lineno, clue, at in body.inferred
                 if clue and (grouped or clue != "its arXiv id")]
        # At the place each entry was read, so notes on one line keep the page's order.
        self.problems[:] = _placed(self.problems, notes)
        self._years_from_neighbours([(paper, lineno) for paper, lineno, clue, _ in body.inferred
                                     if not clue], after)

    def _years_from_neighbours(self, undated: list[tuple[Paper, int]], after: str) -> None:
        """Date each entry of ``undated`` (in page order) by the nearest dated entry above it
        in its section (one dated here counts), else below; with neither it is left out. The
        year is the neighbour's group's (under a floor group, the group's own year). One pass
        per section: looking both ways from each entry was quadratic."""
        if not undated:
            return
        layout = self.layout
        by_section: dict[str, list[Paper]] = {}
        for p in self.body.papers:
            by_section.setdefault(p.section, []).append(p)
        position, below = {}, {}
        for same in by_section.values():
            nearest = None  # the year below, from the years known before this pass
            for i in range(len(same) - 1, -1, -1):
                position[id(same[i])], below[id(same[i])] = i, nearest
                if same[i].year:
                    nearest = group_year(same[i].year, layout)
        scanned: dict[str, tuple[int, int | None]] = {}  # section -> (next to scan, year above)
        dropped: set[int] = set()
        for paper, lineno in undated:
            same, pos = by_section[paper.section], position[id(paper)]
            i, above = scanned.get(paper.section, (0, None))
            for p in same[i:pos]:
                above = group_year(p.year, layout) if p.year else above
            scanned[paper.section] = (pos, above)
            year = above if above is not None else below[id(paper)]
            if year is not None:
                paper.year = year
                where = "the entry above" if above is not None else "the entry below"
                self.problem(lineno, f"entry not under a year subsection and without arXiv id: "
                                     f"year {paper.year} taken from {where}{after}")
            else:
                dropped.add(id(paper))
                self.problem(lineno, "entry not under a year subsection, without arXiv id or "
                                     "year in its venue or section: its year is unknown, left "
                                     "out", ERROR)
        if dropped:
            self.body.papers[:] = [p for p in self.body.papers if id(p) not in dropped]


def _placed(items: list[ImportNote], inserts: list[tuple[int, ImportNote]]) -> list[ImportNote]:
    """``items`` with each insert placed before the item at its index (at the end for
    ``len(items)``), inserts at one index in their order: one pass, not a list.insert each."""
    if not inserts:
        return items
    out: list[ImportNote] = []
    pending = iter(sorted(inserts, key=lambda pair: pair[0]))
    nxt = next(pending, None)
    for i, item in enumerate(items):
        while nxt is not None and nxt[0] <= i:
            out.append(nxt[1])
            nxt = next(pending, None)
        out.append(item)
    while nxt is not None:
        out.append(nxt[1])
        nxt = next(pending, None)
    return out

def _is_contents(lines: list[str], i: int) -> bool:
    """True for a heading that is the table of contents' own ("Table of Contents")."""
    return lines[i].lstrip("#").strip().lower() in ("table of contents", "contents")


def _blanks_before(lines: list[str], i: int) -> int:
    gap = 0
    while i - gap - 1 >= 0 and not lines[i - gap - 1].strip():
        gap += 1
    return gap


def _anchors(text: str | None) -> set[str]:
    """The anchors of the headings in ``text`` (the closing)."""
    return {github_anchor(line.lstrip("#")) for line in text_lines(text or "")
            if is_heading(line)}


def _settle_section_texts(settings: Settings, texts: dict[str, str]) -> None:
    """The line(s) under the section headings: one template for the page when the sections
    share it ({heading} and {anchor} standing for each section's), the others per section."""
    templates: dict[str, int] = {}
    for sec in settings.sections:
        if sec.slug in texts:
            template = _template(texts[sec.slug], sec)
            templates[template] = templates.get(template, 0) + 1
    if not templates:
        return
    best = max(templates, key=lambda t: (templates[t], t))
    settings.layout.section_intro = best if templates[best] > 1 or len(texts) == 1 else None
    for sec in settings.sections:
        text = texts.get(sec.slug, "")
        if settings.layout.section_intro is None:
            sec.intro = text or None
        elif _fill(settings.layout.section_intro, sec) != text:
            sec.intro = text


def _template(text: str, sec: Section) -> str:
    anchor = github_anchor(sec.heading)
    template = text.replace(f"#{anchor}", "#{anchor}").replace(sec.heading, "{heading}")
    return template if _fill(template, sec) == text else text


def _fill(template: str, sec: Section) -> str:
    """A section-intro template for a section."""
    return template.replace("{heading}", sec.heading).replace(
        "{anchor}", github_anchor(sec.heading))


_YEAR_RE = re.compile(r"^\d{4}$")  # a contents item of a page grouped by year alone
# A heading's text as the section reader takes it (import_body's heading patterns).
_ATX_TEXT_RE = re.compile(r"^#{1,6}(?!#)\s*(.*?)\s*$")


def _heading_anchors(lines: list[str]) -> Callable[[str], str]:
    """heading text -> the anchor GitHub gives its first heading on the page (repeats are
    numbered, '#empirical-study-1'); GitHub's slug for a heading the page does not have."""
    found: dict[str, str] = {}
    for index, anchor in page_anchors(lines).items():
        m = _ATX_TEXT_RE.match(lines[index])
        found.setdefault(m.group(1) if m else "", anchor)
    return lambda heading: found.get(heading) or github_anchor(heading)


def _block(lines: list[str]) -> str | None:
    """Lines joined, blank lines at either end dropped; None when nothing is left.

    A line of spaces counts as blank, as it does where blank lines before a heading are
    counted: kept at an end, it came back as one more blank line on the next import.
    """
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end]) or None


def _split_title(text: str) -> tuple[str, str | None]:
    """``Awesome X [![Awesome](...)](...)`` -> ("Awesome X", "[![Awesome](...)](...)")."""
    m = re.search(r"\s+(?=\[!\[|!\[)", text)
    if m is None:
        return text, None
    return text[:m.start()], text[m.end():]


def _assign_keys(papers: list[Paper]) -> None:
    names = UniqueNames()
    for paper in papers:
        paper.key = paper_key(paper, names)


def parse_list(text: str, *, source: str = "<list>") -> ImportResult:
    """Read a page in the list's markdown layout; pure, never raises on odd input.

    Returns the settings, the papers in page order (keys and sort_as set) and every problem
    found, each with its line. A page with no section holding entries gives no papers.
    """
    return _Reader(text, source).read()


def encoding_notes(text: str) -> list[ImportNote]:
    """The notes on what reading ``text`` drops before its lines: a byte-order mark, '\\r'
    line ends (the command line drops them on reading the file, and reports them so)."""
    notes = []
    if text.startswith("\ufeff"):
        notes.append(ImportNote(1, "byte-order mark dropped", WARNING))
    if "\r" in text:
        notes.append(ImportNote(1, "'\\r\\n' line ends written as '\\n'", WARNING))
    return notes


def iter_problem_lines(result: ImportResult) -> Iterator[str]:
    """Problems as ``source:line: level: message`` lines."""
    for p in result.problems:
        yield f"{result.source}:{p.line}: {p.level}: {p.message}"
