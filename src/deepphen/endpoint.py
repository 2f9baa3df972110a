"""The arXiv API's address and the connection the environment sets up: checked first, and
quoted without secrets.

``$DEEPPHEN_ARXIV_API_URL`` (else arXiv's export endpoint) is checked before any request:
retrying a malformed URL would only make the user wait for the same error. A query string of
its own is kept, under the client's parameters. httpx also reads the environment's proxies
(HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, in either case) and CA certificates
(SSL_CERT_FILE, SSL_CERT_DIR): one it cannot use is one line naming them, not a traceback.
A user name and password in a URL (``https://user:secret@host/``, sent as basic
authentication, in the API's URL or a proxy's) never reach a message: ``without_credentials``
takes them out of whatever text quotes a URL.
"""

from __future__ import annotations

import os
import re
import ssl
from typing import Any
from urllib.parse import urlsplit

import httpx

from deepphen.errors import DeepphenError

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
ENV_API_URL = "DEEPPHEN_ARXIV_API_URL"
# What httpx reads from the environment when it sets up a client (trust_env), either case.
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
CERTIFICATES = ("SSL_CERT_FILE", "SSL_CERT_DIR")
HIDDEN = "***"
CERTIFICATE_HINT = ("behind a proxy that inspects https, set SSL_CERT_FILE to its CA "
                    f"certificate; else check ${ENV_API_URL}")

# A URL's user information: after "//" (or at the start of a URL without its scheme), up to
# the last "@" before the query (a password may hold an unescaped "@" or "/"; better hide too
# much than a piece of it).
_CREDENTIALS = re.compile(r"(^(?![\w+.-]*://)|//)[^\s'\"<>?#]*@")


def without_credentials(text: str) -> str:
    """``text`` with the user name and password of any URL in it replaced by ***."""
    return _CREDENTIALS.sub(rf"\1{HIDDEN}@", text)


def api_url() -> str:
    """The API endpoint: ``$DEEPPHEN_ARXIV_API_URL`` or the official export endpoint.

    A value that is not an http(s) URL with a host is refused at once: retrying it with
    backoff would only make the user wait for the same error.
    """
    url = os.environ.get(ENV_API_URL) or DEFAULT_API_URL
    check_url(url, f"${ENV_API_URL}")
    return url


def check_url(url: str, source: str) -> None:
    """DeepphenError unless ``url`` is a well-formed http(s) URL with a host (no spaces or
    control characters, brackets closed): one line at once, not retries of the same error."""
    problem = None
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        problem = "holds spaces or control characters"
    else:
        try:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                problem = "is not an http(s) URL"
            else:
                parts.port  # noqa: B018  (raises for a port that is not a number)
                httpx.URL(url)
        except (ValueError, httpx.InvalidURL) as exc:
            # The parser's words may quote any part of the URL ("port ... 'pa/ss'" of
            # http://user:pa/ss@host): none when it may hold a password.
            problem = "is not a valid URL" + ("" if "@" in url else f" ({exc})")
    if problem:
        # A malformed URL may hold a password that no URL pattern finds (one with a space):
        # all before its last "@" but the scheme is hidden.
        scheme = re.match(r"[A-Za-z][\w+.-]*://", url)
        shown = (scheme.group() if scheme else "") + f"{HIDDEN}@" + url.rsplit("@", 1)[1] \
            if "@" in url else url
        raise DeepphenError(f"{source} is {shown!r}: it {problem}",
                            hint=f"e.g. {DEFAULT_API_URL}, or unset it")


def request_url(base: str, params: dict[str, str]) -> str:
    """``base`` asked with ``params``, which win over the same names in its own query (httpx
    alone would drop that query: a mirror's key, say)."""
    return str(httpx.URL(base).copy_merge_params(params))


def connection(**options: Any) -> httpx.Client:
    """An httpx client with ``options``, set up as the environment says (proxies, CA
    certificates); a setting it cannot use is a DeepphenError naming the variables set."""
    try:
        return httpx.Client(**options)
    # ValueError/InvalidURL: a proxy URL (or NO_PROXY entry) httpx cannot read; ImportError:
    # a SOCKS proxy without socksio; OSError: a CA file that is missing or holds no certificate.
    except (ImportError, ValueError, httpx.InvalidURL, OSError) as exc:
        kind = CERTIFICATES if isinstance(exc, OSError) else PROXIES
        named = set_in_environment(kind) or [n for n in kind if n != "NO_PROXY"]
        why = "a SOCKS proxy needs the socksio package, which is not installed" \
            if isinstance(exc, ImportError) else describe(exc)
        raise DeepphenError(
            f"cannot connect to the arXiv API as the environment says: {why}",
            hint=f"check or unset {', '.join(named)}",
        ) from exc


def set_in_environment(names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` the environment sets (in either case), as it spells them."""
    return [spelled for name in names for spelled in dict.fromkeys((name, name.lower()))
            if os.environ.get(spelled)]


def settings_hint() -> str:
    """What to check when the API cannot be reached: the network, the API's address, and
    the proxy the environment names, if any (a proxy that is down fails every request)."""
    proxies = [name for name in set_in_environment(PROXIES) if name.upper() != "NO_PROXY"]
    named = f", ${ENV_API_URL} or the proxy in {' and '.join(proxies)}" if proxies \
        else f" or ${ENV_API_URL}"
    return f"check the network{named}"


def untrusted_certificate(exc: BaseException) -> str | None:
    """Why the server's TLS certificate was refused, when that is what ``exc`` (an httpx
    error, the ssl error in its chain) says: another try would meet the same certificate."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"its TLS certificate is not trusted ({cause.verify_message or cause})"
        cause = cause.__cause__ or cause.__context__
    return None


def describe(exc: BaseException) -> str:
    """An exception as a message quotes it: its type and words, without a URL's secrets."""
    text = without_credentials(str(exc).strip())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
