"""Catalog discovery, loading, validation errors, round trips (arXiv ids: test_ids.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deepphen.catalog import Catalog, find_catalog, paper_to_toml, read_paper
from deepphen.errors import CatalogError, CatalogNotFound
from deepphen.models import Paper
from tests.helpers import make_catalog


def test_find_catalog_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = make_catalog(tmp_path / "a" / "catalog")
    b = make_catalog(tmp_path / "b")
    nested = tmp_path / "a" / "deep" / "er"
    nested.mkdir(parents=True)
    assert find_catalog(cwd=nested) == a
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(b))
    assert find_catalog(cwd=nested) == b
    assert find_catalog(a, cwd=nested) == a


def test_a_catalog_found_here_is_named_relative_to_here(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in the working folder (or as its catalog/), the catalog is a relative path, so
    lint and the rest name its files as linters do; found further up, it stays absolute."""
    root = make_catalog(tmp_path / "repo" / "catalog")
    monkeypatch.delenv("DEEPPHEN_CATALOG", raising=False)
    monkeypatch.chdir(tmp_path / "repo")
    assert find_catalog() == Path("catalog")
    monkeypatch.chdir(root)
    assert find_catalog() == Path(".")
    (root / "sub").mkdir()
    monkeypatch.chdir(root / "sub")
    assert find_catalog() == root.resolve()


def test_missing_catalog_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CatalogNotFound) as info:
        find_catalog(cwd=tmp_path)
    assert "\n" not in str(info.value)
    with pytest.raises(CatalogNotFound, match=r"no catalog\.toml"):
        find_catalog(tmp_path)


def test_round_trip_bytes_are_stable(catalog_dir: Path) -> None:
    cat = Catalog.load(catalog_dir)
    assert len(cat.papers) == 5
    for paper in cat.papers:
        assert paper.path is not None
        assert paper_to_toml(paper) == paper.path.read_text(encoding="utf-8")


def test_type_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('title = "T"\nsection = "others"\nyear = "2020"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_paper(path)
    assert str(info.value).startswith(f"{path}:3: field 'year' must be an integer")


def test_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('title = "T"\nyear = 20 20\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"x\.toml:2: TOML syntax error"):
        read_paper(path)


def test_unknown_keys_survive_rewrite(tmp_path: Path) -> None:
    paper = Paper.from_dict({"title": "T", "year": 2020, "section": "others", "zzz": 1,
                             "published": dt.date(2020, 1, 2)})
    assert paper.extra == {"zzz": 1}
    assert "zzz = 1" in paper_to_toml(paper)


def test_syntax_error_knows_its_column(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('title = "T"\nyear = 20 20\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_paper(path)
    assert (info.value.line, info.value.column) == (2, 11)


def test_lint_reports_the_syntax_error_column(catalog_dir: Path, run_cli) -> None:
    import json

    (catalog_dir / "others" / "broken.toml").write_text('title = "T"\nyear = 20 20\n')
    found = json.loads(run_cli("lint", "--format", "json", exit_code=1).stdout)
    assert [(f["line"], f["column"]) for f in found if f["rule"] == "DP101"] == [(2, 11)]
