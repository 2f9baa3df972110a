"""The list's markdown dialect: import a page into settings and papers, and the escaping rules.

``parse_list`` reads a page in the list's layout (see docs/catalog-format.md) into an
``ImportResult``; it is pure, forgiving, and reports every line it had to change or could not
represent as a problem with its line number. ``write_catalog`` writes the result as a catalog
folder, all or nothing. The escape helpers here are shared with the markdown exporter, so that
text escaped on export is read back unchanged on import.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import shutil
import string
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from deepphen import ids
from deepphen.catalog import SETTINGS_FILE, paper_key, paper_path, paper_to_toml, settings_to_toml
from deepphen.errors import DeepphenError
from deepphen.fsutil import TMP_PREFIX, catalog_lock
from deepphen.models import Link, Paper, Resource, Section, Settings, github_anchor

# --------------------------------------------------------------------------------------------
# Escaping. Two contexts: ordinary markdown text (title, authors, venue, key words, link labels),
# where a backslash makes any ASCII punctuation literal; and raw-HTML lines (the digest and the
# collapsed author list sit inside <details>, where markdown escapes do not work), where only
# an HTML entity can make '<' literal.
# --------------------------------------------------------------------------------------------

_LINE_BREAKS_RE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
# Characters that would start markdown structure anywhere in a line: links and images ([ ]),
# HTML and autolinks (<), emphasis (*, which also delimits the venue) and code spans (`).
_MD_SPECIAL = "[]<*`"
# Characters that start a block (heading, quote, list, fence, table, setext line) at the start.
_BLOCK_START = "#>-+=~|"
_ORDERED_START_RE = re.compile(r"^(\d{1,9})([.)])")
_UNESCAPE_MD_RE = re.compile(rf"\\([{re.escape(string.punctuation)}])")
_TAG_START = r"(?=[A-Za-z/!?])"
# '<' that starts a tag, or a literal '&lt;' (with any 'amp;' prefixes) that must stay literal.
_ESCAPE_HTML_RE = re.compile(rf"<{_TAG_START}|&((?:amp;)*)lt;")
_UNESCAPE_HTML_RE = re.compile(r"&((?:amp;)*)lt;")
KEYWORD_LABEL_RE = re.compile(r"^(key\s*w\w{0,5})\s*:(.*)$", re.IGNORECASE)

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
UNSAFE_URL = "#unsafe-url-removed"
_URL_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_ENCODE_RE = re.compile(r"[\s()<>\\\"]")


def fold_lines(text: str) -> str:
    """Line breaks and other control characters become one space: a field stays on its line."""
    return _LINE_BREAKS_RE.sub(" ", text)


def escape_md(text: str, separators: str = "", *, line_start: bool = False) -> str:
    """Make ``text`` literal in markdown: no link, HTML, emphasis, code or block can start in it.

    ``separators`` are escaped too, so a list split on them reads back whole; ``line_start``
    also escapes what would open a block at the start of a line. Ordinary text is unchanged.
    The exact inverse is ``unescape_md``.
    """
    text = fold_lines(text)
    out = []
    special = _MD_SPECIAL + separators
    for i, ch in enumerate(text):
        if ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            # A backslash escapes only punctuation, so only there (or at the end, before the
            # period the format adds) must it be doubled to stay a backslash.
            out.append("\\\\" if nxt == "" or nxt in string.punctuation else "\\")
        elif ch in special or (line_start and i == 0 and ch in _BLOCK_START):
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if line_start:
        escaped = _ORDERED_START_RE.sub(r"\1\\\2", escaped, count=1)
    return escaped


def unescape_md(text: str) -> str:
    """Undo ``escape_md``: a backslash before ASCII punctuation is dropped."""
    return _UNESCAPE_MD_RE.sub(r"\1", text)


def escape_html(text: str) -> str:
    """Make ``text`` literal inside a raw-HTML line: '<' that would open a tag becomes '&lt;'.

    A literal '&lt;' gains an 'amp;' so that ``unescape_html`` gives it back exactly.
    """

    def repl(m: re.Match[str]) -> str:
        return "&lt;" if m.group(0) == "<" else f"&amp;{m.group(1)}lt;"

    return _ESCAPE_HTML_RE.sub(repl, fold_lines(text))


def unescape_html(text: str) -> str:
    """Undo ``escape_html``."""

    def repl(m: re.Match[str]) -> str:
        return f"&{m.group(1)[4:]}lt;" if m.group(1) else "<"

    return _UNESCAPE_HTML_RE.sub(repl, text)


def is_safe_url(url: str) -> bool:
    """False for a link a browser would run or load as a non-web scheme (javascript:, data:...).

    The check looks at the URL as markdown and the browser see it: backslash escapes and HTML
    entities decoded, whitespace and control characters removed.
    """
    effective = html.unescape(_UNESCAPE_MD_RE.sub(r"\1", url))
    effective = re.sub(r"[\x00-\x20\x7f]", "", effective)
    m = _URL_SCHEME_RE.match(effective)
    return m is None or m.group(1).lower() in SAFE_URL_SCHEMES


def safe_url(url: str) -> str:
    """The URL as written in a link: unsafe schemes replaced, characters that end a link encoded."""
    url = fold_lines(url).strip()
    if not is_safe_url(url):
        return UNSAFE_URL
    return _URL_ENCODE_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def split_unescaped(text: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not backslash-escaped (the pieces keep their escapes)."""
    pieces, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == separator:
            pieces.append(text[start:i])
            start = i + 1
        i += 1
    pieces.append(text[start:])
    return pieces


def _unescaped_index(text: str, target: str) -> int:
    """Index of the first unescaped occurrence of ``target`` in ``text``, or -1."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def strip_final_period(text: str) -> tuple[str, bool]:
    """Drop the period the format adds after a field; False when there is none.

    The period is escaped (``\\.``) after a field that is only digits, where ``12.`` would
    open an ordered list; both forms are dropped.
    """
    if not text.endswith("."):
        return text, False
    return (text[:-1] if _ends_unescaped(text, ".") else text[:-2]), True


def _ends_unescaped(text: str, char: str) -> bool:
    """True when ``text`` ends with ``char`` and that last character is not escaped."""
    if not text.endswith(char):
        return False
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return backslashes % 2 == 0


# --------------------------------------------------------------------------------------------
# Import.
# --------------------------------------------------------------------------------------------

ERROR = "error"  # something on the page could not be represented and was left out
WARNING = "warning"  # imported, but the page breaks a rule or export will write it differently


class Problem(NamedTuple):
    """Something the import had to change or leave out, at a line of the page."""

    line: int
    message: str
    level: str


@dataclass
class ImportResult:
    """What a page holds: settings, papers (page order, keys set) and the problems found."""

    settings: Settings
    papers: list[Paper]
    problems: list[Problem] = field(default_factory=list)
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
# A year in a subsection heading ("Empirical Study: 2023", "2023", "Empirical Study (2023)")
# or in a venue ("ICLR 2023").
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_HEADING_YEAR_SEPARATORS = " \t:-\u2013\u2014("
_IMAGE_RE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*$")
_TOC_ITEM_RE = re.compile(r"^\s*[-*]\s+\[(?P<label>.*)\]\(#(?P<anchor>[^)\s]*)\)\s*$")
_RESOURCE_RE = re.compile(
    r"^[-*]\s+\[(?P<name>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*(?P<badges>.*?)\s*$")
_ENTRY_RE = re.compile(r"^[-*]\s+(?P<content>.*)$")
_SUBLINE_RE = re.compile(r"^(?P<indent>\s+)[-*]\s+(?P<content>.*)$")
_DIGEST_RE = re.compile(r"^<details>\s*<summary>\s*digest\s*</summary>(.*)$", re.IGNORECASE)
_AUTHOR_LIST_RE = re.compile(r"^<details>\s*<summary>\s*author list\s*</summary>(.*)$",
                             re.IGNORECASE)
_CLOSE_DETAILS_RE = re.compile(r"\s*</details>\s*$", re.IGNORECASE)
# [[label]](url), the URL also in angle brackets and with a title ("..." '...' (...)).
_LINK_RE = re.compile(
    r"\s*\[\[(?P<label>(?:\\.|[^\\\]])*)\]\]"
    r"\((?:<(?P<angled>[^<>\n]*)>|(?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*))"
    r"(?:\s+(?P<title>\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
IMAGE_ALT = "avatar"
DEFAULT_BLANK_LINES = 1


@dataclass
class _Entry:
    """The raw lines of one entry while the page is read."""

    line: int
    content: str
    section: str
    year: int | None  # None: not under a year subsection, inferred when the entry ends
    subs: list[tuple[int, str, str]] = field(default_factory=list)  # (line, indent, content)
    raw: dict[int, str] = field(default_factory=dict)  # line -> the line as written


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
        self.problems: list[Problem] = []
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
        self.problems.append(Problem(line, message, level))

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
                                        f"left out: {_short(lines[i])}", ERROR)
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
        _assign_sort_as(self.papers)
        _assign_keys(self.papers)
        self.problems.sort(key=lambda p: p.line)
        return ImportResult(settings, self.papers, self.problems, self.source)

    def _read_body(self, i: int) -> str | None:
        """Sections, resources, then the closing (returned verbatim)."""
        lines = self.lines
        section: Section | None = None
        year: int | None = None
        in_resources = False
        entry: _Entry | None = None
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
                self.problem(lineno, f"line outside any section, left out: {_short(line)}", ERROR)
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
            if top and not _DIGEST_RE.match(top.group("content")) \
                    and not _AUTHOR_LIST_RE.match(top.group("content")):
                self._finish(entry)
                entry = _Entry(lineno, top.group("content"), section.slug, year)
                entry.raw[lineno] = line
            elif entry is not None and (sub or top):
                m = sub or top
                indent = sub.group("indent") if sub else ""
                entry.subs.append((lineno, indent, m.group("content")))
                entry.raw[lineno] = line
            elif entry is not None and line.strip().lower() == "</details>" and entry.subs \
                    and _opens_details(entry.subs[-1][2]):
                self.problem(lineno, "closing </details> on its own line dropped (the list "
                                     "leaves it open)")
            elif entry is not None and line.startswith((" ", "\t")) \
                    and _bare_sub_line(line.strip()):
                # A digest, author list or key-word line indented without its '- ' marker.
                stripped = line.lstrip()
                entry.subs.append((lineno, line[:len(line) - len(stripped)], stripped))
                entry.raw[lineno] = line
            elif entry is not None and line.startswith((" ", "\t")) and entry.subs \
                    and _DIGEST_RE.match(entry.subs[-1][2]):
                # A digest wrapped onto the next line: joined with a space.
                ln, ind, content = entry.subs[-1]
                entry.subs[-1] = (ln, ind, content.rstrip() + " " + line.strip())
                self.problem(lineno, "digest continued on a second line, joined into one")
            else:
                self.problem(lineno, f"line not understood, left out: {_short(line)}", ERROR)
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
        from deepphen.export.markdown import year_heading

        if section is None:
            self.problem(lineno, "year subsection outside any section", ERROR)
            return None
        found = list(_YEAR_RE.finditer(text))
        if not found:
            self.problem(lineno, f"subsection {text!r} has no year: its entries are dated by "
                                 f"their arXiv id, venue or neighbours (export writes "
                                 f"'### {section.heading}: YYYY' subsections)")
            return None
        m = found[-1]
        year = int(m.group(1))
        if section.slug not in self.year_styled:
            self.year_styled.add(section.slug)
            section.year_heading = _year_style(text, m, section.heading)
        written = year_heading(section, year)
        if written != text:
            self.problem(lineno, f"subsection {text!r} is written as {written!r}")
        return year

    def _infer_year(self, paper: Paper, lineno: int) -> None:
        """Year of an entry outside any year subsection: from its arXiv id, else from the
        year in its venue, else (later) from its neighbours on the page."""
        if paper.arxiv:
            paper.year, clue = ids.id_year(paper.arxiv), "its arXiv id"
        elif paper.venue and (found := _YEAR_RE.findall(paper.venue)):
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
                                 f"{_short(line)}", ERROR)
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

    def _finish(self, entry: _Entry | None) -> None:
        """Turn an entry's lines into a paper (or report why it cannot be one)."""
        if entry is None:
            return
        known: set[int] = set()

        def report(lineno: int, message: str, level: str = WARNING) -> None:
            known.add(lineno)
            self.problem(lineno, message, level)

        title, links = self._title_line(entry, report)
        if entry.raw[entry.line].startswith("*"):
            report(entry.line, "list marker '*' written as '-'")
        paper = Paper(title=title, year=entry.year, section=entry.section, links=links)
        kinds: dict[str, int] = {"title": entry.line}
        for lineno, indent, content in entry.subs:
            kind = self._sub_line(paper, lineno, content, report, kinds)
            if kind is None:
                continue
            if not re.match(r"^\s*[-*]", entry.raw[lineno]):
                report(lineno, "line without its '- ' list marker written as '  - '")
            elif indent != "  " or not re.match(r"^\s*[-*] \S", entry.raw[lineno]):
                report(lineno, "indentation written as '  - '")
            if entry.raw[lineno].lstrip().startswith("*"):
                report(lineno, "list marker '*' written as '-'")
        if not links:
            report(entry.line, "entry has no paper link (imported with no links)")
        if "authors" not in kinds:
            report(entry.line, "entry has no authors line")
        if "keywords" not in kinds:
            report(entry.line, "entry has no 'Key Word:' line")
        paper.arxiv = _arxiv_from_links(links)
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
        self._check_rendering(paper, entry, kinds, known)
        self._keep_verbatim(paper, entry)
        self.papers.append(paper)

    def _title_line(self, entry: _Entry, report: Callable[..., None]) -> tuple[str, list[Link]]:
        content = entry.content
        cut = _unescaped_index(content, "[[")
        title_part = content if cut < 0 else content[:cut]
        rest = "" if cut < 0 else content[cut:]
        links, pos = [], 0
        while True:
            m = _LINK_RE.match(rest, pos)
            if m is None:
                break
            url = m.group("url") if m.group("angled") is None else m.group("angled")
            if m.group("angled") is not None:
                report(entry.line, f"link <{url}> written without its angle brackets")
            if m.group("title"):
                report(entry.line, f"link title {m.group('title')} dropped")
            links.append(Link(unescape_md(m.group("label")), url))
            pos = m.end()
        tail = rest[pos:]
        if tail.strip() == "\\":
            report(entry.line, "trailing '\\' (line break) after the links dropped")
        elif tail.strip():
            report(entry.line, f"text after the links left out: {_short(tail.strip())}", ERROR)
        title, had_period = strip_final_period(title_part.strip())
        if not had_period and not title.endswith(("?", "!")):
            report(entry.line, "title has no final period (export adds one)")
        if not title:
            report(entry.line, "entry has no title")
        return unescape_md(title), links

    def _sub_line(self, paper: Paper, lineno: int, content: str,
                  report: Callable[..., None], kinds: dict[str, int]) -> str | None:
        """Read one indented line of an entry into the paper; returns its kind."""
        digest = _DIGEST_RE.match(content)
        authors = _AUTHOR_LIST_RE.match(content)
        keywords = KEYWORD_LABEL_RE.match(content)
        kind = ("digest" if digest else "authors" if authors
                else "keywords" if keywords else "authors")
        if kind in kinds:
            report(lineno, f"second {kind} line in one entry, left out: {_short(content)}", ERROR)
            return None
        kinds[kind] = lineno
        if digest:
            text = _details_text(digest.group(1), lambda message: report(lineno, message))
            paper.digest = unescape_html(text) if text.strip() else None
            if paper.digest is None:
                report(lineno, "empty digest dropped")
        elif keywords:
            label, text = keywords.group(1), keywords.group(2)
            if label != "Key Word":
                report(lineno, f"key-word label {label + ':'!r} written as 'Key Word:'")
            elif not text.startswith(" "):
                report(lineno, "space added after 'Key Word:'")
            paper.keywords = _read_list(text.strip(), ";", ",",
                                        ("key-word", "key words", "key word"),
                                        lambda message: report(lineno, message))
        else:
            text = content
            if authors:
                paper.authors_collapsed = True
                text = unescape_html(_details_text(authors.group(1),
                                                   lambda message: report(lineno, message)))
            paper.authors, paper.venue = self._authors(lineno, text, report)
        return kind

    @staticmethod
    def _authors(lineno: int, text: str,
                 report: Callable[..., None]) -> tuple[list[str], str | None]:
        text = text.strip()
        venue = None
        if _ends_unescaped(text, "*"):
            stars = [i for i in range(len(text) - 1) if text[i] == "*"
                     and _ends_unescaped(text[:i + 1], "*")]
            if stars:
                venue = unescape_md(text[stars[-1] + 1:-1]).strip() or None
                text = text[:stars[-1]].rstrip()
        names = _read_list(text, ",", ";", ("authors", "authors", "author name"),
                           lambda message: report(lineno, message))
        return names, venue

    def _keep_verbatim(self, paper: Paper, entry: _Entry) -> None:
        """Keep an entry that differs from the list's format in formatting only as written,
        so that import then export gives the page back line for line; lint reports such
        entries and ``lint --fix`` rewrites them in the format."""
        from deepphen.export.markdown import entry_lines, same_but_format

        original = [entry.raw[n] for n in sorted(entry.raw)]
        canonical = [line for _, line in entry_lines(paper)]
        if original != canonical and same_but_format(original, canonical):
            paper.verbatim = original
            self.problem(entry.line, "entry kept as written until 'deepphen lint --fix' "
                                     "applies the changes reported on its lines")

    def _check_rendering(self, paper: Paper, entry: _Entry, kinds: dict[str, int],
                         known: set[int]) -> None:
        """Report each line that export will write differently and no message explains yet."""
        from deepphen.export.markdown import entry_lines

        rendered = dict(entry_lines(paper))
        for kind, lineno in kinds.items():
            original, new = entry.raw[lineno], rendered.get(kind)
            if new is None or original == new or lineno in known:
                continue
            if original.rstrip() == new:
                self.problem(lineno, "trailing spaces dropped")
            elif original.strip() == new.strip():
                self.problem(lineno, "indentation written as '  - '")
            else:
                self.problem(lineno, f"written differently on export: {_difference(original, new)}")


def _year_style(text: str, year: re.Match[str], section_heading: str) -> str | None:
    """The year-heading style of ``text`` ('{year}' for the year), or None for the list's own
    "<heading>: YYYY" and for a heading naming something other than its section."""
    before, after = text[:year.start()], text[year.end():]
    name = before.rstrip(_HEADING_YEAR_SEPARATORS)
    bracketed = before.rstrip(" \t").endswith("(")
    if name not in ("", section_heading) or after.strip() != (")" if bracketed else "") \
            or "{year}" in before + after:
        return None
    style = before + "{year}" + after
    return None if style == f"{section_heading}: {{year}}" else style


def _opens_details(text: str) -> bool:
    """True for an entry's digest or author-list line (each opens a <details> block)."""
    return bool(_DIGEST_RE.match(text) or _AUTHOR_LIST_RE.match(text))


def _bare_sub_line(text: str) -> bool:
    """True for an entry's digest, author-list or key-word line written without '- '."""
    return _opens_details(text) or bool(KEYWORD_LABEL_RE.match(text))


def _read_list(text: str, sep: str, alt: str, names: tuple[str, str, str],
               report: Callable[[str], None]) -> list[str]:
    """The items of an authors or key-word line: split at ``sep`` (at ``alt`` when the line
    uses only that), period and escapes removed. ``names``: the line, the items, one item."""
    line_name, plural, singular = names
    text, had_period = strip_final_period(text)
    if not had_period and text:
        report(f"{line_name} line has no final period (export adds one)")
    pieces = split_unescaped(text, sep)
    if len(pieces) == 1 and len(split_unescaped(text, alt)) > 1:
        pieces = split_unescaped(text, alt)
        report(f"{plural} separated by '{alt}' (written with '{sep}')")
    items = [unescape_md(piece.strip()) for piece in pieces]
    if text and not all(items):
        report(f"empty {singular} dropped")
    return [item for item in items if item]


def _details_text(text: str, report: Callable[[str], None]) -> str:
    """The text after ``<summary>...</summary>``: one separating space and a closing
    ``</details>`` removed, the rest as written."""
    text = text[1:] if text.startswith(" ") else text
    closed = _CLOSE_DETAILS_RE.search(text)
    if closed:
        text = text[:closed.start()]
        report("closing </details> dropped (the list leaves it open)")
    return text


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


def _arxiv_from_links(links: list[Link]) -> str | None:
    """The arXiv id of the entry: from its paper link, else from its first arXiv link."""
    ordered = sorted(links, key=lambda link: link.label != "paper")
    for link in ordered:
        found = ids.arxiv_id_from_url(link.url)
        if found:
            return found
    return None


def _short(text: str, limit: int = 60) -> str:
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _difference(original: str, new: str) -> str:
    """The part of two lines that differs, with a little context."""
    start = 0
    while start < min(len(original), len(new)) and original[start] == new[start]:
        start += 1
    end = 0
    while (end < min(len(original), len(new)) - start
           and original[len(original) - 1 - end] == new[len(new) - 1 - end]):
        end += 1
    lo = max(0, start - 10)
    return (f"{original[lo:len(original) - end][:50]!r} -> {new[lo:len(new) - end][:50]!r}")


# --------------------------------------------------------------------------------------------
# Order: sort_as values that make the catalog's sort give back the page's order.
# --------------------------------------------------------------------------------------------

Position = tuple[int, int]  # (YYYYMM, number), as ids.id_sort_key


def _max_number(month: int) -> int:
    return 99999 if month >= 201501 else 9999


def _step_down(pos: Position) -> Position:
    month, num = pos
    if num > 1:
        return (month, num - 1)
    year, mm = divmod(month, 100)
    year, mm = (year - 1, 12) if mm == 1 else (year, mm - 1)
    month = year * 100 + mm
    return (month, _max_number(month))


def _step_up(pos: Position) -> Position:
    month, num = pos
    if num < _max_number(month):
        return (month, num + 1)
    year, mm = divmod(month, 100)
    year, mm = (year + 1, 1) if mm == 12 else (year, mm + 1)
    return (year * 100 + mm, 1)


def position_id(pos: Position) -> str:
    """The id-like string of a position: (202405, 14860) -> '2405.14860'."""
    month, num = pos
    yy, mm = (month // 100) % 100, month % 100
    width = 5 if month >= 201501 else 4
    return f"{yy:02d}{mm:02d}.{num:0{width}d}"


def _longest_decreasing(keys: list[tuple[int, Position]]) -> list[int]:
    """Indices (into the page order) of a longest strictly decreasing run of ids."""
    best: list[int] = []
    length = [1] * len(keys)
    prev = [-1] * len(keys)
    for j in range(len(keys)):
        for k in range(j):
            if keys[k][1] > keys[j][1] and length[k] + 1 > length[j]:
                length[j], prev[j] = length[k] + 1, k
    if keys:
        j = max(range(len(keys)), key=lambda x: (length[x], -x))
        while j >= 0:
            best.append(keys[j][0])
            j = prev[j]
    return best[::-1]


def _gap_values(upper: Position | None, lower: Position | None, count: int,
                year: int) -> list[Position] | None:
    """``count`` descending positions that sort below ``upper`` and above ``lower``; None if
    there is no room. A sort_as equal to an id sorts just below that id."""
    values: list[Position] = []
    if upper is None and lower is not None:
        pos = lower
        for _ in range(count):
            pos = _step_up(pos)
            values.append(pos)
        return values[::-1]
    pos = upper if upper is not None else (year * 100 + 12, _max_number(year * 100 + 12))
    for _ in range(count):
        if lower is not None and pos <= lower:
            return None
        values.append(pos)
        pos = _step_down(pos)
    return values


def _assign_sort_as(papers: list[Paper]) -> None:
    """Set ``sort_as`` where the id cannot place a paper where the page has it.

    Per year subsection: the papers whose ids already fall in descending page order (a longest
    such run) keep their ids; every other paper (no id, or out of id order) gets a position
    between its neighbours. Sorting by Paper.sort_key, newest first, then gives the page order.
    """
    groups: dict[tuple[str, int], list[Paper]] = {}
    for paper in papers:
        groups.setdefault((paper.section, paper.year), []).append(paper)
    for (_, year), group in groups.items():
        keyed = [(i, ids.id_sort_key(p.arxiv)) for i, p in enumerate(group) if p.arxiv]
        anchors = _longest_decreasing(keyed)
        while (values := _place(group, anchors, year)) is None:
            anchors = _drop_crowded_anchor(group, anchors, year)
        for i, pos in values.items():
            group[i].sort_as = position_id(pos)


def _place(group: list[Paper], anchors: list[int],
           year: int) -> dict[int, Position] | None:
    """Positions for every non-anchor paper, or None when some gap lacks room."""
    bounds = [-1, *anchors, len(group)]
    values: dict[int, Position] = {}
    for a, b in itertools.pairwise(bounds):
        free = list(range(a + 1, b))
        if not free:
            continue
        upper = ids.id_sort_key(group[a].arxiv) if a >= 0 else None
        lower = ids.id_sort_key(group[b].arxiv) if b < len(group) else None
        found = _gap_values(upper, lower, len(free), year)
        if found is None:
            return None
        values.update(zip(free, found, strict=True))
    return values


def _drop_crowded_anchor(group: list[Paper], anchors: list[int], year: int) -> list[int]:
    """Drop the lower anchor of the first gap without room, so that gap can widen."""
    bounds = [-1, *anchors, len(group)]
    for a, b in itertools.pairwise(bounds):
        free = b - a - 1
        if free and a >= 0 and b < len(group):
            upper, lower = ids.id_sort_key(group[a].arxiv), ids.id_sort_key(group[b].arxiv)
            if _gap_values(upper, lower, free, year) is None:
                return [x for x in anchors if x != b]
    raise AssertionError("no gap without room")  # _place found one, so this cannot happen


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


# --------------------------------------------------------------------------------------------
# Writing the catalog folder.
# --------------------------------------------------------------------------------------------


def write_catalog(result: ImportResult, root: Path, *, force: bool = False,
                  on_paper: Callable[[int, int], None] | None = None) -> Path:
    """Write ``catalog.toml`` and one file per paper under ``root``, all or nothing.

    Everything is written into a temporary folder beside ``root`` and renamed into place, so a
    failure leaves ``root`` as it was. A non-empty ``root`` is refused unless ``force``, and even
    then only when it is a catalog (it has ``catalog.toml``): it is replaced whole.
    ``on_paper(done, total)`` is called after each paper file (for a progress bar).
    Raises DeepphenError (nothing written) when the folder is refused or a write fails.
    """
    root = Path(root)
    existing = _check_target(root, force=force)
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}import-", dir=root.parent))
    try:
        _fill(tmp, result, on_paper)
        if existing:
            old = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}old-", dir=root.parent))
            # Under the lock, so that no other deepphen writes into the old catalog meanwhile.
            with catalog_lock(root):
                os.replace(root, old / "catalog")
                try:
                    os.replace(tmp, root)
                except BaseException:
                    os.replace(old / "catalog", root)
                    raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            if root.exists():
                root.rmdir()  # empty: checked above
            os.replace(tmp, root)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DeepphenError(f"cannot write the catalog: {exc.strerror}", path=root) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return root


def _check_target(root: Path, *, force: bool) -> bool:
    """True when ``root`` holds a catalog to replace; raises when it must not be touched."""
    if root.exists() and not root.is_dir():
        raise DeepphenError("exists and is not a folder", path=root,
                            hint="choose another --catalog folder")
    if not root.exists() or not any(root.iterdir()):
        return False
    if not (root / SETTINGS_FILE).is_file():
        raise DeepphenError("folder is not empty and holds no catalog; refusing to replace it",
                            path=root, hint="choose an empty or new --catalog folder")
    if not force:
        raise DeepphenError("a catalog already exists here", path=root,
                            hint="pass --force to replace it")
    return True


def _fill(folder: Path, result: ImportResult, on_paper: Callable[[int, int], None] | None) -> None:
    # Plain writes are enough inside the private temporary folder: it becomes the catalog in
    # one rename, so no reader ever sees a half-written file.
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)
    (folder / SETTINGS_FILE).write_text(settings_to_toml(result.settings), encoding="utf-8")
    total = len(result.papers)
    for done, paper in enumerate(result.papers, 1):
        path = paper_path(folder, paper)
        path.parent.mkdir(exist_ok=True)
        path.write_text(paper_to_toml(paper), encoding="utf-8")
        if on_paper:
            on_paper(done, total)


def iter_problem_lines(result: ImportResult) -> Iterator[str]:
    """Problems as ``source:line: level: message`` lines."""
    for p in result.problems:
        yield f"{result.source}:{p.line}: {p.level}: {p.message}"
