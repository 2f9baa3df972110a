"""How big a page to ask of a server that refuses a page, or sends one over the size cap.

arXiv serves up to 2000 results a request; other servers (a mirror, a stand-in, arXiv on a
bad day) refuse fewer, or send more bytes than the client reads. The client then asks the
same results again in smaller pages: a size the refusal names, else the next of
SMALLER_PAGES, a few times at most.
"""

from __future__ import annotations

import re

# Asked in turn when a server refuses a longer first page. Pages of 10 are slow (a request
# every 3 s) but page a small window; the overall deadline bounds a large one.
SMALLER_PAGES = (200, 50, 10)
MAX_SMALLER_TRIES = 3  # smaller first pages asked at most (a size the refusal names first)
_PAGE_WORDS = re.compile(r"max_?results|results|page|size|limit|items|entries", re.I)


def smaller_page(asked: int, reason: str, tried: int) -> int | None:
    """The page size to ask after a page of ``asked`` results was refused for the ``tried``
    time, or None: enough tries. A size the server's words name below ``asked`` ("max_results
    must be at most 100") comes first, else the next of SMALLER_PAGES below ``asked``."""
    if tried >= MAX_SMALLER_TRIES:
        return None
    named = [int(n) for n in re.findall(r"\d+", reason) if 0 < int(n) < asked] \
        if _PAGE_WORDS.search(reason) else []
    return max(named, default=None) or max((n for n in SMALLER_PAGES if n < asked), default=None)


def sizes_text(sizes: list[int]) -> str:
    """Sizes in words: "200, 50 and 10"."""
    return " and ".join(filter(None, [", ".join(map(str, sizes[:-1])), str(sizes[-1])]))


def fewer_entries(asked: int, error: Exception, shrunk: list[int]) -> int:
    """The page size to ask after a page of ``asked`` results came too large (kept in
    ``shrunk``): the next of SMALLER_PAGES, at most MAX_SMALLER_TRIES times; else ``error``
    is raised. The cap is for one feed, not one paper: a page holding a few papers of
    thousands of authors each may exceed it, and those papers come in smaller pages."""
    retry = max((n for n in SMALLER_PAGES if n < asked), default=None)
    if retry is None or len(shrunk) >= MAX_SMALLER_TRIES:
        raise error
    shrunk.append(retry)
    return retry
