"""Every example a user reads names what exists, and the offline ones run as documented.

The examples are read where users read them: the "Examples:" of each command's --help (as
printed, through the one CLI runner), and every `deepphen ...` command in README.md,
CONTRIBUTING.md, docs/*.md (code blocks and inline code) and the workflow examples docs/*.yml.
Each must name an existing command and only options that command has; each one in a code
block or in --help (to be copied as it is) must also parse as the command line it is. The
examples of the commands that need no network then run on a copy of the shipped catalog and
must exit as documented.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import typer.main

from deepphen import discover as discover_core
from deepphen.arxiv import Client
from deepphen.cli.main import app
from tests.arxiv_query import CorpusEntry
from tests.arxiv_server import FakeTime
from tests.discover_corpus import make_corpus
from tests.helpers import make_catalog

ROOT = Path(__file__).resolve().parents[1]
GROUP = typer.main.get_command(app)
COMMANDS: dict[str, click.Command] = GROUP.commands  # type: ignore[attr-defined]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
WORKFLOWS = [*sorted((ROOT / "docs").glob("*.yml")), ROOT / "action.yml",
             ROOT / ".pre-commit-hooks.yaml"]
HELP_WIDTH = "80"  # the terminal width an example must fit without wrapping
# Commands that run offline; the others (add, refresh, discover) need the arXiv API.
OFFLINE = {"search", "lint", "export", "stats"}
# Examples that do not exit 0 on the shipped catalog, and why.
EXPECTED_EXIT = {
    # a page a two-page catalog declares; the shipped catalog has one page
    "export --format md --page FULL_LIST.md -o catalog/FULL_LIST.md": 2,
}


def commands_in(line: str) -> Iterator[list[str]]:
    """The ``deepphen`` invocations of one shell line, as argv lists without "deepphen"
    (pipes, redirections, ``&&`` and ``;`` end one; comments are dropped)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:  # not shell (unbalanced quotes in prose)
        return
    segment: list[str] = []
    for token in [*tokens, ";"]:
        if token and set(token) <= set("();<>|&"):
            if segment[:1] == ["deepphen"]:
                yield segment[1:]
            segment = []
        else:
            segment.append(token)


def doc_examples() -> list[tuple[str, str, bool]]:
    """(where, command line, copyable) for every ``deepphen`` command in the docs: lines of
    code blocks and workflow files are copyable; inline code in prose may hold placeholders."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        in_block = False
        for number, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("```"):
                in_block = not in_block
                continue
            if in_block:
                found += [(f"{rel}:{number}", line.strip(), True)]
            else:
                found += [(f"{rel}:{number}", span, False)
                          for span in re.findall(r"`+(deepphen(?: [^`]*)?)`+", line)]
    for path in WORKFLOWS:
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = re.sub(r"^\s*(?:-\s+)?(?:run|entry):\s*", "", line).strip()
            found += [(f"{rel}:{number}", text, True)]
    return [(where, line, copyable) for where, line, copyable in found
            if any(True for _ in commands_in(line))]


def help_examples(text: str) -> list[str]:
    """The example lines of a --help text, as printed."""
    block = text.split("Examples:", 1)[1].split("╭", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


def option_names(command: click.Command) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)
            if name.startswith("-")} | {"--help", "-h"}


def check(argv: list[str], *, parse: bool) -> None:
    """``deepphen`` + argv names a command and its options; with ``parse``, click reads it
    as that command's command line (values of the right type, required arguments given)."""
    if any("$" in arg for arg in argv):  # a shell variable: the names around it still count
        parse = False
        argv = [arg for arg in argv if "$" not in arg]
    if not argv or argv[0].startswith("-"):
        unknown = [a for a in argv if a.startswith("-") and a not in option_names(GROUP)]
        assert not unknown, f"deepphen has no option {unknown}"
        return
    name, *args = argv
    assert name in COMMANDS, f"no command {name!r} (commands: {', '.join(COMMANDS)})"
    command = COMMANDS[name]
    names = option_names(command)
    unknown = [a.split("=", 1)[0] for a in args
               if a.startswith("-") and a != "-" and a.split("=", 1)[0] not in names]
    assert not unknown, f"'deepphen {name}' has no option {unknown}"
    if parse and "--help" not in args and "-h" not in args:
        try:
            with click.Context(GROUP, info_name="deepphen") as parent:
                command.make_context(name, list(args), parent=parent)
        except click.ClickException as exc:
            raise AssertionError(f"'deepphen {shlex.join(argv)}': {exc.format_message()}") \
                from None


# ---------------------------------------------------------------------------------------
# --help

def _help(run_cli, monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", HELP_WIDTH)
    monkeypatch.setenv("TERMINAL_WIDTH", HELP_WIDTH)
    return run_cli(*argv, "--help").stdout


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_help_examples_name_real_options_and_parse(name: str, run_cli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    examples = help_examples(_help(run_cli, monkeypatch, *([name] if name else [])))
    assert examples, f"'deepphen {name} --help' shows no example"
    for example in examples:
        argvs = list(commands_in(example))
        assert len(argvs) == 1, f"not one deepphen command: {example!r}"
        if name:
            assert argvs[0][:1] == [name], f"an example of another command: {example!r}"
        check(argvs[0], parse=True)


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_help_examples_fit_a_terminal_without_wrapping(name: str, run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example of the docstring is printed whole on one line of an 80-column
    terminal, indented like the others: a wrapped example cannot be copied."""
    callback = COMMANDS[name].callback if name else GROUP.callback
    doc = inspect.getdoc(inspect.unwrap(callback)) or ""
    written = help_examples(doc)
    printed = _help(run_cli, monkeypatch, *([name] if name else []))
    block = printed.split("Examples:", 1)[1].split("╭", 1)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert [line.strip() for line in lines] == written
    assert len({len(line) - len(line.lstrip()) for line in lines}) == 1, lines


# ---------------------------------------------------------------------------------------
# README.md, CONTRIBUTING.md, docs/

DOC_EXAMPLES = doc_examples()


def test_the_docs_show_examples_of_every_command() -> None:
    shown = {argv[0] for _, line, _ in DOC_EXAMPLES for argv in commands_in(line) if argv}
    assert set(COMMANDS) <= shown


@pytest.mark.parametrize(("where", "line", "copyable"), DOC_EXAMPLES,
                         ids=[f"{w} {line[:60]}" for w, line, _ in DOC_EXAMPLES])
def test_doc_examples_name_real_commands_and_options(where: str, line: str,
                                                     copyable: bool) -> None:
    for argv in commands_in(line):
        check(argv, parse=copyable)


# ---------------------------------------------------------------------------------------
# The offline examples run on the shipped catalog.

@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a copy of the shipped catalog, as a list's repository would."""
    top = tmp_path_factory.mktemp("list-repo")
    shutil.copytree(ROOT / "catalog", top / "catalog",
                    ignore=shutil.ignore_patterns(".deepphen-cache"))
    return top


def _offline_examples() -> list[str]:
    lines = [line for _, line, copyable in DOC_EXAMPLES if copyable]
    for command in COMMANDS.values():
        lines += help_examples(inspect.getdoc(inspect.unwrap(command.callback)) or "")
    argvs = {shlex.join(argv) for line in lines for argv in commands_in(line)
             if argv and argv[0] in OFFLINE and "--catalog" not in argv}
    return sorted(argvs)


@pytest.mark.parametrize("example", _offline_examples())
def test_offline_examples_run_on_the_shipped_catalog(example: str, shipped: Path, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(shipped)
    argv = shlex.split(example)
    code = EXPECTED_EXIT.get(example, 0)
    result = run_cli(*argv, exit_code=code)
    if code == 0 and "json" in argv:  # --format json is JSON, as docs/json-schema.md says
        data = json.loads(result.stdout)
        if argv[0] == "export":
            assert set(data) == {"papers"} and data["papers"]
        elif argv[0] == "search":
            assert isinstance(data, list) and data


# ---------------------------------------------------------------------------------------
# The arXiv examples run against the test stand-in (tests/arxiv_server.py), each on a fresh
# small catalog, with no real waiting and "today" fixed.

NETWORK = {"add", "refresh", "discover"}
TODAY = dt.date(2025, 5, 22)  # discover's relative windows (7d, 14d, 30d) reach the corpus
NEEDS_A_TERMINAL = {"--interactive", "-i"}
# Papers the add examples name that tests/fixtures/arxiv does not hold (facts only).
ADDED = [
    CorpusEntry("2203.15556", "Training Compute-Optimal Large Language Models",
                ["Jordan Hoffmann", "Sebastian Borgeaud", "Arthur Mensch"],
                "Invented for the tests: scaling model size and training tokens together.",
                ["cs.CL", "cs.LG"], dt.datetime(2022, 3, 29, 17, 0)),
    CorpusEntry("2001.08361", "Scaling Laws for Neural Language Models",
                ["Jared Kaplan", "Sam McCandlish", "Tom Henighan"],
                "Invented for the tests: loss falls as a power law in size, data and compute.",
                ["cs.LG", "stat.ML"], dt.datetime(2020, 1, 23, 18, 0)),
]


def _network_examples() -> list[str]:
    lines = [line for _, line, copyable in DOC_EXAMPLES if copyable]
    for command in COMMANDS.values():
        lines += help_examples(inspect.getdoc(inspect.unwrap(command.callback)) or "")
    argvs = {shlex.join(argv) for line in lines for argv in commands_in(line)
             if argv and argv[0] in NETWORK and "--catalog" not in argv
             and not NEEDS_A_TERMINAL & set(argv)}
    return sorted(argvs)


@pytest.mark.parametrize("example", _network_examples())
def test_arxiv_examples_run_against_the_stand_in(example: str, tmp_path: Path, arxiv,
                                                 run_cli, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    fake = FakeTime()
    monkeypatch.setattr(Client, "default_sleep", staticmethod(fake.sleep))
    monkeypatch.setattr(Client, "default_clock", staticmethod(fake.clock))
    monkeypatch.setattr(discover_core, "utc_today", lambda: TODAY)
    arxiv.corpus = [*make_corpus(TODAY - dt.timedelta(days=2), noise=20), *ADDED]
    make_catalog(tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(example)
    # refresh exits 1 when arXiv changed something it did not write (its help says so)
    codes = {0, 1} if argv[0] == "refresh" and "--write" not in argv else {0}
    if argv[0] == "add" and not {"-s", "--section", "--accept-suggestion", "--dry-run",
                                 "-n"} & set(argv):
        codes = {2}  # asks on a terminal; elsewhere "pass --section or --accept-suggestion"
    result = run_cli(*argv, exit_code=None)
    assert result.exit_code in codes, result.stderr
    assert "Traceback" not in result.stderr
    if "json" in argv:
        data = json.loads(result.stdout)
        if argv[0] == "add":  # one id: one object; several: a list of them
            ids = [a for a in argv[1:] if re.match(r"(?:https?://)?[\w./:]*\d{4}\.\d{5}", a)]
            items = [data] if len(ids) == 1 else data
            assert len(items) == len(ids)
            assert all(set(item) == {"paper", "suggested_sections", "suggested_keywords",
                                     "path"} for item in items)
        if argv[0] == "discover":
            assert data and {"arxiv", "title", "authors", "published", "score", "why",
                             "suggested_sections", "suggested_keywords"} <= set(data[0])
    if argv[0] == "discover" and "md" in argv:
        assert "\n- [ ] " in result.stdout and "`deepphen add " in result.stdout


def test_the_two_page_setup_runs_as_documented(tmp_path: Path, run_cli,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/catalog-format.md's commands for a full list and a front page, in order, exit 0;
    then `import --force` (import's help) replaces that two-page catalog, pages kept."""
    page = run_cli("export", "--format", "md", "--catalog",
                   make_catalog(tmp_path / "source")).stdout
    work = tmp_path / "list"
    work.mkdir()
    for name in ("README.md", "FULL_LIST.md"):
        (work / name).write_text(page, encoding="utf-8")
    monkeypatch.chdir(work)
    steps = [argv for where, line, copyable in DOC_EXAMPLES
             if where.startswith("docs/catalog-format.md:") and copyable
             for argv in commands_in(line)]
    assert [argv[0] for argv in steps] == ["import", "import", "export", "export", "lint"]
    for argv in steps:
        run_cli(*argv)
    pages = {name: (work / "catalog" / name).read_text(encoding="utf-8")
             for name in ("README.md", "FULL_LIST.md")}
    run_cli("import", "README.md", "--catalog", "catalog", "--force")
    assert {name: (work / "catalog" / name).read_text(encoding="utf-8")
            for name in pages} == pages


def test_import_examples_run_each_in_a_list_s_folder(tmp_path: Path, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """import's --help examples all name --catalog, so the shipped-catalog run above skips
    them: each runs here in a fresh folder holding a list's pages (README.md and FULL_LIST.md),
    after the import a --merge example presupposes; /tmp paths are kept inside tmp_path."""
    page = run_cli("export", "--format", "md", "--catalog",
                   make_catalog(tmp_path / "source")).stdout
    examples = help_examples(inspect.getdoc(inspect.unwrap(COMMANDS["import"].callback)) or "")
    assert len(examples) >= 3
    for number, example in enumerate(examples):
        work = tmp_path / f"list-{number}"
        work.mkdir()
        for name in ("README.md", "FULL_LIST.md"):
            (work / name).write_text(page, encoding="utf-8")
        monkeypatch.chdir(work)
        [argv] = list(commands_in(example))
        argv = [str(work / arg.removeprefix("/tmp/")) if arg.startswith("/tmp/") else arg
                for arg in argv]
        if "--merge" in argv:  # a second page merges into a catalog made from the first
            run_cli("import", "FULL_LIST.md", "--catalog", "catalog", "--page", "FULL_LIST.md")
        # 'curl URL | deepphen import -': the page comes on standard input.
        result = run_cli(*argv, exit_code=None, input=page if "-" in argv else None)
        assert result.exit_code == 0, f"{example}: {result.stderr}"
        folder = work / argv[argv.index("--catalog") + 1]
        assert (folder / "catalog.toml").is_file(), example
        if "json" in argv:
            assert json.loads(result.stdout)["papers"] > 0
