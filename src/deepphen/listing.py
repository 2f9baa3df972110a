"""discover's listing: every paper of a window in some categories, under arXiv's cap a query.

arXiv serves at most MAX_CANDIDATES results a query: it does not page further. A window whose
query announces more than a ceiling (QUERY_CEILING, at most the cap) is fetched as several
consecutive sub-windows of whole days (``Window.split``), newest first, each asked on its own
and split again while it still announces too many; their papers are merged, each once. The
ranking does not depend on the split: discover sorts and ranks the merged set as a whole.

Politeness is the client's (deepphen.arxiv): its spacing between requests and its retries
apply to every sub-window's pages alike. A failure is kept, not raised, with the days it left
incomplete, so ``--partial`` can rank what came and say which dates are missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deepphen import ids
from deepphen.errors import DeepphenError, NetworkError
from deepphen.window import Window

if TYPE_CHECKING:
    from deepphen.arxiv import ArxivEntry, Client, SearchPage

PAGE_SIZE = 1000  # entries a request (arXiv allows 2000; smaller pages fail less often)
MAX_CANDIDATES = 30000  # arXiv does not page past this many results of one query
# A window announcing more is split. Below the cap, because arXiv's deep pages (a start in
# the tens of thousands) are its slowest and the likeliest to come back empty or cut, and a
# failure then costs one sub-window, whose dates the warning names, not the window's oldest
# third. The price is one request a split (its first page is kept, not wasted).
QUERY_CEILING = 10000
# Sub-windows are sized for this share of the ceiling: submissions are not spread evenly
# over the days (weekends, deadlines), and a sub-window over the ceiling costs a split more.
SPLIT_MARGIN = 0.8


def build_query(categories: Sequence[str], window: Window) -> str:
    """The ``search_query``: ``(cat:A OR cat:B) AND submittedDate:[... TO ...]``."""
    cats = " OR ".join(f"cat:{c}" for c in categories)
    return f"({cats}) AND {window.term}"


@dataclass
class Fetched:
    """The candidates a search returned, and whether it got them all."""

    entries: list[ArxivEntry] = field(default_factory=list)
    total: int | None = None
    pages: int = 0
    received: int = 0  # entries sent, repeats across pages included
    error: DeepphenError | None = None
    truncated: bool = False  # more than ``limit`` results in one query
    by_keywords: list[ArxivEntry] = field(default_factory=list)  # from outside the categories
    ended_short: bool = False  # the last page held fewer entries than the pages before it
    limit: int = MAX_CANDIDATES  # results asked at most a query (arXiv serves no more)
    over: bool = False  # stopped after the first page: it announced more than asked for
    queries: int = 1  # the (sub-)windows the listing was asked in
    missing: list[Window] = field(default_factory=list)  # days not fetched in full
    uncounted: bool = False  # truncated with no true total: the window could not be split

    @property
    def complete(self) -> bool:
        """Whether every result of the listing came (how it is judged: the comment below)."""
        # ``received``, not the distinct entries: results shifting while paging repeat some
        # entries, and arXiv counts each result once. A listing that ends with a short page
        # ended there, whatever total was announced (a server may miscount it); one that
        # ends with full pages and then nothing was cut off.
        return self.error is None and not self.truncated and not self.missing and (
            self.total is None or self.received >= self.total or self.ended_short)

    @property
    def miscounted(self) -> bool:
        """The listing ended (short page) before the total the server announced."""
        return self.complete and self.total is not None and self.received < self.total

    def shortfall(self) -> str:
        """What could not be fetched, in words (and which days, when the window was split)."""
        total = f"of {self.total}" if self.total is not None else "announced"
        pages = f"{self.pages} page{'' if self.pages == 1 else 's'}"
        got = f"fetched {len(self.entries)} {total} papers in {pages}"
        if self.queries > 1:
            got += f" ({self.queries} sub-windows)"
        if self.error is not None:
            said = f"{got}; then: {self.error.message}"
        elif self.truncated:
            said = f"{got}; fetched at most {self.limit} results a query"
        else:
            said = f"{got}; arXiv stopped sending results early"
        if self.missing:
            said += f"; incomplete: {', '.join(str(w) for w in merge_days(self.missing))}"
        return said


PageHook = Callable[["SearchPage", int], None]


def fetch_candidates(client: Client, query: str, *, on_page: PageHook | None = None,
                     limit: int = MAX_CANDIDATES, page_size: int | None = None,
                     stop_over: int | None = None) -> Fetched:
    """Every paper matching ``query``, newest first, paged; a failure is kept, not raised.

    With ``stop_over``, a first page announcing more results than that ends the search
    (``over`` set, its entries kept): the caller asks narrower queries instead.
    """
    fetched = Fetched(limit=limit)
    size = page_size or PAGE_SIZE
    largest = 0
    pages = client.search(query, sort_by="submittedDate", sort_order="descending",
                          page_size=size, limit=limit)
    try:
        with contextlib.closing(pages):
            for page in pages:
                fetched.pages += 1
                fetched.total = page.total
                if not page.received:  # announced results, sent none: nothing ended short
                    continue
                if not page.entries:
                    # Nothing new: the server ignored ``start`` (or the results moved a
                    # whole page). Its repeats are no progress: counted, they would carry an
                    # unfinished listing to its total and let it pass for complete.
                    continue
                fetched.received += page.received
                fetched.entries.extend(page.entries)
                # Short of what was asked, or of what earlier pages held (a server's page cap).
                fetched.ended_short = page.received < (largest or min(size, limit))
                largest = max(largest, page.received)
                if on_page:
                    on_page(page, len(fetched.entries))
                if stop_over is not None and page.total is not None and page.total > stop_over:
                    fetched.over = True
                    return fetched
    except NetworkError as exc:
        fetched.error = exc
    if fetched.error is None and fetched.total is not None and fetched.total > limit:
        fetched.truncated = True
    elif fetched.error is None and fetched.received >= limit and not fetched.ended_short \
            and (fetched.total is None or fetched.total < fetched.received):
        # Full pages up to the cap, and no total that says the listing ends there: more may
        # have come (a server that announces no total, or too small a one, is never split).
        fetched.truncated = fetched.uncounted = True
    return fetched


def fetch_window(client: Client, categories: Sequence[str], window: Window, *,
                 on_page: PageHook | None = None, ceiling: int | None = None,
                 page_size: int | None = None) -> Fetched:
    """Every paper of ``window`` in ``categories``, asked in sub-windows of at most
    ``ceiling`` results (QUERY_CEILING by default, never over MAX_CANDIDATES), newest first.

    ``on_page`` sees the pages as those of one listing: ``start`` counts from the window's
    first result, ``total`` is what the window announced, the count is of distinct papers.
    After a failure no later sub-window is asked (the client has retried already: the next
    would fare no better); ``missing`` names the days not fetched in full.
    """
    cap = MAX_CANDIDATES
    ceiling = max(1, min(ceiling or QUERY_CEILING, cap))
    out = Fetched(limit=cap, queries=0)
    seen: set[str] = set()
    state = {"offset": 0, "announced": None}

    def relay(page: SearchPage, _count: int) -> None:
        if state["announced"] is None:
            state["announced"] = page.total
        shown = dataclasses.replace(page, start=state["offset"], total=state["announced"])
        state["offset"] += page.received
        _merge(out, page.entries, seen)
        if on_page:
            on_page(shown, len(out.entries))

    # Each part with the part it was split from (None: the window itself) and its total.
    todo: list[tuple[Window, Window | None, int]] = [(window, None, 0)]
    while todo:
        part, parent, announced = todo.pop(0)
        sub = fetch_candidates(client, build_query(categories, part), on_page=relay,
                               limit=cap, page_size=page_size,
                               stop_over=ceiling if part.days > 1 else None)
        out.pages += sub.pages
        _merge(out, sub.entries, seen)
        if sub.over and sub.total is not None and parent is not None \
                and sub.total >= announced:
            # A part as large as the one it was split from: the server does not narrow by
            # date, or miscounts (or the part holds all of it, and its siblings nothing).
            # Splitting on would ask the same listing again and again: this part is fetched
            # whole. Its siblings are dropped only when what came shows the dates ignored
            # (papers of other days): a miscounting server's siblings hold days of their own.
            sub = fetch_candidates(client, build_query(categories, part), on_page=relay,
                                   limit=cap, page_size=page_size)
            out.pages += sub.pages
            _merge(out, sub.entries, seen)
            if _beyond(part, sub.entries):
                todo = [t for t in todo if t[1] != parent]
        elif sub.over and sub.total is not None:
            parts = math.ceil(sub.total / max(1, int(ceiling * SPLIT_MARGIN)))
            todo[:0] = [(w, part, sub.total) for w in part.split(max(2, parts))]
            continue
        _settle(out, sub, part)
        if sub.error is not None:
            out.missing += [t[0] for t in todo]
            break
    return out


def _merge(out: Fetched, entries: Sequence[ArxivEntry], seen: set[str]) -> None:
    for entry in entries:  # a paper submitted on a boundary's minute is in both parts
        # One paper however its old-style id is written (math.GT/0309136, math/0309136).
        key = ids.archive_id(entry.id)
        if key not in seen:
            seen.add(key)
            out.entries.append(entry)


def _settle(out: Fetched, sub: Fetched, part: Window) -> None:
    """Count a sub-window fetched to its end (or its failure) into the whole listing."""
    out.queries += 1
    out.received += sub.received
    if sub.total is not None:
        out.total = (out.total or 0) + sub.total
    out.ended_short = out.ended_short or sub.ended_short
    out.truncated = out.truncated or sub.truncated
    out.uncounted = out.uncounted or sub.uncounted
    if sub.error is not None and out.error is None:
        out.error = sub.error
    if not sub.complete:
        out.missing.append(_unfetched(part, sub))


def _beyond(part: Window, entries: Sequence[ArxivEntry]) -> bool:
    """Whether any of ``entries`` is dated outside the range ``part`` asks (which ends at the
    midnight after its last day): the server ignored its dates."""
    after = part.end + dt.timedelta(days=1)
    return any(day is not None and not part.start <= day <= after
               for day in (e.listed or e.published for e in entries))


def _unfetched(part: Window, sub: Fetched) -> Window:
    """The days of ``part`` that an incomplete listing of it may lack. Newest first, as asked,
    it came down to its oldest paper's day, which may lack some papers; the later days came
    whole. A server that ignored the order gives no such bound: the whole part."""
    days = [e.listed or e.published for e in sub.entries]
    if not days or any(d is None for d in days):
        return part
    if any(a < b for a, b in itertools.pairwise(days)) or not part.start <= days[-1] <= part.end:
        return part
    return Window(part.start, days[-1])


def merge_days(windows: Sequence[Window]) -> list[Window]:
    """``windows`` with adjacent or overlapping ones joined, oldest first."""
    joined: list[Window] = []
    for w in sorted(windows, key=lambda w: w.start):
        if joined and (w.start - joined[-1].end).days <= 1:
            joined[-1] = Window(joined[-1].start, max(joined[-1].end, w.end))
        else:
            joined.append(w)
    return joined
