"""``refresh``: compare catalog papers with arXiv today and, when asked, apply the changes.

Only title, authors, venue (from ``journal_ref``) and DOI are compared. Differences that
vanish after folding case, accents and punctuation are cosmetic and not reported, and a
field arXiv leaves empty never erases what the curator wrote. Every change is shown as
old -> new before ``--write`` applies it, so hand-set fields are never overwritten silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deepphen import catalog as store
from deepphen import ids
from deepphen.comments import comment_problem
from deepphen.errors import CatalogError, DeepphenError, NotFound
from deepphen.models import Paper
from deepphen.tidy import tidy_authors, tidy_title, unfit
from deepphen.vocab import fold_distinct

if TYPE_CHECKING:
    from deepphen.arxiv import ArxivEntry, Client

FIELDS = ("title", "authors", "venue", "doi")


@dataclass(frozen=True, slots=True)
class Change:
    """One field that differs upstream."""

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        """The change in one line: ``field: old -> new``."""
        return f"{self.field}: {show_value(self.old)} -> {show_value(self.new)}"


def show_value(value: Any) -> str:
    """A field value for people: lists joined, None as (none)."""
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


@dataclass
class Update:
    """A catalog paper and what changed upstream."""

    paper: Paper
    changes: list[Change]

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON object of ``refresh --format json``."""
        return {
            "arxiv": self.paper.arxiv,
            "path": str(self.paper.path) if self.paper.path else None,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
        }


@dataclass
class Written:
    """What ``apply`` did: the files written; those left as they are, with why (rewriting
    them would drop a curator's comment, a link to no paper file of the catalog); and the
    changes not made because their file changed on disk since it was read (a field edited,
    or the file now another paper's), by file."""

    written: list[Path] = field(default_factory=list)
    kept: list[CatalogError] = field(default_factory=list)
    stale: list[Update] = field(default_factory=list)


@dataclass
class RefreshResult:
    """Papers checked, those with changes, ids arXiv no longer knows, what ``--write`` did
    (``Written``), the ids whose record no file should keep, with why (``tidy.unfit``):
    left as they are, and those arXiv says are withdrawn (``ArxivEntry.withdrawn``)."""

    checked: int
    updates: list[Update]
    missing: list[str]
    done: Written = field(default_factory=Written)
    unfit: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        """The files ``--write`` wrote."""
        return self.done.written

    @property
    def kept(self) -> list[CatalogError]:
        """The files ``--write`` left as they are, with why (``Written.kept``)."""
        return self.done.kept


def changes_for(paper: Paper, entry: ArxivEntry) -> list[Change]:
    """Fields where arXiv's record says something else than the catalog, written as the
    list writes them (deepphen.tidy), as ``add`` would write them. The caller has checked
    the record is fit to keep (``tidy.unfit``).
    """
    from deepphen.venues import venue_from_journal_ref

    out = []
    title = tidy_title(entry.title)
    authors = tidy_authors(entry.authors)
    same = fold_distinct  # quotes, dashes, case and accents aside; other scripts count
    if title and same(title) != same(paper.title):
        out.append(Change("title", paper.title, title))
    # A list naming nobody ("et al." alone, names of punctuation) is no list: it never
    # replaces the names the curator has, as an empty one does not.
    named = any(a != "et al." and any(ch.isalnum() for ch in a) for a in authors)
    if named and [same(a) for a in authors] != [same(a) for a in paper.authors]:
        out.append(Change("authors", list(paper.authors), authors))
    venue = venue_from_journal_ref(entry.journal_ref)
    if venue and same(venue) != same(paper.venue or ""):
        out.append(Change("venue", paper.venue, venue))
    if entry.doi and entry.doi.lower() != (paper.doi or "").lower():
        out.append(Change("doi", paper.doi, entry.doi))
    return out


def select(papers: Sequence[Paper], texts: Sequence[str], *, everything: bool) -> list[Paper]:
    """The catalog papers to refresh: those named by id, or all with an arXiv id."""
    if everything:
        if texts:
            raise DeepphenError("give ids or --all, not both")
        chosen = [p for p in papers if p.arxiv]
        for paper in chosen:  # before any request, naming where it is written
            if ids.canonical_id(paper.arxiv) is None:
                where = paper.path
                raise CatalogError(
                    f"'arxiv' is {paper.arxiv!r}, not an arXiv id", path=where,
                    line=store.field_line(where, "arxiv") if where else None,
                    hint="correct it or remove it ('deepphen lint' lists every such field)")
        return chosen
    if not texts:
        raise DeepphenError("nothing to refresh", hint="give arXiv ids or --all")
    # By canonical id: a field written loosely ("2201.02177v2", lint's DP201) still names
    # it, and an old-style id with or without its subject class (math.GT/0309136).
    # Every paper of an id: a catalog listing one twice (lint's DP304) has both refreshed,
    # as --all does.
    by_id: dict[str, list[Paper]] = {}
    for paper in papers:
        if canonical := ids.canonical_id(paper.arxiv):
            by_id.setdefault(ids.archive_id(canonical), []).append(paper)
    wanted = list(dict.fromkeys(ids.archive_id(ids.parse_arxiv_id(t).id) for t in texts))
    unknown = [i for i in wanted if i not in by_id]
    for arxiv_id in unknown:  # refresh updates a paper from its 'arxiv' field alone
        linking = next((p for p in papers if not p.arxiv and p.goes_by(arxiv_id)), None)
        if linking is not None:
            raise NotFound(f"{arxiv_id} is linked by a paper without an 'arxiv' field, "
                           "so there is nothing to refresh it from", path=linking.path,
                           hint=f'add arxiv = "{arxiv_id}" to its file, then refresh it')
    if unknown:
        raise NotFound(f"not in the catalog: {', '.join(unknown)}",
                       hint="add it with 'deepphen add' first")
    return [p for i in wanted for p in by_id[i]]


def refresh(
    root: Path,
    texts: Sequence[str] = (),
    *,
    everything: bool = False,
    write: bool = False,
    client: Client | None = None,
    on_start: Callable[[int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
    lock_timeout: float = 30.0,
) -> RefreshResult:
    """Re-query arXiv (batches of 100) for catalog papers; with ``write``, apply the changes.

    ``on_start(n)`` is called with the number of papers to check, ``on_batch(k)`` after each
    batch (for a progress bar).
    """
    cat = store.Catalog.load(root)
    papers = select(cat.papers, texts, everything=everything)
    if on_start:
        on_start(len(papers))
    if client is None:
        from deepphen.arxiv import Client

        client = Client()
    wanted = [ids.canonical_id(p.arxiv) or "" for p in papers]  # select() checked them
    found = client.fetch(wanted, on_batch=on_batch)
    updates: list[Update] = []
    missing: list[str] = []
    refused: list[tuple[str, str]] = []
    withdrawn: list[str] = []
    for paper, arxiv_id in zip(papers, wanted, strict=True):
        entry = found.get(arxiv_id)
        if entry is None:
            missing.append(arxiv_id)
            continue
        problem = unfit(entry.title, entry.authors)
        if problem:  # one broken record leaves that paper alone, not the whole refresh
            refused.append((arxiv_id, problem))
            continue
        if entry.withdrawn:  # the curator decides whether the list keeps it, as with add
            withdrawn.append(arxiv_id)
        changes = changes_for(paper, entry)
        if changes:
            updates.append(Update(paper, changes))
    done = apply(root, updates, lock_timeout=lock_timeout) if write and updates else Written()
    return RefreshResult(len(papers), updates, missing, done, refused, withdrawn)


def unseen(update: Update, fresh: Paper) -> list[Change]:
    """The changes of ``update`` that its file, read again as ``fresh``, no longer allows: a
    field edited since it was shown (to neither its old nor its new value), or every change
    when the file now names another paper (its 'arxiv' field edited): nothing unseen is
    replaced."""
    def paper_id(paper: Paper) -> str | None:
        canonical = ids.canonical_id(paper.arxiv)
        return ids.archive_id(canonical) if canonical else None

    if paper_id(fresh) != paper_id(update.paper):
        return list(update.changes)
    return [c for c in update.changes if getattr(fresh, c.field) not in (c.old, c.new)]


def _refusal(root: Path, path: Path) -> CatalogError | None:
    """Why ``apply`` leaves this paper file as it is, as ``lint --fix`` would: a section folder
    or a link leading to no paper file of the catalog (swapped in since the catalog was read:
    checked before the file is read, so nothing outside the catalog is), or a comment that
    rewriting the file would drop."""
    try:
        store.written_paper_file(root, path)
    except CatalogError as exc:
        return exc
    return comment_problem(path, store.read_text(path), "not written",
                           "make the change by hand, or remove the comment and run "
                           "'deepphen refresh --write' again")


def apply(root: Path, updates: Sequence[Update], *, lock_timeout: float = 30.0) -> Written:
    """Write the changes under the catalog lock, each file re-read first; all or nothing.

    Left as they are: a file ``_refusal`` names (a comment, a link to no paper file), and
    the changes its file no longer allows (``unseen``).
    """
    from deepphen.add import regenerate_page
    from deepphen.fsutil import catalog_lock, private_dir, transaction

    done = Written()
    with catalog_lock(root, timeout=lock_timeout), transaction(private_dir(root)) as journal:
        settings = store.load_settings(root)
        for update in updates:
            path = update.paper.path or store.paper_path(root, update.paper)
            try:
                problem = _refusal(root, path)
                if problem is not None:
                    done.kept.append(problem)
                    continue
                fresh = store.read_paper(path)  # another process may have edited it meanwhile
            except store.FileVanished:  # moved or deleted meanwhile: nothing to write into
                done.stale.append(update)
                continue
            except CatalogError as exc:  # half saved by an editor, or no file now: its error
                done.kept.append(exc)
                continue
            if stale := unseen(update, fresh):
                done.stale.append(Update(fresh, stale))
            applied = [c for c in update.changes
                       if c not in stale and getattr(fresh, c.field) != c.new]
            if not applied:  # none left to make: the file stays as it is, untouched
                continue
            for change in applied:
                setattr(fresh, change.field, change.new)
            journal.remember(path)
            store.write_paper(root, fresh, path=path)  # back where it was read
            done.written.append(path)
        if done.written:  # no paper changed: the page neither
            regenerate_page(root, settings, journal)
    return done
