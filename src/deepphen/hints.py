"""What a "nothing matched" says (``NoMatch``, worded alike by search, export and stats) and
what it suggests next: the closest titles and key words of the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from deepphen import ids
from deepphen.errors import NotFound, NothingFound
from deepphen.models import Paper
from deepphen.search_query import link_key, short
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


class NoMatch(NotFound, NothingFound):
    """Nothing matched the query (exit 1, said plainly: not an error); the hint names the
    closest titles or key words."""


def no_match(query: str | None, filtered: bool, hint: str | None = None) -> NoMatch:
    """The "nothing matched" of a query and/or filters, worded alike by every command
    (search, export, stats): ``no paper matches "xyz" with these filters``."""
    if query is None:
        return NoMatch("no paper matches these filters", hint=hint or "loosen or drop a filter")
    return NoMatch(f'no paper matches "{short(query.strip())}"'
                   + (" with these filters" if filtered else ""),
                   hint=hint or ("loosen or drop a filter, or try other words" if filtered
                                 else "try fewer or other words"))


def nothing_matched(papers: Sequence[Paper], query: str | None, filtered: bool,
                    keywords: Iterable[str] = ()) -> NoMatch:
    """``no_match`` for a query and/or filters that selected none of ``papers`` (the whole
    catalog), with the most useful hint: the ``--keyword`` values no paper has (and the
    closest key words in use), else for a query alone the closest titles and key words
    (with filters those may be the very papers the filters left out)."""
    keywords = list(keywords)
    wanted = link_key(query.strip()) if query is not None else None
    if wanted and ids.is_arxiv_id(wanted) and not any(
            ids.archive_id(wanted) in ids.paper_ids(p.arxiv, (link.url for link in p.links))
            for p in papers):  # search finds a paper by any arXiv link (matched: links)
        return NoMatch(f"no paper with arXiv id {wanted} in the catalog",
                       hint=f"add it with 'deepphen add {wanted}'")
    hint = keyword_hint(papers, keywords) if keywords else None
    if hint is None and query is not None and not filtered:
        closest = suggestions(papers, query)
        hint = ("closest: " + "; ".join(closest)) if closest else None
    return no_match(query, filtered, hint)
