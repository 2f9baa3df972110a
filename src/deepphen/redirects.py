"""Which redirects the arXiv client follows, and following them: the API's own moves only.

A server, or whoever answers in its name, could otherwise send the client to any host (a
service on the user's machine or network) or from https down to plain http. A redirect is
followed only to an http(s) URL

- on the same host and port as the request it answers, in the same scheme or upgraded from
  http to https (then also on https's own port 443: arXiv answers
  ``http://export.arxiv.org/api/query`` with a redirect to its https address);
- or, when the configured API is arXiv's (arxiv.org or a host under it), on another arxiv.org
  host, on its scheme's default port;

and never from https to http. Hosts compare case-insensitively, ports with their defaults.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

import httpx

from deepphen.endpoint import without_credentials
from deepphen.errors import NetworkError

ARXIV_DOMAIN = "arxiv.org"
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_REDIRECTS = 5
POLICY = ("deepphen follows a redirect only on the API's own host and port, from http to "
          "https, or between arxiv.org hosts")


class Origin(NamedTuple):
    """Where a URL points: a redirect is followed only within the policy above."""

    scheme: str
    host: str
    port: int | None


def origin(url: str) -> Origin:
    """Scheme, host (lower case, no trailing dot) and port (the scheme's default when not
    given) of ``url``; ValueError for a port that is not one."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    return Origin(scheme, host, parts.port or DEFAULT_PORTS.get(scheme))


def follow(http: httpx.Client, request: httpx.Request, api: str, hint: str) -> httpx.Response:
    """The answer to ``request`` (sent by a client that does not follow redirects itself),
    streamed, after at most MAX_REDIRECTS redirects that ``refusal`` allows; any other is
    NetworkError at once, ``hint`` added (asked again, it would be redirected again)."""
    url = without_credentials(str(request.url))  # what the error keeps and may quote
    for _hop in range(MAX_REDIRECTS + 1):
        response = http.send(request, stream=True)
        if response.next_request is None:
            return response
        response.close()
        target = str(response.next_request.url)
        why = refusal(api, str(request.url), target)
        if why:
            raise NetworkError(f"the arXiv API redirected to {shown(target)}, not followed: "
                               f"{why}", url=url, status=response.status_code,
                               hint=f"{POLICY}; {hint}")
        request = response.next_request
    raise httpx.TooManyRedirects("redirect loop", request=request)


def refusal(api: str, source: str, target: str) -> str | None:
    """Why a redirect from ``source`` to ``target``, met while asking the API at ``api``, is
    not followed (a few words), or None when it is."""
    try:
        base, src, dst = origin(api), origin(source), origin(target)
    except ValueError:
        return "not a valid URL"
    if dst.scheme not in DEFAULT_PORTS or not dst.host:
        return "not http(s)"
    if src.scheme == "https" and dst.scheme == "http":
        return "from https down to http"
    if dst.host == src.host:
        upgrade = (src.scheme, dst.scheme, dst.port) == ("http", "https", 443)
        return None if dst.port == src.port or upgrade else f"another port than {src.port}"
    if is_arxiv(base.host) and is_arxiv(dst.host):
        default = DEFAULT_PORTS[dst.scheme]
        return None if dst.port == default else f"another port than {default}"
    return f"another host than {src.host}"


def is_arxiv(host: str) -> bool:
    """Whether ``host`` is arxiv.org or a host under it (not merely a name ending so)."""
    return host == ARXIV_DOMAIN or host.endswith("." + ARXIV_DOMAIN)


def shown(url: str) -> str:
    """Where ``url`` leads, for a message: its scheme, host and port (the path and query may
    be long and say nothing), or its first characters when it is not a URL."""
    try:
        scheme, host, port = origin(url)
    except ValueError:
        return url[:60]
    if not host:
        return url[:60]
    return f"{scheme}://{host}:{port}" if port is not None else f"{scheme}://{host}"
