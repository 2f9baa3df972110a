"""DP6xx: the settings in catalog.toml: sections and the table of contents."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator

from deepphen.catalog import SETTINGS_FILE, read_toml
from deepphen.errors import unknown_name_hint
from deepphen.layout import LAYOUT_KEYS, ResourceSection
from deepphen.lint.context import Context
from deepphen.lint.registry import Flag, rule
from deepphen.models import DiscoverSettings, Resource, Section, Settings
from deepphen.slugs import github_anchor


@rule("DP601", "empty-section", "warning", "Every section in the settings has papers.",
      scope="catalog")
def empty_section(ctx: Context) -> Iterator[Flag]:
    """An empty section renders as a bare heading.

    Bad:  ``[[sections]]`` ``slug = "information-bottleneck"`` with no paper in it
    Good: every section holds at least one paper, or is removed from the settings
    """
    used = Counter(f.folder for f in ctx.files)
    used.update(f.paper.section for f in ctx.files if f.paper is not None)
    for section in ctx.settings.sections:
        if not used[section.slug]:
            yield Flag(f"section {section.heading!r} has no papers",
                       needle=f'slug = "{section.slug}"')


def _page_anchors(ctx: Context) -> set[str]:
    settings = ctx.settings
    headings = [s.heading for s in settings.sections]
    headings += [settings.resources_heading, settings.toc_heading]
    return {github_anchor(h) for h in headings}


@rule("DP602", "toc-anchor", "error", "Every TOC entry points at a heading on the page.",
      scope="catalog")
def toc_anchor(ctx: Context) -> Iterator[Flag]:
    """A TOC label with an anchor of its own must land on a section's heading.

    Bad:  ``heading = "Others"``, ``toc_label = "Other Papers"``, ``anchor = "other-papers"``
    Good: ``heading = "Others"``, ``toc_label = "Other Papers"``, ``anchor = "others"``
    """
    anchors = _page_anchors(ctx)
    for section in ctx.settings.sections:
        if section.anchor and section.anchor.lstrip("#") not in anchors:
            yield Flag(f"TOC anchor #{section.anchor} of {section.toc_text!r} matches no heading",
                       needle=f'anchor = "{section.anchor}"',
                       hint=f'the heading {section.heading!r} has anchor '
                           f'"{github_anchor(section.heading)}"')


@rule("DP603", "duplicate-section", "error",
      "Sections have distinct slugs, headings and anchors.", scope="catalog")
def duplicate_section(ctx: Context) -> Iterator[Flag]:
    """Two sections with one slug share a folder; with one anchor, one TOC entry is dead.
    Slugs differing only in case are one folder where case is ignored (a clone on macOS or
    Windows puts both sections' papers in it).

    Bad:  two ``[[sections]]`` with ``heading = "Others"``; slugs ``others`` and ``Others``
    Good: every section's slug and heading are its own
    """
    for attr, show in (("slug", "slug"), ("heading", "heading"), ("toc_anchor", "anchor")):
        seen: dict[str, str] = {}
        for section in ctx.settings.sections:
            value = getattr(section, attr)
            key = value.casefold() if attr == "slug" else value
            if key in seen:
                needle = f'{show} = "{value}"' if attr != "toc_anchor" else f'"{section.heading}"'
                case = "" if seen[key] == value else (
                    f" (and {seen[key]!r}: one folder where case is ignored)")
                yield Flag(f"two sections with {show} {value!r}{case}", needle=needle)
            seen.setdefault(key, value)


def _known(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name != "extra"]


@rule("DP604", "unknown-setting", "error", "Every key of catalog.toml is a known setting.",
      scope="catalog")
def unknown_setting(ctx: Context) -> Iterator[Flag]:
    """A misspelt setting is ignored by every command (a section's is even dropped when the
    settings are rewritten), so the list silently keeps the default.

    Bad:  ``regenerate_pages = true``, ``{ heading = "Others", toc_lable = "Other Papers" }``,
          ``[[resource_sections]]`` ``toc_group = [...]``, or ``[discover]``
          ``categorie = ["cs.LG"]``
    Good: ``regenerate_page = true``, ``toc_label = "Other Papers"``, ``categories = ["cs.LG"]``
    """
    known = [name for name in _known(Settings) if name != "layout"] + sorted(LAYOUT_KEYS)
    for key in ctx.settings.extra:
        yield Flag(f"unknown setting {key!r}", field=key,
                   hint=unknown_name_hint(key, known))
    for key in ctx.settings.discover.extra:  # else discover searches other categories
        yield Flag(f"unknown key {key!r} in [discover]", field="discover", needle=f"{key} =",
                   hint=unknown_name_hint(key, _known(DiscoverSettings)))
    for i, page in enumerate(ctx.settings.pages):
        for key in page.extra:
            yield Flag(f"unknown key {key!r} in pages[{i}]", field="pages", needle=f"{key} =",
                       hint=unknown_name_hint(key, known))
    data = read_toml(ctx.root / SETTINGS_FILE)
    for table, cls in (("sections", Section), ("resources", Resource),
                       ("resource_sections", ResourceSection)):
        names = _known(cls)
        for i, item in enumerate(data.get(table) or []):
            for key in item if isinstance(item, dict) else ():
                if key not in names:
                    yield Flag(f"unknown key {key!r} in {table}[{i}]", field=table,
                               needle=f"{key} =",
                               hint=unknown_name_hint(key, names))
