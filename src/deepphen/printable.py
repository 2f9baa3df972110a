"""Catalog text made safe to print on a terminal, in a CI log or in a JSON document.

Catalog text (titles, authors, key words, file names, a page being imported, an arXiv feed)
is anyone's text. Printed as it is, an ESC sequence clears the screen or retitles the window,
a C1 CSI does the same on terminals that honour 8-bit controls, a bidi override reorders what
the reader sees, and a line break forges a line of its own (a GitHub annotation
``::error file=...`` in a CI log). Everything deepphen prints goes through ``printable``: line
breaks and other spacing controls become one space, every other control or invisible
formatting character is shown as a visible escape (``\\x1b``, ``\\u202e``), so nothing is
lost from view and nothing acts. Text a CI runner reads as a command without any control
character in it (see ``_CI_ANYWHERE_RE``) shows one of its characters escaped too.
``json_text`` does the same for a JSON document, losslessly.
"""

from __future__ import annotations

import re

# Characters that move the cursor or break a line: read as one space.
_SPACING = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# Everything that acts instead of showing: C0 and C1 controls, DEL, bidi embeddings, overrides
# and isolates, the implicit direction marks, the interlinear annotation marks, and the BOM;
# and what hides text: tag characters spell ASCII ("ignore previous instructions") that a
# reader of the terminal, page or CI log cannot see; the invisible math operators and the
# deprecated format characters have no place in prose either. (The soft hyphen, zero-width
# space and word joiner hide no text, and have uses: a page's hyphenation, a checklist's
# "@\u200bname" that mentions nobody.)
_HIDING = r"\u2061-\u2064\u206a-\u206f\U000e0000-\U000e007f"
_NOT_C0 = (r"\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
           r"\ufeff\ufff9-\ufffb\u2028\u2029" + _HIDING)
_CONTROL = r"\x00-\x1f" + _NOT_C0
_CONTROL_RE = re.compile(f"[{_CONTROL}]")
# The same but '\t' and '\n': the layout ``printable(keep_layout=True)`` keeps.
_LAYOUT_CONTROL_RE = re.compile(rf"[\x00-\x08\x0b-\x1f{_NOT_C0}]")
# Lone surrogates: a file name that is no UTF-8 holds them (one per byte), and a UTF-8 stream
# that is not surrogateescape's (PYTHONIOENCODING=utf-8, most UTF-8 locales) raised on them:
# lint crashed naming such a file. printable shows them as the byte, "\xff"; stored and
# exported text keeps them (an export -o writes the name's own bytes).
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_CONTROL_RUN_RE = re.compile(f"[{_CONTROL}]+")
# In JSON, json.dumps already escapes C0; these are the rest, escaped as \\uXXXX. Lone
# surrogates too: a file name that is no UTF-8 (a paper's key) holds them, and UTF-8 cannot
# write them (json.dumps's ensure_ascii escapes them as well).
_JSON_RE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
                      r"\ufff9-\ufffb\u2028\u2029\ud800-\udfff" + _HIDING + "]")


# CI runners read commands in plain text. GitHub Actions runs "::command props::data" when a
# line starts with it after white space (its parser trims the line's start first) and its
# legacy "##[command]data" anywhere in a line; Azure Pipelines reads "##vso[...]" and TeamCity
# "##teamcity[...]" anywhere too. One character of each opening is shown escaped ("\x3a:",
# "\x23#[") wherever a line may start, so no catalog text adds an annotation, hides deepphen's
# own ("::stop-commands::") or sets a later step's variable. The characters .NET's
# culture-aware search skips (soft hyphen, zero-width space and joiners) may sit in between.
_IGNORABLE = "\u00ad\u200b-\u200d\u2060"
# What follows the '#' that opens such a command ("##[", "##vso[", "##teamcity["): a '#'
# written otherwise ("&#35;" in HTML) is read back where this follows it.
_CI_AFTER_HASH = f"[{_IGNORABLE}]*#[{_IGNORABLE}A-Za-z]*\\["
CI_HASH_FOLLOWS = f"(?={_CI_AFTER_HASH})"
_CI_ANYWHERE_RE = re.compile("#" + CI_HASH_FOLLOWS)
_CI_OPENING_RE = re.compile("#" + _CI_AFTER_HASH)
# What an opening needs at the least: two ':' with at most ignorable characters between
# them, or '##['. Text without them (most text, every "file:line: message") is inert as it
# is, found in one scan: an import printing a million problem lines paid two substitutions
# a line, and a split into cells, for nothing.
_CI_MAYBE_RE = re.compile(f"{_CI_OPENING_RE.pattern}|:[{_IGNORABLE}]*:")


def _may_open_ci(text: str) -> bool:
    """False when no CI command can open anywhere in ``text`` (``_CI_MAYBE_RE``); ASCII text
    holds no ignorable character, so there substring tests say it, several times faster."""
    if text.isascii():
        return "::" in text or ("##" in text and _CI_OPENING_RE.search(text) is not None)
    return _CI_MAYBE_RE.search(text) is not None


def ci_inert(text: str) -> str:
    """``text`` with no CI command opening in it, written as deepphen prints escapes
    (``\\x3a:``, ``\\x23#[``): what goes to a stream a CI log may show, and only there (the
    escape is no CSV's or plain text's: a reader of a file would get other data)."""
    return ci_inert_document(text, "\\x23", "\\x3a")


# The same openings in a document of many lines (an export's text): "::" after the blanks
# that start any line (the runner reads lines ended by CR or LF; the blanks skipped stop at
# one, so a run of blank lines is scanned once), "##[" anywhere.
_CI_DOCUMENT_LINE_START_RE = re.compile(
    f"(?:^|(?<=[\\r\\n]))((?:[^\\S\\r\\n]|[{_IGNORABLE}])*):(?=[{_IGNORABLE}]*:)")


def ci_inert_document(text: str, hash_sign: str, colon: str) -> str:
    """A whole document (an export's text) in which no line opens a CI command: the ``#`` that
    opens ``##[`` (anywhere) is written ``hash_sign`` and the first ``:`` of ``::`` at a line's
    start ``colon``. Export text may go to a pipe that a CI log shows (``deepphen export -f
    csv`` in a workflow step). A format with character references passes them ("&#35;",
    "&#58;" in HTML): what the document shows is unchanged. Ordinary text is unchanged."""
    if not _may_open_ci(text):
        return text
    if "#" in text:
        text = _CI_ANYWHERE_RE.sub(hash_sign.replace("\\", "\\\\"), text)
    if ":" in text:
        text = _CI_DOCUMENT_LINE_START_RE.sub(r"\1" + colon.replace("\\", "\\\\"), text)
    return text


def opens_ci_command(text: str) -> bool:
    """True when a line of ``text`` would open a CI command (what ``ci_inert_document``
    rewrites): text that deepphen writes as it is must not."""
    return ci_inert_document(text, "", "") != text


def ci_inert_url(url: str) -> str:
    """A URL in which no CI command opens (``##[`` anywhere in a line): its '#' may open the
    fragment, so the '[' is percent-encoded, which is no URL character and reads alike."""
    return _CI_OPENING_RE.sub(lambda m: m.group()[:-1] + "%5B", url) if "#" in url else url


def _visible(ch: str) -> str:
    if ch in _SPACING:
        return " "
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is no UTF-8 (surrogateescape)
        code -= 0xDC00
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def has_control(text: str) -> bool:
    """True when ``text`` holds a control or bidi-formatting character (``printable`` shows
    it escaped)."""
    return _CONTROL_RE.search(text) is not None


def shell_word(text: str) -> str:
    """``text`` (a file name) as one word a shell reads back as it is, shown as it is:
    ``shlex.quote``, or, when it holds a character ``printable`` would change (a control,
    bidi or invisible one, a byte no UTF-8 decodes), bash's ``$'...'`` with that character
    escaped. A ``git mv`` hint quoted otherwise named, once made printable, another file."""
    import shlex

    if text.isprintable() and not has_control(text):
        return shlex.quote(text)
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "'\\":
            out.append("\\" + ch)
        elif 0xDC80 <= code <= 0xDCFF:  # a byte the file system's name holds undecoded
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable() and not has_control(ch):
            out.append(ch)
        else:
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"
                       if code < 0x10000 else f"\\U{code:08x}")
    return "$'" + "".join(out) + "'"


def printable(text: str, *, keep_layout: bool = False) -> str:
    """``text`` with no character that acts on a terminal or forges a line.

    Spacing controls (tab, line breaks, U+2028/2029, ...) become a space, any other control or
    bidi-formatting character a visible escape, and the opening of a CI command (``::`` at
    the start, ``##[`` anywhere) one of its characters escaped. ``keep_layout`` keeps ``\\n``
    and ``\\t``, for lines and columns that deepphen itself joined from fields already made
    printable; each cell is checked as a line's start.
    """
    if keep_layout:
        if (not _LAYOUT_CONTROL_RE.search(text) and not _may_open_ci(text)
                and not _SURROGATE_RE.search(text)):
            return text
        return "\n".join("\t".join(printable(cell) for cell in line.rstrip("\r").split("\t"))
                         for line in text.split("\n"))
    # (ASCII's controls are the characters it does not print: one quick test for most text.)
    if not (text.isascii() and text.isprintable()):
        if _CONTROL_RE.search(text):
            text = _CONTROL_RUN_RE.sub(lambda m: "".join(_visible(ch) for ch in m.group()),
                                       text)
        if _SURROGATE_RE.search(text):
            text = _SURROGATE_RE.sub(lambda m: _visible(m.group()), text)
    return ci_inert(text)


_SPACING_RE = re.compile(f"[{_SPACING}]")


def strip_controls(text: str, *, keep: str = "") -> str:
    """``text`` fit to store: spacing controls become one space, every other control or
    bidi-formatting character is dropped; the characters in ``keep`` stay (a digest's line
    breaks). What lint's DP413 fix writes, and what text from arXiv is cleaned to."""
    if not _CONTROL_RE.search(text):
        return text
    spaced = "".join(" " if ch in _SPACING and ch not in keep else ch for ch in text)
    return "".join(ch for ch in spaced if ch in keep or not _CONTROL_RE.match(ch))


# Characters that show as nothing and join or split nothing a script needs: the soft hyphen,
# the Mongolian vowel separator, the zero-width space, the word joiner, the invisible math
# operators, the deprecated format characters and the tag characters (which spell hidden
# ASCII). U+200C and U+200D are left: Persian and Indic scripts and emoji sequences need them.
_INVISIBLE_RE = re.compile(r"[\u00ad\u180e\u200b\u2060" + _HIDING + "]")


def control_kind(ch: str) -> str:
    """How to name a character ``has_control`` finds: "invisible" (it shows as nothing) or
    "control" (it acts)."""
    return "invisible" if _INVISIBLE_RE.match(ch) else "control"


def strip_invisible(text: str) -> str:
    """``text`` without the characters that show as nothing (see _INVISIBLE_RE): for text from
    outside (arXiv), so nothing a reader cannot see reaches a checklist, a terminal or the
    catalog."""
    return _INVISIBLE_RE.sub("", text)


def mark_controls(text: str, mark: str = "\ufffd", *, keep: str = "") -> str:
    """``text`` with every control or bidi-formatting character but those in ``keep`` replaced
    by ``mark``: seen, not obeyed (the HTML page shows them as U+FFFD)."""
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub(lambda m: m.group() if m.group() in keep else mark, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character past U+FFFF as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(document: str) -> str:
    """A JSON document with the controls and lone surrogates json.dumps leaves raw escaped
    as ``\\uXXXX``: UTF-8 text, inert on a terminal.

    Lossless: a JSON reader gives back the same strings. Such characters occur only inside
    strings, so replacing them anywhere in the document is safe.
    """
    document = _JSON_RE.sub(_json_escape, document)
    # "##[" opens a CI command anywhere in a line; "#" is only ever inside a string here, where
    # "\u0023" reads back as "#". ("::" cannot start a line of JSON: a string starts with '"'.)
    return _CI_ANYWHERE_RE.sub(r"\\u0023", document) if "#" in document else document


# Characters of a title and of an author list that a table, a checklist or a prompt shows, at
# most: a catalog or a feed may hold a title of megabytes. JSON has them whole.
TITLE_SHOWN = 300
AUTHORS_SHOWN = 160
# Of an abstract shown at a prompt: arXiv's own are at most 1,920 characters.
ABSTRACT_SHOWN = 3000


def shorten(text: str, size: int) -> str:
    """``text`` cut to at most ``size`` characters, at a space if one is near, with "…"."""
    if len(text) <= size:
        return text
    cut = text[:size - 1]
    space = cut.rfind(" ", size // 2)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


def elide(text: str, size: int) -> str:
    """``text`` in at most ``size`` characters: its start and its end, " … " between (a
    message's end may say what to do, which ``shorten`` would cut)."""
    if len(text) <= size:
        return text
    tail = size // 3
    return text[:size - tail - 3] + " … " + text[len(text) - tail:]


# Of a value a diagnostic quotes ('...' or "..."), and of the whole line: a mistyped option
# may be kilobytes long (a paste, a shell variable), and one line must stay one line to read.
QUOTE_SHOWN = 80
LINE_SHOWN = 2000
_QUOTED_RE = re.compile(f"'[^'\n]{{{QUOTE_SHOWN + 1},}}'|\"[^\"\n]{{{QUOTE_SHOWN + 1},}}\"")


def bounded(message: str) -> str:
    """A diagnostic line of readable length: each quoted value longer than QUOTE_SHOWN
    elided in its middle, then the whole line to LINE_SHOWN (its end, the fix, kept)."""
    if len(message) <= QUOTE_SHOWN:
        return message
    message = _QUOTED_RE.sub(lambda m: m[0][0] + elide(m[0][1:-1], QUOTE_SHOWN) + m[0][-1],
                             message)
    return elide(message, LINE_SHOWN)


_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> list[str]:
    """``text``'s lines as markdown, TOML and editors count them: ended by ``\\n``, ``\\r\\n``
    or ``\\r`` only. (``str.splitlines`` also breaks at \\v, \\f, \\x1c-\\x1e, \\x85, U+2028
    and U+2029, which text pasted from a PDF holds: an entry's title lost the rest of its
    line, and every line number after it was off.)"""
    lines = _LINE_END_RE.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines
