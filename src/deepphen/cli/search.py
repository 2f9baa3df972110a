"""``deepphen search``: ranked, typo-tolerant search with the shared filters.

This command module imports neither typer nor rich, so that ``deepphen search`` starts in
about the time of the search itself: deepphen.launch parses its arguments with
deepphen.cli.params (the declarations typer reads too) and calls ``search_command``
directly; deepphen.cli.main registers the same function as the typer command, which serves
``--help`` and whatever the quick parser leaves to typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deepphen.cli.output import (
    counted,
    echo,
    is_terminal,
    print_json,
    print_table,
    run_command,
)
from deepphen.cli.params import FILTERS, NO_FILTERS, SEARCH, FilterOptions, parse_args
from deepphen.errors import DeepphenError
from deepphen.printable import AUTHORS_SHOWN, TITLE_SHOWN, printable, shorten

OUTPUT_FORMATS = ("table", "json", "ids")
TABLE_COLUMNS = ("Score", "Title", "Authors", "Year", "Section", "Id")


def hit_row(hit: Any, headings: dict[str, str] | None = None) -> tuple[str, ...]:
    """A hit as table cells (TABLE_COLUMNS); sections by heading when ``headings`` maps slugs,
    a title or author list of megabytes shortened (JSON has them whole)."""
    paper = hit.paper
    authors = ", ".join(paper.authors[:2]) + (" et al." if len(paper.authors) > 2 else "")
    section = (headings or {}).get(paper.section, paper.section)
    return (f"{hit.score:.2f}", shorten(paper.title, TITLE_SHOWN),
            shorten(authors, AUTHORS_SHOWN), str(paper.year), section, paper.arxiv or paper.key)


def search_command(
    query: str | None = None,
    limit: int = 20,
    fmt: str = "table",
    catalog: Path | None = None,
    filters: FilterOptions = NO_FILTERS,
) -> None:
    """Find papers by words, key words, authors, title or id, forgiving typos.

    Best matches first; exit 1 when nothing matches. Filters work alone or with a query.
    Case, accents, quote styles and dashes do not matter, and Greek letters match their
    names ("muP", "epsilon-greedy"). Any script is read: Chinese, Japanese, Korean or Thai
    text is found by any part of it ("泛化").

    Examples:

      deepphen search grokking

      deepphen search "lotery tiket" --limit 5

      deepphen search Power --since 2022 --format json

      deepphen search --section "Neural Collapse" --year 2023 --format ids

      deepphen search https://arxiv.org/abs/2201.02177
    """
    from deepphen.hints import NoMatch
    from deepphen.search import search_catalog

    if fmt not in OUTPUT_FORMATS:
        raise DeepphenError(f"unknown format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")
    from deepphen.catalog import find_catalog

    root = find_catalog(catalog)
    # Any filter given, an empty one too (build() refuses "" for every filter alike).
    wants_filters = bool(filters)
    if query is None and not wants_filters:
        raise DeepphenError("give a search query or at least one filter (see --help)")
    settings = None
    if wants_filters or (fmt == "table" and is_terminal()):
        from deepphen.catalog import load_settings

        settings = load_settings(root)
    keep = filters.build(settings).matches if wants_filters else None
    try:
        hits = search_catalog(root, query, keep=keep, limit=limit,
                              keywords=filters.keyword or ())
    except NoMatch:
        if fmt == "json":  # scripts get a JSON document either way; the exit code says 1
            print_json([])
        raise
    if fmt == "json":
        from deepphen.catalog import section_headings
        from deepphen.export.json import hit_record

        headings = ({sec.slug: sec.heading for sec in settings.sections} if settings
                    else section_headings(root))
        print_json([hit_record(hit, headings) for hit in hits])
    elif fmt == "ids":
        for hit in hits:
            echo(printable(hit.paper.arxiv or hit.paper.key))
    else:
        _print_hits(hits, settings)


def _print_hits(hits: list, settings: object) -> None:
    """The rich table on a terminal (sections by heading), tab-separated lines when piped."""
    # Headings only in the rich table: piped lines keep the slug whether or not a filter
    # made the settings load.
    headings = ({s.slug: s.heading for s in settings.sections}  # type: ignore[attr-defined]
                if settings and is_terminal() else {})
    title = counted(len(hits), "paper")
    print_table(title, TABLE_COLUMNS, [hit_row(h, headings) for h in hits],
                links=[h.paper.paper_url for h in hits])


PARAMS = (*SEARCH, *FILTERS)  # everything search accepts, as typer shows it too


def quick_search(argv: list[str]) -> int | None:
    """Run ``deepphen search ARGV`` without typer: its exit code, or None when typer must
    parse ``argv`` (help, unknown or malformed options: typer's messages)."""
    options = parse_args(PARAMS, argv)
    if options is None:
        return None
    filters = FilterOptions.take(options)
    return run_command(search_command, **options, filters=filters)
