"""The catalog's data: papers, sections and the page settings, as plain dataclasses.

No I/O here. ``to_dict``/``from_dict`` convert to and from the plain TOML tables, in a
stable field order, and validate types so a bad file is reported instead of crashing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepphen import ids
from deepphen.fields import FieldError, item_error, line_field, str_list, typed_field
from deepphen.layout import LAYOUT_KEYS, YEAR_GROUP_STYLES, Layout
from deepphen.slugs import github_anchor

# Paper fields in the order they are written. Anything else found in a file is kept in
# ``Paper.extra`` so that a rewrite never loses data (lint reports it as unknown).
PAPER_FIELDS: tuple[str, ...] = (
    "title", "authors", "venue", "year", "published", "section", "arxiv", "doi", "category",
    "keywords", "links", "sort_as", "authors_collapsed", "digest", "verbatim", "ignore",
)
REQUIRED_FIELDS: tuple[str, ...] = ("title", "year", "section")
# The item that ends an author list the paper's authors go on past.
ET_AL_RE = re.compile(r"^(?:et\.?\s*al\.?|and\s+others|others|\.\.\.|…)$", re.IGNORECASE)


@dataclass(slots=True)
class Link:
    """A labelled link of an entry, e.g. ``[[code]](https://github.com/o/r)``."""

    label: str
    url: str
    extra: dict[str, Any] = field(default_factory=dict)  # other keys: kept (lint's DP102)

    def to_dict(self) -> dict[str, Any]:
        """The link as a TOML inline table."""
        return {"label": self.label, "url": self.url, **self.extra}


@dataclass(slots=True)
class Paper:
    """One entry of the list. ``key`` and ``path`` come from the file, not from its content."""

    title: str
    year: int
    section: str
    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    published: dt.date | None = None
    arxiv: str | None = None
    doi: str | None = None
    category: str | None = None
    keywords: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sort_as: str | None = None
    authors_collapsed: bool = False
    digest: str | None = None
    # The entry's lines exactly as an imported page had them; export writes them instead of
    # the list's format while they differ from it in formatting only (see export.markdown).
    verbatim: list[str] = field(default_factory=list)
    ignore: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    path: Path | None = None

    @property
    def paper_url(self) -> str | None:
        """The entry's main link: the first link labelled ``paper``, else the arXiv page."""
        for link in self.links:
            if link.label == "paper":
                return link.url
        return ids.abs_url(self.arxiv) if self.arxiv else None

    @property
    def arxiv_ids(self) -> set[str]:
        """The arXiv ids that are this paper (both forms of an old-style id): its ``arxiv``
        field, else its ``paper`` links' (as lint's DP304 counts them); a paper with an id
        of its own is not one it links to (a follow-up, a code page)."""
        if self.arxiv:
            return ids.paper_ids(self.arxiv, ())
        return ids.paper_ids(None, (x.url for x in self.links if x.label == "paper"))

    def goes_by(self, arxiv_id: str) -> bool:
        """True when ``arxiv_id`` (any form) is one of the paper's ``arxiv_ids``."""
        return ids.archive_id(ids.bare_id(arxiv_id)) in self.arxiv_ids

    @property
    def authors_truncated(self) -> bool:
        """True when the list says it is incomplete: its last item is "et al." (or "others",
        "..."). ``authors_collapsed`` only moves the names into the page's Author List block."""
        return bool(self.authors) and ET_AL_RE.match(self.authors[-1].strip()) is not None

    @property
    def named_authors(self) -> list[str]:
        """The authors without a final "et al." item."""
        return self.authors[:-1] if self.authors_truncated else list(self.authors)

    @property
    def code_url(self) -> str | None:
        """The URL of the paper's first ``code`` link, if any."""
        return next((link.url for link in self.links if link.label == "code"), None)

    def sort_key(self, *, placed: bool = True) -> tuple[int, int, int, str]:
        """Key for the list's order; sort descending (newest first).

        arXiv ids are assigned in submission order, so the id places a paper more finely than
        a date can. ``sort_as`` (an id-like position) places papers the id cannot, just below
        the paper whose id it names; ``placed=False`` ignores it (BibTeX keys' order).
        """
        if self.sort_as and placed:
            month, num = ids.id_sort_key(self.sort_as)
            return (month, num, 0, self.title)
        if self.arxiv:
            month, num = ids.id_sort_key(self.arxiv)
            if not month and (canonical := ids.canonical_id(self.arxiv)):
                month, num = ids.id_sort_key(canonical)  # written loosely: "arXiv:...v2"
            return (month, num, 1, self.title)
        if self.published:
            month = self.published.year * 100 + self.published.month
            return (month, self.published.day * 1000, 1, self.title)
        return (0, 0, 0, self.title)

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this paper, fields in the stable order, empty optionals left out."""
        out: dict[str, Any] = {"title": self.title}
        if self.authors:
            out["authors"] = list(self.authors)
        if self.venue:
            out["venue"] = self.venue
        out["year"] = self.year
        if self.published:
            out["published"] = self.published
        out["section"] = self.section
        for name in ("arxiv", "doi", "category"):
            value = getattr(self, name)
            if value:
                out[name] = value
        out["keywords"] = list(self.keywords)
        if self.links:
            out["links"] = [link.to_dict() for link in self.links]
        if self.sort_as:
            out["sort_as"] = self.sort_as
        if self.authors_collapsed:
            out["authors_collapsed"] = True
        if self.digest:
            out["digest"] = self.digest
        if self.verbatim:
            out["verbatim"] = list(self.verbatim)
        if self.ignore:
            out["ignore"] = dict(self.ignore)
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, key: str = "", path: Path | None = None) -> Paper:
        """Build a paper from a TOML table; raises FieldError naming the first bad field."""
        for name in REQUIRED_FIELDS:
            if name not in data:
                raise FieldError(name, f"missing required field '{name}'")
        published = data.get("published")
        if isinstance(published, str):
            try:
                published = dt.date.fromisoformat(published)
            except ValueError as exc:
                raise FieldError(
                    "published", "field 'published' must be a date, YYYY-MM-DD"
                ) from exc
        elif published is not None and (
            not isinstance(published, dt.date) or isinstance(published, dt.datetime)
        ):
            raise FieldError("published", "field 'published' must be a date, YYYY-MM-DD")
        links = []
        for i, item in enumerate(typed_field(data, "links", list, [])):
            if not (isinstance(item, dict) and isinstance(item.get("label"), str)
                    and isinstance(item.get("url"), str)):
                raise item_error("links", i, " must be a table with string 'label' and 'url'")
            links.append(Link(item["label"], item["url"],
                              {k: v for k, v in item.items() if k not in ("label", "url")}))
        year = typed_field(data, "year", int)
        if isinstance(year, bool) or not 1900 <= year <= 2999:
            raise FieldError("year", "field 'year' must be a four-digit year")
        verbatim = str_list(data, "verbatim")
        if any("\n" in line or "\r" in line for line in verbatim):
            raise FieldError("verbatim", "field 'verbatim' holds single lines, without line breaks")
        ignore = typed_field(data, "ignore", dict, {})
        if not all(isinstance(v, str) for v in ignore.values()):
            raise FieldError("ignore", "field 'ignore' maps rule ids to reasons (strings)")
        return cls(
            title=typed_field(data, "title", str),
            year=year,
            section=typed_field(data, "section", str),
            authors=str_list(data, "authors"),
            venue=typed_field(data, "venue", str, None),
            published=published,
            arxiv=typed_field(data, "arxiv", str, None),
            doi=typed_field(data, "doi", str, None),
            category=typed_field(data, "category", str, None),
            keywords=str_list(data, "keywords"),
            links=links,
            sort_as=typed_field(data, "sort_as", str, None),
            authors_collapsed=typed_field(data, "authors_collapsed", bool, False),
            digest=typed_field(data, "digest", str, None),
            verbatim=verbatim,
            ignore=ignore,
            extra={k: v for k, v in data.items() if k not in PAPER_FIELDS},
            key=key,
            path=path,
        )


@dataclass(slots=True)
class Section:
    """A section of the page, in page order; papers live in the folder named by ``slug``."""

    heading: str
    slug: str
    image: str | None = None
    toc_label: str | None = None
    anchor: str | None = None
    # Heading of its year subsections, '{year}' standing for the year ("{year}",
    # "Empirical Study ({year})"); None: "<heading>: <year>", the list's own style.
    year_heading: str | None = None
    # The line(s) under the heading on this page, overriding the page's section_intro ("" for
    # none); years whose group the page writes with its empty_year_text, having no papers.
    intro: str | None = None
    empty_years: list[int] = field(default_factory=list)
    year_groups: str | None = None  # this section's year-group style, where not the page's

    @property
    def toc_text(self) -> str:
        """What the table of contents calls the section."""
        return self.toc_label or self.heading

    @property
    def toc_anchor(self) -> str:
        """The anchor the table of contents links to: the page's own, else the heading's."""
        return self.anchor or github_anchor(self.heading)

    def to_dict(self) -> dict[str, Any]:
        """The section as a TOML inline table of catalog.toml's ``sections``."""
        out: dict[str, Any] = {"heading": self.heading, "slug": self.slug}
        out.update(self.page_fields())
        return out

    def page_fields(self) -> dict[str, Any]:
        """The fields that say how one page writes this section (not its heading or slug)."""
        out: dict[str, Any] = {}
        for name in ("image", "toc_label", "anchor", "year_heading", "year_groups"):
            value = getattr(self, name)
            if value:
                out[name] = value
        if self.intro is not None:
            out["intro"] = self.intro
        if self.empty_years:
            out["empty_years"] = list(self.empty_years)
        return out


@dataclass(slots=True)
class Resource:
    """An entry of a non-paper section: ``- [name](url) badges``, optionally followed by a
    ``  - note`` line; ``section`` and ``group`` name its resource section and ``##`` group
    (None: the related-resources section, no group)."""

    name: str
    url: str
    badges: str | None = None
    note: str | None = None
    section: str | None = None
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The resource as a TOML table of catalog.toml's ``resources``, empty fields left out."""
        out: dict[str, Any] = {"name": self.name, "url": self.url}
        for name in ("badges", "note", "section", "group"):
            value = getattr(self, name)
            if value:
                out[name] = value
        return out


@dataclass(slots=True)
class DiscoverSettings:
    """``[discover]`` in catalog.toml: where ``deepphen discover`` looks for new papers."""

    categories: list[str] = field(default_factory=list)  # arXiv categories, e.g. "cs.LG"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``[discover]`` table of catalog.toml, empty settings left out."""
        out: dict[str, Any] = {}
        if self.categories:
            out["categories"] = list(self.categories)
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DiscoverSettings:
        """Read the ``[discover]`` table; a wrong type raises FieldError naming the field."""
        try:
            categories = str_list(data, "categories")
        except FieldError as exc:
            # Named by its own key: the error names the ``categories`` line, not the header's.
            raise FieldError("categories", f"[discover] {exc}") from exc
        return cls(categories, {k: v for k, v in data.items() if k != "categories"})


@dataclass(slots=True)
class Settings:
    """``catalog.toml``: everything the pages need besides the papers.

    The top-level fields describe the catalog's first page (``page``); ``pages`` holds the
    other pages it declares, each a Settings of its own whose sections are the catalog's
    sections with that page's section fields (see ``page_views``).
    """

    title: str
    sections: list[Section]
    title_badge: str | None = None
    badges: str | None = None
    intro: str | None = None
    toc_heading: str = "Table of Contents"
    toc_image: str | None = None
    resources_heading: str = "Related Resources"
    resources_toc_label: str | None = None
    resources: list[Resource] = field(default_factory=list)
    closing: str | None = None
    page: str | None = None  # generated page, relative to the catalog folder
    regenerate_page: bool = False
    lint: dict[str, Any] = field(default_factory=dict)
    # Blank lines before a heading of the page, by heading text, where not 1 (kept by import
    # so that a regenerated page keeps the page's spacing).
    blank_lines: dict[str, int] = field(default_factory=dict)
    discover: DiscoverSettings = field(default_factory=DiscoverSettings)
    layout: Layout = field(default_factory=Layout)
    pages: list[Settings] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def section(self, slug_or_heading: str) -> Section | None:
        """The section with this slug or heading (exact), or None."""
        for sec in self.sections:
            if slug_or_heading in (sec.slug, sec.heading):
                return sec
        return None

    def page_views(self) -> list[Settings]:
        """Every declared page: this one first, then ``pages`` (each with its own layout)."""
        return [self, *self.pages]

    def to_dict(self) -> dict[str, Any]:
        """The settings as the TOML document of catalog.toml."""
        return self._table(first=True)

    def _table(self, *, first: bool) -> dict[str, Any]:
        """The TOML table of this page; a further page (``first`` False) keeps, per section,
        only the fields that say how it writes that section."""
        out: dict[str, Any] = {"title": self.title}
        for name in ("title_badge", "badges", "intro"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        out["toc_heading"] = self.toc_heading
        for name in ("toc_image", "resources_heading", "resources_toc_label", "closing", "page"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if first:
            out["regenerate_page"] = self.regenerate_page
        layout = self.layout.to_dict()
        notes, resource_sections = layout.pop("notes", None), layout.pop("resource_sections", None)
        out.update(layout)
        out.update(self.extra)
        if first:
            out["sections"] = [s.to_dict() for s in self.sections]
        elif any(s.page_fields() for s in self.sections):
            out["sections"] = [{"slug": s.slug, **s.page_fields()} for s in self.sections
                               if s.page_fields()]
        if self.resources:
            out["resources"] = [r.to_dict() for r in self.resources]
        if resource_sections:
            out["resource_sections"] = resource_sections
        if first and self.lint:
            out["lint"] = self.lint
        if self.blank_lines:
            out["blank_lines"] = dict(self.blank_lines)
        if notes:
            out["notes"] = notes
        if first and (discover := self.discover.to_dict()):
            out["discover"] = discover
        if first and self.pages:
            out["pages"] = [page._table(first=False) for page in self.pages]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Build settings from ``catalog.toml``; raises FieldError naming the first bad field."""
        sections = [_section(item, i) for i, item in enumerate(typed_field(data, "sections", list))]
        settings = cls._from_page(data, sections)
        settings.regenerate_page = typed_field(data, "regenerate_page", bool, False)
        settings.lint = typed_field(data, "lint", dict, {})
        settings.discover = DiscoverSettings.from_dict(typed_field(data, "discover", dict, {}))
        settings.extra = {k: v for k, v in data.items() if k not in SETTINGS_KEYS}
        for i, item in enumerate(typed_field(data, "pages", list, [])):
            if not isinstance(item, dict):
                raise FieldError("pages", f"pages[{i}] must be a table", index=i)
            try:
                settings.pages.append(cls._extra_page(item, sections))
            except FieldError as exc:
                raise FieldError("pages", f"pages[{i}]: {exc}", index=i) from exc
        files = [p.page for p in settings.page_views() if p.page]
        if len(files) != len(set(files)):
            raise FieldError("pages", "two pages are written to the same file")
        return settings

    @classmethod
    def _extra_page(cls, data: dict[str, Any], sections: list[Section]) -> Settings:
        if not isinstance(data.get("page"), str) or not data["page"]:
            raise FieldError("page", "a further page needs 'page', the file it is written to")
        own: dict[str, dict[str, Any]] = {}
        for i, item in enumerate(typed_field(data, "sections", list, [])):
            if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
                raise FieldError("sections", f"sections[{i}] must be a table with a 'slug'")
            own[item["slug"]] = item
        unknown = set(own) - {s.slug for s in sections}
        if unknown:
            raise FieldError("sections", f"section {sorted(unknown)[0]!r} is not one of the "
                             "catalog's [[sections]]")
        page_sections = [_section({**own.get(s.slug, {}), "heading": s.heading, "slug": s.slug}, i)
                         for i, s in enumerate(sections)]
        page = cls._from_page(data, page_sections)
        # Kept (and written back) for lint to name: a misspelt key, a whole catalog's setting.
        page.extra = {k: v for k, v in data.items() if k not in SETTINGS_KEYS - FIRST_PAGE_KEYS}
        return page

    @classmethod
    def _from_page(cls, data: dict[str, Any], sections: list[Section]) -> Settings:
        resources = []
        for i, item in enumerate(typed_field(data, "resources", list, [])):
            if not isinstance(item, dict):
                raise item_error("resources", i, " must be a table")
            try:
                resources.append(Resource(
                    line_field(item, "name"), line_field(item, "url"),
                    typed_field(item, "badges", str, None), typed_field(item, "note", str, None),
                    line_field(item, "section", None), line_field(item, "group", None)))
            except FieldError as exc:
                raise item_error("resources", i, f": {exc}") from exc
        blank_lines = typed_field(data, "blank_lines", dict, {})
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9
                   for v in blank_lines.values()):
            raise FieldError("blank_lines", "field 'blank_lines' maps headings to 0..9 blank lines")
        # ``page`` is a path, checked where it is written to (and by lint's DP506).
        strings = {name: typed_field(data, name, str, None) for name in (
            "title_badge", "badges", "intro", "toc_image", "closing", "page")}
        strings["resources_toc_label"] = line_field(data, "resources_toc_label", None)
        return cls(title=line_field(data, "title", ""), sections=sections,
                   toc_heading=line_field(data, "toc_heading", "Table of Contents"),
                   resources_heading=line_field(data, "resources_heading", "Related Resources"),
                   resources=resources, blank_lines=dict(blank_lines),
                   layout=Layout.from_dict(data), **strings)


FIRST_PAGE_KEYS = frozenset({"regenerate_page", "lint", "discover", "pages"})  # the catalog's
SETTINGS_KEYS = frozenset({
    "title", "title_badge", "badges", "intro", "toc_heading", "toc_image", "resources_heading",
    "resources_toc_label", "closing", "page", "regenerate_page", "sections", "resources", "lint",
    "blank_lines", "pages", "discover", *LAYOUT_KEYS,
})


def _section(item: Any, i: int) -> Section:
    """A ``[[sections]]`` table as a Section; raises FieldError naming ``sections[i]``."""
    if not isinstance(item, dict):
        raise item_error("sections", i, " must be a table")
    try:
        section = Section(
            heading=line_field(item, "heading"), slug=typed_field(item, "slug", str),
            image=typed_field(item, "image", str, None),
            toc_label=line_field(item, "toc_label", None),
            anchor=line_field(item, "anchor", None),
            year_heading=line_field(item, "year_heading", None),
            intro=typed_field(item, "intro", str, None),
            empty_years=typed_field(item, "empty_years", list, []),
            year_groups=typed_field(item, "year_groups", str, None))
    except FieldError as exc:
        raise item_error("sections", i, f": {exc}") from exc
    if section.year_heading is not None and section.year_heading.count("{year}") != 1:
        raise item_error("sections", i, f": year_heading {section.year_heading!r} must hold "
                         "'{year}' once")
    if not ids.is_safe_key(section.slug):
        raise item_error("sections", i, f": slug {section.slug!r} is not a safe folder name "
                         "(letters, digits, '-', '_', '.')")
    if section.year_groups not in (None, *YEAR_GROUP_STYLES):
        raise item_error("sections", i, ": year_groups must be one of "
                         + ", ".join(YEAR_GROUP_STYLES))
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in section.empty_years):
        raise item_error("sections", i, ": empty_years must be a list of years")
    return section
