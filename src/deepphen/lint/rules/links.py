"""DP2xx: arXiv ids and links."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

from deepphen import ids
from deepphen.errors import closest
from deepphen.lint.context import Context, PaperFile
from deepphen.lint.registry import Fix, Flag, rule
from deepphen.lint.rules.common import arxiv_id_from_url, edit_field, is_arxiv_id, iter_links

# Parameters that only say where a click came from; the page never needs them.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc",
    "_hsmi", "mkt_tok", "ref_src", "ref_url", "oly_anon_id", "oly_enc_id", "vero_id",
    "wt.mc_id", "s_cid", "spm", "scid", "trk", "si", "echobox",
})
TRACKING_PREFIXES = ("utm_",)
# Fragments that marketing tools append, e.g. nature.com's "#Echobox=1721898113".
TRACKING_FRAGMENT = re.compile(r"^(?:echobox=|utm_)", re.IGNORECASE)

# Hosts known to serve the same page over https; an http link to them is only older.
HTTPS_HOSTS = frozenset({
    "arxiv.org", "github.com", "openreview.net", "proceedings.mlr.press", "doi.org",
    "dx.doi.org", "www.nature.com", "nature.com", "www.science.org", "www.pnas.org",
    "papers.nips.cc", "proceedings.neurips.cc", "openaccess.thecvf.com", "aclanthology.org",
    "www.biorxiv.org", "biorxiv.org", "www.jmlr.org", "jmlr.org", "ieeexplore.ieee.org",
    "dl.acm.org", "link.springer.com", "www.sciencedirect.com", "journals.aps.org",
    "iopscience.iop.org", "www.cell.com", "elifesciences.org", "www.youtube.com",
    "youtube.com", "distill.pub", "huggingface.co", "sites.google.com",
})

LINK_LABELS = ("paper", "code", "blog", "video", "slides", "project", "website", "data",
               "dataset", "demo", "book", "talk", "poster", "supplementary", "homepage")


def _set_links(data: dict[str, Any], change: Callable[[str], str]) -> None:
    for link in iter_links(data):
        link["url"] = change(link["url"])


@rule("DP201", "arxiv-id", "error", "The arxiv field is a bare canonical arXiv id.", fixable=True)
def arxiv_id(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Versions, prefixes and URLs belong elsewhere; the id names the paper, not a version.

    Bad:  ``arxiv = "2201.02177v2"`` or ``arxiv = "https://arxiv.org/abs/2201.02177"``
    Good: ``arxiv = "2201.02177"``
    """
    value = f.paper.arxiv
    if value is None or is_arxiv_id(value):
        return
    try:
        canonical = ids.parse_arxiv_id(value).id
    except ids.InvalidId:
        yield Flag(f"arxiv {value!r} is not an arXiv id", field="arxiv",
                   hint="expected e.g. 2201.02177 or hep-th/9901001")
        return
    yield Flag(f"arxiv {value!r} is not the bare id {canonical}", field="arxiv",
               fix=_set_to("arxiv", canonical))


def _set_to(name: str, value: str) -> Fix:
    """The fix that sets a paper file's field ``name`` to ``value``."""
    return Fix(f"{name} = {value!r}", edit=edit_field(name, lambda _: value))


def canonical_arxiv_url(url: str) -> str | None:
    """The canonical abs URL when ``url`` is an arXiv link that is not canonical yet."""
    found = arxiv_id_from_url(url)
    if found is None:
        return None
    canonical = ids.abs_url(found)
    return canonical if url != canonical else None


@rule("DP202", "arxiv-url", "error",
      "arXiv links are https://arxiv.org/abs/<id>: no version, PDF or fragment.", fixable=True)
def arxiv_url(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """One URL per paper keeps links comparable and duplicates visible.

    Bad:  ``url = "https://arxiv.org/pdf/2201.02177v2.pdf"`` or ``".../abs/2504.05357#"``
    Good: ``url = "https://arxiv.org/abs/2201.02177"``
    """
    for link in f.paper.links:
        canonical = canonical_arxiv_url(link.url)
        if canonical:
            yield Flag(f"arXiv link {link.url} is not canonical", field="links", needle=link.url,
                       fix=Fix(f"{link.url} -> {canonical}", edit=_canonicalize_arxiv))


def _canonicalize_arxiv(data: dict[str, Any]) -> None:
    _set_links(data, lambda url: canonical_arxiv_url(url) or url)


_PLAIN_URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s]*)?\Z")


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None for a URL it cannot split (``http://[::1``: an unclosed
    IPv6 bracket raises ValueError); every rule reads links through this."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def url_problem(url: str) -> str | None:
    """Why a URL is malformed, or None."""
    if _PLAIN_URL.match(url):
        return None  # the common case, without parsing
    if not url.strip():
        return "empty URL"
    if url != url.strip() or any(c.isspace() for c in url):
        return f"URL {url!r} contains spaces"
    parts = split_url(url)
    if parts is None:
        return f"URL {url!r} is not a valid URL"
    if parts.scheme not in ("http", "https"):
        return f"URL {url!r} is not an http(s) link"
    if not parts.netloc or "." not in parts.netloc or parts.netloc.startswith("."):
        return f"URL {url!r} has no host"
    return None


@rule("DP203", "url-malformed", "error", "Every link is a non-empty http(s) URL with a host.")
def url_malformed(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Broken links render as broken markdown.

    Bad:  ``url = ""`` or ``url = "arxiv.org/abs/2201.02177"`` or ``url = "https://"``
    Good: ``url = "https://arxiv.org/abs/2201.02177"``
    """
    for link in f.paper.links:
        problem = url_problem(link.url)
        if problem:
            yield Flag(problem, field="links", needle=f'url = "{link.url}"' if not link.url.strip()
                       else link.url)


def _https(url: str) -> str:
    parts = split_url(url)
    if url.startswith("http://") and parts is not None and parts.netloc.lower() in HTTPS_HOSTS:
        return "https://" + url[len("http://"):]
    return url


@rule("DP204", "http-link", "warning", "Links use https where the site serves it.",
      fixable=True)
def http_link(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """Only hosts known to serve https are flagged, so the fix never breaks a link.

    Bad:  ``url = "http://github.com/openai/grok"``
    Good: ``url = "https://github.com/openai/grok"``
    """
    for link in f.paper.links:
        if _https(link.url) != link.url and not canonical_arxiv_url(link.url):
            yield Flag(f"http link {link.url} where https exists", field="links",
                       needle=link.url,
                       fix=Fix(f"{link.url} -> https", edit=lambda d: _set_links(d, _https)))


def strip_tracking(url: str) -> str:
    """The URL without tracking query parameters and tracking fragments; else unchanged."""
    parts = split_url(url)
    if ("?" not in url and "#" not in url) or parts is None:
        return url
    # The query's pieces as written: decoding and re-encoding the kept ones rewrote them
    # ("?print" became "?print=", "a%2Fb" "a/b", ";" "%3B"), which some servers tell apart.
    pieces = parts.query.split("&") if parts.query else []
    kept = [p for p in pieces if not _is_tracking(unquote_plus(p.partition("=")[0]))]
    tracked_fragment = bool(parts.fragment) and bool(TRACKING_FRAGMENT.match(parts.fragment))
    if len(kept) == len(pieces) and not tracked_fragment:
        return url
    query = "&".join(kept)
    fragment = "" if tracked_fragment else parts.fragment
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))


def _is_tracking(key: str) -> bool:
    low = key.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


@rule("DP205", "tracking-params", "warning",
      "Links carry no tracking parameters (utm_*, fbclid, ...).", fixable=True)
def tracking_params(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """They say where someone once clicked, make links long and hide duplicates.

    Bad:  ``url = "https://www.nature.com/articles/x?utm_source=Twitter#Echobox=17"``
    Good: ``url = "https://www.nature.com/articles/x"``
    """
    for link in f.paper.links:
        if url_problem(link.url):
            continue
        clean = strip_tracking(link.url)
        if clean != link.url:
            yield Flag(f"tracking parameters in {link.url}", field="links", needle=link.url,
                       fix=Fix(f"{link.url} -> {clean}",
                              edit=lambda d: _set_links(d, strip_tracking)))


def _same_url(url: str) -> str:
    return (canonical_arxiv_url(url) or url).rstrip("/").removeprefix("http://").removeprefix(
        "https://").removeprefix("www.")


@rule("DP206", "duplicate-link", "warning", "An entry does not list the same link twice.",
      fixable=True)
def duplicate_link(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The fix keeps the first of the two links; one holding keys of its own (a note) is
    left for the curator to merge, as removing it would drop them.

    Bad:  ``[[paper]](https://arxiv.org/abs/2201.02177) [[code]](https://arxiv.org/abs/2201.02177)``
    Good: ``[[paper]](https://arxiv.org/abs/2201.02177) [[code]](https://github.com/openai/grok)``
    """
    seen: set[str] = set()
    for link in f.paper.links:
        if not link.url.strip():
            continue
        key = _same_url(link.url)
        if key in seen and link.extra:
            yield Flag(f"link {link.url} appears twice", field="links", needle=link.url,
                       hint=f"the second holds {', '.join(map(repr, link.extra))}: move it "
                            "to the first, then remove the second")
        elif key in seen:
            yield Flag(f"link {link.url} appears twice", field="links", needle=link.url,
                       fix=Fix(f"removed the second {link.url}", edit=_dedupe_links))
        seen.add(key)


def _dedupe_links(data: dict[str, Any]) -> None:
    seen: set[str] = set()
    kept = []
    for item in data.get("links") or []:
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(url, str) and url.strip():
            if _same_url(url) in seen and not set(item) - {"label", "url"}:
                continue
            seen.add(_same_url(url))
        kept.append(item)
    data["links"] = kept


@rule("DP207", "arxiv-link-mismatch", "error",
      "An arXiv link names the paper's own arXiv id.")
def arxiv_link_mismatch(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A paper link to another id is a copy-paste slip: one of the two is wrong.

    Bad:  ``arxiv = "2201.02177"`` with ``url = "https://arxiv.org/abs/2201.02178"``
    Good: ``arxiv = "2201.02177"`` with ``url = "https://arxiv.org/abs/2201.02177"``
    """
    own = f.paper.arxiv
    if not own or not is_arxiv_id(own):
        return  # DP201 reports the id itself
    for link in f.paper.links:
        linked = arxiv_id_from_url(link.url)
        if linked and linked != own and link.label == "paper":
            yield Flag(f"paper link names arXiv {linked} but arxiv = {own}", field="links",
                       needle=link.url)


@rule("DP208", "link-label", "warning", "Link labels are lower-case words from the known set.",
      fixable=True)
def link_label(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """A misspelt label shows on the page as written; a close one is fixed to the known word.

    Bad:  ``label = "Paper"`` or ``label = "coed"``
    Good: ``label = "code"``
    """
    for link in f.paper.links:
        if link.label in LINK_LABELS:
            continue
        target = _label_fix(link.label)
        message = f"unknown link label {link.label!r}"
        if target:
            label = link.label
            yield Flag(message, field="links", needle=f'"{label}"',
                       fix=Fix(f"label {label!r} -> {target!r}",
                              edit=lambda d, old=label, new=target: _relabel(d, old, new)))
        else:
            yield Flag(message, field="links", needle=f'"{link.label}"',
                       hint=f"known labels: {', '.join(LINK_LABELS)}")


def _label_fix(label: str) -> str | None:
    low = label.strip().lower()
    if low in LINK_LABELS:
        return low
    return closest(low, LINK_LABELS, cutoff=0.75) if len(low) >= 4 else None


def _relabel(data: dict[str, Any], old: str, new: str) -> None:
    for link in iter_links(data):
        if link.get("label") == old:
            link["label"] = new


@rule("DP209", "paper-link", "warning", "A paper has an arXiv id or a [[paper]] link.")
def paper_link(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The entry's title links to the paper; without either there is nothing to link.

    Bad:  a paper with no ``arxiv`` and only a ``code`` link
    Good: ``arxiv = "2201.02177"`` or a link with ``label = "paper"``
    """
    if not f.paper.arxiv and not any(link.label == "paper" for link in f.paper.links):
        yield Flag("no arXiv id and no paper link", field="title")


@rule("DP210", "doi", "error", "The doi field is a bare DOI, 10.NNNN/suffix.", fixable=True)
def doi(f: PaperFile, ctx: Context) -> Iterator[Flag]:
    """The field is the DOI alone: biblatex links ``https://doi.org/`` plus the field, so a
    stored link or ``doi:`` label is linked twice, and exports and search compare it as is.
    The fix drops such a prefix (any case); a value that is no DOI without it is the
    curator's to correct.

    Bad:  ``doi = "https://doi.org/10.1038/s41586-024-07566-y"`` or ``doi = "s41586-024"``
    Good: ``doi = "10.1038/s41586-024-07566-y"``
    """
    value = f.paper.doi
    if value is None or ids.is_doi(value):
        return
    bare = ids.bare_doi(value)
    if bare is None:
        yield Flag(f"doi {value!r} is not a DOI", field="doi",
                   hint="expected 10.NNNN/suffix, e.g. 10.1038/s41586-024-07566-y")
        return
    yield Flag(f"doi {value!r} is not the bare DOI {bare}", field="doi", fix=_set_to("doi", bare))
