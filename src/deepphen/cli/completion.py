"""Shell completion of values: section slugs and key words read from the catalog.

typer completes command names and options by itself (``deepphen --install-completion``);
these callbacks add the catalog's own vocabulary. They run only while the shell asks for
completions, never on a command's path, and a catalog that cannot be read completes nothing:
a completion must never print an error into the user's command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def _catalog_root(ctx: typer.Context) -> Path | None:
    """The catalog the command line being completed points at (``--catalog`` or the default)."""
    from deepphen.catalog import find_catalog

    explicit = (ctx.params or {}).get("catalog")
    try:
        return find_catalog(explicit)
    except Exception:  # no catalog here: nothing to complete
        return None


def _matching(values: list[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    """The (value, help) pairs whose value starts with ``incomplete``, case folded.

    Catalog text reaches the shell's command line and menu here: a value holding a control
    character is not offered, and help text is made inert.
    """
    from deepphen.printable import has_control, printable

    start = incomplete.casefold()
    return [(value, printable(help)) for value, help in values
            if value.casefold().startswith(start) and not has_control(value)]


def complete_section(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Section slugs of the catalog, each with its heading as help."""
    root = _catalog_root(ctx)
    if root is None:
        return []
    from deepphen.catalog import load_settings

    try:
        settings = load_settings(root)
    except Exception:
        return []
    return _matching([(s.slug, s.heading) for s in settings.sections], incomplete)


def complete_keyword(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The catalog's key words in their canonical spelling, each with its paper count."""
    root = _catalog_root(ctx)
    if root is None:
        return []
    from collections import Counter

    from deepphen.catalog import load_papers

    try:
        papers = load_papers(root)
    except Exception:
        return []
    counts = Counter(k for p in papers for k in p.keywords)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return _matching([(k, f"{n} paper{'s' * (n != 1)}") for k, n in ranked], incomplete)


# What a Param's ``complete`` names (deepphen.cli.params) -> the callback typer calls.
COMPLETERS: dict[str, Any] = {"section": complete_section, "keyword": complete_keyword}
