"""Adding papers from arXiv: parse ids, fetch, check duplicates, choose section and key words.

Two steps, so a command can ask the user in between:

1. ``plan_additions`` parses every id (refusing bad ones before any request), fetches them,
   refuses duplicates (unless ``force``) and ranks sections and key words for each paper;
2. ``write_additions`` takes the catalog lock, checks duplicates again against the catalog
   as it is now (another process may have added the same paper meanwhile), writes every file
   atomically, regenerates the page when the settings ask for it, and on any failure puts the
   catalog back exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deepphen import catalog as store
from deepphen import ids
from deepphen.comments import comment_problem
from deepphen.errors import EXIT_FINDINGS, DeepphenError, NotFound
from deepphen.filters import resolve_section
from deepphen.models import Link, Paper, Section, Settings
from deepphen.suggest import (
    ACCEPTED_KEYWORDS,
    KeywordChoice,
    SectionModel,
    SectionScore,
    holds_no_keyword,
    normalize_keywords,
)
from deepphen.suggest import suggest_keywords as _suggest_keywords
from deepphen.tidy import keyword_vocabulary, tidy_authors, tidy_title, unfit
from deepphen.vocab import fold_distinct

if TYPE_CHECKING:
    from deepphen.arxiv import ArxivEntry, Client
    from deepphen.dismissed import Undismissed
    from deepphen.fsutil import Journal

TITLE_MATCH = 92  # rapidfuzz ratio of folded titles from which two papers are the same


def _refuse_other_paper(path: Path, proposal: Proposal) -> None:
    """Refuse to write over a file that holds another paper (a hand-written entry that
    happens to have the file name of this id): only the same paper is ever replaced."""
    if not (path.exists() or path.is_symlink()):
        return
    try:
        held = store.read_paper(path)
    except DeepphenError:
        held = None
    if held is None or find_duplicate([held], proposal.entry.id, "") is None:
        raise DeepphenError(
            f"{path.name} already exists and holds another paper; refusing to replace it",
            path=path, hint="rename that file (its key) or give it its own 'arxiv' field")


def _refuse_key_held(papers: Sequence[Paper], paper: Paper, arxiv_id: str) -> None:
    """Refuse a paper whose key (file name) another paper holds in any section folder: the
    catalog would hold two papers of one key. (The clash in the same folder, with a file
    that may not even parse, is _refuse_other_paper's.)"""
    for held in papers:
        if held.key == paper.key and held.path is not None \
                and find_duplicate([held], arxiv_id, "") is None:
            raise DeepphenError(
                f"{held.path.name} already holds another paper ({held.title!r}); refusing to "
                "add a second paper of that key", path=held.path,
                hint="rename that file (its key) or give it its own 'arxiv' field")


class DuplicateError(DeepphenError):
    """The paper is already in the catalog (same arXiv id or a near-identical title)."""

    exit_code = EXIT_FINDINGS


@dataclass
class Options:
    """What the user asked for besides the ids."""

    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    code: str | None = None
    venue: str | None = None
    digest: str | None = None
    force: bool = False


@dataclass
class Proposal:
    """One paper ready to be written once its section is known."""

    entry: ArxivEntry
    paper: Paper  # section empty until chosen
    section: Section | None  # given with --section, else None
    suggested_sections: list[SectionScore]
    suggested_keywords: list[str]
    keyword_choices: list[KeywordChoice]
    replaces: Paper | None = None  # the existing entry a --force re-add replaces
    kept: list[str] = field(default_factory=list)  # the fields kept from it (keep_curated)
    accepted_keywords: list[str] = field(default_factory=list)  # taken by accept_suggestion

    @property
    def renamed_keywords(self) -> list[KeywordChoice]:
        """Given key words written in the catalog's existing spelling instead."""
        return [k for k in self.keyword_choices if k.changed]

    def with_section(self, section: Section) -> Proposal:
        """This proposal placed in ``section`` (the paper's ``section`` set)."""
        return replace(self, section=section, paper=replace(self.paper, section=section.slug))

    def accept_suggestion(self) -> Proposal:
        """This proposal with the suggestions taken where the user gave nothing: the best
        section unless one was given, and the first ``ACCEPTED_KEYWORDS`` suggested key
        words unless some were given (``-k`` wins, whole: given and suggested never mix)."""
        placed = self
        if placed.section is None and placed.suggested_sections:
            placed = placed.with_section(placed.suggested_sections[0].section)
        if placed.paper.keywords or not placed.suggested_keywords:
            return placed
        taken = list(placed.suggested_keywords[:ACCEPTED_KEYWORDS])
        return replace(placed, paper=replace(placed.paper, keywords=taken),
                       accepted_keywords=taken)

    def to_json(self, root: Path) -> dict[str, Any]:
        """The object ``deepphen add --format json`` prints for this paper."""
        return {
            "paper": self.paper.to_dict(),
            "suggested_sections": [{"section": s.section.heading, "score": s.score}
                                   for s in self.suggested_sections],
            "suggested_keywords": list(self.suggested_keywords),
            "path": str(store.paper_path(root, self.paper)) if self.paper.section else None,
        }


def with_keywords(root: Path, proposal: Proposal, given: Sequence[str]) -> Proposal:
    """``proposal`` with key words chosen after it was planned (add's prompt on a terminal),
    mapped to the catalog's spelling as ``-k``'s are. Raises DeepphenError for more than an
    entry may have."""
    vocab = keyword_vocabulary(store.Catalog.load(root).papers)
    choices = normalize_keywords(vocab, given)
    keywords = [c.spelling for c in choices]
    _check_keyword_count(keywords)
    return replace(proposal, paper=replace(proposal.paper, keywords=keywords),
                   keyword_choices=choices)


def parse_ids(texts: Sequence[str]) -> list[str]:
    """Canonical ids (no version) for every input, in order, without repeats.

    Every input is checked before anything is fetched; the first bad one raises InvalidId.
    """
    if not texts:
        raise DeepphenError("no arXiv id given", hint="e.g. deepphen add 2201.02177")
    # One paper given twice, in any form (a version, a link, math.GT/0309136 and
    # math/0309136), is fetched and added once.
    given: dict[str, str] = {}
    for text in texts:
        arxiv_id = ids.parse_arxiv_id(text).id
        given.setdefault(ids.archive_id(arxiv_id), arxiv_id)
    return list(given.values())


def find_duplicate(papers: Sequence[Paper], arxiv_id: str, title: str) -> Paper | None:
    """An existing paper that is this one: same arXiv id (or arXiv link), or a close title."""
    for paper in papers:
        if paper.goes_by(arxiv_id):
            return paper
    if not title:
        return None
    from rapidfuzz import fuzz

    wanted = fold_distinct(title)  # other scripts count: two Chinese titles are not one
    best: tuple[float, Paper] | None = None
    for paper in papers:
        score = fuzz.ratio(wanted, fold_distinct(paper.title))
        if score >= TITLE_MATCH and (best is None or score > best[0]):
            best = (score, paper)
    return best[1] if best else None


def _refuse_unfit(arxiv_id: str, entry: ArxivEntry) -> None:
    """Refuse a record no paper file should keep (deepphen.tidy.unfit)."""
    what = unfit(entry.title, entry.authors)
    if what:
        raise DeepphenError(f"arXiv sent {what} for {arxiv_id}",
                            hint="try again later, or add it to the catalog by hand")


def _duplicate_error(arxiv_id: str, existing: Paper) -> DuplicateError:
    if existing.arxiv and ids.archive_id(ids.bare_id(existing.arxiv)) == ids.archive_id(arxiv_id):
        how = "the same arXiv id"
    elif existing.goes_by(arxiv_id):
        how = "an arXiv link to it"
    else:
        how = "a near-identical title"
    return DuplicateError(
        f"{arxiv_id} is already in the catalog ({how}): {existing.title!r}",
        path=existing.path, hint="pass --force to add it anyway")


def _given_twice(arxiv_id: str, earlier: Proposal) -> DuplicateError:
    return DuplicateError(
        f"{arxiv_id} and {earlier.entry.id} are the same paper (a near-identical title): "
        f"{earlier.paper.title!r}", hint="add one of them, or pass --force to add both")


def _check_code_url(url: str | None) -> None:
    """Refuse a --code value that lint would reject (DP203), before anything is fetched."""
    if url is None:
        return
    from deepphen.lint.rules.links import url_problem

    problem = url_problem(url.strip())
    if problem:
        raise DeepphenError(f"--code: {problem}",
                            hint="give the repository's address, e.g. https://github.com/o/r")


def _check_keyword_count(keywords: Sequence[str]) -> None:
    """Refuse more key words than the list allows (lint DP406), before anything is fetched."""
    from deepphen.lint.rules.text import MAX_KEYWORDS

    if len(keywords) > MAX_KEYWORDS:
        raise DeepphenError(f"{len(keywords)} key words given; an entry has at most "
                            f"{MAX_KEYWORDS}", hint="keep the most specific ones")


def build_paper(entry: ArxivEntry, options: Options, keywords: list[str]) -> Paper:
    """The catalog entry for an arXiv paper (section left empty)."""
    from deepphen.venues import venue_from_journal_ref

    links = [Link("paper", entry.abs_url)]
    if options.code:
        links.append(Link("code", options.code.strip()))
    digest = " ".join(options.digest.split()) if options.digest else None
    return Paper(
        title=tidy_title(entry.title),
        year=entry.year,
        section="",
        authors=tidy_authors(entry.authors),
        venue=(options.venue.strip() if options.venue else None)
        or venue_from_journal_ref(entry.journal_ref),
        published=entry.published,
        arxiv=entry.id,
        doi=entry.doi,
        category=entry.primary_category,
        keywords=keywords,
        links=links,
        digest=digest or None,
        key=ids.key_for_id(entry.id),
    )


def keep_curated(old: Paper, new: Paper) -> tuple[Paper, list[str]]:
    """``new`` (arXiv's record and the command's options) as it replaces ``old``, the entry
    of the same id (``add --force``), with what the curator wrote there and ``new`` says
    nothing of: key words, digest, venue, links of other labels, lint's ignores, keys of
    their own, ... As refresh, a field arXiv leaves empty never erases what was written.
    Returns the paper and the names of the fields kept."""
    changes: dict[str, Any] = {}
    for name in ("authors", "venue", "published", "doi", "category", "keywords", "sort_as",
                 "authors_collapsed", "digest", "verbatim"):
        if getattr(old, name) and not getattr(new, name):
            changes[name] = getattr(old, name)
    by_link = {(link.label, link.url): link for link in old.links}
    labels = {link.label for link in new.links}
    links = [by_link.get((link.label, link.url), link) for link in new.links]
    links += [link for link in old.links if link.label not in labels]
    if links != new.links:  # a link's own keys, or links of labels the record has none of
        changes["links"] = links
    for name in ("ignore", "extra"):
        merged = {**getattr(old, name), **getattr(new, name)}
        if merged != getattr(new, name):
            changes[name] = merged
    own = [key for key in old.extra if key not in new.extra]  # named as the file names them
    return replace(new, **changes), [name for name in changes if name != "extra"] + own


def plan_additions(
    root: Path,
    texts: Sequence[str],
    options: Options,
    *,
    client: Client | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> list[Proposal]:
    """Fetch and prepare papers to add; raises before writing anything on any problem.

    Raises InvalidId (a bad id, before any request), NotFound (arXiv does not know an id),
    DuplicateError (already in the catalog, unless ``options.force``), or DeepphenError
    for an unknown ``options.section`` or an entry arXiv sent without a title.
    """
    wanted = parse_ids(texts)
    _check_code_url(options.code)
    cat = store.Catalog.load(root)
    if not cat.settings.sections:  # before any request: nowhere to file what is fetched
        raise DeepphenError("catalog.toml defines no sections, so a paper has nowhere to go",
                            path=root / store.SETTINGS_FILE,
                            hint="add a [[sections]] table with a heading and a slug")
    section = resolve_section(cat.settings, options.section) if options.section else None
    blank = next((k for k in options.keywords if holds_no_keyword(k)), None)
    if blank is not None:  # else the paper is written without the key word meant
        raise DeepphenError(f"--keyword {blank!r} names no key word",
                            hint='give one, e.g. -k "Grokking", or leave -k out to be offered '
                                 "the suggested ones")
    vocab = keyword_vocabulary(cat.papers)
    choices = normalize_keywords(vocab, options.keywords)
    keywords = [c.spelling for c in choices]
    _check_keyword_count(keywords)
    if not options.force:
        for arxiv_id in wanted:
            existing = find_duplicate(cat.papers, arxiv_id, "")
            if existing is not None:
                raise _duplicate_error(arxiv_id, existing)
    if client is None:
        from deepphen.arxiv import Client

        client = Client()
    found = client.fetch(wanted, on_batch=on_batch)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(f"arXiv has no paper {', '.join(missing)}",
                       hint="check the id on https://arxiv.org")
    model = SectionModel(cat.papers, cat.settings)
    proposals = []
    for arxiv_id in wanted:
        entry = found[arxiv_id]
        _refuse_unfit(arxiv_id, entry)
        existing = find_duplicate(cat.papers, arxiv_id, entry.title)
        if existing is not None and not options.force:
            raise _duplicate_error(arxiv_id, existing)
        twin = find_duplicate([p.paper for p in proposals], arxiv_id, entry.title)
        if twin is not None and not options.force:
            raise _given_twice(arxiv_id, next(p for p in proposals if p.paper is twin))
        paper = build_paper(entry, options, keywords)
        _refuse_key_held(cat.papers, paper, arxiv_id)
        replaces = existing if existing is not None and existing.goes_by(arxiv_id) else None
        kept: list[str] = []
        if replaces is not None:
            paper, kept = keep_curated(replaces, paper)
        proposal = Proposal(
            entry=entry,
            paper=paper,
            section=None,
            suggested_sections=model.rank(entry.title, entry.summary, keywords),
            suggested_keywords=_suggest_keywords(cat.papers, entry.title, entry.summary,
                                                 keywords),
            keyword_choices=choices,
            replaces=replaces,
            kept=kept,
        )
        proposals.append(proposal.with_section(section) if section else proposal)
    return proposals


@dataclass(frozen=True, slots=True)
class Added:
    """What ``write_additions`` wrote: the papers' files, and what became of their
    dismissals (a paper added overrules its dismissal: ``dismissed.drop_dismissed``)."""

    paths: list[Path]
    dismissals: Undismissed


def write_additions(root: Path, proposals: Sequence[Proposal], *, force: bool = False,
                    lock_timeout: float = 30.0) -> Added:
    """Write placed proposals under the catalog lock; all or nothing.

    Duplicates are checked again under the lock. With ``force``, a paper with the same
    arXiv id is replaced (its old file removed, unless it holds a comment: then nothing is
    written); other near-duplicates are added beside it. A dismissal of a paper added is
    taken out of dismissed.toml in the same write (``dismissed.drop_dismissed``).
    """
    from deepphen.dismissed import drop_dismissed
    from deepphen.fsutil import catalog_lock, private_dir, transaction

    for proposal in proposals:
        if not proposal.paper.section:
            raise DeepphenError(f"no section chosen for {proposal.entry.id}",
                                hint="pass --section or --accept-suggestion")
    with catalog_lock(root, timeout=lock_timeout):
        cat = store.Catalog.load(root)
        removals: list[Path] = []
        for proposal in proposals:
            existing = find_duplicate(cat.papers, proposal.entry.id, proposal.paper.title)
            if existing is not None and not force:
                raise _duplicate_error(proposal.entry.id, existing)
            if existing is not None and existing.path and existing.goes_by(proposal.entry.id):
                removals.append(existing.path)
        for path in removals:  # replaced by arXiv's record: a curator's comment would go
            problem = comment_problem(path, store.read_text(path), "nothing added",
                                      "edit the file by hand, or remove the comment and add "
                                      "again")
            if problem is not None:
                raise problem
        new_paths = {store.paper_path(root, p.paper) for p in proposals}
        for proposal in proposals:
            _refuse_other_paper(store.paper_path(root, proposal.paper), proposal)
            _refuse_key_held(cat.papers, proposal.paper, proposal.entry.id)
        with transaction(private_dir(root)) as journal:
            for proposal in proposals:
                path = store.paper_path(root, proposal.paper)
                journal.remember(path)
                store.write_paper(root, proposal.paper)
            for path in removals:
                if path not in new_paths:
                    journal.remember(path)
                    path.unlink()
            undismissed = drop_dismissed(root, [p.entry.id for p in proposals], journal)
            regenerate_page(root, cat.settings, journal)
        return Added([store.paper_path(root, p.paper) for p in proposals], undismissed)


def _generated_pages(root: Path, settings: Settings) -> list[tuple[Settings, Path]]:
    if not settings.regenerate_page:
        return []
    return [(page, path) for page in settings.page_views()
            if (path := store.page_path(root, page)) is not None]


def regenerated_pages(root: Path, settings: Settings) -> list[Path]:
    """The page files a change of the catalog rewrites (none unless the settings ask)."""
    return [path for _, path in _generated_pages(root, settings)]


def regenerate_page(root: Path, settings: Settings, journal: Journal | None = None) -> None:
    """Rewrite every generated page (``page`` and each ``[[pages]]`` page) from the catalog,
    when the settings ask for it."""
    pages = _generated_pages(root, settings)
    if not pages:
        return
    from deepphen.export import exporter
    from deepphen.outputs import written_through

    papers = store.load_papers(root)
    for page, path in pages:
        text = exporter("md")(papers, page)
        path = written_through(path)  # a page that is a link stays one (checked in-catalog)
        if journal is not None:
            journal.remember(path)
        store.write_file(root, path, text)
