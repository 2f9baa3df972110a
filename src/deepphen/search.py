"""Ranked, typo-tolerant search over the catalog.

How a query is scored (every score is in 0..1, best first):

1. The query and every field are folded (case, accents, punctuation) and cut into words
   (``vocab.search_tokens``: fold's words, other scripts' too, and the overlapping character
   pairs of scripts written without spaces); plurals are folded too, so word order, case
   and accents never matter. A title is read as written and as the HTML page shows it, TeX
   math as text (``deepphen.search_fields``: "$\\ell_1$" is found by "ell" and by "l1").
2. Each query word is matched against the catalog's vocabulary of words: exactly, as the
   prefix of a longer word ("colla" -> "collapse"), and, when it is not a word of the catalog
   at all, by edit similarity with rapidfuzz ("grokin" -> "grokking", "tiket" -> "ticket").
   A fuzzy or prefix match counts for less than an exact one. Compounds match however they
   are written ("pretraining", "pre-training", "pre training": ``COMPOUND``), a word's other
   forms and spellings a little less than itself (``vocab.stem``: "collapsing" -> "collapse",
   "generalisation" -> "generalization": ``FORM``, ``VARIANT``).
3. Where a word matches counts too: title, key words and author surnames weigh most, then
   other name parts, the venue and year ("Arora 2019"), and the digest least. So a key-word
   or title match outranks a digest mention. Words are weighted by rarity (idf), and function
   words ("why does ... happen", "et al.": ``deepphen.search_query``) weigh little beside
   others, except in a paper that holds the whole query as a phrase.
4. The score mixes: the idf-weighted mean of each word's best field match (65%), how well the
   whole query matches as a phrase (20%: the exact title or a key word, else a phrase inside
   them), and how broadly each word matches across fields (15%: title and key words both is
   best). Ties go to the newer paper. The exact title scores 1, a title's head (before a
   colon) asked for next ("deep double descent": ``TITLE_HEAD``). A long query (an
   abstract) needs a smaller share of its words matched.

An arXiv id ("arXiv 2201.02177" too) or arxiv.org URL (or any link of a paper) finds that
paper alone.

Acronyms the catalog defines (``deepphen.acronyms``: NTK, LTH) also match their phrase in
titles, key words and digests, and a phrase spelt out its acronym, a little less than the word
itself (``ACRONYM``) so that literal matches stay on top.

The index behind this is plain data (dicts, lists, bytes), built once per catalog state and
cached beside the papers (``deepphen.cache.derived``), so a search reads no TOML and decodes
only the papers it shows.
"""

from __future__ import annotations

import math
import pickle
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from deepphen import acronyms, ids
from deepphen.cache import source_digest
from deepphen.hints import nothing_matched
from deepphen.models import Paper
from deepphen.order import newest_key
from deepphen.search_fields import FIELDS, UNIT, FieldWords
from deepphen.search_query import (
    check_query,
    content,
    link_key,
    query_words,
    written_initials,
)
from deepphen.vocab import FOLD_RULES, american, stem

# The cached index is valid only for this code and this way of folding words.
INDEX_VERSION = (11, acronyms.VERSION, FOLD_RULES,
                 source_digest("search.py", "search_fields.py", "search_query.py", "vocab.py",
                               "texmath.py"))

# The weights of the index's fields: a title or key-word match outranks a digest mention.
WEIGHTS = (1.0, 1.0, 1.0, 0.7, 0.6, 0.5, 0.5)
# How the index fields are reported to users.
REPORTED = {"title": "title", "keywords": "keywords", "surname": "authors", "names": "authors",
            "venue": "venue", "digest": "digest", "year": "year"}
EXACT, PREFIX = 1.0, 0.85
NEAR_EXACT = 0.99  # the best score of anything but the exact title, its head or an id
TITLE_HEAD = 0.995  # a title's head asked for ("deep double descent", "the lottery ticket ...")
ACRONYM = 0.9  # an acronym matching its phrase, or a phrase its acronym
COMPOUND = 0.95  # "pretraining" matching "pre-training" (or "pre training"), and back
VARIANT = 0.99  # another spelling of the word: "generalisation" for "generalization"
FORM = 0.9  # another form of the word (vocab.stem): "collapsing" for "collapse"
FUNCTION = 0.15  # a function word's weight beside other words: "why", "the", "et al"
MAX_SPELT = 8  # query phrases with a compound spelt otherwise: each is compared with each hit
ACRONYM_FIELDS = (0, 1, 5)  # title, key words, digest: where text spells phrases out
NAMES = FIELDS.index("names")  # given names, which an initial stands for ("S. Arora")
SURNAME = FIELDS.index("surname")
NAME_FIELDS = (SURNAME, NAMES)  # where a word's other forms never count
MAX_PREFIX_TERMS = 40
MIN_FORM = 3  # shorter words have no other forms to look for ("sam" is no "same")
IN_TITLE, IN_KEYWORD = 0.8, 0.6  # _phrase: the query inside the title, inside a key word
PHRASE_HELD = 0.6  # _phrase: the query inside the title or a key word
MIN_BASE = 0.25  # below this idf-weighted match a paper is not a hit
FEW_WORDS = 8  # queries of more words (an abstract) need less of each: MIN_BASE * 8 / words
BROAD = 2.0  # a word found in title and key words (weights 1 + 1) is fully "broad"
MIX = (0.65, 0.2, 0.15)  # a score's shares: words matched, the query as a phrase, breadth


class Hit(NamedTuple):
    """One search result: the paper, its score in 0..1, and the fields the query matched."""

    paper: Paper
    score: float
    fields: tuple[str, ...] = ()


class SearchIndex:
    """Word postings per field plus what phrase scoring and tie-breaking need.

    Papers are referred to by their position in the list the index was built from. The
    stored form is a few large strings and arrays rather than many small objects, because
    loading it is part of every search's start-up: ``terms`` is the sorted vocabulary; for
    each field, ``starts[f][t]:starts[f][t + 1]`` slices ``papers[f]`` to the papers whose
    field ``f`` holds term ``t``.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.size: int = data["size"]
        self.terms: list[str] = data["terms"].split("\n") if data["terms"] else []
        self.starts = [array("I", raw) for raw in data["starts"]]
        self.papers = [array("I", raw) for raw in data["papers"]]
        self.order = array("I", data["order"])
        self._links: dict[str, int] | None = None
        self._heads: list[str] | None = None
        self.acronyms = acronyms.Acronyms.from_data(data.get("acronyms"))

    @staticmethod
    def valid(data: Any, size: int) -> bool:
        """True when ``data`` (read from the cache) is an index of ``size`` papers that
        every query can use: the right types and lengths, and every position in range."""
        if not (isinstance(data, dict) and data.get("size") == size
                and type(data.get("terms")) is str and type(data.get("links")) is bytes
                and type(data.get("order")) is bytes and len(data["order"]) == 4 * size
                and type(data.get("acronyms")) is dict and type(data.get("stems")) is str
                and type(data.get("heads")) is str
                and data["heads"].count("\n") == max(0, size - 1)):
            return False
        phrases, starts, papers = data.get("phrases"), data.get("starts"), data.get("papers")
        if not (type(phrases) is list and len(phrases) == size
                and all(type(p) is str for p in phrases)):
            return False
        if not (type(starts) is list and type(papers) is list
                and len(starts) == len(papers) == len(FIELDS)):
            return False
        terms = len(data["terms"].split("\n")) if data["terms"] else 0
        for raw_starts, raw_papers in zip(starts, papers, strict=True):
            if not (type(raw_starts) is bytes and type(raw_papers) is bytes
                    and len(raw_starts) == 4 * (terms + 1) and len(raw_papers) % 4 == 0):
                return False
            # Offsets out of order only slice to nothing; a position past the papers would
            # fail, so that is checked (max over an array is cheap).
            positions = array("I", raw_papers)
            if positions and max(positions) >= size:
                return False
        return True

    @classmethod
    def build(cls, papers: Sequence[Paper]) -> SearchIndex:
        """Index these papers (positions in ``papers`` are the ids used in results)."""
        postings: list[dict[str, list[int]]] = [{} for _ in FIELDS]
        links: dict[str, int] = {}
        reader = FieldWords()
        phrases, heads = [], []
        for i, paper in enumerate(papers):
            texts, phrase, head = reader.paper(paper)
            heads.append(head)
            for field_postings, words in zip(postings, texts, strict=True):
                for word in words:
                    field_postings.setdefault(word, []).append(i)
            for key in [link_key(link.url) or link.url for link in paper.links] + (
                    [paper.arxiv] if paper.arxiv else []):
                links.setdefault(key, i)
                links.setdefault(ids.archive_id(key), i)  # math.GT/0309136 is math/0309136
            phrases.append(phrase)  # title, then key words, for phrase matching
        terms = sorted({w for fp in postings for w in fp})
        # Each term after its stem, "stem<TAB>term" ("stem<TAB>" for a term that is its own
        # stem), sorted: a word's other forms are one find away.
        stems = sorted(f"{key}\t{'' if key == term else term}"
                       for term, key in zip(terms, map(stem, terms), strict=True))
        starts, flat = [], []
        for field_postings in postings:
            offsets, positions = array("I", [0]), array("I")
            for term in terms:
                positions.extend(field_postings.get(term, ()))
                offsets.append(len(positions))
            starts.append(offsets.tobytes())
            flat.append(positions.tobytes())
        rank = sorted(range(len(papers)), key=lambda i: newest_key(papers[i]), reverse=True)
        order = array("I", bytes(4 * len(papers)))
        for position, i in enumerate(rank):
            order[i] = position
        return cls({
            "size": len(papers),
            "terms": "\n".join(terms),  # words never hold a line break (vocab.search_tokens)
            "starts": starts,
            "papers": flat,
            "phrases": phrases,
            "order": order.tobytes(),
            "stems": "".join(f"\n{line}" for line in stems) + "\n",
            "heads": "\n".join(heads),
            "links": pickle.dumps(links),  # decoded only for id and URL queries
            "acronyms": acronyms.derive(papers).to_data(),
        })

    def _term_index(self, word: str) -> int | None:
        at = bisect_left(self.terms, word)
        return at if at < len(self.terms) and self.terms[at] == word else None

    def _posting(self, field: int, term: int) -> array:
        starts = self.starts[field]
        return self.papers[field][starts[term]:starts[term + 1]]

    def _initial(self, letter: str) -> set[int]:
        """The papers with a given name that ``letter`` is the initial of."""
        start, end = (bisect_left(self.terms, c) for c in (letter, chr(ord(letter) + 1)))
        return {i for term in range(start, end) for i in self._posting(NAMES, term)}

    def _head(self, i: int) -> str:
        if self._heads is None:  # only for a query that a title holds as a phrase
            self._heads = self.data["heads"].split("\n")
        return self._heads[i]

    def _phrase_parts(self, i: int) -> list[str]:
        return self.data["phrases"][i].split(UNIT)

    def link(self, key: str) -> int | None:
        """The position of the paper with this arXiv id or link, if any."""
        if self._links is None:
            from deepphen.cache import safe_loads

            self._links = safe_loads(self.data["links"])
        return self._links.get(key)

    def _forms(self, word: str) -> list[tuple[str, float]]:
        """The catalog's other forms and spellings of ``word`` (same ``vocab.stem``)."""
        stems, key = self.data["stems"], f"\n{stem(word)}\t"
        out = []
        at = stems.find(key)
        while at >= 0 and stems.startswith(key, at):  # sorted: a stem's lines run together
            end = stems.find("\n", at + 1) % (len(stems) + 1)  # -1: the text's end
            term = stems[at + len(key):end] or key[1:-1]
            if term != word:
                out.append((term, VARIANT if american(term) == american(word) else FORM))
            at = end
        return out

    def _is_name(self, word: str, *fields: int) -> bool:
        """Whether ``word`` is an author's name in the catalog (in ``fields``: by default
        surnames and given names)."""
        at = self._term_index(word)
        return at is not None and any(len(self._posting(field, at))
                                      for field in fields or NAME_FIELDS)

    def _expand(self, word: str) -> tuple[list[tuple[str, float]], set[str]]:
        """Catalog words that ``word`` stands for, with a match quality in 0..1; and those
        of them that are only its other forms, which never match an author's name ("well"
        is no "Welling")."""
        found: list[tuple[str, float]] = []
        if self._term_index(word) is not None:
            found.append((word, EXACT))
        if len(word) >= 3 and not self.acronyms.expansions(word):  # "icl" is no "iclr"
            start = bisect_left(self.terms, word)
            for term in self.terms[start:start + MAX_PREFIX_TERMS + 1]:
                if not term.startswith(word):
                    break
                if term != word:
                    found.append((term, PREFIX))
        # A name has no other forms ("Welling" is no "well", "Torre" no "Torr").
        forms = self._forms(word) if len(word) > MIN_FORM and not self._is_name(word) else []
        if not found and len(word) >= 4:
            # Only a word the catalog does not contain pays for rapidfuzz (and its import).
            from rapidfuzz import fuzz, process

            cutoff = 75  # one edit of a four-letter word: 75; longer words score higher
            for term, similarity, _ in process.extract(
                word, self.terms, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
            ):
                found.append((term, 0.9 * (similarity / 100) ** 2))
            if found:  # a typo's forms rank below its corrections: "overfiting" is
                top = 0.95 * found[0][1]  # "overfitting" before "overfit"
                forms = [(term, min(quality, top)) for term, quality in forms]
        only_forms = {term for term, _ in forms} - {term for term, _ in found}
        return found + forms, only_forms

    def query(self, text: str, allowed: set[int] | None = None,
              limit: int | None = None) -> list[tuple[int, float, tuple[str, ...]]]:
        """Rank papers for a checked query: (position, score, matched fields), best first."""
        key = link_key(text)
        if key is not None:
            position = self.link(key)
            position = self.link(ids.archive_id(key)) if position is None else position
            if position is None or (allowed is not None and position not in allowed):
                return []
            return [(position, 1.0, ("arxiv",) if ids.is_arxiv_id(key) else ("links",))]
        words, distinct, light = query_words(text)
        # A letter is an initial when written so ("S. Arora"), or beside a surname the
        # catalog has ("Arora S"); else a word ("q learning", "k means", "y = f(x)").
        initials = written_initials(text)
        if any(self._is_name(w, SURNAME) for w in distinct if len(w) > 1):
            initials |= {w for w in distinct if len(w) == 1 and w.isalpha()}
        read_as = self.acronyms.readings(text, words)
        total_idf = total_full = 0.0
        base: dict[int, float] = {}
        # What function words add to base and breadth at their whole weight
        lit: dict[int, float] = {}
        lit_breadth: dict[int, float] = {}
        breadth: dict[int, float] = {}
        matched: dict[int, set[str]] = {}
        corrected: dict[str, str] = {}  # misspelt word -> its best fuzzy match, for phrases
        compounds, spelt = self._compounds(words)
        for word in distinct:
            terms, forms = self._expand(word)
            top = max(terms, key=lambda t: t[1], default=(word, EXACT))
            # A misspelt word or another form reads as the catalog's word in phrases.
            corrected[word] = word if top[1] in (EXACT, PREFIX) else top[0]
            extra = [(field, papers, ACRONYM) for p in read_as.get(word, ())
                     for field, papers in self._phrase_postings(p)]
            if word in initials:  # "S. Arora": not "q learning", "k means", "y = f(x)"
                extra.append((NAMES, self._initial(word), EXACT))
            for spelling in compounds.get(word, ()):
                if " " not in spelling:
                    terms.append((spelling, COMPOUND))
                    continue
                if not terms or terms[0][1] < EXACT:
                    corrected[word] = spelling  # the phrase as the catalog writes it
                extra += [(field, papers, COMPOUND)  # a phrase, not words in a digest
                          for field, papers in self._phrase_postings(spelling) if field < 2]
            # Weighed over the whole catalog: a filter narrows the papers shown, it does not
            # change how the query is read (the page's search does the same).
            best, fields_of = self._match_word(terms, extra, forms)
            whole = math.log(1 + self.size / max(1, len(best)))
            idf = whole * (FUNCTION if word in light else 1)
            total_idf += idf
            total_full += whole
            for i, (value, summed) in best.items():
                base[i] = base.get(i, 0.0) + idf * value
                breadth[i] = breadth.get(i, 0.0) + idf * min(1.0, summed / BROAD)
                matched.setdefault(i, set()).update(fields_of[i])
            if word in light:
                for i, (value, summed) in best.items():
                    lit[i] = lit.get(i, 0.0) + (whole - idf) * value
                    lit_breadth[i] = lit_breadth.get(i, 0.0) + (
                        whole - idf) * min(1.0, summed / BROAD)
        if not total_idf:
            return []
        phrase = " ".join(corrected.get(w, w) for w in words)
        variants = self.acronyms.variants(phrase) + spelt
        topic = content(phrase)  # "what is the lottery ticket hypothesis": its phrase too
        floor = MIN_BASE * min(1.0, FEW_WORDS / max(1, len(distinct) - len(light)))
        hits = []
        for i, value in base.items():
            if allowed is not None and i not in allowed:
                continue
            value, broad, own = value / total_idf, breadth[i] / total_idf, None
            if light and (base[i] + lit.get(i, 0.0)) / total_full >= floor:
                # Function words count as the others in a paper holding the query as a
                # phrase: "on the theory of" is that title's, not any theory paper's.
                own = self._phrase(i, phrase)
                if own >= PHRASE_HELD:
                    value = (base[i] + lit.get(i, 0.0)) / total_full
                    broad = (breadth[i] + lit_breadth.get(i, 0.0)) / total_full
            if value < floor:
                continue
            phrased = max((ACRONYM * self._phrase(i, v) for v in variants), default=0.0)
            own = self._phrase(i, phrase) if own is None else own
            if topic != phrase and own < 1:
                own = max(own, self._phrase(i, topic))
            score = MIX[0] * value + MIX[1] * max(own, phrased) + MIX[2] * broad
            # 1 is the exact title's alone (and an id's): a key word matched exactly with
            # every word in the title also sums to 1, and tied with the title asked for.
            # Next the title's head ("Deep Double Descent: ..."), which names the paper.
            if phrase == self._phrase_parts(i)[0]:
                score = 1.0
            else:
                score = TITLE_HEAD if own >= IN_TITLE and topic == self._head(i) else min(
                    score, NEAR_EXACT)
            fields = tuple(f for f in ("title", "keywords", "authors", "venue", "year", "digest")
                           if f in matched[i])
            hits.append((i, round(score, 4), fields))
        hits.sort(key=lambda h: (-h[1], self.order[h[0]]))
        return hits[:limit] if limit else hits

    def _match_word(self, terms: list[tuple[str, float]],
                    extra: Iterable[tuple[int, Iterable[int], float]] = (),
                    forms: set[str] | frozenset[str] = frozenset()
                    ) -> tuple[dict[int, tuple[float, float]], dict[int, set[str]]]:
        """Per paper: (best weighted match of a query word's terms, sum over its fields);
        ``extra``: (field, papers, quality) matched through an acronym or a compound;
        ``forms``: terms that match outside the authors' names only."""
        per_field: list[dict[int, float]] = [{} for _ in FIELDS]
        for term, quality in terms:
            at = self._term_index(term)
            if at is None:
                continue
            for field, field_scores in enumerate(per_field):
                if term in forms and field in NAME_FIELDS:
                    continue
                for i in self._posting(field, at):
                    if quality > field_scores.get(i, 0.0):
                        field_scores[i] = quality
        for field, papers, quality in extra:
            per_field[field].update({i: quality for i in papers
                                     if per_field[field].get(i, 0.0) < quality})
        best: dict[int, tuple[float, float]] = {}
        fields_of: dict[int, set[str]] = {}
        for name, weight, field_scores in zip(FIELDS, WEIGHTS, per_field, strict=True):
            for i, quality in field_scores.items():
                value, summed = best.get(i, (0.0, 0.0))
                best[i] = (max(value, weight * quality), summed + weight * quality)
                fields_of.setdefault(i, set()).add(REPORTED[name])
        return best, fields_of

    def _compounds(self, words: list[str]) -> tuple[dict[str, list[str]], list[str]]:
        """Compounds as the catalog writes them: a query word that is two of its words run
        together ("pretraining" -> "pre training", as "pre-training" folds), two query words
        it writes as one (both "pre" and "training" -> "pretraining"); and the query's
        words with each put in, for phrase matching."""
        out: dict[str, list[str]] = {}
        phrases = []
        for at, word in enumerate(words):
            for cut in range(2, len(word) - 1):
                if None not in (self._term_index(word[:cut]), self._term_index(word[cut:])):
                    out.setdefault(word, []).append(f"{word[:cut]} {word[cut:]}")
                    phrases.append(" ".join([*words[:at], out[word][-1], *words[at + 1:]]))
        for at, (first, second) in enumerate(pairwise(words)):
            if self._term_index(first + second) is not None:
                out.setdefault(first, []).append(first + second)
                out.setdefault(second, []).append(first + second)
                phrases.append(" ".join([*words[:at], first + second, *words[at + 2:]]))
        return ({word: list(dict.fromkeys(found)) for word, found in out.items()},
                list(dict.fromkeys(phrases))[:MAX_SPELT])

    def _phrase_postings(self, phrase: str) -> list[tuple[int, set[int]]]:
        """(field, papers) whose title, key words or digest hold ``phrase`` (words in order
        for title and key words; the digest, kept as words only, holds them all)."""
        at = [self._term_index(w) for w in phrase.split()]
        if not at or any(a is None for a in at):
            return []
        out = []
        for field in ACRONYM_FIELDS:
            common = set(self._posting(field, at[0])).intersection(
                *(self._posting(field, a) for a in at[1:]))
            if len(at) > 1 and field < 2:  # a phrase, not scattered words
                common = {i for i in common if any(f" {phrase} " in f" {part} " for part in (
                    self._phrase_parts(i)[slice(0, 1) if field == 0 else slice(1, None)]))}
            out.append((field, common))
        return out

    def _phrase(self, i: int, phrase: str) -> float:
        """How well the whole query matches the title or a key word as a phrase."""
        title, *keywords = self._phrase_parts(i)
        if phrase == title or phrase in keywords:
            return 1.0
        if f" {phrase} " in f" {title} ":
            return IN_TITLE
        if any(f" {phrase} " in f" {k} " for k in keywords):
            return IN_KEYWORD
        return 0.0


def search(papers: list[Paper], query: str, *, limit: int | None = None) -> list[Hit]:
    """Rank ``papers`` for ``query``, best first; DeepphenError for an empty or absurd query."""
    text = check_query(query)
    index = SearchIndex.build(papers)
    return [Hit(papers[i], score, fields) for i, score, fields in index.query(text, limit=limit)]


def search_catalog(root: Path, query: str | None, *, keep: Callable[[Paper], bool] | None = None,
                   limit: int | None = None, keywords: Iterable[str] = (), snap: Any = None
                   ) -> list[Hit]:
    """Search a catalog through the cache (``snap``: its snapshot, if taken); ``keep`` filters.

    Without a query, every kept paper is a hit (score 1.0) in the page's order, newest first.
    Raises NoMatch (exit 1) with the closest titles or key words when nothing matches, or
    the closest to ``keywords`` (``--keyword``'s values) no paper has (``nothing_matched``).
    """
    from deepphen.cache import derived, snapshot
    from deepphen.catalog import read_paper, retry_if_vanished

    text = check_query(query) if query is not None else None
    # A writer may delete a file between listing and reading: list again, as load_papers does.
    snap = snap or retry_if_vanished(lambda: snapshot(root, read_paper))
    allowed = None
    if keep is not None:
        allowed = {i for i in range(len(snap)) if keep(snap.paper(i))}
    if text is None:
        kept = [snap.paper(i) for i in sorted(allowed if allowed is not None else range(len(snap)))]
        kept.sort(key=newest_key, reverse=True)
        if not kept:
            raise nothing_matched(snap.papers(), None, True, keywords)
        return [Hit(p, 1.0) for p in (kept[:limit] if limit else kept)]
    data = derived(snap, "search-index", INDEX_VERSION,
                   lambda: SearchIndex.build(snap.papers()).data,
                   valid=lambda value: SearchIndex.valid(value, len(snap)))
    ranked = SearchIndex(data).query(text, allowed, limit)
    if not ranked:
        raise nothing_matched(snap.papers(), text, keep is not None, keywords)
    return [Hit(snap.paper(i), score, fields) for i, score, fields in ranked]
