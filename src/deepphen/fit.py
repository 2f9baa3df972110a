"""How well new arXiv papers fit the catalog, learnt at run time from the catalog itself.

Nothing is bundled: the model is the catalog being pointed at (its titles, key words,
authors, and the abstracts of its papers when the caller has them). Ranking is contrastive:
the catalog's papers are the positive examples and the candidates being ranked (a week of
arXiv listings) stand for "everything else", so a word counts for a candidate by how much
more often the catalog uses it than the listings do. "Large language model" is frequent in
both and says little; "neural collapse" is frequent in the catalog only and says much. Per
word a smoothed log-ratio of document frequencies (a Bernoulli naive Bayes), the catalog's
key words spelt out in the text as features of their own, each standing for its words (one
piece of evidence, not one per word); the weights centred and scaled over the listing,
summed over the candidate's words and divided by the square root of their number (a
z-score, blind to text length); shared authors add to it. Where the catalog
has titles only (its papers' abstracts not fetched), the same contrast of its titles against
the candidates' titles is added: like compared with like. Measured against a TF-IDF
nearest-neighbour ranking in bench/eval_discover.py, variants in bench/eval_fit_variants.py
(docs/benchmarks.md).

Each score explains itself (``Fit.why``: nearest catalog papers, the catalog's key words it
spells out, shared authors); sections and key words are suggested by deepphen.suggest, as
``add`` does. Both are worked out on first use, so ranking thousands of candidates pays only
for the ones shown.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from deepphen.arxiv import ArxivEntry
from deepphen.models import Paper, Settings
from deepphen.printable import shorten
from deepphen.suggest import KeywordSuggester, SectionModel
from deepphen.vocab import fold, keyword_norm

# Function words only: unlike search and suggest, the ranking keeps "we find", "why",
# "surprisingly", "propose", "method": how a paper speaks tells an analysis of a phenomenon
# (the list's kind) from a new method, and the contrast learns which is which.
_FUNCTION_WORDS = frozenset(re.findall(r"\S+", """
a an the of in on for to and or nor with by from as at is are be been being was were it its
this that these those we our us they their them which who whom whose what when where while
than then there here has have had do does did can could may might must shall should will
would into onto over under about above below between among through during via per also
each such both either neither any all some no not only so very just more most less least
i you he she his her your my me one
"""))
_WORD_RE = re.compile(r"[a-z][a-z0-9]+|\d+[a-z]+[a-z0-9]*")
STEM = 7  # words cut to a prefix: a crude stemmer ("emergent" meets "emergence")


def word_tokens(text: str) -> set[str]:
    """Words: folded, singular, stemmed; function words out.

    No pairs of adjacent words: the phrases that matter are the catalog's key words, which
    count as features of their own, and a pair next to its two words was the same evidence
    three times over (bench/eval_fit_variants.py, ``no-pairs``). Interned: thousands of
    candidates share most of their words, held once.
    """
    return folded_word_tokens(fold(text))


def folded_word_tokens(folded: str) -> set[str]:
    """``word_tokens`` of a text already folded (``vocab.fold``): one fold serves the words
    and the key words found in the text (``PhraseIndex.find_folded``)."""
    words = itertools.filterfalse(_FUNCTION_WORDS.__contains__, _WORD_RE.findall(folded))
    return set(map(_stem, words))


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return sys.intern(keyword_norm(word)[:STEM])


@functools.lru_cache(maxsize=8192)  # the catalog's key words, met in paper after paper
def _phrase_tokens(phrase: str) -> frozenset[str]:
    return frozenset(word_tokens(phrase))


NEIGHBOURS = 3  # catalog papers shown in ``why``
QUERY_TERMS = 25  # a candidate's heaviest words looked up for its nearest papers and sections
# Smoothing of the document frequencies (pseudo-documents per class), and the fewest
# documents (catalog and candidates together) a word must appear in to count at all: a word
# seen once says nothing about a class.
ALPHA = 1.0
MIN_DOCS = 2
# The listing's document frequencies are shrunk towards PRIOR_RATE with the weight of
# PRIOR_DOCS documents, so that a short listing (a few candidates, as in a quick check)
# does not make every word of its own look common; a listing of hundreds barely feels it.
PRIOR_DOCS = 20
PRIOR_RATE = 0.02
# Per shared author (see Authors), at most two, in the units of the word evidence (z):
# bench/eval_fit_variants.py, ``authors-*``.
AUTHOR_WEIGHT = 1.0
# A catalog of titles (no abstracts fetched) is compared with the candidates' whole texts,
# unlike with like; a second contrast of titles against titles is added, weighted by the
# share of catalog papers without an abstract (bench/eval_fit_variants.py: +0.01 to +0.05
# recall on titles-only catalogs, none with abstracts).
TITLE_WEIGHT = 0.5
# The score is the logistic of (evidence - MIDPOINT) * SLOPE. The evidence is a z-score-like
# sum (see ``rank``), so the same paper scores alike in listings of a hundred papers or more
# (MIN_LISTING); a smaller one is too little of arXiv to tell what is ordinary in it, and
# scores its papers on the catalog's subjects lower (more so the more of them it holds). On the
# evaluation (docs/benchmarks.md) about 1 % of a listing's papers reach MIDPOINT (0.5 % when
# the catalog has titles only), while half of the hidden catalog papers score above 0.93
# (0.75 with titles only).
MIDPOINT = 5.0
SLOPE = 0.8
MIN_LISTING = 100  # docs/benchmarks.md, "Small listings"
KEYWORD_PREFIX = "kw:"



@dataclass(frozen=True, slots=True)
class Neighbour:
    """A catalog paper close to a candidate (cosine similarity of TF-IDF vectors)."""

    key: str
    title: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Why:
    """The evidence behind a score: nearest catalog papers, shared key words and authors."""

    neighbours: list[Neighbour] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        return {
            "neighbours": [{"key": n.key, "title": n.title, "similarity": n.similarity}
                           for n in self.neighbours],
            "keywords": list(self.keywords),
            "authors": list(self.authors),
        }


class Fit:
    """A candidate, its score (0..1, comparable across runs of MIN_LISTING or more) and why.

    ``evidence`` (unbounded, z-score-like) orders the ranking; the score is its logistic,
    rounded for display, which would tie at the top. ``why`` and the suggestions are worked
    out on first use when ``FitModel.rank`` made the Fit.
    """

    def __init__(self, entry: ArxivEntry, score: float, why: Why | None = None,
                 model: FitModel | None = None, *, evidence: float | None = None) -> None:
        self.entry = entry
        self.score = score
        self.evidence = score if evidence is None else evidence
        self._why = why
        self._model = model
        self._shared: tuple[list[str], list[str]] = ([], [])  # key words, authors

    @classmethod
    def scored(cls, entry: ArxivEntry, evidence: float, model: FitModel,
               keywords: list[str], authors: list[str]) -> Fit:
        """A Fit for this evidence; ``why`` is completed from the model when first read."""
        score = 1 / (1 + math.exp(min(-SLOPE * (evidence - MIDPOINT), 700.0)))
        fit = cls(entry, round(score, 4), None, model, evidence=evidence)
        fit._shared = (keywords, authors)
        return fit

    def __repr__(self) -> str:
        return f"Fit({self.entry.id!r}, score={self.score:.3f})"

    @functools.cached_property
    def why(self) -> Why:
        """Nearest catalog papers, the catalog's key words it spells out, shared authors."""
        if self._why is not None or self._model is None:
            return self._why or Why()
        return Why(self._model.neighbours(self.entry), *self._shared)

    @functools.cached_property
    def suggested_sections(self) -> list[tuple[str, float]]:
        """(section slug, score) best first, as ``add`` prints them."""
        return self._model.sections_for(self.entry) if self._model else []

    @functools.cached_property
    def suggested_keywords(self) -> list[str]:
        """Key words of the catalog's vocabulary that fit the candidate, best first."""
        return self._model.keywords_for(self.entry) if self._model else []

    def explain(self) -> str:
        """A short one-line reason for the score."""
        why = self.why
        parts = []
        if why.keywords:
            parts.append("key words: " + ", ".join(why.keywords[:3]))
        if why.neighbours:
            near = why.neighbours[0]
            # The title, which a curator recognises; the key is in JSON's ``neighbours``.
            parts.append(f"close to \"{shorten(near.title or near.key, EXPLAIN_TITLE)}\""
                         f" ({near.similarity:.2f})")
        if why.authors:
            parts.append("authors: " + ", ".join(why.authors[:2]))
        return "; ".join(parts) or "no shared words, key words or authors"


EXPLAIN_TITLE = 60  # characters of the nearest paper's title in the one-line reason


def _standardized(values: Sequence[float]) -> list[float]:
    """Values centred and scaled over the finite ones; -inf (no word in common) stays 0."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return [0.0] * len(values)
    mean = math.fsum(finite) / len(finite)
    spread = math.sqrt(math.fsum((v - mean) ** 2 for v in finite) / len(finite)) or 1.0
    return [(v - mean) / spread if math.isfinite(v) else 0.0 for v in values]


def _features(keywords: Iterable[str], words: set[str]) -> set[str]:
    """A text's features: the catalog's key words it spells out, and its other words.

    A key word stands for its own words, which are left out: "sharpness aware
    minimization" is one piece of evidence, not four correlated ones (naive Bayes would
    count each), so a paper that only uses a catalog method in passing does not
    outrank one on the catalog's subjects (bench/eval_fit_variants.py, ``kw-covers``).
    """
    feats = set(words)
    for keyword in keywords:
        if keyword:
            feats.add(KEYWORD_PREFIX + keyword)
            feats -= _phrase_tokens(keyword)
    return feats


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def name_parts(name: str) -> tuple[str, str] | None:
    """(surname, first given name or initial), folded: "David L. Donoho" -> ("donoho", "david")."""
    words = fold(name).split()
    if len(words) > 2 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    if not words:
        return None
    return words[-1], words[0] if len(words) > 1 else ""


class Authors:
    """The catalog's authors, to be found again in candidates' author lists.

    Surnames must agree and so must given names, where an initial agrees with the names it
    begins: "D. Donoho" is "David L. Donoho", but "Yu Wang" is not "Yang Wang". Matching on
    surname and initial alone made more than half of a listing share an author with the
    catalog; this way one paper in ten does, against three quarters of the papers the list
    went on to add (bench/eval_fit_variants.py, ``authors-*``).
    """

    def __init__(self, author_lists: Iterable[Iterable[str]]) -> None:
        self.given: dict[str, Counter[str]] = defaultdict(Counter)
        for authors in author_lists:
            for parts in {name_parts(a) for a in authors} - {None}:
                surname, given = parts
                self.given[surname][given] += 1

    def papers_of(self, name: str) -> int:
        """How many catalog papers an author of this name signed (0: not the catalog's)."""
        parts = name_parts(name)
        if parts is None or parts[0] not in self.given:
            return 0
        surname, given = parts
        names = self.given[surname]
        if len(given) <= 1:  # an initial, or no given name
            return sum(n for g, n in names.items() if g[:1] == given[:1])
        return names.get(given, 0) + names.get(given[0], 0)


class PhraseIndex:
    """Finds the catalog's key words spelt out in a text (folded, singular, whole words)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for phrase in set(phrases):
            words = tuple(phrase.split())
            if words and len(phrase) > 3:
                self.by_first[words[0]].append(words)

    def find(self, text: str) -> set[str]:
        """Normalized key words (as ``keyword_norm`` gives them) found in ``text``."""
        return self.find_folded(fold(text))

    def find_folded(self, folded: str) -> set[str]:
        """``find`` in a text already folded (``vocab.fold``)."""
        words = list(map(keyword_norm, folded.split()))
        # A phrase is a run of whole words: found in the words joined, padded with spaces.
        text = f" {' '.join(words)} "
        return {" ".join(phrase) for first in self.by_first.keys() & set(words)
                for phrase in self.by_first[first] if f" {' '.join(phrase)} " in text}


class FitModel:
    """The catalog as a model of what belongs in it; ``rank`` scores candidates."""

    def __init__(self, papers: Sequence[Paper], settings: Settings,
                 abstracts: Mapping[str, str] | None = None) -> None:
        self.papers = list(papers)
        self.settings = settings
        given = abstracts or {}
        self.spelling = {keyword_norm(k): k for p in self.papers for k in p.keywords}
        self.phrases = PhraseIndex(self.spelling)
        self.abstracts: list[str] = []
        self.doc_freq: Counter[str] = Counter()
        self.title_freq: Counter[str] = Counter()
        for paper in self.papers:
            text = given.get(paper.key) or (given.get(paper.arxiv) if paper.arxiv
                                            else None) or ""
            title, folded = fold(paper.title), fold(text)
            title_words, words = folded_word_tokens(title), folded_word_tokens(folded)
            # A text that says no more than the title is no abstract: a server that knows a
            # paper by its title alone (a stub record, a stand-in) may send the title as its
            # summary, and the title contrast must then stay on.
            if not words - title_words:
                text, folded, words = "", "", set()
            self.abstracts.append(text)
            self.doc_freq.update(self._folded_features(paper, f"{title} {folded}",
                                                       title_words | words))
            self.title_freq.update(title_words)
        bare = sum(1 for a in self.abstracts if not a)
        self.title_weight = TITLE_WEIGHT * bare / len(self.papers) if self.papers else 0.0
        self.authors = Authors(p.authors for p in self.papers)

    @classmethod
    def learn(cls, papers: Sequence[Paper], settings: Settings,
              abstracts: Mapping[str, str] | None = None) -> FitModel:
        """Learn from the catalog's papers; ``abstracts`` maps paper key or arXiv id to text."""
        return cls(papers, settings, abstracts)

    def _paper_features(self, paper: Paper, abstract: str) -> set[str]:
        folded = fold(f"{paper.title} {abstract}")
        return self._folded_features(paper, folded, folded_word_tokens(folded))

    def _folded_features(self, paper: Paper, folded: str, words: set[str]) -> set[str]:
        """A catalog paper's features from its folded title and abstract, and their words."""
        found = self.phrases.find_folded(folded)
        found.update(keyword_norm(k) for k in paper.keywords)
        return _features(found, words)

    def _entry_features(self, entry: ArxivEntry) -> set[str]:
        folded = fold(f"{entry.title} {entry.summary}")
        return _features(self.phrases.find_folded(folded), folded_word_tokens(folded))

    def rank(self, entries: Iterable[ArxivEntry]) -> list[Fit]:
        """Candidates scored against each other and the catalog, best first (ties: by id).

        The candidates are the contrast: rank a whole listing at once (a few hundred or
        more), not one paper at a time.
        """
        entries = list(entries)
        feats = [tuple(self._entry_features(e)) for e in entries]  # tuples: half the memory
        weights, evidence = self._contrast(self.doc_freq, feats)
        if self.title_weight:
            titles = [tuple(word_tokens(e.title)) for e in entries]
            by_title = _standardized(self._contrast(self.title_freq, titles)[1])
            # Two z-scores added: divided by the norm of their weights to stay on one scale.
            norm = math.sqrt(1 + self.title_weight ** 2)
            evidence = [(e + self.title_weight * t) / norm
                        for e, t in zip(evidence, by_title, strict=True)]
        catalog_keywords = {t for t, n in self.doc_freq.items()
                            if n and t.startswith(KEYWORD_PREFIX)}
        fits = []
        for entry, doc, words in zip(entries, feats, evidence, strict=True):
            authors = [a for a in entry.authors if self.authors.papers_of(a)]
            score = words + AUTHOR_WEIGHT * min(len(authors), 2)
            keywords = sorted((t for t in catalog_keywords.intersection(doc)
                               if weights.get(t, 0.0) > 0),
                              key=lambda t: (-weights[t], t))
            fits.append(Fit.scored(entry, score, self,
                            [self.spelling[t[len(KEYWORD_PREFIX):]] for t in keywords],
                            authors))
        fits.sort(key=lambda f: (-f.evidence, f.entry.id))
        return fits

    def _contrast(self, catalog_freq: Counter[str], docs: Sequence[tuple[str, ...]]
                  ) -> tuple[dict[str, float], list[float]]:
        """Word weights (catalog against the listing ``docs``) and each doc's evidence.

        Per word the smoothed log-ratio of the share of catalog papers and of listed docs
        that have it; then centred and scaled over the listing's words, so that a doc's
        evidence reads as a z-score: how far its words lean towards the catalog compared
        with words drawn at random from the listing. This cancels the difference in length
        between the catalog's texts (titles, maybe abstracts) and the candidates' abstracts,
        and puts listings of any size on one scale.
        """
        listed: Counter[str] = Counter()
        for doc in docs:
            listed.update(doc)
        n_pos, n_neg = len(self.papers), len(docs)
        log_pos = math.log(n_pos + 2 * ALPHA)
        log_neg = math.log(n_neg + PRIOR_DOCS)
        weights: dict[str, float] = {}
        for tok, neg in listed.items():
            pos = catalog_freq.get(tok, 0)
            if pos + neg >= MIN_DOCS and n_pos:
                weights[tok] = ((math.log(pos + ALPHA) - log_pos)
                                - (math.log(neg + PRIOR_DOCS * PRIOR_RATE) - log_neg))
        total = sum(listed[t] for t in weights) or 1
        # fsum: exact, so the result does not depend on the order of the listing.
        mean = math.fsum(listed[t] * w for t, w in weights.items()) / total
        spread = math.sqrt(math.fsum(listed[t] * (w - mean) ** 2
                                     for t, w in weights.items()) / total)
        spread = spread or 1.0
        evidence = []
        for doc in docs:
            used = [weights[t] - mean for t in doc if t in weights]
            # No word in common with the catalog: as unlike it as the scale goes.
            evidence.append(math.fsum(used) / math.sqrt(len(used)) / spread
                            if used else -math.inf)
        return weights, evidence

    def neighbours(self, entry: ArxivEntry, limit: int = NEIGHBOURS) -> list[Neighbour]:
        """The catalog papers closest to a candidate, best first (those of ``add``'s ranker)."""
        return [Neighbour(p.key, p.title, round(sim, 3))
                for p, sim in self.section_model.nearest(entry.title, entry.summary, limit)]

    @functools.cached_property
    def section_model(self) -> SectionModel:
        """The section ranker of ``add``, built once for all candidates.

        The catalog papers' abstracts, when given, describe their sections as digests do.
        """
        papers = [dataclasses.replace(p, digest=a) if a and not p.digest else p
                  for p, a in zip(self.papers, self.abstracts, strict=True)]
        model = SectionModel(papers, self.settings)
        model.postings.max_terms = QUERY_TERMS
        return model

    def sections_for(self, entry: ArxivEntry) -> list[tuple[str, float]]:
        """Sections for a candidate, best first, as ``add`` ranks them."""
        return [(r.section.slug, r.score)
                for r in self.section_model.rank(entry.title, entry.summary)]

    @functools.cached_property
    def keyword_suggester(self) -> KeywordSuggester:
        """The key-word suggester of ``add``, built once for all candidates."""
        suggester = KeywordSuggester(self.papers)
        suggester.postings.max_terms = QUERY_TERMS
        return suggester

    def keywords_for(self, entry: ArxivEntry) -> list[str]:
        """Key words for a candidate, as ``add`` suggests them."""
        return self.keyword_suggester.suggest(entry.title, entry.summary)

