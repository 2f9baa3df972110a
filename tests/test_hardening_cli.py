"""Every command, fed bad arguments and broken input, fails cleanly.

The commands are discovered from the typer app, so a command added later is swept too. For
each failure: no traceback, an exit code from the documented set {1, 2}, and (for exit 2) one
``deepphen: error:`` line on stderr naming the file, line or value at fault.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer.main

from deepphen.cli.main import app
from deepphen.errors import EXIT_FINDINGS, EXIT_USAGE, NetworkError
from tests.helpers import make_catalog

Run = Callable[..., object]  # the run_cli fixture
ERROR_PREFIX = "deepphen: error:"
HUGE = "x" * 100_000
# Values crafted to escape the catalog folder or confuse path handling. ABSOLUTE stands for
# an absolute path to a system file: a stand-in in the test's folder (``system_file``), never
# the machine's own /etc/passwd, which a defect writing to such an option's value would
# overwrite when the suite runs as root (it did once, during development).
ABSOLUTE = "/etc/passwd"
CRAFTED = ["../x", "../../etc/passwd", ABSOLUTE, "a\x00b", "..", "C:\\x", HUGE]

COMMANDS = typer.main.get_command(app).commands
# Arguments that make a command reach the catalog (search needs a query, and a filter to read
# catalog.toml); commands not listed get a value for each required argument.
REACH_CATALOG = {"search": ["grokking", "--section", "others"]}
REQUIRED_FILLER = "2201.02177"
# Commands whose --catalog is where they write, not what they read.
WRITES_NEW_CATALOG = {"import"}


@pytest.fixture(autouse=True)
def offline_arxiv(monkeypatch: pytest.MonkeyPatch) -> None:
    """Network commands fail at once instead of retrying against the blocked test address."""
    try:
        from deepphen import arxiv
    except ImportError:
        return

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise NetworkError("offline in tests")

    monkeypatch.setattr(arxiv.Client, "fetch", refuse)


@pytest.fixture
def system_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The stand-in for /etc/passwd that both "/etc/passwd" (ABSOLUTE, replaced by it) and
    "../../etc/passwd" (from the working folder set here) reach; it must stay as it was."""
    sentinel = tmp_path / "etc" / "passwd"
    sentinel.parent.mkdir()
    sentinel.write_text("root:x:0:0:root:/root:/bin/sh\n", encoding="utf-8")
    (tmp_path / "cwd" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "cwd" / "sub")
    yield sentinel
    assert sentinel.read_text(encoding="utf-8") == "root:x:0:0:root:/root:/bin/sh\n"
    assert sorted(p.name for p in sentinel.parent.iterdir()) == ["passwd"]


def crafted(value: str, system_file: Path) -> str:
    """A CRAFTED value as the test passes it: ABSOLUTE is the test's stand-in."""
    return str(system_file) if value == ABSOLUTE else value


@pytest.fixture
def invoke(run_cli: Callable[..., object]) -> Callable[..., object]:
    """The shared runner, taking any exit code and recording (not raising) an uncaught
    exception, which assert_clean_failure then reports."""
    return functools.partial(run_cli, exit_code=None, catch_exceptions=True)


def assert_clean_failure(result: object, *mentions: str, codes: set[int] | None = None) -> None:
    """No traceback, a documented exit code, and the fault named in the message."""
    exc = result.exception  # type: ignore[attr-defined]
    assert exc is None or isinstance(exc, SystemExit), f"uncaught {exc!r}\n{result.stderr}"
    out, err = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in out + err
    assert result.exit_code in (codes or {EXIT_FINDINGS, EXIT_USAGE}), (  # type: ignore[attr-defined]
        f"exit {result.exit_code}\nstdout: {out[:500]}\nstderr: {err[:500]}"  # type: ignore[attr-defined]
    )
    if result.exit_code == EXIT_USAGE:  # type: ignore[attr-defined]
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err[:1000]
        where = lines[0]
    else:
        where = out + err
    for mention in mentions:
        assert mention in where, f"{mention!r} not named in: {where[:500]}"


def required_args(name: str) -> list[str]:
    if name in REACH_CATALOG:
        return list(REACH_CATALOG[name])
    out = []
    for param in COMMANDS[name].params:
        if param.param_type_name == "argument" and param.required:
            out.append(REQUIRED_FILLER)
    return out


def value_options(name: str) -> list[object]:
    """The options of a command that take a value (not flags)."""
    return [p for p in COMMANDS[name].params
            if p.param_type_name == "option" and not getattr(p, "is_flag", False)]


# The commands each test applies to: parametrize over these, never skip a case.
FORMAT_COMMANDS = sorted(n for n in COMMANDS if any("--format" in p.opts for p in value_options(n)))
POSITIONAL_COMMANDS = sorted(n for n in COMMANDS
                             if any(p.param_type_name == "argument" for p in COMMANDS[n].params))
READING_COMMANDS = sorted(set(COMMANDS) - WRITES_NEW_CATALOG)


def test_commands_are_discovered() -> None:
    assert {"search", "export", "lint", "stats", "import"} <= set(COMMANDS)


# --- bad arguments ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_unknown_option(invoke: Run, name: str, catalog_dir: Path) -> None:
    result = invoke(name, *required_args(name), "--no-such-option")
    assert_clean_failure(result, "--no-such-option", codes={EXIT_USAGE})


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_option_without_its_value(invoke: Run, name: str, catalog_dir: Path) -> None:
    for param in value_options(name):
        result = invoke(name, *required_args(name), param.opts[0])
        assert_clean_failure(result, param.opts[0], codes={EXIT_USAGE})


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_integer_options_refuse_words(invoke: Run, name: str, catalog_dir: Path) -> None:
    for param in value_options(name):
        if param.bare_type() != "int":
            continue
        for bad in ("abc", "1e3", "2.5", ""):
            result = invoke(name, *required_args(name), param.opts[0], bad)
            assert_clean_failure(result, param.opts[0], codes={EXIT_USAGE})


@pytest.mark.parametrize("name", FORMAT_COMMANDS)
def test_format_option_refuses_unknown_value(invoke: Run, name: str, catalog_dir: Path) -> None:
    result = invoke(name, *required_args(name), "--format", "nosuchformat")
    assert_clean_failure(result, "nosuchformat", codes={EXIT_USAGE})


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_crafted_values_in_text_options(invoke: Run, name: str, catalog_dir: Path,
                                        system_file: Path) -> None:
    """Paths, NUL bytes and huge strings in any text option: a clean answer or clean error."""
    for param in value_options(name):
        if param.bare_type() not in ("str", "list[str]"):
            continue
        for bad in CRAFTED:
            result = invoke(name, *required_args(name), param.opts[0],
                            crafted(bad, system_file))
            if result.exit_code != 0:
                assert_clean_failure(result)
    assert_catalog_untouched(catalog_dir)


@pytest.mark.parametrize("name", POSITIONAL_COMMANDS)
@pytest.mark.parametrize("bad", CRAFTED)
def test_crafted_positional_arguments(invoke: Run, name: str, bad: str, catalog_dir: Path,
                                      tmp_path: Path, system_file: Path) -> None:
    """Queries and ids shaped like paths never read or write outside the catalog."""
    arguments = [p for p in COMMANDS[name].params if p.param_type_name == "argument"]
    args = [crafted(bad, system_file) if i == 0 else REQUIRED_FILLER
            for i, _ in enumerate(arguments)]
    extra = ["--catalog", str(tmp_path / "new")] if name in WRITES_NEW_CATALOG else []
    result = invoke(name, *args, *extra)
    if result.exit_code != 0:
        assert_clean_failure(result)
    assert_catalog_untouched(catalog_dir)
    assert not (tmp_path / "cwd" / "x").exists()  # "../x" from the working folder


def assert_catalog_untouched(root: Path) -> None:
    """No stray files: only the sample catalog's folders, papers and derived cache."""
    names = {p.relative_to(root).parts[0] for p in root.rglob("*")}
    assert names <= {"catalog.toml", ".deepphen-cache", ".deepphen.lock", "empirical-study",
                     "neural-collapse", "emergence-and-phase-transitions", "others"}, names
    assert not [p for p in root.rglob(".deepphen-tmp-*")]


# --- broken catalogs --------------------------------------------------------------------

PAPER = "others/1803.03635.toml"


def _missing(root: Path) -> tuple[Path, str]:
    return root.parent / "nowhere", "nowhere"


def _file_not_folder(root: Path) -> tuple[Path, str]:
    path = root.parent / "afile"
    path.write_text("just a file\n", encoding="utf-8")
    return path, "afile"


def _settings_syntax(root: Path) -> tuple[Path, str]:
    make_catalog(root)
    with open(root / "catalog.toml", "a", encoding="utf-8") as handle:
        handle.write('broken = "no end\n')
    line = len((root / "catalog.toml").read_text(encoding="utf-8").splitlines())
    return root, f"catalog.toml:{line}:"


def _settings_wrong_type(root: Path) -> tuple[Path, str]:
    make_catalog(root)
    text = (root / "catalog.toml").read_text(encoding="utf-8")
    (root / "catalog.toml").write_text(text.replace('title = "Test List"', "title = 3"),
                                       encoding="utf-8")
    return root, "catalog.toml:1:"


def _settings_is_folder(root: Path) -> tuple[Path, str]:
    (root / "catalog.toml").mkdir(parents=True)
    return root, "catalog"


def _paper_syntax(root: Path) -> tuple[Path, str]:
    make_catalog(root)
    with open(root / PAPER, "a", encoding="utf-8") as handle:
        handle.write("[[links]\n")
    return root, "1803.03635.toml"


def _paper_wrong_type(root: Path) -> tuple[Path, str]:
    make_catalog(root)
    text = (root / PAPER).read_text(encoding="utf-8")
    (root / PAPER).write_text(text.replace("year = 2018", 'year = "soon"'), encoding="utf-8")
    return root, "1803.03635.toml"


def _paper_not_utf8(root: Path) -> tuple[Path, str]:
    make_catalog(root)
    (root / "others" / "latin1.toml").write_bytes(
        'title = "Caf\xe9"\nyear = 2020\nsection = "others"\n'.encode("latin-1"))
    return root, "latin1.toml"


def _paper_binary(root: Path) -> tuple[Path, str]:
    make_catalog(root)
    (root / "others" / "image.toml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return root, "image.toml"


BROKEN = {
    "missing": _missing, "file-not-folder": _file_not_folder,
    "settings-syntax": _settings_syntax, "settings-wrong-type": _settings_wrong_type,
    "settings-is-folder": _settings_is_folder, "paper-syntax": _paper_syntax,
    "paper-wrong-type": _paper_wrong_type, "paper-not-utf8": _paper_not_utf8,
    "paper-binary": _paper_binary,
}


@pytest.mark.parametrize("name", READING_COMMANDS)
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_catalog(invoke: Run, name: str, kind: str, tmp_path: Path) -> None:
    build: Callable[[Path], tuple[Path, str]] = BROKEN[kind]
    root, mention = build(tmp_path / "catalog")
    result = invoke(name, *required_args(name), "--catalog", str(root))
    assert_clean_failure(result, mention)


@pytest.mark.parametrize("kind", ["file-not-folder", "settings-syntax", "paper-wrong-type"])
def test_import_into_unusable_folder(invoke: Run, kind: str, tmp_path: Path) -> None:
    """import refuses a file, or a folder holding something, as its target."""
    page = tmp_path / "list.md"
    page.write_text("# A List\n\n## Others\n\n### Others: 2020\n\n"
                    "- Some Paper Title. [[paper]](https://arxiv.org/abs/2001.00001)\n"
                    "  - Ann Author.\n  - Key Word: Testing.\n", encoding="utf-8")
    root, mention = BROKEN[kind](tmp_path / "catalog")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = invoke("import", str(page), "--catalog", str(root))
    assert_clean_failure(result, mention if kind == "file-not-folder" else "catalog")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("content", [
    b"\xff\xfe\x00l\x00i\x00s\x00t", b"\x89PNG\r\n\x1a\n\x00\x00", b"", b"plain words\n",
])
def test_import_refuses_files_that_are_not_lists(invoke: Run, content: bytes,
                                                 tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(content)
    result = invoke("import", str(page), "--catalog", str(tmp_path / "out"))
    assert_clean_failure(result, "page.md", codes={EXIT_USAGE})
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("target", ["folder", "missing-parent-file", "nul"])
def test_export_output_path_errors(invoke: Run, target: str, catalog_dir: Path,
                                   tmp_path: Path) -> None:
    if target == "folder":
        path, mention = str(tmp_path), str(tmp_path)
    elif target == "missing-parent-file":
        (tmp_path / "plain").write_text("x", encoding="utf-8")
        path, mention = str(tmp_path / "plain" / "out.md"), "out.md"
    else:
        path, mention = str(tmp_path / "a\x00b.md"), "a"
    result = invoke("export", "-o", path)
    assert_clean_failure(result, mention, codes={EXIT_USAGE})
    assert not list(tmp_path.rglob(".deepphen-tmp-*"))


# --- the real console script -------------------------------------------------------------


def run_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``deepphen`` script if there is one, else ``python -m deepphen``."""
    script = Path(sys.executable).with_name("deepphen")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "deepphen"]
    env = {k: v for k, v in os.environ.items() if k != "DEEPPHEN_CATALOG"}
    env["NO_COLOR"] = "1"
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.mark.parametrize("args, mention, code", [
    (["search", "grokking", "--catalog", "nowhere"], "nowhere", EXIT_USAGE),
    (["search", "grokking", "--limit", "zero", "--catalog", "catalog"], "--limit", EXIT_USAGE),
    (["search", "grokking", "--bogus"], "--bogus", EXIT_USAGE),
    (["search", "../../etc/passwd", "--catalog", "catalog"], "etc/passwd", EXIT_FINDINGS),
    (["export", "--format", "yaml", "--catalog", "catalog"], "yaml", EXIT_USAGE),
    (["export", "--year", "twenty", "--catalog", "catalog"], "--year", EXIT_USAGE),
    (["lint", "--catalog", "broken"], "catalog.toml", EXIT_USAGE),
    (["import", "missing.md", "--catalog", "new"], "missing.md", EXIT_USAGE),
    (["no-such-command"], "no-such-command", EXIT_USAGE),
])
def test_console_script_errors(args: list[str], mention: str, code: int,
                               tmp_path: Path) -> None:
    make_catalog(tmp_path / "catalog")
    _settings_syntax(tmp_path / "broken")
    proc = run_script(*args, cwd=tmp_path)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == code, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert mention in lines[0], lines[0]


# --- writes never leave the catalog folder ------------------------------------------------


def test_write_refuses_a_symlinked_section_folder(tmp_path: Path) -> None:
    """A shared catalog may hold a link planted as a section folder; writes must not follow it."""
    from deepphen.catalog import write_paper
    from deepphen.errors import CatalogError
    from deepphen.models import Paper

    root = make_catalog(tmp_path / "catalog", papers=[])
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "others").symlink_to(outside, target_is_directory=True)
    paper = Paper(title="Planted", year=2020, section="others", key="2001.00001")
    with pytest.raises(CatalogError, match="symbolic link") as info:
        write_paper(root, paper)
    assert "others" in str(info.value)
    assert not list(outside.iterdir())


def test_lint_fix_refuses_a_symlinked_section_folder(tmp_path: Path, run_cli) -> None:
    """lint --fix rewrites paper files; one behind a linked section folder stays untouched."""
    from deepphen.models import Link, Paper

    outside = tmp_path / "outside"
    paper = Paper(title="Grokking", year=2022, section="others", authors=["A. Power"],
                  keywords=["Grokking"], arxiv="2201.02177",
                  links=[Link("paper", "https://arxiv.org/abs/2201.02177v2")])  # fixable
    make_catalog(outside, papers=[paper])
    root = make_catalog(tmp_path / "catalog", papers=[])
    (root / "others").symlink_to(outside / "others", target_is_directory=True)
    before = (outside / "others" / "2201.02177.toml").read_text(encoding="utf-8")
    result = run_cli("lint", "--fix", "--catalog", root, exit_code=2)
    assert "symbolic link" in result.stderr
    assert (outside / "others" / "2201.02177.toml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("value", ["nowhere", "afile"])
def test_catalog_from_environment_is_named(invoke: Run, value: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(tmp_path / value))
    for name in sorted(COMMANDS):
        if name in WRITES_NEW_CATALOG:
            continue
        result = invoke(name, *required_args(name))
        assert_clean_failure(result, "DEEPPHEN_CATALOG", value, codes={EXIT_USAGE})


@pytest.mark.parametrize("argv", [["search", "grokking", "--format", "ids"],  # typer-free path
                                  ["search", "grokking"], ["stats"],
                                  ["export", "--format", "md"],
                                  ["export", "-o", "/dev/stdout"],  # written as a device
                                  ["lint", "--list-rules"],
                                  ["--help"], ["export", "--help"],  # printed by typer
                                  ["search", "--help"], ["--version"],
                                  ["--show-completion", "bash"]])
@pytest.mark.parametrize("terminal", [False, True], ids=["plain", "rich"])
def test_a_reader_that_went_away_ends_the_command_quietly(argv: list[str], terminal: bool,
                                                          catalog_dir: Path) -> None:
    """`deepphen ... | head`: no traceback, no message, the status a shell shows for SIGPIPE
    (not 1, which would read as "nothing found"), whether deepphen, typer (--help) or rich
    (a terminal's table, which exits 1 on a broken pipe by itself) was writing."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: EPIPE on the first write
    env = {**os.environ, "DEEPPHEN_FORCE_TERMINAL": "1"} if terminal else None
    try:
        done = subprocess.run([sys.executable, "-m", "deepphen", *argv], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60, env=env)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141


def _on_a_terminal(argv: list[str], redirect: str) -> tuple[int, str]:
    """Run deepphen with its standard streams on a pseudo-terminal, but for the shell's
    ``redirect`` (``<&-``: stdin closed, Python's sys.stdin is None); its exit code and what
    the terminal showed. A child that waits for an answer nobody gives is killed (exit -9)."""
    import select
    import time

    controller, terminal = os.openpty()
    command = ["sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, "-m", "deepphen",
               *argv]
    with subprocess.Popen(command, stdin=terminal, stdout=terminal, stderr=terminal) as child:
        os.close(terminal)
        shown, deadline = b"", time.monotonic() + 30
        while time.monotonic() < deadline:
            if not select.select([controller], [], [], 1)[0]:
                if child.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        if child.poll() is None:
            child.kill()
        code = child.wait(timeout=60)
    os.close(controller)
    return code, shown.decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("argv", "code", "said"), [
    (["add", "2206.07682", "-s", "emergence-and-phase-transitions"], 0, "has no key words"),
    (["add", "2206.07682"], 2, "no section given"),
    (["discover", "--interactive"], 2, "--interactive needs a terminal")])
def test_a_closed_stdin_on_a_terminal_is_no_terminal(argv: list[str], code: int, said: str,
                                                     catalog_dir: Path, arxiv) -> None:
    """`deepphen add ... <&-` at a terminal: stdin was taken for the terminal (asked about
    None, is_terminal looked at stdout) and the prompt died in a traceback ("input(): lost
    sys.stdin"); discover --interactive fetched a whole window before failing the same way.
    A closed stdin is no terminal: nothing is asked, as with `</dev/null`."""
    done, shown = _on_a_terminal(argv, "<&-")
    assert "Traceback" not in shown and said in shown, shown
    assert done == code, shown
    if argv[0] == "discover":
        assert arxiv.requests == []


CLOSED_STDOUT = [(["export", "--format", "json"], 2), (["search", "grokking"], 2),
                 (["stats"], 2), (["lint", "--list-rules"], 2), (["--help"], 2),
                 (["export", "--help"], 2), (["--version"], 2),
                 (["lint"], 0),  # a clean catalog: nothing to print, nothing lost
                 (["search", "no-such-word-anywhere"], 1)]


@pytest.mark.parametrize(("argv", "code"), CLOSED_STDOUT, ids=lambda a: " ".join(a)
                         if isinstance(a, list) else str(a))
def test_a_closed_stdout_is_one_line_not_a_traceback(argv: list[str], code: int,
                                                     catalog_dir: Path) -> None:
    """`deepphen export >&-`: Python makes a closed stdout None and the first print died in a
    traceback (exit 1). Output that cannot be written is an error, said once, exit 2, as
    `ls >&-` says it; a command with nothing to print is not disturbed."""
    command = ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "deepphen", *argv]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, done.stderr
    if code == 2:
        assert done.stderr == "deepphen: error: cannot write the output: stdout is closed\n"


@pytest.mark.parametrize("argv", [["search", "grokking"], ["search", "no-such-word-anywhere"],
                                  ["lint", "--rule", "no-such-rule"], ["--help"]])
def test_a_closed_stderr_changes_only_what_is_seen(argv: list[str], catalog_dir: Path) -> None:
    """`2>&-`: diagnostics go nowhere (whoever closed stderr chose so), the output and the
    exit code are those of an open stderr."""
    base = [sys.executable, "-m", "deepphen", *argv]
    open_ = subprocess.run(base, capture_output=True, text=True, timeout=60)
    closed = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", *base], stdout=subprocess.PIPE,
                            text=True, timeout=60)
    assert (closed.returncode, closed.stdout) == (open_.returncode, open_.stdout)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("argv", "code", "said"), [
    (["add", "2206.07682", "-s", "emergence-and-phase-transitions"], 0, "has no key words"),
    (["add", "2206.07682"], 2, "no section given")])
def test_no_question_when_stderr_is_no_terminal(argv: list[str], code: int, said: str,
                                                catalog_dir: Path, arxiv,
                                                tmp_path: Path) -> None:
    """The questions go to stderr: with it redirected (`2>log`) at a terminal, add asked
    anyway and seemed to hang, its question in the file. It asks only where it can be seen,
    as discover --interactive does."""
    log = tmp_path / "log"
    done, _shown = _on_a_terminal(argv, f"2>{log}")
    written = log.read_text(encoding="utf-8")
    assert "Traceback" not in written and said in written, written
    assert done == code, written


def test_a_reader_that_left_part_way_through_one_long_write_is_seen(tmp_path: Path) -> None:
    """The JSON export is one write of some 400 kB; when the reader leaves while it blocks on
    the full pipe, CPython's buffered writer takes the cut-short write for done and no error
    follows. The command still ends with the status of SIGPIPE, not 0 for output cut short."""
    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "catalog", tmp_path / "catalog",
                    ignore=shutil.ignore_patterns(".deepphen-cache"))
    with subprocess.Popen([sys.executable, "-m", "deepphen", "export", "--format", "json",
                           "--catalog", str(tmp_path / "catalog")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.read(10)  # the pipe holds 64 kB: the writer now waits in write()
        child.stdout.close()
        stderr = child.stderr.read()
        code = child.wait(timeout=60)
    assert stderr == b""
    assert code == 141


def test_a_reader_that_took_everything_and_left_is_not_a_broken_pipe(catalog_dir: Path) -> None:
    argv = [sys.executable, "-m", "deepphen", "search", "2201.02177", "--format", "ids"]
    whole = subprocess.run(argv, capture_output=True, timeout=60).stdout
    assert whole
    with subprocess.Popen(argv, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        assert child.stdout.read(len(whole)) == whole
        child.stdout.close()
        assert child.wait(timeout=60) == 0


@pytest.mark.parametrize(("args", "said"), [
    (["search", "x", "--year", "abc"], "--year 'abc' is not a whole number"),
    (["export", "--year=20x"], "--year '20x' is not a whole number"),
    (["stats", "--top", "1.5"], "--top '1.5' is not a whole number"),
    (["search", "x", "-n", "0"], "--limit must be 1 or more, not 0"),
    (["discover", "--timeout", "soon"], "--timeout 'soon' is not a number"),
    (["add", "2201.02177", "--timeout", "0.5"], "--timeout must be 1 or more, not 0.5"),
])
def test_a_bad_number_is_named_with_what_was_given(catalog_dir: Path, run_cli, args: list[str],
                                                   said: str) -> None:
    """typer's validation words ("Input should be a valid integer, unable to parse string as
    an integer") name neither the value nor the fix: the one line says both."""
    result = run_cli(*args, exit_code=2)
    assert result.stderr.startswith(f"deepphen: error: {said} (see 'deepphen {args[0]} --help')")
    assert len(result.stderr.splitlines()) == 1 and "Input should" not in result.stderr


LONG = "x" * 5000


@pytest.mark.parametrize("args", [
    ["search", "a", "--since", LONG], ["export", "--since", LONG], ["stats", "--year", LONG],
    ["add", LONG], ["search", "a", "--section", LONG], ["export", "--format", LONG],
    ["discover", "--since", LONG], ["search", "a", "--keyword", LONG, "--format", "json"],
])
def test_a_kilobyte_value_is_quoted_elided_in_its_one_error_line(tmp_path: Path, run_cli,
                                                                  args: list[str]) -> None:
    """A mistyped option of kilobytes (a paste, a shell variable) was quoted whole: an
    error "line" of 5,000 characters. The value is shown by its start and end."""
    root = make_catalog(tmp_path / "catalog")
    result = run_cli(*args, "--catalog", root, exit_code=None)
    assert result.exit_code in (EXIT_FINDINGS, EXIT_USAGE), result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 700 and " … " in lines[0], lines


def test_bounded_elides_long_quoted_values_only() -> None:
    from deepphen.printable import LINE_SHOWN, QUOTE_SHOWN, bounded

    short = "unknown format 'xml'; choose one of: md, json"
    assert bounded(short) == short
    title = "t" * (QUOTE_SHOWN + 1)
    shown = bounded(f'"{title}" is already in the catalog (key {"k" * 200})')
    assert shown.startswith('"t') and shown.count("t") < QUOTE_SHOWN + 5
    assert shown.endswith("k)")  # unquoted text is kept (to the line's bound)
    assert len(bounded("y" * 10 * LINE_SHOWN)) == LINE_SHOWN
