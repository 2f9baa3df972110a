"""One entry of a list page read into a Paper, and the notes an import reports.

An entry is its title line (title, ``[[label]](url)`` links) and its indented lines (authors
and venue, ``Key Word:``, digest), written in the list's dialect (deepphen.dialect).
``read_entry`` turns the raw lines into a Paper, reporting each change or loss as an
``ImportNote`` at its line; ``check_rendering`` and ``keep_verbatim`` compare the entry with
how export writes it. The page reader (deepphen.importer) collects the entries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from deepphen import ids
from deepphen.dialect import (
    KEYWORD_LABEL,
    KEYWORD_LABEL_RE,
    LINK_RE,
    LINK_URL,
    closing_details,
    entry_lines,
    hidden_block_end,
    is_links_line,
    split_unescaped,
    strip_final_period,
    unescape_html,
    unescape_md,
    unescaped_index,
    unescaped_positions,
)
from deepphen.models import Link, Paper
from deepphen.venues import YEAR_RE
from deepphen.verbatim import same_but_format, same_line_but_format

ERROR = "error"  # something on the page could not be represented and was left out
WARNING = "warning"  # imported, but the page breaks a rule or export will write it differently


class ImportNote(NamedTuple):
    """Something the import had to change or leave out, at a line of the page."""

    line: int
    message: str
    level: str


Report = Callable[..., None]  # report(line, message, level=WARNING)

# An item at the margin (an entry's title line, or a sub-line written unindented) and an
# indented one (a sub-line).
ENTRY_RE = re.compile(r"^[-*]\s+(?P<content>.*)$")
SUBLINE_RE = re.compile(r"^(?P<indent>\s+)[-*]\s+(?P<content>.*)$")
DIGEST_RE = re.compile(r"^<details>\s*<summary>\s*digest\s*</summary>(.*)$", re.IGNORECASE)
# The digest as older versions of the list wrote it: a plain '- Digest: text' line.
PLAIN_DIGEST_RE = re.compile(r"^digest\s*:(.*)$", re.IGNORECASE)
AUTHOR_LIST_RE = re.compile(r"^<details>\s*<summary>\s*author list\s*</summary>(.*)$",
                            re.IGNORECASE)
# [[label](url)]: the sibling list's other way of writing the same link (the label
# possessive, as in LINK_RE).
INNER_LINK_RE = re.compile(
    r"\s*\[\[(?P<label>(?:\\.|[^\\\]])*+)\]"
    rf"\((?P<url>{LINK_URL})\)\]"
)


@dataclass
class EntryLines:
    """The raw lines of one entry while the page is read."""

    line: int
    content: str
    section: str
    year: int | None  # None: not under a year subsection, inferred when the entry ends
    subs: list[tuple[int, str, str]] = field(default_factory=list)  # (line, indent, content)
    raw: dict[int, str] = field(default_factory=dict)  # line -> the line as written
    gap: int = 1  # blank lines above the title's line

    def take(self, lineno: int, line: str, report: Report, gap: int = 0) -> bool:
        """Take ``line`` (not the title's, ``gap`` blank lines above it) as one of this
        entry's lines when it reads as one (a sub-line, marked or not, links below the
        title, a digest going on); False when it does not."""
        if not self._take(lineno, line, report):
            return False
        if gap:  # markdown reads the entry the same; export writes its lines together
            report(lineno, "blank line inside the entry dropped")
        return True

    def _take(self, lineno: int, line: str, report: Report) -> bool:
        sub = SUBLINE_RE.match(line) or ENTRY_RE.match(line)
        indented = line.startswith((" ", "\t"))
        if sub:
            self.subs.append((lineno, sub.groupdict().get("indent") or "", sub.group("content")))
        elif line.strip().lower() == "</details>" and self.subs \
                and opens_details(self.subs[-1][2]):
            report(lineno, "closing </details> on its own line dropped (the list leaves it open)")
            return True
        elif indented and is_bare_sub_line(line.strip()):
            # A digest, author list or key-word line indented without its '- ' marker.
            stripped = line.lstrip()
            self.subs.append((lineno, line[:len(line) - len(stripped)], stripped))
        elif indented and not self.subs and is_links_line(line.strip()):
            self.content = f"{self.content.rstrip()} {line.strip()}"
            report(lineno, "links below the title joined to the title line")
        elif indented and self.subs and DIGEST_RE.match(self.subs[-1][2]):
            # A digest wrapped onto the next line: joined with a space.
            ln, ind, content = self.subs[-1]
            self.subs[-1] = (ln, ind, content.rstrip() + " " + line.strip())
            report(lineno, "digest continued on a second line, joined into one")
            return True
        else:
            return False
        self.raw[lineno] = line
        return True


def read_entry(entry: EntryLines, note: Report) -> tuple[Paper, dict[str, int], set[int]]:
    """Turn an entry's lines into a paper, reporting through ``note(line, message, level)``.

    Returns the paper (arXiv id from its links, year as its subsection gave it), the line of
    each kind of line read (title, authors, keywords, digest) and the lines a note already
    explains (for ``check_rendering``).
    """
    known: set[int] = set()

    def report(lineno: int, message: str, level: str = WARNING) -> None:
        known.add(lineno)
        note(lineno, message, level)

    title, links = _title_line(entry, report)
    if entry.raw[entry.line].startswith("*"):
        report(entry.line, "list marker '*' written as '-'")
    paper = Paper(title=title, year=entry.year, section=entry.section, links=links)
    kinds: dict[str, int] = {"title": entry.line}
    for lineno, indent, content in entry.subs:
        kind = _sub_line(paper, lineno, content, report, kinds)
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
    return paper, kinds, known


def check_rendering(paper: Paper, entry: EntryLines, kinds: dict[str, int], known: set[int],
                    report: Report) -> None:
    """Report each line that export will write differently and no message explains yet."""
    rendered = dict(entry_lines(paper))
    for kind, lineno in kinds.items():
        original, new = entry.raw[lineno], rendered.get(kind)
        if new is None or original == new:
            continue
        if lineno in known:
            # Its notes name formatting changes; a change beyond them (markup escaped, a
            # venue made part of a key word) would hide behind them.
            if not same_line_but_format(_explained(original), new):
                report(lineno, f"written differently on export: {_difference(original, new)}")
        elif original.rstrip() == new:
            report(lineno, "trailing spaces dropped")
        elif original.strip() == new.strip():
            report(lineno, "indentation written as '  - '")
        else:
            report(lineno, f"written differently on export: {_difference(original, new)}")


# A separator that ends an empty item ('A;; B', 'A; B;'): the item is dropped (reported).
_EMPTY_ITEM_RE = re.compile(r"[;,](?=[ \t]*(?:[;,]|$))")


def _explained(line: str) -> str:
    """``line`` with the changes its notes name made: empty items dropped, links written
    ``[[label]](url)`` (angle brackets and titles dropped)."""
    def link(m: re.Match[str]) -> str:
        url = m.group("url") if m.group("angled") is None else m.group("angled")
        return f" [[{m.group('label')}]]({url})"
    return _LINK_AFTER_BLANKS_RE.sub(link, _EMPTY_ITEM_RE.sub("", line))


# LINK_RE for a search: its leading blanks taken whole. Without the lookbehind, a search tried
# it from every blank of a run and each try read the rest of the run (quadratic: a digest of
# 80,000 spaces took 32 s); a match never starts inside a run (it would start at the run's
# first blank, as a previous match ends with ')').
_LINK_AFTER_BLANKS_RE = re.compile(r"(?<!\s)" + LINK_RE.pattern)


def keep_verbatim(paper: Paper, entry: EntryLines, report: Report) -> None:
    """Keep an entry that differs from the list's format in formatting only as written,
    so that import then export gives the page back line for line; lint reports such
    entries and ``lint --fix`` rewrites them in the format."""
    original = [entry.raw[n] for n in sorted(entry.raw)]
    canonical = [line for _, line in entry_lines(paper)]
    if original != canonical and same_but_format(original, canonical):
        paper.verbatim = original
        report(entry.line, "entry kept as written until 'deepphen lint --fix' "
                           "applies the changes reported on its lines")


def _title_line(entry: EntryLines, report: Report) -> tuple[str, list[Link]]:
    """The title and links of an entry's first line."""
    content = entry.content
    cut = unescaped_index(content, "[[")
    title_part = content if cut < 0 else content[:cut]
    rest = "" if cut < 0 else content[cut:]
    links, pos = [], 0
    while True:
        m = LINK_RE.match(rest, pos)
        inner = INNER_LINK_RE.match(rest, pos) if m is None else None
        if inner is not None:
            report(entry.line, f"link [[{inner.group('label')}](...)] written as "
                               f"[[{inner.group('label')}]](...)")
            links.append(Link(unescape_md(inner.group("label")), inner.group("url")))
            pos = inner.end()
            continue
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
        report(entry.line, f"text after the links left out: {short(tail.strip())}", ERROR)
    title, had_period = strip_final_period(title_part.strip())
    title = title.rstrip()  # export writes none before its period ("- - ." came back "-")
    if not had_period and not title.endswith(("?", "!")):
        report(entry.line, "title has no final period (export adds one)")
    if not title:
        report(entry.line, "entry has no title")
    return unescape_md(title), links


def _sub_line(paper: Paper, lineno: int, content: str, report: Report,
              kinds: dict[str, int]) -> str | None:
    """Read one indented line of an entry into the paper; returns its kind."""
    plain = PLAIN_DIGEST_RE.match(content)
    digest = DIGEST_RE.match(content) or plain
    authors = AUTHOR_LIST_RE.match(content)
    keywords = KEYWORD_LABEL_RE.match(content)
    if not (digest or authors or keywords) and (misspelt := _misspelt_label(content)):
        # Not an authors line (a second one, or names that are key words).
        report(lineno, f"key-word line with a misspelt label ({misspelt!r} for "
                       f"{KEYWORD_LABEL!r}), left out: {short(content)}", ERROR)
        return None
    kind = ("digest" if digest else "authors" if authors
            else "keywords" if keywords else "authors")
    if kind in kinds:
        report(lineno, f"second {kind} line in one entry, left out: {short(content)}", ERROR)
        return None
    kinds[kind] = lineno
    if plain:
        report(lineno, "plain 'Digest:' line written as a <details> digest")
        text = plain.group(1)
        text = text[1:] if text.startswith(" ") else text
        paper.digest = unescape_html(text) if text.strip() else None
        if paper.digest is None:
            report(lineno, "empty digest dropped")
    elif digest:
        text = _details_text(digest.group(1), lambda message: report(lineno, message))
        paper.digest = unescape_html(text) if text.strip() else None
        if paper.digest is None:
            report(lineno, "empty digest dropped")
    elif keywords:
        label, text = keywords.group(1), keywords.group(2)
        if label + ":" != KEYWORD_LABEL:
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
        paper.authors, paper.venue = _authors(lineno, text, report)
        # An empty author list is not written back: nothing to collapse.
        paper.authors_collapsed = bool(authors) and bool(paper.authors or paper.venue)
    return kind


# A label that is the key-word label mistyped further than KEYWORD_LABEL_RE reads
# ('Ke Word:', 'Kew Word:'): close to it letter for letter.
_LABEL_RE = re.compile(r"^([A-Za-z][A-Za-z \t]{0,11}):")
_MISSPELT_CLOSENESS = 0.85


def _misspelt_label(content: str) -> str | None:
    """The label of ``content`` when it is a misspelt ``Key Word:``, else None."""
    m = _LABEL_RE.match(content)
    if m is None:
        return None
    folded = "".join(m.group(1).split()).lower()
    close = difflib.SequenceMatcher(None, folded, "keyword").ratio() >= _MISSPELT_CLOSENESS
    return f"{m.group(1)}:" if close else None


def _authors(lineno: int, text: str, report: Report) -> tuple[list[str], str | None]:
    """The author names and the venue (between '*') of an authors line."""
    text = text.strip()
    venue = None
    # One scan for the unescaped '*': testing each one's escapes from the line's start was
    # quadratic (a line of a million '*' took a minute).
    stars = unescaped_positions(text, "*")
    if stars and stars[-1] == len(text) - 1:
        stars.pop()
        if stars:
            venue = unescape_md(text[stars[-1] + 1:-1]).strip() or None
            text = text[:stars[-1]].rstrip()
    names = _read_list(text, ",", ";", ("authors", "authors", "author name"),
                       lambda message: report(lineno, message))
    return names, venue


def year_clue(paper: Paper) -> str:
    """Date an entry outside any year group by its arXiv id, else the last year in its venue;
    returns which ("its arXiv id", "its venue"), or "" (year 0) when neither dates it."""
    if paper.arxiv:
        paper.year = ids.id_year(paper.arxiv)
        return "its arXiv id"
    if paper.venue and (found := YEAR_RE.findall(paper.venue)):
        paper.year = int(found[-1])
        return "its venue"
    paper.year = 0
    return ""


def opens_details(text: str) -> bool:
    """True for an entry's digest or author-list line (each opens a <details> block)."""
    return bool(DIGEST_RE.match(text) or AUTHOR_LIST_RE.match(text))


def is_bare_sub_line(text: str) -> bool:
    """True for an entry's digest, author-list or key-word line written without '- '."""
    return opens_details(text) or bool(KEYWORD_LABEL_RE.match(text))


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
    elif any(len(split_unescaped(piece, alt)) > 1 for piece in pieces):
        # Both on one line ("A; B, C."): the pages mean a list of three, not an item "B, C".
        pieces = [part for piece in pieces for part in split_unescaped(piece, alt)]
        report(f"{plural} separated by both '{sep}' and '{alt}' (written with '{sep}')")
    items = [unescape_md(piece.strip()) for piece in pieces]
    if text and not all(items):
        report(f"empty {singular} dropped")
    return [item for item in items if item]


def _details_text(text: str, report: Callable[[str], None]) -> str:
    """The text after ``<summary>...</summary>``: one separating space and a closing
    ``</details>`` removed, the rest as written."""
    text = text[1:] if text.startswith(" ") else text
    closed = closing_details(text)
    if closed >= 0:
        text = text[:closed]
        report("closing </details> dropped (the list leaves it open)")
    return text


def _arxiv_from_links(links: list[Link]) -> str | None:
    """The arXiv id of the entry: from its paper link, else from its first arXiv link."""
    ordered = sorted(links, key=lambda link: link.label != "paper")
    for link in ordered:
        found = ids.arxiv_id_from_url(link.url)
        if found:
            return found
    return None


# A list item ('- ', '* ', '+ ', '1. '), quoted or indented as may be: where an entry's title
# line may stand when the page reader does not take it for one.
_ITEM_RE = re.compile(r"^[\s>]*(?:[-*+]|\d{1,9}[.)])\s+(?P<content>.*)$")
# The list's template entry ('[[paper]](https://arxiv.org/abs/xxxx.xxxx)') names no paper.
_PLACEHOLDER_URL_RE = re.compile(r"x{4}", re.IGNORECASE)


def paper_entry(line: str) -> str | None:
    """What names the paper of ``line`` when it reads as an entry's title line (a list item:
    title, then a ``[[label]](url)`` link to a real paper): ``arXiv <id>``, else its title
    quoted; None for any other line."""
    item = _ITEM_RE.match(line)
    content = item.group("content") if item else ""
    if is_bare_sub_line(content) or PLAIN_DIGEST_RE.match(content):
        return None  # a digest or key-word line may hold links too
    cut = unescaped_index(content, "[[")
    link = LINK_RE.match(content, cut) if cut > 0 and content[:cut].strip() else None
    if link is None:
        return None
    url = link.group("url") if link.group("angled") is None else link.group("angled")
    if (found := ids.arxiv_id_from_url(url)) is not None:
        return f"arXiv {found}"
    if _PLACEHOLDER_URL_RE.search(url) or not url.lower().startswith(("http://", "https://")):
        return None
    return short(content[:cut])


def closing_text(lines: list[str], i: int, report: Report) -> str:
    """The closing: from the heading (line index ``i - 1``) to the last line not blank
    (spaces kept there would add a blank line each import/export round)."""
    end = len(lines)
    while end > i and not lines[end - 1].strip():
        end -= 1
    # Kept as text: an entry there (a section written '# Topic', one after it) is lost.
    report_lost_entries(lines, i - 1, end, f"the closing (from line {i})", report)
    return "\n".join(lines[i - 1:end])


def gap_note(lineno: int, gap: int, what: str, report: Report) -> None:
    """Report ``what`` on ``lineno`` when ``gap`` blank lines above it are not the one export
    writes."""
    if gap != 1:
        report(lineno, f"{gap or 'no'} blank line{'' if gap == 1 else 's'} above {what}: "
                       "export writes one")


def report_lost_entries(lines: list[str], start: int, end: int, where: str,
                        report: Report) -> None:
    """Report, as an error each, the entries among ``lines[start:end]`` (a block the page keeps
    as text: the closing, the intro) that were not imported; ``where`` names the block.
    Entries in HTML comments and code blocks are not shown by the page: not counted."""
    i = start
    while i < end:
        hidden = hidden_block_end(lines, i)
        if hidden is not None:
            i = hidden
            continue
        if (paper := paper_entry(lines[i])) is not None:
            report(i + 1, f"entry in {where}, kept as text: not imported ({paper})", ERROR)
        i += 1


def short(text: str, limit: int = 60) -> str:
    """A line quoted for a note: stripped, cut at ``limit`` characters."""
    text = text.strip()
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _common_length(a: str, b: str, chunk: int = 4096) -> int:
    """How many characters ``a`` and ``b`` start with in common: compared a chunk at a time,
    then a character at a time in the chunk that differs (a 60 MB title is no 60 million
    steps of Python)."""
    n = 0
    while n < min(len(a), len(b)) and a[n:n + chunk] == b[n:n + chunk]:
        n += chunk
    n = min(n, len(a), len(b))
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _difference(original: str, new: str) -> str:
    """The part of two lines that differs, with a little context."""
    start = _common_length(original, new)
    end = _common_length(original[start:][::-1], new[start:][::-1])
    lo = max(0, start - 10)
    return (f"{original[lo:len(original) - end][:50]!r} -> {new[lo:len(new) - end][:50]!r}")
