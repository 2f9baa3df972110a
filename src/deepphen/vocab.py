"""The key-word vocabulary: the spellings the catalog already uses, and their variants.

Two key words are variants when they agree after folding case, accents, hyphens and
plurals ("Large Language Models" ~ "large-language model"). The canonical spelling of a
group is the one most papers use (ties: the first in sorted order), so the vocabulary is
derived from the catalog itself and needs no list kept by hand.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

_WORD_RE = re.compile(r"[a-z0-9]+")


def singular(word: str) -> str:
    """The singular of an English plural (losses -> loss, hypotheses -> hypothesis); other
    words as they are. Key words and search fold plurals with it."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "as")):
        return word
    if word.endswith(("eses", "yses")) and len(word) > 5:
        return word[:-2] + "is"  # hypotheses -> hypothesis, analyses -> analysis
    if word.endswith(("sses", "xes", "ches", "shes", "iases")):
        return word[:-2]  # losses -> loss, approaches -> approach
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word


# Latin letters that NFKD does not decompose, so dropping non-ASCII would lose them
# ("Głuch" -> "guch", and "Gluch" would not find it): their usual ASCII spelling instead.
UNDECOMPOSED = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ẞ": "SS",
}
# Apostrophes and what stands in for one (quotes, primes, modifier letters, backtick and
# acute accent): deleted, so a word keeps together ("Don't", "Don’t", "Donʼt" -> "dont";
# "Occam's" -> "occams", which plural folding makes "occam"). The acute accent, oxia,
# koronis and psili would decompose to a space and a combining mark, so they go first.
APOSTROPHES = ("'`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02ca\u02cb\u0374\u055a"
               "\u1fbd\u1fbf\u1fef\u1ffd\u2018\u2019\u201a\u201b\u2032\u2035\ua78c"
               "\uff07\uff40")
# Greek letters, as titles use them ("ε-greedy", "μP", "β-VAE"): by name, so that they
# read as the ASCII spelling does ("epsilon-greedy", "muP") and do not vanish (which made
# "μP" fold to "p"). NFKD first turns math alphanumerics, the micro sign and symbol forms
# (ϵ, ϑ, ϕ) into these; capitals are looked up lower-cased.
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma",
    "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
# Kinds of character (Unicode general categories) that separate words: punctuation
# (dashes, quotes), symbols (minus, emoji), spaces and line breaks of any width, controls.
# Every other non-ASCII character left after the tables is dropped without splitting:
# combining accents, invisible ones inside a word (soft hyphen, zero-width space and
# joiners, BOM) and letters of other scripts.
_SEPARATING = ("P", "S", "Z", "Cc")  # a major class (one letter) or a category
# These decompose (NFKD) to a space and a combining mark, so they are dropped before it.
_DECOMPOSING_APOSTROPHES = re.compile("[\u00b4\u1fbd\u1fbf\u1ffd]")
_APOSTROPHE_DROP = dict.fromkeys(map(ord, APOSTROPHES))
_MAX_LEARNT = 1 << 16  # the table below learns each character once, up to this many


def _fold_char(char: str) -> str:
    """The ASCII that one non-ASCII character (of an NFKD text) folds to."""
    if char in APOSTROPHES:
        return ""
    spelled = GREEK.get(char.lower()) or UNDECOMPOSED.get(char)
    if spelled:
        return spelled
    category = unicodedata.category(char)
    return " " if category[0] in _SEPARATING or category in _SEPARATING else ""


class _FoldTable(dict):
    """``str.translate`` table that decides each character once, on first sight."""

    def __init__(self, decide: Callable[[str], str] = _fold_char) -> None:
        super().__init__()
        self.decide = decide

    def __missing__(self, code: int) -> str:
        value = self.decide(chr(code))
        if len(self) < _MAX_LEARNT:
            self[code] = value
        return value


_TABLE = _FoldTable()
# Non-ASCII runs met by ``encode`` go through the table: one call per run, not per character.
codecs.register_error("deepphen.fold",
                      lambda err: (err.object[err.start:err.end].translate(_TABLE), err.end))

# Scripts written without spaces between words, so that a word cannot be told from the
# text alone: East Asian wide letters (Han, kana, Hangul: Unicode's UAX #11) and the ranges
# of UAX #14's "complex context" scripts (Thai, Lao, Myanmar, Khmer, the Tai scripts, Ahom).
UNSPACED_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x1950, 0x19FF),
                   (0x1A20, 0x1AAF), (0xA9E0, 0xA9FF), (0xAA60, 0xAADF), (0x11700, 0x1174F))
_MARK = "\x01"  # put before each unspaced letter by the table below (controls never remain)
_RUNS = re.compile("(?:\x01[^\x01])+|[^\x01]+")


def _search_char(char: str) -> str:
    """What one character of a casefolded NFKD text becomes in search's words: fold's
    spelling where fold keeps or spells it, a digit's ASCII value, a letter of another script
    (or a spacing vowel sign, which is part of it) as it is; other marks, invisible and
    unassigned characters go without splitting, as accents do."""
    folded = _fold_char(char)
    if folded or char in APOSTROPHES:
        return folded
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))  # "٢٠٢٣" is 2023
    return char if category[0] in "LN" or category == "Mc" else ""


def _wide_letter(char: str) -> bool:
    """An East Asian wide letter or digit (UAX #11): of a script written without spaces."""
    return (unicodedata.east_asian_width(char) in ("W", "F")
            and unicodedata.category(char)[0] in "LN")


def _unspaced_char(char: str) -> str:
    code = ord(char)
    unspaced = _wide_letter(char) or any(start <= code <= end for start, end in UNSPACED_RANGES)
    return _MARK + char if unspaced else char


_SEARCH_TABLE = _FoldTable(_search_char)
_UNSPACED_TABLE = _FoldTable(_unspaced_char)

# Caches of folded text (search's index) are valid for this way of folding only (and for
# this Unicode: character categories and widths change between versions).
FOLD_RULES = (APOSTROPHES, tuple(GREEK.items()), tuple(UNDECOMPOSED.items()), _SEPARATING,
              _DECOMPOSING_APOSTROPHES.pattern, UNSPACED_RANGES, unicodedata.unidata_version)


@functools.cache
def script_tables() -> dict[str, list[int]]:
    """What the HTML page's search.js needs of this Python's Unicode data to read words as
    ``search_tokens`` does (JavaScript knows no East Asian widths or digit values): the
    letters of unspaced scripts, as flat [first, last] code point pairs, and the zero of
    each run of ten decimal digits (a digit's value is its distance from the zero before)."""
    spans = [list(span) for span in UNSPACED_RANGES]
    zeros = []
    for code in range(0x40000):  # wide letters and decimal digits all lie below
        char = chr(code)
        if unicodedata.category(char) == "Nd" and unicodedata.decimal(char) == 0:
            zeros.append(code)
        if _wide_letter(char):
            if spans[-1][1] == code - 1:
                spans[-1][1] = code
            else:
                spans.append([code, code])
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return {"unspaced": [code for span in merged for code in span], "zeros": zeros}


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free form of a text (for comparing, never for display).

    Lower-case ASCII words joined by single spaces. Spellings a reader takes for the same
    text fold alike: typographic and ASCII quotes, apostrophes (which join: "don't" ->
    "dont"), dashes and the minus sign (which split, as "-" does), spaces of any width,
    invisible characters inside words, ligatures, full-width forms, accents, and Greek
    letters by name ("μP" -> "mup").
    """
    if not text.isascii():  # isascii is O(1): most texts skip the tables
        text = unicodedata.normalize("NFKD", _DECOMPOSING_APOSTROPHES.sub("", text))
        text = text.encode("ascii", "deepphen.fold").decode("ascii")
    if "'" in text or "`" in text:  # NFKD makes them of full-width ones too
        text = text.replace("'", "").replace("`", "")
    return " ".join(_WORD_RE.findall(text.lower()))


def search_tokens(text: str) -> tuple[list[str], list[str]]:
    """The words search indexes and reads in a text, in order, and the single characters
    cut out of unspaced runs (for postings only).

    For Latin and Greek text these are ``fold``'s words. Letters of other scripts, which fold
    drops, are kept, case-folded and without their accents, combining marks and invisible
    characters (so NFC and NFD, full and half widths, "ё" and "е" are one): "Бурда" is
    "бурда". Scripts written without spaces (``UNSPACED_RANGES``: Chinese, Japanese, Korean,
    Thai...) have no words to cut, so each run of them is read as its overlapping pairs of
    characters ("深度学习" -> 深度 度学 学习) plus, second, its single characters: any
    substring of a title is then in the index, one character included.
    """
    if text.isascii():
        return fold(text).split(), []
    text = unicodedata.normalize("NFKD", _DECOMPOSING_APOSTROPHES.sub("", text))
    # NFC after the marks are gone puts Hangul syllables back together (NFKD cut them up).
    text = unicodedata.normalize("NFC", text.translate(_SEARCH_TABLE))
    words: list[str] = []
    singles: list[str] = []
    for word in text.translate(_UNSPACED_TABLE).casefold().split():
        if _MARK not in word:
            words.append(word)
            continue
        for run in _RUNS.findall(word):
            if not run.startswith(_MARK):
                words.append(run)
            elif len(run) == 2:
                words.append(run[1])
            else:
                chars = run[1::2]
                words.extend(chars[i:i + 2] for i in range(len(chars) - 1))
                singles.extend(chars)
    return words, singles


def fold_distinct(text: str) -> str:
    """``fold`` for telling texts apart (duplicate titles and authors, a renamed title).

    fold keeps ASCII only, so letters of other scripts vanish and "深度学习 Survey" would be
    "强化学习 Survey", a title of symbols alone the empty text. Here the letters and digits
    fold drops follow its words, case-folded ("survey 深度学习"), and a text of which nothing
    is left is compared case-folded as written; texts equal under fold alone stay equal.
    """
    folded = fold(text)
    if folded and text.isascii():
        return folded
    dropped = "".join(c for c in unicodedata.normalize("NFKD", text)
                      if not c.isascii() and c not in APOSTROPHES and not _TABLE[ord(c)]
                      and unicodedata.category(c)[0] in "LN").casefold()
    if dropped:
        return f"{folded} {dropped}".lstrip()
    if folded:
        return folded
    return " ".join(unicodedata.normalize("NFKC", _DECOMPOSING_APOSTROPHES.sub("", text))
                    .translate(_APOSTROPHE_DROP).casefold().split())


@functools.lru_cache(maxsize=8192)  # key words repeat across thousands of papers
def keyword_norm(keyword: str) -> str:
    """The form under which variants of a key word coincide (case, hyphens, plurals)."""
    return " ".join(singular(w) for w in fold(keyword).split())


@functools.lru_cache(maxsize=8192)
def keyword_key(keyword: str) -> str:
    """A key word's identity: ``keyword_norm``, told apart where fold drops letters, so that
    "深度学习" and "强化学习" are two key words, not variants of one ("" for both)."""
    norm = keyword_norm(keyword)
    if keyword.isascii() and norm:
        return norm
    distinct = fold_distinct(keyword)
    return norm if distinct == fold(keyword) else f"{norm}\x00{distinct}"


class Vocabulary:
    """Key-word spellings in use, counted, grouped by normalized form (``keyword_key``)."""

    def __init__(self, keywords: Iterable[str],
                 spell: Callable[[str], str] | None = None) -> None:
        """Count ``keywords``. ``spell`` (deepphen.tidy.tidy_keyword) gives a spelling as
        the list writes it: the canonical spelling of a group is then the most used of those
        forms ("Grokking." counting for "Grokking"), never one that lint's fixes rewrite,
        which made DP407 and DP409 undo each other on every --fix."""
        self.counts: Counter[str] = Counter(k.strip() for k in keywords if k.strip())
        groups: dict[str, list[str]] = {}
        for spelling in sorted(self.counts):
            groups.setdefault(keyword_key(spelling), []).append(spelling)
        self.groups = groups
        written = {s: (spell(s) if spell else s) or s for s in self.counts}
        uses: Counter[str] = Counter()
        for spelling, count in self.counts.items():
            uses[written[spelling]] += count
        self._canonical = {
            norm: max({written[s] for s in spellings},
                      key=lambda s: (uses[s], [-ord(c) for c in s]))
            for norm, spellings in groups.items()
        }

    @classmethod
    def from_papers(cls, papers: Iterable,
                    spell: Callable[[str], str] | None = None) -> Vocabulary:
        """The vocabulary of these papers' key words (``spell``: see the class)."""
        return cls((k for p in papers for k in p.keywords), spell)

    def canonical(self, keyword: str) -> str | None:
        """The spelling in use for this key word or a variant of it; None if it is new."""
        return self._canonical.get(keyword_key(keyword))

    def uses(self, keyword: str) -> int:
        """How many times this key word is used, however spelt ("Generalization." too)."""
        return sum(self.counts[s] for s in self.groups.get(keyword_key(keyword), ()))

    def variant_groups(self) -> dict[str, list[str]]:
        """Groups that are spelt more than one way: canonical -> the other spellings."""
        return {
            self._canonical[norm]: [s for s in spellings if s != self._canonical[norm]]
            for norm, spellings in self.groups.items()
            if len(spellings) > 1
        }

    def __contains__(self, keyword: str) -> bool:
        return keyword in self.counts

    def __len__(self) -> int:
        return len(self.counts)


# Words that carry no topic: a query's "why does ... happen", "et al." weigh little in search
# (deepphen.search), unless the query has no other word.
FUNCTION_WORDS = frozenset(re.findall(r"\S+", """
a an the of in on for to and or nor with by from as at is are be been being was were it its
this that these those we our us they their them which who whom whose what when where while
why how than then there here has have had do does did can could may might must shall should
will would into onto about via per also each such both either any all some no not only so
very just i you he she his her your my me et al vs versus paper papers
"""))
# British spellings and the American ones (the list's and arXiv's usual): endings, longest
# first. "ise" is safe here: a stem only compares words, so "noise" -> "noiz" meets nothing.
_AMERICAN = (("isations", "ization", 2), ("isation", "ization", 2), ("ising", "izing", 2),
             ("ised", "ized", 2), ("iser", "izer", 2), ("ise", "ize", 2),
             ("ysing", "yzing", 2), ("ysed", "yzed", 2), ("yse", "yze", 2),
             ("ours", "or", 3), ("our", "or", 3),  # behaviour, colour; never four or hour
             ("ellings", "eling", 2), ("elling", "eling", 2), ("elled", "eled", 2),
             ("tre", "ter", 2))
# Inflections cut off to compare a word's forms (collapse, collapsed, collapsing), first
# match only, leaving at least MIN_STEM letters; no "-er": "transformer" is no "transform".
_INFLECTIONS = ("ations", "ation", "ions", "ion", "ings", "ing", "ed", "e")
MIN_STEM = 4


def form_tables() -> dict[str, object]:
    """The tables of ``american`` and ``stem``, for the HTML page's search.js to read words'
    forms as search does."""
    return {"american": [list(rule) for rule in _AMERICAN], "inflections": list(_INFLECTIONS),
            "min_stem": MIN_STEM}


def american(word: str) -> str:
    """A folded word in American spelling ("generalisation" -> "generalization",
    "behaviour" -> "behavior", "modelling" -> "modeling"); other words as they are."""
    for british, us, root in _AMERICAN:
        if word.endswith(british) and len(word) - len(british) >= root:
            return word[: -len(british)] + us
    return word


def stem(word: str) -> str:
    """What a folded, singular word's inflections and spellings share: American spelling,
    then one inflection cut and a doubled last letter undone ("memorising", "memorized",
    "memorization" -> "memoriz"; "grokked", "grokking" -> "grok"). Words that share a stem
    are forms of one another for search; it is a key, never shown."""
    word = american(word)
    for ending in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    if len(word) >= MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # grokk -> grok, stopp -> stop; "class", "modell" keep theirs
    return word
