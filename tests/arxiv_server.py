"""A real HTTP server on 127.0.0.1 that plays the arXiv API, with faults on demand.

It serves the ``<entry>`` blocks of tests/fixtures/arxiv/*-entries.xml: a request's
``id_list`` picks entries (matched without version), which come back in reverse order in a
feed of the same shape (current or legacy). Unknown ids are left out (current) or become an
empty ``<entry>`` (legacy), as arXiv does. A malformed id gets the HTTP 400 error feed.

A ``search_query`` request is answered from ``server.corpus`` (invented ``CorpusEntry`` papers,
see tests/arxiv_query.py for the query language it implements), paged by ``start`` and
``max_results`` (more than 2000 is refused with HTTP 400, as arXiv does) and sorted by
``sortBy``/``sortOrder``, in a current-format feed with its ``opensearch`` counts. An
``id_list`` also finds corpus papers. As arXiv, it serves at most ``server.query_cap`` results
of a query (30,000; a test sets a small one): pages past it come back empty, while
``totalResults`` still announces every match.

Faults are queued with ``server.fail(...)``; each one answers exactly one request, then the
server behaves normally again. Every request is recorded in ``server.requests``.

The fixture reaches every test through ``pytest_plugins`` in conftest.py: ask for ``arxiv``.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest

from tests import arxiv_query
from tests.arxiv_query import CorpusEntry

FEEDS = Path(__file__).parent / "fixtures" / "arxiv"
QUERY_CAP = 30000  # arXiv serves no more results of one query, however it is paged

_ENTRY_RE = re.compile(r"  <entry>.*?</entry>\n", re.DOTALL)
_ENTRY_ID_RE = re.compile(r"<id>https?://arxiv\.org/abs/(.+?)(?:v\d+)?</id>")
_VALID_ID_RE = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7})(?:v\d+)?$")

ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    b' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">\n'
    b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol3;</title></feed>\n'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title></feed>\n'
)


@dataclass
class Fault:
    """How to answer one request instead of the normal feed."""

    kind: str  # "status", "hang", "truncate", "body", "huge", "redirect"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    size: int = 0  # for "huge": bytes to send
    send_length: bool = True  # for "huge": announce Content-Length or not
    location: str = ""  # for "redirect": where to, the request's query string appended


@dataclass
class Recorded:
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def ids(self) -> list[str]:
        return [i for i in self.params.get("id_list", "").split(",") if i]


def _load_entries(name: str) -> tuple[str, str, dict[str, str]]:
    """(feed head, feed tail, entries by canonical id) of a fixture feed."""
    text = (FEEDS / name).read_text(encoding="utf-8")
    blocks = _ENTRY_RE.findall(text)
    first = text.index(blocks[0])
    last = text.index(blocks[-1]) + len(blocks[-1])
    entries = {}
    for block in blocks:
        m = _ENTRY_ID_RE.search(block)
        assert m, f"fixture entry without an arXiv id in {name}"
        entries[m.group(1)] = block
    return text[:first], text[last:], entries


class ArxivServer:
    """The fake API; ``url`` is the query endpoint to put in DEEPPHEN_ARXIV_API_URL."""

    def __init__(self) -> None:
        self.feeds = {"current": _load_entries("current-entries.xml"),
                      "legacy": _load_entries("legacy-entries.xml")}
        self.error_feed = (FEEDS / "error-400.xml").read_bytes()
        self.mode = "current"
        self.faults: deque[Fault] = deque()
        self.requests: list[Recorded] = []
        self.overrides: dict[str, str] = {}  # id -> entry XML replacing the fixture's
        self.corpus: list[CorpusEntry] = []  # what a search_query searches
        self.query_cap = QUERY_CAP  # results served a query at most, whatever the paging
        self._searched: tuple[object, list[CorpusEntry]] = (None, [])
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/api/query"

    def start(self) -> ArxivServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases handlers that are "hanging"
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def fail(self, *faults: Fault) -> None:
        """Queue faults; each answers one request, in order."""
        self.faults.extend(faults)

    def feed_for(self, requested: list[str]) -> bytes:
        """The feed answering an id_list, in the current mode's shape."""
        head, tail, entries = self.feeds[self.mode]
        blocks = []
        for raw in reversed(requested):  # arXiv does not keep the request's order
            canonical = re.sub(r"v\d+$", "", raw)
            block = self.overrides.get(canonical) or entries.get(canonical) \
                or self._corpus_xml(canonical)
            if block:
                blocks.append(block)
            elif self.mode == "legacy":
                blocks.append('  <entry>\n    <arxiv:primary_category xmlns:arxiv='
                              '"http://arxiv.org/schemas/atom" term="" scheme='
                              '"http://arxiv.org/schemas/atom"/>\n  </entry>\n')
        return (head + "".join(blocks) + tail).encode("utf-8")

    def _corpus_xml(self, canonical: str) -> str | None:
        return next((e.to_xml() for e in self.corpus if e.id == canonical), None)

    def search_feed(self, params: dict[str, str]) -> bytes:
        """The feed answering a search_query; raises QueryError for what arXiv refuses."""
        try:
            start = int(params.get("start", "0"))
            size = int(params.get("max_results", "10"))
        except ValueError as exc:
            raise arxiv_query.QueryError("start and max_results must be integers") from exc
        if start < 0 or size < 0 or size > arxiv_query.MAX_RESULTS:
            raise arxiv_query.QueryError(f"max_results must be 0..{arxiv_query.MAX_RESULTS}")
        key = (params["search_query"], params.get("sortBy", "relevance"),
               params.get("sortOrder", "descending"), len(self.corpus), id(self.corpus))
        if self._searched[0] != key:  # paging asks the same query again and again
            self._searched = (key, arxiv_query.search(self.corpus, key[0], sort_by=key[1],
                                                      sort_order=key[2]))
        hits = self._searched[1]
        wanted = {re.sub(r"v\d+$", "", i) for i in params.get("id_list", "").split(",") if i}
        if wanted:
            hits = [h for h in hits if h.id in wanted]
        page = hits[start:min(start + size, self.query_cap)]
        query = escape(params["search_query"])
        head = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
            "  <id>https://arxiv.org/api/deepphen-test-search</id>\n"
            f"  <title>arXiv Query: search_query={query}&amp;id_list=&amp;start={start}"
            f"&amp;max_results={size}</title>\n"
            "  <updated>2026-05-01T12:00:00Z</updated>\n"
            f"  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>\n"
            f"  <opensearch:totalResults>{len(hits)}</opensearch:totalResults>\n"
            f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n")
        return (head + "".join(e.to_xml() for e in page) + "</feed>\n").encode("utf-8")

    def search_error(self, message: str) -> bytes:
        """arXiv's HTTP 400 feed for a query it cannot run (no fragment in the error id)."""
        text = self.error_feed.decode("utf-8")
        text = text.replace("#incorrect_id_format_for_BADID", "")
        return text.replace("incorrect id format for BADID", escape(message)).encode("utf-8")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet tests
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with server._lock:
                    server.requests.append(Recorded(parts.path, params, dict(self.headers)))
                    fault = server.faults.popleft() if server.faults else None
                try:
                    if fault is not None:
                        self._fault(fault)
                    else:
                        self._normal(params)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size cap, timeout): nothing to do

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None,
                      length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                self.wfile.write(body)

            def _normal(self, params: dict[str, str]) -> None:
                if params.get("search_query"):
                    try:
                        self._send(200, server.search_feed(params))
                    except arxiv_query.QueryError as exc:
                        self._send(400, server.search_error(str(exc)))
                    return
                requested = [i for i in params.get("id_list", "").split(",") if i]
                if any(not _VALID_ID_RE.match(i) for i in requested):
                    self._send(400, server.error_feed)
                    return
                self._send(200, server.feed_for(requested))

            def _fault(self, fault: Fault) -> None:
                if fault.kind == "redirect":
                    query = urlsplit(self.path).query
                    self._send(fault.status, b"", {"Location": f"{fault.location}?{query}"})
                    return
                if fault.kind == "hang":
                    server._stopping.wait(30)
                    return
                if fault.kind == "truncate":
                    body = server.feed_for(["2201.02177"])
                    self._send(200, body[: len(body) // 2], length=len(body))
                    self.close_connection = True
                    return
                if fault.kind == "huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/atom+xml")
                    if fault.send_length:
                        self.send_header("Content-Length", str(fault.size))
                    self.end_headers()
                    chunk = b"<!-- padding -->" * 4096
                    sent = 0
                    while sent < fault.size and not server._stopping.is_set():
                        piece = chunk[: fault.size - sent]
                        self.wfile.write(piece)
                        sent += len(piece)
                    self.close_connection = True
                    return
                self._send(fault.status, fault.body, fault.headers)

        return Handler


@pytest.fixture(name="arxiv")
def arxiv_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivServer]:
    """A running fake arXiv API, set as $DEEPPHEN_ARXIV_API_URL; stopped after the test."""
    server = ArxivServer().start()
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", server.url)
    try:
        yield server
    finally:
        server.stop()


class FakeTime:
    """An injected clock and sleep: sleeping advances the clock and is recorded."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """The arXiv client's default clock and sleep made fake, for tests of whole commands:
    retries and rate-limit pauses take no real time."""
    from deepphen.arxiv import Client

    fake = FakeTime()
    monkeypatch.setattr(Client, "default_sleep", staticmethod(fake.sleep))
    monkeypatch.setattr(Client, "default_clock", staticmethod(fake.clock))
    return fake
