"""Measure search quality: recall@10 on queries generated from a catalog, with synthetic typos.

Query kinds, each drawn at random (fixed seed) from the catalog itself:

- keyword: a key word of the vocabulary, half the time with a typo;
  relevant = the papers that carry that key word.
- title-word: one title word of six letters or more, always misspelt;
  relevant = the papers whose title contains that word (or its plural).
- surname: an author's surname, a third of the time misspelt;
  relevant = the papers with an author of that surname.
- title-phrase: three to five consecutive title words, half the time with one misspelt;
  relevant = the paper it came from and any other whose title holds the same words.
- id: an arXiv id, bare or as an abs/pdf URL; relevant = that paper.
- acronym: an acronym the catalog defines (deepphen.acronyms: initials of a key word, or a
  definition in a title or digest), in capitals ("LTH"); relevant = the papers with a key
  word it stands for, or whose title or digest spells that out or writes the acronym.

recall@10 of a query = |relevant in the top ten| / min(10, |relevant|); the report gives the
mean per kind and overall. A typo is one deletion, insertion, substitution or swap of
neighbouring letters, never in the first letter.

Usage:
    python bench/eval_search.py CATALOG [--per-kind 150] [--seed 7] [--show-misses 5]
                                        [--no-acronyms]
    python bench/eval_search.py CATALOG --written bench/search_queries.toml [--show-misses 99]

``--written FILE`` reads queries written by hand instead (``written_queries``): each with the
catalog keys (arXiv ids) a reader expects; the report gives per kind the share of queries with
one of them in the first five and the first ten, and recall@10 over them. A query marked
``error = true`` must be refused as having nothing to look for.

``--no-acronyms`` searches with an empty acronym table: search as it was before it read them.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

from deepphen.acronyms import Acronyms, derive
from deepphen.catalog import load_papers
from deepphen.errors import DeepphenError
from deepphen.models import Paper
from deepphen.search import SearchIndex
from deepphen.search_query import check_query
from deepphen.vocab import fold, keyword_norm

K = 10
STOPWORDS = {"a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how",
             "in", "is", "it", "of", "on", "or", "the", "to", "via", "what", "when", "why",
             "with"}


def typo(word: str, rng: random.Random) -> str:
    """One random edit of ``word`` after its first letter (unchanged if too short)."""
    if len(word) < 4:
        return word
    while True:
        i = rng.randrange(1, len(word) - 1)
        kind = rng.choice(("delete", "insert", "substitute", "swap"))
        letter = rng.choice(string.ascii_lowercase)
        if kind == "delete":
            out = word[:i] + word[i + 1:]
        elif kind == "insert":
            out = word[:i] + letter + word[i:]
        elif kind == "substitute":
            out = word[:i] + letter + word[i + 1:]
        else:
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if out != word:  # substituting a letter by itself or swapping twins changes nothing
            return out


def typo_in_text(text: str, rng: random.Random) -> str:
    """``text`` with one of its longer words misspelt."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5]
    if long_words:
        i = rng.choice(long_words)
        words[i] = typo(words[i], rng)
    return " ".join(words)


def surname(author: str) -> str:
    parts = fold(author).split()
    return parts[-1] if parts else ""


Query = tuple[str, str, set[int]]  # kind, text, relevant paper positions


def make_queries(papers: list[Paper], per_kind: int, rng: random.Random) -> list[Query]:
    """Queries of every kind with their relevant papers (positions in ``papers``)."""
    by_keyword: dict[str, set[int]] = {}
    spelling: dict[str, str] = {}
    by_surname: dict[str, set[int]] = {}
    by_title_word: dict[str, set[int]] = {}
    folded_titles = [fold(p.title) for p in papers]
    for i, paper in enumerate(papers):
        for keyword in paper.keywords:
            by_keyword.setdefault(keyword_norm(keyword), set()).add(i)
            spelling.setdefault(keyword_norm(keyword), keyword)
        for author in paper.authors:
            if len(surname(author)) >= 2:
                by_surname.setdefault(surname(author), set()).add(i)
        for word in set(folded_titles[i].split()):
            if len(word) >= 6:  # plurals count as the same word, as for key words
                by_title_word.setdefault(keyword_norm(word), set()).add(i)

    def sample(pool: list, make: Callable[[object], Query | None]) -> list[Query]:
        out = []
        for item in rng.sample(pool, min(per_kind, len(pool))):
            query = make(item)
            if query is not None:
                out.append(query)
        return out

    def keyword_query(norm: object) -> Query:
        text = spelling[norm]  # type: ignore[index]
        if rng.random() < 0.5:
            text = typo_in_text(text, rng)
        return ("keyword", text, by_keyword[norm])  # type: ignore[index]

    def title_word_query(word: object) -> Query:
        return ("title-word", typo(str(word), rng), by_title_word[word])  # type: ignore[index]

    def surname_query(name: object) -> Query:
        text = str(name)
        if rng.random() < 1 / 3:
            text = typo(text, rng)
        return ("surname", text, by_surname[name])  # type: ignore[index]

    def phrase_query(i: object) -> Query | None:
        words = [w for w in folded_titles[i].split()]  # type: ignore[index]
        if len(words) < 3:
            return None
        size = rng.randint(3, min(5, len(words)))
        start = rng.randrange(0, len(words) - size + 1)
        phrase = " ".join(words[start:start + size])
        # Every title holding the phrase is as good an answer as the one it came from.
        relevant = {j for j, title in enumerate(folded_titles) if f" {phrase} " in f" {title} "}
        text = typo_in_text(phrase, rng) if rng.random() < 0.5 else phrase
        return ("title-phrase", text, relevant)

    acronyms = derive(papers)
    # Title and digest, folded as phrases are (a digest's definition names an acronym too).
    texts = [f" {keyword_norm(p.title)} {keyword_norm(p.digest or '')} " for p in papers]

    def acronym_query(key: object) -> Query:
        phrases = acronyms.expansions(str(key))
        relevant = {i for i, paper in enumerate(papers)
                    if any(keyword_norm(k) in phrases for k in paper.keywords)
                    or any(f" {p} " in texts[i] for p in (*phrases, key))}
        return ("acronym", str(key).upper(), relevant)

    def id_query(i: object) -> Query:
        arxiv = papers[i].arxiv  # type: ignore[index]
        text = rng.choice((arxiv, f"https://arxiv.org/abs/{arxiv}",
                           f"https://arxiv.org/pdf/{arxiv}v1.pdf"))
        return ("id", text, {i})  # type: ignore[arg-type]

    return [
        *sample(sorted(by_keyword), keyword_query),
        *sample(sorted(by_title_word), title_word_query),
        *sample(sorted(by_surname), surname_query),
        *sample(list(range(len(papers))), phrase_query),
        *sample([i for i, p in enumerate(papers) if p.arxiv], id_query),
        *sample(sorted(acronyms.table), acronym_query),
    ]


def recall(ranked: list[int], relevant: set[int]) -> float:
    return len(relevant.intersection(ranked[:K])) / min(K, len(relevant))


def evaluate(papers: list[Paper], queries: list[Query], show_misses: int = 0,
             acronyms: bool = True) -> dict[str, float]:
    """Mean recall@10 per kind and overall ("all"); prints up to ``show_misses`` misses.
    Without ``acronyms``, search has an empty acronym table (as before it read them)."""
    index = SearchIndex.build(papers)
    if not acronyms:
        index.acronyms = Acronyms()
    per_kind: dict[str, list[float]] = {}
    misses = 0
    for kind, text, relevant in queries:
        ranked = [i for i, _score, _fields in index.query(text, limit=K)]
        value = recall(ranked, relevant)
        per_kind.setdefault(kind, []).append(value)
        if value < 1 and misses < show_misses:
            misses += 1
            print(f"  miss {kind}: {text!r} recall {value:.2f} "
                  f"(want e.g. {papers[min(relevant)].title!r})", file=sys.stderr)
    result = {kind: sum(v) / len(v) for kind, v in per_kind.items()}
    every = [x for v in per_kind.values() for x in v]
    result["all"] = sum(every) / len(every)
    return result


Written = tuple[str, str, list[str] | None]  # kind, text, expected keys (None: refused)


def written_queries(path: Path) -> list[Written]:
    """The hand-written queries of a TOML file: ``[[query]]`` tables with ``kind``, ``text``
    and ``expect`` (catalog keys or arXiv ids), or ``error = true``."""
    with path.open("rb") as handle:
        table = tomllib.load(handle)
    return [(q["kind"], q["text"], None if q.get("error") else list(q["expect"]))
            for q in table["query"]]


def evaluate_written(papers: list[Paper], queries: list[Written],
                     show_misses: int = 0) -> dict[str, tuple[int, float, float, float]]:
    """Per kind and overall ("all"): (queries, hit@5, hit@10, recall@10). A refused query
    counts as a hit (1, 1, 1) when it is marked ``error``, as a miss (0, 0, 0) otherwise."""
    index = SearchIndex.build(papers)
    position = {p.arxiv or p.key: i for i, p in enumerate(papers)}
    per_kind: dict[str, list[tuple[float, float, float]]] = {}
    misses = 0
    for kind, text, expect in queries:
        try:
            ranked = [i for i, _s, _f in index.query(check_query(text), limit=K)]
        except DeepphenError as error:
            value = (1.0,) * 3 if expect is None else (0.0,) * 3
            why = str(error)
        else:
            if expect is None:
                value, why = (0.0,) * 3, "not refused"
            else:
                wanted = {position[key] for key in expect}
                value = (float(bool(wanted.intersection(ranked[:5]))),
                         float(bool(wanted.intersection(ranked))), recall(ranked, wanted))
                why = "first: " + "; ".join(papers[i].title[:50] for i in ranked[:3])
        per_kind.setdefault(kind, []).append(value)
        if value[0] < 1 and misses < show_misses:
            misses += 1
            print(f"  miss {kind}: {text[:60]!r} hit@5 {value[0]:.0f} hit@10 {value[1]:.0f} "
                  f"recall {value[2]:.2f} ({why})", file=sys.stderr)
    per_kind["all"] = [v for values in per_kind.values() for v in values]
    return {kind: (len(values), *(sum(v[j] for v in values) / len(values) for j in range(3)))
            for kind, values in per_kind.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", type=int, default=0)
    parser.add_argument("--no-acronyms", action="store_true",
                        help="search without the catalog's acronyms, as before it read them")
    parser.add_argument("--written", type=Path, metavar="FILE",
                        help="hand-written queries with their expected papers (TOML)")
    args = parser.parse_args(argv)
    papers = load_papers(args.catalog)
    if args.written:
        table = evaluate_written(papers, written_queries(args.written), args.show_misses)
        print("| kind | queries | hit@5 | hit@10 | recall@10 |")
        print("|---|---:|---:|---:|---:|")
        for kind, (count, at5, at10, rec) in table.items():
            print(f"| {kind} | {count} | {at5:.3f} | {at10:.3f} | {rec:.3f} |")
        return 0
    queries = make_queries(papers, args.per_kind, random.Random(args.seed))
    result = evaluate(papers, queries, args.show_misses, acronyms=not args.no_acronyms)
    counts = {kind: sum(1 for q in queries if q[0] == kind) for kind in result}
    counts["all"] = len(queries)
    print(f"| kind | queries | recall@{K} |")
    print("|---|---:|---:|")
    for kind, value in result.items():
        print(f"| {kind} | {counts[kind]} | {value:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
