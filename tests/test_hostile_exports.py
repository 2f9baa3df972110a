"""The json, bibtex and csv exports against hostile catalogs and outputs: what -o may name,
what reaches a stream, citation keys and fields that read back as the catalog's facts."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from deepphen.errors import DeepphenError
from deepphen.outputs import output_path
from tests.helpers import make_catalog, one_line_error, tree

FORMATS = ("bibtex", "csv", "json")


# --- what -o names ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["new/", "plain/", "plain/.", "plain/..", "sub//", "/"])
def test_an_output_named_as_a_folder_is_refused(fmt: str, name: str, tmp_path: Path,
                                                run_cli: Callable[..., object]) -> None:
    """`-o out/` wrote a file named `out` (pathlib drops the final '/'), and `-o plain/`
    replaced the file `plain`: a shell's `>` refuses both, and a folder was meant."""
    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "plain").write_text("kept\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    before = tree(tmp_path)
    target = name if name == "/" else f"{tmp_path}/{name}"
    result = run_cli("export", "-f", fmt, "--catalog", root, "-o", target, exit_code=None)
    one_line_error(result, "names a folder, not a file")
    assert tree(tmp_path) == before


def test_an_empty_output_name_is_refused(tmp_path: Path, run_cli: Callable[..., object],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o ""` was the working folder ("."): inside a catalog it named the catalog folder."""
    root = make_catalog(tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    one_line_error(run_cli("export", "-f", "csv", "--catalog", root, "-o", "", exit_code=None),
                   "no file name")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("name", ["out.csv", "-x", " ", "a.b/c.d", "./-", ".hidden", "..x"])
def test_a_file_name_is_its_path(name: str) -> None:
    assert output_path(name) == Path(name)


@pytest.mark.parametrize("name", ["", "a/", ".", "..", "a/.", "a/..", "/"]
                         + ([f"a{os.sep}"] if os.sep != "/" else []))
def test_a_folder_name_is_no_output(name: str) -> None:
    with pytest.raises(DeepphenError):
        output_path(name)
