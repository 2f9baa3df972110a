"""DP605-DP606: what ``deepphen discover`` reads: dismissed.toml and [discover] settings."""

from __future__ import annotations

from collections.abc import Iterator

from deepphen import ids
from deepphen.dismissed import (
    FIELDS,
    dismissed_path,
    header_lines,
    read_dismissed,
    value_problem,
)
from deepphen.errors import CatalogError, unknown_name_hint
from deepphen.lint.context import Context
from deepphen.lint.registry import Flag, rule
from deepphen.taxonomy import is_category, similar_categories


@rule("DP605", "dismissed-file", "error",
      "dismissed.toml lists each dismissed paper once, by canonical arXiv id.", scope="catalog")
def dismissed_file(ctx: Context) -> Iterator[Flag]:
    """discover skips what this file lists: a bad entry would bring a paper back, or hide one.

    Bad:  ``[[dismissed]]`` ``arxiv = "2505.01234v2"`` (a version), the same id twice, an
          unknown key (``reasons = ...``), or a paper that is also in the catalog
    Good: ``[[dismissed]]`` ``arxiv = "2505.01234"`` ``date = 2025-05-20`` once per paper
    """
    path = dismissed_path(ctx.root)
    try:
        data = read_dismissed(ctx.root)
    except CatalogError as exc:
        yield Flag(exc.message, path=path, line=exc.line or 1, hint=exc.hint)
        return
    if data is None:
        return
    for key in data:
        if key != "dismissed":
            yield Flag(f"unknown key {key!r}", path=path, line=1, hint="only [[dismissed]] tables")
    items = data.get("dismissed", [])
    if not isinstance(items, list):
        yield Flag("'dismissed' must be a list of tables ([[dismissed]])", path=path, line=1)
        return
    in_catalog = {ids.canonical_id(p.arxiv) for p in ctx.papers if p.arxiv}
    seen: dict[str, int] = {}
    headers = header_lines(path)
    for i, item in enumerate(items):
        line = headers[i] if i < len(headers) else 1
        if not isinstance(item, dict):
            yield Flag(f"dismissed[{i}] must be a table", path=path, line=line)
            continue
        for key in item:
            if key not in FIELDS:
                yield Flag(f"unknown key {key!r} in dismissed[{i}]", path=path, line=line,
                           hint=unknown_name_hint(key, FIELDS))
        problem = value_problem(item)
        if problem:
            yield Flag(f"dismissed[{i}]: {problem}", path=path, line=line)
        raw = item.get("arxiv")
        if not isinstance(raw, str) or not ids.is_arxiv_id(raw):
            yield Flag(f"dismissed[{i}] needs 'arxiv', a canonical arXiv id (no version), "
                       f"not {raw!r}", path=path, line=line, hint='e.g. arxiv = "2505.01234"')
            continue
        if raw in seen:
            yield Flag(f"{raw} is dismissed twice (first at line {seen[raw]})", path=path,
                       line=line, hint="keep one table")
        seen.setdefault(raw, line)
        if raw in in_catalog:
            yield Flag(f"{raw} is dismissed but also in the catalog", path=path, line=line,
                       hint="remove the dismissal, or the paper")


@rule("DP606", "discover-category", "error",
      "[discover] categories are arXiv categories, each named once.", scope="catalog")
def discover_category(ctx: Context) -> Iterator[Flag]:
    """discover refuses to run with a category arXiv does not have.

    Bad:  ``[discover]`` ``categories = ["cs.ML", "stat.ML", "stat.ML"]``
    Good: ``[discover]`` ``categories = ["cs.LG", "stat.ML"]``
    """
    seen: set[str] = set()
    for name in ctx.settings.discover.categories:
        if not is_category(name):
            close = similar_categories(name)
            yield Flag(f"[discover] category {name!r} is not an arXiv category",
                       field="categories", needle=f'"{name}"',
                       hint=f"did you mean {', '.join(close)}?" if close
                       else "see https://arxiv.org/category_taxonomy")
        elif name in seen:
            yield Flag(f"[discover] category {name!r} is listed twice", field="categories",
                       needle=f'"{name}"')
        seen.add(name)
