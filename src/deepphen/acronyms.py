"""Acronyms the catalog itself defines: NTK -> "neural tangent kernel", derived, never kept by hand.

Two sources, both the catalog's own text:

- **Definitions** in titles and digests, either way round: "Neural Tangent Kernel (NTK)" and
  "NTK (neural tangent kernel)". The short form must be written in capitals ("NTK", "LoRA",
  "SDEs") and its letters must be found, in order, in the long form, the first at the start
  of its first word, and every word of the long form but a function word ("of", "and") must
  give at least one letter (the Schwartz-Hearst test, made stricter). A definition wins over
  initials: the catalog said what it means.
- **Initials** of multi-word key words (and section headings, where the caller gives them)
  as ``vocab.keyword_norm`` folds them: "In-Context Learning" -> icl, "Large Language
  Models" -> llm, "Mixture of Experts" -> moe (and, without its function words, a second
  form when that has three letters or more). Two-letter initials ("nc", "ib", "dd") collide
  with everything, so initials need three letters; a definition may be two.

Choices, and why:

- **Ambiguous initials** ("sam": sharpness-aware minimization and self-attention mechanism)
  keep every expansion, most used first: a reader who types SAM wants one of them, and
  search shows literal matches above expansions, so showing both costs little. Where a wrong
  cue costs more than a missed one (section and key-word suggestions), ``unique`` gives an
  expansion only when there is exactly one.
- **Acronyms that are ordinary words** ("node", "gold"): ``plain`` holds the acronyms that
  the catalog's titles, key words or headings also write as a word, not in capitals (not
  digests: tokenizing them all costs more than they add). Text expansion (``expand``) only
  reads acronyms written in capitals; search expands a plain one only when it is written
  in capitals or is the whole query.

Keys are folded as search folds a query word (lower case, ``vocab.singular``: "LLMs" ->
llm); expansions are phrases in ``keyword_norm`` form ("neural tangent kernel").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from deepphen.vocab import fold, keyword_norm, singular

# Bumped when the derivation changes: caches of a table (search's index) then rebuild.
VERSION = 2
MIN_INITIALS = 3  # letters of an acronym made from initials; a definition may have two
MIN_DEFINED = 2
MAX_LETTERS = 10
# Words an acronym may skip ("Mixture of Experts" is MoE or ME): never letters of their own
# unless the acronym has them.
FUNCTION_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "from", "in", "into",
                            "of", "on", "or", "the", "to", "via", "vs", "with", "without"))

# A short form as written: a letter, then letters and digits, maybe a plural "s".
# Patterns used only while deriving are left to re's own cache: search's start-up imports
# this module and compiles only _CAPITALS_RE.
_TOKEN = r"[A-Za-z][A-Za-z0-9]*"
# A token (as _TOKEN cuts them) that starts with a capital and holds another: the only
# ones ``in_capitals`` can accept, found without a call per word.
_CAPITALS_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*")
# "(SHORT)" after a long form, or "SHORT (long form)": parentheses without nesting.
_PARENS = r"\(([^()]{1,200})\)"
# Punctuation that ends the clause a long form is looked for in.
_CLAUSE = r"[.:;!?,\[\]{}()]"


def in_capitals(token: str) -> bool:
    """Whether a word is written as an acronym: at least two capitals, at least half of its
    letters capitals, the first one too ("NTK", "LoRA", "CoT", "LLMs"; not "Node", "McDonald")."""
    if token.endswith("s") and len(token) > 2 and token[-2].isupper():
        token = token[:-1]
    letters = [c for c in token if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return bool(letters) and letters[0].isupper() and capitals >= 2 and 2 * capitals >= len(letters)


def acronym_key(token: str) -> str:
    """How a table's acronym and a query word are compared: folded, plural folded."""
    return singular(fold(token).replace(" ", ""))


def _short_letters(short: str) -> str:
    """The letters and digits a short form spells, lower case, its plural "s" dropped."""
    if short.endswith("s") and len(short) > 2 and short[-2].isupper():
        short = short[:-1]
    return "".join(c for c in short.lower() if c.isalnum())


def _matches(letters: str, words: Sequence[str]) -> int | None:
    """Where the long form starts in ``words`` (folded words) if ``letters`` abbreviate the
    words from there to the end; None otherwise.

    Each letter is found, in order, inside the words; the first one starts a word, and every
    content word of the long form gives at least one letter. Of the ways to match, the one
    whose letters start the most words wins ("SSL" is self-supervised learning, not just
    supervised learning), then the shortest.
    """
    if not letters or not words or len(letters) > MAX_LETTERS:
        return None

    @functools.cache
    def best(k: int, w: int, pos: int, used: bool) -> tuple[int, int] | None:
        # letters[:k] remain, to be found in words[:w] or in words[w][:pos]; ``used``: word
        # w gave a letter already. Returns (letters at a word's start, start of the form).
        char, options = letters[k - 1], []
        word = words[w]
        for p in range(min(pos, len(word)) - 1, -1, -1):
            if word[p] != char:
                continue
            if k == 1:
                if p == 0:
                    options.append((1, w))
                continue
            found = best(k - 1, w, p, True)
            if found is not None:
                options.append((found[0] + (p == 0), found[1]))
        if w > 0 and (used or word in FUNCTION_WORDS):
            found = best(k, w - 1, len(words[w - 1]), False)
            if found is not None:
                options.append(found)
        return max(options, default=None)

    found = best(len(letters), len(words) - 1, len(words[-1]), False)
    if found is None or len(words) - found[1] < 2:  # one word is no abbreviation's long form
        return None
    return found[1]


def definitions(text: str) -> list[tuple[str, str]]:
    """The acronyms a text defines: (key, long form in ``keyword_norm`` form), in order.

    "Neural Tangent Kernel (NTK)" and "NTK (neural tangent kernel)" both give
    ("ntk", "neural tangent kernel"); "(width)" or "the lazy (NTK)" give nothing.
    """
    found: list[tuple[str, str]] = []
    for match in re.finditer(_PARENS, text):
        inside = match.group(1).strip()
        before = text[:match.start()]
        tokens = re.findall(_TOKEN, inside)
        if len(tokens) == 1 and tokens[0] == inside and in_capitals(inside):
            # long form (SHORT): the long form ends the clause before the parenthesis.
            letters = _short_letters(inside)
            clause = re.split(_CLAUSE, before)[-1]
            words = fold(clause).split()[-min(len(letters) + 5, 2 * len(letters)):]
            start = _matches(letters, words)
            if start is not None and MIN_DEFINED <= len(letters) <= MAX_LETTERS:
                found.append((acronym_key(inside), keyword_norm(" ".join(words[start:]))))
            continue
        # SHORT (long form): the word before the parenthesis is the short form.
        last = re.search(r"([A-Za-z][A-Za-z0-9]*)\s*$", before)
        if last is None or not in_capitals(last.group(1)):
            continue
        letters = _short_letters(last.group(1))
        words = fold(inside).split()
        if (MIN_DEFINED <= len(letters) <= MAX_LETTERS and len(words) <= 2 * len(letters)
                and _matches(letters, words) == 0):
            found.append((acronym_key(last.group(1)), keyword_norm(inside)))
    return [(key, long) for key, long in found if key and long and key != long.replace(" ", "")]


def initials(phrase: str) -> list[str]:
    """The acronyms a multi-word phrase's initials spell (``keyword_norm`` words), with and
    without its function words, of three letters or more and letters only."""
    words = keyword_norm(phrase).split()
    if len(words) < 2:
        return []
    out = []
    for kept in (words, [w for w in words if w not in FUNCTION_WORDS]):
        letters = "".join(w[0] for w in kept)
        if (len(kept) >= 2 and MIN_INITIALS <= len(letters) <= MAX_LETTERS and letters.isalpha()
                and singular(letters) not in out):
            out.append(singular(letters))
    return out


class Acronyms:
    """A catalog's acronyms: key -> expansions (best first), and which keys are also words.

    ``table`` and ``plain`` are plain data, so the table travels in caches and pages as is
    (``to_data``/``from_data``). (A plain class: a dataclass costs search's start-up 0.5 ms.)
    """

    def __init__(self, table: dict[str, tuple[str, ...]] | None = None,
                 plain: frozenset[str] = frozenset()) -> None:
        self.table = table or {}
        self.plain = plain
        self._reverse_cache: dict[str, list[str]] | None = None

    def expansions(self, key: str) -> tuple[str, ...]:
        """The phrases an acronym (a folded query word) stands for, best first; () if none."""
        return self.table.get(key, ())

    def unique(self, key: str) -> str | None:
        """The one phrase an acronym stands for; None when it is unknown or ambiguous."""
        found = self.table.get(key, ())
        return found[0] if len(found) == 1 else None

    def acronyms_of(self, phrase: str) -> list[str]:
        """The acronyms standing for a phrase (``keyword_norm`` form)."""
        return self._reverse.get(phrase, [])

    @property
    def _reverse(self) -> dict[str, list[str]]:
        if self._reverse_cache is None:
            self._reverse_cache = {}
            for key, phrases in self.table.items():
                for phrase in phrases:
                    self._reverse_cache.setdefault(phrase, []).append(key)
        return self._reverse_cache

    def expand(self, text: str, context: str = "") -> str:
        """``text`` with each acronym written in capitals followed by its phrase in
        parentheses ("the NTK regime" -> "the NTK (neural tangent kernel) regime").

        Only unambiguous acronyms are expanded, plus those that ``text`` or ``context`` (an
        abstract, say) defines themselves, which win. For matching phrases, never for display.
        """
        local = dict(definitions(text + "\n" + context)) if "(" in text + context else {}

        def spell(match: re.Match[str]) -> str:
            token = match.group(0)
            if not in_capitals(token):
                return token
            key = acronym_key(token)
            phrase = local.get(key) or self.unique(key)
            return f"{token} ({phrase})" if phrase else token

        return _CAPITALS_RE.sub(spell, text)

    def readings(self, text: str, words: Sequence[str]) -> dict[str, list[str]]:
        """For a query (as typed, and as search's folded words): word -> the phrases or
        acronyms it also matches. An acronym matches its phrases (one that is also a plain
        word only in capitals or as the whole query); each word of a phrase spelt out matches
        its acronyms (never a plain one: "neural ordinary differential equations" is not
        "node")."""
        if not self.table:
            return {}
        capitals = capital_keys(text)
        alone = len(set(words)) == 1
        out: dict[str, list[str]] = {}
        for word in words:
            if self.table.get(word) and (alone or word in capitals or word not in self.plain):
                out.setdefault(word, []).extend(self.table[word])
        for start, end, phrase in _spans(words):
            keys = [k for k in self.acronyms_of(phrase) if k not in self.plain]
            for word in words[start:end] if keys else ():
                out.setdefault(word, []).extend(keys)
        return {word: list(dict.fromkeys(found)) for word, found in out.items()}

    def variants(self, phrase: str) -> list[str]:
        """A folded phrase with one acronym spelt out, or one spelt-out phrase abbreviated
        ("ntk regime" -> "neural tangent kernel regime"), for phrase matching."""
        if not self.table:
            return []
        words = phrase.split()
        out = []
        for at, word in enumerate(words):
            for expansion in self.table.get(word, ()):
                out.append(" ".join([*words[:at], expansion, *words[at + 1:]]))
        for start, end, spelt in _spans(words):
            for key in self.acronyms_of(spelt):
                out.append(" ".join([*words[:start], key, *words[end:]]))
        return out

    def to_data(self) -> dict[str, Any]:
        """Plain data (a dict of lists) for caches and the HTML page."""
        return {"table": {k: list(v) for k, v in sorted(self.table.items())},
                "plain": sorted(self.plain)}

    @classmethod
    def from_data(cls, data: Any) -> Acronyms:
        """The table back from ``to_data``; an empty one for anything malformed."""
        try:
            table = {str(k): tuple(str(p) for p in v if isinstance(p, str) and p)
                     for k, v in data["table"].items() if isinstance(v, list)}
            plain = frozenset(str(k) for k in data["plain"])
        except (TypeError, KeyError, AttributeError):
            return cls()
        return cls({k: v for k, v in table.items() if k and v}, plain)


def _spans(words: Sequence[str]) -> Iterable[tuple[int, int, str]]:
    """Every run of two to MAX_LETTERS words: (start, end, the words joined)."""
    for start in range(len(words)):
        for end in range(start + 2, min(len(words), start + MAX_LETTERS) + 1):
            yield start, end, " ".join(words[start:end])


def derive(papers: Iterable[Any], headings: Iterable[str] = ()) -> Acronyms:
    """The acronyms of these papers (titles, key words, digests) and section headings."""
    defined: dict[str, Counter[str]] = {}
    used: Counter[str] = Counter()  # key-word phrase -> papers using it
    words: list[str] = []  # titles, key words and headings: where a plain word is seen
    texts: list[str] = []  # those and digests: where definitions are read
    for paper in papers:
        words.append(paper.title)
        words.extend(paper.keywords)
        if paper.digest:
            texts.append(paper.digest)
        for phrase in {keyword_norm(k) for k in paper.keywords}:
            used[phrase] += 1
    for heading in headings:
        used[keyword_norm(heading)] += 0  # known, but says nothing about how much it is used
        words.append(heading)
    for text in (*words, *texts):
        if "(" in text:
            for key, long in definitions(text):
                defined.setdefault(key, Counter())[long] += 1
    by_initials: dict[str, list[str]] = {}
    for phrase in used:
        for key in initials(phrase):
            by_initials.setdefault(key, []).append(phrase)
    table: dict[str, tuple[str, ...]] = {}
    for key, phrases in by_initials.items():
        table[key] = tuple(sorted(set(phrases), key=lambda p: (-used[p], p)))
    for key, longs in defined.items():
        table[key] = tuple(sorted(longs, key=lambda p: (-longs[p], -used[p], p)))
    plain = set()
    for token in set(re.findall(_TOKEN, "\n".join(words))):
        key = singular(token.lower())  # the token is ASCII: acronym_key without fold
        if key in table and not in_capitals(token):
            plain.add(key)
    return Acronyms(table, frozenset(plain))


def capital_keys(text: str) -> set[str]:
    """The keys of the words a text writes in capitals ("NTK and LLMs" -> {ntk, llm})."""
    return {acronym_key(t) for t in _CAPITALS_RE.findall(text) if in_capitals(t)}
