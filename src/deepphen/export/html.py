"""The catalog as one self-contained, searchable HTML page (docs/export-formats.md).

The page is complete without JavaScript: the server-rendered list (title, intro, table of
contents, sections with their year groups, every paper with its links) reads and prints as
is. The inline script (``html_assets/search.js``, ``mark.js``, ``view.js`` and ``page.js``)
then adds search, filters, sort and the state in the URL fragment, working from a JSON copy of
the searchable fields embedded in the page.

Safety, in layers: every catalog text is HTML-escaped and stripped of control characters;
only http(s) URLs become links; the embedded JSON has ``<``, ``>`` and ``&`` escaped so it
cannot close its script element; and a Content-Security-Policy allows exactly the page's own
style and script by their SHA-256 hashes and nothing else (no other script, no inline event
handler, no request to any address), so even an escaping bug could not run injected code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Any

from deepphen import search, search_query
from deepphen.acronyms import MAX_LETTERS, derive
from deepphen.dialect import LINK_URL, group_label, group_year
from deepphen.export import page_order, sections_with_papers
from deepphen.models import Paper, Section, Settings
from deepphen.order import newest_key
from deepphen.printable import ci_inert_document, json_text, mark_controls, text_lines
from deepphen.search_fields import HEAD_END
from deepphen.search_query import MAX_QUERY
from deepphen.slugs import UniqueNames
from deepphen.texmath import unicode_math
from deepphen.vocab import Vocabulary, form_tables, keyword_key, script_tables

# Lone surrogates cannot be written as UTF-8; like controls, they become U+FFFD, visibly.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# What HTML reads as layout and the data block escapes: kept.
_LAYOUT = "\t\n\r\u2028\u2029"
# In JSON inside <script>: these could end the element or open a comment.
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")
DATA_ID = "deepphen-data"
# Ids the page's own elements use; a section's anchor never takes one.
RESERVED_IDS = frozenset({"main", "count", "controls", "empty", "clear-all", "results",
                          "sections", "toc-h", "q", "q-help", "slash-key", "section", "keyword",
                          "since", "until", "sort", "code", "reset", DATA_ID})
# scheme://[user@]host[:port][/path?query#fragment], nothing blank or control anywhere.
_HTTP_URL_RE = re.compile(
    r"https?://(?:[^\s/?#@\x00-\x1f\x7f-\x9f]*@)?[^\s/?#@:\x00-\x1f\x7f-\x9f]+"
    r"(?::[0-9]*)?(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?", re.IGNORECASE)


def clean(text: str) -> str:
    """Catalog text with its control and bidi-formatting characters (which would reach the page
    as garbage, reorder it, or act as terminal sequences when someone copies text) and lone
    surrogates shown as U+FFFD."""
    return _SURROGATE_RE.sub("\ufffd", mark_controls(text, keep=_LAYOUT))


def esc(text: str) -> str:
    """Catalog text as HTML text or a quoted attribute value; no line of it opens a CI
    command (the page printed to a CI log), as character references show the same text."""
    return ci_inert_document(html.escape(clean(text), quote=True), "&#35;", "&#58;")


def http_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL with a host (no spaces or controls), else None."""
    if not url:
        return None
    url = url.strip()
    return url if _HTTP_URL_RE.fullmatch(url) else None


def link(url: str | None, text_html: str, cls: str = "", attrs: str = "") -> str:
    """``<a>`` around already-escaped text when the URL is http(s), else the text in a span;
    ``attrs``, already escaped, go on either."""
    attr = (f' class="{cls}"' if cls else "") + attrs
    safe = http_url(url)
    if safe is None:
        return f"<span{attr}>{text_html}</span>"
    return f'<a{attr} href="{esc(safe)}">{text_html}</a>'


def json_for_script(value: object) -> str:
    """JSON that cannot end its ``<script>`` element nor open an HTML comment in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # printable.json_text: controls escaped, and "##[" written "\u0023#[" (a CI command).
    return json_text(_JSON_UNSAFE_RE.sub(lambda m: _JSON_UNSAFE[m.group()], text))


@cache
def asset(name: str) -> str:
    """A file of ``html_assets`` (the page's CSS and JavaScript), read once."""
    return resources.files("deepphen.export").joinpath("html_assets", name).read_text("utf-8")


def page_script() -> str:
    """The page's one script: html_assets/search.js, mark.js, view.js then page.js, inside
    one function (so they share their names and set no global) in strict mode."""
    parts = "".join(asset(name) for name in ("search.js", "mark.js", "view.js", "page.js"))
    return f'(() => {{\n"use strict";\n{parts}}})();\n'


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(css: str, js: str) -> str:
    """Nothing may load from anywhere; only the page's own style and script run (by hash)."""
    return ("default-src 'none'; "
            f"style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


# --- the curator's markdown (intro, closing): a small, safe subset -----------------------
# A URL may hold balanced parentheses, as GitHub reads it (.../Grokking_(machine_learning)).
_INLINE_RE = re.compile(
    r"`(?P<code>[^`]+)`"
    rf"|!\[(?P<alt>[^\]]*)\]\((?P<img>{LINK_URL})\)"
    rf"|\[(?P<text>[^\]]+)\]\((?P<url>(?=[^)]){LINK_URL})\)"
    r"|\*\*(?P<strong>[^*]+)\*\*"
    r"|\*(?P<em>[^*\s][^*]*)\*"
)


def inline_md(text: str) -> str:
    """Escaped text with code spans, emphasis and http(s) links; images are left out (the
    page loads nothing from elsewhere) and any raw HTML shows as text."""
    out, at = [], 0
    for m in _INLINE_RE.finditer(text):
        out.append(esc(text[at:m.start()]))
        at = m.end()
        if m.group("code") is not None:
            out.append(f"<code>{esc(m.group('code'))}</code>")
        elif m.group("img") is not None:
            continue
        elif m.group("url") is not None:
            label = inline_md(m.group("text"))
            out.append(link(m.group("url"), label) if http_url(m.group("url")) else label)
        elif m.group("strong") is not None:
            out.append(f"<strong>{esc(m.group('strong'))}</strong>")
        else:
            out.append(f"<em>{esc(m.group('em'))}</em>")
    out.append(esc(text[at:]))
    return "".join(out)


def block_md(text: str, top_level: int = 2) -> str:
    """Paragraphs, ``#`` headings (from ``top_level`` down) and ``-`` lists of markdown."""
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if para:
            out.append(f"<p>{inline_md(' '.join(para))}</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{inline_md(i)}</li>" for i in items) + "</ul>")
        para.clear()
        items.clear()

    for line in text_lines(text.strip()):
        line = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if not line or heading:
            flush()
            if heading:
                level = min(6, top_level + len(heading.group(1)) - 1)
                out.append(f"<h{level}>{inline_md(heading.group(2))}</h{level}>")
        elif line.startswith(("- ", "* ")):
            if para:
                flush()
            items.append(line[2:])
        elif items:
            items[-1] += " " + line
        else:
            para.append(line)
    flush()
    return "\n".join(out)


# --- papers ------------------------------------------------------------------------------
def right_to_left(text: str) -> bool:
    """Whether the text holds a right-to-left letter (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def paper_html(paper: Paper, keyword_ids: dict[str, int]) -> str:
    """One paper as an ``<li class="paper" data-key>``: title link, links, authors, venue,
    year, key words (labels the script makes buttons) and the digest."""
    # TeX math shows as Unicode text ($\ell_1$ as ℓ₁: texmath); the title as written stays in
    # data-tex, which the page's search reads as deepphen search does.
    shown = unicode_math(paper.title)
    tex = f' data-tex="{esc(paper.title)}"' if shown != paper.title else ""
    parts = [f'<li class="paper" data-key="{esc(paper.key)}">',
             f'<p class="h">{link(paper.paper_url, esc(shown), "t", tex)}']
    for item in paper.links:
        if item.label != "paper" and http_url(item.url):
            parts.append(f' {link(item.url, esc(item.label), "l")}')
    parts.append("</p>")
    meta = []
    if paper.authors:
        # A right-to-left name would carry its neighbours (the next name, the venue, the year)
        # into its run and reorder the line: then each name is isolated. Left-to-right names
        # cannot, and stay plain text, which keeps the page small.
        names = ([f"<bdi>{esc(a)}</bdi>" for a in paper.authors]
                 if any(map(right_to_left, paper.authors)) else [esc(a) for a in paper.authors])
        meta.append(f'<span class="a">{", ".join(names)}</span>')
    if paper.venue:
        meta.append(f'<span class="v">{esc(paper.venue)}</span>')
    meta.append(str(paper.year))
    parts.append(f'<p class="m">{" · ".join(meta)}</p>')
    words = [w for w in paper.keywords if keyword_key(w) in keyword_ids]
    if words:
        # Labels here; the script makes them buttons (without it, buttons that do nothing
        # would be a tab stop each). It maps a button's text to the key word.
        labels = "".join(f"<span>{esc(word)}</span>" for word in words)
        parts.append(f'<p class="k">{labels}</p>')
    if paper.digest and paper.digest.strip():
        parts.append(f"<details><summary>Digest</summary><p>{esc(paper.digest.strip())}</p>"
                     "</details>")
    parts.append("</li>")
    return "".join(parts)


def _keyword_ids(paper: Paper, keyword_ids: dict[str, int]) -> list[int]:
    found = (keyword_ids.get(keyword_key(w)) for w in paper.keywords)
    return [i for i in found if i is not None]


def _anchor(section: Section, used: UniqueNames) -> str:
    return used.unique(re.sub(r"[^A-Za-z0-9_-]", "", section.toc_anchor) or "section")


def _count_text(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


def _section_anchors(settings: Settings, papers: Iterable[Paper]) -> dict[str, str]:
    """Section slug -> its anchor, numbered over the sections the whole catalog's page shows
    (those with papers, in the page's order), so that a filtered page gives a section the
    anchor the whole page gives it: numbered over the sections shown, ``#x-2`` became ``#x``.
    An empty section is left out as the page leaves it out: counting it renamed the anchors
    of the whole page."""
    used = UniqueNames(RESERVED_IDS)
    every = [sec for sec, _ in sections_with_papers(list(papers), settings)]
    return {sec.slug: _anchor(sec, used) for sec in every}


def render(papers: list[Paper], settings: Settings, *, catalog: Iterable[Paper] = ()) -> str:
    """The whole page for these papers (any subset of ``catalog``); deterministic. Section
    anchors are those of the whole catalog's page (``_section_anchors``)."""
    ordered = page_order(papers, settings)
    groups = sections_with_papers(ordered, settings)
    vocab = Vocabulary.from_papers(ordered)
    canonical = {norm: vocab.canonical(spellings[0]) or spellings[0]
                 for norm, spellings in vocab.groups.items()}
    norms = sorted(canonical, key=lambda n: (canonical[n].casefold(), canonical[n]))
    keyword_ids = {norm: i for i, norm in enumerate(norms)}
    rank = {id(p): i for i, p in enumerate(sorted(ordered, key=newest_key, reverse=True))}
    css, js = asset("page.css"), page_script()
    by_slug = _section_anchors(settings, [*catalog, *ordered])
    anchors = [by_slug[sec.slug] for sec, _ in groups]

    data = {
        "sections": [[sec.slug, clean(sec.heading)] for sec, _ in groups],
        "keywords": [clean(canonical[n]) for n in norms],
        # The catalog's acronyms (deepphen.acronyms): the page's search reads them as search does.
        "acronyms": derive(ordered).to_data(),
        # Python's Unicode data the page's search reads words in every script with.
        "scripts": script_tables(),
        # vocab's British spellings and inflections: the page's search reads words' forms too.
        "forms": form_tables(),
        # deepphen.search's weights, match qualities, function words and long-query rules.
        "search": page_constants(),
        # One row per paper in page order: key-word ids, venue, year, section index, has
        # code, ids (arXiv id, DOI) other than its key, newest-first rank. Titles, authors
        # and keys are read from the list itself, which keeps the page small.
        "papers": [[_keyword_ids(p, keyword_ids), clean(p.venue or ""),
                    p.year, si, int(http_url(p.code_url) is not None),
                    [x for x in (p.arxiv, p.doi) if x and x != p.key], rank[id(p)]]
                   for si, (_, group) in enumerate(groups) for p in group],
    }
    # The list's name, from the first of its pages that has one: the sibling list's full
    # page has none (its front page, a further page, has), and the page was left blank.
    named = next((view for view in settings.page_views() if view.title.strip()), settings)
    title = esc(named.title.strip() or "Papers")
    intro = settings.intro if settings.intro and settings.intro.strip() else named.intro
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{content_security_policy(css, js)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="generator" content="deepphen">',
        # An empty icon: without it the browser asks the server for /favicon.ico.
        '<link rel="icon" href="data:,">',
        f"<title>{title}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the papers</a>',
        f'<header><h1>{title}</h1>',
    ]
    if intro and intro.strip():
        out.append(f'<div class="intro">{block_md(intro)}</div>')
    out.append("</header>")
    if groups:
        toc = "".join(
            f'<li><a href="#{anchor}">{esc(sec.toc_text)}</a> '
            f'<span class="n" data-s="{i}">({len(group)})</span></li>'
            for i, ((sec, group), anchor) in enumerate(zip(groups, anchors, strict=True)))
        out.append(f'<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">'
                   f"{esc(settings.toc_heading)}</h2><ul>{toc}</ul></nav>")
    out.append(CONTROLS)
    out.append(f'<p id="count" role="status" aria-live="polite">{_count_text(len(ordered))}</p>')
    out.append('<main id="main" tabindex="-1">')
    empty = ("No papers: the catalog is empty or nothing matched the export's filters."
             if not ordered else "No paper matches these filters.")
    out.append(f'<p id="empty"{"" if not ordered else " hidden"}>{empty} '
               '<button type="button" id="clear-all" class="js-only">Clear all filters'
               "</button></p>")
    # While the reader filters, the script moves the matching papers into #results and hides
    # #sections whole: hiding thousands of papers one by one would cost the browser seconds.
    out.append('<div id="results" hidden></div>')
    out.append('<div id="sections">')
    # Year groups as the markdown page has them: one per year, the floor year gathering the
    # older ones, or none at all (the layout's year_groups = "none").
    layout = settings.layout
    def group_key(p: Paper) -> int | None:
        return None if layout.year_groups == "none" else group_year(p.year, layout)

    for i, ((sec, group), anchor) in enumerate(zip(groups, anchors, strict=True)):
        out.append(f'<section class="sec" id="{anchor}" data-s="{i}">'
                   f"<h2>{esc(sec.heading)}</h2>")
        # page_order put each section's papers newest year first: each year is one run.
        for year, in_year in groupby(group, key=group_key):
            label = "" if year is None else f"<h3>{esc(group_label(sec, year, layout))}</h3>"
            out.append(f'<div class="yg">{label}<ul class="papers">')
            out.extend(paper_html(p, keyword_ids) for p in in_year)
            out.append("</ul></div>")
        out.append("</section>")
    out.append("</div></main>")
    out.append(_footer(settings))
    out.append(f'<script type="application/json" id="{DATA_ID}">{json_for_script(data)}'
               "</script>")
    out.append(f"<script>{js}</script>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _footer(settings: Settings) -> str:
    parts = ["<footer>"]
    if settings.resources:
        items = "".join(f"<li>{link(r.url, esc(r.name))}</li>" for r in settings.resources)
        parts.append(f"<h2>{esc(settings.resources_heading)}</h2><ul>{items}</ul>")
    if settings.closing and settings.closing.strip():
        parts.append(block_md(settings.closing))
    parts.append('<p class="gen">Generated by deepphen from the catalog.</p></footer>')
    return "".join(parts)


# The controls exist for the script only: hidden until it runs (a page without JavaScript
# shows the whole list). Options of the selects come from the embedded data.
CONTROLS = f"""<form id="controls" role="search" hidden>
<div class="q"><label for="q">Search</label>
<input type="search" id="q" name="q" autocomplete="off" spellcheck="false" maxlength="{MAX_QUERY}"
 placeholder="title, author, key word, venue or arXiv id" aria-describedby="q-help">
<small id="q-help">Forgives typos. Esc clears.</small>
<span class="sk"><input type="checkbox" id="slash-key" checked>
<label for="slash-key">The <kbd>/</kbd> key jumps here</label></span></div>
<div class="f"><label for="section">Section</label>
<select id="section" name="section"><option value="">All sections</option></select></div>
<div class="f"><label for="keyword">Key word</label>
<select id="keyword" name="keyword"><option value="">All key words</option></select></div>
<div class="f yr"><label for="since">From year</label>
<input type="number" id="since" name="since" inputmode="numeric" min="1900" max="2999"></div>
<div class="f yr"><label for="until">To year</label>
<input type="number" id="until" name="until" inputmode="numeric" min="1900" max="2999"></div>
<div class="f"><label for="sort">Sort</label>
<select id="sort" name="sort"><option value="">List order</option>
<option value="newest">Newest first</option><option value="oldest">Oldest first</option>
</select></div>
<div class="f chk"><input type="checkbox" id="code" name="code">
<label for="code">Has code</label></div>
<div class="f"><button type="reset" id="reset">Clear</button></div>
</form>"""


def page_constants() -> dict[str, Any]:
    """What the page's search.js reads queries, matches words and ranks papers with:
    deepphen.search's own weights by field name, match qualities, function words, long-query
    rules and a score's parts, embedded at export so that the page and ``deepphen search``
    cannot drift apart."""
    s, q = search, search_query
    return {"weights": dict(zip(s.FIELDS, s.WEIGHTS, strict=True)), "exact": s.EXACT,
            "prefix": s.PREFIX, "acronym": s.ACRONYM, "compound": s.COMPOUND,
            "variant": s.VARIANT, "form": s.FORM, "function": s.FUNCTION,
            "phrase_held": s.PHRASE_HELD, "in_title": s.IN_TITLE, "in_keyword": s.IN_KEYWORD,
            "min_base": s.MIN_BASE, "few_words": s.FEW_WORDS,
            "max_prefix_terms": s.MAX_PREFIX_TERMS, "min_form": s.MIN_FORM,
            "max_words": q.MAX_WORDS, "max_query": q.MAX_QUERY,
            "light": sorted(q.LIGHT_WORDS),
            # The ranking: a score's shares, breadth, the title's head and the phrases tried.
            "mix": s.MIX, "broad": s.BROAD, "near_exact": s.NEAR_EXACT,
            "title_head": s.TITLE_HEAD, "head_end": HEAD_END.pattern, "max_spelt": s.MAX_SPELT,
            "max_letters": MAX_LETTERS}
