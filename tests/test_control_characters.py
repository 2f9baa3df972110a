"""No control character of catalog text acts on a terminal or forges a line in a CI log.

Every field of a paper (and its file name, its section, an extra field) holds every C0 and C1
control, ESC sequences (clear screen, window title, 8-bit CSI), U+2028/2029, the bidi
overrides and isolates, and a line that would forge a GitHub annotation. Every command prints
that catalog in every output format, piped and on a (forced) terminal; nothing it prints may
hold such a character raw, and a JSON document must give the text back exactly.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepphen import launch
from deepphen.models import Link, Paper
from deepphen.printable import has_control, json_text, printable
from tests.helpers import ci_commands, make_catalog

C0 = "".join(chr(c) for c in range(0x20))
C1 = "".join(chr(c) for c in range(0x7F, 0xA0))
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
SEQUENCES = "\x1b[2J\x1b]0;owned\x07\x9b31m\x1b]8;;https://evil.example\x1b\\"
FORGED = ("\n::error file=forged.py,line=1::forged annotation\r\n"
          "  ::add-mask::forged ##[warning]forged ##vso[task.setvariable variable=x]1\n")
# What hides text: tag characters spelling a hidden "ignore" (a reader sees none of it, a
# program reading the log does), an invisible operator, a deprecated format character.
INVISIBLE = "\u2062\u206a" + "".join(chr(0xE0000 + ord(c)) for c in "ignore")
HOSTILE = f"A{C0}B{C1}C{BIDI}D\u2028E\u2029F{SEQUENCES}G{FORGED}H\ufeff{INVISIBLE}"
# Everything a terminal must never receive raw (tab and newline are deepphen's own layout).
RAW_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    r"\u2066-\u2069\u2028\u2029\ufeff\u2061-\u2064\u206a-\u206f"
                    r"\U000e0000-\U000e007f]")


def hostile_paper(n: int) -> Paper:
    return Paper(
        title=f"Grokking {n} {HOSTILE}", year=2022, section="empirical-study",
        authors=[f"Alethea {HOSTILE} Power", f"Alethea {HOSTILE} Power", "Yuri Burda"],
        venue=f"ICLR {HOSTILE}", arxiv=f"2201.0217{n}",
        keywords=[f"Grokking {HOSTILE}", "Emergence"],
        links=[Link(f"paper{HOSTILE}", f"https://arxiv.org/abs/2201.0217{n}?{HOSTILE}")],
        digest=f"Digest {HOSTILE}", extra={"note": HOSTILE, "score": math.nan})


def toml_escaped(text: str) -> str:
    """``text`` as the inside of a TOML basic string: JSON's escapes, but a character past
    U+FFFF as TOML's \\U escape, not JSON's surrogate pair."""
    return re.sub(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})",
                  lambda m: "\\U%08x" % (0x10000 + ((int(m[1], 16) - 0xD800) << 10)
                                          + int(m[2], 16) - 0xDC00),
                  json.dumps(text)[1:-1])


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_catalog(tmp_path / "catalog", [hostile_paper(1), hostile_paper(2)])
    # A file name and a section of catalog text too.
    source = next(root.glob("empirical-study/*.toml"))
    text = source.read_text(encoding="utf-8").replace(
        'section = "empirical-study"', f'section = "{toml_escaped(HOSTILE)}"')
    (root / "empirical-study" / "evil\x1b[2J\u202e.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


def assert_inert(text: str, where: str) -> None:
    found = RAW_RE.search(text)
    assert found is None, f"{where}: raw {found.group()!r} in {text[:300]!r}"


COMMANDS = [
    ["search", "grokking"], ["search", "grokking", "-f", "ids"],
    ["search", "grokking", "--keyword", "Emergence"],
    ["lint"], ["lint", "-f", "github"],
    ["stats"],
    ["export", "-f", "md"], ["export", "-f", "bibtex"], ["export", "-f", "csv"],
]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_prints_catalog_text_inert(
    hostile: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
    args: list[str], terminal: bool,
) -> None:
    if terminal:
        monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    result = run_cli(*args, exit_code=None)
    assert result.exit_code in (0, 1), result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.stdout + result.stderr  # type: ignore[attr-defined]
    assert_inert(result.stderr, "stderr")  # type: ignore[attr-defined]
    if args[0] == "export" and not terminal:
        return  # a pipe gets the exporter's own text (its escaping is tested with each format)
    assert_inert(result.stdout, "stdout")  # type: ignore[attr-defined]
    assert "forged" in result.stdout + result.stderr or args[0] in ("stats", "search")  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["md", "csv", "bibtex", "json", "html"])
def test_an_export_piped_to_a_ci_log_opens_no_command(hostile: Path,
                                                      run_cli: Callable[..., object],
                                                      fmt: str) -> None:
    """An export keeps its own text when piped, and a workflow step that runs
    ``deepphen export -f csv`` shows it in the log: a CSV cell's (or the HTML page's) line
    "::add-mask::...", or "##[warning]" in the page's digest, ran there as a command. Each
    format writes one character of such an opening otherwise: a character reference in the
    markdown page's raw HTML and in the HTML page (they show the same text), "\\u0023" in
    JSON, an escape in CSV."""
    out = run_cli("export", "-f", fmt, exit_code=None).stdout  # type: ignore[attr-defined]
    assert "forged" in out
    assert ci_commands(out) == []
    # URLs are written as they are (BibTeX's url and doi, the page's links): "%5B" for '['.
    opening = "##[warning]forged"
    urls = make_catalog(hostile.parent / "urls", [Paper(
        title="Grokking", year=2022, section="empirical-study", authors=["A B"],
        doi=f"10.1000/{opening}", keywords=["Grokking"],
        links=[Link("paper", f"https://example.org/p{opening}"),
               Link("code", f"https://github.com/a/b#{opening}")])])
    out = run_cli("export", "-f", fmt, "--catalog", str(urls)).stdout  # type: ignore[attr-defined]
    assert "forged" in out
    assert ci_commands(out) == []


@given(st.lists(st.sampled_from(["::", ":", "#", "##[", "[", "vso", "\n", "\r", " ", "\t",
                                 "\u00a0", "\u200b", "\u00ad", "x", "&"]), max_size=12)
       .map("".join))
def test_a_document_made_ci_inert_opens_no_command_and_reads_back(text: str) -> None:
    """``ci_inert_document`` leaves no line a runner reads as a command, whatever blanks,
    ignorable characters or line ends surround the opening, and with character references
    the text reads back exactly (the HTML page's case)."""
    import html

    from deepphen.printable import ci_inert_document, opens_ci_command

    inert = ci_inert_document(html.escape(text, quote=False), "&#35;", "&#58;")
    assert ci_commands(inert.replace("\u200b", "").replace("\u00ad", "")) == []
    assert html.unescape(inert) == text
    assert not opens_ci_command(inert)


def test_lint_text_and_github_print_one_line_per_finding(
    hostile: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
) -> None:
    findings = json.loads(run_cli("lint", "-f", "json", exit_code=1).stdout)
    assert any(HOSTILE in f["message"] for f in findings)  # the text is there, lossless
    github = run_cli("lint", "-f", "github", exit_code=1).stdout.splitlines()
    assert len(github) == len(findings)
    assert all(re.match(r"^::(error|warning) file=", line) for line in github)
    assert not any(line.startswith("::error file=forged") for line in github)
    text = run_cli("lint", exit_code=1).stdout.splitlines()
    assert len(text) == len(findings) + 1  # and the summary line
    assert not any(line.startswith("::") for line in text)


@pytest.mark.parametrize("args", [["search", "grokking", "-f", "json"], ["export", "-f", "json"],
                                  ["stats", "-f", "json"], ["lint", "-f", "json"]])
def test_json_is_strict_inert_and_lossless(hostile: Path, run_cli: Callable[..., object],
                                           args: list[str]) -> None:
    out = run_cli(*args, exit_code=None).stdout
    assert_inert(out, "json")

    def no_constant(name: str) -> object:
        raise AssertionError(f"{name} is not JSON")

    data = json.loads(out, parse_constant=no_constant)
    if args[0] in ("search", "export"):
        papers = data if args[0] == "search" else data["papers"]
        assert any(p["title"].endswith(HOSTILE) for p in papers)
        assert all(p["extra"]["score"] == "nan" for p in papers if "extra" in p) \
            if args[0] == "export" else all(p["score"] != "nan" for p in papers)


def test_nan_and_inf_anywhere_in_extra_fields_give_strict_json(
    tmp_path: Path, run_cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch,
) -> None:
    paper = hostile_paper(1)
    paper.extra = {"rating": math.nan, "bounds": [math.inf, -math.inf, 1.5],
                   "nested": {"x": math.nan}}
    root = make_catalog(tmp_path / "cat", [paper])
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    for args in (["export", "-f", "json"], ["search", "grokking", "-f", "json"]):
        out = run_cli(*args).stdout
        data = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
        record = (data["papers"][0] if args[0] == "export" else data[0])["extra"]
        assert record["rating"] == "nan" and record["bounds"] == ["inf", "-inf", 1.5]
        assert record["nested"] == {"x": "nan"}


def test_quick_search_path_is_inert_too(hostile: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["grokking"], ["grokking", "-f", "json"], ["grokking", "-f", "ids"]):
        monkeypatch.setattr(sys, "argv", ["deepphen", "search", *args])
        with pytest.raises(SystemExit):
            launch.main()
        out, err = capsys.readouterr()
        assert_inert(out + err, " ".join(args))
        assert "Grokking" in out or args[-1] == "ids"


def test_import_findings_are_inert(tmp_path: Path, run_cli: Callable[..., object]) -> None:
    page = tmp_path / "list.md"
    page.write_text("# List\n\n# Table of Contents\n\n## Empirical Study\n\n"
                    "### Empirical Study: 2022\n\n"
                    "- Title\x1b[2J\u202e. [[paper]](https://arxiv.org/abs/2201.02177)\n"
                    "  - A\x9b31m B.\n  - Key Word: K.\n\nstray \x1b]0;owned\x07 line\n",
                    encoding="utf-8")
    result = run_cli("import", page, "--catalog", tmp_path / "cat", exit_code=1)
    assert_inert(result.stdout + result.stderr, "import")
    assert "\\x1b" in result.stderr


@given(st.text())
def test_printable_leaves_nothing_that_acts_and_keeps_the_rest(text: str) -> None:
    shown = printable(text)
    assert RAW_RE.search(shown) is None and "\n" not in shown and "\t" not in shown
    assert not has_control(shown)
    kept = [ch for ch in text if not RAW_RE.match(ch) and ch not in "\t\n"]
    assert "".join(kept) in shown.replace("\\x", "").replace("\\u", "") or all(
        ch in shown for ch in kept)


@given(st.text())
def test_json_text_is_lossless(text: str) -> None:
    document = json_text(json.dumps({"t": text}, ensure_ascii=False))
    assert RAW_RE.search(document) is None
    assert json.loads(document) == {"t": text}


def _cleaners() -> dict[str, Callable[[str], str]]:
    """Every place that cleans catalog or arXiv text of controls on its own way out."""
    from deepphen import discover
    from deepphen.arxiv import ArxivEntry
    from deepphen.dialect import escape_html, escape_md, fold_lines, safe_url
    from deepphen.export import bibtex, html
    from deepphen.fit import Fit, Why

    def add_command(text: str) -> str:
        class Model:
            def sections_for(self, entry: object) -> list[tuple[str, float]]:
                return [(text, 1.0)]

            def keywords_for(self, entry: object) -> list[str]:
                return [text]

        entry = ArxivEntry("2505.00001", 1, "T", ["A"], None)  # type: ignore[arg-type]
        return discover.add_command(Fit(entry, 0.5, Why(), Model()))  # type: ignore[arg-type]

    return {"discover.add_command": add_command, "dialect.fold_lines": fold_lines,
            "dialect.escape_md": escape_md, "dialect.escape_html": escape_html,
            "dialect.safe_url": safe_url, "bibtex.latex_escape": bibtex.latex_escape,
            "bibtex.verbatim_value": bibtex.verbatim_value,
            # The HTML page keeps what it reads as layout and shows the rest as U+FFFD.
            "html.clean": lambda text: html.clean(text).translate(
                dict.fromkeys(map(ord, "\t\n\r\u2028\u2029")))}


@pytest.mark.parametrize("name", sorted(_cleaners()))
@given(text=st.text(alphabet=st.sampled_from(
    f"ab []()&:/*`#{C0}{C1}{BIDI}{INVISIBLE}\u2028\u2029\ufeff\ufff9\ufffa\ufffb"),
    max_size=30))
def test_every_cleaner_leaves_no_control_printable_knows(name: str, text: str) -> None:
    """printable is the one home of what a control is: every module that cleans text of
    controls for a page, a citation or a command to paste leaves none that it knows."""
    shown = _cleaners()[name](text)
    assert not has_control(shown), f"{name}({text!r}) = {shown!r}"
