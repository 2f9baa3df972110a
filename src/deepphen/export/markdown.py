"""The catalog as the list's markdown page, in the list's own layout.

``render`` gives the whole page (badges, title, intro, table of contents, sections with year
subsections newest first, related resources, closing); ``render_entry`` one paper's lines.
Paper text is escaped (see deepphen.markdown) so that no field can open HTML, a link or a
block; the settings (badges, intro, images, closing) are the curator's markdown, written as is.
``deepphen import`` reads this output back to the same papers.
"""

from __future__ import annotations

import re

from deepphen.markdown import (
    IMAGE_ALT,
    KEYWORD_LABEL_RE,
    escape_html,
    escape_md,
    fold_lines,
    safe_url,
)
from deepphen.models import Paper, Section, Settings, github_anchor

DIGEST_PREFIX = "<details><summary>Digest</summary>"
AUTHOR_LIST_PREFIX = "<details><summary>Author List</summary>"
KEYWORD_LABEL = "Key Word:"
_DIGITS_RE = re.compile(r"^\d{1,9}$")
# What a verbatim entry may differ in from the list's format (see same_but_format).
_MARKER_RE = re.compile(r"^[ \t]*[-*][ \t]*")
_LABEL_RE = re.compile(r"^key[ \t]*w[a-z]*[ \t]*:", re.IGNORECASE)
_CLOSE_RE = re.compile(r"[ \t]*</details>[ \t]*$")
_BREAK_RE = re.compile(r"\\[ \t]*$")
_SPACE_DOT_RE = re.compile(r"[ \t.]")


def _title_line(paper: Paper) -> str:
    title = escape_md(paper.title, line_start=True)
    if not title.endswith(("?", "!")):
        title += _period_after(title)
    links = " ".join(f"[[{escape_md(link.label)}]]({safe_url(link.url)})" for link in paper.links)
    return f"- {title} {links}" if links else f"- {title}"


def _period_after(text: str) -> str:
    """The period that ends a field; escaped after bare digits, where "12." opens a list."""
    return "\\." if _DIGITS_RE.match(text) else "."


def _authors_text(paper: Paper) -> str | None:
    if not paper.authors and not paper.venue:
        return None
    names = [escape_md(name, ",;", line_start=i == 0) for i, name in enumerate(paper.authors)]
    text = ", ".join(names) + _period_after(names[-1]) if names else ""
    if paper.venue:
        text = f"{text} *{escape_md(paper.venue)}*".lstrip()
    if KEYWORD_LABEL_RE.match(text):
        # An author called e.g. "Key Words: X" must not read back as the key-word line.
        text = text.replace(":", "\\:", 1)
    if paper.authors_collapsed:
        return f"{AUTHOR_LIST_PREFIX} {escape_html(text)}"
    return text


def entry_lines(paper: Paper) -> list[tuple[str, str]]:
    """The entry's lines with their kinds: title, authors, keywords, digest (those present)."""
    lines = [("title", _title_line(paper))]
    authors = _authors_text(paper)
    if authors is not None:
        lines.append(("authors", f"  - {authors}"))
    if paper.keywords:
        words = "; ".join(escape_md(word, ";,") for word in paper.keywords)
        lines.append(("keywords", f"  - {KEYWORD_LABEL} {words}."))
    if paper.digest and fold_lines(paper.digest).strip():
        lines.append(("digest", f"  - {DIGEST_PREFIX} {escape_html(paper.digest)}"))
    return lines


def _format_free(line: str) -> str:
    """A line without what formatting alone changes: indentation and list marker, the
    key-word label's spelling, spaces, periods, ';' against ',', a closing ``</details>``
    and a trailing line-break backslash."""
    text = _MARKER_RE.sub("", line, count=1)
    text = _LABEL_RE.sub("Key Word:", text, count=1)
    text = _BREAK_RE.sub("", _CLOSE_RE.sub("", text))
    return _SPACE_DOT_RE.sub("", text.replace(";", ","))


def same_but_format(lines: list[str], canonical: list[str]) -> bool:
    """True when ``lines`` say what ``canonical`` says and differ in formatting only.

    Every other character must match in order, so verbatim lines can neither carry text the
    paper's fields do not (HTML, links, an unescaped bracket) nor outlive an edit of them.
    """
    return (
        len(lines) == len(canonical)
        and not any("\n" in line or "\r" in line for line in lines)
        and all(_format_free(a) == _format_free(b) for a, b in zip(lines, canonical, strict=True))
    )


def page_lines(paper: Paper) -> list[str]:
    """The entry's lines on the page: as imported (``verbatim``) while they still agree with
    the paper's fields, else in the list's format."""
    canonical = [line for _, line in entry_lines(paper)]
    if paper.verbatim and same_but_format(paper.verbatim, canonical):
        return list(paper.verbatim)
    return canonical


def render_entry(paper: Paper) -> str:
    """One entry as it appears on the page: its lines joined, without a final newline."""
    return "\n".join(line for _, line in entry_lines(paper))


def _sections_with_papers(papers: list[Paper],
                          settings: Settings) -> list[tuple[Section, list[Paper]]]:
    """Sections in page order with their papers; sections with none are left out. Papers of a
    section the settings do not know come last, under their slug."""
    by_slug: dict[str, list[Paper]] = {}
    for paper in papers:
        by_slug.setdefault(paper.section, []).append(paper)
    out = [(sec, by_slug.pop(sec.slug)) for sec in settings.sections if sec.slug in by_slug]
    out.extend((Section(slug, slug), by_slug[slug]) for slug in sorted(by_slug))
    return out


def year_heading(section: Section, year: int) -> str:
    """The heading of a section's year subsection: "<heading>: <year>", or the section's own
    ``year_heading`` style as the imported page wrote it."""
    if section.year_heading is None:
        return f"{section.heading}: {year}"
    return section.year_heading.replace("{year}", str(year), 1)


def _heading_key(line: str) -> str:
    return line.lstrip("#").strip()


def render(papers: list[Paper], settings: Settings) -> str:
    """The whole page for these papers, in the list's layout; deterministic."""
    lines: list[str] = []

    def heading(text: str, level: str, key: str | None = None) -> None:
        lines.extend([""] * settings.blank_lines.get(key or text, 1))
        lines.append(f"{level} {text}")

    if settings.badges:
        lines += [settings.badges, ""]
    title = settings.title + (f" {settings.title_badge}" if settings.title_badge else "")
    lines.append(f"# {title}")
    if settings.intro:
        lines += ["", settings.intro]
    lines += ["", f"# {settings.toc_heading}"]
    if settings.toc_image:
        lines += ["", settings.toc_image]
    sections = _sections_with_papers(papers, settings)
    items = [f"- [{sec.toc_text}](#{sec.toc_anchor})" for sec, _ in sections]
    if settings.resources:
        label = settings.resources_toc_label or settings.resources_heading
        items.append(f"- [{label}](#{github_anchor(settings.resources_heading)})")
    if items:
        lines += ["", *items]
    for sec, group in sections:
        heading(sec.heading, "##")
        if sec.image:
            lines += ["", f"![{IMAGE_ALT}]({sec.image})"]
        for year in sorted({p.year for p in group}, reverse=True):
            heading(year_heading(sec, year), "###", f"{sec.heading}: {year}")
            in_year = [p for p in group if p.year == year]
            for paper in sorted(in_year, key=Paper.sort_key, reverse=True):
                lines.append("")
                lines.extend(page_lines(paper))
    if settings.resources:
        heading(settings.resources_heading, "##")
        for res in settings.resources:
            badges = f" {res.badges}" if res.badges else ""
            lines += ["", f"- [{res.name}]({res.url}){badges}"]
    if settings.closing:
        first = settings.closing.split("\n", 1)[0]
        lines.extend([""] * settings.blank_lines.get(_heading_key(first), 1))
        lines.append(settings.closing)
    return "\n".join(lines) + "\n"
