"""The key-word vocabulary: the spellings the catalog already uses, and their variants.

Two key words are variants when they agree after folding case, accents, hyphens and
plurals ("Large Language Models" ~ "large-language model"). The canonical spelling of a
group is the one most papers use (ties: the first in sorted order), so the vocabulary is
derived from the catalog itself and needs no list kept by hand.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

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


# Latin letters that NFKD does not decompose, so the ASCII step below would drop them
# ("Głuch" -> "guch", and "Gluch" would not find it): their usual ASCII spelling instead.
_UNDECOMPOSED = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T", "ß": "ss", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
})


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free form of a text (for comparing, never for display)."""
    if not text.isascii():  # isascii is O(1); most texts skip the table
        text = text.translate(_UNDECOMPOSED)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_WORD_RE.findall(ascii_text.lower()))


@functools.lru_cache(maxsize=8192)  # key words repeat across thousands of papers
def keyword_norm(keyword: str) -> str:
    """The form under which variants of a key word coincide (case, hyphens, plurals)."""
    return " ".join(singular(w) for w in fold(keyword).split())


class Vocabulary:
    """Key-word spellings in use, counted, grouped by normalized form."""

    def __init__(self, keywords: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter(k.strip() for k in keywords if k.strip())
        groups: dict[str, list[str]] = {}
        for spelling in sorted(self.counts):
            groups.setdefault(keyword_norm(spelling), []).append(spelling)
        self.groups = groups
        self._canonical = {
            norm: max(spellings, key=lambda s: (self.counts[s], [-ord(c) for c in s]))
            for norm, spellings in groups.items()
        }

    @classmethod
    def from_papers(cls, papers: Iterable) -> Vocabulary:
        """The vocabulary of these papers' key words."""
        return cls(k for p in papers for k in p.keywords)

    def canonical(self, keyword: str) -> str | None:
        """The spelling in use for this key word or a variant of it; None if it is new."""
        return self._canonical.get(keyword_norm(keyword))

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
