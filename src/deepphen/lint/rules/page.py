"""DP5xx: the committed markdown page that the catalog generates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deepphen import catalog, paths
from deepphen.dialect import page_text
from deepphen.errors import DeepphenError
from deepphen.fsutil import read_regular
from deepphen.lint.context import Context, PaperFile
from deepphen.lint.registry import Fix, Flag, rule
from deepphen.models import Settings
from deepphen.outputs import written_through
from deepphen.paths import SETTINGS_FILE, page_problem
from deepphen.printable import text_lines

NEAR_LIMIT = 0.9  # warn at 90% of the limit, while there is still room to act


def _page_path(root: Path, page: Settings) -> Path | None:
    """A page's path; None when there is none or DP506 refuses it (then nothing reads or
    writes it)."""
    try:
        return catalog.page_path(root, page)
    except DeepphenError:
        return None


def _first_difference(old: str, new: str) -> int:
    old_lines, new_lines = text_lines(old), text_lines(new)
    for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), 1):
        if a != b:
            return i
    return min(len(old_lines), len(new_lines)) + 1


@rule("DP501", "page-outdated", "error",
      "The committed page equals a fresh markdown export of the catalog.", scope="catalog",
      fixable=True)
def page_outdated(ctx: Context) -> Iterator[Flag]:
    """The page (``page`` in catalog.toml, and every ``[[pages]]`` page) is generated; edits
    go to the catalog and the pages are regenerated. Not checked while some paper file is
    unreadable.

    Bad:  a paper added to the catalog but not yet on README.md
    Good: README.md written by ``deepphen export --format md -o README.md`` after the change
    """
    for page, fresh in ctx.fresh_pages:
        yield from _check_page(ctx, page, fresh)


def _check_page(ctx: Context, page: Settings, fresh: str | None) -> Iterator[Flag]:
    path = _page_path(ctx.root, page)  # a page DP506 refuses is neither read nor written
    if path is None or not ctx.all_valid or fresh is None:
        return
    # A page that is a link (DP506 has checked it stays in the catalog) is written through;
    # a broken one is replaced, as before.
    try:
        target = written_through(path)
    except DeepphenError:
        target = path
    fix = Fix(f"regenerated {page.page}", write=lambda: fresh, target=target)
    if not path.is_file():
        # needle: a [[pages]] page's own `page = ...` line, not the first one of the file
        yield Flag(f"the page {page.page} does not exist", path=ctx.root / SETTINGS_FILE,
                   field="page", needle=f'page = "{page.page}"', fix=fix)
        return
    try:
        # A regular file of a page's size at most: a committed disk image is not read whole,
        # and a FIFO swapped in after the check above does not hang lint.
        committed = page_text(read_regular(path, paths.MAX_PAGE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield Flag(f"cannot read the page: {why}", path=path, line=1)
        return
    if committed != fresh:
        yield Flag("the page is out of date with the catalog", path=path,
                   line=_first_difference(committed, fresh), fix=fix)


def _page_sizes(ctx: Context) -> Iterator[tuple[Path, int]]:
    """Each page's committed size (what GitHub renders), else a fresh export's."""
    for page, fresh in ctx.fresh_pages:
        path = _page_path(ctx.root, page)
        if path is None:
            continue
        if path.is_file():
            try:
                yield path, path.stat().st_size
            except OSError:
                continue
        elif fresh is not None:
            yield path, len(fresh.encode("utf-8"))


@rule("DP502", "page-size", "error",
      "The page stays under GitHub's 512 KB README rendering limit.", scope="catalog")
def page_size(ctx: Context) -> Iterator[Flag]:
    """GitHub shows nothing of a README above the limit; ``[lint] page_limit_kb`` sets
    another limit for other hosts.

    Bad:  a 530 KB README.md
    Good: a 450 KB README.md, or the list split into pages
    """
    limit = ctx.config.page_limit_kb * 1024
    for path, size in _page_sizes(ctx):
        if size > limit:
            yield Flag(f"the page is {size / 1024:.0f} KB, over the {ctx.config.page_limit_kb} "
                       "KB rendering limit", path=path, line=1,
                       hint="shorten digests or split the page")


@rule("DP503", "page-size-near", "warning",
      "The page is within 10% of the rendering limit.", scope="catalog")
def page_size_near(ctx: Context) -> Iterator[Flag]:
    """A warning while there is room left: the page grows with every paper.

    Bad:  a 490 KB README.md under a 512 KB limit
    Good: a 300 KB README.md
    """
    limit = ctx.config.page_limit_kb * 1024
    for path, size in _page_sizes(ctx):
        if NEAR_LIMIT * limit < size <= limit:
            yield Flag(f"the page is {size / 1024:.0f} KB, {100 * size / limit:.0f}% of the "
                       f"{ctx.config.page_limit_kb} KB rendering limit", path=path, line=1)


@rule("DP504", "verbatim-entry", "warning",
      "An entry kept as imported (verbatim) is rewritten in the list's format.", fixable=True)
def verbatim_entry(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """``deepphen import`` keeps an entry whose formatting strays from the list's format
    (trailing spaces, a misspelt 'Key Word:' label, a missing period) as written, so the page
    comes back unchanged; the fix drops ``verbatim`` and the entry is written in the format.

    Bad:  ``verbatim = ["- Title. [[paper]](https://arxiv.org/abs/2201.02177) ", ...]``
    Good: no ``verbatim``: the entry is rendered from its fields
    """
    paper = f.paper
    if not paper.verbatim:
        return
    from deepphen.dialect import entry_lines
    from deepphen.verbatim import same_but_format

    def edit(data: dict[str, Any]) -> None:
        data.pop("verbatim", None)

    canonical = [line for _, line in entry_lines(paper)]
    if same_but_format(paper.verbatim, canonical):
        yield Flag("entry is written as imported, not in the list's format", field="verbatim",
                  fix=Fix("removed verbatim (entry written in the list's format)", edit=edit))
    elif not same_but_format(paper.verbatim, canonical, markup=False):
        yield Flag("verbatim lines no longer match the paper's fields and are ignored",
                  field="verbatim", fix=Fix("removed stale verbatim", edit=edit))


@rule("DP505", "verbatim-markup", "error",
      "Verbatim lines change only spacing and punctuation, never what is markup.", fixable=True)
def verbatim_markup(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Verbatim lines that say what the fields say but with different markup (an escape
    undone by a space or period before it, a live link or tag, a line that opens a heading
    or code block, or a CI command in a log printing the page: ``::error ...::`` starting
    a line without its marker) would put that markup on the page; export ignores them and
    writes the entry in the list's format. The fix removes them.

    Bad:  ``verbatim = ["- Title \\.[x](https://evil.example) ...", ...]``
    Good: ``verbatim = ["- Title \\[x\\](https://evil.example) ...", ...]`` or no verbatim
    """
    paper = f.paper
    if not paper.verbatim:
        return
    from deepphen.dialect import entry_lines
    from deepphen.verbatim import same_but_format

    canonical = [line for _, line in entry_lines(paper)]
    if not same_but_format(paper.verbatim, canonical) \
            and same_but_format(paper.verbatim, canonical, markup=False):
        yield Flag("verbatim lines differ from the entry in markup, not only formatting; "
                   "export ignores them", field="verbatim",
                   fix=Fix("removed verbatim that changed the markup",
                           edit=lambda data: data.pop("verbatim", None)))



@rule("DP506", "page-path", "error",
      "The page is a file inside the catalog folder that the catalog does not own.",
      scope="catalog")
def page_in_catalog(ctx: Context) -> Iterator[Flag]:
    """Commands that regenerate the page write wherever ``page`` points, so it must stay in
    the catalog folder (no ``..``, absolute path or symbolic link out) and name none of the
    catalog's own files: ``catalog.toml``, a paper file, a section folder, deepphen's cache,
    lock or temporary files. Every command refuses such a page; lint reports it.

    Bad:  ``page = "../../victim.txt"``, ``page = "catalog.toml"``
    Good: ``page = "README.md"``
    """
    for page in ctx.settings.page_views():
        problem = page_problem(ctx.root, page)
        if problem:
            yield Flag(f"{problem}: {page.page!r}", field="page" if page is ctx.settings
                       else "pages", hint='set page to a markdown file in the catalog folder, '
                       'e.g. "README.md"')
