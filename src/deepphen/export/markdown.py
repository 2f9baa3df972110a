"""The catalog as the list's markdown page, in the list's own layout.

``render`` gives the whole page (badges, title, intro, table of contents, sections with year
subsections newest first, related resources, closing); ``render_entry`` one paper's lines.
Entries are written in the list's format (deepphen.dialect), whose escaping keeps any field from
opening HTML, a link or a block; the settings (badges, intro, images, closing) are the
curator's markdown, written as is.
``deepphen import`` reads this output back to the same papers.
"""

from __future__ import annotations

from deepphen.dialect import IMAGE_ALT, entry_lines, page_lines, year_heading
from deepphen.export import sections_with_papers
from deepphen.models import Paper, Settings, github_anchor


def render_entry(paper: Paper) -> str:
    """One entry as it appears on the page: its lines joined, without a final newline."""
    return "\n".join(line for _, line in entry_lines(paper))


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
    sections = sections_with_papers(papers, settings)
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
