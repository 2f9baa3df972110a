"""A small, polite client for the arXiv API; deepphen.atom reads the feeds it fetches.

Only network commands (``add``, ``refresh``, ``discover``) import this module, so httpx is
loaded only when it is needed. The client looks papers up by id (one request per 100 ids) or
pages through a ``search_query`` (at most 2000 entries a request, fewer when a server
refuses so many), waits at least 3 s between requests, retries 429/5xx/timeouts/connection
errors with exponential backoff (honouring ``Retry-After``), follows only the redirects
deepphen.redirects allows (the API's own host, never down to http) and caps the response
size, decoded (gzip; zlib deflate) by a decoder that never writes past the cap. Its address
and the environment's proxies are deepphen.endpoint's, which also keeps a URL's password
out of every message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import httpx

from deepphen import __version__, ids, redirects
from deepphen.atom import MAX_MESSAGE, ArxivEntry, error_summary, parse_feed, parse_page
from deepphen.decoding import Decoder, UnsupportedCoding
from deepphen.endpoint import (
    CERTIFICATE_HINT,
    ENV_API_URL,
    api_url,
    check_url,
    connection,
    describe,
    request_url,
    settings_hint,
    untrusted_certificate,
    without_credentials,
)
from deepphen.errors import NetworkError, Refused
from deepphen.page_sizes import fewer_entries, sizes_text, smaller_page
from deepphen.printable import strip_controls
from deepphen.redirects import MAX_REDIRECTS
from deepphen.watchdog import TimerFactory, Watchdog

USER_AGENT = f"deepphen/{__version__} (+https://github.com/MinghuiChen43/awesome-deep-phenomena)"
MAX_IDS_PER_REQUEST = 100
MIN_INTERVAL = 3.0  # arXiv asks for no more than one request every three seconds
MAX_RESPONSE_BYTES = 8 * 1024 * 1024  # a full 100-entry feed is well under 1 MB
ACCEPT_ENCODING = "gzip"  # what arXiv sends; deepphen.decoding reads deflate too
MAX_RETRY_AFTER = 600.0  # a longer demand is reported instead of waited out
DEFAULT_DEADLINE = 60.0  # a command gives up on arXiv after this long in all (--timeout)
MAX_PAGE_SIZE = 2000  # arXiv's documented maximum of max_results per request
ROUND_PAGE = 50  # a page a multiple of this long may be cut by a server's page cap
SORT_BY = ("submittedDate", "lastUpdatedDate", "relevance")
SORT_ORDER = ("descending", "ascending")

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REFUSED_STATUSES = frozenset({400, 413, 422})  # the request as asked: no retry cures it

Clock = Callable[[], float]
Sleep = Callable[[float], None]
WaitHook = Callable[[float, str], None]


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of a search: its new entries (repeats of earlier pages left out), where it
    started, and the number of results arXiv announced (``opensearch:totalResults``)."""

    entries: list[ArxivEntry]
    start: int
    total: int | None
    received: int  # entries in the response, repeats included


def batched(items: list[str], size: int = MAX_IDS_PER_REQUEST) -> Iterator[list[str]]:
    """Consecutive chunks of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Client:
    """The arXiv API client. ``clock`` and ``sleep`` are injectable so tests never wait.

    ``on_wait(seconds, reason)`` is called before every deliberate pause (rate limit,
    backoff, Retry-After) so a progress display can show it. ``deadline`` bounds the client's
    whole work (every request, retry and pause, from its first request on): past it, the
    client gives up with NetworkError instead of trying again. Each request must also come
    whole within ``timeout``: its body is timed here, its status line and headers by a
    deepphen.watchdog made with ``timer`` (httpcore's transport only; tests pass a timer).
    """

    # Defaults, as class attributes so tests of the commands can swap them for fakes.
    default_clock: Clock = staticmethod(time.monotonic)
    default_sleep: Sleep = staticmethod(time.sleep)

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        max_tries: int = 4,
        min_interval: float = MIN_INTERVAL,
        backoff: float = 3.0,
        max_bytes: int = MAX_RESPONSE_BYTES,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        on_wait: WaitHook | None = None,
        transport: httpx.BaseTransport | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        timer: TimerFactory = threading.Timer,
    ) -> None:
        if base_url is not None:
            check_url(base_url, "the API URL")
        self.base_url = base_url or api_url()
        self.deadline = deadline
        self._started: float | None = None
        self.timeout = timeout
        self.max_tries = max(1, max_tries)
        self.min_interval = min_interval
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.clock = clock or type(self).default_clock
        self.sleep = sleep or type(self).default_sleep
        self.on_wait = on_wait
        self._transport = transport
        self.timer = timer
        self._last_request: float | None = None
        self.requests_sent = 0
        self.strays = 0
        self.page_cap: int | None = None  # the page size that worked after a refusal
        self.refused: int | None = None  # the longest page refused for its size
        self.answered = 0  # the longest page asked and answered

    def fetch(self, wanted: Iterable[str | ids.ArxivId],
              on_batch: Callable[[int], None] | None = None) -> dict[str, ArxivEntry]:
        """Look up ids (canonical or versioned) and return entries keyed by canonical id,
        as asked (an old-style id with or without its subject class, as it was given).

        Ids arXiv does not know are absent from the result (entries not asked for count in
        ``strays``); an answer of other papers only is a NetworkError, not an answer. One
        request per 100 ids (fewer for a server that refuses so many, as in ``search``);
        ``on_batch(n)`` after each, n ids it held.
        """
        # Never send something that is not an id, nor an id as written ("arXiv:2201.02177",
        # a URL): arXiv refuses the whole request for one it cannot read.
        requested = list(dict.fromkeys(
            (w if isinstance(w, ids.ArxivId) else ids.parse_arxiv_id(w)).versioned
            for w in wanted))
        found: dict[str, ArxivEntry] = {}
        pending = list(batched(requested, min(MAX_IDS_PER_REQUEST,
                                              self.page_cap or MAX_IDS_PER_REQUEST)))
        smaller: list[int] = []
        answered = 0  # batches answered
        with self._open() as http:  # (no request for no id)
            while pending:
                batch = pending.pop(0)
                params = {"id_list": ",".join(batch), "max_results": str(len(batch))}
                try:
                    body, url = self._get(http, params)
                    entries = parse_feed(body, url)
                except Refused as exc:  # a first batch may be too long for the server
                    retry = self._smaller(len(batch), exc, smaller, first=not answered)
                    pending[:0] = batched(batch, retry)
                    continue
                answered += 1
                self._answered(len(batch), smaller)
                # Keyed by the id as asked: arXiv may answer math.GT/0309136 as math/0309136
                # (and one batch may ask both forms, for two files lint's DP304 names).
                asked: dict[str, list[str]] = {}
                for arxiv_id in (ids.parse_arxiv_id(b).id for b in batch):
                    asked.setdefault(ids.archive_id(arxiv_id), []).append(arxiv_id)
                if entries and not any(ids.archive_id(e.id) in asked for e in entries):
                    # Other papers than those asked (an API that ignores id_list): taken
                    # for an answer, every paper asked would be one arXiv does not have.
                    raise NetworkError(
                        f"the arXiv API answered a look-up of {len(batch)} papers by id "
                        f"with {len(entries)} others (is id_list supported?)", url=url,
                        hint=f"from {url}; check ${ENV_API_URL}")
                for entry in entries:
                    forms = asked.get(ids.archive_id(entry.id))
                    self.strays += forms is None
                    found.update((form, entry) for form in forms or ())
                if on_batch:
                    on_batch(len(batch))
        return found

    def search(self, query: str, *, sort_by: str = "submittedDate",
               sort_order: str = "descending", page_size: int = 1000,
               limit: int | None = None) -> Iterator[SearchPage]:
        """Page through the results of a ``search_query``, one request per page.

        Pages hold at most ``page_size`` entries (never more than MAX_PAGE_SIZE); paging stops
        at ``limit`` entries, at an empty page (asked once more first: the API has served
        spurious empty pages), at a page of nothing new (a server that does not page), or at
        ``totalResults`` if the page was short (a full page asks on: totals can be wrong; so
        does a page of a round length that equals the total: a page cap, miscounted).
        An empty first page announcing results is yielded (empty: the caller got none). Entries
        seen on an earlier page (results shift while paging) are left out. A failure
        raises NetworkError after the pages already yielded, so a caller can keep what it has.

        A first page refused as asked (HTTP 400/413/422 or an error entry: a server that
        allows fewer results a request) is asked again smaller (see ``smaller_page``), and the
        size that worked is kept for the rest of the search and the client's later searches;
        a refusal that smaller pages do not cure is raised after at most MAX_SMALLER_TRIES.
        A page over the size cap is asked again with fewer entries, alike (``fewer_entries``).
        """
        if sort_by not in SORT_BY or sort_order not in SORT_ORDER:
            raise ValueError(f"unknown sort {sort_by!r} {sort_order!r}")
        size = max(1, min(page_size, MAX_PAGE_SIZE, self.page_cap or MAX_PAGE_SIZE))
        seen: set[str] = set()
        start = 0
        smaller: list[int] = []  # the smaller first pages asked after a refusal
        shrunk: list[int] = []  # the smaller pages asked after one too large
        retried_empty = False
        with self._open() as http:
            while limit is None or start < limit:
                count = size if limit is None else min(size, limit - start)
                params = {"search_query": query, "sortBy": sort_by, "sortOrder": sort_order,
                          "start": str(start), "max_results": str(count)}
                try:
                    body, url = self._get(http, params)
                    entries, total = parse_page(body, url)
                except Refused as exc:
                    size = self._smaller(count, exc, smaller, first=not start)
                    continue
                except TooLarge as exc:  # long entries (thousands of authors): fewer a page
                    size = fewer_entries(count, exc, shrunk)
                    continue
                self._answered(count, smaller)
                if not entries:
                    if total is not None and start < total and not retried_empty:
                        retried_empty = True
                        continue
                    if start == 0 and total:  # the caller must learn what was announced
                        yield SearchPage([], start, total, 0)
                    return
                retried_empty = False
                # One paper however its old-style id is written (ids.archive_id).
                fresh = [e for e in entries if ids.archive_id(e.id) not in seen]
                seen.update(ids.archive_id(e.id) for e in fresh)
                yield SearchPage(fresh, start, total, len(entries))
                start += len(entries)
                capped = len(entries) == total and len(entries) % ROUND_PAGE == 0
                if not fresh or (total is not None and start >= total
                                 and len(entries) < count and not capped):
                    return

    def _smaller(self, asked: int, refusal: Refused, smaller: list[int], *, first: bool) -> int:
        """The size to ask after ``asked`` results a request were refused (kept in
        ``smaller``); ``refusal`` raised again when it is not about the size (not the first
        request, or a size answered before) or enough smaller sizes were refused too."""
        retry = smaller_page(asked, refusal.reason, len(smaller)) \
            if first and asked > self.answered else None
        if retry is None:
            if smaller:
                refusal.hint = f"refused with max_results {sizes_text(smaller)} too; {refusal.hint}"
            raise refusal
        smaller.append(retry)
        self.refused = max(self.refused or 0, asked)
        return retry

    def _answered(self, asked: int, smaller: list[int]) -> None:
        self.answered = max(self.answered, asked)
        if smaller:  # later requests keep to the size that worked
            self.page_cap = smaller[-1]

    def _open(self) -> httpx.Client:
        # No idle connections kept: each request opens its own, the one its watchdog cuts
        # (requests are 3 s apart, longer than servers keep an idle connection anyway).
        return connection(timeout=self.timeout, transport=self._transport,
                          headers={"User-Agent": USER_AGENT,
                                   "Accept-Encoding": ACCEPT_ENCODING},
                          limits=httpx.Limits(max_keepalive_connections=0),
                          follow_redirects=False)  # _send follows what redirects allows

    def remaining(self) -> float | None:
        """Seconds left before the overall deadline (None: no deadline)."""
        if self.deadline is None:
            return None
        if self._started is None:
            return self.deadline
        return self.deadline - (self.clock() - self._started)

    def _wait(self, seconds: float, reason: str) -> None:
        if seconds <= 0:
            return
        left = self.remaining()
        if left is not None:
            if seconds >= left:  # the wait would pass the deadline: give up now
                raise self._gave_up(f"last: {reason.removeprefix('retry after ')}",
                                    wait=seconds)
            reason = f"{reason}; giving up in {left:.0f}s"
        if self.on_wait:
            self.on_wait(seconds, reason)
        self.sleep(seconds)

    def _gave_up(self, cause: str, url: str | None = None, status: int | None = None, *,
                 wait: float | None = None) -> NetworkError:
        when = f"after {self.deadline:g}s"
        if wait is not None:  # given up early: the time spent is not yet the limit
            spent = self.deadline - (self.remaining() or 0.0)
            when = (f"after {spent:.0f}s: the next wait, {wait:.0f}s, would pass the "
                    f"{self.deadline:g}s limit")
        return NetworkError(
            f"gave up on the arXiv API {when} ({cause}; "
            f"{self.requests_sent} {'try' if self.requests_sent == 1 else 'tries'})",
            url=url, status=status,
            hint=f"pass --timeout SECONDS to wait longer; {settings_hint()}")

    def _respect_interval(self) -> None:
        if self._last_request is None:
            return
        remaining = self._last_request + self.min_interval - self.clock()
        self._wait(remaining, "rate limit")

    def _get(self, http: httpx.Client, params: dict[str, str]) -> tuple[bytes, str]:
        """GET with rate limiting and bounded retries; the body and the URL asked, as
        messages quote it (no credentials)."""
        asked = request_url(self.base_url, params)
        url = without_credentials(asked)  # what messages quote
        if self._started is None:
            self._started = self.clock()
        for attempt in range(1, self.max_tries + 1):
            self._respect_interval()
            left = self.remaining()
            if left is not None and left <= 0:
                raise self._gave_up("no answer in time", url)
            timeout = self.timeout if left is None else min(self.timeout, left)
            self._last_request = self.clock()
            self.requests_sent += 1
            last = attempt == self.max_tries
            try:
                status, headers, body = self._send(http, asked, timeout)
            except httpx.TimeoutException as exc:
                cause, status, retry_after = f"timed out after {timeout:.3g}s", None, None
                if last:
                    raise _network_error(cause, url, status, attempt) from exc
            except httpx.TooManyRedirects as exc:
                # A loop answers the same way every time: report it at once.
                raise _network_error(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)",
                                     url, None, attempt) from exc
            except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
                # Connection failures, a body that does not decode as its Content-Encoding
                # says, a malformed header or redirect target: retried, then one line.
                cause, status, retry_after = f"bad answer ({describe(exc)})", None, None
                if isinstance(exc, httpx.TransportError):
                    cause = f"connection failed ({describe(exc)})"
                untrusted = untrusted_certificate(exc)
                if untrusted:  # the same certificate every time: no retry cures it
                    raise NetworkError(f"cannot reach the arXiv API: {untrusted}", url=url,
                                       hint=f"URL {url}; {CERTIFICATE_HINT}") from exc
                if last or isinstance(exc, UnsupportedCoding):  # nor a coding it insists on
                    raise _network_error(cause, url, status, attempt) from exc
            else:
                if status < 300:
                    return body, url
                if status < 400:  # no Location to follow (or a 304): no feed to read
                    raise _network_error(f"HTTP {status} and no redirect to follow", url,
                                         status, attempt)
                if status in _REFUSED_STATUSES:
                    reason = _refusal_reason(body)
                    raise Refused(f"arXiv rejected the request: {reason or f'HTTP {status}'}",
                                  reason=reason, url=url, status=status,
                                  hint=f"HTTP {status} from {url}")
                if status not in _RETRY_STATUSES:
                    raise _network_error(f"HTTP {status}", url, status, attempt)
                cause = f"HTTP {status}"
                retry_after = parse_retry_after(headers.get("retry-after"))
                if retry_after is not None and retry_after > MAX_RETRY_AFTER:
                    raise _network_error(
                        f"HTTP {status}, arXiv asks to wait {wait_words(retry_after)}", url,
                        status, attempt)
                if last:
                    raise _network_error(cause, url, status, attempt)
            delay = self.backoff * 2 ** (attempt - 1)
            if retry_after is not None:
                delay = max(delay, retry_after)
            # The retry's own rate-limit pause is folded into this wait.
            self._wait(delay, f"retry after {cause}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, http: httpx.Client, url: str, timeout: float
              ) -> tuple[int, httpx.Headers, bytes]:
        """One request, streamed so that an oversized body is cut off, not buffered.

        httpx's timeout bounds each read; a server trickling bytes could still hold the
        request forever, so the whole answer must also arrive within ``timeout``: the body
        is checked here as it comes, the status line and headers by a watchdog.
        """
        watchdog = Watchdog(timeout, self.timer)
        request = http.build_request("GET", url, timeout=timeout,
                                     extensions={"trace": watchdog.trace})
        try:
            with watchdog:
                answer = self._exchange(http, request, without_credentials(url),
                                        self.clock() + timeout)
            if watchdog.fired:  # cut: an answer read to the end of the stream is not whole
                raise httpx.ReadTimeout("no whole answer in time", request=request)
            return answer
        except httpx.TransportError as exc:
            if watchdog.fired and not isinstance(exc, httpx.TimeoutException):
                raise httpx.ReadTimeout("no whole answer in time", request=request) from exc
            raise

    def _exchange(self, http: httpx.Client, request: httpx.Request, url: str,
                  deadline: float) -> tuple[int, httpx.Headers, bytes]:
        """Send ``request`` (following allowed redirects) and read the capped body."""
        with contextlib.closing(redirects.follow(http, request, self.base_url,
                                                 f"check ${ENV_API_URL}")) as response:
            length = response.headers.get("content-length")
            if response.status_code < 400 and length and length.isdigit() \
                    and int(length) > self.max_bytes:
                raise _too_big(url, self.max_bytes, response.status_code)
            decoder = Decoder(response.headers.get("content-encoding", ""), self.max_bytes)
            chunks: list[bytes] = []
            size = 0
            # Streamed: nothing past the cap or the time is read. None: the end of it.
            for raw in itertools.chain(response.iter_raw(), [None]):
                if self.clock() > deadline:
                    raise httpx.ReadTimeout("response body too slow", request=response.request)
                try:
                    chunk = decoder.decode(raw)
                except OverflowError:
                    raise _too_big(url, self.max_bytes, response.status_code) from None
                size += len(chunk)
                if size > self.max_bytes:
                    raise _too_big(url, self.max_bytes, response.status_code)
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)


def _refusal_reason(body: bytes) -> str:
    """A refusal's words: the error entry's, else a short plain-text or JSON body's."""
    summary = error_summary(body)
    if summary is None and len(body) <= 2000:
        text = " ".join(strip_controls(body.decode("utf-8", "replace")).split())
        summary = "" if text.startswith("<") else text  # an HTML page says no more
    return summary[:MAX_MESSAGE] if summary else ""


class TooLarge(NetworkError):
    """A response over the size cap, cut off unread."""


def _too_big(url: str, limit: int, status: int) -> TooLarge:
    return TooLarge(f"arXiv response larger than {limit // 1024} KiB, refused",
                    url=url, status=status, hint=f"from {url}")


def _network_error(cause: str, url: str, status: int | None, tries: int) -> NetworkError:
    plural = "try" if tries == 1 else "tries"
    return NetworkError(f"cannot reach the arXiv API: {cause} ({tries} {plural})",
                        url=url, status=status, hint=f"URL {url}; {settings_hint()}")


def wait_words(seconds: float) -> str:
    """A wait a server asks, in words a line can hold: "90s", "12 days"; a Retry-After of
    hundreds of digits (read as inf) or a date centuries ahead is "over a century"."""
    if seconds < 100_000:
        return f"{seconds:.0f}s"
    days = seconds / 86400
    return f"{days:.0f} days" if days < 36_500 else "over a century"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds asked by a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit alone takes '²' and '৩'
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
    except (TypeError, ValueError, OverflowError, IndexError):
        return None  # not a delay nor a date: the usual backoff applies
