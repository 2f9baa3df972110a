"""``deepphen stats``: how the list is spread over sections, years, key words and venues."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from deepphen.cli.app import (
    app,
    check_selected,
    handle_errors,
    select_papers,
    usage_error,
)
from deepphen.cli.options import CatalogOption, typed
from deepphen.cli.output import console, counted, echo, is_terminal, print_json
from deepphen.cli.params import NO_FILTERS, FilterOptions
from deepphen.printable import printable, shorten

STATS_FORMATS = ("text", "json")
BAR_WIDTH = 40
LABEL_WIDTH = 40  # cells of a label before it folds
MIN_BAR = 8  # a narrower bar tells nothing: left out
LABEL_SHOWN = 200  # characters of a key word, venue or section a row shows (JSON: all)
_EIGHTHS = " ▏▎▍▌▋▊▉"


@app.command("stats")
@handle_errors
@typed
def stats_command(
    query: Annotated[
        str | None, typer.Argument(help="Optional search query: count only matching papers.",
                                    metavar="QUERY")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text (charts or plain lines) or json.",
                          metavar="FORMAT")
    ] = "text",
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="How many key words and venues to list.",
                          metavar="N")
    ] = 15,
    catalog: CatalogOption = None,
    filters: FilterOptions = NO_FILTERS,
) -> None:
    """Show papers per section and per year, top key words, code links and venues.

    Bar charts on a terminal, "label<TAB>count" lines when piped, or --format json.

    Takes the same filters and query as export.

    Examples:

      deepphen stats

      deepphen stats --since 2023 --section "Neural Collapse"

      deepphen stats --keyword Grokking --format json
    """
    if fmt not in STATS_FORMATS:
        raise usage_error(f"unknown format {fmt!r}; choose one of: {', '.join(STATS_FORMATS)}")
    from deepphen.stats import compute_stats

    selection = select_papers(catalog, query, filters)
    settings, papers = selection.settings, selection.papers
    stats = compute_stats(papers, settings, top=top)
    if fmt == "json":
        print_json(stats)  # with no paper too: the same keys, every count zero
    elif not papers:
        pass  # no tables of zeros: check_selected says that nothing matched
    elif is_terminal():
        _print_charts(stats)
    else:
        _print_plain(stats)
    check_selected(selection)


def _blocks(stats: dict[str, Any]) -> list[tuple[str, list[tuple[str, int]]]]:
    """The charts to show: (title, [(label, count), ...]) in display order; labels (catalog
    text) with every control character made visible, so none acts or breaks a column."""
    return [(title, [(printable(shorten(label, LABEL_SHOWN)), count) for label, count in rows])
            for title, rows in _raw_blocks(stats)]


def _raw_blocks(stats: dict[str, Any]) -> list[tuple[str, list[tuple[str, int]]]]:
    from deepphen.stats import year_labels

    return [
        ("Papers per section", [(r["heading"] or r["section"], r["papers"])
                                for r in stats["sections"]]),
        ("Papers per year", year_labels(stats["years"])),
        (f"Top key words (of {stats['distinct_keywords']})",
         [(r["keyword"], r["papers"]) for r in stats["keywords"]]),
        (f"Top venues (of {stats['distinct_venues']})",
         [(r["venue"], r["papers"]) for r in stats["venues"]]
         # A row, like JSON's venues, only for papers there are.
         + [("(no venue)", n) for n in [stats["without_venue"]] if n]),
    ]


def _summary(stats: dict[str, Any]) -> str:
    code, arxiv = stats["code"], stats["arxiv"]
    return (f"{counted(stats['papers'], 'paper')}; {code['with_code']} with a code link, "
            f"{code['without_code']} without; {arxiv['with_arxiv']} on arXiv, "
            f"{arxiv['without_arxiv']} not")


def _print_plain(stats: dict[str, Any]) -> None:
    lines = [f"# {_summary(stats)}"]
    for title, rows in _blocks(stats):
        lines += ["", f"# {title}"] + [f"{label}\t{count}" for label, count in rows]
    echo("\n".join(lines))


def bar(count: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``count`` scaled so that ``largest`` fills ``width`` cells."""
    if largest <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count * width * 8 / largest))
    return "█" * (eighths // 8) + _EIGHTHS[eighths % 8].strip()


def _print_charts(stats: dict[str, Any]) -> None:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(_summary(stats), style="bold")
    for title, rows in _blocks(stats):
        table = Table(title=title, title_justify="left", show_header=False, box=None,
                      padding=(0, 1))
        table.add_column("label", overflow="fold", max_width=LABEL_WIDTH)
        table.add_column("papers", justify="right", no_wrap=True)
        # The bar gets what the label and the count leave of the terminal's width, and
        # none on a narrow one: at a fixed 40 cells it squeezed both out of view.
        label = min(LABEL_WIDTH, max((cell_len(lab) for lab, _ in rows), default=0))
        count = max((len(str(n)) for _, n in rows), default=1)
        room = min(BAR_WIDTH, out.width - label - count - 6)  # 2 cells of padding a column
        if room >= MIN_BAR:
            table.add_column("bar", style="cyan", no_wrap=True)
        largest = max((n for _, n in rows), default=0)
        for lab, n in rows:
            cells = [Text(lab), str(n)]  # never markup
            table.add_row(*cells, *([bar(n, largest, room)] if room >= MIN_BAR else []))
        out.print()
        out.print(table)
