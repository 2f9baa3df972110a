"""Measure section suggestions by leave-one-out on the real list.

Usage: .venv/bin/python bench/eval_suggest.py [path/to/README.md]

For each paper, the section model is rebuilt from every other paper and asked to rank the
sections for the left-out one; we count how often its real section is first and in the top
three. A second split mimics real additions: the newest papers (arXiv 2024 onwards) are
ranked by a model built from the older ones only. ``add`` knows a new paper's title and
abstract (the list's digest stands in for it here, evaluation only) and no key words:
``query=title+digest``. Key-word suggestions are measured on the same split: of the three
that ``add --accept-suggestion`` writes, the share the curator chose, and of the paper's own
key words, the share among the five suggested (of all, and of those the older papers
already used: a key word new to the catalog cannot be suggested).

The list is read with deepphen's importer (deepphen.importer.parse_list); a small loader
below stands in when the importer is not available.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

from deepphen.ids import arxiv_id_from_url, id_sort_key
from deepphen.models import Paper, Section, Settings
from deepphen.slugs import github_anchor
from deepphen.suggest import ACCEPTED_KEYWORDS, KeywordSuggester, SectionModel
from deepphen.vocab import keyword_norm

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/awesome-deep-phenomena/README.md"
_ENTRY_RE = re.compile(r"^- (.+?)\s*\[\[paper\]\]\((\S+?)\)")


def load(path: Path) -> tuple[list[Paper], Settings]:
    """Sections and papers of the list, with the importer when there is one."""
    try:
        from deepphen.importer import parse_list
    except ImportError:
        return load_roughly(path)
    result = parse_list(path.read_text(encoding="utf-8"), source=str(path))
    return result.papers, result.settings


def load_roughly(path: Path) -> tuple[list[Paper], Settings]:
    """Sections and papers of the list (title, key words, digest, arXiv id), roughly read."""
    sections: list[Section] = []
    papers: list[Paper] = []
    current: Paper | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## ") and not line.startswith("## Related"):
            heading = line[3:].strip()
            if heading in {"Agent-Assisted Updates"}:
                break
            sections.append(Section(heading, github_anchor(heading)))
            continue
        if line.startswith("## Related"):
            break
        m = _ENTRY_RE.match(line)
        if m and sections:
            title = m.group(1).rstrip(".")
            current = Paper(title=title, year=2000, section=sections[-1].slug,
                            arxiv=arxiv_id_from_url(m.group(2)))
            papers.append(current)
        elif current and line.strip().startswith("- Key Word:"):
            words = line.split(":", 1)[1].strip().rstrip(".")
            current.keywords = [w.strip() for w in words.split(";") if w.strip()]
        elif current and "<summary>Digest</summary>" in line:
            current.digest = re.sub(r"<[^>]+>", "", line.split("</summary>", 1)[1]).strip()
    return papers, Settings(title="list", sections=sections)


def evaluate(train: list[Paper], test: list[Paper], settings: Settings, *, query: str,
             profile_digests: bool, leave_one_out: bool) -> tuple[float, float, int]:
    """(top-1 share, top-3 share, n) of the test papers' real section in the ranking."""
    if not profile_digests:
        train = [_without_digest(p) for p in train]
    model = None if leave_one_out else SectionModel(train, settings)
    top1 = top3 = 0
    for i, paper in enumerate(test):
        # Leave-one-out: train and test are the same papers, in the same order.
        m = model or SectionModel(train[:i] + train[i + 1:], settings)
        kws = paper.keywords if "kw" in query else []
        abstract = paper.digest or "" if "digest" in query else ""
        ranked = [r.section.slug for r in m.rank(paper.title, abstract, kws)]
        top1 += ranked[0] == paper.section
        top3 += paper.section in ranked[:3]
    n = len(test)
    return top1 / n, top3 / n, n


def keyword_scores(train: list[Paper], test: list[Paper]) -> tuple[float, float, float, int]:
    """(precision of the accepted three, recall of five of all key words, of known ones, n)."""
    suggester = KeywordSuggester(train)
    known = set(suggester.vocab.groups)
    chosen = right = wanted = found = wanted_known = found_known = 0
    tested = [p for p in test if p.keywords]
    for paper in tested:
        real = {keyword_norm(k) for k in paper.keywords}
        five = [keyword_norm(k) for k in suggester.suggest(paper.title, paper.digest or "")]
        three = five[:ACCEPTED_KEYWORDS]
        chosen += len(three)
        right += sum(k in real for k in three)
        wanted += len(real)
        found += sum(k in real for k in five)
        wanted_known += len(real & known)
        found_known += sum(k in real & known for k in five)
    return (right / (chosen or 1), found / (wanted or 1), found_known / (wanted_known or 1),
            len(tested))


def _without_digest(paper: Paper) -> Paper:
    return Paper(title=paper.title, year=paper.year, section=paper.section,
                 keywords=paper.keywords, arxiv=paper.arxiv)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    papers, settings = load(path)
    print(f"{len(papers)} papers in {len(settings.sections)} sections: "
          + ", ".join(f"{s.heading} {n}" for s, n in
                      ((s, Counter(p.section for p in papers)[s.slug]) for s in settings.sections)))
    newest = [p for p in papers if p.arxiv and id_sort_key(p.arxiv)[0] >= 202401]
    older = [p for p in papers if p not in newest]
    rows = [
        ("LOO", papers, papers, True),
        (f"newest {len(newest)} (2024+) vs older", older, newest, False),
    ]
    for split, train, test, loo in rows:
        for query in ("title+kw", "title", "title+digest", "title+kw+digest"):
            for digests in (True, False):
                start = time.perf_counter()
                t1, t3, n = evaluate(train, test, settings, query=query,
                                     profile_digests=digests, leave_one_out=loo)
                print(f"{split:28} query={query:16} profile digests={'yes' if digests else 'no ':3}"
                      f"  top1 {t1:6.1%}  top3 {t3:6.1%}  (n={n}, "
                      f"{time.perf_counter() - start:.1f}s)")
    # The suggester reads titles and key words only, so digests in the profile change nothing.
    precision, recall, recall_known, n = keyword_scores(older, newest)
    print(f"key words, newest vs older, query=title+digest: {ACCEPTED_KEYWORDS} accepted "
          f"{precision:.1%} right; of the paper's own key words {recall:.1%} among 5 "
          f"suggested ({recall_known:.1%} of those the older papers use; n={n})")

if __name__ == "__main__":
    main()
