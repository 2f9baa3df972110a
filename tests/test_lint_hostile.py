"""Lint on paper files that are TOML but wrong everywhere: no crash, every fault found in
one run, each finding on a line of its file with what to do about it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.lint import engine
from deepphen.models import PAPER_FIELDS
from tests.helpers import make_catalog

SCALARS = (st.text(max_size=12) | st.integers(-(2**63), 2**63 - 1) | st.booleans()
           | st.floats(allow_nan=False) | st.dates() | st.datetimes()
           | st.times())
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=5)
TABLES = st.dictionaries(st.sampled_from((*PAPER_FIELDS, "notes", "label")), VALUES,
                         max_size=len(PAPER_FIELDS))


def one_paper(root: Path, text: str) -> Path:
    path = root / "others" / "2201.02177.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=60)
@given(TABLES)
def test_any_table_is_linted_and_fixed_without_a_crash(table: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_catalog(Path(tmp) / "catalog", papers=[])
        path = one_paper(root, tomli_w.dumps(table))
        lines = path.read_text(encoding="utf-8").splitlines() or [""]
        for finding in engine.run(root):
            if finding.path == path.as_posix():
                assert 1 <= finding.line <= len(lines), finding
        engine.fix(root)
        assert engine.fix(root)[0] == []


def test_every_mistyped_field_is_found_in_one_run(tmp_path: Path) -> None:
    """Only the first field Paper.from_dict met was reported: a run per field."""
    root = make_catalog(tmp_path / "catalog", papers=[])
    path = one_paper(root, tomli_w.dumps({
        "title": [{"a": 1}], "authors": 12, "venue": dt.datetime(1979, 5, 27, 7, 32),
        "year": "2016", "section": {"x": "others"}, "arxiv": [1, 2], "keywords": {"k": "v"},
        "links": [{"label": "paper", "url": "https://arxiv.org/abs/2201.02177"}, "x"],
        "digest": dt.date(2020, 1, 1)}))
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [f for f in engine.run(root) if f.rule == "DP104"]
    named = {f.message.split("'")[1] if f.message.startswith("field") else "links" for f in found}
    assert named == {"title", "authors", "venue", "year", "section", "arxiv", "keywords",
                     "links", "digest"}
    for finding in found:
        assert finding.fix_hint and "catalog-format.md" in finding.fix_hint
        name = finding.message.split("'")[1] if finding.message.startswith("field") else "links"
        # On the field's line, or on its value's first table below it.
        key = next(line for line in reversed(lines[:finding.line])
                   if line.startswith("[") or (" = " in line and not line.startswith(" ")))
        assert key.startswith((f"{name} = ", f"[{name}]")), finding


def test_a_missing_field_is_dp103s_and_the_rest_are_still_checked(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog", papers=[])
    one_paper(root, 'authors = 5\nkeywords = "Grokking"\n')
    rules = sorted((f.rule, f.message) for f in engine.run(root))
    assert [m for r, m in rules if r == "DP103"] == [f"missing required field '{name}'"
                                                     for name in ("section", "title", "year")]
    assert len([r for r, _ in rules if r == "DP104"]) == 2


def test_a_file_that_does_not_parse_says_how_to_mend_it(tmp_path: Path, run_cli) -> None:
    """DP101 dropped the reader's hint ("save the file as UTF-8"); a file of CR line ends
    said only "Expected newline", at a column past the end of any line of it."""
    root = make_catalog(tmp_path / "catalog")
    good = (root / "others" / "1803.03635.toml").read_text(encoding="utf-8")
    (root / "others" / "a.toml").write_bytes(good.encode().replace(b"Frankle", b"Fr\xffnkle"))
    (root / "others" / "b.toml").write_bytes(good.replace("\n", "\r").encode())
    (root / "others" / "c.toml").write_text(good.replace("year = 2018", "year = " + "9" * 5000),
                                            encoding="utf-8")
    out = run_cli("lint", "--catalog", root, "--rule", "DP101", exit_code=1).stdout
    hints = {line.split("/others/")[1][:6]: line for line in out.splitlines() if "/others/" in line}
    assert "; save the file as UTF-8 (DP101)" in hints["a.toml"]
    assert "; its lines end in CR alone: save it with LF" in hints["b.toml"]
    assert "; write it as a string (DP101)" in hints["c.toml"]


def test_a_misplaced_paper_is_never_told_to_move_out_of_the_catalog(tmp_path: Path) -> None:
    """DP106 said 'git mv others/x.toml ../../tmp/x.toml' for section = "../../tmp", and
    'set section = "odd\\"' (no TOML) for a paper in a folder that is no section."""
    import tomllib

    root = make_catalog(tmp_path / "catalog")
    path = root / "others" / "1803.03635.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('section = "others"',
                                                             'section = "../../tmp"'),
                    encoding="utf-8")
    odd = root / "odd\\" / "1803.03635.toml"
    odd.parent.mkdir()
    odd.write_text(path.read_text(encoding="utf-8").replace('"../../tmp"', '"nowhere"'),
                   encoding="utf-8")
    hints = {f.path: f.fix_hint for f in engine.run(root) if f.rule == "DP106"}
    assert hints[path.as_posix()] == 'set section = "others"'
    assert "git mv" not in hints[odd.as_posix()] and "set section" in hints[odd.as_posix()]
    for hint in hints.values():
        if hint.startswith("set section = "):
            tomllib.loads(hint.removeprefix("set "))


def test_a_rename_hint_names_an_odd_file_as_it_is(tmp_path: Path, run_cli) -> None:
    """DP105's 'git mv' quoted the name with shlex, then the line was made printable: an ESC
    showed as '\\x1b', a line break as a space, and the command named no file. A name that
    is no UTF-8 crashed lint on a strict UTF-8 stdout (the runner's; PYTHONIOENCODING=utf-8)."""
    import os
    import shutil
    import subprocess

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash to read the hint back")
    root = make_catalog(tmp_path / "catalog")
    odd = os.fsencode(root / "others") + b"/a\x1b[31mred\xe2\x80\xae b\nc'\xff.toml"
    os.rename(root / "others" / "1803.03635.toml", odd)
    out = run_cli("lint", "--catalog", root, "--rule", "DP105", exit_code=1).stdout
    [line] = [line for line in out.splitlines() if "git mv " in line]
    assert "\x1b" not in line and "\\xff" in line  # shown, not acted on
    command = line.split("rename it: ", 1)[1].removesuffix(" (DP105)")
    words = subprocess.run([bash, "-c", f"set -- {command}; printf '%s\\0' \"$@\""],
                           capture_output=True, check=True).stdout.split(b"\0")
    assert words[:3] == [b"git", b"mv", odd]


def test_a_name_that_is_no_utf8_prints_as_its_bytes() -> None:
    from deepphen.printable import printable, shell_word

    name = "others/\udcff\udcfe-\u00e9.toml"  # os.fsdecode(b"others/\xff\xfe-\xc3\xa9.toml")
    assert printable(name) == "others/\\xff\\xfe-\u00e9.toml"
    assert printable(name, keep_layout=True).encode("utf-8")  # no surrogate left to raise on
    assert shell_word(name) == "$'others/\\xff\\xfe-\u00e9.toml'"
    assert shell_word("plain name.toml") == "'plain name.toml'"
