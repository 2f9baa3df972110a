"""Red-team round 8: deepphen against a broken or hostile arXiv API server (the API's address
and the environment's proxies are tests/test_hostile_endpoint.py's). Each test is one class
of defect, tried on its members; earlier rounds are in tests/test_hostile_*.py and
tests/test_hardening*.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from deepphen.arxiv import Client
from deepphen.decoding import Decoder
from tests.arxiv_server import ArxivServer, FakeTime, Fault
from tests.helpers import one_line_error, tree

Run = Callable[..., object]


def _client(server: ArxivServer, fake: FakeTime) -> Client:
    return Client(server.url, timeout=0.5, clock=fake.clock, sleep=fake.sleep)


# ---------------------------------------------------------------------------------------
# A compressed body whose stream never reached its end (a connection dropped where no length
# was announced, a proxy's cut) was read as a whole, shorter body: an XML error, never retried.

CODINGS = {"gzip": gzip.compress, "deflate": zlib.compress,
           "gzip, gzip": lambda b: gzip.compress(gzip.compress(b))}


@pytest.mark.parametrize("coding", CODINGS)
def test_a_compressed_body_cut_short_is_no_body(coding: str) -> None:
    whole = CODINGS[coding](b"<feed>" + b"x" * 5000 + b"</feed>")
    cut = Decoder(coding, 1 << 20)
    cut.decode(whole[: len(whole) // 2])
    with pytest.raises(httpx.DecodingError, match="cut short"):
        cut.decode(None)
    decoder = Decoder(coding, 1 << 20)
    assert decoder.decode(whole) + decoder.decode(None) == b"<feed>" + b"x" * 5000 + b"</feed>"
    assert Decoder(coding, 1 << 20).decode(None) == b""  # an empty body is no stream cut


def test_a_gzip_feed_cut_short_is_asked_again(arxiv: ArxivServer) -> None:
    feed = arxiv.feed_for(["2201.02177"])
    arxiv.fail(Fault("body", headers={"Content-Encoding": "gzip"},
                     body=gzip.compress(feed)[:-12]))
    fake = FakeTime()
    assert "2201.02177" in _client(arxiv, fake).fetch(["2201.02177"])
    assert len(arxiv.requests) == 2 and fake.sleeps == [3.0]


def test_an_empty_compressed_error_still_honours_retry_after(arxiv: ArxivServer) -> None:
    arxiv.fail(Fault("status", status=503, body=b"",
                     headers={"Content-Encoding": "gzip", "Retry-After": "7"}))
    fake = FakeTime()
    assert "2201.02177" in _client(arxiv, fake).fetch(["2201.02177"])
    assert fake.sleeps == [7.0]


# ---------------------------------------------------------------------------------------
# The catalog papers' abstracts (catalog_meta): a paper an answer left out was cached as
# unknown to arXiv for good, never asked again: one partial answer took its abstract out of
# every later ranking.

def test_a_catalog_paper_left_out_of_one_answer_is_asked_again_later(
        catalog_dir: Path, arxiv: ArxivServer, fake_clock: FakeTime) -> None:
    from deepphen import ids
    from deepphen.catalog import Catalog
    from deepphen.catalog_meta import MISSING_DAYS, fetch_meta, load_meta

    papers = Catalog.load(catalog_dir).papers
    wanted = sorted({i for p in papers if (i := ids.canonical_id(p.arxiv))})
    arxiv.fail(Fault("body", body=arxiv.feed_for(wanted[1:])))  # the first one left out
    day = dt.date(2025, 5, 22)
    client = Client(deadline=None)
    assert wanted[0] not in fetch_meta(catalog_dir, papers, client, today=day).abstracts
    asked = len(arxiv.requests)
    fetch_meta(catalog_dir, papers, client, today=day + dt.timedelta(days=1))
    assert len(arxiv.requests) == asked  # not every run: an id arXiv lacks costs a request
    later = day + dt.timedelta(days=MISSING_DAYS)
    assert wanted[0] in fetch_meta(catalog_dir, papers, client, today=later).abstracts
    assert arxiv.requests[-1].ids == [wanted[0]] and not load_meta(catalog_dir).missing


# ---------------------------------------------------------------------------------------
# An API that ignores id_list answers a look-up with papers of its own: refresh took that
# for arXiv no longer listing the papers asked (a warning, exit 0: a CI job passed having
# checked nothing) and add for arXiv having no such paper.

@pytest.mark.parametrize("command", [["refresh", "2201.02177", "2505.04741"],
                                     ["refresh", "--all", "--write"],
                                     ["add", "2309.00001", "-s", "others", "-k", "Grokking"]],
                         ids=lambda c: "-".join(c[:2]))
def test_an_answer_of_other_papers_is_no_answer(command: list[str], catalog_dir: Path,
                                                arxiv: ArxivServer, fake_clock: FakeTime,
                                                run_cli: Run) -> None:
    before = tree(catalog_dir)
    arxiv.fail(*[Fault("body", body=arxiv.feed_for(["1912.02292"]))] * 4)
    result = run_cli(*command, exit_code=None)
    one_line_error(result, "answered a look-up", "is id_list supported?")
    assert tree(catalog_dir) == before


# ---------------------------------------------------------------------------------------
# An XHTML page (a proxy's or a portal's login page, opening with an XML declaration) was
# refused as an "unsafe arXiv response" (its DOCTYPE) or as a feed of "root <html>".

XHTML = [b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
         b' Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns='
         b'"http://www.w3.org/1999/xhtml"><body>Sign in to continue</body></html>',
         b"<?xml version='1.0'?>\n<!-- portal -->\n<html><body>Sign in</body></html>",
         b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>']


@pytest.mark.parametrize("body", XHTML)
def test_an_xhtml_page_is_named_as_an_html_page(body: bytes, catalog_dir: Path,
                                                arxiv: ArxivServer, fake_clock: FakeTime,
                                                run_cli: Run) -> None:
    arxiv.fail(Fault("body", body=body))
    result = run_cli("refresh", "2201.02177", exit_code=None)
    one_line_error(result, "answered with an HTML page")


# ---------------------------------------------------------------------------------------
# A Content-Encoding deepphen does not read (br, zstd: asked for gzip, the server sends it
# anyway) was retried with backoff, three times, for the same answer.

@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, gzip, gzip"])
def test_an_unreadable_content_encoding_is_not_retried(coding: str, arxiv: ArxivServer) -> None:
    from deepphen.errors import NetworkError

    arxiv.fail(*[Fault("body", headers={"Content-Encoding": coding}, body=b"\x00" * 64)] * 4)
    fake = FakeTime()
    with pytest.raises(NetworkError, match="unsupported Content-Encoding"):
        _client(arxiv, fake).fetch(["2201.02177"])
    assert len(arxiv.requests) == 1 and fake.sleeps == []
