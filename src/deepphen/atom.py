"""arXiv's Atom feeds read safely: entries, the announced total, error entries.

Both shapes arXiv has served (the legacy Perl API and the current one) are read; the XML is
parsed with defusedxml, so an entity bomb or an external entity is refused instead of
expanded. Every text is cleaned of hard wraps and control characters. deepphen.arxiv's
client fetches the feeds; this module only reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from deepphen import ids
from deepphen.errors import NetworkError, Refused
from deepphen.printable import shorten, strip_controls, strip_invisible

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
# An arXiv category's shape: archive, then maybe a subject class (cs.LG, hep-th, q-bio.NC).
_CATEGORY_RE = re.compile(r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")
# Characters of a server's error message kept: it goes into one line on stderr.
MAX_MESSAGE = 300
# Characters of an abstract kept: arXiv's own stop at 1,920 (the longest of 7,197 real ones:
# 1,985, entities read). One of megabytes (a feed may hold 8 MiB) cost seconds a paper to
# rank, and 20,000 still 8.6 ms: a hostile server's listing of thousands took minutes.
MAX_SUMMARY = 4_000
# Characters of a journal reference or comment kept (add makes a venue of the former), and
# of a DOI read at all: real ones are a few dozen characters.
MAX_NOTE = 500
MAX_DOI = 300
# Digits of a count read at most: no listing holds 10**18 papers.
MAX_COUNT_DIGITS = 18


@dataclass(frozen=True, slots=True)
class ArxivEntry:
    """One paper as arXiv describes it. ``published`` is the first version's date (None if
    the id belies the feed's date); ``listed`` the feed's date as given, searched by date."""

    id: str  # canonical, no version
    version: int | None
    title: str
    authors: list[str]
    published: dt.date | None
    updated: dt.date | None = None
    summary: str = ""
    journal_ref: str | None = None
    doi: str | None = None
    primary_category: str | None = None
    categories: list[str] = field(default_factory=list)
    comment: str | None = None
    listed: dt.date | None = None

    @property
    def year(self) -> int:
        """Year of the first version, read off the id (YYMM) as lint's DP301 and the page's
        year subsections read it: a paper first sent on 31 December can carry January's id."""
        return ids.id_year(self.id)

    @property
    def abs_url(self) -> str:
        """The canonical abstract page, ``https://arxiv.org/abs/<id>``."""
        return ids.abs_url(self.id)

    @property
    def withdrawn(self) -> bool:
        """Whether arXiv's latest version says the paper was withdrawn: its comment says so
        ("This paper has been withdrawn by the authors", "Withdrawn: ..."), or its abstract
        opens so (the form arXiv once gave withdrawals). A paper *about* withdrawn articles,
        or one withdrawn from a venue (still on arXiv), does not count."""
        return bool(_WITHDRAWN_RE.search(self.comment or "")
                    or _WITHDRAWN_ABSTRACT_RE.match(self.summary))


# Withdrawn from arXiv, not from a venue: "withdrawn from ICML 2020" keeps the paper.
_NOT_A_VENUE = r"(?!\s+from\s+(?!arxiv))"
# This paper (article, ...) has been (is, was) withdrawn: a sentence about this paper.
_THIS_WITHDRAWN = (r"\b(?:this|the)\s+(?:paper|article|submission|manuscript|preprint|work|"
                   r"version)\s+(?:has\s+been|had\s+been|is|was|is\s+being)\s+withdrawn\b"
                   + _NOT_A_VENUE)
# A comment: "Withdrawn" opening it, or that sentence anywhere in it.
_WITHDRAWN_RE = re.compile(rf"^\W*withdrawn\b{_NOT_A_VENUE}|{_THIS_WITHDRAWN}", re.IGNORECASE)
# An abstract opens with that sentence, or with "Withdrawn." / "Withdrawn:" as a notice
# ("Withdrawn articles continue to be cited" is a paper about them).
_WITHDRAWN_ABSTRACT_RE = re.compile(rf"\W*(?:withdrawn\s*[.:;(\-]|{_THIS_WITHDRAWN})",
                                    re.IGNORECASE)


# An HTML page where a feed should be: a captive portal, a proxy's error or a wrong URL. An
# XHTML one opens with an XML declaration (and its DOCTYPE read as XML would be "unsafe").
_HTML_RE = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                      rb"<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def _html_page(url: str) -> NetworkError:
    return NetworkError("the arXiv API's address answered with an HTML page, not an Atom feed "
                        "(a proxy, a login page or a wrong URL?)", url=url, hint=f"from {url}")


def _parse_xml(body: bytes, url: str) -> Any:
    if _HTML_RE.match(body[:4096]):
        raise _html_page(url)
    try:
        return SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise NetworkError("refused an unsafe arXiv response (XML declarations or entities)",
                           url=url, hint=f"from {url}") from exc
    except (SafeET.ParseError, ValueError, LookupError) as exc:
        # ValueError/LookupError: expat cannot use the declared encoding (a proxy's page, say).
        raise NetworkError(f"arXiv response is not a valid Atom feed ({exc})", url=url,
                           hint=f"from {url}") from exc


def error_summary(body: bytes) -> str | None:
    """The message of arXiv's error entry (``<id>.../api/errors#...``), if the body is one."""
    try:
        root = _parse_xml(body, "")
    except NetworkError:
        return None
    for entry in root.iter(f"{_ATOM}entry"):
        if "/api/errors" in _text(entry, f"{_ATOM}id"):
            return _clean(_text(entry, f"{_ATOM}summary"))[:MAX_MESSAGE] or "error"
    return None


def parse_feed(body: bytes, url: str = "") -> list[ArxivEntry]:
    """Entries of a feed, either shape arXiv has served; an error entry raises NetworkError."""
    return parse_page(body, url)[0]


def parse_page(body: bytes, url: str = "") -> tuple[list[ArxivEntry], int | None]:
    """Entries of a feed and its ``opensearch:totalResults`` (None when absent or bad)."""
    root = _parse_xml(body, url)
    if root.tag != f"{_ATOM}feed":
        local = root.tag.rsplit("}", 1)[-1]
        if local.lower() == "html":
            raise _html_page(url)
        raise NetworkError(f"arXiv response is not an Atom feed (root <{local}>)",
                           url=url, hint=f"from {url}")
    entries = []
    for node in root.iter(f"{_ATOM}entry"):
        raw_id = _text(node, f"{_ATOM}id")
        if not raw_id:
            continue  # the legacy API lists an unknown id as an empty <entry>
        if "/api/errors" in raw_id:
            message = _clean(_text(node, f"{_ATOM}summary"))[:MAX_MESSAGE] or "error"
            raise Refused(f"arXiv rejected the request: {message}", reason=message, url=url,
                          status=400, hint=f"from {url}")
        entry = _parse_entry(node, raw_id)
        if entry is not None:
            entries.append(entry)
    return entries, _count(_text(root, f"{_OPENSEARCH}totalResults"))


def _count(text: str) -> int | None:
    """A count the feed announces, or None when it is no plain number. ASCII digits only:
    str.isdigit() also takes '²' (int() refuses it) and other scripts'; and at most
    MAX_COUNT_DIGITS of them (int() refuses more than 4300 with a ValueError)."""
    digits = text.strip().lstrip("0") or text.strip()[:1]
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_COUNT_DIGITS:
        return None
    return int(digits)


def _parse_entry(node: Any, raw_id: str) -> ArxivEntry | None:
    parsed = ids.entry_id(raw_id, [link.get("href", "") for link in node.findall(f"{_ATOM}link")
                                   if link.get("rel", "alternate") == "alternate"])
    if parsed is None:
        return None
    primary = next((_clean(c.get("term", ""))
                    for c in node.findall(f"{_ARXIV}primary_category")), "")
    categories = [term for c in node.findall(f"{_ATOM}category")
                  if (term := _clean(c.get("term", "")))]
    categories = categories or ([primary] if primary else [])
    # The primary category is written into the catalog (add): only a term shaped like an
    # arXiv category will do. The others may be MSC or ACM classes ("68T07", "I.2.6").
    if not _CATEGORY_RE.fullmatch(primary):
        primary = next((c for c in categories if _CATEGORY_RE.fullmatch(c)), "")
    listed = _date(_text(node, f"{_ATOM}published"))
    return ArxivEntry(
        id=parsed.id,
        version=parsed.version,
        title=_clean(_text(node, f"{_ATOM}title")),
        authors=[_clean(_text(a, f"{_ATOM}name")) for a in node.findall(f"{_ATOM}author")
                 if _text(a, f"{_ATOM}name").strip()],
        published=ids.first_version_date(listed, parsed.id),
        updated=_date(_text(node, f"{_ATOM}updated")),
        summary=shorten(_clean(_text(node, f"{_ATOM}summary")), MAX_SUMMARY),
        journal_ref=shorten(_clean(_text(node, f"{_ARXIV}journal_ref")), MAX_NOTE) or None,
        doi=_doi(_clean(_text(node, f"{_ARXIV}doi"))),
        primary_category=primary or None,
        categories=categories,
        comment=shorten(_clean(_text(node, f"{_ARXIV}comment")), MAX_NOTE) or None,
        listed=listed,
    )


def _doi(text: str) -> str | None:
    """The first DOI the feed gives, bare (lint's DP210 form: a paper added or refreshed
    passes lint), or None: none, or one longer than any is (cut, it would be another)."""
    doi = ids.first_doi(text)
    return doi if doi is not None and len(doi) <= MAX_DOI else None


def _text(node: Any, tag: str) -> str:
    child = node.find(tag)
    return "".join(child.itertext()) if child is not None else ""


def _clean(text: str) -> str:
    """Collapse the hard wraps and indentation of legacy feeds; no control or bidi character
    (XML allows C1 controls and U+202E), nor one that shows as nothing (a zero-width space,
    tag characters), reaches a paper file or a terminal."""
    return " ".join(strip_invisible(strip_controls(text)).split())


def _date(text: str) -> dt.date | None:
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        # arXiv's calendar is UTC: a stamp with another offset is moved to it.
        return (when.astimezone(dt.UTC) if when.tzinfo else when).date()
    except (ValueError, OverflowError):
        return None  # empty, not a date, or moved by its offset past year 1 or 9999
