"""The catalog shipped in catalog/: its page is up to date and it carries no digest text.

When this fails after a change to the papers or the exporter, regenerate the page with
``deepphen export --format md -o catalog/README.md`` and commit it with the change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from deepphen.catalog import Catalog, paper_files, read_toml
from deepphen.export.markdown import render

SHIPPED = Path(__file__).resolve().parents[1] / "catalog"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    # A copy, so that loading (which may write a cache) never touches the working tree.
    copy = tmp_path_factory.mktemp("shipped") / "catalog"
    shutil.copytree(SHIPPED, copy, ignore=shutil.ignore_patterns(".*"))
    return Catalog.load(copy)


def test_page_is_a_fresh_export(shipped: Catalog) -> None:
    page = (SHIPPED / "README.md").read_text(encoding="utf-8")
    assert page == render(shipped.papers, shipped.settings), (
        "catalog/README.md is out of date: run "
        "'deepphen export --format md -o catalog/README.md' and commit it")


def test_page_setting_names_the_page(shipped: Catalog) -> None:
    assert shipped.settings.page == "README.md"
    assert shipped.settings.regenerate_page is True
    assert not shipped.settings.badges


def test_no_paper_has_a_digest(shipped: Catalog) -> None:
    assert len(shipped.papers) > 500
    for path in paper_files(SHIPPED):
        assert "digest" not in read_toml(path), path
    assert "<summary>Digest</summary>" not in (SHIPPED / "README.md").read_text(encoding="utf-8")


def test_the_shipped_page_has_the_awesome_badge_next_to_its_title() -> None:
    """awesome-lint's awesome-badge rule: the badge right of the '# Title', linking
    awesome.re; it comes from catalog.toml's title_badge, so export writes it (DP501 keeps
    the page equal to the export)."""
    from deepphen.catalog import load_settings

    root = Path(__file__).resolve().parents[1] / "catalog"
    badge = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
    assert load_settings(root).title_badge == badge
    first_heading = next(line for line in (root / "README.md").read_text(
        encoding="utf-8").splitlines() if line.startswith("# "))
    assert re.fullmatch(r"# Awesome [^\[]+ " + re.escape(badge), first_heading)
