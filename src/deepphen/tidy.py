"""The list's way of writing a title, an author list and a key word, in one place: what
lint's fixes write (DP402, DP404, DP405, DP409, DP410, DP413, DP414), the spelling a key-word
group goes by, and what ``add`` and ``refresh`` store of arXiv's record, so a paper fetched
from arXiv passes lint as it comes.

The functions on lists take a TOML value as a file holds it: an item that is not a string
is kept as it is (lint reports it elsewhere).
"""

from __future__ import annotations

import re
from typing import Any

from deepphen.printable import strip_controls, strip_invisible
from deepphen.vocab import Vocabulary, fold_distinct

MAX_TITLE = 1_000  # characters; no paper's title is longer, a feed's may be
MAX_AUTHOR = 300  # characters of one name
MAX_AUTHORS = 500  # names kept of a longer list, which then ends in "et al."
# "et al", "et al.", "et. al", "et.al." (a name may end in it), "..." or "…"; not a surname
# such as "Etal".
ET_AL = re.compile(r"^(?:(?P<name>.*?)[\s,]+)?(?:et(?:\.\s*|\s+)al\.?|\.\.\.|…)\Z",
                   re.IGNORECASE)
TYPOGRAPHIC = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'",
               "\u201a": "'", "\u2032": "'", "\u00b4": "'", "\u2033": '"'}
TYPOGRAPHIC_RE = re.compile("[" + "".join(TYPOGRAPHIC) + "]")
JOINED_RE = re.compile(r"\s+(?:&|and)\s+")
# A group's name may join others ("ATLAS and CMS Collaborations"): one author, not split.
COLLECTIVE_RE = re.compile(r"\b(?:collaborations?|consorti(?:um|a)|teams?|groups?|projects?|"
                           r"initiatives?|laborator(?:y|ies)|institutes?|cent(?:er|re)s?|"
                           r"universit(?:y|ies)|associations?|societ(?:y|ies)|committees?|"
                           r"networks?|alliances?)\b", re.IGNORECASE)


def strip_final(title: str) -> str:
    """The title without the final '.', ',', ';' or ':' the page would double (the page adds
    the period), every one of them at once ("Collapse. . ." too); '...' is a word and stays."""
    title = title.rstrip()
    while ends_badly(title):
        title = title[:-1].rstrip()
    return title


def ends_badly(title: str) -> bool:
    """Whether the title ends in punctuation the page would double (DP402); '...' and
    'et al.' are words, '?' and '!' stay."""
    title = title.rstrip()
    return bool(title) and title[-1] in ".,;:" and not title.endswith(("...", "et al."))


# A key word's final '.', ';' or ',', every one at once, spaced or not ("Grokking. . ."):
# the page joins key words with '; ' and ends the line with '.' itself.
_KEYWORD_END = re.compile(r"[\s.;,]+$")


def plain_keyword(keyword: str) -> str:
    """A key word with single spaces and no final punctuation (lint's DP409 fix)."""
    return _KEYWORD_END.sub("", " ".join(keyword.split()))


def tidy_keyword(keyword: str) -> str:
    """A key word as the list writes it: what lint's DP409, DP410 and DP413 fixes make of it
    together (no control or invisible character, ASCII quotes, plain). The spelling a group
    of variants goes by (deepphen.vocab.Vocabulary's ``spell``), so that DP407 never asks for
    a spelling another fix rewrites."""
    return plain_keyword(ascii_quotes(strip_invisible(strip_controls(keyword))))


def keyword_vocabulary(papers: Any) -> Vocabulary:
    """The key-word vocabulary of these papers, each group going by a spelling the list
    writes (``tidy_keyword``): what lint's DP407 asks for and what ``add`` maps a key word
    to, so a paper added with the catalog's spelling passes lint."""
    return Vocabulary.from_papers(papers, tidy_keyword)


def ascii_quotes(value: Any) -> Any:
    """Typographic quotes as ASCII ones, in a string or each string of a list."""
    if isinstance(value, str):
        return TYPOGRAPHIC_RE.sub(lambda m: TYPOGRAPHIC[m.group()], value)
    if isinstance(value, list):
        return [ascii_quotes(v) for v in value]
    return value


def is_joined(name: str) -> bool:
    """Whether an author item names two people ("A & B", "A and B"; a group's name aside)."""
    return JOINED_RE.search(name) is not None and COLLECTIVE_RE.search(name) is None


def split_joined(values: list[Any]) -> list[Any]:
    """Each name its own item: "A & B" and "A and B" are two people."""
    out: list[Any] = []
    for value in values:
        if isinstance(value, str) and is_joined(value):
            out.extend(name.strip() for name in JOINED_RE.split(value) if name.strip())
        else:
            out.append(value)
    return out


def dedupe_folded(values: list[Any]) -> list[Any]:
    """The first of the items that fold alike (case, accents, punctuation)."""
    seen: set[str] = set()
    out = []
    for value in values:
        key = fold_distinct(value) if isinstance(value, str) else str(value)
        if key and key in seen:
            continue
        seen.add(key)
        out.append(value)
    return out


def et_al_last(authors: list[Any]) -> list[Any]:
    """Names as listed, a shortened list ending in one item written "et al."."""
    kept, cut = [], False
    for name in authors:
        m = ET_AL.match(name.strip()) if isinstance(name, str) else None
        if m is None:
            kept.append(name)
        else:
            if m.group("name"):
                kept.append(m.group("name").strip())
            cut = True
    return kept + (["et al."] if cut else [])


def tidy_title(title: str) -> str:
    """A title as the list writes it: single spaces, ASCII quotes, no final period."""
    title = ascii_quotes(" ".join(title.split()))
    return strip_final(title) if ends_badly(title) else title


def tidy_authors(names: list[str]) -> list[str]:
    """An author list as the list writes it: one person an item, ASCII quotes, a shortened
    list ending in "et al.", at most MAX_AUTHORS names. A name listed twice stays (two
    people may share one; lint's DP404 asks the curator)."""
    names = et_al_last(split_joined(ascii_quotes(list(names))))
    people = [n for n in names if n != "et al."]
    if len(people) > MAX_AUTHORS:
        return [*people[:MAX_AUTHORS], "et al."]
    return names


def unfit(title: str, authors: list[str]) -> str | None:
    """Why no paper file should keep this record ("no title", "a title of 3,000,000
    characters"), or None. arXiv's longest titles run to some 300 characters and its names
    to some 100: a feed sending far more is a broken or hostile server."""
    if not any(ch.isalnum() for ch in tidy_title(title)):  # "...." is no title (DP402)
        return "no title"
    longest = max(authors, key=len, default="")
    if len(title) > MAX_TITLE:
        return f"a title of {len(title):,} characters (at most {MAX_TITLE:,})"
    if len(longest) > MAX_AUTHOR:
        return f"an author name of {len(longest):,} characters (at most {MAX_AUTHOR})"
    return None
