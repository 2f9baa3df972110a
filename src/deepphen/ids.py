"""arXiv identifiers, DOIs and file-safe keys.

Everything that turns user text into an id or a file name goes through here, so that no
input can name a path outside the catalog.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from deepphen.errors import InvalidId

# 0704.0001 .. 1412.9999 (4 digits), 1501.00001 onwards (5 digits).
_NEW = r"(?P<new>(?P<yy>\d{2})(?P<mm>0[1-9]|1[0-2])\.(?P<num>\d{4,5}))"
# hep-th/9901001, math.GT/0309136, cond-mat.stat-mech/0102536
_OLD = (
    r"(?P<old>(?P<archive>[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z][A-Za-z-]{1,15})?)"
    r"/(?P<oyy>\d{2})(?P<omm>0[1-9]|1[0-2])(?P<onum>\d{3}))"
)
_ID = rf"(?:{_NEW}|{_OLD})(?:v(?P<version>[1-9]\d{{0,3}}))?"
# re.ASCII: an id's digits are ASCII ones ("١٨03.٠٣٦٣٥" is none), and case is ignored in
# ASCII only ("arxıv.org", with a dotless ı, is another host).
# \Z, not $, in every pattern that validates a whole value: $ also matches before a final
# newline, and "others\n" is no safe folder name.
_ID_RE = re.compile(rf"^{_ID}\Z", re.ASCII)
_URL_RE = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/{_ID}(?:\.pdf)?/?"
    r"(?:[?#].*)?\Z",
    re.IGNORECASE | re.ASCII,
)
_PREFIX_RE = re.compile(r"^arxiv:\s*", re.IGNORECASE)  # any space: pasted text holds NBSP
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}\Z")

ABS_URL = "https://arxiv.org/abs/"


@dataclass(frozen=True, slots=True)
class ArxivId:
    """A parsed arXiv identifier: the canonical id and the version asked for, if any."""

    id: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        """The id with its version suffix when one was given (``2201.02177v2``)."""
        return f"{self.id}v{self.version}" if self.version else self.id


def _from_match(m: re.Match[str]) -> ArxivId:
    ident = m.group("new") or m.group("old")
    if m.group("new") and len(m.group("num")) == 5 and int(m.group("yy")) < 15:
        raise InvalidId(f"'{ident}' is not an arXiv id: five-digit numbers start in 2015")
    if m.group("new") and len(m.group("num")) == 4 and int(m.group("yy") + m.group("mm")) >= 1501:
        raise InvalidId(f"'{ident}' is not an arXiv id: since 2015 numbers have five digits")
    version = m.group("version")
    return ArxivId(ident, int(version) if version else None)


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse an id, an ``arXiv:`` id, or an arxiv.org abs/pdf/html URL.

    >>> parse_arxiv_id("https://arxiv.org/pdf/2201.02177v2.pdf")
    ArxivId(id='2201.02177', version=2)

    Raises InvalidId, naming the input and why, for anything else.
    """
    raw = text.strip()
    if not raw or len(raw) > 300 or "\x00" in raw:
        raise InvalidId(f"{text!r} is not an arXiv id", hint="try e.g. 2201.02177")
    candidate = _PREFIX_RE.sub("", raw)
    m = _ID_RE.match(candidate) or _URL_RE.match(candidate)
    if m is None:
        if "/" in candidate and "arxiv.org" not in candidate.lower() and "://" in candidate:
            hint = "only arxiv.org abs, pdf and html links are accepted"
        else:
            hint = "expected e.g. 2201.02177, hep-th/9901001 or https://arxiv.org/abs/2201.02177"
        raise InvalidId(f"{text!r} is not an arXiv id", hint=hint)
    return _from_match(m)


def archive_id(arxiv_id: str) -> str:
    """An old-style id without its subject class, as arXiv names the paper today:
    ``math.GT/0309136`` is ``math/0309136``; any other id as it is."""
    if not is_arxiv_id(arxiv_id):
        return arxiv_id
    archive, slash, number = arxiv_id.partition("/")
    return f"{archive.split('.')[0]}/{number}" if slash and "." in archive else arxiv_id


def paper_ids(arxiv: str | None, urls: Iterable[str]) -> set[str]:
    """The arXiv ids a paper goes by: its ``arxiv`` field (canonical, even written loosely)
    and those of its arxiv.org links, old-style ones with and without a subject class."""
    found = {bare_id(arxiv)} if arxiv else set()
    found |= {i for i in map(arxiv_id_from_url, urls) if i}
    return found | {archive_id(i) for i in found}


def arxiv_id_from_url(url: str) -> str | None:
    """The canonical arXiv id behind an arxiv.org link, or None for any other link."""
    m = _URL_RE.match(url.strip())
    if m is None:
        return None
    try:
        return _from_match(m).id
    except InvalidId:
        return None


def bare_id(text: str) -> str:
    """The canonical id of a paper file's ``arxiv`` even when written loosely (a version, an
    ``arXiv:`` prefix, spaces: lint's DP201 flags these, but the catalog loads them), so the
    paper is still known by it; ``text`` itself when it is no arXiv id at all."""
    try:
        return parse_arxiv_id(text).id
    except InvalidId:
        return text


def canonical_id(text: str | None) -> str | None:
    """The canonical id of a paper file's ``arxiv`` field, even written loosely (see
    ``bare_id``); None when it is empty or no arXiv id at all."""
    if not text:
        return None
    bare = bare_id(text)
    return bare if is_arxiv_id(bare) else None


def is_arxiv_id(text: str) -> bool:
    """True when ``text`` is a bare canonical id (no version, no prefix)."""
    m = _ID_RE.match(text)
    if m is None or m.group("version"):
        return False
    try:
        _from_match(m)
    except InvalidId:
        return False
    return True


def abs_url(arxiv_id: str) -> str:
    """The canonical abstract-page URL of an id."""
    return ABS_URL + arxiv_id


def id_year(arxiv_id: str) -> int:
    """The year of an id's first version, read off the id itself (YYMM)."""
    m = _ID_RE.match(arxiv_id)
    if m is None:
        raise InvalidId(f"{arxiv_id!r} is not an arXiv id")
    yy = int(m.group("yy") or m.group("oyy"))
    return (1900 if yy >= 91 else 2000) + yy


def id_sort_key(arxiv_id: str) -> tuple[int, int]:
    """(YYYYMM, number): the order in which arXiv assigned ids, i.e. first-submission order."""
    m = _ID_RE.match(arxiv_id)
    if m is None:
        return (0, 0)
    if m.group("new"):
        yy, mm, num = m.group("yy"), m.group("mm"), m.group("num")
    else:
        yy, mm, num = m.group("oyy"), m.group("omm"), m.group("onum")
    year = (1900 if int(yy) >= 91 else 2000) + int(yy)
    return (year * 100 + int(mm), int(num))


def key_for_id(arxiv_id: str) -> str:
    """A file-safe key for an id: old-style ``hep-th/9901001`` becomes ``hep-th_9901001``."""
    return arxiv_id.replace("/", "_")


def id_for_key(key: str) -> str | None:
    """The arXiv id a key stands for, or None when the key is a slug."""
    candidate = key.replace("_", "/", 1) if "_" in key else key
    return candidate if is_arxiv_id(candidate) else None


def is_safe_key(key: str) -> bool:
    """True when ``key`` can be a file name inside a section folder and nothing else."""
    return bool(_KEY_RE.match(key)) and ".." not in key


def slugify(text: str, *, max_words: int = 6, max_len: int = 60) -> str:
    """ASCII, lower-case, hyphenated slug of the first words of ``text`` (for non-arXiv keys)."""
    from deepphen.vocab import fold  # one folding for keys and search: "Łukasz" -> "lukasz"

    slug = "-".join(fold(text).split()[:max_words])[:max_len].strip("-")
    return slug or "paper"


def legacy_slug(text: str, *, max_words: int = 6, max_len: int = 60) -> str:
    """The slug deepphen 0.2 and earlier made of ``text``: apostrophes, dashes other than
    "-" and Greek letters folded otherwise then ("Don't" -> "don-t", "μP" -> "p").

    Files named so keep their names (keys are never renamed behind the user's back), so lint
    accepts them beside ``slugify``'s.
    """
    from deepphen.vocab import UNDECOMPOSED

    old = unicodedata.normalize("NFKD", text.translate(str.maketrans(UNDECOMPOSED)))
    words = re.findall(r"[a-z0-9]+", old.encode("ascii", "ignore").decode().lower())
    slug = "-".join(words[:max_words])[:max_len].strip("-")
    return slug or "paper"


def first_version_date(published: dt.date | None, arxiv_id: str) -> dt.date | None:
    """The first version's date as the feed gives it, or None when the id belies it.

    arXiv numbers papers by the month of their first version (YYMM), so a date more than a
    month away from the id's month (a server's 3000-01-01 or 1800-01-01) is no date: the
    paper is then dated, and filed in a year subsection, by its id.
    """
    if published is None:
        return None
    month = id_sort_key(arxiv_id)[0]
    if not month:
        return published
    given = published.year * 12 + published.month
    expected = (month // 100) * 12 + month % 100
    return published if abs(given - expected) <= 1 else None


def entry_id(raw_id: str, links: list[str]) -> ArxivId | None:
    """The arXiv id of an Atom entry: from its ``<id>`` as arXiv writes it
    (``http://arxiv.org/abs/...``) or as other servers do (a bare, ``arXiv:`` or
    ``oai:arXiv.org:`` id, another host's ``/abs/`` URL), else from its abstract links."""
    for text in [raw_id.strip(), *links]:
        m = re.search(r"/abs/(.+)$", text)
        text = m.group(1) if m else re.sub(r"^oai:arxiv\.org:", "", text, flags=re.IGNORECASE)
        try:
            return parse_arxiv_id(text)
        except InvalidId:
            continue
    return None


# A DOI (the DOI Handbook, 2.2): "10.", the registrant code (digits, dot-separated
# subdivisions), "/", then a suffix of any characters but spaces. Letters are compared
# without case, as resolvers do.
_DOI_RE = re.compile(r"^10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+\Z")
# The ways a DOI is written as a link or a label, which the doi field does not hold.
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def is_doi(text: str) -> bool:
    """True when ``text`` is a bare DOI, ``10.NNNN/suffix``: printable characters only (a
    link's ``%1B`` or ``%E2%80%AE`` decodes to a control or a bidi override, which no DOI
    holds and none may carry into a paper file or a terminal)."""
    return _DOI_RE.match(text) is not None and not any(
        unicodedata.category(c)[0] == "C" for c in text)


def bare_doi(text: str) -> str | None:
    """The bare DOI ``text`` names: itself, or without its ``https://doi.org/`` or ``doi:``
    (any case) and surrounding spaces; None when what is left is no DOI.

    A link's path is percent-decoded and its query and fragment dropped, as doi.org reads
    it (``%3C`` is the DOI's ``<``, ``%23`` its ``#``): kept, the field named another DOI.
    """
    text = text.strip()
    link = re.match(r"https?://", text, re.IGNORECASE) is not None
    bare = _DOI_PREFIX_RE.sub("", text, count=1).strip()
    if link and bare != text:
        from urllib.parse import unquote

        bare = unquote(re.split(r"[?#]", bare, maxsplit=1)[0]).strip()
    return bare if is_doi(bare) else None


def first_doi(text: str) -> str | None:
    """The first DOI of a feed's ``arxiv:doi`` text, bare: arXiv lists several, separated
    by spaces, when a paper has them (the journal's and another); None when it names none."""
    for word in text.split():
        doi = bare_doi(word)
        if doi is not None:
            return doi
    return None
