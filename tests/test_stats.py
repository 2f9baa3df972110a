"""``deepphen stats``: the numbers (core) and their three renderings (CLI)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deepphen.cli.stats import bar
from deepphen.models import Link, Paper
from deepphen.stats import compute_stats, year_labels
from tests.helpers import make_catalog, sample_papers, sample_settings


def test_counts_of_the_sample_catalog() -> None:
    stats = compute_stats(sample_papers(), sample_settings())
    assert stats["papers"] == 5
    assert stats["sections"] == [
        {"section": "empirical-study", "heading": "Empirical Study", "papers": 2},
        {"section": "neural-collapse", "heading": "Neural Collapse", "papers": 1},
        {"section": "emergence-and-phase-transitions",
         "heading": "Emergence and Phase Transitions", "papers": 1},
        {"section": "others", "heading": "Others", "papers": 1},
    ]
    # Every year from the oldest to the newest, empty years included, so charts show gaps.
    assert stats["years"] == [{"year": y, "papers": n} for y, n in [
        (2018, 1), (2019, 0), (2020, 1), (2021, 0), (2022, 1), (2023, 0), (2024, 1), (2025, 1)]]
    assert stats["code"] == {"with_code": 1, "without_code": 4}
    assert stats["arxiv"] == {"with_arxiv": 4, "without_arxiv": 1}
    assert stats["venues"] == [
        {"venue": "ICLR", "papers": 1}, {"venue": "ICLR Workshop", "papers": 1},
        {"venue": "Nature", "papers": 1}, {"venue": "PNAS", "papers": 1},
    ]
    assert stats["distinct_venues"] == 4
    assert stats["without_venue"] == 1
    assert stats["distinct_keywords"] == 7
    assert stats["keywords"][0] == {"keyword": "Detoxification", "papers": 1}


def test_keyword_variants_count_once_under_the_common_spelling() -> None:
    def paper(*keywords: str) -> Paper:
        return Paper(title="T", year=2020, section="others", keywords=list(keywords))

    papers = [paper("Large Language Models"), paper("Large Language Model"),
              paper("large-language model", "Large Language Models"), paper("Grokking")]
    stats = compute_stats(papers, sample_settings())
    assert stats["keywords"] == [
        {"keyword": "Large Language Models", "papers": 3},
        {"keyword": "Grokking", "papers": 1},
    ]
    assert stats["distinct_keywords"] == 2


def test_top_limits_keywords_and_venues_ties_alphabetical() -> None:
    papers = [Paper(title="T", year=2020, section="others", venue=f"V{i % 3} 2020",
                    keywords=[f"K{i % 4}"]) for i in range(12)]
    stats = compute_stats(papers, sample_settings(), top=2)
    assert [k["keyword"] for k in stats["keywords"]] == ["K0", "K1"]
    assert [v["venue"] for v in stats["venues"]] == ["V0", "V1"]
    assert (stats["distinct_keywords"], stats["distinct_venues"]) == (4, 3)
    assert len(compute_stats(papers, sample_settings(), top=None)["keywords"]) == 4


def test_venues_written_differently_count_as_one() -> None:
    """"neurips 2021", "NeurIPS-2022" and "NeurIPS, 2023" were three venues ("neurips",
    "NeurIPS-", "NeurIPS,"); they count under the spelling most papers use."""
    venues = ["neurips 2021", "NeurIPS-2022", "NeurIPS, 2023", "NeurIPS 2020", "ICLR 2022",
              "ICLR Workshop 2022", "Nature"]
    papers = [Paper(title=f"Paper {i}", year=2022, section="others", authors=["A B"], venue=v)
              for i, v in enumerate(venues)]
    stats = compute_stats(papers, sample_settings())
    assert stats["venues"] == [{"venue": "NeurIPS", "papers": 4},
                               {"venue": "ICLR", "papers": 1},
                               {"venue": "ICLR Workshop", "papers": 1},
                               {"venue": "Nature", "papers": 1}]
    assert stats["distinct_venues"] == 4


def test_unknown_section_listed_after_known_ones_and_empty_input() -> None:
    papers = [Paper(title="T", year=2020, section="zz-gone"),
              Paper(title="U", year=2020, section="others",
                    links=[Link("code", "https://github.com/o/r")])]
    stats = compute_stats(papers, sample_settings())
    assert stats["sections"][-1] == {"section": "zz-gone", "heading": None, "papers": 1}
    assert stats["sections"][0]["papers"] == 0
    assert stats["code"] == {"with_code": 1, "without_code": 1}
    empty = compute_stats([], sample_settings())
    assert (empty["papers"], empty["years"], empty["keywords"]) == (0, [], [])


def test_bar_scales_to_the_largest() -> None:
    assert bar(10, 10, width=4) == "████"
    assert bar(5, 10, width=4) == "██"
    assert bar(1, 16, width=2) == "▏"  # small but non-zero counts stay visible
    assert bar(0, 10) == "" and bar(3, 0) == ""


# --- CLI -------------------------------------------------------------------------------------

def test_json_output_is_the_core_dict(catalog_dir: Path, run_cli) -> None:
    data = json.loads(run_cli("stats", "--format", "json").stdout)
    from deepphen.catalog import Catalog

    cat = Catalog.load(catalog_dir)
    assert data == compute_stats(cat.papers, cat.settings)


def test_plain_text_when_piped(catalog_dir: Path, run_cli) -> None:
    out = run_cli("stats").stdout
    assert out.startswith("# 5 papers; 1 with a code link, 4 without; 4 on arXiv, 1 not\n")
    assert "\n# Papers per section\nEmpirical Study\t2\nNeural Collapse\t1\n" in out
    assert "\n# Papers per year\n2018\t1\n2019\t0\n" in out
    assert "\n# Top venues (of 4)\nICLR\t1\n" in out
    assert "(no venue)\t1" in out
    assert "█" not in out


def test_no_empty_venue_row_when_every_paper_has_a_venue(catalog_dir: Path, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """"(no venue) 0" was listed when every selected paper had a venue: a row of nothing,
    which JSON has no row for either (its ``without_venue`` count stays, as every count)."""
    out = run_cli("stats", "--section", "neural-collapse").stdout
    assert out.endswith("\n# Top venues (of 1)\nPNAS\t1\n") and "(no venue)" not in out
    data = json.loads(run_cli("stats", "--section", "neural-collapse", "-f", "json").stdout)
    assert data["venues"] == [{"venue": "PNAS", "papers": 1}] and data["without_venue"] == 0
    # a selection without venues says so in its one row
    out = run_cli("stats", "--section", "empirical", "--since", "2025").stdout
    assert out.endswith("\n# Top venues (of 0)\n(no venue)\t1\n")
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    from deepphen.cli.output import console

    console.cache_clear()
    try:
        charts = run_cli("stats", "--section", "neural-collapse").stdout
    finally:
        console.cache_clear()
    assert "PNAS" in charts and "(no venue)" not in charts


def test_charts_on_a_terminal(catalog_dir: Path, run_cli,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "100")
    from deepphen.cli.output import console

    console.cache_clear()  # the console binds to the runner's captured stdout
    try:
        out = run_cli("stats", "--top", "3").stdout
    finally:
        console.cache_clear()
    assert "Papers per section" in out and "Top key words (of 7)" in out
    line = next(row for row in out.splitlines() if "Empirical Study" in row)
    assert line.split()[2] == "2" and "█" * 40 in line


def test_filters_and_nothing_matched(catalog_dir: Path, run_cli) -> None:
    data = json.loads(run_cli("stats", "-f", "json", "--since", "2022",
                              "--section", "empirical").stdout)
    assert data["papers"] == 2
    assert [s["papers"] for s in data["sections"]] == [2, 0, 0, 0]
    result = run_cli("stats", "-f", "json", "--keyword", "Nothing Like This", exit_code=1)
    assert json.loads(result.stdout)["papers"] == 0
    assert "no paper matches" in result.stderr


def test_bad_options_are_usage_errors(catalog_dir: Path, run_cli) -> None:
    assert "unknown format 'xml'" in run_cli("stats", "-f", "xml", exit_code=2).stderr
    assert "unknown section" in run_cli("stats", "--section", "Astrology", exit_code=2).stderr
    run_cli("stats", "--top", "0", exit_code=2)


def test_large_catalog_counts_add_up() -> None:
    papers = [Paper(title=f"P{i}", year=2000 + i % 25, section=("others", "neural-collapse")[i % 2],
                    keywords=[f"K{i % 7}"], venue=None if i % 3 else "ICML 2020")
              for i in range(600)]
    stats = compute_stats(papers, sample_settings())
    assert sum(s["papers"] for s in stats["sections"]) == 600
    assert sum(y["papers"] for y in stats["years"]) == 600
    assert sum(v["papers"] for v in stats["venues"]) + stats["without_venue"] == 600


def test_a_long_run_of_empty_years_is_one_text_row() -> None:
    rows = [{"year": y, "papers": n} for y, n in
            [(2018, 1), (2019, 0), (2020, 2), (2021, 0), (2022, 0), (2023, 0), (2024, 1)]]
    assert year_labels(rows) == [("2018", 1), ("2019", 0), ("2020", 2), ("2021\u20132023", 0),
                                 ("2024", 1)]
    assert year_labels(rows, shown=3)[3:5] == [("2021", 0), ("2022", 0)]
    assert year_labels([]) == []


def test_a_mistyped_year_does_not_make_a_thousand_rows(tmp_path: Path, run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A paper of year 2999 (a typo the model's 1900-2999 range lets through) made the text
    view list every year between, 975 rows of zeros, on a terminal and piped; JSON keeps
    every year, as documented."""
    papers = [*sample_papers(), Paper(title="Typo", year=2999, section="others")]
    root = make_catalog(tmp_path / "catalog", papers)
    data = json.loads(run_cli("stats", "--catalog", root, "-f", "json").stdout)
    assert [r["year"] for r in data["years"]] == list(range(2018, 3000))
    out = run_cli("stats", "--catalog", root).stdout
    years = out.split("# Papers per year\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert years[-3:] == ["2025\t1", "2026\u20132998\t0", "2999\t1"]
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    monkeypatch.setenv("COLUMNS", "100")
    charts = run_cli("stats", "--catalog", root).stdout
    assert "2026\u20132998" in charts and "2500" not in charts
    assert len(charts.splitlines()) < 60


def test_json_shape_is_documented(catalog_dir: Path, run_cli) -> None:
    """Scripts read --format json: docs/json-schema.md lists every key, in order, and the
    keys of its rows (a paper in a section catalog.toml does not list has heading null)."""
    doc = (Path(__file__).parents[1] / "docs" / "json-schema.md").read_text(encoding="utf-8")
    part = doc.split("## Stats", 1)[1].split("\n## ", 1)[0]
    data = json.loads(run_cli("stats", "--format", "json").stdout)
    assert re.findall(r"^\| `([a-z_]+)` \|", part, flags=re.MULTILINE) == list(data)
    for name in ("sections", "years", "keywords", "venues", "code", "arxiv"):
        rows = data[name] if isinstance(data[name], list) else [data[name]]
        for key in rows[0]:
            assert f"`{key}`" in part, (name, key)
    assert "null" in part.split("`sections`", 1)[1].split("\n", 1)[0]
