"""``deepphen discover``: new arXiv papers ranked by fit to the catalog, and their triage."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from deepphen.cli.app import app, handle_errors, usage_error
from deepphen.cli.network import terminal_progress, waiting
from deepphen.cli.options import CatalogOption, DiscoverTimeoutOption
from deepphen.cli.output import (
    can_ask,
    counted,
    echo,
    is_terminal,
    print_json,
    print_rich_table,
    warn,
)
from deepphen.printable import printable as clean
from deepphen.printable import shorten

OUTPUT_FORMATS = ("table", "json", "md")


@contextlib.contextmanager
def discover_progress(deadline: float | None = None) -> Iterator[Any]:
    """Hooks for a progress display on stderr (pages and papers fetched, waits), on a
    terminal only; elsewhere they do nothing."""
    from deepphen.discover import Hooks

    with terminal_progress() as progress:
        if progress is None:
            yield Hooks(), None
            return
        label = "searching arXiv" + (f" (gives up after {deadline:g}s)" if deadline else "")
        search = progress.add_task(label, total=None)
        state: dict[str, Any] = {"meta": None, "keywords": None, "pages": 0, "found": 0,
                                 "earlier": 0, "active": search, "done": label}

        def activate(task: Any, description: str) -> None:
            """Show ``description`` on ``task``, the bar waits are now shown on; the bar
            active before gets its last words back (not a wait long over)."""
            if state["active"] != task:
                progress.update(state["active"], description=state["done"])
                state["active"] = task
            state["done"] = description
            progress.update(task, description=description)

        def on_page(page: Any, fetched: int) -> None:
            state["pages"] += 1
            if state["keywords"] is None and not (page.start == 0 and state["pages"] > 1):
                activate(search, f"arXiv: page {state['pages']}, papers")
                progress.update(search, completed=fetched, total=page.total)
                return
            # A search starting over after the category search: the key-word search, in
            # requests of its own, counted on a bar of its own (papers of all its requests).
            if state["keywords"] is None:
                state["keywords"] = progress.add_task("key-word search", total=None)
            elif page.start == 0:
                state["earlier"] += state["found"]
            state["found"] = fetched
            activate(state["keywords"], "key-word search in other categories, papers")
            progress.update(state["keywords"], completed=state["earlier"] + fetched)

        def on_meta_start(count: int) -> None:
            state["meta"] = progress.add_task("catalog abstracts", total=count)
            activate(state["meta"], "catalog abstracts")

        def on_meta(count: int) -> None:
            if state["meta"] is not None:
                progress.update(state["meta"], advance=count)

        def on_meta_end() -> None:
            if state["meta"] is not None:  # the cached ones were never counted as fetched
                task = progress.tasks[state["meta"]]
                progress.update(state["meta"], completed=task.total)

        def on_wait(seconds: float, reason: str) -> None:
            progress.update(state["active"], description=waiting(seconds, reason))

        hooks = Hooks(on_page=on_page, on_meta=on_meta, on_meta_start=on_meta_start,
                      on_meta_end=on_meta_end)
        yield hooks, on_wait


@app.command("discover")
@handle_errors
def discover_command(
    since: Annotated[
        str | None, typer.Option("--since", help="Start of the window: Nd (days ago, e.g. 7d, "
                                 "30d), YYYY-MM-DD, YYYY-MM or YYYY. Default: 7d.",
                                 metavar="DATE", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="End of the window (same forms; included). "
                                 "Default: today.", metavar="DATE", show_default=False)
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", help="arXiv category to search (repeatable, or "
                     "comma-separated); overrides \\[discover] categories of catalog.toml.",
                     metavar="CATEGORY", show_default=False),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="How many candidates to show.",
                          metavar="N")
    ] = 20,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json or md.", metavar="FORMAT")
    ] = "table",
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Walk the candidates on a terminal: "
                           "a add, s skip, d dismiss, o abstract, q (or Ctrl-D) quit.")
    ] = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="When arXiv could not send every page, rank "
                           "what came (else exit 2).")
    ] = False,
    catalog: CatalogOption = None,
    timeout: DiscoverTimeoutOption = None,
) -> None:
    """Find new arXiv papers that belong in the catalog, ranked by fit to it.

    Asks the arXiv API for the papers first submitted in the window (the last 7 days by
    default) in the catalog's categories (--category, else \\[discover] categories of
    catalog.toml, else those most of the catalog's papers are in, else cs.LG, stat.ML, cs.AI
    and cs.CL), leaves out those already in the catalog or dismissed, and ranks the rest by
    how well they fit the catalog, best first, with the section and key words each would get.
    Exits 0 when candidates were found, 1 when none, 2 for bad options or an API failure.

    Examples:

      deepphen discover

      deepphen discover --since 30d --limit 40

      deepphen discover --since 2025-05-01 --until 2025-05-31 --format json

      deepphen discover --since 14d --format md > candidates.md

      deepphen discover --category cs.LG --category q-bio.NC

      deepphen discover --interactive
    """
    if fmt not in OUTPUT_FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")
    if interactive and fmt != "table":
        raise usage_error(f"--interactive does not go with --format {fmt}; drop one of them")
    # Candidates on stdout, answers from stdin, questions on stderr: all three a terminal.
    if interactive and not can_ask():
        raise usage_error("--interactive needs a terminal; use --format md or json elsewhere")
    from deepphen.catalog import find_catalog
    from deepphen.discover import NothingNew, discover

    if any(not item.replace(",", "").strip() for item in category or []):
        raise usage_error("--category needs a value, not an empty one")
    categories = [c for item in category or [] for c in item.split(",") if c.strip()]
    root = find_catalog(catalog)
    if interactive:  # the walk writes: say so before the fetch, not at the first decision
        from deepphen.fsutil import require_writable

        require_writable(root)
    from deepphen.cli.network import arxiv_client
    from deepphen.discover import deadline_for, utc_today
    from deepphen.window import parse_window

    # Many pages, 3 s apart, and the catalog's abstracts: more than add's minute (--timeout),
    # and more for a wider window. One today for both readings of the window.
    today = utc_today()
    deadline = timeout or deadline_for(parse_window(since, until, today=today))
    try:
        with discover_progress(deadline) as (hooks, on_wait):
            result = discover(root, since=since, until=until, categories=categories or None,
                              today=today, client=arxiv_client(on_wait, deadline),
                              partial=partial, hooks=hooks)
    except NothingNew as exc:
        for message in exc.warnings:  # what came may not be all there was
            warn(clean(message))
        if fmt == "json":
            print_json([])  # scripts get a JSON document either way; the exit code says 1
        raise
    for message in result.warnings:
        warn(clean(message))
    _summary(result, limit)
    if interactive:
        from deepphen.cli.triage import triage

        triage(root, result, limit)
        return
    if fmt == "json":
        from deepphen.discover import candidate_record

        headings = result.headings()
        print_json([candidate_record(f, headings) for f in result.fits[:limit]])
    elif fmt == "md":
        from deepphen.discover import render_md

        echo(render_md(result, limit))
    else:
        _table(result, limit)


def _summary(result: Any, limit: int) -> None:
    from deepphen.discover import left_out_words

    left = left_out_words(result.left_out)
    fetched = f"{len(result.fetched.entries)} fetched"
    if result.fetched.by_keywords:
        fetched += f", {len(result.fetched.by_keywords)} more by key words in other categories"
    if left:
        fetched += f"; left out {left}"
    shown = min(limit, len(result.fits))
    sys.stderr.write(f"{counted(len(result.fits), 'new paper')} in "
                     f"{', '.join(result.categories)} from "
                     f"{result.window} ({fetched}); showing the best {shown}\n")


def _table(result: Any, limit: int) -> None:
    from deepphen.discover import first_authors
    from deepphen.printable import AUTHORS_SHOWN, TITLE_SHOWN

    headings = result.headings()
    rows = []
    for rank, fit in enumerate(result.fits[:limit], 1):
        entry = fit.entry
        best = fit.suggested_sections[0][0] if fit.suggested_sections else ""
        rows.append((rank, f"{fit.score:.2f}", clean(shorten(entry.title, TITLE_SHOWN)),
                     clean(shorten(first_authors(entry.authors), AUTHORS_SHOWN)),
                     entry.published.isoformat() if entry.published else "",
                     clean(headings.get(best, best)), entry.id, clean(fit.explain())))
    if not is_terminal():
        for row in rows:
            echo("\t".join(str(cell) for cell in row))
        return
    from rich.text import Text

    cells = []
    for rank, score, title, authors, date, section, arxiv_id, why in rows:
        cell = Text(title)
        cell.stylize(f"link https://arxiv.org/abs/{arxiv_id}")
        cell.append(f"\n{arxiv_id}: {why}", style="dim")
        cells.append([Text(str(rank)), Text(score), cell, Text(authors), Text(date),
                      Text(section)])
    print_rich_table(f"New papers, {result.window}",
                     ("#", "score", "title", "authors", "date", "section"), cells)
