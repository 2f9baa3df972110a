"""The list's markdown dialect: escaping, the entry format and year headings.

Everything both directions agree on lives here, so that text escaped on export reads back
unchanged on import: the two escaping contexts (markdown text and raw-HTML lines) and safe
URLs; how one paper is written as an entry (``entry_lines``; when an imported entry's own lines
may stand for it is deepphen.verbatim's); how a section's year subsections are headed; and
which blocks the page does not show (HTML comments, fenced code).
"""

from __future__ import annotations

import html
import html.entities
import re
import string

from deepphen.layout import Layout
from deepphen.models import Paper, Section
from deepphen.printable import CI_HASH_FOLLOWS, ci_inert_document, ci_inert_url, strip_controls


def page_text(text: str) -> str:
    """A page's text as both directions compare it: no byte-order mark (some editors write
    one; it is no text) and '\n' line ends (a checkout with CR LF reads as the same page)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------------------------
# Escaping. Two contexts: ordinary markdown text (title, authors, venue, key words, link labels),
# where a backslash makes any ASCII punctuation literal; and raw-HTML lines (the digest and the
# collapsed author list sit inside <details>, where markdown escapes do not work), where only
# an HTML entity can make '<' literal.
# --------------------------------------------------------------------------------------------

# Characters that would start markdown structure anywhere in a line: links and images ([ ]),
# HTML and autolinks (<), emphasis (*, which also delimits the venue), code spans (`) and
# GFM strike-through (~).
_MD_SPECIAL = "[]<*`~"
# '&' that would start a character reference ("&amp;", "&#42;", "&#x2A;").
_ENTITY_RE = re.compile(r"&(?=(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});)")
# What GFM links without brackets: "scheme://", "www." and "name@host" (the ':', '.' and '@'
# escaped break the pattern; an escaped character is never part of an autolink).
# Each branch starts with its character and looks behind it after: the regex engine then
# skips to those characters instead of trying three lookbehinds at every position.
_AUTOLINK_RE = re.compile(r"(:)(?<=[A-Za-z0-9]:)(?=//)|[wW](?<![A-Za-z0-9][wW])(?i:ww)(\.)"
                          r"|(@)(?<=[A-Za-z0-9._+-]@)(?=[A-Za-z0-9])")
# Characters that start a block (heading, quote, list, fence, table, setext line) at the start.
_BLOCK_START = "#>-+=~|"
_ORDERED_START_RE = re.compile(r"^(\d{1,9})([.)])")
_UNESCAPE_MD_RE = re.compile(rf"\\([{re.escape(string.punctuation)}])")
_TAG_START = r"(?=[A-Za-z/!?])"
# '<' that starts a tag, or '&' that starts a character reference in raw HTML: there a
# number needs no ';' ("&#60"), nor do the legacy names ("&lt", "&copy 2020", "&notin"
# read as "¬in"); "G&C" is text.
_LEGACY_NAMES = "|".join(sorted((k for k in html.entities.html5 if not k.endswith(";")),
                                key=len, reverse=True))
_HTML_REFERENCE = (r"(?=#[0-9]|#[xX][0-9a-fA-F]|[A-Za-z][A-Za-z0-9]{0,31};"
                   rf"|(?:{_LEGACY_NAMES}))")
_ESCAPE_HTML_RE = re.compile(rf"<{_TAG_START}|&{_HTML_REFERENCE}")
_UNESCAPE_HTML_RE = re.compile(rf"&lt;|&amp;{_HTML_REFERENCE}|&#35;{CI_HASH_FOLLOWS}")
# The '#' opening a CI command ("##[warning]" anywhere in a line of the page) is written
# "&#35;": the page shows '#', a CI log that prints the page (export to a pipe) runs nothing.
_CI_HASH = "&#35;"
KEYWORD_LABEL_RE = re.compile(r"^(key\s*w\w{0,5})\s*:(.*)$", re.IGNORECASE)

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
UNSAFE_URL = "#unsafe-url-removed"
_URL_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_ENCODE_RE = re.compile(r"[\s()<>\\\"]")


def _balanced_url(depth: int) -> str:
    inner = r"[^()\s]*"
    for _ in range(depth):
        inner = rf"[^()\s]*(?:\({inner}\)[^()\s]*)*"
    return inner


# A link's URL as GitHub reads it in ``[text](url)``: no blank, and parentheses only balanced
# (.../Grokking_(machine_learning)). Every reader of markdown links uses this. Nested 8 deep
# (cmark reads 32; each level costs compile time at import, and no real URL nests 3).
LINK_URL = _balanced_url(8)


def fold_lines(text: str) -> str:
    """Line breaks become a space and other control or bidi-formatting characters are dropped
    (``printable.strip_controls``): a field stays on its line and none can end a line early,
    hide what starts one or reorder what the reader sees. Done before any escaping."""
    return strip_controls(text)


def escape_md(text: str, separators: str = "", *, line_start: bool = False) -> str:
    """Make ``text`` literal in markdown: no link, HTML, emphasis, code or block can start in it.

    ``separators`` are escaped too, so a list split on them reads back whole; ``line_start``
    also escapes what would open a block at the start of a line. Ordinary text is unchanged.
    The exact inverse is ``unescape_md``.
    """
    text = fold_lines(text)
    if line_start:
        # Leading spaces would indent the line into a code block or hide a '#' or '>' from
        # the check below; trailing ones would end the line in a hard break.
        text = text.strip(" ")
    out = []
    special = _MD_SPECIAL + separators
    marks = {m.start(): True for m in _ENTITY_RE.finditer(text)}
    marks.update((m.start(m.lastindex), True) for m in _AUTOLINK_RE.finditer(text))
    # Only these characters can change; the runs between them are copied whole (a loop over
    # every character made a title of 60 MB take a minute).
    runs = "".join(sorted(set(special) - {"\\", "_"}))  # escaped wherever they stand
    others = "".join(sorted({"\\", "_"} | {text[i] for i in marks}))
    pos = 0
    if line_start and text and text[0] in _BLOCK_START and text[0] not in special:
        out.append("\\" + text[0])  # e.g. a '#' that would open a heading; '~' is in runs
        pos = 1
    for m in re.compile(f"([{re.escape(runs)}]+)|[{re.escape(others)}]").finditer(text, pos):
        i, ch = m.start(), m.group()
        out.append(text[pos:i])
        pos = m.end()
        if m.group(1):
            out.append("\\" + "\\".join(ch))
        elif ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            # A backslash escapes only punctuation, so only there (or at the end, before the
            # period the format adds) must it be doubled to stay a backslash.
            out.append("\\\\" if nxt == "" or nxt in string.punctuation else "\\")
        elif ch in special or i in marks or (ch == "_" and not _intraword(text, i)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    out.append(text[pos:])
    escaped = "".join(out)
    if line_start:
        escaped = _ORDERED_START_RE.sub(r"\1\\\2", escaped, count=1)
    return escaped


def _intraword(text: str, i: int) -> bool:
    """True for a '_' between two letters or digits ("snake_case"), which cannot emphasise."""
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def unescape_md(text: str) -> str:
    """Undo ``escape_md``: a backslash before ASCII punctuation is dropped."""
    return _UNESCAPE_MD_RE.sub(r"\1", text)


def escape_html(text: str) -> str:
    """Make ``text`` literal inside a raw-HTML line: '<' that would open a tag becomes '&lt;'
    and '&' that could start a character reference ("&amp;", "&#42;", and without the ';'
    that raw HTML does not need: "&lt", "&copy") becomes '&amp;'.

    ``unescape_html`` gives the text back exactly.
    """
    text = _ESCAPE_HTML_RE.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;",
                               fold_lines(text))
    # No line break is left, so no "::" can start a line: only "##[" needs writing otherwise.
    return ci_inert_document(text, _CI_HASH, ":")


def ci_inert_markdown(text: str) -> str:
    """Markdown (a whole page) in which no line opens a CI command: the '#' of "##[" is
    written "&#35;" and the first ':' of "::" at a line's start "&#58;", character references
    that show the same text (but in a code block). Ordinary text is unchanged."""
    return ci_inert_document(text, _CI_HASH, "&#58;")


def unescape_html(text: str) -> str:
    """Undo ``escape_html``."""
    return _UNESCAPE_HTML_RE.sub(
        lambda m: {"&lt;": "<", _CI_HASH: "#"}.get(m.group(), "&"), text)


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
    url = _URL_ENCODE_RE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)
    return ci_inert_url(url)  # the page printed in a CI log


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


def unescaped_positions(text: str, char: str) -> list[int]:
    """Indices of every unescaped ``char`` in ``text``, in one pass (the regex consumes each
    backslash escape whole, so an escaped ``char`` is never matched)."""
    pattern = _POSITIONS_RE.get(char)
    if pattern is None:
        pattern = _POSITIONS_RE[char] = re.compile(rf"\\.|{re.escape(char)}", re.DOTALL)
    return [m.start() for m in pattern.finditer(text) if m.group() == char]


_POSITIONS_RE: dict[str, re.Pattern[str]] = {}


def unescaped_index(text: str, target: str) -> int:
    """Index of the first unescaped occurrence of ``target`` in ``text``, or -1.

    Read left to right, a backslash escapes the character after it: an occurrence counts
    when the run of backslashes just before it is even. Found with ``str.find``, each run
    counted once (a character at a time, a 60 MB title took seconds)."""
    if target.startswith("\\"):
        return -1  # a backslash read is always an escape, never the start of a match
    i = text.find(target)
    while i >= 0:
        k = i
        while k and text[k - 1] == "\\":
            k -= 1
        if (i - k) % 2 == 0:
            return i
        i = text.find(target, i + 1)
    return -1


def strip_final_period(text: str) -> tuple[str, bool]:
    """Drop the period the format adds after a field; False when there is none.

    The period is escaped (``\\.``) after a field that is only digits, where ``12.`` would
    open an ordered list; both forms are dropped.
    """
    if not text.endswith("."):
        return text, False
    return (text[:-1] if ends_unescaped(text, ".") else text[:-2]), True


def ends_unescaped(text: str, char: str) -> bool:
    """True when ``text`` ends with ``char`` and that last character is not escaped."""
    if not text.endswith(char):
        return False
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return backslashes % 2 == 0


# --------------------------------------------------------------------------------------------
# Year subsections: "<heading>: YYYY", or the style the imported page used ("YYYY",
# "<heading> (YYYY)"); the year itself is found with venues.YEAR_RE.
# --------------------------------------------------------------------------------------------

_HEADING_YEAR_SEPARATORS = " \t:-\u2013\u2014("


def year_heading(section: Section, year: int) -> str:
    """The heading of a section's year subsection: "<heading>: <year>", or the section's own
    ``year_heading`` style as the imported page wrote it."""
    if section.year_heading is None:
        return f"{section.heading}: {year}"
    return section.year_heading.replace("{year}", str(year), 1)


def group_year(year: int, layout: Layout) -> int:
    """The year of the group a paper of ``year`` is written under (the floor gathers)."""
    floor = layout.year_floor
    return year if floor is None or year > floor else floor


def group_label(section: Section, year: int, layout: Layout) -> str:
    """The label of a year group: "<heading>: <year>" in the section's style, the floor
    group's year written as ``year_floor_label`` ("2019 and Before")."""
    label = year_heading(section, year)
    if layout.year_floor is not None and year == layout.year_floor:
        text = layout.year_floor_label.replace("{year}", str(year), 1)
        head, _, tail = label.rpartition(str(year))
        label = head + text + tail
    return label


def year_style(text: str, year: re.Match[str], section_heading: str) -> str | None:
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


# An ATX heading: one to six '#' then a space, a tab or the line's end (CommonMark); GitHub
# shows '#hashtag' or '##Title' as text.
HEADING_RE = re.compile(r"^#{1,6}(?=[ \t]|$)")


def is_heading(line: str) -> bool:
    """True for a line markdown reads as an ATX heading at the margin."""
    return HEADING_RE.match(line) is not None


def hidden_block_end(lines: list[str], start: int) -> int | None:
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


# --------------------------------------------------------------------------------------------
# The entry format: a paper's lines on the page.
# --------------------------------------------------------------------------------------------

IMAGE_ALT = "avatar"  # the alt text of a section's image
DIGEST_PREFIX = "<details><summary>Digest</summary>"
AUTHOR_LIST_PREFIX = "<details><summary>Author List</summary>"
KEYWORD_LABEL = "Key Word:"
# [[label]](url), the URL also in angle brackets and with a title ("..." '...' (...)). The
# label possessive ('*+'; it ends at the first ']' no escape takes either way): a repeat that
# could backtrack kept ~150 bytes per character of a label that never closes.
LINK_RE = re.compile(
    r"\s*\[\[(?P<label>(?:\\.|[^\\\]])*+)\]\]"
    rf"\((?:<(?P<angled>[^<>\n]*)>|(?P<url>{LINK_URL}))"
    r"(?:\s+(?P<title>\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)

# The tag that closes a digest or author list (the list leaves it open): HTML's tag names
# are ASCII, any case ('</detailſ>' closes nothing).
_CLOSE_DETAILS_RE = re.compile(r"</details>", re.IGNORECASE | re.ASCII)


def closing_details(text: str, blanks: str | None = None) -> int:
    """Where a closing ``</details>`` at the end of ``text`` starts, with the ``blanks``
    before it (``str.rstrip``'s characters: any white space when None); -1 when there is
    none. Not one regex: ``\\s*</details>\\s*$`` searched from every blank of a long run (a
    digest padded with 80,000 spaces took 48 s)."""
    body = text.rstrip(blanks)
    start = len(body) - len("</details>")
    if start < 0 or not _CLOSE_DETAILS_RE.fullmatch(body, start):
        return -1
    return len(body[:start].rstrip(blanks))


def is_links_line(text: str) -> bool:
    """True for a line of ``[[label]](url)`` links alone (an older page's links below the
    title, which markdown reads as the title's paragraph going on)."""
    pos, found = 0, False
    while (m := LINK_RE.match(text, pos)) is not None and m.end() > pos:
        pos, found = m.end(), True
    return found and text[pos:].strip() in ("", "\\")


_DIGITS_RE = re.compile(r"^\d{1,9}\Z")
# The end of a misbracketed link '[[label](url)]', from its label's closing bracket on.
_INNER_LINK_TAIL_RE = re.compile(rf"\]\(({LINK_URL})\)\]")


# A link label read from a position on: escapes paired from there, to the first ']' that
# none escapes; stops short of it at a lone backslash (before a line break, or last).
_LABEL_RE = re.compile(r"(?:\\[^\n]|[^\\\]])*+")


def unbracket_inner_links(text: str) -> str:
    """Each '[[label](url)]' (a link misbracketed) as '[[label]](url)', leftmost first, the
    label up to the first ']' no backslash escapes. Linear: the regex this replaces rescanned
    the rest of the line from every '[[' (a title of 50,000 '[' took 33 s to import). The
    label read after any '[[' ends at the same bracket (its escapes pair the same way, as a
    '[' precedes it), so each bracket is tried once."""
    start = text.find("[[")
    if start < 0:
        return text
    failed: set[int] = set()
    out, pos = [], 0
    scanned = (-1, -1, -1)  # the last label read: from, to, where it ended (-1: no ']')
    while start >= 0:
        # A label read after a later '[[' inside the last one ends where that one did (its
        # '[' pairs no escape), so each character is read once: no table of every position.
        if not scanned[0] <= start + 2 <= scanned[1]:
            label = _LABEL_RE.match(text, start + 2)
            stop = label.end()
            scanned = (start + 2, stop, stop if text.startswith("]", stop) else -1)
        end = scanned[2]
        tail = None if end < 0 or end in failed else _INNER_LINK_TAIL_RE.match(text, end)
        if tail is None:
            failed.add(end)
            # Every '[[' whose label starts inside the one just read fails the same way.
            start = text.find("[[", max(start + 1, scanned[1] - 1))
            continue
        out += [text[pos:start], "[[", text[start + 2:end], "]](", tail.group(1), ")"]
        pos = tail.end()
        start = text.find("[[", pos)
    return "".join(out) + text[pos:]


def _title_line(paper: Paper) -> str:
    title = escape_md(paper.title, line_start=True)
    if not title.endswith(("?", "!")):
        title += _period_after(title)
    links = " ".join(f"[[{escape_md(link.label)}]]({safe_url(link.url)})" for link in paper.links)
    return f"- {title} {links}" if links else f"- {title}"


def _period_after(text: str) -> str:
    """The period that ends a field; escaped after bare digits, where "12." opens a list."""
    return "\\." if _DIGITS_RE.match(text) else "."


def _authors_text(paper: Paper) -> str | None:
    # Folded first, then stripped: a venue of spaces or controls shows nothing, and spaces
    # inside its '*' would keep the emphasis from closing.
    venue = fold_lines(paper.venue or "").strip()  # Unicode spaces (U+00A0) too
    if not paper.authors and not venue:
        return None
    names = [escape_md(name, ",;", line_start=i == 0) for i, name in enumerate(paper.authors)]
    text = ", ".join(names) + _period_after(names[-1]) if names else ""
    if venue:
        text = f"{text} *{escape_md(venue)}*".lstrip()
    if KEYWORD_LABEL_RE.match(text):
        # An author called e.g. "Key Words: X" must not read back as the key-word line.
        text = text.replace(":", "\\:", 1)
    if paper.authors_collapsed:
        return f"{AUTHOR_LIST_PREFIX} {escape_html(text)}"
    return text


def entry_lines(paper: Paper) -> list[tuple[str, str]]:
    """The entry's lines with their kinds: title, authors, keywords, digest (those present)."""
    lines = [("title", _title_line(paper))]
    authors = _authors_text(paper)
    if authors is not None:
        lines.append(("authors", f"  - {authors}"))
    if paper.keywords:
        words = "; ".join(escape_md(word, ";,") for word in paper.keywords)
        lines.append(("keywords", f"  - {KEYWORD_LABEL} {words}."))
    if paper.digest and fold_lines(paper.digest).strip():
        lines.append(("digest", f"  - {DIGEST_PREFIX} {escape_html(paper.digest)}"))
    return lines
