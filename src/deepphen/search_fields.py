"""What search reads in a paper: the words of each field, and its title and key words as
phrases (``deepphen.search`` indexes them; the HTML page's search.js reads them alike).

A title's words are those of the title as written and as the HTML page shows it, TeX math
as Unicode text (``deepphen.texmath``): "$\\ell_1$-Regularized" is found by "ell" and by "l1"
or "ℓ1", with ``deepphen search`` as on the page. Its phrase is the title as written.
"""

from __future__ import annotations

import re
from itertools import chain

from deepphen.models import Paper
from deepphen.search_query import content
from deepphen.vocab import search_tokens, singular

# Fields of the index, in the order of search's postings and weights.
FIELDS = ("title", "keywords", "surname", "names", "venue", "digest", "year")
UNIT = "\x1f"  # separates a paper's stored phrases; no word holds it
# Where a title's short name ends: "Deep Double Descent: Where Bigger Models ...".
HEAD_END = re.compile(r":|\s[-\u2013\u2014]{1,2}\s")


class FieldWords:
    """Reads papers' fields as search's words, each distinct text once: key words, names and
    venues recur across papers, and a word's plural is folded once."""

    def __init__(self) -> None:
        # Only building the index needs TeX shown as text; a search from the cache does not.
        from deepphen.texmath import unicode_math

        self._shown = unicode_math
        self._singulars: dict[str, str] = {}
        self._repeated: dict[str, tuple[list[str], list[str]]] = {}

    def words(self, text: str) -> tuple[list[str], list[str]]:
        """The text's words, plurals folded, and the single characters of its unspaced runs,
        which only postings hold (vocab.search_tokens)."""
        words, singles = search_tokens(text)
        out = []
        for word in words:
            folded = self._singulars.get(word)
            if folded is None:
                folded = self._singulars[word] = singular(word)
            out.append(folded)
        return out, singles

    def _recurring(self, text: str) -> tuple[list[str], list[str]]:
        words = self._repeated.get(text)
        if words is None:
            words = self._repeated[text] = self.words(text)
        return words

    def paper(self, paper: Paper) -> tuple[tuple[set[str], ...], str, str]:
        """The words of each of ``FIELDS`` in a paper, its phrases (the title's words, then
        each key word's, joined by ``UNIT``) and its title's head: the words before a colon
        or a dash, else the whole title's, without leading function words."""
        surnames: set[str] = set()
        names: set[str] = set()
        for author in paper.authors:
            parts, singles = self._recurring(author)
            if parts:
                surnames.add(parts[-1])
                names.update(parts[:-1], singles)
        title = self.words(paper.title)
        shown = self._shown(paper.title)
        title_words = {*title[0], *title[1]}
        if shown != paper.title:
            title_words.update(*self.words(shown))
        keywords = [self._recurring(k) for k in paper.keywords]
        fields = (
            title_words,
            {w for words in keywords for w in (*words[0], *words[1])},
            surnames, names - surnames,
            set(chain(*self._recurring(paper.venue or ""))),
            set(chain(*self.words(paper.digest or ""))),
            {str(paper.year)} if paper.year else set(),  # "Arora 2019": author and year
        )
        head = HEAD_END.split(paper.title, maxsplit=1)[0]
        return (fields, UNIT.join(" ".join(words) for words, _ in (title, *keywords)),
                content(" ".join(self.words(head)[0])))
