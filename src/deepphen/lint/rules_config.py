"""DP6xx: the settings in catalog.toml: sections and the table of contents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from deepphen.lint.engine import Context, Hit, rule
from deepphen.models import github_anchor


@rule("DP601", "empty-section", "warning", "Every section in the settings has papers.",
      scope="catalog")
def empty_section(ctx: Context) -> Iterator[Hit]:
    """An empty section renders as a bare heading.

    Bad:  ``[[sections]]`` ``slug = "information-bottleneck"`` with no paper in it
    Good: every section holds at least one paper, or is removed from the settings
    """
    used = Counter(f.folder for f in ctx.files)
    used.update(f.paper.section for f in ctx.files if f.paper is not None)
    for section in ctx.settings.sections:
        if not used[section.slug]:
            yield Hit(f"section {section.heading!r} has no papers",
                      needle=f'slug = "{section.slug}"')


def _page_anchors(ctx: Context) -> set[str]:
    settings = ctx.settings
    headings = [s.heading for s in settings.sections]
    headings += [settings.resources_heading, settings.toc_heading]
    return {github_anchor(h) for h in headings}


@rule("DP602", "toc-anchor", "error", "Every TOC entry points at a heading on the page.",
      scope="catalog")
def toc_anchor(ctx: Context) -> Iterator[Hit]:
    """A TOC label with an anchor of its own must land on a section's heading.

    Bad:  ``heading = "Others"``, ``toc_label = "Other Papers"``, ``anchor = "other-papers"``
    Good: ``heading = "Others"``, ``toc_label = "Other Papers"``, ``anchor = "others"``
    """
    anchors = _page_anchors(ctx)
    for section in ctx.settings.sections:
        if section.anchor and section.anchor.lstrip("#") not in anchors:
            yield Hit(f"TOC anchor #{section.anchor} of {section.toc_text!r} matches no heading",
                      needle=f'anchor = "{section.anchor}"',
                      hint=f'the heading {section.heading!r} has anchor '
                           f'"{github_anchor(section.heading)}"')


@rule("DP603", "duplicate-section", "error",
      "Sections have distinct slugs, headings and anchors.", scope="catalog")
def duplicate_section(ctx: Context) -> Iterator[Hit]:
    """Two sections with one slug share a folder; with one anchor, one TOC entry is dead.

    Bad:  two ``[[sections]]`` with ``heading = "Others"``
    Good: every section's slug and heading are its own
    """
    for attr, show in (("slug", "slug"), ("heading", "heading"), ("toc_anchor", "anchor")):
        seen: set[str] = set()
        for section in ctx.settings.sections:
            value = getattr(section, attr)
            if value in seen:
                needle = f'{show} = "{value}"' if attr != "toc_anchor" else f'"{section.heading}"'
                yield Hit(f"two sections with {show} {value!r}", needle=needle)
            seen.add(value)
