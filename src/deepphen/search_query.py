"""What search reads in a query: the checked text, the arXiv id or link it names, its words
and which of them are function words ("why does ... happen", "et al."), which
``deepphen.search`` weighs little beside the others.

A query may be a pasted abstract: up to ``MAX_QUERY`` characters, of which the first
``MAX_WORDS`` distinct words are read.
"""

from __future__ import annotations

import re

from deepphen import ids
from deepphen.errors import DeepphenError, InvalidId
from deepphen.vocab import FUNCTION_WORDS, search_tokens, singular

MAX_QUERY = 5000  # a pasted abstract; not a file
MAX_WORDS = 120  # distinct query words read: an abstract's first ones
# Function words as query words are read, plurals folded ("does" -> "doe").
LIGHT_WORDS = frozenset(map(singular, FUNCTION_WORDS))


def check_query(query: str) -> str:
    """The query stripped, or DeepphenError (exit 2) when it is empty or absurd."""
    text = query.strip()
    if not text:
        raise DeepphenError("empty search query", hint="give some words, an author or an arXiv id")
    if len(text) > MAX_QUERY:
        raise DeepphenError(f"search query too long ({len(text)} characters)",
                            hint=f"use at most {MAX_QUERY}")
    if "\x00" in text or not (link_key(text) or search_tokens(text)[0]):
        raise DeepphenError(f"search query {short(text)!r} has no words to look for",
                            hint="use letters or digits, e.g. 'grokking' or 'Power'")
    return text


def short(text: str, size: int = 40) -> str:
    """``text`` cut to ``size`` characters with an ellipsis, for messages."""
    return text if len(text) <= size else text[: size - 1] + "…"


def words(text: str) -> list[str]:
    """The words of a text as search compares them: folded, plurals folded."""
    return [singular(w) for w in search_tokens(text)[0]]


def query_words(text: str) -> tuple[list[str], list[str], set[str]]:
    """A query's words (in order, at most a few times ``MAX_WORDS``), its distinct words
    (the first ``MAX_WORDS``), and those of them that weigh little: its function words,
    unless it has no other word ("the" alone is looked for)."""
    found = words(text)[:4 * MAX_WORDS]
    distinct = list(dict.fromkeys(found))[:MAX_WORDS]
    light = {w for w in distinct if w in LIGHT_WORDS}
    return found, distinct, light if len(light) < len(distinct) else set()


def content(phrase: str) -> str:
    """A phrase without its leading function words: "what is the lottery ticket hypothesis"
    and "The Lottery Ticket Hypothesis" both read "lottery ticket hypothesis"."""
    parts = phrase.split()
    start = next((i for i, w in enumerate(parts) if w not in LIGHT_WORDS), len(parts))
    return " ".join(parts[start:])


def link_key(text: str) -> str | None:
    """The arXiv id named by ``text`` (id, ``arXiv:`` or ``arXiv`` id, arxiv URL), else a
    bare URL."""
    name, _, rest = text.partition(" ")
    if name.lower() in ("arxiv", "arxiv:") and rest.strip():
        text = rest.strip()  # "arXiv 2201.02177", as a citation writes it
    try:
        return ids.parse_arxiv_id(text).id
    except InvalidId:
        pass
    if "://" in text and " " not in text:
        return text.rstrip("/").lower()
    return None


# A letter written as an initial: alone, followed by a full stop ("S. Arora", "S.Arora").
_INITIAL_RE = re.compile(r"(?<!\w)([^\W\d_])\.")


def written_initials(text: str) -> set[str]:
    """The query's letters written as initials, folded as its words are: only these match
    the given names they begin. A letter alone is a word ("q learning", "k means")."""
    # A letter that folds to two ("Æ" is "ae") is no initial to look names up by.
    return {w for w in words(" ".join(_INITIAL_RE.findall(text))) if len(w) == 1}
