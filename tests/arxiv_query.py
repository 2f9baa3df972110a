"""The arXiv API's ``search_query`` language, as its user manual documents it, for the stand-in.

``tests/arxiv_server.py`` answers a ``search_query`` request with ``search(...)`` over a corpus
of invented ``CorpusEntry`` papers, so deepphen's queries are checked against the same subset
a real arXiv (or anyone's stand-in of it) understands:

- field terms ``ti: au: abs: co: jr: cat: rn: id: all:``, a bare term meaning ``all:``;
- quoted phrases (``ti:"neural collapse"``: consecutive words; ``au:"Ilya Sutskever"``);
  ``au:del_maestro`` (an underscore joins the words of a name);
- wildcards ``*`` and ``?`` inside a word, not as its first character;
- ``AND``, ``OR``, ``ANDNOT`` (upper case), a space between terms meaning ``OR``, parentheses,
  and a field scope over a group (``ti:(grokking OR "double descent")``); ``AND`` and
  ``ANDNOT`` bind tighter than ``OR`` (deepphen's own queries parenthesize everything);
- ``submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]`` (also ``lastUpdatedDate``), both ends
  included, times in GMT to the minute;
- sorting by ``submittedDate``, ``lastUpdatedDate`` or ``relevance``, either order.

A malformed query raises QueryError, which the server answers with arXiv's HTTP 400 feed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from xml.sax.saxutils import escape

FIELDS = ("ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all")
DATE_FIELDS = ("submittedDate", "lastUpdatedDate")
SORT_BY = ("relevance", "lastUpdatedDate", "submittedDate")
SORT_ORDER = ("descending", "ascending")
MAX_RESULTS = 2000  # arXiv refuses larger pages

_TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<range>\[[^\]]*\])
  | (?P<phrase>"[^"]*")
  | (?P<prefix>[A-Za-z]+:)
  | (?P<word>[^\s()"\[\]]+)
""", re.VERBOSE)
_WORD_RE = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
_OPERATORS = ("AND", "OR", "ANDNOT")


class QueryError(ValueError):
    """A query the API would refuse (HTTP 400)."""


@dataclass
class CorpusEntry:
    """An invented arXiv paper for the stand-in to serve."""

    id: str
    title: str
    authors: list[str]
    summary: str
    categories: list[str]  # primary first
    submitted: dt.datetime  # first version, UTC
    updated: dt.datetime | None = None
    version: int = 1
    comment: str | None = None
    journal_ref: str | None = None
    report_no: str | None = None

    def text(self, name: str) -> str:
        """The searchable text of a field."""
        if name == "ti":
            return self.title
        if name == "abs":
            return self.summary
        if name == "co":
            return self.comment or ""
        if name == "jr":
            return self.journal_ref or ""
        if name == "rn":
            return self.report_no or ""
        if name == "au":
            return " ".join(self.authors)
        if name == "cat":
            return " ".join(self.categories)
        return " ".join(self.text(f) for f in ("ti", "au", "abs", "co", "jr", "cat", "rn"))

    def to_xml(self) -> str:
        """The ``<entry>`` block arXiv's current API serves for this paper."""
        vid = f"{self.id}v{self.version}"
        updated = self.updated or self.submitted
        lines = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{vid}</id>",
            f"    <title>{escape(self.title)}</title>",
            f"    <updated>{_stamp(updated)}</updated>",
            f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" '
            'type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(self.summary)}</summary>",
            *(f'    <category term="{escape(c)}" scheme="http://arxiv.org/schemas/atom"/>'
              for c in self.categories),
            f"    <published>{_stamp(self.submitted)}</published>",
        ]
        if self.comment:
            lines.append(f"    <arxiv:comment>{escape(self.comment)}</arxiv:comment>")
        if self.journal_ref:
            lines.append(f"    <arxiv:journal_ref>{escape(self.journal_ref)}</arxiv:journal_ref>")
        lines.append(f'    <arxiv:primary_category term="{escape(self.categories[0])}"/>')
        for name in self.authors:
            lines += ["    <author>", f"      <name>{escape(name)}</name>", "    </author>"]
        lines.append("  </entry>")
        return "\n".join(lines) + "\n"


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- parsing ---------------------------------------------------------------------------

@dataclass
class Term:
    """A leaf: one field and a word (wildcards allowed), a phrase, or a date range."""

    field: str
    words: list[str] = field(default_factory=list)  # one word, or a phrase's words
    phrase: bool = False
    low: dt.datetime | None = None
    high: dt.datetime | None = None


@dataclass
class Node:
    op: str  # AND, OR, ANDNOT
    left: Node | Term
    right: Node | Term


def _tokens(query: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(query):
        m = _TOKEN_RE.match(query, pos)
        if m is None:
            raise QueryError(f"cannot parse the query at {query[pos:]!r}")
        pos = m.end()
        if m.lastgroup != "space":
            out.append((m.lastgroup or "", m.group()))
    return out


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise QueryError("the query ends too early")
        self.pos += 1
        return token

    def parse(self) -> Node | Term:
        if not self.tokens:
            raise QueryError("empty query")
        tree = self.disjunction("all")
        if self.peek() is not None:
            raise QueryError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return tree

    def _at_operand(self) -> bool:
        token = self.peek()
        return token is not None and token[0] != "rparen" and not (
            token[0] == "word" and token[1] in _OPERATORS)

    def disjunction(self, scope: str) -> Node | Term:
        tree = self.conjunction(scope)
        while True:
            token = self.peek()
            if token == ("word", "OR"):
                self.take()
                tree = Node("OR", tree, self.conjunction(scope))
            elif self._at_operand():  # a space between terms is OR
                tree = Node("OR", tree, self.conjunction(scope))
            else:
                return tree

    def conjunction(self, scope: str) -> Node | Term:
        tree = self.operand(scope)
        while self.peek() in (("word", "AND"), ("word", "ANDNOT")):
            op = self.take()[1]
            tree = Node(op, tree, self.operand(scope))
        return tree

    def operand(self, scope: str) -> Node | Term:
        kind, text = self.take()
        if kind == "lparen":
            inner = self.disjunction(scope)
            if self.take()[0] != "rparen":
                raise QueryError("unbalanced parentheses")
            return inner
        if kind == "prefix":
            name = text[:-1]
            if name not in FIELDS and name not in DATE_FIELDS:
                raise QueryError(f"unknown field {name!r}")
            return self.value(name)
        if kind in ("word", "phrase"):
            if text in _OPERATORS:
                raise QueryError(f"operator {text} without an operand")
            self.pos -= 1
            return self.value(scope)
        raise QueryError(f"unexpected {text!r}")

    def value(self, name: str) -> Node | Term:
        kind, text = self.take()
        if name in DATE_FIELDS:
            if kind != "range":
                raise QueryError(f"{name} takes a range [FROM TO UNTIL]")
            low, high = _date_range(text)
            return Term(name, low=low, high=high)
        if kind == "lparen":  # a field scope over a group: ti:(a OR "b c")
            inner = self.disjunction(name)
            if self.take()[0] != "rparen":
                raise QueryError("unbalanced parentheses")
            return inner
        if kind == "phrase":
            words = _words(text[1:-1], name)
            if not words:
                raise QueryError("empty phrase")
            return Term(name, words=words, phrase=True)
        if kind == "word" and text not in _OPERATORS:
            words = _words(text, name)
            if not words:
                raise QueryError(f"empty term {text!r}")
            return Term(name, words=words, phrase=len(words) > 1)
        raise QueryError(f"a value is missing after {name}:")


def _date_range(text: str) -> tuple[dt.datetime, dt.datetime]:
    m = re.fullmatch(r"\[\s*(\d{8}(?:\d{4})?(?:\d{2})?)\s+TO\s+(\d{8}(?:\d{4})?(?:\d{2})?)\s*\]",
                     text)
    if m is None:
        raise QueryError(f"bad date range {text!r}; expected [YYYYMMDDHHMM TO YYYYMMDDHHMM]")
    return _moment(m.group(1), end=False), _moment(m.group(2), end=True)


def _moment(digits: str, *, end: bool) -> dt.datetime:
    try:
        if len(digits) == 8:
            day = dt.datetime.strptime(digits, "%Y%m%d")
            return day.replace(hour=23, minute=59, second=59) if end else day
        stamp = dt.datetime.strptime(digits, "%Y%m%d%H%M" if len(digits) == 12
                                     else "%Y%m%d%H%M%S")
    except ValueError as exc:
        raise QueryError(f"bad date {digits!r}") from exc
    return stamp.replace(second=59) if end and len(digits) == 12 else stamp


def _words(text: str, name: str) -> list[str]:
    if name == "cat":
        return [w.lower() for w in text.split()]
    if name == "id":
        return [text.strip().lower()]
    if name == "au":
        text = text.replace("_", " ")
    return [w.lower() for w in re.findall(r"[^\s,;:()]+", text)
            if _WORD_RE.search(w) or "*" in w or "?" in w]


def parse(query: str) -> Node | Term:
    """The query's tree; raises QueryError when the API would answer HTTP 400."""
    return _Parser(query).parse()


# --- matching --------------------------------------------------------------------------

def _tokenize(text: str, name: str) -> list[str]:
    if name == "cat":
        return [c.lower() for c in text.split()]
    return [w.lower() for w in _WORD_RE.findall(text)]


def _field_tokens(entry: CorpusEntry, name: str) -> list[list[str]]:
    """The words of a field (one list per author for ``au``), worked out once per entry."""
    cache = entry.__dict__.setdefault("_tokens", {})
    if name not in cache:
        # an author phrase must fall within one author's name
        texts = entry.authors if name == "au" else [entry.text(name)]
        cache[name] = [_tokenize(text, name) for text in texts]
    return cache[name]


def _field_texts(entry: CorpusEntry, name: str) -> list[str]:
    """The words of a field joined by spaces, with a space at each end, once per entry."""
    cache = entry.__dict__.setdefault("_texts", {})
    if name not in cache:
        cache[name] = [f" {' '.join(tokens)} " for tokens in _field_tokens(entry, name)]
    return cache[name]


def _word_matches(pattern: str, token: str) -> bool:
    pattern = pattern.strip(".,;:'")
    if "*" in pattern[1:] or "?" in pattern[1:]:
        return fnmatchcase(token, pattern)
    return token == pattern


def _term_score(term: Term, entry: CorpusEntry) -> float:
    """How often the term occurs in the entry (0: no match)."""
    if term.field in DATE_FIELDS:
        when = entry.submitted if term.field == "submittedDate" else (entry.updated
                                                                       or entry.submitted)
        when = when.replace(tzinfo=None)
        assert term.low is not None and term.high is not None
        return 1.0 if term.low <= when <= term.high else 0.0
    if term.field == "id":
        wanted = term.words[0]
        return 1.0 if wanted in (entry.id.lower(), f"{entry.id}v{entry.version}".lower()) \
            else 0.0
    if not any("*" in w[1:] or "?" in w[1:] for w in term.words):  # plain words: count
        needle = " " + " ".join(w.strip(".,;:'") for w in term.words) + " "
        return float(sum(text.count(needle) for text in _field_texts(entry, term.field)))
    hits = 0
    for tokens in _field_tokens(entry, term.field):
        n = len(term.words)
        for i in range(len(tokens) - n + 1):
            if all(_word_matches(w, tokens[i + j]) for j, w in enumerate(term.words)):
                hits += 1
    return float(hits)


def score(tree: Node | Term, entry: CorpusEntry) -> float:
    """The entry's relevance to the query; 0 when it does not match."""
    if isinstance(tree, Term):
        return _term_score(tree, entry)
    left = score(tree.left, entry)
    if tree.op == "OR":
        return left + score(tree.right, entry)
    if not left:
        return 0.0
    right = score(tree.right, entry)
    if tree.op == "AND":
        return left + right if right else 0.0
    return 0.0 if right else left  # ANDNOT


def search(corpus: Iterable[CorpusEntry], query: str, *, sort_by: str = "relevance",
           sort_order: str = "descending") -> list[CorpusEntry]:
    """Every entry matching ``query``, in the requested order (ties by id)."""
    if sort_by not in SORT_BY:
        raise QueryError(f"unknown sortBy {sort_by!r}")
    if sort_order not in SORT_ORDER:
        raise QueryError(f"unknown sortOrder {sort_order!r}")
    tree = parse(query)
    scored = [(score(tree, e), e) for e in corpus]
    hits = [(s, e) for s, e in scored if s > 0]
    keys: dict[str, Callable[[tuple[float, CorpusEntry]], object]] = {
        "relevance": lambda pair: pair[0],
        "submittedDate": lambda pair: pair[1].submitted,
        "lastUpdatedDate": lambda pair: pair[1].updated or pair[1].submitted,
    }
    hits.sort(key=lambda pair: pair[1].id)  # stable tie-break, then the real key
    hits.sort(key=keys[sort_by], reverse=sort_order == "descending")  # type: ignore[arg-type]
    return [e for _, e in hits]
