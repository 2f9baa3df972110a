"""A page's layout choices: how one page of the catalog writes what the catalog holds.

The lists of the family share the entry format but differ in how a page is laid out: year
subsections as ``### Section: YYYY`` headings or as collapsible ``<details>`` blocks (or none),
a table of contents nested under a parent item, a line under each section heading, non-paper
sections (toolboxes, workshops, ...). ``Layout`` holds these choices; ``catalog.toml`` keeps
them as plain top-level keys of the page they describe (docs/catalog-format.md), and import
sets them from the page it reads so that export writes the page back as it was.

Plain data and validation, no I/O; it needs only deepphen.fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deepphen.fields import FieldError, item_error, line_field, typed_field

YEAR_GROUP_STYLES = ("headings", "details", "none")
DEFAULT_FLOOR_LABEL = "{year} and Before"
MAX_MONTHS = 1200  # the longest recent_months window: a century


@dataclass(slots=True)
class ResourceSection:
    """A non-paper section of the page (toolboxes, workshops, ...): its heading, level
    (1 for ``#``, 2 for ``##``) and its label in the table of contents when that differs;
    its groups in page order when the items do not give it (a group without items), a line
    of text in place of a group's items ("TBD"; key "" for the section's own), and the
    contents items of its groups, nested under its own."""

    heading: str
    level: int = 1
    toc_label: str | None = None
    groups: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    toc_groups: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The section as a ``[[resource_sections]]`` table of catalog.toml, defaults left out."""
        out: dict[str, Any] = {"heading": self.heading, "level": self.level}
        if self.toc_label:
            out["toc_label"] = self.toc_label
        for name in ("groups", "texts", "toc_groups"):
            value = getattr(self, name)
            if value:
                out[name] = dict(value) if isinstance(value, dict) else list(value)
        return out


@dataclass(slots=True)
class Layout:
    """The layout keys of one page; the defaults are the Awesome Deep Phenomena layout."""

    # "headings": ### Section: YYYY; "details": <details><summary>Section: YYYY</summary>
    # blocks; "none": papers directly under the section heading, newest first.
    year_groups: str = "headings"
    # The <details> groups written '<details open>' (shown expanded): "all", or their keys
    # ("Section: YYYY"); None: every group collapsed.
    details_open: str | list[str] | None = None
    # Papers of this year and older share one year group, labelled by year_floor_label.
    year_floor: int | None = None
    year_floor_label: str = DEFAULT_FLOOR_LABEL
    # A year group listed in a section's empty_years holds this text instead of papers.
    empty_year_text: str | None = None
    toc_level: int = 1  # the table of contents' heading: '#' (1) or '##' (2)
    # The parent item the section items are nested under ("[List](#anchor)"), if any.
    toc_parent: str | None = None
    # Table-of-contents lines after the section and resource items, verbatim.
    toc_after: list[str] = field(default_factory=list)
    papers_heading: str | None = None  # a '# Heading' between the contents and the sections
    # The line(s) under each section heading; {heading} and {anchor} stand for the section's.
    section_intro: str | None = None
    show_empty_sections: bool = False  # a section without papers keeps its heading
    # False: the page's one section has no heading and its year groups are '## YYYY'
    # headings (the list's 2021 versions, no topics).
    section_headings: bool = True
    # Only the papers of the last N months (counted back from the newest paper) are shown.
    recent_months: int | None = None
    # Lines written before a year group ("Section: YYYY"), an entry (a paper key), a
    # group's end (end_key), after a section's last group (section_end_key) or below the
    # contents (CONTENTS_END), verbatim.
    notes: dict[str, list[str]] = field(default_factory=dict)
    resource_sections: list[ResourceSection] = field(default_factory=list)
    intro_gap: int = 1  # blank lines between the title and the intro
    end_blank_lines: int = 0  # blank lines at the end of the page
    toc_items_gap: int = 1  # blank lines between the contents' heading and its items
    # Blank lines above an entry (a paper key) where the page has other than one.
    entry_gaps: dict[str, int] = field(default_factory=dict)

    def expanded(self, group_key: str) -> bool:
        """Whether the ``<details>`` year group ``group_key`` is written open."""
        shown = self.details_open
        return shown == "all" or (isinstance(shown, list) and group_key in shown)

    def to_dict(self) -> dict[str, Any]:
        """The keys that differ from the default, for ``catalog.toml``."""
        out: dict[str, Any] = {}
        default = Layout()
        for name in ("year_groups", "details_open", "year_floor", "year_floor_label",
                     "empty_year_text", "toc_level", "toc_parent", "toc_after",
                     "papers_heading", "section_intro",
                     "show_empty_sections", "recent_months", "intro_gap", "end_blank_lines",
                     "toc_items_gap", "section_headings"):
            value = getattr(self, name)
            if value != getattr(default, name) and value is not None:
                out[name] = list(value) if isinstance(value, list) else value
        if self.resource_sections:
            out["resource_sections"] = [r.to_dict() for r in self.resource_sections]
        if self.notes:
            out["notes"] = {key: list(lines) for key, lines in self.notes.items()}
        if self.entry_gaps:
            out["entry_gaps"] = dict(self.entry_gaps)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        """Read the layout keys of a table; raises FieldError naming the first bad one."""
        layout = cls(
            year_groups=_get(data, "year_groups", str, "headings"),
            details_open=_details_open(data),
            year_floor=_get(data, "year_floor", int, None),
            year_floor_label=line_field(data, "year_floor_label", DEFAULT_FLOOR_LABEL),
            empty_year_text=_get(data, "empty_year_text", str, None),
            toc_level=_get(data, "toc_level", int, 1),
            toc_parent=line_field(data, "toc_parent", None),
            toc_after=_lines(data, "toc_after"),
            papers_heading=line_field(data, "papers_heading", None),
            section_intro=_get(data, "section_intro", str, None),
            show_empty_sections=_get(data, "show_empty_sections", bool, False),
            section_headings=_get(data, "section_headings", bool, True),
            recent_months=_get(data, "recent_months", int, None),
            notes=_notes(data),
            resource_sections=_resource_sections(data),
            intro_gap=_get(data, "intro_gap", int, 1),
            end_blank_lines=_get(data, "end_blank_lines", int, 0),
            toc_items_gap=_get(data, "toc_items_gap", int, 1),
            entry_gaps=_get(data, "entry_gaps", dict, {}),
        )
        if layout.year_groups not in YEAR_GROUP_STYLES:
            raise FieldError("year_groups", "field 'year_groups' must be one of "
                                   + ", ".join(repr(s) for s in YEAR_GROUP_STYLES))
        if layout.year_floor_label.count("{year}") != 1:
            raise FieldError("year_floor_label", "field 'year_floor_label' must hold "
                                   "'{year}' once")
        if layout.toc_level not in (1, 2):
            raise FieldError("toc_level", "field 'toc_level' must be 1 or 2")
        for name in ("intro_gap", "end_blank_lines", "toc_items_gap"):
            if not 0 <= getattr(layout, name) <= 9:
                raise FieldError(name, f"field '{name}' must be 0..9")
        if not all(type(v) is int and 0 <= v <= 9 for v in layout.entry_gaps.values()):
            raise FieldError("entry_gaps", "field 'entry_gaps' maps paper keys to 0..9 "
                                           "blank lines")
        if layout.recent_months is not None and not 1 <= layout.recent_months <= MAX_MONTHS:
            raise FieldError("recent_months", f"field 'recent_months' must be 1..{MAX_MONTHS}")
        if layout.year_floor is not None and not 1900 <= layout.year_floor <= 2999:
            raise FieldError("year_floor", "field 'year_floor' must be a four-digit year")
        return layout


END_PREFIX = "end of "  # notes keyed "end of Section: YYYY": before the group's end


def group_key(heading: str, year: str) -> str:
    """The key of section ``heading``'s year group ``year`` (its label's year, ``group_year``)
    in blank_lines and notes: "Heading: YYYY"."""
    return f"{heading}: {year}"


def end_key(group_key: str) -> str:
    """The notes key of the lines written at the end of year group ``group_key`` (before
    its ``</details>``)."""
    return END_PREFIX + group_key


# notes keyed "end of section Heading": after the section's papers, before what follows it
SECTION_END_PREFIX = END_PREFIX + "section "


def section_end_key(heading: str) -> str:
    """The notes key of the lines written after section ``heading``'s last year group (or
    entry), before the next heading or the page's end."""
    return SECTION_END_PREFIX + heading


# notes keyed "end of contents": below the table of contents' items, above what follows
CONTENTS_END = END_PREFIX + "contents"


LAYOUT_KEYS = frozenset({
    "year_groups", "details_open", "year_floor", "year_floor_label", "empty_year_text", "toc_level",
    "toc_parent", "toc_after", "papers_heading", "section_intro", "show_empty_sections",
    "recent_months", "notes", "resource_sections", "intro_gap", "end_blank_lines",
    "toc_items_gap", "entry_gaps", "section_headings",
})

def _get(data: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    return typed_field(data, name, kind, default)


def _lines(data: dict[str, Any], name: str) -> list[str]:
    value = _get(data, name, list, [])
    if not all(_single_line(v) for v in value):
        raise FieldError(name, f"field '{name}' must be a list of single lines")
    return list(value)


def _details_open(data: dict[str, Any]) -> str | list[str] | None:
    value = data.get("details_open")
    if value is None or value == "all":
        return value
    if isinstance(value, list) and all(_single_line(v) for v in value):
        return list(value)
    raise FieldError("details_open", "field 'details_open' must be \"all\" or a list of "
                                     "year groups (\"Section: YYYY\")")


def _notes(data: dict[str, Any]) -> dict[str, list[str]]:
    notes = _get(data, "notes", dict, {})
    out = {}
    for key, value in notes.items():
        if not (isinstance(value, list) and all(isinstance(v, str) and "\n" not in v
                                                for v in value)):
            raise FieldError("notes", f"notes.{key} must be a list of single lines")
        out[key] = list(value)
    return out


def _resource_sections(data: dict[str, Any]) -> list[ResourceSection]:
    out = []
    for i, item in enumerate(_get(data, "resource_sections", list, [])):
        def bad(what: str, i: int = i) -> FieldError:  # located at the i-th table's line
            return item_error("resource_sections", i, what)

        if not isinstance(item, dict) or not isinstance(item.get("heading"), str):
            raise bad(" must be a table with a 'heading'")
        if not _single_line(item["heading"]):
            raise bad(": 'heading' must be one line, without line breaks")
        level = item.get("level", 1)
        if level not in (1, 2) or isinstance(level, bool):
            raise bad(": 'level' must be 1 or 2")
        label = item.get("toc_label")
        if label is not None and not _single_line(label):
            raise bad(": 'toc_label' must be a string of one line")
        lists = {}
        for name in ("groups", "toc_groups"):
            value = item.get(name, [])
            if not (isinstance(value, list) and all(_single_line(v) for v in value)):
                raise bad(f": '{name}' must be a list of single lines")
            lists[name] = list(value)
        texts = item.get("texts", {})
        if not (isinstance(texts, dict) and all(_single_line(v) for v in texts.values())):
            raise bad(": 'texts' must be a table of single lines")
        out.append(ResourceSection(item["heading"], level, label, lists["groups"], dict(texts),
                                   lists["toc_groups"]))
    return out


def _single_line(value: object) -> bool:
    """Whether ``value`` is text that stays one line on the page (no CR or LF)."""
    return isinstance(value, str) and "\n" not in value and "\r" not in value
