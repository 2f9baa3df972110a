"""A second arXiv API stand-in, written the way an outsider would write one quickly.

tests/arxiv_server.py (with tests/arxiv_query.py) is our own careful stand-in. This one is
deliberately different: a WSGI app written from the arXiv API user manual alone, with a
small left-to-right query evaluator, papers given as plain dicts (the shape of a real
listing: id, title, authors, summary, categories primary first, submitted), and every
liberty the manual leaves open available as a switch of ``Quirks``: id_list not supported,
``submittedDate`` read to the day or to the second, no or wrong ``opensearch:totalResults``,
page caps and short pages, pages over a size refused (HTTP 400 with an error feed as arXiv
sends for bad parameters, an error entry with HTTP 200, HTTP 413 or 422), other entry id
styles, missing elements, sort order ignored, and a poor handling of the key-word search
(refused, or answered with everything).

discover must work against every combination a reasonable stand-in could show; see
tests/test_foreign_standin.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape, quoteattr

import pytest

Paper = dict[str, Any]  # id, title, authors, summary, categories, submitted (datetime, UTC)


@dataclass
class Quirks:
    """How this stand-in reads the manual where it leaves room."""

    id_list: str = "ok"  # ok | ignore | empty | 400 | error-entry | 500
    dates: str = "minute"  # minute (as documented) | day (first 8 digits) | second (14)
    total: str = "ok"  # ok | absent | page (the page's length) | high (50 too many)
    cap: int | None = None  # most entries a page, whatever max_results asks
    short: bool = False  # pages hold fewer entries than asked before the end
    id_style: str = "http"  # http | https | bare | export | unversioned
    published: bool = True  # send <published>
    primary: bool = True  # send <arxiv:primary_category>
    category_elements: bool = True  # send <category term=...>
    sort: str = "honour"  # honour | ascending | listing (the corpus's own order)
    keywords: str = "ok"  # ok | 400 (no abs:"phrase" nor ANDNOT) | everything
    ignore_start: bool = False  # always serve the first page
    max_page: int | None = None  # a request asking more results than this is refused ...
    refusal: str = "400"  # ... how: 400 (error feed naming the limit) | error-entry (HTTP 200,
    # no number) | 413 (plain text) | 422 (JSON, naming the limit)


# One quirk at a time, named by the brief's letters: (a) id_list, (b) dates, (c) paging,
# (d) entries, (e) order, (g) the key-word search.
VARIANTS = {
    "a id_list ignored (first papers)": Quirks(id_list="ignore"),
    "a id_list: empty feed": Quirks(id_list="empty"),
    "a id_list: HTTP 400": Quirks(id_list="400"),
    "a id_list: error entry, HTTP 200": Quirks(id_list="error-entry"),
    "a id_list: HTTP 500": Quirks(id_list="500"),
    "b dates read to the day": Quirks(dates="day"),
    "b dates read to the second": Quirks(dates="second"),
    "c no totalResults": Quirks(total="absent"),
    "c totalResults = page length": Quirks(total="page"),
    "c totalResults 50 too high": Quirks(total="high"),
    "c short pages (2/3 of asked)": Quirks(short=True),
    "c page cap 100": Quirks(cap=100),
    "c page cap 100, total = page": Quirks(cap=100, total="page"),
    "c page cap 100, no total": Quirks(cap=100, total="absent"),
    "c start ignored, no total": Quirks(ignore_start=True, total="absent"),
    "c >100 a page refused: HTTP 400": Quirks(max_page=100),
    "c >100 a page refused: error entry": Quirks(max_page=100, refusal="error-entry"),
    "c >500 a page refused: HTTP 413": Quirks(max_page=500, refusal="413"),
    "c >200 a page refused: HTTP 422": Quirks(max_page=200, refusal="422"),
    "c >30 a page refused: HTTP 400": Quirks(max_page=30),
    "c >500 refused (413), 100 sent": Quirks(max_page=500, refusal="413", cap=100),
    "d https ids": Quirks(id_style="https"),
    "d bare ids": Quirks(id_style="bare"),
    "d export.arxiv.org ids": Quirks(id_style="export"),
    "d ids without version": Quirks(id_style="unversioned"),
    "d no <published>": Quirks(published=False),
    "d no primary_category": Quirks(primary=False),
    "d no <category>": Quirks(category_elements=False),
    "b+d day dates, no <published>": Quirks(dates="day", published=False),
    "e ascending order": Quirks(sort="ascending"),
    "e the listing's own order": Quirks(sort="listing"),
    "g key words: HTTP 400": Quirks(keywords="400"),
    "g key words: everything": Quirks(keywords="everything"),
}


class QueryFailed(Exception):
    pass


@dataclass
class Foreign:
    """The stand-in's state: its papers, quirks and the requests it saw."""

    papers: list[Paper] = field(default_factory=list)
    quirks: Quirks = field(default_factory=Quirks)
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    # --- the query language, as a quick reader of the manual implements it ---------

    def matches(self, paper: Paper, query: str) -> bool:
        tokens = re.findall(r'\(|\)|\w+:"[^"]*"|\w+:\[[^\]]*\]|[^\s()]+', query)
        value, rest = self._expr(paper, tokens)
        if rest:
            raise QueryFailed(f"unexpected {rest[0]}")
        return value

    def _expr(self, paper: Paper, tokens: list[str]) -> tuple[bool, list[str]]:
        value, tokens = self._atom(paper, tokens)
        while tokens and tokens[0] != ")":  # left to right, no precedence
            op = tokens[0] if tokens[0] in ("AND", "OR", "ANDNOT") else "OR"
            if op == tokens[0]:
                tokens = tokens[1:]
            right, tokens = self._atom(paper, tokens)
            value = (value and right) if op == "AND" else (value or right) if op == "OR" \
                else (value and not right)
        return value, tokens

    def _atom(self, paper: Paper, tokens: list[str]) -> tuple[bool, list[str]]:
        if not tokens:
            raise QueryFailed("query ends early")
        if tokens[0] == "(":
            value, rest = self._expr(paper, tokens[1:])
            if not rest or rest[0] != ")":
                raise QueryFailed("unbalanced parentheses")
            return value, rest[1:]
        return self._term(paper, tokens[0]), tokens[1:]

    def _term(self, paper: Paper, token: str) -> bool:
        name, _, value = token.partition(":")
        if not value:
            name, value = "all", token
        if name == "submittedDate":
            low, high = self._range(value)
            return low <= paper["submitted"] <= high
        if name in ("abs", "all") and value.startswith('"') and self.quirks.keywords == "400":
            raise QueryFailed("phrases are not supported in abs:")
        text = {"ti": paper["title"], "au": " ".join(paper["authors"]),
                "abs": paper["summary"], "cat": " ".join(paper["categories"]),
                "co": "", "jr": "", "rn": ""}.get(name)
        if text is None:
            text = " ".join([paper["title"], paper["summary"], " ".join(paper["authors"])])
        if name == "cat":
            return value in paper["categories"]
        words = value.strip('"').lower()
        return f" {words} " in f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))} "

    def _range(self, value: str) -> tuple[dt.datetime, dt.datetime]:
        m = re.fullmatch(r"\[(\d+) TO (\d+)\]", value)
        if not m:
            raise QueryFailed(f"bad date range {value}")

        def read(stamp: str, end: bool) -> dt.datetime:
            if self.quirks.dates == "day":  # only the day counts, both days whole
                day = dt.datetime.strptime(stamp[:8], "%Y%m%d")
                return day + dt.timedelta(days=1, microseconds=-1) if end else day
            if self.quirks.dates == "second":  # 14 digits; shorter ones padded with 0
                return dt.datetime.strptime(stamp.ljust(14, "0")[:14], "%Y%m%d%H%M%S")
            when = dt.datetime.strptime(stamp[:12], "%Y%m%d%H%M")
            return when + dt.timedelta(seconds=59) if end else when

        return read(m.group(1), False), read(m.group(2), True)

    # --- answers --------------------------------------------------------------------

    def search(self, params: dict[str, str]) -> tuple[int, str]:
        query = params.get("search_query", "")
        if self.quirks.keywords == "400" and "ANDNOT" in query:
            raise QueryFailed("ANDNOT is not supported")
        everything = self.quirks.keywords == "everything" and "abs:" in query
        hits = [p for p in self.papers if everything or self.matches(p, query)]
        if params.get("sortBy") in ("submittedDate", "lastUpdatedDate"):
            if self.quirks.sort == "honour":
                hits.sort(key=lambda p: p["submitted"],
                          reverse=params.get("sortOrder", "descending") == "descending")
            elif self.quirks.sort == "ascending":
                hits.sort(key=lambda p: p["submitted"])
        start = 0 if self.quirks.ignore_start else int(params.get("start", 0))
        size = int(params.get("max_results", 10))
        if self.quirks.cap:
            size = min(size, self.quirks.cap)
        if self.quirks.short:
            size = max(1, size * 2 // 3)
        return len(hits), self.feed(hits[start:start + size], len(hits))

    def lookup(self, params: dict[str, str]) -> tuple[int, str]:
        mode = self.quirks.id_list
        if mode == "400":
            return 400, self.error("id_list is not supported")
        if mode == "error-entry":
            return 200, self.error("id_list is not supported")
        if mode == "500":
            raise RuntimeError("KeyError: 'search_query'")
        if mode == "empty":
            return 200, self.feed([], 0)
        if mode == "ignore":  # the default search: everything, first max_results
            size = int(params.get("max_results", 10))
            return 200, self.feed(self.papers[:size], len(self.papers))
        wanted = {re.sub(r"v\d+$", "", i) for i in params["id_list"].split(",")}
        found = [p for p in self.papers if p["id"] in wanted]
        return 200, self.feed(found, len(found))

    def error(self, message: str) -> str:
        return self.feed([], 1, error=message)

    def refuse_page(self, params: dict[str, str]) -> tuple[int, str, str] | None:
        """The refusal of a request for more than ``max_page`` results (status, type, body):
        a search's page or an id_list look-up."""
        cap = self.quirks.max_page
        if cap is None or int(params.get("max_results", 10)) <= cap:
            return None
        return {"400": (400, "application/atom+xml",
                        self.error(f"max_results must be at most {cap}")),
                "error-entry": (200, "application/atom+xml", self.error("page too large")),
                "413": (413, "text/plain", "Request Entity Too Large"),
                "422": (422, "application/json",
                        f'{{"detail": "max_results: ensure this value is <= {cap}"}}'),
                }[self.quirks.refusal]

    def feed(self, papers: list[Paper], total: int, error: str | None = None) -> str:
        q = self.quirks
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<feed xmlns="http://www.w3.org/2005/Atom" '
               'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
               'xmlns:arxiv="http://arxiv.org/schemas/atom">',
               "<title>stand-in</title>", "<id>http://localhost/api/query</id>"]
        shown = {"ok": total, "page": len(papers), "high": total + 50}.get(q.total)
        if shown is not None:
            out.append(f"<opensearch:totalResults>{shown}</opensearch:totalResults>")
        if error:
            out += ["<entry>", "<id>http://arxiv.org/api/errors#bad_request</id>",
                    "<title>Error</title>", f"<summary>{escape(error)}</summary>", "</entry>"]
        for paper in papers:
            out += self.entry(paper)
        out.append("</feed>")
        return "\n".join(out)

    def entry(self, paper: Paper) -> list[str]:
        q = self.quirks
        vid = paper["id"] + "v1"
        entry_id = {"http": f"http://arxiv.org/abs/{vid}", "https": f"https://arxiv.org/abs/{vid}",
                    "bare": vid, "export": f"http://export.arxiv.org/abs/{vid}",
                    "unversioned": f"http://arxiv.org/abs/{paper['id']}"}[q.id_style]
        stamp = paper["submitted"].strftime("%Y-%m-%dT%H:%M:%SZ")
        lines = ["<entry>", f"<id>{entry_id}</id>", f"<updated>{stamp}</updated>",
                 f"<title>{escape(paper['title'])}</title>",
                 f"<summary>{escape(paper['summary'])}</summary>"]
        if q.published:
            lines.append(f"<published>{stamp}</published>")
        lines += [f"<author><name>{escape(a)}</name></author>" for a in paper["authors"]]
        if q.primary:
            lines.append(f"<arxiv:primary_category term={quoteattr(paper['categories'][0])}/>")
        if q.category_elements:
            lines += [f"<category term={quoteattr(c)}/>" for c in paper["categories"]]
        lines.append(f'<link href="https://arxiv.org/abs/{vid}" rel="alternate"/>')
        lines.append("</entry>")
        return lines

    # --- the WSGI app -----------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        params = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        self.requests.append(params)
        status, body, kind = 200, "", "application/atom+xml"
        try:
            if refused := self.refuse_page(params):
                status, kind, body = refused
            elif params.get("id_list") and not params.get("search_query"):
                status, body = self.lookup(params)
            else:
                status, body = 200, self.search(params)[1]
        except QueryFailed as exc:
            status, body = 400, self.error(str(exc))
        except RuntimeError:
            status, body = 500, "Internal Server Error"
        reason = {200: "OK", 400: "Bad Request", 413: "Content Too Large",
                  422: "Unprocessable Content", 500: "Internal Server Error"}[status]
        start_response(f"{status} {reason}", [("Content-Type", kind)])
        return [body.encode("utf-8")]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(app: Foreign) -> Iterator[Foreign]:
    """``app`` served on 127.0.0.1 (its ``url`` set) until the block ends."""
    httpd = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Quiet)
    app.url = f"http://127.0.0.1:{httpd.server_port}/api/query"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield app
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def foreign(monkeypatch: pytest.MonkeyPatch) -> Iterator[Foreign]:
    """The outsider's stand-in, running, set as $DEEPPHEN_ARXIV_API_URL."""
    with serving(Foreign()) as app:
        monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", app.url)
        yield app
