"""Merging a second page into a catalog: one catalog, several pages.

A list may publish more than one page of the same papers: the full list and a front page
showing only the recent ones. ``merge_page`` takes a catalog and a page read by
``importer.parse_list`` and returns what the catalog becomes: the page declared as a further
page (``[[pages]]``, with its own layout), the papers the catalog lacks added, the papers it has
matched (by arXiv id, else by title) and every difference reported at the page's line.
When the page shows only part of the catalog, the window of months that reproduces it is
found (``recent_months``) and the papers it would add or drop are reported.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deepphen import linediff
from deepphen.catalog import paper_key
from deepphen.dialect import entry_lines
from deepphen.export.markdown import paper_month, recent, render
from deepphen.import_entry import ERROR, WARNING, ImportNote
from deepphen.importer import ImportResult
from deepphen.layout import MAX_MONTHS
from deepphen.models import Paper, Section, Settings
from deepphen.slugs import UniqueNames, github_anchor
from deepphen.verbatim import page_lines
from deepphen.vocab import fold_distinct

if TYPE_CHECKING:
    from deepphen.dismissed import Undismissed

_COMPARED = ("title", "authors", "venue", "keywords", "digest")


@dataclass
class MergeResult:
    """The catalog after the merge: its settings (the new page in ``pages``), the papers to
    add, the pairs matched (page paper, catalog paper) and the notes, by line of the page."""

    settings: Settings
    added: list[Paper]
    matched: list[tuple[Paper, Paper]]
    problems: list[ImportNote] = field(default_factory=list)
    source: str = "<page>"
    dismissals: Undismissed | None = None  # what became of the added papers' dismissals

    def summary(self) -> str:
        """``N papers added, N matched, N problems``."""
        return (f"{len(self.added)} papers added, {len(self.matched)} matched, "
                f"{len(self.problems)} problems")


def _title_key(title: str) -> str:
    return re.sub(r"[\W_]+", "", fold_distinct(title))


def merge_page(settings: Settings, papers: list[Paper], page: ImportResult,
               page_file: str) -> MergeResult:
    """Merge ``page`` (read from ``page_file``) into the catalog of ``settings`` and
    ``papers``; pure: nothing is written. Raises nothing on odd input: what cannot be merged
    is reported with its line."""
    problems = list(page.problems)

    def report(line: int, message: str, level: str = WARNING) -> None:
        problems.append(ImportNote(line, message, level))

    if any(view.page == page_file for view in settings.page_views()):
        report(1, f"the catalog already declares the page {page_file}: its settings are "
                  "replaced by this page's", WARNING)
    settings = dataclasses.replace(settings, pages=[view for view in settings.pages
                                                    if view.page != page_file])
    slugs = _map_sections(settings, page, report)
    # By every id a paper goes by (Paper.arxiv_ids): a file writing its id loosely
    # ("2201.02177v2"), an old-style id with its subject class, or only an arXiv link is
    # still that paper, never added a second time.
    by_id = {i: p for p in reversed(papers) for i in p.arxiv_ids}
    by_title = {_title_key(p.title): p for p in papers}
    names = UniqueNames(p.key for p in papers)
    added, matched, keys, on_page = [], [], {}, set()
    written: dict[str, int] = {}  # a matched entry's first line on export -> its line here
    for paper in page.papers:
        line = page.lines.get(paper.key, 1)
        old_key = paper.key
        paper.section = slugs[paper.section]
        found = next((by_id[i] for i in sorted(paper.arxiv_ids) if i in by_id), None)
        if found is None:
            # Two arXiv ids are two papers, whatever their titles (a title used twice).
            found = by_title.get(_title_key(paper.title))
            if found is not None and paper.arxiv_ids and found.arxiv_ids:
                found = None
        if found is not None:
            matched.append((paper, found))
            keys[old_key] = found.key
            on_page.add(found.key)
            _compare(paper, found, line, settings, report)
            # Export writes the catalog's entry: its first line stands for this one's.
            written[page_lines(found)[0]] = line
            continue
        paper.key = paper_key(paper, names)
        keys[old_key] = paper.key
        on_page.add(paper.key)
        added.append(paper)
    view = _page_view(settings, page, page_file, keys, slugs)
    lines = {slugs[slug]: line for slug, line in page.section_lines.items() if slug in slugs}
    named = _settle_window(view, [*papers, *added], on_page, lines, report)
    _report_other_pages(settings, [*papers, *added], added, report)
    settings.pages.append(view)
    _report_rewritten(page, render([*papers, *added], view), problems, named, written)
    problems.sort(key=lambda p: p.line)
    return MergeResult(settings, added, matched, problems, page.source)


def merge_into(root: Path, page: ImportResult, page_file: str,
               check: Callable[[Settings], None] | None = None) -> MergeResult:
    """Merge ``page`` into the catalog at ``root`` and write the result (``import --merge``).

    The catalog is read, merged and written under one hold of its lock, so that no writer in
    between (another merge, an ``add``) is overwritten or duplicated. ``check`` may refuse
    the catalog's settings (raising DeepphenError) before anything is written; so is a
    ``catalog.toml`` holding a comment, which writing it again would drop.
    """
    from deepphen.catalog import Catalog, read_text
    from deepphen.catalog_write import add_to_catalog
    from deepphen.comments import comment_problem
    from deepphen.errors import CatalogError
    from deepphen.fsutil import catalog_lock
    from deepphen.lint.rules.settings import dropped_by_rewrite
    from deepphen.paths import SETTINGS_FILE

    with catalog_lock(root):
        current = Catalog.load(root)
        settings_file = Path(root) / SETTINGS_FILE
        # catalog.toml is written again from its data, which has no comments.
        problem = comment_problem(settings_file, read_text(settings_file), "nothing merged",
                                  "remove the comment, or keep it elsewhere, and merge again")
        if problem is not None:
            raise problem
        # Nor a key no table of it knows, which the rewrite would drop silently.
        dropped = dropped_by_rewrite(settings_file)
        if dropped:
            key, line = dropped[0]
            raise CatalogError(f"has a key the merge would drop, {key}; nothing merged",
                               path=settings_file, line=line, hint="correct or remove it "
                               "('deepphen lint' names every such key, DP604), and merge again")
        if check is not None:
            check(current.settings)
        merged = merge_page(current.settings, current.papers, page, page_file)
        merged.dismissals = add_to_catalog(root, merged.settings, merged.added)
    return merged


def _map_sections(settings: Settings, page: ImportResult, report) -> dict[str, str]:
    """Page section slug -> catalog section slug; sections the catalog lacks are added."""
    known = {}
    for sec in settings.sections:
        for name in (sec.heading, sec.slug, github_anchor(sec.heading)):
            known.setdefault(name.lower(), sec)
    slugs = {}
    taken = UniqueNames(sec.slug for sec in settings.sections)
    for sec in page.settings.sections:
        match = known.get(sec.heading.lower()) or known.get(github_anchor(sec.heading))
        line = page.section_lines.get(sec.slug, 1)
        if match is None:
            settings.sections.append(Section(sec.heading, taken.unique(sec.slug)))
            known[sec.heading.lower()] = settings.sections[-1]
            report(line, f"section {sec.heading!r} is not in the catalog: added as a new "
                         "section (last in the catalog's order)", WARNING)
            match = settings.sections[-1]
        elif match.heading != sec.heading:
            report(line, f"section {sec.heading!r} taken as the catalog's {match.heading!r}: "
                         "export writes that heading")
        slugs[sec.slug] = match.slug
    order = [slugs[s.slug] for s in page.settings.sections]
    catalog_order = [s.slug for s in settings.sections if s.slug in order]
    if order != catalog_order:
        report(page.section_lines.get(page.settings.sections[0].slug, 1),
               "the page orders its sections differently from the catalog: export writes the "
               "catalog's order")
    return slugs


def _compare(paper: Paper, found: Paper, line: int, settings: Settings, report) -> None:
    """Report each field in which the page's entry differs from the catalog's paper."""
    differing = [name for name in _COMPARED if getattr(paper, name) != getattr(found, name)]
    if [link.url for link in paper.links] != [link.url for link in found.links]:
        differing.append("links")
    if differing:
        report(line, f"matches {found.key} in the catalog, but differs in "
                     f"{', '.join(differing)}: the catalog's are kept (export writes them)")
    if paper.section != found.section:
        where = settings.section(found.section)
        report(line, f"matches {found.key}, listed under "
                     f"{where.heading if where else found.section!r} in the catalog: export "
                     "writes it there")
    elif paper.year != found.year:
        report(line, f"matches {found.key}, of year {found.year} in the catalog (here "
                     f"{paper.year}): the catalog's is kept")


def _page_view(settings: Settings, page: ImportResult, page_file: str,
               keys: dict[str, str], slugs: dict[str, str]) -> Settings:
    """The page's settings as a further page of the catalog: its own fields, and per catalog
    section the fields saying how this page writes it."""
    own = {slugs[sec.slug]: sec for sec in page.settings.sections}
    sections = []
    for sec in settings.sections:
        mine = own.get(sec.slug)
        fields = {} if mine is None else {
            "image": mine.image, "toc_label": mine.toc_label, "anchor": mine.anchor,
            "year_heading": mine.year_heading, "intro": mine.intro,
            "empty_years": list(mine.empty_years)}
        if mine is None and page.settings.layout.section_intro is not None:
            fields["intro"] = None
        sections.append(Section(sec.heading, sec.slug, **fields))
    view = dataclasses.replace(page.settings, sections=sections, page=page_file, pages=[],
                               regenerate_page=False, lint={})
    # Keyed by paper: the page's keys become the catalog's.
    view.layout.notes = {keys.get(k, k): v for k, v in view.layout.notes.items()}
    view.layout.entry_gaps = {keys.get(k, k): v for k, v in view.layout.entry_gaps.items()}
    return view


def _settle_window(view: Settings, everything: list[Paper], on_page: set[str],
                   section_lines: dict[str, int], report) -> set[str]:
    """A page showing part of the catalog: the recent window that reproduces it. Returns
    the first lines of the entries it adds to the page (each reported)."""
    shown = [p for p in everything if p.key in on_page]
    if len(shown) == len(everything):
        return set()
    # A paper known only by its year is shown when the window reaches into that year (its
    # December): counted from the dated papers alone, the window left such a paper out.
    months = [paper_month(p) or p.year * 100 + 12 for p in shown]
    if all(paper_month(p) is None for p in shown):
        months = []
    if not months:
        report(1, "the page shows part of the catalog, but none of its papers is dated: "
                  "export writes every paper of the catalog on it", ERROR)
        return set()
    newest = max(m for p in everything if (m := paper_month(p)) is not None)
    oldest = min(months)
    span = (newest // 100 - oldest // 100) * 12 + newest % 100 - oldest % 100 + 1
    if span > MAX_MONTHS:  # a window recent_months cannot hold: catalog.toml would not load
        report(1, f"the page shows part of the catalog, over {span} months (recent_months "
                  f"holds at most {MAX_MONTHS}): export writes every paper of the catalog on "
                  "it", ERROR)
        return set()
    window = {p.key for p in recent(everything, span)}
    # A window holding every paper is no window: the page is a whole list lacking some (a
    # full list behind its front page). Recorded, the window would drop its oldest papers
    # from the page, unsaid, once the catalog grows newer ones.
    whole = len(window) == len(everything)
    where = "of the catalog is" if whole else (f"of the catalog falls within the page's last "
                                               f"{span} months but is")
    named = set()
    for paper in everything:
        if paper.key in window and paper.key not in on_page:
            named |= {entry_lines(paper)[0][1], *paper.verbatim[:1]}
            report(section_lines.get(paper.section, 1),
                   f"{paper.key} ({paper.title[:40]!r}) {where} not on it: export adds it")
    if not whole:
        view.layout.recent_months = span
        report(1, f"the page shows the papers of the last {span} months of the catalog: "
                  f"recent_months = {span}", WARNING)
    return named


def _report_other_pages(settings: Settings, everything: list[Paper], added: list[Paper],
                        report) -> None:
    """The catalog's other pages list the papers added, those within their window: each such
    page changes on its next export, which the merge says (naming no line of theirs)."""
    keys = {p.key for p in added}
    for other in settings.page_views():
        months = other.layout.recent_months
        shown = recent(everything, months) if months else everything
        count = sum(p.key in keys for p in shown)
        if count:
            what = "the paper" if count == 1 else f"the {count} papers"
            report(1, f"the catalog's page {other.page or '(its first page)'} lists {what} "
                      f"this page adds: export writes {'it' if count == 1 else 'them'} "
                      "there too")


def _report_rewritten(page: ImportResult, exported: str, problems: list[ImportNote],
                      named: set[str], written: dict[str, int]) -> None:
    """Report each change the page undergoes, exported from the merged catalog, that no
    note names yet: the catalog's entry written in place of the page's (its own spacing,
    its verbatim lines), papers in the catalog's order, a section left without papers.
    The notes name lines of the page: a change at a noted line, or lines added beside one,
    an entry the page has at a noted line, or one of the ``named`` entries (by first line) is
    named already; so are blank lines changed a few lines from a note (an entry's spacing).
    A matched entry written otherwise (``written``: the first line export writes for it ->
    its line on the page) that export also moves is named at its own line."""
    if not page.text:  # a result built by hand, not read from a page
        return
    old, new = page.text, exported.split("\n")[:-1]
    noted = {p.line for p in problems}
    told: set[int] = set()  # the lines of entries said to move
    at = {line: i for i, line in reversed(list(enumerate(old, 1))) if line.startswith("- ")}
    for tag, i1, i2, j1, j2 in linediff.opcodes(old, new):
        if tag == "equal":
            continue
        moved = [at[line] for line in new[j1:j2] if line in at and not i1 < at[line] <= i2]
        # The catalog's text of a matched entry, written away from the page's entry: the
        # entry moves (the note on its text says nothing of that), said at its own line.
        for line in new[j1:j2]:
            own = written.get(line) if line not in at else None
            if own is not None and not i1 < own <= i2:
                moved.append(own)
                if own not in told:
                    told.add(own)
                    problems.append(ImportNote(own, "export from the merged catalog moves "
                                               f"this entry: {old[own - 1][:60]!r}", WARNING))
        near = set(range(i1 + 1, i2 + 1)) if i2 > i1 else {i1, i1 + 1}
        if not any(line.strip() for line in (*old[i1:i2], *new[j1:j2])):
            near |= set(range(i1 - 5, i2 + 7))
        if near & noted or noted.intersection(moved) or named.intersection(new[j1:j2]):
            noted |= near | set(moved)
            continue
        if moved:  # an entry of the page written elsewhere: named at its own line
            line, what = moved[0], f"moves this entry: {old[moved[0] - 1][:60]!r}"
        else:
            line = min(i1 + 1, len(old))
            was = old[i1] if i2 > i1 else "(nothing)"
            now = new[j1] if j2 > j1 else "(nothing)"
            what = f"writes the page otherwise here: {was[:60]!r} -> {now[:60]!r}"
        problems.append(ImportNote(line, f"export from the merged catalog {what}", WARNING))
        noted |= near | set(moved) | {line}
