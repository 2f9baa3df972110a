"""Reading a list page (the list's markdown layout) into settings and papers.

``parse_list`` reads a page (see docs/catalog-format.md) into an ``ImportResult``: the
settings (badges, title, intro, table of contents, sections, resources, closing) and the papers
in page order, with keys and the ``sort_as`` that keeps that order (deepphen.order). It is
pure and forgiving: every line it had to change or could not represent is an ``ImportNote``
with its line number. Entries themselves are read by deepphen.import_entry; writing the
result as a catalog folder is ``catalog.write_catalog``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from deepphen import ids
from deepphen.catalog import paper_key
from deepphen.dialect import IMAGE_ALT, year_heading, year_style
from deepphen.import_entry import (
    AUTHOR_LIST_RE,
    DIGEST_RE,
    ERROR,
    WARNING,
    EntryLines,
    ImportNote,
    check_rendering,
    is_bare_sub_line,
    keep_verbatim,
    opens_details,
    read_entry,
    short,
)
from deepphen.models import Paper, Resource, Section, Settings, github_anchor
from deepphen.order import assign_sort_as
from deepphen.venues import YEAR_RE


@dataclass
class ImportResult:
    """What a page holds: settings, papers (page order, keys set) and the problems found."""

    settings: Settings
    papers: list[Paper]
    problems: list[ImportNote] = field(default_factory=list)
    source: str = "<list>"

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


_H1_RE = re.compile(r"^#(?!#)\s*(.*?)\s*$")
_H2_RE = re.compile(r"^##(?!#)\s*(.*?)\s*$")
# A subsection heading; '####' and deeper are read as '###' (and reported).
_H3_RE = re.compile(r"^(?P<level>#{3,6})(?!#)\s*(.*?)\s*$")
_IMAGE_RE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*$")
_TOC_ITEM_RE = re.compile(r"^\s*[-*]\s+\[(?P<label>.*)\]\(#(?P<anchor>[^)\s]*)\)\s*$")
_RESOURCE_RE = re.compile(
    r"^[-*]\s+\[(?P<name>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*(?P<badges>.*?)\s*$")
_ENTRY_RE = re.compile(r"^[-*]\s+(?P<content>.*)$")
_SUBLINE_RE = re.compile(r"^(?P<indent>\s+)[-*]\s+(?P<content>.*)$")
DEFAULT_BLANK_LINES = 1


def _hidden_block_kind(line: str) -> str:
    return "HTML comment" if line.lstrip().startswith("<!--") else "code block"


def _hidden_block_end(lines: list[str], start: int) -> int | None:
    """The 1-based last line of an HTML comment or fenced code block opening at ``start``.

    None when ``lines[start]`` opens neither; an unclosed one runs to the end of the page.
    """
    opening = lines[start].lstrip()
    if opening.startswith("<!--"):
        if "-->" in opening[4:]:
            return start + 1
        closes = (j for j in range(start + 1, len(lines)) if "-->" in lines[j])
    elif opening.startswith(("```", "~~~")):
        fence = opening[:3]
        closes = (j for j in range(start + 1, len(lines)) if lines[j].lstrip().startswith(fence))
    else:
        return None
    return next(closes, len(lines) - 1) + 1


class _Reader:
    """Reads a page line by line; collects settings, papers and problems."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.lstrip("\ufeff").splitlines()
        self.source = source
        self.problems: list[ImportNote] = []
        if text.startswith("\ufeff"):
            self.problem(1, "byte-order mark dropped")
        if "\r" in text:
            self.problem(1, "'\\r\\n' line ends written as '\\n'")
        self.papers: list[Paper] = []
        self.seen_ids: dict[str, int] = {}
        self.sections: list[Section] = []
        self.blank_lines: dict[str, int] = {}
        self.toc: list[tuple[int, str, str]] = []
        self.resources: list[Resource] = []
        self.resources_heading: str | None = None
        self.year_styled: set[str] = set()  # slugs whose year-heading style is settled
        self.yearless: list[tuple[Paper, int]] = []  # papers whose year no clue gave yet

    def problem(self, line: int, message: str, level: str = WARNING) -> None:
        self.problems.append(ImportNote(line, message, level))

    def read(self) -> ImportResult:
        lines = self.lines
        i, n = 0, len(lines)
        # Badges: everything before the first heading, which should be the '# Title'.
        while i < n and not lines[i].startswith("#"):
            i += 1
        badges = _block(lines[:i])
        title, title_badge = "", None
        if i < n and _H1_RE.match(lines[i]):
            title, title_badge = _split_title(_H1_RE.match(lines[i]).group(1))
            i += 1
        else:
            self.problem(i + 1 if i < n else 1, "no '# Title' line: the list has no title")
        # Intro: up to the next heading.
        start = i
        while i < n and not lines[i].startswith("#"):
            i += 1
        intro = _block(lines[start:i])
        toc_heading, toc_image = "Table of Contents", None
        h1 = _H1_RE.match(lines[i]) if i < n else None
        if h1:
            toc_heading = h1.group(1)
            i += 1
            toc_start = i
            image_lines = []
            while i < n and not lines[i].startswith("#"):
                if self.toc and not lines[i].strip():
                    break  # the blank lines after the items belong to the next heading
                item = _TOC_ITEM_RE.match(lines[i])
                if item:
                    self.toc.append((i + 1, item.group("label"), item.group("anchor")))
                    if lines[i].lstrip().startswith("*"):
                        self.problem(i + 1, "list marker '*' written as '-'")
                elif lines[i].strip() and not self.toc:
                    image_lines.append(lines[i])
                elif lines[i].strip():
                    self.problem(i + 1, f"line in the table of contents not understood, "
                                        f"left out: {short(lines[i])}", ERROR)
                i += 1
            while not self.toc and i > toc_start and not lines[i - 1].strip():
                i -= 1  # blank lines before the next heading are counted there
            toc_image = "\n".join(image_lines) or None
        elif i < n:
            self.problem(i + 1, f"no '# {toc_heading}' before the first section: export "
                                "writes one")
            while i > start and not lines[i - 1].strip():
                i -= 1  # blank lines before the next heading are counted there
        closing = self._read_body(i)
        self._year_from_neighbours()
        settings = Settings(
            title=title, sections=self.sections, title_badge=title_badge, badges=badges,
            intro=intro, toc_heading=toc_heading, toc_image=toc_image,
            resources_heading=self.resources_heading or "Related Resources",
            resources=self.resources, closing=closing, blank_lines=self.blank_lines,
        )
        self._match_toc(settings)
        assign_sort_as(self.papers)
        _assign_keys(self.papers)
        self.problems.sort(key=lambda p: p.line)
        return ImportResult(settings, self.papers, self.problems, self.source)

    def _read_body(self, i: int) -> str | None:
        """Sections, resources, then the closing (returned verbatim)."""
        lines = self.lines
        section: Section | None = None
        year: int | None = None
        in_resources = False
        entry: EntryLines | None = None
        blanks = 0
        saw_subsection = False
        while i < len(lines):
            line, lineno = lines[i], i + 1
            i += 1
            if not line.strip():
                blanks += 1
                continue
            hidden_end = _hidden_block_end(lines, i - 1)
            if hidden_end is not None:
                # A comment or code block is not shown on the page: an entry in it is not one.
                self.problem(lineno, f"{_hidden_block_kind(line)} (lines {lineno}-{hidden_end}) "
                                     "left out: what it holds is not shown on the page", ERROR)
                i = hidden_end
                continue
            gap, blanks = blanks, 0
            if _H1_RE.match(line):
                self._finish(entry)
                self._note_gap(_H1_RE.match(line).group(1), gap)
                return "\n".join(lines[i - 1:]).rstrip("\n")
            h2 = _H2_RE.match(line)
            if h2:
                self._finish(entry)
                entry, year, saw_subsection = None, None, False
                heading = h2.group(1)
                self._note_gap(heading, gap)
                if "resource" in heading.lower():
                    in_resources, section = True, None
                    self.resources_heading = heading
                else:
                    in_resources = False
                    section = self._section(lineno, heading)
                continue
            h3 = _H3_RE.match(line)
            if h3:
                self._finish(entry)
                entry = None
                year = self._year_heading(lineno, h3.group(2), section)
                if h3.group("level") != "###":
                    self.problem(lineno, f"heading level '{h3.group('level')}' written as '###'")
                # Keyed "<section>: YYYY" whatever the style: "### 2023" recurs per section.
                self._note_gap(h3.group(2) if year is None or section is None
                               else f"{section.heading}: {year}", gap)
                saw_subsection = True
                continue
            if in_resources:
                self._resource(lineno, line)
                continue
            if section is None:
                self.problem(lineno, f"line outside any section, left out: {short(line)}", ERROR)
                continue
            image = _IMAGE_RE.match(line)
            if image and not saw_subsection and section.image is None:
                section.image = image.group("url")
                if image.group("alt") != IMAGE_ALT:
                    self.problem(lineno, f"image alt text {image.group('alt')!r} is written "
                                         f"as {IMAGE_ALT!r}")
                continue
            sub = _SUBLINE_RE.match(line)
            top = _ENTRY_RE.match(line)
            if top and not DIGEST_RE.match(top.group("content")) \
                    and not AUTHOR_LIST_RE.match(top.group("content")):
                self._finish(entry)
                entry = EntryLines(lineno, top.group("content"), section.slug, year)
                entry.raw[lineno] = line
            elif entry is not None and (sub or top):
                m = sub or top
                indent = sub.group("indent") if sub else ""
                entry.subs.append((lineno, indent, m.group("content")))
                entry.raw[lineno] = line
            elif entry is not None and line.strip().lower() == "</details>" and entry.subs \
                    and opens_details(entry.subs[-1][2]):
                self.problem(lineno, "closing </details> on its own line dropped (the list "
                                     "leaves it open)")
            elif entry is not None and line.startswith((" ", "\t")) \
                    and is_bare_sub_line(line.strip()):
                # A digest, author list or key-word line indented without its '- ' marker.
                stripped = line.lstrip()
                entry.subs.append((lineno, line[:len(line) - len(stripped)], stripped))
                entry.raw[lineno] = line
            elif entry is not None and line.startswith((" ", "\t")) and entry.subs \
                    and DIGEST_RE.match(entry.subs[-1][2]):
                # A digest wrapped onto the next line: joined with a space.
                ln, ind, content = entry.subs[-1]
                entry.subs[-1] = (ln, ind, content.rstrip() + " " + line.strip())
                self.problem(lineno, "digest continued on a second line, joined into one")
            else:
                self.problem(lineno, f"line not understood, left out: {short(line)}", ERROR)
        self._finish(entry)
        return None

    def _section(self, lineno: int, heading: str) -> Section:
        """The section of a '## heading': new, or the earlier one of the same heading."""
        for sec in self.sections:
            if sec.heading == heading:
                self.problem(lineno, f"section {heading!r} appears twice; its entries are merged")
                return sec
        # The slug names a folder: GitHub's anchor when that is a safe name, else ASCII.
        base = github_anchor(heading)
        if not ids.is_safe_key(base):
            base = ids.slugify(heading, max_words=12)
        slug, n, taken = base, 2, {sec.slug for sec in self.sections}
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        self.sections.append(Section(heading, slug))
        return self.sections[-1]

    def _note_gap(self, heading: str, gap: int) -> None:
        if gap != DEFAULT_BLANK_LINES:
            self.blank_lines[heading] = min(gap, 9)

    def _year_heading(self, lineno: int, text: str, section: Section | None) -> int | None:
        """The year of a '### ...' subsection heading, or None (its entries' years are then
        inferred). The first year heading of a section settles how export writes them all:
        "<heading>: YYYY", or the page's own style ("YYYY", "<heading> (YYYY)", ...)."""
        if section is None:
            self.problem(lineno, "year subsection outside any section", ERROR)
            return None
        found = list(YEAR_RE.finditer(text))
        if not found:
            self.problem(lineno, f"subsection {text!r} has no year: its entries are dated by "
                                 f"their arXiv id, venue or neighbours (export writes "
                                 f"'### {section.heading}: YYYY' subsections)")
            return None
        m = found[-1]
        year = int(m.group(1))
        if section.slug not in self.year_styled:
            self.year_styled.add(section.slug)
            section.year_heading = year_style(text, m, section.heading)
        written = year_heading(section, year)
        if written != text:
            self.problem(lineno, f"subsection {text!r} is written as {written!r}")
        return year

    def _infer_year(self, paper: Paper, lineno: int) -> None:
        """Year of an entry outside any year subsection: from its arXiv id, else from the
        year in its venue, else (later) from its neighbours on the page."""
        if paper.arxiv:
            paper.year, clue = ids.id_year(paper.arxiv), "its arXiv id"
        elif paper.venue and (found := YEAR_RE.findall(paper.venue)):
            paper.year, clue = int(found[-1]), "its venue"
        else:
            paper.year = 0
            self.yearless.append((paper, lineno))
            return
        self.problem(lineno, f"entry not under a year subsection: year {paper.year} taken from "
                             f"{clue} (export writes it under a year subsection)")

    def _year_from_neighbours(self) -> None:
        """Years for the entries no clue dated: the nearest dated entry above in the same
        section, else below it; an entry nothing near can date is left out."""
        for paper, lineno in self.yearless:
            index = next(i for i, p in enumerate(self.papers) if p is paper)
            same = [p for p in self.papers if p.section == paper.section]
            pos = next(i for i, p in enumerate(same) if p is paper)
            above = [p.year for p in same[:pos] if p.year]
            below = [p.year for p in same[pos + 1:] if p.year]
            if above or below:
                paper.year = above[-1] if above else below[0]
                where = "the entry above" if above else "the entry below"
                self.problem(lineno, f"entry not under a year subsection and without arXiv id: "
                                     f"year {paper.year} taken from {where} (export writes it "
                                     "under a year subsection)")
            else:
                del self.papers[index]
                self.problem(lineno, "entry not under a year subsection, without arXiv id or "
                                     "year in its venue or section: its year is unknown, left "
                                     "out", ERROR)

    def _resource(self, lineno: int, line: str) -> None:
        m = _RESOURCE_RE.match(line)
        if m is None:
            self.problem(lineno, f"related-resources line not understood, left out: "
                                 f"{short(line)}", ERROR)
            return
        self.resources.append(Resource(m.group("name"), m.group("url"), m.group("badges") or None))
        if line.startswith("*"):
            self.problem(lineno, "list marker '*' written as '-'")
        if line != line.rstrip():
            self.problem(lineno, "trailing spaces dropped")

    def _match_toc(self, settings: Settings) -> None:
        """Record TOC labels and anchors that differ from the headings; report the rest."""
        unmatched = list(self.toc)
        resources_anchor = github_anchor(settings.resources_heading)
        for lineno, label, anchor in list(unmatched):
            if anchor == resources_anchor:
                if label != settings.resources_heading:
                    settings.resources_toc_label = label
                unmatched.remove((lineno, label, anchor))
                continue
            for sec in settings.sections:
                if github_anchor(sec.heading) == anchor:
                    if label != sec.heading:
                        sec.toc_label = label
                    unmatched.remove((lineno, label, anchor))
                    break
        missing = [s for s in settings.sections
                   if github_anchor(s.heading) not in {a for _, _, a in self.toc}]
        # An item whose anchor matches no heading belongs to the next section it does not list.
        for (lineno, label, anchor), sec in zip(unmatched, missing, strict=False):
            sec.toc_label = label if label != sec.heading else None
            sec.anchor = anchor
            self.problem(lineno, f"table-of-contents item #{anchor} matches no heading; "
                                 f"taken as the link to {sec.heading!r}")
        for lineno, label, anchor in unmatched[len(missing):]:
            self.problem(lineno, f"table-of-contents item [{label}](#{anchor}) points to no "
                                 "section, left out", ERROR)
        for sec in missing[len(unmatched):]:
            if self.toc:
                self.problem(1, f"section {sec.heading!r} is not in the table of contents; "
                                "export lists it")

    def _finish(self, entry: EntryLines | None) -> None:
        """Turn an entry's lines into a paper (or report why it cannot be one)."""
        if entry is None:
            return
        paper, kinds, known = read_entry(entry, self.problem)
        if paper.arxiv and paper.arxiv in self.seen_ids:
            first = self.seen_ids[paper.arxiv]
            # The entry is left out whole: what else was wrong with it no longer matters.
            self.problems = [p for p in self.problems if p.line not in entry.raw]
            self.problem(entry.line, f"arXiv {paper.arxiv} already listed at line {first}; "
                                     "a catalog holds a paper once, so this entry is left out",
                         ERROR)
            return
        if paper.arxiv:
            self.seen_ids[paper.arxiv] = entry.line
        if entry.year is None:
            self._infer_year(paper, entry.line)
        check_rendering(paper, entry, kinds, known, self.problem)
        keep_verbatim(paper, entry, self.problem)
        self.papers.append(paper)


def _block(lines: list[str]) -> str | None:
    """Lines joined, blank lines at either end dropped; None when nothing is left."""
    text = "\n".join(lines).strip("\n")
    return text if text.strip() else None


def _split_title(text: str) -> tuple[str, str | None]:
    """``Awesome X [![Awesome](...)](...)`` -> ("Awesome X", "[![Awesome](...)](...)")."""
    m = re.search(r"\s+(?=\[!\[|!\[)", text)
    if m is None:
        return text, None
    return text[:m.start()], text[m.end():]


def _assign_keys(papers: list[Paper]) -> None:
    taken: set[str] = set()
    for paper in papers:
        paper.key = paper_key(paper, taken)
        taken.add(paper.key)


def parse_list(text: str, *, source: str = "<list>") -> ImportResult:
    """Read a page in the list's markdown layout; pure, never raises on odd input.

    Returns the settings, the papers in page order (keys and sort_as set) and every problem
    found, each with its line. A page with no section holding entries gives no papers.
    """
    return _Reader(text, source).read()


def iter_problem_lines(result: ImportResult) -> Iterator[str]:
    """Problems as ``source:line: level: message`` lines."""
    for p in result.problems:
        yield f"{result.source}:{p.line}: {p.level}: {p.message}"
