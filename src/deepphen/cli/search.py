"""``deepphen search``: ranked, typo-tolerant search with the shared filters."""

from __future__ import annotations

from typing import Annotated

import typer

from deepphen.cli.app import (
    AuthorFilter,
    CatalogOption,
    KeywordFilter,
    SectionFilter,
    SinceFilter,
    UntilFilter,
    VenueFilter,
    YearFilter,
    app,
    echo,
    handle_errors,
    is_terminal,
    make_filters,
    print_json,
    print_table,
    usage_error,
)
from deepphen.printable import printable


@app.command("search")
@handle_errors
def search_command(
    query: Annotated[
        str | None, typer.Argument(help="Words, an author, a title, an arXiv id or URL.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most N papers.")] = 20,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table (default), json or ids (one per line).")
    ] = "table",
    catalog: CatalogOption = None,
    section: SectionFilter = None,
    year: YearFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    keyword: KeywordFilter = None,
    author: AuthorFilter = None,
    venue: VenueFilter = None,
) -> None:
    """Find papers by words, key words, authors, title or id, forgiving typos.

    Best matches first; exit 1 when nothing matches. Filters work alone or with a query.

    Examples:

      deepphen search grokking

      deepphen search "lotery tiket" --limit 5

      deepphen search Power --since 2022 --format json

      deepphen search --section "Neural Collapse" --year 2023 --format ids

      deepphen search https://arxiv.org/abs/2201.02177
    """
    from deepphen.search import (
        OUTPUT_FORMATS,
        TABLE_COLUMNS,
        NoMatch,
        hit_record,
        hit_row,
        search_catalog,
    )

    if fmt not in OUTPUT_FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")
    from deepphen.catalog import find_catalog

    root = find_catalog(catalog)
    wants_filters = any((section, year, since, until, keyword, author, venue))
    if query is None and not wants_filters:
        raise usage_error("give a search query or at least one filter (see --help)")
    settings = None
    if wants_filters or (fmt == "table" and is_terminal()):
        from deepphen.catalog import load_settings

        settings = load_settings(root)
    keep = None
    if wants_filters:
        keep = make_filters(settings, section=section, year=year, since=since, until=until,
                            keyword=keyword, author=author, venue=venue).matches
    try:
        hits = search_catalog(root, query, keep=keep, limit=limit)
    except NoMatch as exc:
        if keyword:
            from deepphen.catalog import load_papers
            from deepphen.search import keyword_hint

            exc.hint = keyword_hint(load_papers(root), keyword) or exc.hint
        if fmt == "json":  # scripts get a JSON document either way; the exit code says 1
            print_json([])
        raise
    if fmt == "json":
        print_json([hit_record(hit) for hit in hits])
    elif fmt == "ids":
        for hit in hits:
            echo(printable(hit.paper.arxiv or hit.paper.key))
    else:
        # Headings only in the rich table: piped lines keep the slug whether or not a filter
        # made the settings load, as the launcher's quick path prints them.
        headings = ({s.slug: s.heading for s in settings.sections}
                    if settings and is_terminal() else {})
        title = f"{len(hits)} paper{'' if len(hits) == 1 else 's'}"
        print_table(title, TABLE_COLUMNS, [hit_row(h, headings) for h in hits],
                    links=[h.paper.paper_url for h in hits])


def run_parsed(options: dict[str, object]) -> int:
    """Run the command with options parsed by deepphen.launch (typer's parsing skipped)."""
    try:
        search_command(**options)  # type: ignore[arg-type]
    except typer.Exit as exc:
        return exc.exit_code
    return 0
