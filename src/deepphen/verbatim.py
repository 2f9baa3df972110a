"""An entry kept as written (a paper's ``verbatim`` lines): whether its lines differ from
the list's format (deepphen.dialect.entry_lines) in formatting only, and the lines export writes.

Import keeps such an entry's lines so that export gives the page back line for line; export
writes them only while every token that is not formatting still matches the paper's fields,
so verbatim lines can never carry text, HTML or links the fields do not. Lint reports them
(DP504, DP505) and ``lint --fix`` drops them.
"""

from __future__ import annotations

import re
import string

from deepphen.dialect import (
    DIGEST_PREFIX,
    KEYWORD_LABEL,
    LINK_URL,
    closing_details,
    entry_lines,
    is_links_line,
    unbracket_inner_links,
)
from deepphen.models import Paper
from deepphen.printable import opens_ci_command

# What a verbatim entry may differ in from the list's format (see same_but_format).
_MARKER_RE = re.compile(r"^[ \t]*[-*](?:[ \t]+|$)")  # "-x" is text, not a marker
_LABEL_RE = re.compile(r"^key[ \t]*w[a-z]*[ \t]*:", re.IGNORECASE)
_BREAK_RE = re.compile(r"\\[ \t]*$")


def _drop_close(text: str) -> str:
    """``text`` without a closing ``</details>`` (and the spaces or tabs around it) at its end,
    as import reads one (deepphen.dialect.closing_details). Only spaces and tabs: any other
    blank is text the fields do not hold (a control character). A final line break stays."""
    line, end = (text[:-1], "\n") if text.endswith("\n") else (text, "")
    cut = closing_details(line, " \t")
    return text if cut < 0 else line[:cut] + end


# A line's content that markdown would read as a block of its own (heading, quote, list,
# fence, table, thematic break, HTML, indented code) rather than as the entry's text.
_BLOCK_OPENER_RE = re.compile(r"^(?:#{1,6}(?:\s|$)|[>|<]|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)"
                              r"|```|~~~|[=-]+\s*$)")
# A link's destination is one token: a period or space dropped inside it would lead elsewhere
# ("arxiv.org" is not "arxivorg") or break the link.
# An HTML tag too: "< summary>" is text, not the tag.
_TOKEN_RE = re.compile(rf"\]\((?:{LINK_URL})\)|</?[A-Za-z][^<>]*>"
                       rf"|\\[{re.escape(string.punctuation)}]|.", re.DOTALL)
# A list marker and the spaces after it (see _keeps_the_list).
_MARKED_RE = re.compile(r"[-*] {1,4}(?![ \t])")
_PLAIN_DIGEST_RE = re.compile(r"^digest\s*:", re.IGNORECASE)
_LIVE_IN_TEXT_RE = re.compile(r"\]\(|<|://|www\.", re.IGNORECASE)  # links, autolinks, HTML
_DROPPED = frozenset({" ", "\t", "."})  # spacing and a plain period: formatting only
# A run of characters no longer token starts at (a link's destination, a tag, an escape, a
# live '*'): each character its own token, so the whole run is read at once (see _tokens).
# Possessive ('++'): a backtracking repeat kept ~150 bytes per character of a huge line.
_SCAN_RE = re.compile(rf"(?P<run>(?:[^\]<\\*]|\](?!\((?:{LINK_URL})\))|<(?!/?[A-Za-z][^<>]*>)"
                      rf"|\\(?![{re.escape(string.punctuation)}]))++)"
                      rf"|(?P<escapes>(?:\\[{re.escape(string.punctuation)}])++)"
                      rf"|{_TOKEN_RE.pattern}", re.DOTALL)
_ESCAPE = "\0002:\\"  # _token of an escape, but for the escaped character
# A run's tokens as _token writes them: spacing and periods dropped, ';' read as ',', and
# with the text alone (markup=False) a lone backslash dropped too.
_PLAIN = str.maketrans({" ": None, "\t": None, ".": None, ";": ",", "\0": "\0\0"})
_PLAIN_TEXT = str.maketrans({" ": None, "\t": None, ".": None, ";": ",", "\0": "\0\0",
                             "\\": None})


def _tokens(line: str, *, markup: bool) -> str | None:
    """A line as the tokens formatting cannot change, or None when its content would open a
    block; the tokens are written as one string (see ``_token``), equal for two lines
    exactly when their tokens are, so a huge line costs a string, not a list of one object
    per character. An escaped character is one token (``\\[`` is text, ``[`` is markup), so dropping
    a space or period can never turn an escape into live markup; so are a link's destination
    and an HTML tag, and a live ``*`` carries whether a space is beside it. With
    ``markup=False`` the escapes are dropped too (the text alone)."""
    marker = _MARKER_RE.match(line)
    text = line[marker.end():] if marker else line.lstrip(" \t")
    text = unbracket_inner_links(text)  # '[[label](url)]': the link, misbracketed
    if marker and len(marker.group()) - len(marker.group().rstrip(" ")) > 4:
        return None  # five spaces after the marker: the content is indented code
    if markup and text.startswith("<") and not text.startswith(("<details>", "<details ")):
        return None
    if markup and _BLOCK_OPENER_RE.match(text) and not text.startswith("<details"):
        return None
    text = _LABEL_RE.sub(KEYWORD_LABEL, text, count=1)
    plain = _PLAIN_DIGEST_RE.match(text)
    if plain:
        # An older page's plain 'Digest:' line says what the <details> digest line says, as
        # long as its text holds nothing that is live outside the HTML block (a link, a tag).
        if markup and _LIVE_IN_TEXT_RE.search(text):
            return None
        text = DIGEST_PREFIX + text[plain.end():]
    text = _BREAK_RE.sub("", _drop_close(text))
    # Content that starts with a tag is an HTML block (the digest's), any other a paragraph.
    out = [_token("<block>")] if markup and text.startswith("<") else []
    table = _PLAIN if markup else _PLAIN_TEXT
    for m in _SCAN_RE.finditer(text):
        token = m.group()
        if m.lastgroup == "run":  # characters that are each a token of their own, at once
            out.append(token.translate(table))
            continue
        if m.lastgroup == "escapes":  # escapes, each one token: '\\;' read as '\\,'
            chars = token[1::2].replace(";", ",")
            out.append(_ESCAPE + _ESCAPE.join(chars) if markup else chars.translate(table))
            continue
        if len(token) <= 2:  # a character or an escape: ';' against ',' is formatting
            token = token.replace(";", ",")
        if token == "*" and markup:
            # Whether a '*' opens or closes emphasis depends on the spaces beside it: those
            # are no formatting to drop ("*ICLR 2022 *" shows its asterisks).
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            token = f"*{before.isspace():d}{after.isspace():d}"
        elif not markup and len(token) > 1:
            # The text alone: an escape is its character, a tag or link its characters.
            chars = token[1] if token[0] == "\\" else token.replace(";", ",")
            out.append(chars.translate(_PLAIN_TEXT))
            continue
        if token not in _DROPPED and (markup or token != "\\"):
            out.append(_token(token))
    return "".join(out)


def _token(token: str) -> str:
    """One token in the string ``_tokens`` returns: a character as itself (NUL doubled), a
    longer token as NUL, its length, ':' and itself, so no two token lists give one string."""
    if len(token) == 1:
        return "\0\0" if token == "\0" else token
    return f"\0{len(token)}:{token}"


def _columns(text: str) -> int:
    """The column ``text`` (blanks) ends at, tabs stopping at multiples of four."""
    column = 0
    for ch in text:
        column = column + 4 - column % 4 if ch == "\t" else column + 1
    return column


def _keeps_the_list(lines: list[str]) -> bool:
    """True when no line's indentation makes markdown read the entry otherwise than the
    list's format, beyond what imported pages do: a line without its marker (text runs into
    the line above), and a last line with its marker at the margin (a digest: an HTML block
    runs on to the next blank line, so no line of the entry may follow one outside its own
    item). The title's marker is at the margin; no
    line reaches the column four past where the title's text starts (there it is code), nor
    does a marked line reach the column where the marked line above starts its text (there
    it is an item inside that one), nor a line without a marker the title's text; one to
    four spaces follow each marker (a tab or five make code)."""
    title = _MARKED_RE.match(lines[0])
    if title is None:
        return False
    start = len(title.group())
    inside = start + 4  # where a marked line's marker must stay before
    for n, line in enumerate(lines[1:], 2):
        rest = line.lstrip(" \t")
        indent = _columns(line[:len(line) - len(rest)])
        if indent >= start + 4:
            return False
        if rest[:1] in ("-", "*") and rest[1:2] in (" ", "\t"):  # a marker
            marked = _MARKED_RE.match(rest)
            if marked is None or indent >= inside or (indent < start and n < len(lines)):
                return False
            inside = min(start + 4, indent + len(marked.group()))
        elif not 0 < indent <= start or (rest.startswith("<") and n < len(lines)):
            return False
    return True


def same_but_format(lines: list[str], canonical: list[str], *, markup: bool = True) -> bool:
    """True when ``lines`` say what ``canonical`` says and differ in formatting only.

    Formatting is spacing, a plain period, ';' against ',', the list marker, the key-word
    label's spelling, a closing ``</details>``, a trailing line-break backslash, a link
    written ``[[label](url)]``, links on lines of their own below the title and a plain
    ``Digest:`` line for the ``<details>`` one (when its text has nothing live); never what
    is markup, nor a line that opens a CI command (``::`` at its start, ``##[``). Every
    other token must match in order, escapes included, so verbatim lines can neither carry
    text the paper's fields do not (HTML, links, an unescaped bracket), nor turn escaped
    text live (``\\.[`` is not ``\\[``), nor outlive an edit of the fields. With
    ``markup=False`` only the text is compared (escapes ignored): lines that agree on the
    text but not on the markup are what lint reports as an error.
    """
    if any("\n" in line or "\r" in line for line in lines):
        return False
    if markup and lines and not _keeps_the_list(lines):
        return False
    # A line without its marker may start with a field's text: "::error file=...::" there
    # would run as a command where the page is printed in a CI log.
    if markup and any(opens_ci_command(line) for line in lines):
        return False
    lines = _title_joined(lines)
    if len(lines) != len(canonical):
        return False
    for line, model in zip(lines, canonical, strict=True):
        mine, theirs = _tokens(line, markup=markup), _tokens(model, markup=markup)
        if mine is None or mine != theirs:
            return False
    return True


def same_line_but_format(line: str, model: str) -> bool:
    """True when one entry line says what ``model`` says, differing in formatting only (as
    ``same_but_format`` tells for a whole entry; the line's indentation not checked)."""
    mine = _tokens(line, markup=True)
    return mine is not None and mine == _tokens(model, markup=True)


def _title_joined(lines: list[str]) -> list[str]:
    """The lines with links written on lines of their own below the title (as the list's
    first version did) joined to the title's line: markdown reads them as one paragraph."""
    joined = lines[:1]
    for line in lines[1:]:
        if len(joined) == 1 and line[:1] in (" ", "\t") and is_links_line(line.strip()):
            joined[0] = f"{joined[0]} {line.strip()}"
        else:
            joined.append(line)
    return joined


def page_lines(paper: Paper) -> list[str]:
    """The entry's lines on the page: as imported (``verbatim``) while they still agree with
    the paper's fields, else in the list's format."""
    canonical = [line for _, line in entry_lines(paper)]
    if paper.verbatim and same_but_format(paper.verbatim, canonical):
        return list(paper.verbatim)
    return canonical
