"""What a "nothing matched" says next: the closest titles and key words of the catalog."""

from __future__ import annotations

from collections.abc import Iterable

from deepphen.models import Paper
from deepphen.vocab import search_tokens


def _folded(text: str) -> str:
    """Text as search reads it (any script), for comparing with rapidfuzz."""
    return " ".join(search_tokens(text)[0])


def suggestions(papers: Iterable[Paper], query: str, count: int = 3) -> list[str]:
    """The titles and key words closest to ``query``, for a "nothing found" hint."""
    from rapidfuzz import fuzz, process

    choices: dict[str, str] = {}
    for paper in papers:
        choices.setdefault(_folded(paper.title), paper.title)
        for keyword in paper.keywords:
            choices.setdefault(_folded(keyword), keyword)
    best = process.extract(_folded(query), list(choices), scorer=fuzz.WRatio, limit=count,
                           score_cutoff=50)
    return [choices[text] for text, _score, _ in best]


def keyword_hint(papers: Iterable[Paper], wanted: Iterable[str]) -> str | None:
    """For ``--keyword`` values no paper has: the closest key words in use, as a hint."""
    from rapidfuzz import fuzz, process

    from deepphen.vocab import Vocabulary

    vocab = Vocabulary.from_papers(papers)
    spellings = sorted(vocab.counts)
    notes = []
    for word in wanted:
        if vocab.canonical(word) is not None:
            continue
        best = process.extract(_folded(word), [_folded(s) for s in spellings], scorer=fuzz.WRatio,
                               limit=3, score_cutoff=60)
        closest = "; ".join(spellings[i] for _text, _score, i in best)
        notes.append(f"no paper has the key word {word!r}"
                     + (f" (closest: {closest})" if closest else ""))
    return ", ".join(notes) or None
