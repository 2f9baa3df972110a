"""What a rewrite keeps: every command that writes a TOML file of the catalog again (lint
--fix, refresh --write, import --merge, a dismissal) keeps the file's CR LF line ends and
byte-order mark, and a second run changes nothing and touches no file (a paper file
rewritten as it was is the same bytes: test_properties)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deepphen import catalog
from deepphen.dismissed import Dismissal, dismiss, dismissed_path
from tests.arxiv_server import ArxivServer
from tests.helpers import FIXTURES, tree

BOM = b"\xef\xbb\xbf"
FORMS = [pytest.param(False, True, id="bom"), pytest.param(True, False, id="crlf"),
         pytest.param(True, True, id="crlf+bom")]


def in_form(path: Path, crlf: bool, bom: bool) -> None:
    """Give ``path`` CR LF line ends and/or a byte-order mark."""
    data = path.read_bytes().replace(b"\r\n", b"\n")
    path.write_bytes((BOM if bom else b"") + (data.replace(b"\n", b"\r\n") if crlf else data))


def stamp(path: Path) -> tuple[int, int]:
    """What a write changes even when it writes the same bytes: a rename gives a new inode."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def assert_form(path: Path, crlf: bool, bom: bool) -> None:
    data = path.read_bytes()
    assert data.startswith(BOM) == bom, path
    body = data.removeprefix(BOM)
    assert (body.count(b"\r\n") == body.count(b"\n")) if crlf else b"\r" not in body, path


@pytest.mark.parametrize(("crlf", "bom"), FORMS)
def test_lint_fix_keeps_a_paper_files_form(catalog_dir: Path, run_cli, crlf: bool,
                                           bom: bool) -> None:
    path = catalog_dir / "others" / "1803.03635.toml"
    text = path.read_text(encoding="utf-8").replace("Neural Networks", "Neural Networks.")
    path.write_text(text, encoding="utf-8")
    in_form(path, crlf, bom)
    result = run_cli("lint", "--fix", "--rule", "DP402", exit_code=0)
    assert "removed the title's final punctuation" in result.stdout
    assert_form(path, crlf, bom)
    assert catalog.read_paper(path).title.endswith("Neural Networks")
    before = path.read_bytes(), stamp(path)
    run_cli("lint", "--fix", "--rule", "DP402", exit_code=0)  # nothing left to do
    assert (path.read_bytes(), stamp(path)) == before


@pytest.mark.parametrize(("crlf", "bom"), FORMS)
def test_refresh_write_keeps_a_paper_files_form(catalog_dir: Path, arxiv: ArxivServer, run_cli,
                                                crlf: bool, bom: bool) -> None:
    path = catalog_dir / "neural-collapse" / "2008.08186.toml"
    in_form(path, crlf, bom)
    run_cli("refresh", "--all", "--write")
    assert_form(path, crlf, bom)
    assert catalog.read_paper(path).doi == "10.1073/pnas.2015509117"
    stamps = {p: stamp(p) for p in catalog_dir.rglob("*.toml")}
    run_cli("refresh", "--all", "--write")  # nothing changed upstream: nothing written
    assert {p: stamp(p) for p in catalog_dir.rglob("*.toml")} == stamps


@pytest.mark.parametrize(("crlf", "bom"), FORMS)
def test_import_merge_keeps_catalog_tomls_form(tmp_path: Path, run_cli, crlf: bool,
                                               bom: bool) -> None:
    lists = FIXTURES / "lists"
    for name in ("family-full.md", "family-front.md"):
        shutil.copy(lists / name, tmp_path / name)
    root = tmp_path / "catalog"
    run_cli("import", tmp_path / "family-full.md", "--catalog", root, exit_code=None)
    in_form(root / "catalog.toml", crlf, bom)
    run_cli("import", tmp_path / "family-front.md", "--catalog", root, "--merge",
            exit_code=None)
    assert_form(root / "catalog.toml", crlf, bom)
    assert [view.page for view in catalog.load_settings(root).pages] == ["family-front.md"]
    before = tree(root), stamp(root / "catalog.toml")
    run_cli("import", tmp_path / "family-front.md", "--catalog", root, "--merge",
            exit_code=None)  # the same page again: nothing to change, nothing touched
    assert (tree(root), stamp(root / "catalog.toml")) == before


@pytest.mark.parametrize(("crlf", "bom"), FORMS)
@pytest.mark.parametrize("comment", ["", "# ours\n"])
def test_a_dismissal_keeps_dismissed_tomls_form(catalog_dir: Path, crlf: bool, bom: bool,
                                                comment: str) -> None:
    """Written afresh (sorted) or appended to (a file holding a comment), alike."""
    path = dismissed_path(catalog_dir)
    path.write_text(f'{comment}[[dismissed]]\narxiv = "2501.00002"\n', encoding="utf-8")
    in_form(path, crlf, bom)
    dismiss(catalog_dir, [Dismissal("2501.00001", "A Paper")])
    assert_form(path, crlf, bom)
    assert path.read_bytes().count(b"[[dismissed]]") == 2
    before = tree(catalog_dir), stamp(path)
    dismiss(catalog_dir, [Dismissal("2501.00001", "A Paper")])  # dismissed already
    assert (tree(catalog_dir), stamp(path)) == before


def test_lint_fix_never_removes_a_repeated_link_holding_keys_of_its_own(catalog_dir: Path,
                                                                        run_cli) -> None:
    """DP206's fix removed the second of two equal links whole: its note went with it. A
    plain repeat is still removed."""
    path = catalog_dir / "emergence-and-phase-transitions" / "2201.02177.toml"
    text = path.read_text(encoding="utf-8").replace(
        '{ label = "code", url = "https://github.com/openai/grok" },\n',
        '{ label = "code", url = "https://github.com/openai/grok" },\n'
        '    { label = "code", url = "https://github.com/openai/grok/", note = "a fork" },\n'
        '    { label = "code", url = "https://github.com/openai/grok" },\n')
    path.write_text(text, encoding="utf-8")
    result = run_cli("lint", "--fix", "--rule", "DP206")  # a warning left: exit 0
    assert "removed the second https://github.com/openai/grok " in result.stdout
    assert "the second holds 'note': move it to the first, then remove the second" in \
        result.stdout
    assert [link.extra for link in catalog.read_paper(path).links] == [{}, {}, {"note": "a fork"}]


def test_adding_a_dismissed_paper_takes_it_out_of_a_crlf_dismissed_toml(
        catalog_dir: Path, arxiv: ArxivServer, run_cli) -> None:
    """deepphen's own header, its line ending CR LF, was taken for a curator's comment: the
    file was left as written and the dismissal of the paper just added kept."""
    dismiss(catalog_dir, [Dismissal("2309.00001", "x"), Dismissal("2206.07682", "y")])
    path = dismissed_path(catalog_dir)
    in_form(path, crlf=True, bom=False)  # as a Windows checkout has it
    result = run_cli("add", "2309.00001", "-s", "others", "-k", "Collapse")
    assert "no longer dismissed: 2309.00001" in result.stderr
    assert_form(path, crlf=True, bom=False)
    assert b"2309.00001" not in path.read_bytes() and b"2206.07682" in path.read_bytes()
    dismiss(catalog_dir, [Dismissal("2101.00001", "z")])  # written afresh, sorted: first
    assert path.read_bytes().index(b"2101.00001") < path.read_bytes().index(b"2206.07682")
