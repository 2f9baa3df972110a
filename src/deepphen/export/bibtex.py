"""BibTeX export: one entry per paper, parseable by bibtex, biber and bibtexparser.

The entry type follows what is known: a conference venue gives ``@inproceedings`` with a
``booktitle``, a journal gives ``@article`` with a ``journal``, anything else (arXiv only,
unknown venues, theses) gives ``@misc``. Citation keys look like ``power2022grokking``; a
paper's key is the same in every export of its catalog, whole or filtered. Text fields are
LaTeX-escaped so that no title, name or digest can unbalance an entry's braces; non-ASCII
letters stay UTF-8, which biber and modern LaTeX read.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from deepphen import ids
from deepphen.export import page_order
from deepphen.models import Paper, Settings
from deepphen.printable import ci_inert_url, strip_controls
from deepphen.venues import is_journal, is_meeting, is_proceedings, venue_name, year_in
from deepphen.vocab import fold

# Title words skipped when choosing the key's word, as Google Scholar does.
_STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "at", "by", "from",
    "is", "are", "be", "do", "does", "can", "how", "what", "why", "when", "where", "which",
    "who", "towards", "toward", "via", "into", "its", "it", "this", "that",
})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

# One pass over the text; the brace replacements are brace-balanced commands so that a lone
# "{" or "}" in a title can never end a field early (bibtex counts braces, not escapes).
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))
# A word part (between hyphens or slashes) with a capital after its first character (GPT,
# ReLU, ImageNet, PAC) or capitals mixed with digits (L2, 2D) is worth protecting from a
# style's sentence-casing; "Fine-Tuning" is not (see _capital_inside).
_CAPITAL_RE = re.compile("[A-Z]")
_DIGIT_RE = re.compile(r"\d")
_FIRST_WORD_CHARACTER_RE = re.compile(r"[^\w]*\w")
_MAYBE_PROTECT_RE = re.compile(r"[A-Z0-9]")  # cheap test before _capital_inside
_PART_SPLIT_RE = re.compile(r"[-/]")
_AND_RE = re.compile(r"\band\b", re.IGNORECASE)
# Verbatim fields (url, doi) are not LaTeX-escaped; only what could break the entry is encoded.
_VERBATIM_UNSAFE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", '"': "%22"})


def _clean(text: str) -> str:
    """NFC text on one line: controls and bidi marks dropped (nothing a citation should carry),
    line breaks and runs of whitespace one space."""
    return " ".join(unicodedata.normalize("NFC", strip_controls(text)).split())


def _escape_clean(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group()], text)


def latex_escape(text: str) -> str:
    """Plain text as a safe BibTeX/LaTeX field value: specials escaped, whitespace collapsed."""
    return _escape_clean(_clean(text))


def _protect(word: str) -> bool:
    return bool(_MAYBE_PROTECT_RE.search(word, 1)) and any(
        _capital_inside(part) for part in _PART_SPLIT_RE.split(word))


def _capital_inside(part: str) -> bool:
    r"""A capital after the part's first word character, or a capital and a digit, found in
    linear time: one regex for both (``\d.*[A-Z]``) backtracked over every digit of a long
    number, and a title word of a few hundred thousand digits took minutes to export."""
    first = _FIRST_WORD_CHARACTER_RE.match(part)
    if first and _CAPITAL_RE.search(part, first.end()):
        return True
    return bool(_CAPITAL_RE.search(part)) and bool(_DIGIT_RE.search(part))


def title_value(title: str) -> str:
    """An escaped title whose acronyms and CamelCase words are braced against lower-casing."""
    clean = _clean(title)
    # Escapes contain no spaces, so the escaped words line up with the plain ones.
    escaped = _escape_clean(clean).split(" ")
    return " ".join(_braced(esc) if _protect(word) else esc
                    for word, esc in zip(clean.split(" "), escaped, strict=True))


def _braced(escaped: str) -> str:
    """A word braced against BibTeX's lower-casing. A top-level brace opening on a
    backslash is a "special character" to BibTeX, whose letters it lower-cases all the
    same (``{\\$L\\_2\\$}`` became ``$l_2$``): such a word gets a second pair."""
    return f"{{{{{escaped}}}}}" if escaped.startswith("\\") else f"{{{escaped}}}"


def author_value(paper: Paper) -> str:
    """Authors joined with `` and ``; a list that ends in "et al." ends in ``and others``.

    A collapsed list (``authors_collapsed``: the page's Author List block) is complete.
    """
    names = []
    for name in paper.named_authors:
        escaped = latex_escape(name)
        if not escaped:
            continue
        # A comma would read as "Last, First", a word "and" would split the name, and a
        # name "others" would read as "et al.": bracing keeps such a name whole.
        if "," in escaped or _AND_RE.search(escaped) or escaped.casefold() == "others":
            escaped = f"{{{escaped}}}"
        names.append(escaped)
    if names and paper.authors_truncated:
        names.append("others")
    return " and ".join(names)


def verbatim_value(text: str) -> str:
    """A URL or DOI kept verbatim (biblatex reads these raw), minus brace-breaking characters.

    Whitespace inside (line breaks too) is percent-encoded as %20; other control and bidi
    characters are dropped.
    """
    # No "##[" either: the export printed in a CI log would run it as a command.
    return ci_inert_url("%20".join(strip_controls(text).split()).translate(_VERBATIM_UNSAFE))


def _ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of a text; apostrophes join ("Don't" gives "dont")."""
    return fold(text).split()


def _surname(name: str) -> str:
    # Names are written "First Last"; the last word that is not a suffix is the surname,
    # hyphens dropped ("Müller-Łukasiewicz" gives "mullerlukasiewicz").
    words = ["".join(_ascii_words(w)) for w in re.split(r"[\s,]+", name)]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def _venue(paper: Paper) -> str | None:
    venue = paper.venue or paper.extra.get("journal_ref")
    return venue.strip() if isinstance(venue, str) and venue.strip() else None


def entry_year(paper: Paper) -> int:
    """The year to cite: the venue's year when the venue names one, else the paper's year."""
    venue = _venue(paper)
    return (year_in(venue) if venue else None) or paper.year


def base_key(paper: Paper) -> str:
    """``surname + year + first significant title word``, ASCII only, e.g. power2022grokking."""
    named = paper.named_authors  # a list of "et al." alone names no one: "al" is no surname
    surname = _surname(named[0]) if named else ""
    word = next((w for w in _ascii_words(paper.title) if w not in _STOPWORDS), "")
    return f"{surname or 'anon'}{entry_year(paper)}{word}"


def citation_keys(papers: list[Paper], *, catalog: Iterable[Paper] = ()) -> dict[int, str]:
    """A unique key per paper of ``papers``, by ``id(paper)``, chosen among ``papers`` and
    ``catalog`` (the whole catalog they were selected from), so that an export of any part of
    a catalog gives each paper the key the whole export gives it.

    Papers sharing a base key are told apart oldest first (``first_seen``): the oldest keeps
    the base key, the next ones get ``b``, ``c``, ... (then ``aa``, ``ab``, ...), so a newer
    namesake added later never changes an existing paper's key.
    """
    chosen = {_identity(p): p for p in catalog}
    chosen.update((_identity(p), p) for p in papers)
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in chosen.values():
        groups[base_key(paper)].append(paper)
    taken = set(groups)
    by_identity: dict[object, str] = {}
    for base, group in sorted(groups.items()):
        group.sort(key=first_seen)
        by_identity[_identity(group[0])] = base
        suffixes = _suffixes()
        for paper in group[1:]:
            key = base + next(suffixes)
            while key in taken:  # e.g. "smith2020b" is already another paper's own base key
                key = base + next(suffixes)
            taken.add(key)
            by_identity[_identity(paper)] = key
    return {id(p): by_identity[_identity(p)] for p in papers}


def _identity(paper: Paper) -> object:
    """One paper however many times it was read: its file, else (built in memory) itself."""
    return paper.path if paper.path is not None else id(paper)


def first_seen(paper: Paper) -> tuple:
    """Oldest first: arXiv id (submission order), else ``published``; papers with neither
    come after those with one; then the file's name (``key``, unique in a catalog: lint's
    DP307), the title, the file's path. Never a list's order, ``sort_as`` (a curator's
    placing on the page) nor the section folder, so keys do not move with them."""
    own = paper.sort_key(placed=False)
    return (own[:2] == (0, 0), own[:2], paper.key, paper.title, str(paper.path or ""))


def _suffixes():
    """b, ..., z, aa, ab, ...: as many distinct suffixes as a group needs after its first
    (whose key, the base alone, is its "a")."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = 1
    while True:
        suffix, i = "", n
        while True:
            suffix = letters[i % 26] + suffix
            i = i // 26 - 1
            if i < 0:
                break
        yield suffix
        n += 1


def entry_type(paper: Paper) -> tuple[str, str | None, str | None]:
    """``(type, venue field, venue value)``: inproceedings/booktitle, article/journal or misc."""
    venue = _venue(paper)
    if venue is None:
        return "misc", None, None
    if is_meeting(venue):
        return "inproceedings", "booktitle", venue
    if is_journal(venue):
        return "article", "journal", venue_name(venue)
    if is_proceedings(venue):
        return "inproceedings", "booktitle", venue
    return "misc", "howpublished", venue


def entry_fields(paper: Paper) -> tuple[str, list[tuple[str, str]]]:
    """The entry's type and its fields in output order, values ready to put between braces."""
    kind, venue_field, venue = entry_type(paper)
    fields = [("author", author_value(paper)), ("title", title_value(paper.title))]
    if venue_field and venue:
        fields.append((venue_field, latex_escape(venue)))
    fields.append(("year", str(entry_year(paper))))
    if paper.arxiv:
        fields += [("eprint", verbatim_value(paper.arxiv)), ("archivePrefix", "arXiv")]
        if paper.category:
            fields.append(("primaryClass", verbatim_value(paper.category)))
    if paper.doi:
        # biblatex links https://doi.org/ + the field: a stored link or "doi:" (lint's DP210)
        # is written bare, else it was linked twice.
        fields.append(("doi", verbatim_value(ids.bare_doi(paper.doi) or paper.doi)))
    if paper.paper_url:
        fields.append(("url", verbatim_value(paper.paper_url)))
    if paper.keywords:
        escaped = (latex_escape(k) for k in paper.keywords)
        # biblatex splits keywords at commas; braces keep a key word holding one whole.
        fields.append(("keywords", ", ".join(f"{{{k}}}" if "," in k else k
                                             for k in escaped if k)))
    return kind, [(name, value) for name, value in fields if value]


def render_entry(paper: Paper, key: str) -> str:
    """One ``@type{key, ...}`` entry, a field per line."""
    kind, fields = entry_fields(paper)
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines)


def render(papers: list[Paper], settings: Settings, *, catalog: Iterable[Paper] = ()) -> str:
    """Every paper as a BibTeX entry, in page order, entries separated by a blank line; keys
    are those of the whole ``catalog`` (``citation_keys``)."""
    ordered = page_order(papers, settings)
    keys = citation_keys(ordered, catalog=catalog)
    return "\n".join(render_entry(p, keys[id(p)]) + "\n" for p in ordered)
