"""Fuzz the arXiv Atom parser with mutated feeds: it returns entries or raises NetworkError.

Seeds are a feed written here, the project's own feeds in tests/fixtures/arxiv/, and the
recorded feeds in ../shared/fixtures/arxiv/ when present (read in place, never copied).
Mutations, anywhere including the XML declaration: truncation, byte flips, inserted bytes,
DOCTYPE/entity declarations (internal bombs, external and parameter entities), huge
attributes and text, deep nesting.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepphen.atom import ArxivEntry, parse_feed
from deepphen.errors import NetworkError
from tests.helpers import ARXIV_FIXTURES, FIXTURES

URL = "https://export.arxiv.org/api/query?id_list=fuzz"

OWN_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>http://arxiv.org/api/fuzz-seed</id>
  <entry>
    <id>http://arxiv.org/abs/2201.02177v2</id>
    <published>2022-01-06T18:43:05Z</published>
    <updated>2022-01-07T10:00:00Z</updated>
    <title>An Invented Title about Networks
      that Wraps</title>
    <summary>  A made-up abstract &amp; some &lt;escaped&gt; text.</summary>
    <author><name>Ann Example</name></author>
    <author><name>Bo Sample</name><arxiv:affiliation>Nowhere</arxiv:affiliation></author>
    <arxiv:doi>10.1000/invented</arxiv:doi>
    <arxiv:journal_ref>ICLR 2022 Workshop</arxiv:journal_ref>
    <arxiv:primary_category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG"/><category term="stat.ML"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v1</id>
    <published>1999-01-01T00:00:00Z</published>
    <title>An Old-Style Invented Entry</title>
    <author><name>Cy Old</name></author>
  </entry>
  <entry><id></id></entry>
</feed>
"""


def _seeds() -> list[bytes]:
    seeds = [OWN_FEED]
    seeds += [p.read_bytes() for p in sorted((FIXTURES / "arxiv").glob("*.xml"))]
    if ARXIV_FIXTURES.is_dir():
        seeds += [p.read_bytes() for p in sorted(ARXIV_FIXTURES.glob("*.xml"))]
    return seeds


SEEDS = _seeds()


def _body(feed: bytes | bytearray) -> tuple[bytes, bytes]:
    """(XML declaration, the rest): a DOCTYPE goes between them."""
    if feed.startswith(b"<?xml") and b"?>" in feed:
        end = feed.index(b"?>") + 2
        return bytes(feed[:end]), bytes(feed[end:])
    return b"", bytes(feed)


def parse_cleanly(body: bytes) -> list[ArxivEntry] | None:
    """The parse result, or None when it failed with deepphen's own error."""
    try:
        entries = parse_feed(body, URL)
    except NetworkError as exc:
        assert "\n" not in str(exc)
        return None
    assert all(isinstance(e, ArxivEntry) and e.id for e in entries)
    return entries


DOCTYPES = [
    b'<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    b'<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">',
    b'<!DOCTYPE feed [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
    b"<!DOCTYPE feed>",
]
ENTITY_USES = [b"&d;", b"&xxe;", b"&p;", b"&undefined;", b"&#0;", b"&#x110000;", b"&amp;"]


@st.composite
def mutated_feeds(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "head", "insert", "doctype", "entity",
                                     "attribute", "text", "nest", "delete"]))
        at = draw(st.integers(0, len(data)))
        if kind == "head":  # a flip in the XML declaration (its encoding name, say)
            kind, at = "flip", draw(st.integers(0, min(len(data), 40)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and data:
            i = min(at, len(data) - 1)
            data[i] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "doctype":
            declaration, rest = _body(data)
            data = bytearray(declaration + draw(st.sampled_from(DOCTYPES)) + rest)
        elif kind == "entity":
            data[at:at] = draw(st.sampled_from(ENTITY_USES))
        elif kind == "attribute":
            size = draw(st.sampled_from([1_000, 100_000, 2_000_000]))
            data[at:at] = b' x="' + b"a" * size + b'"'
        elif kind == "text":
            data[at:at] = draw(st.sampled_from([b"<title>", b"</entry>", b"<entry>", b"]]>",
                                                b"<![CDATA[", b"<!--", b"<?pi ", b"\xff\xfe"]))
        elif kind == "nest":
            depth = draw(st.sampled_from([10, 1_000, 50_000]))
            data[at:at] = b"<b>" * depth + b"</b>" * depth
        elif kind == "delete" and data:
            end = draw(st.integers(at, min(len(data), at + 64)))
            del data[at:end]
    return bytes(data)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_feeds())
def test_mutated_feeds_give_entries_or_a_clean_error(body: bytes) -> None:
    parse_cleanly(body)


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_declarations_are_refused(doctype: bytes) -> None:
    """Entity bombs, external entities and DTDs are refused, never expanded or fetched."""
    declaration, rest = _body(OWN_FEED)
    body = declaration + doctype + rest.replace(b"Ann Example", b"&d;&xxe;")
    assert parse_cleanly(body) is None


def test_unmutated_seeds_parse() -> None:
    """The seeds themselves are valid, so the fuzzing starts from feeds that parse."""
    entries = parse_cleanly(OWN_FEED)
    assert entries is not None
    assert [e.id for e in entries] == ["2201.02177", "hep-th/9901001"]
    assert entries[0].title == "An Invented Title about Networks that Wraps"


@pytest.mark.parametrize("encoding", [b"shift_jis", b"bogus-8", b"UTF-9"])
def test_encoding_declarations(encoding: bytes) -> None:
    """A feed declaring an encoding expat cannot use is a clean error (a proxy's page, say)."""
    _declaration, rest = _body(OWN_FEED)
    assert parse_cleanly(b'<?xml version="1.0" encoding="' + encoding + b'"?>' + rest) is None


@pytest.mark.parametrize(("text", "doi"), [
    ("10.1000/invented", "10.1000/invented"),
    ("10.1073/pnas.2015509117 10.48550/arXiv.2008.08186", "10.1073/pnas.2015509117"),
    ("https://doi.org/10.1000/x%3Cy%3E", "10.1000/x<y>"),
    ("see the journal", None),
])
def test_the_feeds_doi_is_kept_bare_and_first(text: str, doi: str | None) -> None:
    """arXiv lists several DOIs when a paper has them: kept whole, ``add`` wrote a field
    lint's DP210 fails, which ``--fix`` cannot mend and ``refresh`` proposed again."""
    feed = OWN_FEED.replace(b"10.1000/invented", text.encode())
    [entry, _] = parse_feed(feed, URL)
    assert entry.doi == doi
