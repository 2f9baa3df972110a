"""Measure section suggestions by leave-one-out on the real list.

Usage: .venv/bin/python bench/eval_suggest.py [path/to/README.md]

For each paper, the section model is rebuilt from every other paper and asked to rank the
sections for the left-out one; we count how often its real section is first and in the top
three. A second split mimics real additions: the newest papers (arXiv 2024 onwards) are
ranked by a model built from the older ones only.

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
from deepphen.suggest import SectionModel

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
        for query in ("title+kw", "title", "title+kw+digest"):
            for digests in (True, False):
                start = time.perf_counter()
                t1, t3, n = evaluate(train, test, settings, query=query,
                                     profile_digests=digests, leave_one_out=loo)
                print(f"{split:28} query={query:16} profile digests={'yes' if digests else 'no ':3}"
                      f"  top1 {t1:6.1%}  top3 {t3:6.1%}  (n={n}, "
                      f"{time.perf_counter() - start:.1f}s)")


if __name__ == "__main__":
    main()
