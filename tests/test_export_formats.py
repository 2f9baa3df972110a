"""The json, bibtex and csv exports: golden files, parsers, hostile inputs, filters.

Regenerate the golden files after an intended change with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export_formats.py`` and review the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import re
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc import latex2text

from deepphen.export import FORMATS, exporter, page_order
from deepphen.export import bibtex as bib
from deepphen.export import csv as csv_export
from deepphen.export import json as json_export
from deepphen.models import Link, Paper
from deepphen.printable import strip_controls
from tests.helpers import ci_commands, make_catalog, sample_papers, sample_settings

GOLDEN = Path(__file__).parent / "golden" / "export"
DOCS = Path(__file__).resolve().parents[1] / "docs"
GOLDEN_FILES = {"json": "sample.json", "bibtex": "sample.bib", "csv": "sample.csv"}


def edge_papers() -> list[Paper]:
    """Papers that exercise every field and the awkward cases of each format."""
    return [
        Paper(
            title='On the "Edge" of {Stability}: 100% $\\eta$ & #1_x ~ ^ in ReLU and PAC-Bayes',
            year=2023, section="others",
            authors=["Zoë Müller-Łukasiewicz", "Jean, Jr. Dupont", "Ada and Bob Lab", "et al."],
            authors_collapsed=True, venue="TMLR 2023", published=dt.date(2023, 3, 14),
            arxiv="2303.07001", doi="10.1000/xyz_{1}", category="cs.LG",
            keywords=["Edge of Stability", "Sharpness"],
            links=[Link("paper", "https://arxiv.org/abs/2303.07001"),
                   Link("code", "https://github.com/o/r?a=1&b=100%25")],
            digest='Line one, with a comma\nand "quotes" on line two.',
            ignore={"venue-year": "workshop year differs"},
            extra={"reviewed": dt.date(2024, 1, 2)},
        ),
        Paper(
            title="=HYPERLINK(\"http://evil.example\",\"click\")",
            year=2021, section="empirical-study", authors=["@attacker", "+Plus Sign"],
            venue="Some Unheard-of Venue", keywords=["-negative"],
            links=[Link("paper", "https://example.org/p")],
        ),
        Paper(
            title="Lottery Tickets at Scale", year=2019, section="others",
            authors=["Jonathan Frankle", "Gintare Karolina Dziugaite"], arxiv="1903.01611",
            keywords=["Lottery Ticket Hypothesis"],
        ),
    ]


def all_papers() -> list[Paper]:
    return sample_papers() + edge_papers()


@pytest.fixture
def full_catalog(tmp_path: Path) -> Path:
    return make_catalog(tmp_path / "catalog", all_papers())


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.is_file(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_export_matches_golden(fmt: str, full_catalog: Path, run_cli) -> None:
    result = run_cli("export", "--format", fmt, "--catalog", full_catalog)
    check_golden(GOLDEN_FILES[fmt], result.stdout_bytes)


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_same_papers_any_order_same_bytes(fmt: str) -> None:
    papers = all_papers()
    for i, paper in enumerate(papers):
        paper.key = f"k{i}"
    shuffled = list(papers)
    random.Random(7).shuffle(shuffled)
    render = exporter(fmt)
    assert render(papers, sample_settings()) == render(shuffled, sample_settings())


def test_page_order_follows_sections_then_newest_first() -> None:
    ordered = page_order(all_papers(), sample_settings())
    assert [(p.section, p.year) for p in ordered] == [
        ("empirical-study", 2025), ("empirical-study", 2024), ("empirical-study", 2021),
        ("neural-collapse", 2020), ("emergence-and-phase-transitions", 2022),
        ("others", 2023), ("others", 2019), ("others", 2018),
    ]


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_output_file_written_atomically(fmt: str, full_catalog: Path, run_cli,
                                        tmp_path: Path) -> None:
    target = tmp_path / "out" / f"all.{fmt}"
    target.parent.mkdir()
    result = run_cli("export", "-f", fmt, "-o", target, "--catalog", full_catalog)
    assert result.stdout == ""
    assert target.read_bytes() == (GOLDEN / GOLDEN_FILES[fmt]).read_bytes()
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
def test_output_dash_is_stdout(fmt: str, full_catalog: Path, run_cli, tmp_path: Path) -> None:
    """`-o -` is stdout, as for curl, sort and most tools; it wrote a file named "-" (one
    still can be written by its full path)."""
    result = run_cli("export", "-f", fmt, "-o", "-", "--catalog", full_catalog)
    assert result.stdout and result.stdout == run_cli("export", "-f", fmt, "--catalog",
                                                      full_catalog).stdout
    assert not (tmp_path / "-").exists()  # the working folder
    run_cli("export", "-f", fmt, "-o", tmp_path / "-", "--catalog", full_catalog)
    assert (tmp_path / "-").read_bytes() == (GOLDEN / GOLDEN_FILES[fmt]).read_bytes()


# --- filters and query apply to every format -------------------------------------------------

def _exported_titles(fmt: str, text: str) -> list[str]:
    if fmt == "json":
        return [p["title"] for p in json.loads(text)["papers"]]
    if fmt == "csv":
        return [row["title"] for row in csv.DictReader(io.StringIO(text))]
    return [_decode(e.fields_dict["title"].value) for e in bibtexparser.parse_string(text).entries]


@pytest.mark.parametrize("fmt", sorted(GOLDEN_FILES))
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--section", "Neural Collapse"], ["Prevalence of Neural Collapse"]),
        (["--keyword", "lottery-ticket hypothesis"], ["Lottery Tickets at Scale",
                                                      "The Lottery Ticket Hypothesis"]),
        (["--since", "2023", "--until", "2024-12"], ["AI models collapse", "On the"]),
        (["--author", "Frankle", "--year", "2018"], ["The Lottery Ticket Hypothesis"]),
        (["--venue", "pnas"], ["Prevalence of Neural Collapse"]),
    ],
)
def test_filters_apply_to_every_format(fmt: str, options: list[str], expected: list[str],
                                       full_catalog: Path, run_cli) -> None:
    result = run_cli("export", "--format", fmt, "--catalog", full_catalog, *options)
    titles = _exported_titles(fmt, result.stdout)
    assert len(titles) == len(expected)
    for title, prefix in zip(titles, expected, strict=True):
        assert title.startswith(prefix)


def test_query_applies_to_export(full_catalog: Path, run_cli) -> None:
    pytest.importorskip("deepphen.search")
    result = run_cli("export", "grokking", "--format", "json", "--catalog", full_catalog)
    titles = _exported_titles("json", result.stdout)
    assert titles and all("Grokking" in t for t in titles)


def test_nothing_matched_exits_1_with_empty_document(full_catalog: Path, run_cli) -> None:
    result = run_cli("export", "-f", "json", "--year", "1999", "--catalog", full_catalog,
                     exit_code=1)
    assert json.loads(result.stdout) == {"papers": []}
    assert "no paper matches" in result.stderr


def test_unknown_format_is_a_usage_error(full_catalog: Path, run_cli) -> None:
    result = run_cli("export", "-f", "yaml", "--catalog", full_catalog, exit_code=2)
    assert "unknown format 'yaml'" in result.stderr
    assert set(GOLDEN_FILES) <= set(FORMATS)


# --- json ------------------------------------------------------------------------------------

def test_json_has_every_field_in_stable_order(full_catalog: Path, run_cli) -> None:
    data = json.loads(run_cli("export", "-f", "json", "--catalog", full_catalog).stdout)
    assert list(data) == ["papers"]
    records = data["papers"]
    assert len(records) == len(all_papers())
    for record in records:
        assert tuple(record) == json_export.PAPER_KEYS
    edge = next(r for r in records if r["arxiv"] == "2303.07001")
    assert edge["key"] == "2303.07001"
    assert edge["published"] == "2023-03-14"
    assert edge["section_heading"] == "Others"
    assert edge["authors_collapsed"] is True
    assert edge["paper_url"] == "https://arxiv.org/abs/2303.07001"
    assert edge["code_url"] == "https://github.com/o/r?a=1&b=100%25"
    assert edge["links"][1] == {"label": "code", "url": "https://github.com/o/r?a=1&b=100%25"}
    assert edge["ignore"] == {"venue-year": "workshop year differs"}
    assert edge["extra"] == {"reviewed": "2024-01-02"}
    assert edge["digest"] == 'Line one, with a comma\nand "quotes" on line two.'
    bare = next(r for r in records if r["title"].startswith("=HYPERLINK"))
    assert (bare["arxiv"], bare["published"], bare["doi"], bare["code_url"]) == (None,) * 4


def test_json_schema_doc_lists_every_field_in_order() -> None:
    doc = (DOCS / "json-schema.md").read_text(encoding="utf-8")
    papers, search = doc.split("## Search results", 1)
    search, stats = search.split("## Stats", 1)
    stats = stats.split("## Discover candidates", 1)[0]  # its own shape (test_discover.py)
    documented = re.findall(r"^\| `([a-z_]+)` \|", papers, flags=re.MULTILINE)
    assert tuple(documented) == json_export.PAPER_KEYS
    added = re.findall(r"^\| `([a-z_]+)` \|", search, flags=re.MULTILINE)
    assert tuple(added) == ("score", "matched")  # search adds (export.json.hit_record)
    from deepphen.stats import compute_stats

    counted = re.findall(r"^\| `([a-z_]+)` \|", stats, flags=re.MULTILINE)
    assert tuple(counted) == tuple(compute_stats(all_papers(), sample_settings()))


def test_json_keeps_non_ascii_readable() -> None:
    text = exporter("json")(all_papers(), sample_settings())
    assert "Viégas" in text and "\\u00e9" not in text
    assert text.endswith("}\n")


# --- bibtex ----------------------------------------------------------------------------------

_L2T_DB = latex2text.get_default_latex_context_db()
_L2T_DB.add_context_category(
    "deepphen-escapes", prepend=True,
    macros=[latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in [
        ("textbraceleft", "{"), ("textbraceright", "}"), ("textbackslash", "\\"),
        ("textasciitilde", "~"), ("textasciicircum", "^")]],
)
_L2T = latex2text.LatexNodes2Text(latex_context=_L2T_DB, math_mode="verbatim")


def _decode(value: str) -> str:
    """What LaTeX would print for a field value (braces that only protect case vanish)."""
    return _L2T.latex_to_text(value)


def _parse(text: str) -> dict[str, bibtexparser.model.Entry]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {entry.key: entry for entry in library.entries}


def _fields(entry: bibtexparser.model.Entry) -> dict[str, str]:
    return {f.key: f.value for f in entry.fields}


def _balanced(value: str) -> bool:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_a_key_word_holding_a_comma_stays_one_key_word() -> None:
    """biblatex splits ``keywords`` at commas: "Scaling, Data" became two key words."""
    paper = Paper(title="A Title", year=2024, section="others", authors=["Ann Example"],
                  keywords=["Scaling, Data", "Grokking"])
    (entry,) = _parse(exporter("bibtex")([paper], sample_settings())).values()
    value = _fields(entry)["keywords"]
    assert value == "{Scaling, Data}, Grokking"  # braces hold a comma in a biblatex list


def test_bibtex_entries_and_every_field() -> None:
    entries = _parse(exporter("bibtex")(all_papers(), sample_settings()))
    assert sorted(entries) == [
        "attacker2021hyperlink", "frankle2019lottery", "frankle2019lotteryb", "li2025bad",
        "mullerlukasiewicz2023edge", "papyan2020prevalence", "power2022grokking",
        "shumailov2024ai",
    ]

    grok = entries["power2022grokking"]
    assert grok.entry_type == "inproceedings"
    assert _fields(grok) == {
        "author": "Alethea Power and Yuri Burda and Harri Edwards and Igor Babuschkin and "
                  "Vedant Misra",
        "title": "Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
        "booktitle": "ICLR 2022 Workshop",
        "year": "2022",
        "eprint": "2201.02177",
        "archivePrefix": "arXiv",
        "url": "https://arxiv.org/abs/2201.02177",
        "keywords": "Grokking",
    }

    nature = entries["shumailov2024ai"]
    assert nature.entry_type == "article"
    assert _fields(nature) == {
        "author": "Ilia Shumailov and Zakhar Shumaylov",
        "title": "{AI} models collapse when trained on recursively generated data",
        "journal": "Nature", "year": "2024",
        "url": "https://www.nature.com/articles/s41586-024-07566-y",
        "keywords": "Model Collapse",
    }

    preprint = entries["li2025bad"]
    assert preprint.entry_type == "misc"
    assert _fields(preprint)["author"] == "Kenneth Li and Yida Chen and Fernanda Viégas and " \
                                         "Martin Wattenberg"
    assert "journal" not in _fields(preprint) and "booktitle" not in _fields(preprint)

    edge = _fields(entries["mullerlukasiewicz2023edge"])
    assert entries["mullerlukasiewicz2023edge"].entry_type == "article"
    assert edge["journal"] == "TMLR"
    assert edge["year"] == "2023"
    assert (edge["eprint"], edge["archivePrefix"], edge["primaryClass"]) == (
        "2303.07001", "arXiv", "cs.LG")
    assert edge["doi"] == "10.1000/xyz_%7B1%7D"
    assert edge["author"] == ("Zoë Müller-Łukasiewicz and {Jean, Jr. Dupont} and "
                              "{Ada and Bob Lab} and others")
    assert _decode(edge["title"]) == ('On the "Edge" of {Stability}: 100% $\\eta$ & #1_x ~ ^ '
                                      "in ReLU and PAC-Bayes")
    assert "{ReLU}" in edge["title"] and "{PAC-Bayes}" in edge["title"]
    assert edge["keywords"] == "Edge of Stability, Sharpness"

    unknown = entries["attacker2021hyperlink"]
    assert unknown.entry_type == "misc"
    assert _fields(unknown)["howpublished"] == "Some Unheard-of Venue"
    assert _fields(unknown)["url"] == "https://example.org/p"

    # Same surname, year and word: suffixes in submission order, oldest first.
    assert _fields(entries["frankle2019lottery"])["eprint"] == "1803.03635"
    assert _fields(entries["frankle2019lotteryb"])["eprint"] == "1903.01611"


@pytest.mark.parametrize(
    ("venue", "kind", "field", "value"),
    [
        ("ICLR 2023", "inproceedings", "booktitle", "ICLR 2023"),
        ("NeurIPS 2022 Workshop", "inproceedings", "booktitle", "NeurIPS 2022 Workshop"),
        ("ICML 2024 Workshop on Science of Deep Learning", "inproceedings", "booktitle",
         "ICML 2024 Workshop on Science of Deep Learning"),
        ("Proceedings of the IEEE", "article", "journal", "Proceedings of the IEEE"),
        ("Nature Machine Intelligence", "article", "journal", "Nature Machine Intelligence"),
        ("JMLR 2021", "article", "journal", "JMLR"),
        ("Journal of Statistical Physics", "article", "journal", "Journal of Statistical Physics"),
        ("PhD Thesis", "misc", "howpublished", "PhD Thesis"),
        (None, "misc", None, None),
    ],
)
def test_bibtex_entry_type_from_venue(venue, kind, field, value) -> None:
    paper = Paper(title="T", year=2020, section="others", venue=venue)
    assert bib.entry_type(paper) == (kind, field, value)


def test_bibtex_journal_ref_stands_in_for_a_missing_venue() -> None:
    paper = Paper(title="T", year=2020, section="others", extra={"journal_ref": "PNAS 117 (2020)"})
    assert bib.entry_type(paper)[:2] == ("article", "journal")


@pytest.mark.parametrize(
    ("authors", "title", "year", "venue", "key"),
    [
        (["Alethea Power"], "Grokking: Generalization", 2022, None, "power2022grokking"),
        (["Fernanda Viégas"], "When Bad Data Leads", 2025, None, "viegas2025bad"),
        (["Martin Luther King Jr."], "The Dream", 2020, None, "king2020dream"),
        (["张伟"], "A Study of Things", 2021, None, "anon2021study"),
        ([], "On the Origin", 2019, "ICLR 2020", "anon2020origin"),
        (["Ann Lee"], "The Of And", 2019, None, "lee2019"),
        (["Ann Lee"], "Don't Panic: =HYPERLINK(\"x\")", 2019, None, "lee2019dont"),
        (["et al."], "The Study", 2023, None, "anon2023study"),  # not "al2023study"
        (["Ann Lee", "et al."], "The Study", 2023, None, "lee2023study"),
    ],
)
def test_bibtex_base_keys(authors, title, year, venue, key) -> None:
    paper = Paper(title=title, year=year, section="others", authors=authors, venue=venue)
    assert bib.base_key(paper) == key


def test_bibtex_keys_unique_even_when_a_suffix_collides() -> None:
    papers = [Paper(title="B cells", year=2020, section="others", authors=["Ann Smith"])]
    papers += [Paper(title="Beta", year=2020, section="others", authors=["Ann Smith"],
                     arxiv=f"2001.0000{i}") for i in range(1, 4)]
    papers += [Paper(title="Balls", year=2020, section="others", authors=["Ann Smith"],
                     arxiv=f"2002.{i:05d}") for i in range(1, 30)]
    keys = bib.citation_keys(papers)
    assert len(set(keys.values())) == len(papers)
    assert keys[id(papers[0])] == "smith2020b"
    # The oldest of a group keeps the base key; "a" is never used (it reads as the first).
    assert [keys[id(p)] for p in papers[1:4]] == ["smith2020beta", "smith2020betab",
                                                   "smith2020betac"]
    assert keys[id(papers[-1])] == "smith2020ballsac"


_TITLE_ALPHABET = st.sampled_from(
    list("abcXYZé Ł09 .,:;!?()[]<>|=+*/@\"") + list("\\{}&%$#_~^") + ["\n", "\t", "ü", "漢"])


@settings(max_examples=200, deadline=None)
@given(title=st.text(_TITLE_ALPHABET, min_size=1, max_size=60))
def test_bibtex_title_round_trips_through_latex(title: str) -> None:
    value = bib.title_value(title)
    assert _balanced(value)
    assert _decode(value) == " ".join(title.split())


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1, max_size=80),
    authors=st.lists(st.text(max_size=30), max_size=4),
    venue=st.none() | st.text(max_size=30),
    digest=st.none() | st.text(max_size=80),
    url=st.text(max_size=40),
    doi=st.none() | st.text(max_size=30),
)
def test_bibtex_hostile_fields_never_break_the_entry(title, authors, venue, digest, url,
                                                    doi) -> None:
    papers = [
        Paper(title=title, year=2020, section="others", authors=authors, venue=venue,
              digest=digest, doi=doi, links=[Link("paper", url)] if url else [],
              keywords=[title[:10]] if title.strip() else []),
        Paper(title="Plain", year=2021, section="others", authors=["A B"]),
    ]
    text = exporter("bibtex")(papers, sample_settings())
    entries = _parse(text)
    assert len(entries) == 2
    for entry in entries.values():
        assert re.fullmatch(r"[a-z0-9]+", entry.key)
        for name, value in _fields(entry).items():
            assert _balanced(value), (name, value)
            assert "\n" not in value
    assert text.encode("utf-8").decode("utf-8") == text


# --- csv -------------------------------------------------------------------------------------

def test_csv_is_rfc4180_with_header_and_one_row_per_paper() -> None:
    text = exporter("csv")(all_papers(), sample_settings())
    assert not text.startswith("\ufeff")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == csv_export.HEADER
    assert len(rows) == 1 + len(all_papers())
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    edge = next(r for r in records if r["arxiv"] == "2303.07001")
    assert edge == {
        "key": "", "title": edge["title"], "authors": "Zoë Müller-Łukasiewicz; Jean, Jr. Dupont; "
        "Ada and Bob Lab; et al.", "year": "2023", "published": "2023-03-14",
        "venue": "TMLR 2023", "section": "others", "section_heading": "Others",
        "arxiv": "2303.07001", "doi": "10.1000/xyz_{1}", "category": "cs.LG",
        "keywords": "Edge of Stability; Sharpness",
        "paper_url": "https://arxiv.org/abs/2303.07001",
        "code_url": "https://github.com/o/r?a=1&b=100%25",
        "links": "paper: https://arxiv.org/abs/2303.07001; "
                 "code: https://github.com/o/r?a=1&b=100%25",
        "digest": 'Line one, with a comma\nand "quotes" on line two.',
    }
    assert edge["title"] == all_papers()[5].title


def test_csv_neutralizes_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(exporter("csv")(edge_papers(), sample_settings()))))
    evil = next(r for r in rows if "HYPERLINK" in r["title"])
    assert evil["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    # A list cell's items are quoted instead: no formula, and the items read back exactly.
    assert evil["authors"] == '"@attacker"; "+Plus Sign"'
    assert evil["keywords"] == '"-negative"'
    assert csv_export.split_list(evil["authors"]) == ["@attacker", "+Plus Sign"]
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_export.safe_cell(text) == "'" + text
    assert csv_export.safe_cell("1-1") == "1-1"
    assert csv_export.safe_cell(2020) == "2020"


@settings(max_examples=200, deadline=None)
@given(title=st.text(min_size=1, max_size=60), digest=st.none() | st.text(max_size=60))
def test_csv_cells_round_trip(title: str, digest: str | None) -> None:
    paper = Paper(title=title, year=2020, section="others", digest=digest)
    text = exporter("csv")([paper], sample_settings())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 1
    assert rows[0]["title"] == csv_export.safe_cell(title)
    assert rows[0]["digest"] == csv_export.safe_cell(digest)


_ITEM = st.text(st.sampled_from([*'ab ;"\'=+-@,\n\r\t\x1b\u202e', "é", "漢"]),
               max_size=12)


@settings(max_examples=300, deadline=None)
@given(authors=st.lists(_ITEM, max_size=5), keywords=st.lists(_ITEM, max_size=4),
       labels=st.lists(_ITEM, max_size=3))
def test_csv_list_cells_round_trip(authors: list[str], keywords: list[str],
                                   labels: list[str]) -> None:
    """Items were joined with '; ' as they were: "Smith; Jones" read back as two authors."""
    links = [Link(label, f"https://example.org/{i};x") for i, label in enumerate(labels)]
    paper = Paper(title="T", year=2020, section="others", authors=authors, keywords=keywords,
                  links=links)
    text = exporter("csv")([paper], sample_settings())
    (row,) = csv.DictReader(io.StringIO(text, newline=""))

    def kept(items: list[str]) -> list[str]:
        return [strip_controls(i, keep="\n\r\t") for i in items]

    assert csv_export.split_list(row["authors"]) == kept(authors)
    assert csv_export.split_list(row["keywords"]) == kept(keywords)
    assert csv_export.split_list(row["links"]) == kept([f"{x.label}: {x.url}" for x in links])
    for column in ("authors", "keywords", "links"):
        assert not row[column].startswith(("'", "=", "+", "-", "@", "\t", "\r"))


def test_csv_list_items_holding_the_separator_are_quoted() -> None:
    paper = Paper(title="T", year=2020, section="others",
                  authors=["Ann Smith; Bo Li", "Cy Doe"], keywords=["A;B", "Say \"hi\"", "C"])
    (row,) = csv.DictReader(io.StringIO(exporter("csv")([paper], sample_settings()),
                                        newline=""))
    assert row["authors"] == '"Ann Smith; Bo Li"; Cy Doe'
    assert row["keywords"] == '"A;B"; "Say ""hi"""; C'
    assert csv_export.split_list(row["authors"]) == ["Ann Smith; Bo Li", "Cy Doe"]
    assert csv_export.split_list("") == []


def test_a_csv_file_holds_the_catalogs_text_and_stdout_opens_no_ci_command(
        tmp_path: Path, run_cli) -> None:
    """'::' at a cell line's start and '##[' anywhere were written '\\x3a:' and '\\x23#[' into
    the file asked for with -o too: a CSV reader (a spreadsheet) got other text than the
    catalog holds. Standard output, which a CI log may show, still opens no command, and
    only where a line of the output starts (a title in the second column does not)."""
    title = "::set-output name=x::Grokking C##[x]"
    digest = "Line one.\n::error::not a command\r\n  ::add-mask::x ##vso[task]"
    root = make_catalog(tmp_path / "catalog", [Paper(
        title=title, year=2022, section="others", authors=["A B"], keywords=["Grokking"],
        digest=digest)])
    out = tmp_path / "papers.csv"
    run_cli("export", "-f", "csv", "--catalog", root, "-o", out)
    written = out.read_bytes().decode("utf-8")
    (row,) = csv.DictReader(io.StringIO(written, newline=""))
    assert (row["title"], row["digest"]) == (title, digest)
    assert ci_commands(written)  # a file is data, not a log
    piped = run_cli("export", "-f", "csv", "--catalog", root).stdout_bytes.decode("utf-8")
    assert ci_commands(piped) == []
    (row,) = csv.DictReader(io.StringIO(piped, newline=""))
    assert row["title"] == "::set-output name=x::Grokking C\\x23#[x]"
    assert row["digest"] == ("Line one.\n\\x3a:error::not a command\r\n  \\x3a:add-mask::x "
                             "\\x23#vso[task]")


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"csv"}))
def test_other_formats_write_stdout_and_a_file_alike(fmt: str, full_catalog: Path, run_cli,
                                                     tmp_path: Path) -> None:
    """Only CSV lacks escapes of its own for a CI command's opening: any other format's
    text is the same on standard output and in a file."""
    out = tmp_path / f"out.{fmt}"
    run_cli("export", "-f", fmt, "-o", out)
    assert run_cli("export", "-f", fmt).stdout == out.read_text(encoding="utf-8")


@pytest.mark.parametrize("marker", ["et al.", "et al", "Et Al.", "others", "...", "…"])
def test_a_list_that_ends_in_et_al_is_cut_and_a_collapsed_one_is_complete(marker: str) -> None:
    """authors_collapsed only moves the names into the page's Author List block; a list is
    incomplete when (and only when) it says so with a final "et al." item."""
    collapsed = Paper(title="Framework", year=2019, section="others", authors_collapsed=True,
                      authors=["Ann Smith", "Bo Li", "Denis Therien"])
    cut = Paper(title="Cut", year=2019, section="others", authors=["Ann Smith", marker])
    authors = {p.title: bib.author_value(p) for p in (collapsed, cut)}
    assert authors == {"Framework": "Ann Smith and Bo Li and Denis Therien",
                   "Cut": "Ann Smith and others"}
    rows = list(csv.DictReader(io.StringIO(exporter("csv")([collapsed, cut], sample_settings()))))
    assert [r["authors"] for r in rows] == ["Ann Smith; Bo Li; Denis Therien",
                                            f"Ann Smith; {marker}"]


@pytest.mark.parametrize(("doi", "written"), [
    ("https://doi.org/10.1038/nature14539", "10.1038/nature14539"),
    ("DOI: 10.1038/nature14539", "10.1038/nature14539"),
    ("10.1038/nature14539", "10.1038/nature14539"),
    ("not a doi", "not%20a%20doi"),  # kept (percent-encoded as verbatim fields are)
])
def test_bibtex_doi_is_the_bare_doi(doi: str, written: str) -> None:
    """biblatex links https://doi.org/ + doi: a stored link was linked twice."""
    paper = Paper(title="T", year=2020, section="others", authors=["A B"], doi=doi)
    (entry,) = _parse(exporter("bibtex")([paper], sample_settings())).values()
    assert _fields(entry)["doi"] == written
