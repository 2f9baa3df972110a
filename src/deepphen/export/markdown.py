"""The catalog as the list's markdown page, in the list's own layout.

``render`` gives the whole page (badges, title, intro, table of contents, sections with year
subsections newest first, related resources, closing); ``render_entry`` one paper's lines.
Entries are written in the list's format (deepphen.dialect), whose escaping keeps any field from
opening HTML, a link or a block; the settings (badges, intro, images, closing) are the
curator's markdown, written as is.
``deepphen import`` reads this output back to the same papers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from deepphen import ids
from deepphen.dialect import (
    IMAGE_ALT,
    entry_lines,
    escape_md,
    group_label,
    group_year,
)
from deepphen.export import sections_with_papers
from deepphen.export.anchors import PLACEHOLDER, link_label, resolve
from deepphen.layout import CONTENTS_END, Layout, end_key, group_key, section_end_key
from deepphen.models import Paper, Resource, Section, Settings
from deepphen.printable import strip_controls
from deepphen.verbatim import page_lines


def render_entry(paper: Paper) -> str:
    """One entry as it appears on the page: its lines joined, without a final newline."""
    return "\n".join(line for _, line in entry_lines(paper))


def _heading_key(line: str) -> str:
    return line.lstrip("#").strip()


def paper_month(paper: Paper) -> int | None:
    """YYYYMM of a paper's first version: its ``published`` date, else its arXiv id (even
    written loosely, "arXiv:2201.02177v2"); None when neither says."""
    if paper.published:
        return paper.published.year * 100 + paper.published.month
    arxiv = ids.canonical_id(paper.arxiv)
    return ids.id_sort_key(arxiv)[0] if arxiv else None


def recent(papers: list[Paper], months: int) -> list[Paper]:
    """The papers of the last ``months`` months, counted back from the newest dated paper
    among ``papers``. A paper known only by its year counts when that year reaches into the
    window (it may fall inside it)."""
    dated = [m for m in (paper_month(p) for p in papers) if m is not None]
    if not dated:
        return list(papers)
    newest = max(dated)
    index = (newest // 100) * 12 + newest % 100 - 1 - (months - 1)
    start = (index // 12) * 100 + index % 12 + 1
    return [p for p in papers if (paper_month(p) or 0) >= start
            or (paper_month(p) is None and p.year >= start // 100)]


def section_intro(sec: Section, layout: Layout) -> str | None:
    """The line(s) under a section's heading: its own, else the page's template filled in."""
    if sec.intro is not None:
        return sec.intro or None
    if layout.section_intro is None:
        return None
    return layout.section_intro.replace("{heading}", sec.heading).replace(
        "{anchor}", sec.toc_anchor)


def render(papers: list[Paper], settings: Settings) -> str:
    """The whole page for these papers, in the page's layout; deterministic.

    A page with ``recent_months`` shows only the papers of its last months (see ``recent``).
    """
    layout = settings.layout
    if layout.recent_months:
        papers = recent(papers, layout.recent_months)
    lines: list[str] = []
    # Where each table-of-contents link points: (line of its heading, anchor the settings ask
    # for); the links are placeholders until the page is whole (see export.anchors).
    targets: list[tuple[int | None, str | None]] = []
    heading_line: dict[object, int] = {}

    def heading(text: str, level: int, key: str | None = None, target: object = None) -> None:
        if lines:
            lines.extend([""] * settings.blank_lines.get(key or text, 1))
        if target is not None:
            heading_line[target] = len(lines)
        lines.append(f"{'#' * level} {text}")

    if settings.badges:
        lines.append(settings.badges)
    if settings.title or settings.title_badge:
        title = settings.title + (f" {settings.title_badge}" if settings.title_badge else "")
        lines += [*[""] * settings.blank_lines.get(title, 1) * bool(lines), f"# {title}"]
    if settings.intro:
        lines += [*[""] * layout.intro_gap, settings.intro] if lines else [settings.intro]
    sections = [(_shown(sec, settings), group) for sec, group in
                sections_with_papers(papers, settings, keep_empty=layout.show_empty_sections)]
    # A page of '## YYYY' groups alone lists nothing in contents of its own (nor had any).
    if layout.section_headings or settings.resources or layout.resource_sections \
            or layout.toc_after:
        heading(settings.toc_heading, layout.toc_level)
        if settings.toc_image:
            lines += ["", settings.toc_image]
    toc_at = len(lines)
    if layout.papers_heading:
        heading(layout.papers_heading, 1)
    for sec, group in sections:
        if layout.section_headings:
            heading(sec.heading, 2, target=("section", sec.slug))
            if sec.image:
                lines += ["", f"![{IMAGE_ALT}]({sec.image})"]
            intro = section_intro(sec, layout)
            if intro:
                lines += ["", intro]
        _write_papers(lines, sec, group, settings)
        # Lines kept after the section's last group (a comment), blank lines above included.
        lines.extend(layout.notes.get(section_end_key(sec.heading), ()))
    legacy = [res for res in settings.resources if res.section is None]
    if legacy:
        heading(settings.resources_heading, 2, target=("resources",))
        _write_resources(lines, legacy)
    for block in layout.resource_sections:
        heading(block.heading, block.level, target=("block", block.heading))
        mine = [res for res in settings.resources if res.section == block.heading]
        if block.texts.get(""):
            lines += ["", block.texts[""]]
        _write_resources(lines, [res for res in mine if res.group is None])
        for group in dict.fromkeys([*block.groups, *(res.group for res in mine
                                                     if res.group is not None)]):
            heading(group, block.level + 1)
            if block.texts.get(group):
                lines += ["", block.texts[group]]
            _write_resources(lines, [res for res in mine if res.group == group])
    if settings.closing:
        first = settings.closing.split("\n", 1)[0]
        if lines:
            lines.extend([""] * settings.blank_lines.get(_heading_key(first), 1))
        lines.append(settings.closing)

    def link(target: object, wanted: str | None) -> str:
        targets.append((heading_line.get(target), wanted))
        return PLACEHOLDER.format(len(targets) - 1)

    # The contents go in last, when every heading's line (and so its anchor) is known.
    # Lines kept below the contents (a comment), blank lines above included.
    toc = [*_toc_items(sections, settings, link), *layout.notes.get(CONTENTS_END, ())]
    lines[toc_at:toc_at] = toc
    targets[:] = [(line + len(toc) if line is not None and line >= toc_at else line, wanted)
                  for line, wanted in targets]
    # The settings are the curator's markdown, written as is, but no control or bidi character
    # is markdown: one in a heading or the intro would act on the terminal that shows the page
    # (lint's DP608 names it in catalog.toml). Paper fields are folded already. After the
    # anchors are resolved: their placeholders are made of control characters.
    lines = [strip_controls(line, keep="\n\t") for line in resolve(lines, targets)]
    # The curator's markdown (intro, closing, ...) is written as it is: a page printed in a
    # CI log is made inert there (deepphen.export.PIPED), not in the file readers see.
    return "\n".join(lines) + "\n" * (1 + layout.end_blank_lines)


def _shown(sec: Section, settings: Settings) -> Section:
    """The section as the page shows it: a section that catalog.toml does not define (a paper
    file's own ``section``) is catalog text, escaped so that it stays text in its heading and
    contents item."""
    if any(known.slug == sec.slug for known in settings.sections):
        return sec
    return dataclasses.replace(sec, heading=escape_md(sec.heading, line_start=True))


def _toc_items(sections: list[tuple[Section, list[Paper]]], settings: Settings,
               link: Callable[[object, str | None], str]) -> list[str]:
    """The contents: section items (nested under the page's parent item, if any), then the
    related-resources item, the non-paper sections listed there, and the trailing items.
    ``link(target, anchor asked for)`` gives each item's anchor (a placeholder)."""
    layout = settings.layout
    items, indent = [], ""
    if layout.toc_parent and sections:
        items.append(f"- {layout.toc_parent}")
        indent = "  "
    items += [f"{indent}- [{link_label(sec.toc_text)}](#{link(('section', sec.slug), sec.anchor)})"
              for sec, _ in sections if layout.section_headings]
    if any(res.section is None for res in settings.resources):
        label = link_label(settings.resources_toc_label or settings.resources_heading)
        items.append(f"- [{label}](#{link(('resources',), None)})")
    for block in layout.resource_sections:
        if block.toc_label:
            items.append(f"- [{link_label(block.toc_label)}]"
                         f"(#{link(('block', block.heading), None)})")
            items += [f"  - {group}" for group in block.toc_groups]
    items += layout.toc_after
    gap = 1 if settings.toc_image else layout.toc_items_gap
    return [*[""] * gap, *items] if items else []


def _write_papers(lines: list[str], sec: Section, group: list[Paper],
                  settings: Settings) -> None:
    """A section's papers: by year group, newest first, as headings or <details> blocks,
    or (``year_groups = "none"``) directly under the section."""
    layout, notes = settings.layout, settings.layout.notes

    def entries(papers: list[Paper]) -> None:
        for paper in sorted(papers, key=Paper.sort_key, reverse=True):
            gap = layout.entry_gaps.get(paper.key, 1)
            # An HTML block (a digest, a <summary> line) runs on to the next blank line: the
            # entry must not start inside it.
            # (lines[-1] may be several: a section's text.)
            lines.extend([""] * (gap or int(bool(lines) and "<" in lines[-1].rsplit("\n")[-1])))
            lines.extend(notes.get(paper.key, ()))
            lines.extend(page_lines(paper))

    style = sec.year_groups or layout.year_groups
    if style == "none":
        entries(group)
        return
    years = {group_year(p.year, layout) for p in group} | set(sec.empty_years)
    for year in sorted(years, reverse=True):
        key = group_key(sec.heading, year)
        if lines:
            lines.extend([""] * settings.blank_lines.get(key, 1))
        lines.extend(notes.get(key, ()))
        label = group_label(sec, year, layout)
        in_year = [p for p in group if group_year(p.year, layout) == year]
        if style == "details":
            opener = "<details open>" if layout.expanded(key) else "<details>"
            lines += [opener, f"<summary>{label}</summary>"]
        else:  # '## YYYY' where the section has no heading of its own
            lines.append(f"{'###' if layout.section_headings else '##'} {label}")
        if not in_year and layout.empty_year_text:  # else the group is its heading alone
            lines += ["", layout.empty_year_text]
        entries(in_year)
        # Lines kept above the group's end (a comment), with their own blank lines.
        end = notes.get(end_key(key))
        if style == "details":
            lines += [*(end if end is not None else [""]), "</details>"]
        elif end is not None:
            lines += end


def _write_resources(lines: list[str], resources: list[Resource]) -> None:
    for res in resources:
        badges = f" {res.badges}" if res.badges else ""
        lines += ["", f"- [{res.name}]({res.url}){badges}"]
        if res.note:
            lines.append(f"  - {res.note}")
