"""DP6xx: the settings in catalog.toml: sections, the table of contents, resource sections."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deepphen.comments import key_line
from deepphen.errors import unknown_name_hint
from deepphen.layout import (
    CONTENTS_END,
    END_PREFIX,
    LAYOUT_KEYS,
    ResourceSection,
    group_key,
    section_end_key,
)
from deepphen.lint.context import Context, locate
from deepphen.lint.registry import Flag, rule
from deepphen.models import FIRST_PAGE_KEYS, DiscoverSettings, Resource, Section, Settings
from deepphen.printable import control_kind, has_control
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
          ``[[resource_sections]]`` ``toc_group = [...]``, ``[discover]``
          ``categorie = ["cs.LG"]``, a further page's ``[[pages.sections]]`` ``headng``, or
          its ``regenerate_page`` (a setting of the whole catalog, read at the top only)
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
            hint = (f"{key} applies to the whole catalog: set it at the top of catalog.toml"
                    if key in FIRST_PAGE_KEYS else unknown_name_hint(key, known))
            yield Flag(f"unknown key {key!r} in pages[{i}]", field="pages", needle=f"{key} =",
                       index=i, hint=hint)
    yield from _table_flags(ctx.settings_data)


def _table_flags(data: dict[str, Any]) -> Iterator[Flag]:
    """DP604's flags for the tables of catalog.toml, a further page's own tables too."""
    yield from _unknown_in_tables(data, "", None)
    for p, page in enumerate(data.get("pages") or []):
        if isinstance(page, dict):
            yield from _unknown_in_tables(page, f"pages[{p}].", p)


def dropped_by_rewrite(path: Path) -> list[tuple[str, int]]:
    """The keys of catalog.toml's tables (the file at ``path``) that writing the settings
    again drops, being no field of theirs, with their lines: ("'intr' in sections[0]", 7).
    A command that rewrites the file refuses rather than lose them (``import --merge``)."""
    from deepphen.catalog import read_text, read_toml
    from deepphen.printable import text_lines

    lines = text_lines(read_text(path))
    return [(flag.message.removeprefix("unknown key "),
             locate(lines, flag.field, flag.needle, flag.index)[0])
            for flag in _table_flags(read_toml(path))]


def _unknown_in_tables(data: dict[str, Any], prefix: str, page: int | None) -> Iterator[Flag]:
    """Unknown keys in the ``[[sections]]``, ``[[resources]]`` and ``[[resource_sections]]``
    of the catalog (``page`` None) or of its ``page``-th further page, where a section's
    heading is the catalog's (a page's own was overridden, silently)."""
    for table, cls in (("sections", Section), ("resources", Resource),
                       ("resource_sections", ResourceSection)):
        names = _known(cls)
        if page is not None and table == "sections":
            names = [n for n in names if n != "heading"]
        for i, item in enumerate(data.get(table) or []):
            for key in item if isinstance(item, dict) else ():
                if key in names:
                    continue
                hint = ("a section's heading is the catalog's: set it in its [[sections]]"
                        if key == "heading" else unknown_name_hint(key, names))
                where = {"field": table, "index": i} if page is None else \
                    {"field": "pages", "index": page}
                yield Flag(f"unknown key {key!r} in {prefix}{table}[{i}]", needle=f"{key} =",
                           hint=hint, **where)


_TOC_LINK_RE = re.compile(r"^\[.*\]\(#(?P<anchor>[^)\s]*)\)$")


@rule("DP607", "resource-group", "error",
      "A resource section's texts and toc_groups name groups the section has.", scope="catalog")
def resource_group(ctx: Context) -> Iterator[Flag]:
    """Export writes a group's text only under that group's heading, and a contents item
    as it is: a text for a group the section lacks is dropped, an item for one is a dead link.
    A section's groups are those in its ``groups`` and those its resources name.

    Bad:  ``[[resource_sections]]`` ``heading = "Workshops"`` ``groups = ["Spring"]``
          ``texts = { Sprnig = "TBD" }`` ``toc_groups = ["[Fall](#fall)"]``
    Good: ``groups = ["Spring"]`` ``texts = { Spring = "TBD" }``
          ``toc_groups = ["[Spring](#spring)"]``
    """
    lines = ctx.settings_lines
    for p, page in enumerate(ctx.settings.page_views()):
        where = "" if p == 0 else f" in pages[{p - 1}]"
        for b, block in enumerate(page.layout.resource_sections):
            groups = list(dict.fromkeys([*block.groups, *(
                r.group for r in page.resources if r.section == block.heading and r.group)]))
            known = ", ".join(repr(g) for g in groups) or "none"

            def flag(message: str, key: str, needle: str, hint: str,
                     p: int = p, b: int = b) -> Flag:
                return Flag(message, line=_block_key_line(lines, p, b, key, needle), hint=hint)

            for name in block.texts:
                if name and name not in groups:
                    yield flag(f"texts of {block.heading!r}{where} name a group it does not "
                               f"have: {name!r}", "texts", name,
                               f"use one of its groups ({known}), or add {name!r} to its "
                               f"'groups'")
            anchors = {github_anchor(g): g for g in groups}
            for item in block.toc_groups:
                m = _TOC_LINK_RE.match(item)
                anchor = m.group("anchor") if m else None
                # GitHub numbers a repeated heading's anchor: "#tools-1" is a "Tools" too.
                if anchor is None or (anchor not in anchors and re.sub(r"-\d+$", "", anchor)
                                      not in anchors):
                    yield flag(f"toc_groups of {block.heading!r}{where}: {item!r} points to "
                               f"no group of the section", "toc_groups", item,
                               "write '[Group](#anchor)' for one of its groups ("
                               + (", ".join(f"#{a}" for a in anchors) or "none") + ")")


def _block_key_line(lines: list[str], page: int, block: int, key: str, needle: str) -> int:
    """The line of ``needle`` after ``key`` in the ``block``-th resource section of a page
    (0: the top level; n: the (n-1)-th ``[[pages]]``); else the nearest line found before."""
    if page == 0:
        start = key_line(lines, "resource_sections", block) or 1
    else:
        first = key_line(lines, "pages", page - 1) or 1
        header = re.compile(r"^\s*\[\[\s*pages\s*\.\s*resource_sections\s*\]\]")
        found = [i for i, text in enumerate(lines[first:], first + 1) if header.match(text)]
        start = found[block] if block < len(found) else first
    key_re = re.compile(rf"^\s*(?:{key}\s*=|\[[\w.\s]*\.\s*{key}\s*\])")
    at = next((i for i in range(start, len(lines) + 1) if key_re.match(lines[i - 1])), start)
    # Quoted first: the bare name may stand inside an earlier value ("[Fall](#fall)").
    for form in (f'"{needle}"', f"'{needle}'", needle):
        found = next((i for i in range(at, len(lines) + 1) if form in lines[i - 1]), None)
        if found is not None:
            return found
    return at


# A line break or tab is how multi-line markdown is written; nothing else that acts is text.
_SETTINGS_LAYOUT = "\n\t"


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every string in a TOML value, keys included."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, f"{where} (a key)")
            yield from _strings(item, f"{where}.{key}")


def _control_line(lines: list[str], start: int, char: str) -> int:
    """The first line from ``start`` (1-based) holding ``char`` raw or as a TOML escape."""
    forms = [char, f"\\u{ord(char):04x}", f"\\u{ord(char):08x}"]  # \\U, in any case
    for number in range(start, len(lines) + 1):
        if any(form in lines[number - 1].lower() for form in forms):
            return number
    return start


@rule("DP608", "settings-control-character", "error",
      "catalog.toml's text has no control, line-separator, bidi-override or invisible "
      "character.",
      scope="catalog")
def settings_control_character(ctx: Context) -> Iterator[Flag]:
    """The settings are the curator's markdown, written to the page as they are; a control
    or bidi character in them is no markdown: an ESC in a heading retitles the terminal that
    shows the page, U+202E reverses what a reader sees. Export drops them from the page;
    this rule names them where they are written. Line breaks and tabs are layout.

    Bad:  ``heading = "Others\\u001b]0;title\\u0007"``, ``intro = "Deep\\u202eLearning"``
    Good: ``heading = "Others"``
    """
    data = ctx.settings_data
    lines = ctx.settings_lines
    for key, value in data.items():
        if has_control(key):
            yield Flag(f"control character in the setting name {key!r}",
                       line=_control_line(lines, 1, next(c for c in key if has_control(c))),
                       hint="delete it")
            continue
        items = value if isinstance(value, list) and all(isinstance(v, dict) for v in value) \
            else [value]
        for index, item in enumerate(items):
            where = f"{key}[{index}]" if items is value else key
            for path, text in _strings(item, where):
                bad = next((ch for ch in text if ch not in _SETTINGS_LAYOUT and has_control(ch)),
                           None)
                if bad is not None:
                    start = key_line(lines, key, index if items is value else 0) or 1
                    yield Flag(f"{control_kind(bad)} character U+{ord(bad):04X} in {path}",
                               line=_control_line(lines, start, bad),
                               hint="delete it (write a line break as a new line of a "
                                    "multi-line string)")
                    break


@rule("DP609", "year-group-key", "warning",
      "Every year group that notes and details_open name is one export writes.",
      scope="catalog")
def year_group_key(ctx: Context) -> Iterator[Flag]:
    """A ``[notes]`` key is a paper's key, a year group's ("Section: YYYY", lines above it),
    a group's end ("end of Section: YYYY", lines above its ``</details>``), a section's end
    ("end of section Section", lines after its last group) or "end of contents" (lines
    below the contents' items); a ``details_open`` item is a group's key. One that names
    nothing export writes (a group whose papers were removed or moved, a misspelt key) is
    skipped without a word: its comment is lost from the page, its group written collapsed.

    Bad:  ``details_open = ["Robustnes: 2024"]``; ``notes = { "end of Robustness: 2019" =
          ["<!-- x -->"] }`` with no paper of 2019 in Robustness
    Good: ``details_open = ["Robustness: 2024"]`` with papers of 2024 in Robustness
    """
    from deepphen.dialect import group_year

    lines = ctx.settings_lines
    by_section: dict[str, set[int]] = {}
    for paper in ctx.papers:
        by_section.setdefault(paper.section, set()).add(paper.year)
    papers = {paper.key for paper in ctx.papers}
    for p, page in enumerate(ctx.settings.page_views()):
        where = "" if p == 0 else f" of pages[{p - 1}]"
        layout = page.layout
        groups: dict[str, str] = {}  # group key -> how the section writes its groups
        for sec in page.sections:
            years = {group_year(y, layout) for y in by_section.get(sec.slug, ())}
            for year in years | set(sec.empty_years):
                groups[group_key(sec.heading, year)] = sec.year_groups or layout.year_groups
        written = {key for key, style in groups.items() if style != "none"}
        # The sections export writes: their ends' notes are written too.
        ends = {CONTENTS_END, *(section_end_key(sec.heading) for sec in page.sections
                                if sec.slug in by_section or layout.show_empty_sections)}

        def flag(message: str, needle: str, key: str, p: int = p) -> Flag:
            what = "a paper's key or " if key == "notes" else ""
            return Flag(message, line=_needle_line(lines, needle, key, p),
                        hint=f"correct it to {what}a year group the page has "
                             "(\"Section: YYYY\"), or delete it")

        for key in layout.notes:
            group = key.removeprefix(END_PREFIX)
            if key not in papers and key not in written and group not in written \
                    and key not in ends:
                yield flag(f"notes{where}: {key!r} names no paper, year group or section export "
                           "writes: its lines are left off the page", key, "notes")
        shown = layout.details_open if isinstance(layout.details_open, list) else []
        for key in shown:
            if groups.get(key) != "details":
                yield flag(f"details_open{where}: {key!r} is no <details> year group export "
                           "writes: nothing is written open for it", key, "details_open")


def _needle_line(lines: list[str], needle: str, key: str, page: int) -> int:
    """The first line, in the page's part of catalog.toml, that quotes ``needle``; else the
    line of ``key`` there; else 1."""
    import json

    quoted = (json.dumps(needle, ensure_ascii=False), f"'{needle}'")
    start = (key_line(lines, "pages", page - 1) or 1) if page else 1
    for number in range(start, len(lines) + 1):
        if any(q in lines[number - 1] for q in quoted):
            return number
    return key_line(lines, key) or 1
