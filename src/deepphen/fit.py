"""How well new arXiv papers fit the catalog, learnt at run time from the catalog itself.

Nothing is bundled: the model is the catalog being pointed at (its titles, key words,
authors, sections, and the abstracts of its papers when the caller has them). A candidate
is scored by its TF-IDF similarity to its nearest catalog papers, the catalog's key words it
spells out, and the authors it shares with the catalog; each score explains itself
(``Fit.why``). Sections and key words are suggested by deepphen.suggest, as ``add`` does.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from deepphen.arxiv import ArxivEntry
from deepphen.models import Paper, Settings
from deepphen.suggest import SectionModel, suggest_keywords, tokens
from deepphen.vocab import fold, keyword_norm

NEIGHBOURS = 3  # catalog papers shown in ``why`` and averaged into the similarity
# Weights of the evidence in the logistic score; see docs/benchmarks.md for how they were chosen.
W_SIMILARITY = 6.0
W_KEYWORDS = 1.2
W_AUTHORS = 1.0
BIAS = -3.0


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A catalog paper close to a candidate."""

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
    """A candidate, its score (0..1, comparable across runs) and why.

    The suggested sections and key words are worked out on first use, so ranking thousands
    of candidates pays only for the ones that are shown.
    """

    def __init__(self, entry: ArxivEntry, score: float, why: Why, model: FitModel) -> None:
        self.entry = entry
        self.score = score
        self.why = why
        self._model = model

    def __repr__(self) -> str:
        return f"Fit({self.entry.id!r}, score={self.score:.3f})"

    @functools.cached_property
    def suggested_sections(self) -> list[tuple[str, float]]:
        """(section slug, score) best first, as ``add`` prints them."""
        return self._model.sections_for(self.entry)

    @functools.cached_property
    def suggested_keywords(self) -> list[str]:
        """Key words of the catalog's vocabulary that fit the candidate, best first."""
        return self._model.keywords_for(self.entry)

    def explain(self) -> str:
        """A short one-line reason for the score."""
        parts = []
        if self.why.neighbours:
            near = self.why.neighbours[0]
            parts.append(f"close to {near.key or near.title} ({near.similarity:.2f})")
        if self.why.keywords:
            parts.append("key words: " + ", ".join(self.why.keywords[:3]))
        if self.why.authors:
            parts.append("authors: " + ", ".join(self.why.authors[:2]))
        return "; ".join(parts) or "no shared words, key words or authors"


def author_key(name: str) -> str:
    """A name as "surname initial", so "David L. Donoho" and "D. Donoho" meet."""
    words = fold(name).split()
    if not words:
        return ""
    return f"{words[-1]} {words[0][0]}" if len(words) > 1 else words[0]


def _entry_text(entry: ArxivEntry) -> str:
    return f"{entry.title} {entry.summary}"


def _phrase_text(text: str) -> str:
    return " " + " ".join(keyword_norm(w) for w in fold(text).split()) + " "


class FitModel:
    """The catalog as a model of what belongs in it; ``rank`` scores candidates."""

    def __init__(self, papers: Sequence[Paper], settings: Settings,
                 abstracts: Mapping[str, str] | None = None) -> None:
        self.papers = list(papers)
        self.settings = settings
        abstracts = abstracts or {}
        self.abstracts = [abstracts.get(p.key) or (abstracts.get(p.arxiv) if p.arxiv else None)
                          or "" for p in self.papers]
        docs = [self._paper_tokens(p, a) for p, a in zip(self.papers, self.abstracts, strict=True)]
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.keys())
        n = len(docs)
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for tok, weight in self._weigh(doc).items():
                self.postings[tok].append((i, weight))
        self.keyword_papers: Counter[str] = Counter(
            norm for p in self.papers for norm in {keyword_norm(k) for k in p.keywords}
            if len(norm) > 3)
        self.spelling = {keyword_norm(k): k for p in self.papers for k in p.keywords}
        self.author_papers: Counter[str] = Counter(
            key for p in self.papers for key in {author_key(a) for a in p.authors} if key)

    @classmethod
    def learn(cls, papers: Sequence[Paper], settings: Settings,
              abstracts: Mapping[str, str] | None = None) -> FitModel:
        """Learn from the catalog's papers; ``abstracts`` maps paper key or arXiv id to text."""
        return cls(papers, settings, abstracts)

    @staticmethod
    def _paper_tokens(paper: Paper, abstract: str) -> Counter[str]:
        counts: Counter[str] = Counter(tokens(paper.title))
        for kw in paper.keywords:
            counts.update(tokens(kw))
        counts.update(tokens(abstract))
        return counts

    def _weigh(self, counts: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items() if t in self.idf}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {t: v / norm for t, v in vec.items()} if norm else {}

    def _neighbours(self, entry: ArxivEntry) -> list[tuple[float, int]]:
        query = self._weigh(Counter(tokens(_entry_text(entry))))
        sims: dict[int, float] = defaultdict(float)
        for tok, weight in query.items():
            for i, w in self.postings.get(tok, ()):
                sims[i] += weight * w
        return sorted(((s, i) for i, s in sims.items()), reverse=True)[:NEIGHBOURS]

    def _score(self, entry: ArxivEntry) -> tuple[float, Why]:
        near = self._neighbours(entry)
        similarity = sum(s for s, _ in near) / NEIGHBOURS
        text = _phrase_text(_entry_text(entry))
        keywords = sorted((kw for kw in self.keyword_papers if f" {kw} " in text),
                          key=lambda kw: -self.keyword_papers[kw])
        kw_evidence = sum(math.log1p(self.keyword_papers[kw]) for kw in keywords)
        authors = [a for a in entry.authors if self.author_papers.get(author_key(a))]
        logit = (BIAS + W_SIMILARITY * similarity + W_KEYWORDS * math.tanh(kw_evidence / 3)
                 + W_AUTHORS * min(len(authors), 2))
        why = Why(
            [Neighbour(self.papers[i].key, self.papers[i].title, round(s, 3)) for s, i in near],
            [self.spelling[kw] for kw in keywords],
            authors,
        )
        return 1 / (1 + math.exp(-logit)), why

    def rank(self, entries: Iterable[ArxivEntry]) -> list[Fit]:
        """Candidates scored and sorted best first (ties: newest, then id)."""
        fits = []
        for entry in entries:
            score, why = self._score(entry)
            fits.append(Fit(entry, round(score, 4), why, self))
        fits.sort(key=lambda f: (-f.score, f.entry.id))
        return fits

    @functools.cached_property
    def section_model(self) -> SectionModel:
        """The section ranker of ``add``, built once for all candidates."""
        return SectionModel(self.papers, self.settings)

    def sections_for(self, entry: ArxivEntry) -> list[tuple[str, float]]:
        """Sections for a candidate, best first, as ``add`` ranks them."""
        return [(r.section.slug, r.score)
                for r in self.section_model.rank(entry.title, entry.summary)]

    def keywords_for(self, entry: ArxivEntry) -> list[str]:
        """Key words for a candidate, as ``add`` suggests them."""
        return suggest_keywords(self.papers, entry.title, entry.summary)
