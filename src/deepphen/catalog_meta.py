"""arXiv's metadata of the catalog's own papers (categories, abstract), fetched and cached.

``discover`` learns from the catalog; the committed files carry no abstracts (the list's
digests are its own prose) and no categories for most papers. Both are fetched from arXiv by
id, best effort, and kept in the derived cache (``.deepphen-cache/``, never committed), so
only papers new to the catalog are fetched on later runs. A failure only degrades the
ranking: the caller gets what is cached and a warning.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deepphen import cache, ids
from deepphen.errors import DeepphenError
from deepphen.models import Paper
from deepphen.taxonomy import is_category

if TYPE_CHECKING:
    from deepphen.arxiv import Client

CACHE_NAME = "arxiv-meta"
FORMAT = 1
# A category is derived from the catalog when this share of its papers have it as primary.
CATEGORY_SHARE = 0.05
MAX_DERIVED_CATEGORIES = 8
# A paper arXiv's answer left out is asked again after this many days: an id look-up may
# leave out papers arXiv has (a partial answer), and one left out once must not lose its
# abstract, its part in the ranking, for good. An id arXiv really lacks costs a request a month.
MISSING_DAYS = 30


@dataclass
class CatalogMeta:
    """What arXiv says about the catalog's papers, by canonical id; ``missing``: the papers
    arXiv did not send, with the day it was asked (None: a day not recorded)."""

    categories: dict[str, list[str]] = field(default_factory=dict)
    abstracts: dict[str, str] = field(default_factory=dict)
    missing: dict[str, dt.date | None] = field(default_factory=dict)
    warning: str | None = None

    def known(self, arxiv_id: str, today: dt.date) -> bool:
        """Whether arXiv was already asked about this paper: found, or not sent less than
        MISSING_DAYS before ``today``."""
        if arxiv_id in self.categories:
            return True
        asked = self.missing.get(arxiv_id)
        return asked is not None and 0 <= (today - asked).days < MISSING_DAYS

    def abstracts_of(self, papers: Sequence[Paper]) -> dict[str, str]:
        """The papers' abstracts by their ``arxiv`` field as written (a version or prefix
        included) as well as by canonical id: what the ranking looks them up by."""
        out = dict(self.abstracts)
        for paper in papers:
            canonical = ids.canonical_id(paper.arxiv)
            if canonical and canonical in self.abstracts and paper.arxiv:
                out[paper.arxiv] = self.abstracts[canonical]
        return out


def load_meta(root: Path) -> CatalogMeta:
    """The cached metadata (empty when there is no usable cache)."""
    stored = cache.read_value(root, CACHE_NAME)
    meta = CatalogMeta()
    if not (isinstance(stored, dict) and stored.get("format") == FORMAT):
        return meta
    papers = stored.get("papers")
    # Checked, never trusted: an entry of another shape (an older format, an edited file)
    # is left out, so its paper is fetched again instead of ending discover in a TypeError.
    for arxiv_id, item in (papers.items() if isinstance(papers, dict) else ()):
        if not isinstance(arxiv_id, str):
            continue
        # None: a cache of before the day. A datetime is a date too, but one a date cannot
        # be subtracted from (known() ended discover in a TypeError): not a day, so no cache.
        if item is None or type(item) is dt.date:
            meta.missing[arxiv_id] = item
        elif (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], list | tuple)
              and isinstance(item[1], str)):
            meta.categories[arxiv_id] = [c for c in item[0] if isinstance(c, str)]
            meta.abstracts[arxiv_id] = item[1]
    return meta


def _save(root: Path, meta: CatalogMeta) -> None:
    papers: dict[str, object] = {i: (cats, meta.abstracts.get(i, ""))
                                 for i, cats in meta.categories.items()}
    papers.update(meta.missing)
    cache.write_value(root, CACHE_NAME, {"format": FORMAT, "papers": papers})


def fetch_meta(root: Path, papers: Sequence[Paper], client: Client,
               on_batch: Callable[[int], None] | None = None,
               today: dt.date | None = None) -> CatalogMeta:
    """Cached metadata, completed from arXiv for papers not yet cached; never raises.

    A network or API failure stops the fetch (what came before it is kept and cached) and
    sets ``warning``: ranking then works from titles and key words alone for those papers.
    So does a batch of which the API finds no paper, or answers with papers not asked for:
    arXiv knows the catalog's papers, so that is an API that does not look up ``id_list``
    (a stand-in that ignores it); asking for the other batches would only cost time, and
    the papers it did not send are not recorded as unknown to arXiv.
    """
    meta = load_meta(root)
    today = today or dt.datetime.now(dt.UTC).date()
    wanted = sorted({i for p in papers
                     if (i := ids.canonical_id(p.arxiv)) and not meta.known(i, today)})
    if not wanted:
        return meta
    from deepphen.arxiv import batched

    for batch in batched(wanted):
        strays = client.strays
        try:
            found = client.fetch(batch)
        except DeepphenError as exc:
            meta.warning = (f"could not fetch the abstracts of {len(wanted)} catalog papers "
                            f"({exc.message}); ranking uses their titles and key words")
            break
        ignored = not found or client.strays > strays  # other papers than those asked
        if ignored:
            meta.warning = (f"the arXiv API did not look up {len(batch)} catalog papers by id "
                            f"(is id_list supported?); ranking uses the titles and key words "
                            f"of {len(wanted)} catalog papers")
        for arxiv_id in batch:
            entry = found.get(arxiv_id)
            if entry is None:
                if not ignored:  # an unknown id, not one an API could not look up
                    meta.missing[arxiv_id] = today
            else:
                meta.missing.pop(arxiv_id, None)
                meta.categories[arxiv_id] = list(entry.categories)
                meta.abstracts[arxiv_id] = entry.summary
        if on_batch:
            on_batch(len(batch))
        _save(root, meta)  # after each batch, so an interrupted run keeps what it fetched
        if ignored:
            break
    return meta


def derived_categories(papers: Sequence[Paper], meta: CatalogMeta) -> list[str]:
    """The arXiv categories the catalog's papers are mostly in (primary category), best first.

    A category counts when at least CATEGORY_SHARE of the papers with a known category have it
    as primary; the most common one always counts. Empty when no paper's category is known.
    """
    counts: Counter[str] = Counter()
    for paper in papers:
        cats = meta.categories.get(ids.canonical_id(paper.arxiv) or "") or []
        primary = paper.category or (cats[0] if cats else None)
        if primary and is_category(primary):
            counts[primary] += 1
    if not counts:
        return []
    total = sum(counts.values())
    ranked = [c for c, n in counts.most_common() if n >= CATEGORY_SHARE * total]
    return (ranked or [counts.most_common(1)[0][0]])[:MAX_DERIVED_CATEGORIES]
