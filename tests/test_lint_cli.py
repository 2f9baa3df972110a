"""``deepphen lint`` end to end: exit codes, output formats, settings, ignores, --fix."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deepphen.catalog import paper_to_toml, read_paper, settings_to_toml
from deepphen.lint import engine
from deepphen.lint.context import Context, read_file
from deepphen.lint.docs import rules_markdown
from deepphen.lint.registry import Finding
from deepphen.lint.rules import all_rules
from deepphen.lint.rules.placement import similar_pairs
from deepphen.models import Settings
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
BASE = FIXTURES / "lint" / "base"
GROK = "others/2201.02177.toml"


@pytest.fixture
def cat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the clean lint base catalog, set as $DEEPPHEN_CATALOG."""
    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


def put(root: Path, rule: str, which: str = "bad") -> None:
    """Lay a rule's fixture over the catalog."""
    src = FIXTURES / "lint" / rule / which
    for path in src.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def edit_settings(root: Path, **lint: object) -> None:
    from deepphen.catalog import load_settings

    current: Settings = load_settings(root)
    current.lint = dict(lint)
    (root / "catalog.toml").write_text(settings_to_toml(current), encoding="utf-8")


def test_clean_catalog_exits_0_and_prints_nothing(cat: Path, run_cli) -> None:
    assert run_cli("lint").stdout == ""


def test_error_exits_1_with_path_line_col_message_rule(cat: Path, run_cli) -> None:
    put(cat, "DP301")
    out = run_cli("lint", exit_code=1).stdout
    assert re.search(rf"^{re.escape(str(cat))}/{GROK}:10:1: year 2021 but arXiv 2201.02177 is "
                     r"from 2022 \(DP301\)$", out, re.MULTILINE)
    assert "1 error(s), 0 warning(s) in 1 file(s); 1 fixable with --fix" in out


def test_warnings_pass_unless_strict(cat: Path, run_cli) -> None:
    put(cat, "DP411")
    assert "(DP411)" in run_cli("lint").stdout
    run_cli("lint", "--strict", exit_code=1)


def test_unreadable_settings_exit_2(cat: Path, run_cli) -> None:
    (cat / "catalog.toml").write_text("title = [\n", encoding="utf-8")
    result = run_cli("lint", exit_code=2)
    assert "catalog.toml:" in result.stderr


@pytest.mark.parametrize(
    ("lint", "message"),
    [({"disable": ["DP999"]}, "unknown rule 'DP999'"),
     ({"level": {"DP401": "fatal"}}, "level must be 'error' or 'warning'"),
     ({"disabel": ["DP401"]}, "did you mean 'disable'?")],
)
def test_bad_lint_settings_exit_2(cat: Path, run_cli, lint: dict, message: str) -> None:
    edit_settings(cat, **lint)
    assert message in run_cli("lint", exit_code=2).stderr


def test_usage_errors_exit_2(cat: Path, run_cli) -> None:
    assert "unknown format" in run_cli("lint", "--format", "xml", exit_code=2).stderr
    assert "did you mean" in run_cli("lint", "--rule", "DP31", exit_code=2).stderr


def test_broken_file_is_one_finding_and_the_others_are_checked(cat: Path, run_cli) -> None:
    put(cat, "DP101")
    put(cat, "DP205")
    out = run_cli("lint", "--format", "json", exit_code=1).stdout
    found = {(Path(p["path"]).name, p["line"], p["rule"]) for p in json.loads(out)}
    assert found == {("2201.02177.toml", 1, "DP101"),
                     ("ai-models-collapse-when-trained-on.toml", 16, "DP205")}


def test_json_format_fields(cat: Path, run_cli) -> None:
    put(cat, "DP205")
    [item] = json.loads(run_cli("lint", "--format", "json").stdout)
    assert list(item) == ["path", "line", "column", "rule", "level", "message", "hint"]
    assert (item["rule"], item["level"], item["line"], item["column"]) == ("DP205", "warning",
                                                                          16, 8)


def test_piped_and_github_lines_say_what_to_do_when_fix_cannot(cat: Path, run_cli) -> None:
    """The hint (here the field the typo stands for) was shown on a terminal only, so CI logs
    said what was wrong but not what to do."""
    put(cat, "DP102")
    [line] = run_cli("lint", exit_code=1).stdout.splitlines()[:-1]
    assert line.endswith(": unknown key 'venu'; did you mean 'venue'? (DP102)")
    [line] = run_cli("lint", "--format", "github", exit_code=1).stdout.splitlines()
    assert line.endswith("::unknown key 'venu'; did you mean 'venue'? (DP102)")
    [item] = json.loads(run_cli("lint", "--format", "json", exit_code=1).stdout)
    assert item["hint"] == "did you mean 'venue'?"


@pytest.mark.parametrize(("keywords", "named"), [
    ('"Grokking", " Modular Arithmetic."', "' Modular Arithmetic.'"),
    ('"Grokking", "grokking"', "'grokking'"),
    ('"Grokking", "Grokking"', "'Grokking'"),
])
def test_keyword_format_names_the_key_word_at_fault(cat: Path, run_cli, keywords: str,
                                                    named: str) -> None:
    path = cat / "neural-collapse" / "2008.08186.toml"
    text = re.sub(r"keywords = \[[^\]]*\]", f"keywords = [{keywords}]",
                  path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    out = run_cli("lint", "--rule", "DP409").stdout
    assert f"stray spaces, punctuation or repeats: {named} (DP409)" in out


def test_github_format_is_the_default_on_actions(cat: Path, run_cli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    put(cat, "DP301")
    put(cat, "DP601")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    lines = run_cli("lint", exit_code=1).stdout.splitlines()
    assert lines == [  # the catalog is ./catalog: paths relative to the working directory
        "::warning file=catalog/catalog.toml,line=10,col=43::section 'Information Bottleneck' "
        "has no papers (DP601)",
        f"::error file=catalog/{GROK},line=10,col=1::year 2021 but arXiv 2201.02177 is from "
        "2022 (DP301)",
    ]


def annotated_files(stdout: str) -> list[str]:
    return re.findall(r"^::\w+ file=([^,]*),", stdout, re.M)


def test_github_annotations_name_files_from_the_repository_root(
        cat: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog found by walking up from a subfolder (or given as ../catalog) was named
    by its absolute path: GitHub wants a file's path relative to the repository's root,
    $GITHUB_WORKSPACE on Actions, else the folder lint runs in."""
    put(cat, "DP301")
    put(cat, "DP601")
    monkeypatch.delenv("DEEPPHEN_CATALOG")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(cat.parent))
    sub = cat.parent / "docs" / "notes"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    expected = ["catalog/catalog.toml", f"catalog/{GROK}"]
    assert annotated_files(run_cli("lint", exit_code=1).stdout) == expected  # walked up
    assert annotated_files(run_cli("lint", "--catalog", "../../catalog",
                                   exit_code=1).stdout) == expected
    monkeypatch.chdir(cat / "others")  # from inside the catalog too
    assert annotated_files(run_cli("lint", exit_code=1).stdout) == expected
    # Not on Actions: relative to the working folder when the file is under it ...
    monkeypatch.delenv("GITHUB_WORKSPACE")
    out = run_cli("lint", "--format", "github", exit_code=1).stdout
    assert annotated_files(out) == [f"{cat}/catalog.toml", "2201.02177.toml"]
    # ... else absolute, never ../ (and never a path outside the workspace made relative)
    monkeypatch.chdir(sub)
    out = run_cli("lint", "--format", "github", "--catalog", "../../catalog", exit_code=1)
    assert annotated_files(out.stdout) == [f"{cat}/catalog.toml", f"{cat}/{GROK}"]
    monkeypatch.setenv("GITHUB_WORKSPACE", str(sub))
    assert annotated_files(run_cli("lint", exit_code=1).stdout) == [f"{cat}/catalog.toml",
                                                                    f"{cat}/{GROK}"]
    # a working folder removed under lint's feet: the paths as found, no error
    monkeypatch.delenv("GITHUB_WORKSPACE")
    gone = cat.parent / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    out = run_cli("lint", "--catalog", cat, exit_code=1).stdout
    assert annotated_files(out) == [f"{cat}/catalog.toml", f"{cat}/{GROK}"]
    monkeypatch.chdir(sub)
    # the other formats keep the paths as the catalog was found
    assert f"{cat}/{GROK}:10:1:" in run_cli("lint", "--format", "text", exit_code=1).stdout


def test_terminal_output_groups_by_file(cat: Path, run_cli,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    put(cat, "DP301")
    put(cat, "DP205")
    monkeypatch.setenv("DEEPPHEN_FORCE_TERMINAL", "1")
    out = run_cli("lint", exit_code=1).stdout
    collapse = out.index(f"{cat}/others/ai-models-collapse-when-trained-on.toml\n")
    grok = out.index(f"{cat}/{GROK}\n")
    assert grok < out.index("(DP301)") < collapse < out.index("(DP205)")
    assert "1 error(s), 1 warning(s) in 2 file(s)" in out


def test_disable_and_relevel_in_settings(cat: Path, run_cli) -> None:
    put(cat, "DP411")
    edit_settings(cat, level={"venue-year": "error"})
    run_cli("lint", exit_code=1)
    edit_settings(cat, disable=["DP411"])
    assert run_cli("lint").stdout == ""
    put(cat, "DP601")
    edit_settings(cat, select=["empty-section"])
    out = run_cli("lint").stdout
    assert "(DP601)" in out and "(DP411)" not in out


def test_paper_file_ignores_a_rule_with_a_reason(cat: Path, run_cli) -> None:
    put(cat, "DP301")
    path = cat / GROK
    base = path.read_text(encoding="utf-8")
    path.write_text(base + '\n[ignore]\nDP301 = "the id was reassigned"\n', encoding="utf-8")
    assert run_cli("lint").stdout == ""
    path.write_text(base + '\n[ignore]\nDP301 = ""\n', encoding="utf-8")
    out = run_cli("lint", exit_code=1).stdout
    assert "(DP301)" in out  # an ignore without a reason silences nothing
    assert ('[ignore] DP301 needs a reason; DP301 = "why this paper is an exception" (DP107)'
            in out)


def test_rule_option_runs_only_those_rules(cat: Path, run_cli) -> None:
    put(cat, "DP301")
    put(cat, "DP601")
    out = run_cli("lint", "--rule", "year-arxiv", exit_code=1).stdout
    assert "(DP301)" in out and "(DP601)" not in out


def test_fix_reports_only_the_fixes_that_changed_something(cat: Path, run_cli) -> None:
    """Cleaning "generalization " (DP409) and respelling it (DP407) are one change: the
    second fix finds nothing left to do and was reported anyway."""
    path = cat / "empirical-study" / "1611.03530.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"Generalization",', '"generalization ",'), encoding="utf-8")
    out = run_cli("lint", "--fix").stdout.splitlines()
    assert len(out) == 1 and out[0].startswith(f"{path.as_posix()}: fixed: ")
    assert '"Generalization",' in path.read_text(encoding="utf-8")
    assert run_cli("lint", "--fix").stdout == ""


def test_fix_reports_each_change_and_is_idempotent(cat: Path, run_cli) -> None:
    put(cat, "DP205")
    out = run_cli("lint", "--fix").stdout
    assert out.splitlines() == [
        f"{cat}/others/ai-models-collapse-when-trained-on.toml: fixed: https://www.nature.com/"
        "articles/s41586-024-07566-y?utm_medium=Social&utm_source=Twitter#Echobox=1721898113 -> "
        "https://www.nature.com/articles/s41586-024-07566-y (DP205)"]
    assert run_cli("lint", "--fix").stdout == ""
    assert not list(cat.rglob(".deepphen-tmp-*"))


@pytest.mark.parametrize("rules", [["DP301"], ["DP301", "DP205"], ["DP404", "DP301"]])
@pytest.mark.parametrize("pages", [["README.md"], ["README.md", "FULL.md"]])
def test_fix_regenerates_a_stale_page_once_after_the_paper_fixes(rules: list[str],
                                                                pages: list[str], cat: Path,
                                                                run_cli) -> None:
    """The page was written (and reported) in the pass that fixed the papers, from the
    catalog as it was before, then again in the next pass, from the fixed one."""
    import tomllib

    import tomli_w

    table = tomllib.loads((cat / "catalog.toml").read_text(encoding="utf-8"))
    table["page"] = pages[0]
    table["pages"] = [{"page": page, "title": "Another page",
                       "sections": [{"slug": s["slug"]} for s in table["sections"]]}
                      for page in pages[1:]]
    (cat / "catalog.toml").write_text(tomli_w.dumps(table), encoding="utf-8")
    for page in pages:
        run_cli("export", "--format", "md", "--page", page, "-o", cat / page)
    assert run_cli("lint").stdout == ""
    for rule in rules:
        put(cat, rule)
    out = run_cli("lint", "--fix").stdout.splitlines()
    assert [line for line in out if "(DP501)" in line] == [
        f"{cat.as_posix()}/{page}: fixed: regenerated {page} (DP501)" for page in sorted(pages)]
    assert len(out) == len(set(out)), out
    assert run_cli("lint").stdout == ""
    assert run_cli("lint", "--fix").stdout == ""


def test_fix_with_json_keeps_stdout_parseable(cat: Path, run_cli) -> None:
    put(cat, "DP301")
    result = run_cli("lint", "--fix", "--format", "json")
    assert json.loads(result.stdout) == []
    assert "fixed: year = 2022 (DP301)" in result.stderr
    assert read_paper(cat / GROK).year == 2022


def test_fix_rewrites_only_fixed_files_in_the_stable_layout(cat: Path) -> None:
    put(cat, "DP404")
    put(cat, "DP601")  # unfixable: stays a finding, its file untouched by the fix
    before = {p: p.read_bytes() for p in cat.rglob("*.toml") if p.name != "2201.02177.toml"}
    changes, remaining, _ = engine.fix(cat)
    assert [c.rule for c in changes] == ["DP404"]
    assert [p.rule for p in remaining] == ["DP601"]
    assert {p: p.read_bytes() for p in before} == before
    fixed = cat / GROK
    assert fixed.read_text(encoding="utf-8") == paper_to_toml(read_paper(fixed))


def test_list_rules_lists_every_rule(run_cli) -> None:
    out = run_cli("lint", "--list-rules").stdout
    for rule_id in all_rules():
        assert rule_id in out
    items = json.loads(run_cli("lint", "--list-rules", "--format", "json").stdout)
    assert {i["id"] for i in items} == set(all_rules())


def test_rules_page_matches_the_registry(run_cli) -> None:
    committed = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), (
        "docs/lint-rules.md is stale: deepphen lint --list-rules --format md > docs/lint-rules.md")
    assert run_cli("lint", "--list-rules", "--format", "md").stdout == committed


def test_every_rule_documents_a_bad_and_a_good_example() -> None:
    for r in all_rules().values():
        assert r.id[2] in "123456" and r.level in ("error", "warning")
        assert "Bad:" in r.doc and "Good:" in r.doc, r.id
        assert r.description.endswith("."), r.id


def test_finding_text_form() -> None:
    finding = Finding("c/a.toml", 3, 7, "DP301", "error", "year 2024 but ...")
    assert str(finding) == "c/a.toml:3:7: year 2024 but ... (DP301)"


def test_pre_commit_hook_and_workflow_example_run_lint() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: deepphen-lint" in hooks and "entry: deepphen lint" in hooks
    workflow = (ROOT / "docs" / "github-actions-example.yml").read_text(encoding="utf-8")
    assert "deepphen lint" in workflow


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
# Words similar_pairs reads as a series marker (Part III, Vol 2), not as a typo.
_SERIES = re.compile(r"[ivx]+|part|vol|volume")


@settings(max_examples=60, deadline=None)
@example(words=["aaaaa", "aaaaaa", "iii", "aaa", "aab"], others=[], where=157, letter="x")
@given(words=st.lists(_WORD, min_size=5, max_size=12, unique=True),
       others=st.lists(st.lists(_WORD, min_size=3, max_size=10), max_size=20),
       where=st.integers(min_value=0), letter=st.sampled_from("qxz"))
def test_similar_pairs_finds_a_one_letter_typo(words: list[str], others: list[list[str]],
                                               where: int, letter: str) -> None:
    title = " ".join(words)
    pos = where % len(title)
    if title[pos] == " " or title[pos] == letter:
        return
    typo = title[:pos] + letter + title[pos + 1:]
    # "iii" -> "xii" is Part III against Part XII: a series, not a typo (DP306 says so).
    if any(_SERIES.fullmatch(w) for w in (*title.split(), *typo.split())):
        return
    titles = [" ".join(o) for o in others] + [title, typo]
    pairs = {(i, j) for i, j, _ in similar_pairs(titles)}
    assert (len(titles) - 2, len(titles) - 1) in pairs


def test_cached_and_raw_reads_give_the_same_findings(cat: Path) -> None:
    for rule in ("DP205", "DP306", "DP407"):
        put(cat, rule)
    cached = engine.load_context(cat)  # every file valid: read through the catalog cache
    raw = Context(cat, cached.settings, [read_file(p.path, cat) for p in cached.files],
                  cached.config)
    assert [f.rel for f in raw.files] == [f.rel for f in cached.files]
    assert engine.check(raw) == engine.check(cached)
    assert {p.rule for p in engine.check(raw)} == {"DP205", "DP306", "DP407"}


@pytest.mark.shared
def test_real_list_defects_are_found(real_list: Path, tmp_path: Path, run_cli) -> None:
    """The real list, imported with its defects: lint names the ones we know are there."""
    root = tmp_path / "real"
    run_cli("import", real_list, "--catalog", root, exit_code=None)
    found = json.loads(run_cli("lint", "--catalog", root, "--format", "json",
                               exit_code=1).stdout)
    by_rule: dict[str, set[str]] = {}
    for item in found:
        by_rule.setdefault(item["rule"], set()).add(Path(item["path"]).stem)
    assert {"2505.04741", "2505.05410"} <= by_rule["DP301"]  # 2025 papers under 2024
    assert "ai-models-collapse-when-trained-on" in by_rule["DP205"]  # utm_* and Echobox
    assert {"2504.05357", "1704.04289"} <= by_rule["DP202"]  # "#" after the abs URL
    assert "1906.00904" in by_rule["DP406"]  # no key words
    assert len(by_rule["DP407"]) >= 30  # key-word variants
    assert "proving-the-lottery-ticket-hypothesis-for" in by_rule["DP404"]
    assert "a-deep-learning-framework-for-neuroscience" in by_rule["DP414"]  # "A & B"
    # Few false positives: nothing outside the rules that have real defects in this list.
    assert len(by_rule["DP504"]) >= 30  # entries kept as written by import
    assert set(by_rule) <= {"DP202", "DP203", "DP205", "DP209", "DP301", "DP302", "DP404",
                            "DP406", "DP407", "DP408", "DP409", "DP410", "DP411", "DP414", "DP504"}
    changes, remaining, _ = engine.fix(root)
    assert len(changes) >= 50
    assert engine.fix(root)[0] == []
    assert not [p for p in remaining if p.fix is not None]


@settings(max_examples=200, deadline=None)
@given(path=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/-._~", max_size=30),
       query=st.lists(st.tuples(st.sampled_from(["utm_source", "id", "page", "fbclid", "q"]),
                                st.text(alphabet="abcxyz019", max_size=5)), max_size=4),
       fragment=st.sampled_from(["", "#", "#sec-2", "#Echobox=17"]))
@example(path="fbclid", query=[], fragment="")
def test_strip_tracking_keeps_everything_else_and_is_stable(path: str, query: list,
                                                             fragment: str) -> None:
    from deepphen.lint.rules.links import strip_tracking

    q = "&".join(f"{k}={v}" for k, v in query)
    url = f"https://example.org/{path}" + (f"?{q}" if q else "") + fragment
    clean = strip_tracking(url)
    assert strip_tracking(clean) == clean
    # Only the query and the fragment carry tracking: a path may well say "fbclid".
    rest = clean[len(f"https://example.org/{path}"):]
    assert clean.startswith(f"https://example.org/{path}")
    assert "utm_" not in rest and "fbclid" not in rest and "Echobox" not in rest
    if not any(k in ("utm_source", "fbclid") for k, _ in query) and fragment != "#Echobox=17":
        assert clean == url


def test_duplicate_arxiv_counts_a_paper_link_without_arxiv_field(cat: Path) -> None:
    from deepphen.models import Link, Paper

    twin = Paper(title="Emergent abilities, journal version", year=2022, section="others",
                 authors=["Jason Wei"], keywords=["Emergence"],
                 links=[Link("paper", "https://arxiv.org/abs/2206.07682v2")])
    (cat / "others" / "emergent-abilities-journal-version.toml").write_text(
        paper_to_toml(twin), encoding="utf-8")
    found = {(Path(p.path).name, p.rule, p.line) for p in engine.run(cat)}
    assert ("emergent-abilities-journal-version.toml", "DP304", 11) in found


def test_page_outside_the_catalog_is_reported_and_never_touched(cat: Path,
                                                                tmp_path: Path) -> None:
    """lint shares add's check of ``page``: one that leaves the catalog is a DP506 finding on
    catalog.toml, and --fix writes nothing there."""
    from deepphen.catalog import load_settings

    current = load_settings(cat)
    current.page = "../../outside.md"
    (cat / "catalog.toml").write_text(settings_to_toml(current), encoding="utf-8")
    outside = [f for f in engine.run(cat) if f.rule in ("DP501", "DP506")]
    assert len(outside) == 1 and outside[0].rule == "DP506"
    assert outside[0].path.endswith("catalog.toml")
    assert "leaves the catalog folder" in outside[0].message
    engine.fix(cat)
    assert not (tmp_path.parent / "outside.md").exists()


@pytest.mark.parametrize("rule_id", sorted(r.id for r in all_rules().values() if r.fixable))
def test_hints_of_unfixed_findings_say_what_to_do(cat: Path, run_cli, rule_id: str) -> None:
    """A run without --fix changed nothing: its hints say what to run, never what was done
    ("regenerated README.md" read as if lint had already written it)."""
    put(cat, rule_id)
    items = json.loads(run_cli("lint", "--format", "json", exit_code=None).stdout)
    hints = [item["hint"] for item in items if item["rule"] == rule_id]
    assert hints
    for hint in hints:
        first = hint.split()[0]
        assert not first.endswith("ed") and first not in ("wrote", "split"), hint
    if rule_id == "DP501":
        assert hints == ["run 'deepphen lint --fix' to regenerate README.md"]


def test_fix_waiting_for_another_writer_says_so_on_stderr(cat: Path, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Another deepphen holds the lock: --fix says it waits (then, here, the other writer
    finishes as soon as it is told, so nothing sleeps) and fixes the file."""
    from deepphen.cli import output
    from deepphen.fsutil import catalog_lock

    path = cat / "empirical-study" / "1611.03530.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"Generalization",', '"generalization ",'), encoding="utf-8")
    other = catalog_lock(cat)
    other.__enter__()
    told = output.lock_wait_notice

    def notice_then_release(lock: Path, timeout: float) -> None:
        told(lock, timeout)
        other.__exit__(None, None, None)

    monkeypatch.setattr(output, "lock_wait_notice", notice_then_release)
    result = run_cli("lint", "--fix")
    assert "another deepphen process is writing this catalog; waiting up to 30s" in result.stderr
    assert '"Generalization",' in path.read_text(encoding="utf-8")


def test_findings_in_a_catalog_found_here_name_it_relative(
        cat: Path, run_cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`deepphen lint` at the repository's top names catalog/..., not an absolute path."""
    put(cat, "DP301")
    monkeypatch.delenv("DEEPPHEN_CATALOG")
    monkeypatch.chdir(cat.parent)
    findings = run_cli("lint", exit_code=1).stdout.splitlines()[:-1]  # the last: a summary
    assert findings and all(line.startswith("catalog/others/") for line in findings)


def test_fix_leaves_a_file_with_a_comment_as_it_is(cat: Path, run_cli) -> None:
    """Fixing writes a paper file from its data: a curator's comment would be lost. The
    file is left alone and named with the comment's line; the other files are fixed."""
    put(cat, "DP404")  # GROK: a warning --fix mends
    put(cat, "DP205")  # a warning too, in a file that gets a comment
    path = cat / "others" / "ai-models-collapse-when-trained-on.toml"
    text = path.read_text(encoding="utf-8").replace("\nsection =", "\n# kept: see #12\nsection =")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("# kept: see #12") + 1
    result = run_cli("lint", "--fix", exit_code=1)  # a finding --fix could not mend remains
    assert path.read_text(encoding="utf-8") == text
    assert result.stderr.splitlines() == [
        f"deepphen: warning: {path}:{line}: has a comment, which rewriting the file would "
        "drop; not fixed (fix it by hand, or remove the comment and run 'deepphen lint "
        "--fix' again)"]
    assert "(DP404)" in result.stdout and "(DP205)" in result.stdout  # fixed; remains
    # What remains is not "fixable with --fix": --fix just ran, and says to fix it by hand.
    [remains] = [line for line in result.stdout.splitlines() if line.endswith("(DP205)")]
    assert "; fix it by hand (" in remains and "keeps 'deepphen lint --fix' off it" in remains
    assert "fixable with --fix" not in result.stdout
    assert read_paper(cat / GROK).authors.count("Yuri Burda") == 1
    assert [p.rule for p in engine.run(cat)] == ["DP205"]


def test_rename_and_move_hints_work_from_where_lint_ran(
        cat: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """DP105's and DP106's ``git mv`` named paths inside the catalog folder: run from the
    repository's root, as lint is, the command failed ("bad source"). Its paths are now the
    ones the findings show."""
    import shlex

    put(cat, "DP105")
    put(cat, "DP106")
    monkeypatch.delenv("DEEPPHEN_CATALOG")
    monkeypatch.chdir(cat.parent)
    out = run_cli("lint", "--catalog", "catalog", "--rule", "DP105", "--rule", "DP106",
                  exit_code=1).stdout
    commands = re.findall(r"(git mv .*?\.toml .*?\.toml)", out)
    assert len(commands) >= 2, out
    for command in commands:
        source = shlex.split(command)[2]
        assert source.startswith("catalog/") and Path(source).is_file(), command


@pytest.mark.parametrize(("content", "why"), [
    (b"x" * 65, "larger than"),
    (b"# A list\n\xff\xfe\n", "can't decode"),
])
def test_a_page_lint_cannot_read_is_a_finding_not_a_crash(
        cat: Path, run_cli, monkeypatch: pytest.MonkeyPatch, content: bytes, why: str) -> None:
    """The committed page is read as any page is, bounded (a disk image committed as
    README.md is not read whole) and as UTF-8: what cannot be read is one DP501 finding at
    its line 1, and --fix does not overwrite it."""
    from deepphen import paths

    monkeypatch.setattr(paths, "MAX_PAGE_BYTES", 64)
    put(cat, "DP501")  # a catalog whose page is README.md
    page = cat / "README.md"
    page.write_bytes(content)
    items = json.loads(run_cli("lint", "--format", "json", exit_code=1).stdout)
    found = [item for item in items if item["rule"] == "DP501"]
    assert len(found) == 1 and found[0]["line"] == 1, found
    assert found[0]["message"].startswith("cannot read the page: ") and why in found[0]["message"]
    run_cli("lint", "--fix", exit_code=1)
    assert page.read_bytes() == content


@pytest.mark.parametrize("rewrite", [
    lambda text: text.replace("\n", "\r\n"),  # a Windows checkout (core.autocrlf)
    lambda text: "\ufeff" + text,  # an editor's byte-order mark
])
def test_a_page_checked_out_with_other_line_ends_is_the_same_page(cat: Path, run_cli,
                                                                  rewrite) -> None:
    """The page is compared as import reads it (deepphen.dialect.page_text): CR LF line ends
    and a BOM do not make it out of date, and --fix leaves its bytes alone."""
    put(cat, "DP501")
    run_cli("lint", "--fix")
    page = cat / "README.md"
    page.write_bytes(rewrite(page.read_text(encoding="utf-8")).encode("utf-8"))
    before = page.read_bytes()
    assert run_cli("lint").stdout == ""
    run_cli("lint", "--fix")
    assert page.read_bytes() == before


def test_a_misspelling_counts_the_papers_of_every_spelling_of_its_target(cat: Path) -> None:
    """DP408 names the common key word by its tidied spelling, which the catalog may write
    nowhere ("Generalization." in every paper): the count is of the papers, not "0"."""
    put(cat, "DP408")
    for path in cat.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"Generalization",', '"Generalization.",'),
                        encoding="utf-8")
    messages = [f.message for f in engine.run(cat) if f.rule == "DP408"]
    assert messages and all("(2 papers)" in m for m in messages), messages


def test_rename_hints_never_name_a_file_that_is_there(cat: Path, run_cli) -> None:
    """DP105 told a wrongly named file to move onto the name another paper's file has (the
    second of two papers sharing a title's slug; an arXiv paper whose id's file exists)."""
    import shlex

    put(cat, "DP105")
    collapse = cat / "others" / "model-collapse.toml"
    shutil.copyfile(collapse, cat / "others" / "ai-models-collapse-when-trained-on.toml")
    shutil.copyfile(collapse, cat / "others" / "model-collapse-twin.toml")
    shutil.copyfile(cat / "others" / "grokking.toml", cat / GROK)
    out = run_cli("lint", "--rule", "DP105", exit_code=1).stdout
    renames = re.findall(r"git mv .*?\.toml .*?\.toml", out)
    targets = sorted(Path(shlex.split(rename)[3]) for rename in renames)
    # The twins are offered a name each: the second git mv must not meet the first's file.
    assert [t.name for t in targets] == ["ai-models-collapse-when-trained-on-2.toml",
                                         "ai-models-collapse-when-trained-on-3.toml"]
    assert not any(t.exists() for t in targets)
    [twin] = [line for line in out.splitlines() if "grokking.toml" in line]
    assert f"{cat / GROK} exists: if it holds the same paper, keep one of the two" in twin
