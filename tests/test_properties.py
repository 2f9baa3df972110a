"""Property-based tests: TOML round trips, arXiv ids and keys, hostile text.

Any paper the strategies build must survive write -> read unchanged and rewrite to the same
bytes; id normalization must be idempotent; no text may escape the catalog folder or make the
parsers raise anything but deepphen's own errors.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deepphen import catalog, ids
from deepphen.errors import CatalogError, DeepphenError, InvalidId
from deepphen.models import (
    FIRST_PAGE_KEYS,
    PAPER_FIELDS,
    SETTINGS_KEYS,
    Link,
    Paper,
    Settings,
)

# Keys and section slugs as ids.is_safe_key defines them.
SAFE_KEY = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,40}\Z").filter(lambda k: ".." not in k)
TEXT = st.text(max_size=60)
NONEMPTY = st.text(min_size=1, max_size=60)
OPTIONAL = st.none() | NONEMPTY
# Values a TOML file can hold that compare equal after a round trip (no NaN floats).
TOML_SCALAR = (st.text(max_size=20) | st.integers(-(2**63), 2**63 - 1) | st.booleans()
               | st.floats(allow_nan=False, width=64) | st.dates())
TOML_VALUE = st.recursive(
    TOML_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
EXTRA_KEY = TEXT.filter(lambda k: k not in PAPER_FIELDS)

papers = st.builds(
    Paper,
    title=NONEMPTY,
    year=st.integers(1900, 2999),
    section=SAFE_KEY,
    authors=st.lists(TEXT, max_size=4),
    venue=OPTIONAL,
    published=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)),
    arxiv=OPTIONAL,
    doi=OPTIONAL,
    category=OPTIONAL,
    keywords=st.lists(TEXT, max_size=4),
    links=st.lists(st.builds(Link, TEXT, TEXT), max_size=3),
    sort_as=OPTIONAL,
    authors_collapsed=st.booleans(),
    digest=OPTIONAL,
    ignore=st.dictionaries(TEXT, TEXT, max_size=2),
    extra=st.dictionaries(EXTRA_KEY, TOML_VALUE, max_size=3),
    key=SAFE_KEY,
)


@given(papers)
def test_paper_toml_round_trip(paper: Paper) -> None:
    text = catalog.paper_to_toml(paper)
    again = Paper.from_dict(tomllib.loads(text), key=paper.key)
    assert again == paper
    assert catalog.paper_to_toml(again) == text


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(papers)
def test_written_paper_reads_back_equal(tmp_path: Path, paper: Paper) -> None:
    path = catalog.write_paper(tmp_path, paper)
    again = catalog.read_paper(path)
    assert again.path == path
    again.path = None
    assert again == paper
    assert path.read_bytes() == catalog.paper_to_toml(again).encode("utf-8")


PAGE_KEYS = SETTINGS_KEYS - FIRST_PAGE_KEYS  # what a further page's table reads


@given(top=st.dictionaries(TEXT.filter(lambda k: k not in SETTINGS_KEYS), TOML_VALUE,
                           max_size=2),
       page=st.dictionaries(st.sampled_from(sorted(FIRST_PAGE_KEYS))
                            | TEXT.filter(lambda k: k not in PAGE_KEYS), TOML_VALUE,
                            max_size=3),
       intro=NONEMPTY | st.lists(st.sampled_from(["a", "\r\n", "\n", "\r"]),
                                 min_size=1).map("".join))
def test_settings_rewrite_keeps_what_no_field_reads(top: dict, page: dict, intro: str) -> None:
    """Rewriting catalog.toml (``import --merge``) keeps a key no setting reads, at the top
    and in a further page's table (there, ``regenerate_page`` and the other keys of the
    whole catalog too: they were dropped), a setting waiting for another (a floor's label
    without the floor) and every text as it was ("a\\r\\nb" too)."""
    data = {"title": "T", "intro": intro, "year_floor_label": "{year} or older", **top,
            "sections": [],
            "pages": [{"page": "FRONT.md", **page}]}
    text = catalog.settings_to_toml(Settings.from_dict(data))
    again = tomllib.loads(text)
    assert again["intro"] == intro
    assert again["year_floor_label"] == "{year} or older"  # no year_floor yet: kept all the same
    assert {k: again[k] for k in top} == top
    assert {k: again["pages"][0][k] for k in page} == page
    assert catalog.settings_to_toml(Settings.from_dict(again)) == text


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(paper=papers, crlf=st.booleans(), bom=st.booleans())
def test_any_paper_file_rewritten_unchanged_is_the_same_bytes(tmp_path: Path, paper: Paper,
                                                              crlf: bool, bom: bool) -> None:
    """A paper file in the stable layout, LF or CR LF, with or without a mark: written again
    from what it reads as, it is byte for byte the file it was."""
    path = tmp_path / paper.section / f"{paper.key}.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(catalog.paper_to_toml(paper), encoding="utf-8")
    data = path.read_bytes().replace(b"\n", b"\r\n") if crlf else path.read_bytes()
    before = (b"\xef\xbb\xbf" if bom else b"") + data
    path.write_bytes(before)
    catalog.write_paper(tmp_path, catalog.read_paper(path), path=path)
    assert path.read_bytes() == before


# --- arXiv ids --------------------------------------------------------------------------


@st.composite
def new_style_ids(draw: st.DrawFn) -> str:
    year = draw(st.integers(7, 40))
    month = draw(st.integers(1, 12))
    digits = 5 if year * 100 + month >= 1501 else 4
    number = draw(st.integers(1, 10**digits - 1))
    return f"{year:02d}{month:02d}.{number:0{digits}d}"


@st.composite
def old_style_ids(draw: st.DrawFn) -> str:
    archive = draw(st.sampled_from(["hep-th", "math.GT", "cond-mat.stat-mech", "astro-ph",
                                    "cs.LG", "q-bio.NC", "physics"]))
    year = draw(st.sampled_from([91, 95, 99, 0, 3, 7]))
    month = draw(st.integers(1, 12))
    return f"{archive}/{year:02d}{month:02d}{draw(st.integers(1, 999)):03d}"


arxiv_ids = new_style_ids() | old_style_ids()


@st.composite
def id_spellings(draw: st.DrawFn) -> tuple[str, str]:
    """(a way a user may write an id, the canonical id)."""
    ident = draw(arxiv_ids)
    version = draw(st.sampled_from(["", "v1", "v2", "v12"]))
    form = draw(st.sampled_from([
        "{}", "arXiv:{}", "arxiv: {}", "https://arxiv.org/abs/{}", "http://arxiv.org/pdf/{}.pdf",
        "arxiv.org/abs/{}", "https://www.arxiv.org/html/{}", "https://export.arxiv.org/abs/{}/",
        "https://arxiv.org/abs/{}?context=cs", "https://arxiv.org/abs/{}#section",
    ]))
    pad = draw(st.sampled_from(["", " ", "\t", "\n"]))
    return pad + form.format(ident + version) + pad, ident


@given(id_spellings())
def test_id_spellings_normalize_idempotently(spelling: tuple[str, str]) -> None:
    text, canonical = spelling
    parsed = ids.parse_arxiv_id(text)
    assert parsed.id == canonical
    assert ids.parse_arxiv_id(parsed.id).id == parsed.id
    assert ids.parse_arxiv_id(parsed.versioned) == parsed
    assert ids.parse_arxiv_id(ids.abs_url(parsed.id)).id == parsed.id
    assert ids.arxiv_id_from_url(ids.abs_url(parsed.id)) == parsed.id
    assert ids.is_arxiv_id(parsed.id)


@given(arxiv_ids)
def test_key_and_id_invert_each_other(ident: str) -> None:
    key = ids.key_for_id(ident)
    assert ids.is_safe_key(key)
    assert ids.id_for_key(key) == ident
    assert "/" not in key


@given(SAFE_KEY)
def test_any_key_naming_an_id_comes_back_from_it(key: str) -> None:
    ident = ids.id_for_key(key)
    assert ident is None or ids.key_for_id(ident) == key


@given(st.text(max_size=400) | st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
def test_parse_arxiv_id_raises_only_invalid_id(text: str) -> None:
    try:
        parsed = ids.parse_arxiv_id(text)
    except InvalidId as exc:
        assert "\n" not in str(exc).replace(repr(text), "")
        return
    assert ids.is_arxiv_id(parsed.id)
    assert ids.is_safe_key(ids.key_for_id(parsed.id))


# Text shaped like the ids and paths an attacker would try, mixed with noise.
PATHISH = st.lists(
    st.sampled_from(["..", ".", "/", "\\", "\x00", "etc", "passwd", "~", "-", "_", "a", "2201",
                     ".02177", "C:", "%2e%2e", "\u2025", "\uff0e", " "]),
    max_size=8,
).map("".join) | st.text(max_size=30)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=PATHISH, section=PATHISH, arxiv=st.none() | PATHISH, title=NONEMPTY)
def test_paper_paths_stay_inside_the_catalog(tmp_path: Path, key: str, section: str,
                                             arxiv: str | None, title: str) -> None:
    paper = Paper(title=title, year=2020, section=section, arxiv=arxiv, key=key)
    try:
        path = catalog.paper_path(tmp_path, paper)
    except CatalogError:
        return
    root = tmp_path.resolve()
    assert path.resolve().parent.parent == root
    assert ids.is_safe_key(path.stem) and ids.is_safe_key(path.parent.name)


@given(st.text(max_size=200))
def test_keys_made_from_any_title_are_safe(title: str) -> None:
    paper = Paper(title=title or "x", year=2020, section="others")
    assert ids.is_safe_key(catalog.paper_key(paper))
    assert ids.is_safe_key(ids.slugify(title))


# --- the markdown importer ------------------------------------------------------------

# Fragments of the list's layout, so that random pages reach deep into the parser.
MD_PIECES = [
    "# ", "## ", "### ", "#### ", "- ", "* ", "  - ", "    - ", "Empirical Study", ": 2020",
    ": 20", "Others", "Key Word: ", "; ", ", ", ". ", "[[paper]](", "[[code]](", "https://",
    "arxiv.org/abs/2201.02177", "v2", ")", "(", "]", "[", "\\",
    "<details><summary>Digest</summary>", "<details><summary>Author List</summary>",
    "</details>", "<img src=\"a.png\"/>", "![avatar](",
    "[Others](#others)", "<", ">", "&amp;", "`", "*", "\ufeff", "\t", " ", "\n", "\n\n", "\r\n",
    "\u2028", "\x00", "é", "..", "/",
]
markdown_pages = st.lists(st.sampled_from(MD_PIECES) | st.text(max_size=8), max_size=80).map(
    "".join) | st.text(max_size=300)


@settings(max_examples=300, deadline=None)
@given(markdown_pages)
def test_markdown_importer_raises_only_deepphen_errors(text: str) -> None:
    from deepphen.importer import parse_list

    try:
        result = parse_list(text, source="page.md")
    except DeepphenError:
        return
    for paper in result.papers:
        assert ids.is_safe_key(paper.key) and ids.is_safe_key(paper.section)
    assert all(problem.line >= 0 for problem in result.problems)


# Printable characters that do not end a line (str.splitlines also breaks at \v and \f).
ONE_LINE_CHARS = [c for c in string.printable if c not in "\n\r\x0b\x0c"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(ONE_LINE_CHARS), max_size=40).map("".join))
def test_markdown_importer_reads_any_entry_line(line: str) -> None:
    """One arbitrary entry line in a valid frame: at most one paper, placed where it stands."""
    from deepphen.importer import parse_list

    page = f"# L\n\n## Others\n\n### Others: 2020\n\n- {line}\n  - A. Author.\n"
    result = parse_list(page, source="page.md")
    assert len(result.papers) <= 1
    for paper in result.papers:
        assert (paper.section, paper.year) == ("others", 2020)
        assert ids.is_safe_key(paper.key)


def test_no_property_test_runs_against_a_clock() -> None:
    """A hypothesis deadline is a timed assertion: a loaded machine fails it for no defect.
    The profiles (tests/conftest.py) set none, CI's replays its examples, and no test sets one."""
    import re

    assert settings.default.deadline is None
    assert settings.get_profile("ci").deadline is None
    assert settings.get_profile("ci").derandomize
    timed = [f"{path.name}:{n}" for path in Path(__file__).parent.glob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bdeadline=(?!None)", line) and "settings(" in line]
    assert timed == []
