"""Where a new paper belongs and which key words fit it, learnt from the catalog itself.

No list of topics is kept by hand: each section is described by its own papers (titles,
key words and digests, as TF-IDF token weights), and a new paper (title, abstract, key
words) is compared with them in three ways that are mixed into one score:

- its similarity to each section's centroid and to its nearest papers (k-NN vote);
- its key words: a key word used mostly in one section ("Neural Collapse") is a strong cue;
- the section's heading or its dominant key words spelt out in the title.

An acronym the catalog defines (``deepphen.acronyms``), written in capitals in the title or
abstract, counts as its phrase spelt out ("the NTK regime" names "Neural Tangent Kernel").

Scores are in 0..1 and sum to 1 over the sections, best first.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from deepphen.acronyms import derive
from deepphen.models import Paper, Section, Settings
from deepphen.tidy import keyword_vocabulary, tidy_keyword
from deepphen.vocab import Vocabulary, fold, keyword_norm

_STOPWORDS = frozenset(re.findall(r"\S+", """
a about above across after again against all almost also although always among an and any
are as at be because been before being between both but by can could did do does doing
done during each either even ever every few for from further had has have having how however
i if in into is it its itself just least less many may more most much must new no nor not of
off on once one only or other others our out over own per rather same several should show
shows shown since so some such than that the their them then there these they this those
through thus to too toward towards under until up upon us use used uses using very via was
we well were what when where whether which while who whom why will with within without would
yet you your paper papers study studies work approach method methods result results propose
proposed present find finding findings first second based towards two three our new across
"""))

_WORD_RE = re.compile(r"[a-z][a-z0-9]+|\d+[a-z]+[a-z0-9]*")

# Weights of the parts of a document, and of the three signals in the final mix. Tuned by
# leave-one-out on the real list (bench/eval_suggest.py); few enough not to overfit.
TITLE_WEIGHT = 2.0
KEYWORD_WEIGHT = 3.0
TEXT_WEIGHT = 0.5
NEIGHBOURS = 12
MIX_CENTROID = 2.0
MIX_NEIGHBOURS = 1.0
MIX_KEYWORDS = 1.5
MIX_HEADING = 0.6
MIX_IMPLIED = 0.5  # key words of the vocabulary spelt out in the title or abstract
PREFIX_LEN = 7
RECENT_QUERIES = 32  # papers whose similarities a SectionModel keeps (see _similar)
# Softmax sharpness turning the mixed evidence into 0..1 scores; chosen so that, in
# leave-one-out on the real list, the mean top score (~0.78) matches how often the top
# suggestion is right.
SHARPNESS = 2.5


@functools.lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Content words of a text, folded and singularized, with adjacent-word bigrams."""
    words = list(filter(None, map(_content_word, _WORD_RE.findall(fold(text)))))
    return (*words, *(f"{a}_{b}" for a, b in itertools.pairwise(words)))


@functools.lru_cache(maxsize=65536)
def _content_word(word: str) -> str:
    """A word as ``tokens`` counts it, folded and singular; "" for a stop word."""
    norm = keyword_norm(word)
    if norm in _STOPWORDS or len(norm) < 2:
        return ""
    # Cutting long words to a prefix is a crude stemmer: "emergent" and "emergence" meet.
    return norm[:PREFIX_LEN]


def _doc_counts(title: str, keywords: Iterable[str], text: str = "") -> Counter[str]:
    parts = [(TITLE_WEIGHT, tokens(title))]
    for kw in keywords:
        norm = keyword_norm(kw)
        if norm:
            parts += [(KEYWORD_WEIGHT, ("kw:" + norm,)), (KEYWORD_WEIGHT / 2, tokens(kw))]
    parts.append((TEXT_WEIGHT, tokens(text)))
    # Every token entered at once, in order of first use: no Counter.__missing__ per token.
    counts = Counter(dict.fromkeys(itertools.chain.from_iterable(t for _, t in parts), 0.0))
    for weight, toks in parts:
        for tok in toks:
            counts[tok] += weight
    return counts


def _phrase_text(text: str) -> str:
    """Text folded and singularized word by word, space-padded, to find key-word phrases."""
    return " " + " ".join(keyword_norm(w) for w in fold(text).split()) + " "


def _unit(vector: dict[str, float]) -> dict[str, float]:
    values = vector.values()
    norm = math.sqrt(sum(map(operator.mul, values, values)))
    # map and zip run in C: a 10,000-paper catalog has 700,000 weights to scale.
    if not norm:
        return {}
    return dict(zip(vector, map(operator.truediv, values, itertools.repeat(norm)), strict=True))


@functools.lru_cache(maxsize=1024)  # counts are multiples of 0.5: few distinct ones
def _tf(count: float) -> float:
    return 1 + math.log(count)


def _best(sims: dict[int, float], limit: int) -> dict[int, float]:
    """The entries of ``sims`` whose values are among the ``limit`` largest (with all those
    tied at the cut): what sorting for the best ``limit`` needs, often a few of thousands."""
    if limit <= 0 or len(sims) <= limit:
        return sims
    cut = heapq.nlargest(limit, sims.values())[-1]
    return {i: sim for i, sim in sims.items() if sim >= cut}


class Postings:
    """Unit vectors indexed by token, so that a query meets only the vectors sharing a token."""

    def __init__(self, vectors: Iterable[dict[str, float]], max_terms: int | None = None) -> None:
        # Only the query's ``max_terms`` heaviest tokens are looked up, when set: the light
        # ones add little and common tokens have the longest lists (discover sets it for the
        # many candidates it explains; add compares one paper exactly).
        self.max_terms = max_terms
        self.index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        index, size = self.index, 0
        for vec in vectors:
            for tok, weight in vec.items():
                index[tok].append((size, weight))
            size += 1
        self.size = size

    def similarities(self, query: dict[str, float]) -> dict[int, float]:
        """Dot product of the query with every vector that shares a token with it (others: 0)."""
        terms = query.items()
        if self.max_terms is not None and len(query) > self.max_terms:
            terms = sorted(terms, key=lambda kv: -kv[1])[:self.max_terms]
        sums = [0.0] * self.size  # a list, not a dict: most vectors share some token
        for tok, weight in terms:
            for i, w in self.index.get(tok, ()):
                sums[i] += weight * w
        # Weights are positive: the vectors that share a token are those with a sum.
        return {i: sim for i, sim in enumerate(sums) if sim}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


@dataclass(frozen=True, slots=True)
class SectionScore:
    """A section and how well a paper fits it (0..1)."""

    section: Section
    score: float


class SectionModel:
    """The catalog's sections, described by their papers, ready to rank new papers."""

    def __init__(self, papers: Sequence[Paper], settings: Settings) -> None:
        self.sections = list(settings.sections)
        slugs = {s.slug for s in self.sections}
        self.papers = [p for p in papers if p.section in slugs]
        docs = [_doc_counts(p.title, p.keywords, p.digest or "") for p in self.papers]
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.keys())
        n = max(len(docs), 1)
        self.idf = {tok: math.log((n + 1) / (count + 1)) + 1.0 for tok, count in df.items()}
        self.vectors = [self._weigh(doc) for doc in docs]
        self.postings = Postings(self.vectors)
        sums: dict[str, dict[str, float]] = {s.slug: defaultdict(float) for s in self.sections}
        self.sizes: Counter[str] = Counter(p.section for p in self.papers)
        for paper, vec in zip(self.papers, self.vectors, strict=True):
            section_sums = sums[paper.section]
            for tok, weight in vec.items():
                section_sums[tok] += weight
        self.centroids = {slug: _unit(vec) for slug, vec in sums.items()}
        # Key word -> section counts, for "this key word lives in that section" cues.
        self.keyword_sections: dict[str, Counter[str]] = defaultdict(Counter)
        for paper in self.papers:
            for kw in {keyword_norm(k) for k in paper.keywords}:
                self.keyword_sections[kw][paper.section] += 1
        self.heading_phrases = {s.slug: self._heading_phrases(s) for s in self.sections}
        self.acronyms = derive(self.papers, [s.heading for s in self.sections])
        self._recent: dict[tuple[str, str, tuple[str, ...]],
                           tuple[dict[str, float], dict[int, float]]] = {}

    def _weigh(self, counts: Counter[str]) -> dict[str, float]:
        """TF-IDF unit vector of positive token counts; tokens the catalog lacks weigh 0."""
        idf = self.idf
        if not counts.keys() <= idf.keys():  # a new paper's words the catalog has not seen
            counts = {tok: c for tok, c in counts.items() if tok in idf}
        return _unit(dict(zip(counts, map(operator.mul, map(_tf, counts.values()),
                                          map(idf.__getitem__, counts)), strict=True)))

    def _heading_phrases(self, section: Section) -> list[str]:
        """Phrases naming the section: its heading, and key words mostly used in it."""
        phrases = [keyword_norm(section.heading)]
        for kw, where in self.keyword_sections.items():
            total = sum(where.values())
            if total >= 3 and where[section.slug] / total >= 0.8 and len(kw) > 3:
                phrases.append(kw)
        return phrases

    def rank(self, title: str, abstract: str = "",
             keywords: Iterable[str] = ()) -> list[SectionScore]:
        """Sections ranked for a paper, best first."""
        keywords = list(keywords)
        evidence = {s.slug: 0.0 for s in self.sections}
        if not self.papers:
            return self._scored(evidence)
        query, similar = self._similar(title, abstract, tuple(keywords))
        for slug, centroid in self.centroids.items():
            evidence[slug] += MIX_CENTROID * _dot(query, centroid)
        sims = sorted(((sim, self.papers[i].section)
                       for i, sim in _best(similar, NEIGHBOURS).items()),
                      reverse=True)[:NEIGHBOURS]
        total = sum(s for s, _ in sims) or 1.0
        for sim, slug in sims:
            evidence[slug] += MIX_NEIGHBOURS * sim / total
        self._keyword_evidence(evidence, keywords)
        # Vocabulary key words the paper spells out count like weaker given ones.
        given = {keyword_norm(k) for k in keywords}
        title = self.acronyms.expand(title, abstract)  # for phrases only: "NTK (neural ...)"
        text = _phrase_text(title + " " + self.acronyms.expand(abstract))
        implied = [kw for kw in self.keyword_sections
                   if kw not in given and len(kw) > 3 and f" {kw} " in text]
        self._keyword_evidence(evidence, implied, MIX_IMPLIED)
        folded_title = _phrase_text(title)
        for slug, phrases in self.heading_phrases.items():
            if any(f" {p} " in folded_title for p in phrases):
                evidence[slug] += MIX_HEADING
        return self._scored(evidence)

    def nearest(self, title: str, abstract: str = "",
                limit: int = NEIGHBOURS) -> list[tuple[Paper, float]]:
        """The catalog papers closest to a paper (cosine of their TF-IDF vectors), best first."""
        sims = _best(self._similar(title, abstract)[1], limit)
        best = sorted(sims.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(self.papers[i], sim) for i, sim in best]

    def _similar(self, title: str, abstract: str, keywords: tuple[str, ...] = ()
                 ) -> tuple[dict[str, float], dict[int, float]]:
        """A paper's TF-IDF vector and its similarity to every catalog paper sharing a token.

        Kept for the last few papers: discover asks ``nearest`` and ``rank`` of each
        candidate it shows, the same query twice, and on a large catalog the lookup is most
        of the cost.
        """
        key = (title, abstract, keywords)
        found = self._recent.get(key)
        if found is None:
            query = self._weigh(_doc_counts(title, keywords, abstract))
            found = query, self.postings.similarities(query)
            if len(self._recent) >= RECENT_QUERIES:
                del self._recent[next(iter(self._recent))]
            self._recent[key] = found
        return found

    def _keyword_evidence(self, evidence: dict[str, float], keywords: Iterable[str],
                          factor: float = 1.0) -> None:
        for kw in {keyword_norm(k) for k in keywords}:
            where = self.keyword_sections.get(kw, Counter())
            total = sum(where.values())
            if total <= 0:
                continue
            # Smoothed share of the key word's uses in each section, weighted by how much
            # the key word says (a key word spread everywhere says little).
            shares = {slug: (where[slug] + 0.1) / (total + 0.1 * len(evidence))
                      for slug in evidence}
            confidence = 1 - 1 / (1 + total)
            for slug, share in shares.items():
                evidence[slug] += factor * MIX_KEYWORDS * confidence * share

    def _scored(self, evidence: dict[str, float]) -> list[SectionScore]:
        top = max(evidence.values(), default=0.0)
        weights = {slug: math.exp(SHARPNESS * (e - top)) for slug, e in evidence.items()}
        total = sum(weights.values()) or 1.0
        ranked = [SectionScore(s, round(weights[s.slug] / total, 4)) for s in self.sections]
        order = {s.slug: i for i, s in enumerate(self.sections)}
        ranked.sort(key=lambda r: (-r.score, order[r.section.slug]))
        return ranked


def rank_sections(papers: Sequence[Paper], settings: Settings, title: str,
                  abstract: str = "", keywords: Iterable[str] = ()) -> list[SectionScore]:
    """Sections ranked for a paper from the catalog's own papers, best first, scores 0..1."""
    return SectionModel(papers, settings).rank(title, abstract, keywords)


@dataclass(frozen=True, slots=True)
class KeywordChoice:
    """A key word as given and as it will be written (the catalog's spelling, if a variant)."""

    given: str
    spelling: str

    @property
    def changed(self) -> bool:
        """Whether the catalog spells the key word otherwise than it was given."""
        return self.given != self.spelling


def normalize_keywords(vocab: Vocabulary, given: Iterable[str]) -> list[KeywordChoice]:
    """Map each given key word to the spelling the catalog uses; new ones are kept as given.

    A given text holding ';' is several key words, as on the page ("Grokking; Phase
    Transitions"). Duplicates (after mapping) are dropped, order kept. A key word is written
    as lint's fixes would write it (deepphen.tidy.tidy_keyword): control and bidi characters
    typed or pasted at a prompt dropped, typographic quotes made ASCII.
    """
    out: list[KeywordChoice] = []
    seen: set[str] = set()
    for raw in (part.strip() for text in given for part in text.split(";")):
        text = _keyword_text(raw)
        if not text:
            continue
        spelling = vocab.canonical(text) or text
        if keyword_norm(spelling) not in seen:
            seen.add(keyword_norm(spelling))
            out.append(KeywordChoice(raw, spelling))
    return out


def _keyword_text(raw: str) -> str:
    """What of a given key word is written: tidied, with no stray separators around it."""
    return tidy_keyword(raw).strip(" ;.")


def holds_no_keyword(text: str) -> bool:
    """Whether a given ``-k`` text names no key word at all ("", ".", ";", a control
    character): normalize_keywords would drop it, and a paper would go without one."""
    return not any(_keyword_text(part.strip()) for part in text.split(";"))


class KeywordSuggester:
    """The catalog's key-word vocabulary and papers, ready to suggest key words for many papers.

    A key word spelt out in the title counts most, then in the abstract, then its use among
    the paper's nearest neighbours in the catalog. Given key words are not repeated.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.vocab = keyword_vocabulary(papers)
        self.papers = list(papers)
        self.acronyms = derive(self.papers)
        self.postings = Postings(
            _unit({t: 1.0 for t in tokens(p.title + " " + " ".join(p.keywords))})
            for p in self.papers)

    def suggest(self, title: str, abstract: str = "", given: Iterable[str] = (), *,
                limit: int = 5) -> list[str]:
        """Key words from the catalog's vocabulary that fit a paper, best first."""
        have = {keyword_norm(k) for k in given}
        title_text = _phrase_text(self.acronyms.expand(title, abstract))
        abstract_text = _phrase_text(self.acronyms.expand(abstract))
        scores: Counter[str] = Counter()
        for norm in self.vocab.groups:
            if norm in have or len(norm) < 3:
                continue
            if f" {norm} " in title_text:
                scores[norm] += 3.0
            elif f" {norm} " in abstract_text:
                scores[norm] += 1.5
        query = _unit({t: 1.0 for t in tokens(title + " " + abstract)})
        if query:
            sims = _best(self.postings.similarities(query), NEIGHBOURS)
            best = sorted(sims.items(), key=lambda kv: (-kv[1], kv[0]))[:NEIGHBOURS]
            neighbours = [(sim, self.papers[i]) for i, sim in best]
            for sim, paper in neighbours:
                for kw in paper.keywords:
                    norm = keyword_norm(kw)
                    if norm not in have and sim > 0.1:
                        scores[norm] += sim
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [self.vocab.canonical(norm) or norm
                for norm, score in ranked if score >= 0.3][:limit]


# How many suggested key words an accepted suggestion writes: ``add --accept-suggestion``,
# discover's "deepphen add" lines and its triage's default make the same offer.
ACCEPTED_KEYWORDS = 3


def suggest_keywords(papers: Sequence[Paper], title: str, abstract: str = "",
                     given: Iterable[str] = (), *, limit: int = 5) -> list[str]:
    """Key words from the catalog's vocabulary that fit a paper, best first (KeywordSuggester)."""
    return KeywordSuggester(papers).suggest(title, abstract, given, limit=limit)
