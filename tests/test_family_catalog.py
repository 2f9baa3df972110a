"""One catalog, several pages: ``import --merge``, ``export --page``, lint and add on every page.

The invented pages of tests/fixtures/lists/family-*.md stand for the sibling list's full list
and front page; the real pages in ../shared are used when present.
"""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from deepphen.catalog import Catalog, load_settings
from deepphen.errors import CatalogError
from deepphen.importer import parse_list
from deepphen.merge import merge_page
from tests.arxiv_server import ArxivServer
from tests.helpers import FIXTURES, SHARED, one_line_error, tree

LISTS = FIXTURES / "lists"
FAMILY = SHARED / "data" / "awesome-trustworthy-deep-learning"


def ratio(a: str, b: str) -> float:
    """SequenceMatcher ratio over lines, trailing spaces aside."""
    lines_a = [line.rstrip() for line in a.splitlines()]
    lines_b = [line.rstrip() for line in b.splitlines()]
    return difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False).ratio()


def one_page(tmp_path: Path, run_cli, folder: Path = LISTS, full: str = "family-full.md",
             front: str = "family-front.md") -> Path:
    """A catalog from ``full``, with both pages copied beside it for a merge to come."""
    for name in (full, front):
        shutil.copy(folder / name, tmp_path / name)
    root = tmp_path / "catalog"
    run_cli("import", tmp_path / full, "--catalog", root, "--page", full, exit_code=None)
    return root


def two_pages(tmp_path: Path, run_cli, folder: Path = LISTS, full: str = "family-full.md",
              front: str = "family-front.md") -> Path:
    """A catalog from ``full`` with ``front`` merged in; its pages are files in its folder."""
    root = one_page(tmp_path, run_cli, folder, full, front)
    run_cli("import", tmp_path / front, "--catalog", root, "--merge", "--page", front,
            exit_code=None)
    return root


def test_merge_declares_the_second_page_with_its_window(tmp_path: Path, run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    settings = load_settings(root)
    assert [view.page for view in settings.page_views()] == [
        "family-full.md", "family-front.md"]
    front = settings.pages[0]
    assert front.layout.year_groups == "none"
    assert front.layout.recent_months == 5  # 2501 to 2505: the front page's papers
    assert settings.layout.year_groups == "details"
    assert len(Catalog.load(root).papers) == 13 + 5
    toml = (root / "catalog.toml").read_text(encoding="utf-8")
    assert "[[pages]]" in toml and 'page = "family-front.md"' in toml


def test_merge_into_a_catalog_toml_with_a_comment_writes_nothing(tmp_path: Path,
                                                                 run_cli) -> None:
    """catalog.toml is written again from its data: a comment in it would be lost. The
    merge is refused before anything is written (exit 2), naming the file and the line."""
    root = one_page(tmp_path, run_cli)
    settings = root / "catalog.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# sections agreed in #4\n",
                        encoding="utf-8")
    line = len(settings.read_text(encoding="utf-8").splitlines())
    before = tree(root)
    result = run_cli("import", tmp_path / "family-front.md", "--catalog", root, "--merge",
                     "--page", "family-front.md", exit_code=2)
    one_line_error(result, f"{settings}:{line}: has a comment, which rewriting the file "
                   "would drop; nothing merged (remove the comment, or keep it elsewhere, "
                   "and merge again)")
    assert tree(root) == before


def test_export_writes_each_declared_page(tmp_path: Path, run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    front = run_cli("export", "--catalog", root, "--format", "md", "--page",
                    "family-front.md").stdout
    assert ratio(front, (LISTS / "family-front.md").read_text(encoding="utf-8")) == 1.0
    full = run_cli("export", "--catalog", root, "--format", "md").stdout
    assert full == run_cli("export", "--catalog", root, "--page", "family-full.md").stdout
    # The full list now also holds the front page's papers, in a new year group.
    assert "<summary>Robustness: 2025</summary>" in full
    assert "Stress Tests For Invented Models." in full


def test_a_page_outside_the_catalog_is_refused_at_import(tmp_path: Path, run_cli) -> None:
    shutil.copy(LISTS / "family-full.md", tmp_path / "full.md")
    result = run_cli("import", tmp_path / "full.md", "--catalog", tmp_path / "c", "--page",
                     "../full.md", exit_code=2)
    assert "leaves the catalog folder" in result.stderr
    assert not (tmp_path / "c").exists()


def test_export_page_errors_are_usage_errors(tmp_path: Path, run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    wrong = run_cli("export", "--catalog", root, "--page", "NOPE.md", exit_code=2)
    assert "no page 'NOPE.md'" in wrong.stderr and "family-front.md" in wrong.stderr
    json_page = run_cli("export", "--catalog", root, "--format", "json", "--page",
                        "family-front.md", exit_code=2)
    assert "--format md" in json_page.stderr


def test_lint_checks_every_page_for_drift(tmp_path: Path, run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    for name in ("family-full.md", "family-front.md"):
        run_cli("export", "--catalog", root, "--page", name, "-o", root / name)
    clean = run_cli("lint", "--catalog", root, "--rule", "DP501", exit_code=None)
    assert "DP501" not in clean.stdout
    front = root / "family-front.md"
    front.write_text(front.read_text(encoding="utf-8").replace("Invented stress", "Edited"),
                     encoding="utf-8")
    drift = run_cli("lint", "--catalog", root, "--rule", "DP501", exit_code=1)
    assert "family-front.md:" in drift.stdout and "out of date" in drift.stdout
    assert "family-full.md:" not in drift.stdout
    run_cli("lint", "--catalog", root, "--rule", "DP501", "--fix", exit_code=None)
    assert "Invented stress" in front.read_text(encoding="utf-8")


def test_a_missing_page_is_reported_at_its_own_line(tmp_path: Path, run_cli) -> None:
    """Both missing pages were reported at the first page's line of catalog.toml."""
    root = two_pages(tmp_path, run_cli)
    lines = (root / "catalog.toml").read_text(encoding="utf-8").splitlines()
    where = {name: next(n for n, text in enumerate(lines, 1) if text == f'page = "{name}"')
             for name in ("family-full.md", "family-front.md")}
    out = run_cli("lint", "--catalog", root, "--rule", "DP501", exit_code=1).stdout
    for name, line in where.items():
        assert f"catalog.toml:{line}:1: the page {name} does not exist" in out


def test_add_regenerates_every_page(tmp_path: Path, arxiv: ArxivServer, run_cli,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = two_pages(tmp_path, run_cli)
    toml = root / "catalog.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "regenerate_page = false", "regenerate_page = true"), encoding="utf-8")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    run_cli("add", "2206.07682", "-s", "others")
    full = (root / "family-full.md").read_text(encoding="utf-8")
    front = (root / "family-front.md").read_text(encoding="utf-8")
    assert "Emergent Abilities of Large Language Models." in full
    # A 2022 paper is older than the front page's window: only the full list shows it.
    assert "Emergent Abilities" not in front
    assert "Honest Reporting In Invented Benchmarks." in front
    assert "DP501" not in run_cli("lint", "--rule", "DP501", exit_code=None).stdout


def test_second_page_with_unknown_sections_is_reported_by_line(tmp_path: Path,
                                                               run_cli) -> None:
    root = two_pages(tmp_path, run_cli, front="family-second.md")
    result = run_cli("import", LISTS / "family-second.md", "--catalog", tmp_path / "again",
                     "--merge", exit_code=2)
    assert "no catalog" in result.stderr or "not a catalog" in result.stderr
    settings = load_settings(root)
    assert settings.section("Interpretability") is not None
    papers = {p.arxiv: p for p in Catalog.load(root).papers}
    assert papers["2503.08888"].section == "interpretability"
    assert papers["2502.09999"].section == "robustness"
    # The known paper keeps the catalog's authors.
    assert papers["2410.01234"].authors == ["Ada Lovelace", "Bram Stoker"]


def test_merge_notes_name_the_lines(tmp_path: Path) -> None:
    full = parse_list((LISTS / "family-full.md").read_text(encoding="utf-8"))
    second = parse_list((LISTS / "family-second.md").read_text(encoding="utf-8"),
                        source="family-second.md")
    merged = merge_page(full.settings, full.papers, second, "SECOND.md")
    notes = {p.line: p.message for p in merged.problems}
    assert "not in the catalog: added as a new section" in notes[19]
    assert "matches 2410.01234" in notes[10] and "authors" in notes[10]
    assert [p.arxiv for p in merged.added] == ["2502.09999", "2503.08888"]
    assert [(a.arxiv, b.key) for a, b in merged.matched] == [("2410.01234", "2410.01234")]
    assert all(isinstance(p.line, int) for p in merged.problems)


def test_merge_json_report(tmp_path: Path, run_cli) -> None:
    shutil.copy(LISTS / "family-full.md", tmp_path / "full.md")
    run_cli("import", tmp_path / "full.md", "--catalog", tmp_path / "c", exit_code=None)
    out = run_cli("import", LISTS / "family-front.md", "--catalog", tmp_path / "c", "--merge",
                  "--format", "json", exit_code=1).stdout
    data = json.loads(out)
    assert (data["added"], data["matched"], data["page"]) == (5, 0, "family-front.md")


shared = pytest.mark.skipif(not FAMILY.is_dir(), reason="../shared sibling-list data absent")


@shared
@pytest.mark.shared
def test_real_pages_from_one_merged_catalog(tmp_path: Path, run_cli) -> None:
    root = two_pages(tmp_path, run_cli, FAMILY, "FULL_LIST.md", "README.md")
    for name in ("FULL_LIST.md", "README.md"):
        page = run_cli("export", "--catalog", root, "--page", name).stdout
        assert ratio(page, (FAMILY / name).read_text(encoding="utf-8")) >= 0.98, name


def test_a_misspelt_key_of_a_further_page_is_kept_and_reported(tmp_path: Path, run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("recent_months = 5", "recent_month = 5"), encoding="utf-8")
    result = run_cli("lint", "--catalog", root, "--rule", "DP604", exit_code=1)
    assert "unknown key 'recent_month' in pages[0]" in result.stdout
    assert "recent_months" in result.stdout  # the hint names the key meant
    assert load_settings(root).pages[0].extra == {"recent_month": 5}


def test_a_whole_catalog_setting_in_a_further_page_is_kept_and_reported(tmp_path: Path,
                                                                       run_cli) -> None:
    """regenerate_page (lint, discover) is read at the top of catalog.toml only: in a
    further page's table no field read it, lint said nothing, and a merge dropped it."""
    root = two_pages(tmp_path, run_cli)
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8").replace("recent_months = 5",
                                                    "recent_months = 5\nregenerate_page = true")
    toml.write_text(text, encoding="utf-8")
    result = run_cli("lint", "--catalog", root, "--rule", "DP604", exit_code=1)
    line = text.splitlines().index("regenerate_page = true") + 1
    assert f"catalog.toml:{line}:1: unknown key 'regenerate_page' in pages[0]; " \
        "regenerate_page applies to the whole catalog: set it at the top of catalog.toml" \
        in result.stdout
    shutil.copy(LISTS / "family-second.md", tmp_path / "second.md")
    run_cli("import", tmp_path / "second.md", "--catalog", root, "--merge", exit_code=None)
    assert load_settings(root).pages[0].extra == {"regenerate_page": True}


def test_an_error_in_a_later_page_names_its_own_table(tmp_path: Path, run_cli) -> None:
    """pages[1]'s error was located at the first [[pages]] line."""
    root = two_pages(tmp_path, run_cli)
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8") + '\n[[pages]]\npage = "third.md"\nrecent_months = 0\n'
    toml.write_text(text, encoding="utf-8")
    line = text.splitlines().index("[[pages]]", text.splitlines().index("[[pages]]") + 1) + 1
    with pytest.raises(CatalogError) as err:
        load_settings(root)
    assert err.value.line == line
    assert "pages[1]: field 'recent_months' must be 1..1200" in str(err.value)


# ---- red-team round 7: the two-page catalog as its curator uses it ------------------------


def test_the_html_page_takes_the_lists_name_from_the_page_that_has_one(tmp_path: Path,
                                                                      run_cli) -> None:
    """The full page has no title (the front page has): the HTML page's <title> and <h1>
    were empty."""
    root = two_pages(tmp_path, run_cli)
    html = run_cli("export", "--catalog", root, "--format", "html").stdout
    assert "<title>Invented Reliable Learning" in html
    assert "<h1>Invented Reliable Learning" in html


def test_a_misspelt_key_in_a_further_pages_tables_is_reported(tmp_path: Path,
                                                             run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8")
    text += ('\n[[pages]]\npage = "third.md"\n\n[[pages.sections]]\nslug = "robustness"\n'
             'headng = "R"\nheading = "Other"\n\n[[pages.resources]]\nname = "n"\n'
             'url = "https://example.org"\nnotes = "x"\n')
    toml.write_text(text, encoding="utf-8")
    result = run_cli("lint", "--catalog", root, "--rule", "DP604", exit_code=1)
    lines = text.splitlines()
    headng, notes = lines.index('headng = "R"') + 1, lines.index('notes = "x"') + 1
    assert f"catalog.toml:{headng}:1: unknown key 'headng' in pages[1].sections[0]" in \
        result.stdout
    assert "unknown key 'heading' in pages[1].sections[0]; a section's heading is the " \
        "catalog's" in result.stdout
    assert f"catalog.toml:{notes}:1: unknown key 'notes' in pages[1].resources[0]" in \
        result.stdout


def test_a_further_pages_bad_path_is_reported_at_its_own_line(tmp_path: Path,
                                                              run_cli) -> None:
    root = two_pages(tmp_path, run_cli)
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8").replace('page = "family-front.md"',
                                                    'page = "../family-front.md"')
    toml.write_text(text, encoding="utf-8")
    from deepphen.catalog import page_path
    from deepphen.errors import CatalogError

    with pytest.raises(CatalogError) as err:  # as add and refresh ask, writing the pages
        page_path(root, load_settings(root).pages[0])
    assert err.value.line == text.splitlines().index('page = "../family-front.md"') + 1


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_export_never_writes_over_another_declared_page(tmp_path: Path, run_cli,
                                                        fmt: str) -> None:
    """`export --format md -o catalog/README.md`, the single-page habit, replaced the
    sibling list's front page with the full list (or a CSV), exit 0."""
    root = two_pages(tmp_path, run_cli)
    run_cli("lint", "--catalog", root, "--fix", exit_code=None)
    front = root / "family-front.md"
    before = front.read_bytes()
    result = run_cli("export", "--catalog", root, "--format", fmt, "-o", front, exit_code=2)
    assert "it is the catalog's page 'family-front.md'" in result.stderr
    assert "--page family-front.md" in result.stderr
    assert front.read_bytes() == before
    run_cli("export", "--catalog", root, "--format", "md", "--page", "family-front.md",
            "-o", front)
    run_cli("export", "--catalog", root, "--format", "md", "-o", root / "family-full.md")


def test_a_merge_never_drops_a_key_it_does_not_know(tmp_path: Path, run_cli) -> None:
    """`import --merge` writes catalog.toml again from its data: a section's misspelt key
    (or a further page's) was dropped without a word. It refuses, as for a comment."""
    root = one_page(tmp_path, run_cli)
    toml = root / "catalog.toml"
    text = toml.read_text(encoding="utf-8").replace('slug = "calibration"\n',
                                                    'slug = "calibration"\nintr = "x"\n', 1)
    toml.write_text(text, encoding="utf-8")
    result = run_cli("import", tmp_path / "family-front.md", "--catalog", root, "--merge",
                     "--page", "family-front.md", exit_code=2)
    line = text.splitlines().index('intr = "x"') + 1
    one_line_error(result, f"catalog.toml:{line}:", "'intr' in sections[1]", "nothing merged")
    assert toml.read_text(encoding="utf-8") == text


def test_merge_knows_a_paper_by_any_id_it_goes_by(tmp_path: Path) -> None:
    """A catalog paper whose file writes its id loosely ("2201.02177v2"), or holds only an
    arXiv link, is the page's entry of that id, whatever the page calls it: it is matched,
    never added as a second file of the same paper (matching went by the raw field)."""
    from deepphen.export import exporter
    from tests.helpers import make_catalog, sample_papers, sample_settings

    papers = sample_papers()
    papers[0].arxiv = "2201.02177v2"  # Grokking, its id written with a version
    papers[2].arxiv, papers[2].key = None, "lottery"  # known by its paper link alone
    root = make_catalog(tmp_path / "c", papers)
    catalog = Catalog.load(root)
    text = exporter("md")(catalog.papers, sample_settings())
    # The page retitles both, so no title can match them either.
    text = text.replace("Grokking: Generalization", "Grokking - Generalisation")
    text = text.replace("The Lottery Ticket Hypothesis:", "Lottery Tickets:")
    merged = merge_page(catalog.settings, catalog.papers, parse_list(text), "FRONT.md")
    assert merged.added == []
    assert sorted(found.key for _, found in merged.matched) == sorted(
        p.key for p in catalog.papers)
