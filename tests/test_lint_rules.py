"""Every lint rule against its fixtures: tests/fixtures/lint/<rule>/{bad,good}/.

Each fixture folder is laid over tests/fixtures/lint/base (a clean catalog) in a tmp dir.
A bad fixture must give exactly the findings listed in its ``expected.txt``
(``relative/path:line: RULE`` per line); a good fixture must give none at all. When the
settings name a page and the fixture brings none, a fresh export is written first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deepphen.catalog import Catalog, load_settings
from deepphen.lint import engine
from deepphen.lint.rules import all_rules
from tests.helpers import FIXTURES

LINT_FIXTURES = FIXTURES / "lint"
BASE = LINT_FIXTURES / "base"
RULE_DIRS = sorted(p for p in LINT_FIXTURES.iterdir() if p.is_dir() and p.name != "base")


def build(fixture: Path, tmp_path: Path) -> Path:
    """The base catalog with ``fixture``'s files laid over it, in ``tmp_path/catalog``."""
    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    for path in sorted(fixture.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(fixture)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    page = load_settings(root).page
    if page and not (fixture / page).exists():
        from deepphen.export import exporter

        cat = Catalog.load(root)
        (root / page).write_text(exporter("md")(cat.papers, cat.settings), encoding="utf-8")
    return root


def base_with_settings(tmp_path: Path, extra: str) -> Path:
    """The base catalog with ``extra`` TOML appended to its catalog.toml."""
    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    toml = root / "catalog.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n{extra}\n", encoding="utf-8")
    return root


def findings(root: Path) -> set[str]:
    prefix = root.as_posix() + "/"
    return {f"{p.path.removeprefix(prefix)}:{p.line}: {p.rule}" for p in engine.run(root)}


def expected(fixture: Path) -> set[str]:
    lines = (fixture / "expected.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_every_rule_has_a_bad_and_a_good_fixture() -> None:
    names = {p.name for p in RULE_DIRS}
    assert names == set(all_rules())
    for rule_dir in RULE_DIRS:
        assert (rule_dir / "bad" / "expected.txt").is_file(), rule_dir
        assert (rule_dir / "good").is_dir(), rule_dir


def test_base_catalog_is_clean(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    assert findings(root) == set()


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: p.name)
def test_bad_fixture_gives_its_findings(rule_dir: Path, tmp_path: Path) -> None:
    want = expected(rule_dir / "bad")
    assert any(line.endswith(f" {rule_dir.name}") for line in want), "expects no own finding"
    assert findings(build(rule_dir / "bad", tmp_path)) == want


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: p.name)
def test_good_fixture_is_clean(rule_dir: Path, tmp_path: Path) -> None:
    assert findings(build(rule_dir / "good", tmp_path)) == set()


FIXABLE = [p for p in RULE_DIRS if all_rules()[p.name].fixable]


@pytest.mark.parametrize("rule_dir", FIXABLE, ids=lambda p: p.name)
def test_fix_removes_the_finding_and_is_idempotent(rule_dir: Path, tmp_path: Path) -> None:
    root = build(rule_dir / "bad", tmp_path)
    changes, remaining, _ = engine.fix(root)
    assert any(c.rule == rule_dir.name for c in changes)
    assert not [p for p in remaining if p.rule == rule_dir.name]
    before = catalog_bytes(root)
    again, _, _ = engine.fix(root)
    assert again == []
    assert catalog_bytes(root) == before


def catalog_bytes(root: Path) -> dict[Path, bytes]:
    """The catalog's own files (not the lock or the derived cache, both dot-names)."""
    return {p: p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


@pytest.mark.parametrize("text", [
    '[[dismissed]]\narxiv = "2501.00001"\ntitle = 7\n',
    '[[dismissed]]\narxiv = "2501.00001"\nreason = ["a", "b"]\n',
    '[[dismissed]]\narxiv = "2501.00001"\ndate = "yesterday"\n',
    '[[dismissed]]\narxiv = "2501.00001"\ndate = 2025-05-20T10:00:00\n',
    '[[dismissed]]\narxiv = "2501.00001"\nwhy = "?"\n',
    '[[dismissed]]\narxiv = 5\n',
    'dismissed = 3\n',
    'note = "x"\n',
    '[[dismissed]\n',
])
def test_lint_flags_every_dismissed_file_discover_refuses(text: str, tmp_path: Path) -> None:
    """A dismissed.toml lint passed (title = 7, a date as text) stopped discover with exit 2."""
    from deepphen.dismissed import load_dismissals
    from deepphen.errors import CatalogError

    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    (root / "dismissed.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError):
        load_dismissals(root)
    assert {f.rule for f in engine.run(root)} == {"DP605"}


def test_a_misspelt_discover_key_is_flagged(tmp_path: Path) -> None:
    """``[discover] categorie = [...]`` passed lint, and discover silently searched other
    categories than the ones the curator wrote down."""
    root = base_with_settings(tmp_path, '[discover]\ncategorie = ["cs.LG"]')
    [flag] = [f for f in engine.run(root) if f.rule == "DP604"]
    assert "unknown key 'categorie' in [discover]" in flag.message
    assert "categories" in (flag.fix_hint or "") and flag.line > 1


def test_a_resource_group_of_another_page_is_flagged_at_its_line(tmp_path: Path) -> None:
    """DP607 checks the resource sections of every declared page, each at its own line."""
    root = build(LINT_FIXTURES / "DP607" / "good", tmp_path)
    toml = root / "catalog.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + (
        '\n[[pages]]\npage = "FRONT.md"\n\n[[pages.resource_sections]]\nheading = "Talks"\n'
        'groups = ["A"]\ntexts = { A = "TBD" }\n\n[[pages.resource_sections]]\n'
        'heading = "Demos"\ntexts = { B = "TBD" }\n'), encoding="utf-8")
    lines = toml.read_text(encoding="utf-8").splitlines()
    [flag] = [f for f in engine.run(root) if f.rule == "DP607"]
    assert "'B'" in flag.message and "'Demos' in pages[0]" in flag.message
    assert lines[flag.line - 1] == 'texts = { B = "TBD" }'


def test_a_category_of_another_archive_is_suggested(tmp_path: Path) -> None:
    """DP606 offered cs.PL for cs.ML (the letters' likeness); stat.ML comes first now."""
    root = base_with_settings(tmp_path, '[discover]\ncategories = ["cs.ML"]')
    [flag] = [f for f in engine.run(root) if f.rule == "DP606"]
    assert (flag.fix_hint or "").startswith("did you mean stat.ML, ")


def test_a_doi_that_is_none_is_flagged_and_left_alone(tmp_path: Path) -> None:
    """DP210 without a fix: dropping a prefix leaves no DOI, so the curator corrects it."""
    root = build(LINT_FIXTURES / "DP210" / "good", tmp_path)
    paper = root / "others" / "2206.07682.toml"
    text = paper.read_text(encoding="utf-8").replace(
        '"10.48550/arXiv.2206.07682"', '"https://doi.org/arXiv.2206.07682"')
    paper.write_text(text, encoding="utf-8")
    [flag] = [f for f in engine.run(root) if f.rule == "DP210"]
    assert "is not a DOI" in flag.message and "10.NNNN/suffix" in (flag.fix_hint or "")
    assert text.splitlines()[flag.line - 1].startswith("doi = ")
    changes, remaining, _ = engine.fix(root)
    assert not [c for c in changes if c.rule == "DP210"]
    assert [f.rule for f in remaining if f.rule == "DP210"] == ["DP210"]
    assert paper.read_text(encoding="utf-8") == text


def test_a_rename_hint_never_names_another_sections_key(tmp_path: Path) -> None:
    """DP105 offered others/<slug>.toml while neural-collapse/<slug>.toml existed: following
    the hint gave two papers one key (DP307)."""
    root = build(LINT_FIXTURES / "DP307" / "good", tmp_path)
    slug = "on-the-origin-of-implicit-regularization"
    (root / "others" / f"{slug}.toml").rename(root / "others" / "misnamed.toml")
    (root / "neural-collapse" / f"{slug}-2.toml").rename(root / "neural-collapse" / f"{slug}.toml")
    [flag] = [f for f in engine.run(root) if f.rule == "DP105"]
    assert (flag.fix_hint or "").endswith(f"others/{slug}-2.toml")
