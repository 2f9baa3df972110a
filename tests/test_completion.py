"""Shell completion (deepphen.cli.completion): the scripts typer generates, and completing
command names, options, section slugs and key words through them in real subprocesses."""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.printable import has_control
from tests.helpers import make_catalog, sample_papers, sample_settings

DEEPPHEN = Path(sys.executable).parent / "deepphen"
pytestmark = pytest.mark.skipif(not DEEPPHEN.exists(), reason="the deepphen script is not "
                                "installed beside this Python (pip install -e .)")


def _env(catalog: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_DEEPPHEN")}
    env["PATH"] = f"{DEEPPHEN.parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("DEEPPHEN_CATALOG", None)
    if catalog is not None:
        env["DEEPPHEN_CATALOG"] = str(catalog)
    env.update(extra)
    return env


def bash_complete(words: str, catalog: Path | None = None, **env: str) -> list[str]:
    """What bash offers for ``words`` (the last one being completed, each as bash's
    COMP_WORDS holds it: split at ``=`` and ``:``), through the script
    ``deepphen --show-completion`` prints for bash, sourced in a real bash."""
    script = ("source <(deepphen --show-completion)\n"  # the shell is detected: bash
              f"COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
              "_deepphen_completion deepphen\n"
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env=_env(catalog, **env))
    assert done.returncode == 0, done.stderr
    assert not done.stderr, done.stderr
    return [line for line in done.stdout.splitlines() if line]


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@needs_bash
def test_bash_completes_command_names_and_options(tmp_path: Path) -> None:
    assert bash_complete("deepphen sea") == ["search"]
    assert set(bash_complete("deepphen ex")) == {"export"}
    assert "--section" in bash_complete("deepphen search --se")
    assert {"--since", "--until"} <= set(bash_complete("deepphen discover --"))


@needs_bash
def test_bash_completes_section_slugs_and_key_words_from_the_catalog(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog")
    slugs = [s.slug for s in sample_settings().sections]
    assert bash_complete("deepphen search --section ''", root) == slugs
    first = slugs[0]
    assert bash_complete(f"deepphen export --section {first[:3]}", root) == [
        s for s in slugs if s.startswith(first[:3])]
    keywords = {k for p in sample_papers() for k in p.keywords}
    offered = bash_complete("deepphen stats -k ''", root)
    assert set(bash_reads(offered, tmp_path)) == keywords  # as bash reads them back
    some = sorted(keywords)[0]
    assert some in bash_reads(bash_complete(f"deepphen add 2401.00001 --keyword {some[:2]}",
                                            root), tmp_path)


@needs_bash
def test_completion_without_a_catalog_offers_nothing_and_says_nothing(tmp_path: Path) -> None:
    assert bash_complete("deepphen search --section ''", tmp_path / "missing") == []
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "catalog.toml").write_text("sections = [[[", encoding="utf-8")
    assert bash_complete("deepphen search -k ''", broken) == []


def test_zsh_script_and_protocol(tmp_path: Path) -> None:
    """zsh's script is generated, and the protocol it speaks completes slugs with help."""
    script = subprocess.run(
        [str(DEEPPHEN), "--show-completion", "zsh"], capture_output=True, text=True,
        timeout=60, env=_env())
    assert script.returncode == 0, script.stderr
    assert "compdef _deepphen_completion deepphen" in script.stdout
    assert "_DEEPPHEN_COMPLETE=complete_zsh" in script.stdout
    if shutil.which("zsh"):
        check = subprocess.run(["zsh", "-n"], input=script.stdout, capture_output=True,
                               text=True, timeout=60)
        assert check.returncode == 0, check.stderr
    root = make_catalog(tmp_path / "catalog")
    slug = sample_settings().sections[0]
    done = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                          env=_env(root, _DEEPPHEN_COMPLETE="complete_zsh",
                                   _TYPER_COMPLETE_ARGS=f"deepphen search --section {slug.slug}"))
    assert done.returncode == 0, done.stderr
    assert f'"{slug.slug}":"{slug.heading}"' in done.stdout


def test_catalog_text_reaches_the_shell_inert(tmp_path: Path) -> None:
    """A heading with terminal escapes is shown inert; a key word holding one is not offered."""
    settings = sample_settings()
    settings.sections[0].heading = "Evil \x1b]0;pwned\x07 heading"
    papers = sample_papers()
    papers[0].keywords = ["Bad\x1b[2J"]
    root = make_catalog(tmp_path / "catalog", papers, settings)
    slug = settings.sections[0].slug
    done = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                          env=_env(root, _DEEPPHEN_COMPLETE="complete_zsh",
                                   _TYPER_COMPLETE_ARGS=f"deepphen search --section {slug}"))
    assert done.returncode == 0 and "\x1b" not in done.stdout, done.stdout
    keywords = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                              env=_env(root, _DEEPPHEN_COMPLETE="complete_bash",
                                       COMP_WORDS="deepphen search -k ", COMP_CWORD="3"))
    assert "\x1b" not in keywords.stdout and "Bad" not in keywords.stdout


# What only each shell's script holds (typer's scripts, for the program deepphen).
SCRIPT_MARKS = {"bash": "complete -o default -F _deepphen_completion deepphen",
                "zsh": "compdef _deepphen_completion deepphen",
                "fish": "complete --command deepphen",
                "powershell": "Register-ArgumentCompleter -Native -CommandName deepphen",
                "pwsh": "Register-ArgumentCompleter -Native -CommandName deepphen"}
# Each shell's syntax check, run when the shell is installed.
SYNTAX_CHECKS = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}
needs_sh = pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX sh")


def under_sh(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``deepphen ARGS`` run from sh: typer's detection would find sh, which it does not support,
    so only a shell read from the command line can give a script."""
    return subprocess.run(["sh", "-c", 'deepphen "$@"', "sh", *args], capture_output=True,
                          text=True, timeout=60, env=_env(**env))


@needs_sh
@pytest.mark.parametrize("form", ["separate", "equals"])
@pytest.mark.parametrize("shell", list(SCRIPT_MARKS))
def test_show_completion_prints_the_named_shells_script(shell: str, form: str) -> None:
    args = (["--show-completion", shell] if form == "separate"
            else [f"--show-completion={shell}"])
    done = under_sh(*args)
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert SCRIPT_MARKS[shell] in done.stdout
    assert [m for m in set(SCRIPT_MARKS.values()) if m in done.stdout] == [SCRIPT_MARKS[shell]]
    check = SYNTAX_CHECKS.get(shell)
    if check and shutil.which(check[0]):
        parsed = subprocess.run(check, input=done.stdout, capture_output=True, text=True,
                                timeout=60)
        assert parsed.returncode == 0, parsed.stderr


@needs_sh
@pytest.mark.parametrize(("shell", "installed"), [
    ("bash", ".bash_completions/deepphen.sh"), ("zsh", ".zfunc/_deepphen"),
    ("fish", ".config/fish/completions/deepphen.fish")])
def test_install_completion_installs_for_the_named_shell(tmp_path: Path, shell: str,
                                                          installed: str) -> None:
    done = under_sh("--install-completion", shell, HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    path = tmp_path / installed
    assert done.stdout.splitlines()[0] == f"{shell} completion installed in {path}"
    assert SCRIPT_MARKS[shell] in path.read_text(encoding="utf-8")
    # Nothing written for another shell (bash's rc file was, whatever shell was named).
    assert (tmp_path / ".bashrc").exists() == (shell == "bash")


@needs_sh
@pytest.mark.parametrize("flag", ["--show-completion", "--install-completion"])
def test_an_unknown_shell_is_a_usage_error(tmp_path: Path, flag: str) -> None:
    done = under_sh(flag, "tcsh", HOME=str(tmp_path))
    assert done.returncode == 2 and not done.stdout
    assert done.stderr.count("\n") == 1 and "unknown shell 'tcsh'" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("dash") is None, reason="dash is not installed")
@pytest.mark.parametrize("flag", ["--show-completion", "--install-completion"])
def test_a_detected_shell_deepphen_cannot_complete_for_is_a_usage_error(
        tmp_path: Path, flag: str) -> None:
    """Under dash, typer printed "Shell dash not supported." and exited 1 ("findings")."""
    done = subprocess.run(["dash", "-c", f"deepphen {flag}"], capture_output=True, text=True,
                          timeout=60, env=_env(HOME=str(tmp_path), SHELL="/bin/dash"))
    assert done.returncode == 2 and not done.stdout, done.stderr
    assert "cannot complete for the shell running deepphen (dash)" in done.stderr
    assert "name one: bash" in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@needs_bash
def test_python_m_deepphen_installs_completion_for_deepphen(tmp_path: Path) -> None:
    """``python -m deepphen --install-completion bash`` wrote a script that took over the
    completion of ``python`` and ran ``env _PYTHON _M DEEPPHEN_COMPLETE=...``."""
    done = subprocess.run([sys.executable, "-m", "deepphen", "--install-completion", "bash"],
                          capture_output=True, text=True, timeout=60,
                          env=_env(HOME=str(tmp_path)))
    assert done.returncode == 0, done.stderr
    script = (tmp_path / ".bash_completions" / "deepphen.sh").read_text(encoding="utf-8")
    assert "_DEEPPHEN_COMPLETE=complete_bash" in script and "python" not in script


def test_a_shell_whose_program_is_missing_is_named(run_cli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """PowerShell's install asks pwsh for its profile: without it, the error was "No such
    file or directory", naming nothing."""
    import typer.completion

    def no_pwsh(**_: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "pwsh")

    monkeypatch.setattr(typer.completion, "install", no_pwsh)
    result = run_cli("--install-completion", "powershell", exit_code=2)
    assert "cannot install powershell completion: pwsh is not installed" in result.stderr


@pytest.mark.parametrize(("shell", "blocked"), [
    ("bash", ".bashrc"), ("zsh", ".zshrc"), ("fish", ".config/fish/completions")])
def test_install_completion_names_the_file_it_cannot_write(run_cli, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           shell: str, blocked: str) -> None:
    """A start-up file that could not be read or written (a folder in its place here; a
    permission, a read-only home elsewhere) was "deepphen: error: Is a directory", naming
    nothing."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / blocked).parent.mkdir(parents=True, exist_ok=True)
    if shell == "fish":  # a file where its folder goes
        (tmp_path / blocked).write_text("", encoding="utf-8")
    else:  # a folder where the file goes
        (tmp_path / blocked).mkdir()
    result = run_cli("--install-completion", shell, exit_code=2)
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("deepphen: error: "), result.stderr
    assert str(tmp_path / blocked) in line, line


@needs_bash
def test_without_a_shell_named_the_running_shell_is_detected() -> None:
    done = subprocess.run(["bash", "-c", "deepphen --show-completion; true"],
                          capture_output=True, text=True, timeout=60, env=_env())
    assert done.returncode == 0 and SCRIPT_MARKS["bash"] in done.stdout, done.stderr


def test_fish_and_powershell_protocols_complete_commands() -> None:
    """What the fish and PowerShell scripts ask deepphen, and its answers."""
    fish = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                          env=_env(_DEEPPHEN_COMPLETE="complete_fish",
                                   _TYPER_COMPLETE_FISH_ACTION="get-args",
                                   _TYPER_COMPLETE_ARGS="deepphen sea"))
    assert fish.returncode == 0 and fish.stdout.startswith("search\t"), fish.stderr
    power = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                           env=_env(_DEEPPHEN_COMPLETE="complete_powershell",
                                    _TYPER_COMPLETE_ARGS="deepphen sea",
                                    _TYPER_COMPLETE_WORD_TO_COMPLETE="sea"))
    assert power.returncode == 0 and power.stdout.startswith("search:::"), power.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_through_its_script(tmp_path: Path) -> None:
    """The script ``--show-completion fish`` prints, loaded in a real fish, completes commands,
    options and the catalog's section slugs."""
    root = make_catalog(tmp_path / "catalog")
    slug = sample_settings().sections[0].slug
    offered = fish_offers(["deepphen sea", "deepphen search --se",
                           f"deepphen search --section {slug[:3]}"], root, tmp_path)
    assert "search" in offered and "--section" in offered and slug in offered, offered


def fish_offers(lines: list[str], catalog: Path, home: Path, path: str = "") -> list[str]:
    """What a real fish offers (``complete -C``) for each of ``lines``, in order, through the
    script ``deepphen --show-completion fish`` prints; ``path`` goes first on the PATH."""
    script = ('deepphen --show-completion fish | source\n'
              'for line in $argv; complete -C $line; end\n')
    env = _env(catalog, HOME=str(home))
    env["PATH"] = f"{path}{os.pathsep}{env['PATH']}" if path else env["PATH"]
    done = subprocess.run(["fish", "--no-config", "-c", script, *lines], capture_output=True,
                          text=True, timeout=60, env=env, cwd=home)
    assert done.returncode == 0 and not done.stderr, done.stderr
    return [line.split("\t")[0] for line in done.stdout.splitlines()]


# Key words as a shell reads them: spaces (most of the list's key words), quotes, command
# substitutions, globs, separators. bash puts a completion into the command line as it is
# given (and globs it first); the user then runs that line.
SHELL_HOSTILE = ["Zq Scaling Laws", "Zq $(touch PWNED)", "Zq`touch PWNED`", "Zq*", "Zq?",
                 "Zq[ab]", "Zq;touch PWNED", "Zq&", "Zq|cat", "Zq>PWNED", "Zq<in", "Zq'quote",
                 'Zq"dq', "Zq\\back", "Zq#hash", "Zq!bang", "Zq~", "Zq{a,b}", "Zq=x", "Zq(p)",
                 "Zqé ü", "Zq  two   spaces"]


def bash_reads(words: list[str], cwd: Path, interactive: bool = False) -> list[str]:
    """Each of ``words`` as bash reads it on a command line (one argument each); as an
    interactive bash reads a typed line (history expansion on, "bang" in its history) when
    ``interactive``."""
    script = "".join(f"printf '%s\\n' {word}\n" for word in words)
    if interactive:
        done = subprocess.run(["bash", "--norc", "-i"], input="echo bang >/dev/null\n" + script,
                              capture_output=True, text=True, timeout=60, cwd=cwd,
                              env={**os.environ, "HOME": str(cwd), "HISTFILE": "/dev/null"})
    else:
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                              timeout=60, cwd=cwd)
    assert done.returncode == 0 and "event not found" not in done.stderr, done.stderr
    return done.stdout.splitlines()


@needs_bash
def test_bash_puts_key_words_into_the_command_line_quoted(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = SHELL_HOSTILE
    root = make_catalog(tmp_path / "catalog", papers)
    (tmp_path / "Zq-file").write_text("x")  # what an unquoted 'Zq*' would glob to
    offered = bash_complete("deepphen search -k Zq", root)
    assert len(offered) == len(SHELL_HOSTILE), offered
    assert sorted(bash_reads(offered, tmp_path)) == sorted(SHELL_HOSTILE)
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()
    # A word typed with quotes or escapes: what is offered, if anything (typer keeps only
    # values starting with the word as it reads it), still reads back whole, after the
    # quote the word opened if it opened one (bash inserts the completion there).
    for typed, opened in (('"\'Zq Sc"', "'"), ("'Zq\\ Sc'", ""), ('"Zq\\$"', "")):
        offered = bash_complete(f"deepphen search -k {typed}", root)
        read = bash_reads([opened + word + opened for word in offered], tmp_path)
        assert set(read) <= set(SHELL_HOSTILE), typed


@needs_bash
@pytest.mark.parametrize("quote", ['"', "'"])
def test_bash_completes_inside_an_opened_quote(tmp_path: Path, quote: str) -> None:
    """``-k "Occ<Tab>``: bash puts the completion after the quote, and closes it, so the
    value must be written as that quote reads it; backslashes were kept as typed and the
    key word "Occam\\'s\\ Razor" reached the catalog."""
    papers = sample_papers()
    papers[0].keywords = SHELL_HOSTILE
    root = make_catalog(tmp_path / "catalog", papers)
    typed = "'\"Zq'" if quote == '"' else '"\'Zq"'  # the word bash has: "Zq or 'Zq
    # typer's script globs the answers, and inside a quote a value cannot escape a glob
    # character: "Zq[ab]" was answered as the file "Zqa" of the folder Tab was pressed in.
    (tmp_path / "Zqa").write_text("x")
    offered = bash_complete(f"deepphen search -k {typed}", root)
    # As an interactive bash runs the line: in double quotes, "Zq!bang" was expanded from
    # the history ("event not found" here), so it is offered only typed without the quote.
    read = bash_reads([quote + word + quote for word in offered], tmp_path, interactive=True)
    unquotable = r"[*?[!]" if quote == '"' else r"[*?[]"
    assert sorted(read) == sorted(k for k in SHELL_HOSTILE if not re.search(unquotable, k))
    assert not (tmp_path / "PWNED").exists()


def test_open_quote() -> None:
    from deepphen.cli.completion import open_quote

    assert open_quote('deepphen search -k "Occ') == '"'
    assert open_quote("deepphen search -k 'Occ") == "'"
    assert open_quote('deepphen search -k "A B" Occ') is None
    assert open_quote("deepphen -k 'it'\\''s") == "'"
    assert open_quote('deepphen -k \\"Occ') is None
    assert open_quote('deepphen -k "a\\"b') == '"'


@pytest.mark.parametrize(("shell", "extra"), [
    ("zsh", {}), ("fish", {"_TYPER_COMPLETE_FISH_ACTION": "get-args"}),
    ("powershell", {"_TYPER_COMPLETE_WORD_TO_COMPLETE": "SLUG"})])
def test_a_heading_in_brackets_is_help_not_markup(tmp_path: Path, shell: str,
                                                  extra: dict[str, str]) -> None:
    """zsh's and fish's answers read the help as rich markup: a heading such as
    "Discussions [/r/MachineLearning]" ended the completion in a traceback."""
    settings = sample_settings()
    settings.sections[0].heading = "Discussions [/r/MachineLearning] [bold]x[/bold]"
    root = make_catalog(tmp_path / "catalog", sample_papers(), settings)
    slug = settings.sections[0].slug
    done = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                          env=_env(root, _DEEPPHEN_COMPLETE=f"complete_{shell}",
                                   _TYPER_COMPLETE_ARGS=f"deepphen search --section {slug}",
                                   **{k: v.replace("SLUG", slug) for k, v in extra.items()}))
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert "Discussions [/r/MachineLearning] [bold]x[/bold]" in done.stdout, done.stdout


_WORD = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                max_size=12).filter(lambda t: not has_control(t))


@needs_bash
@settings(max_examples=25, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=20))
def test_any_value_reads_back_whole_in_bash(words: list[str]) -> None:
    from deepphen.cli.completion import quoted_for

    with tempfile.TemporaryDirectory() as empty:
        assert bash_reads([quoted_for("bash", w) for w in words], Path(empty),
                          interactive=True) == words


def powershell_reads(word: str) -> str:
    """A PowerShell argument: verbatim, or a single-quoted string (any of its four single
    quote characters, doubled inside, stands for one)."""
    quotes = "'\u2018\u2019\u201a\u201b"
    if word[:1] in quotes and len(word) > 1 and word[-1] in quotes:
        return re.sub(f"([{quotes}])\\1", r"\1", word[1:-1])
    assert re.fullmatch(r"[\w./-]+", word), word
    return word


@given(_WORD)
def test_any_value_reads_back_whole_in_powershell(word: str) -> None:
    from deepphen.cli.completion import quoted_for

    for shell in ("powershell", "pwsh"):
        assert powershell_reads(quoted_for(shell, word)) == word
    assert quoted_for("powershell", "Neural Scaling Laws") == "'Neural Scaling Laws'"
    assert quoted_for("zsh", "a b") == quoted_for("fish", "a b") == "a b"  # they quote


needs_zsh = pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")


def zsh_offers(words: str, catalog: Path) -> list[str]:
    """The matches zsh's _describe gets for ``words``: typer's script evaluates deepphen's
    answer (an ``_arguments '*: :((...))'`` line), and _arguments evaluates the ((...)) list
    as ``eval ws=( ... )``, as zsh's own _arguments does; each word is split at its first
    unescaped ':' (what comes after is the description)."""
    script = ('_arguments() { local action=${1#*: :}; local -a ws\n'
              '  eval ws\\=\\( "${action[3,-3]}" \\); print -rl -- $ws }\n'
              'eval $(env _TYPER_COMPLETE_ARGS="$WORDS" _DEEPPHEN_COMPLETE=complete_zsh '
              'deepphen)\n')
    done = subprocess.run(["zsh", "-c", script], capture_output=True, text=True, timeout=60,
                          env=_env(catalog, WORDS=words))
    assert done.returncode == 0 and not done.stderr, done.stderr
    matches = [re.match(r"(?:\\.|[^\\:])*", word).group() for word in done.stdout.splitlines()]
    # _describe (compdescribe) drops the backslash of every "\x" of a value it reads.
    return [re.sub(r"\\(.)", r"\1", match) for match in matches]


@needs_zsh
def test_zsh_completes_on_the_first_tab_once_installed(tmp_path: Path) -> None:
    """``--install-completion zsh`` writes ~/.zfunc/_deepphen, which compinit autoloads on the
    first Tab: typer's script only defined its function then, and that Tab did nothing."""
    done = under_sh("--install-completion", "zsh", HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    fake = ('compdef() { : }; _arguments() { print -r -- "ANSWER: $*" }\n'
            'words=(deepphen sea); CURRENT=2\n')
    first_tab = subprocess.run(
        ["zsh", "-f", "-c", f"fpath=({tmp_path}/.zfunc $fpath)\n{fake}"
                            "autoload -Uz _deepphen; _deepphen"],
        capture_output=True, text=True, timeout=60, env=_env())
    assert first_tab.returncode == 0 and not first_tab.stderr, first_tab.stderr
    assert first_tab.stdout.startswith("ANSWER:") and '"search"' in first_tab.stdout
    sourced = subprocess.run(  # as README's "source <(deepphen --show-completion zsh)"
        ["zsh", "-f", "-c", f"{fake}source <(deepphen --show-completion zsh)"],
        capture_output=True, text=True, timeout=60, env=_env())
    assert sourced.returncode == 0 and sourced.stdout == "", sourced.stderr


@needs_zsh
def test_zsh_gets_key_words_whole(tmp_path: Path) -> None:
    """typer's own quoting for zsh lost every ' and " (the shipped catalog's "Occam's Razor"
    became "Occams Razor", which matches no key word)."""
    papers = sample_papers()
    papers[0].keywords = [*SHELL_HOSTILE, "Zq colon: x", "Zq \\ back\\slash\\: x"]
    root = make_catalog(tmp_path / "catalog", papers)
    assert sorted(zsh_offers("deepphen search -k Zq", root)) == sorted(
        [*SHELL_HOSTILE, "Zq colon: x", "Zq \\ back\\slash\\: x"])
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


@needs_bash
def test_a_value_completes_from_what_it_folds_to(tmp_path: Path) -> None:
    """typer kept only the values that start with what was typed, case and all, so
    "neural" offered nothing of "Neural Collapse" (the case folding of ``_matching`` never
    reached the shell), nor did "Occam’" (a typographic apostrophe, as a phone or a copied
    title gives it) or "neural-c", though search finds the same key words from them. A value
    now completes case-folded, or from the fold every comparison uses (deepphen.vocab.fold)."""
    papers = sample_papers()
    papers[0].keywords = ["Occam's Razor", "Neural Collapse"]
    root = make_catalog(tmp_path / "catalog", papers)
    assert bash_complete("deepphen search -k Occam\u2019", root) == ["Occam\\'s\\ Razor"]
    assert bash_complete("deepphen search -k neural-c", root) == ["Neural\\ Collapse"]
    assert bash_complete("deepphen search -k Occ", root) == ["Occam\\'s\\ Razor"]
    assert bash_complete("deepphen search -k neural", root) == ["Neural\\ Collapse"]
    assert bash_complete("deepphen export -k occ", root) == ["Occam\\'s\\ Razor"]


def test_other_complete_variables_of_the_environment_are_not_a_shell(
        run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only typer's ``$_<PROG>_COMPLETE=complete_<shell>`` is a shell asking; a build's
    ``BUILD_COMPLETE=1`` or a stray ``_X_COMPLETE`` leaves the command as it is."""
    from deepphen.cli import completion

    def no(*args: object) -> None:
        raise AssertionError("completion hook ran for a variable that is not typer's")

    monkeypatch.setattr(completion, "answer_unfiltered", no)
    monkeypatch.setenv("BUILD_COMPLETE", "1")
    monkeypatch.setenv("_SETUP_COMPLETE", "yes")
    root = make_catalog(tmp_path, sample_papers(), sample_settings())
    result = run_cli("search", "grokking", "--catalog", str(root), "--format", "ids",
                     exit_code=None)
    assert result.exit_code in (0, 1), result.stderr


# "--keyword=Occ<Tab>": an option and its value in one word.
@needs_bash
def test_bash_completes_a_value_after_equals(tmp_path: Path) -> None:
    """bash splits ``--section=emp`` at the ``=`` into three words (``=`` is in
    COMP_WORDBREAKS) and inserts the answer after the ``=``: the value alone, quoted."""
    root = make_catalog(tmp_path / "catalog", sample_papers(), sample_settings())
    slugs = [s.slug for s in sample_settings().sections]
    assert bash_complete("deepphen search --section =", root) == slugs
    assert bash_complete(f"deepphen search --section = {slugs[0][:3]}", root) == [
        s for s in slugs if s.startswith(slugs[0][:3])]
    keyword = sorted({k for p in sample_papers() for k in p.keywords})[0]
    offered = bash_complete(f"deepphen search --section = {slugs[0]} --keyword = "
                            f"{keyword[:2]}", root)
    assert keyword in bash_reads(offered, tmp_path)
    assert bash_complete("deepphen search --sec", root) == ["--section"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_a_value_after_equals(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "catalog", sample_papers(), sample_settings())
    slug = sample_settings().sections[0].slug
    offered = fish_offers([f"deepphen search --section={slug[:3]}"], root, tmp_path)
    assert f"--section={slug}" in offered, offered


@needs_zsh
def test_zsh_completes_a_value_after_equals(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = SHELL_HOSTILE
    root = make_catalog(tmp_path / "catalog", papers)
    assert sorted(zsh_offers("deepphen search --keyword=Zq", root)) == sorted(
        "--keyword=" + word for word in SHELL_HOSTILE)
    assert not (tmp_path / "PWNED").exists()


def test_powershell_gets_the_option_and_value_as_one_quoted_word(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = ["Zq Occam's Razor"]
    root = make_catalog(tmp_path / "catalog", papers)
    done = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                          env=_env(root, _DEEPPHEN_COMPLETE="complete_powershell",
                                   _TYPER_COMPLETE_ARGS="deepphen search --keyword=Zq",
                                   _TYPER_COMPLETE_WORD_TO_COMPLETE="--keyword=Zq"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split(":::")[0] == "'--keyword=Zq Occam''s Razor'"


def test_joined_at_breaks() -> None:
    from deepphen.cli.completion import joined_at_breaks

    assert joined_at_breaks(["search", "--section", "="], "neu") == (
        ["search"], "--section=neu", "--section=")
    assert joined_at_breaks(["search", "--section"], "=") == (["search"], "--section=",
                                                             "--section=")
    assert joined_at_breaks(["search", "--section", "=", "others", "-k"], "Occ") == (
        ["search", "--section=others", "-k"], "Occ", "")
    assert joined_at_breaks(["search", "-k", "="], "x") == (["search", "-k", "="], "x", "")
    assert joined_at_breaks(["search", "-k", "Zq", ":"], "le") == (
        ["search", "-k"], "Zq:le", "Zq:")
    assert joined_at_breaks(["search", "-k", "Zq", "::"], "") == (
        ["search", "-k"], "Zq::", "Zq::")
    assert joined_at_breaks(["search", "--keyword", "=", "Zq", ":=", "a", ":"], "b") == (
        ["search"], "--keyword=Zq:=a:b", "--keyword=Zq:=a:")


def test_option_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    from deepphen.cli.completion import option_typed

    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "deepphen search --keyword=Occ")
    assert option_typed("zsh", "Occ") == "--keyword="
    assert option_typed("fish", "Occ") == "--keyword="
    assert option_typed("bash", "Occ") == ""
    assert option_typed("zsh", "other") == ""
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "deepphen search --keyword=Occ ")
    assert option_typed("zsh", "") == ""
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "deepphen search -k=Occ")
    assert option_typed("zsh", "=Occ") == ""
    monkeypatch.setenv("_TYPER_COMPLETE_WORD_TO_COMPLETE", "--section=")
    assert option_typed("pwsh", "") == "--section="
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", 'deepphen search --keyword="Occam')
    assert option_typed("zsh", "Occam") == "--keyword="


@needs_zsh
def test_zsh_keeps_runs_of_spaces(tmp_path: Path) -> None:
    """typer's zsh script evaluates ``$(deepphen)`` unquoted, which joined its words with one
    space: "Zq  Two" was offered, and inserted, as "Zq Two"."""
    papers = sample_papers()
    papers[0].keywords = ["Zq  Two", "Zq   Three  x"]
    root = make_catalog(tmp_path / "catalog", papers)
    assert sorted(zsh_offers("deepphen search -k Zq", root)) == ["Zq   Three  x", "Zq  Two"]


@needs_bash
def test_a_catalog_under_home_completes_as_the_shell_will_find_it(tmp_path: Path) -> None:
    """The shell gives ``--catalog ~/papers`` as typed; it expands the "~" only when the line
    runs, so completion looked for a folder named "~" and offered nothing."""
    papers = sample_papers()
    papers[0].keywords = ["Zq Home"]
    make_catalog(tmp_path / "papers", papers)
    assert bash_complete("deepphen search --catalog '~/papers' -k Zq", HOME=str(tmp_path)) == [
        "Zq\\ Home"]


@needs_bash
def test_bash_keeps_what_was_typed_when_a_fold_also_matches(tmp_path: Path) -> None:
    """bash replaces the word with the answers' common start: "Zq S" answered with
    "Zq Scaling Laws" and "Zq/slash" (both fold to "zq s...") became "Zq", what was typed
    lost. Values that start with what was typed now hide those only its fold finds."""
    papers = sample_papers()
    papers[0].keywords = ["Zq Scaling Laws", "Zq/slash", "Zq(p)", "Zq%percent", "Zq+plus"]
    root = make_catalog(tmp_path / "catalog", papers)
    assert bash_complete("deepphen search -k 'Zq\\ S'", root) == ["Zq\\ Scaling\\ Laws"]
    assert bash_complete("deepphen search -k 'Zq\\(p'", root) == ["Zq\\(p\\)"]
    assert bash_complete("deepphen search -k zq/", root) == ["Zq/slash"]
    # Nothing starts with it: the fold still finds them, when their common start does not
    # take what was typed away.
    assert bash_complete("deepphen search -k zq/s", root) == ["Zq/slash"]
    assert sorted(bash_complete("deepphen search -k 'Zq\\(P'", root)) == ["Zq\\(p\\)"]
    assert bash_complete("deepphen search -k 'Zq\\ p'", root) == []  # "Zq" is their start
    assert bash_complete("deepphen search -k zq_p", root) == []
    assert sorted(bash_complete("deepphen search -k zq", root)) == [
        "Zq%percent", "Zq+plus", "Zq/slash", "Zq\\ Scaling\\ Laws", "Zq\\(p\\)"]


@needs_bash
def test_bash_completes_a_value_it_split_at_a_colon_or_equals(tmp_path: Path) -> None:
    """bash splits a word at ':' and '=' (COMP_WORDBREAKS) and replaces only the text after
    the last one: "-k Zq:le" completed nothing, nor "-k Zq=". The answer is the rest of the
    value, and what bash keeps plus the answer reads back as the key word."""
    papers = sample_papers()
    papers[0].keywords = ["Zq:lead", "Zq=x", "Zq colon: x", "Zq:=a:b c"]
    root = make_catalog(tmp_path / "catalog", papers)
    cases = [("-k Zq : le", "Zq:", "lead", "Zq:lead"), ("-k Zq =", "Zq=", "x", "Zq=x"),
             ("-k 'Zq\\ colon' :", "Zq\\ colon:", "\\ x", "Zq colon: x"),
             ("--keyword = Zq : le", "--keyword=Zq:", "lead", "--keyword=Zq:lead"),
             ("-k Zq := a : b", "Zq:=a:", "b\\ c", "Zq:=a:b c")]
    for words, kept, answer, value in cases:
        assert bash_complete(f"deepphen search {words}", root) == [answer], words
        assert bash_reads([kept + answer], tmp_path) == [value]
    # What bash keeps is kept as typed: a key word written otherwise is not offered.
    assert bash_complete("deepphen search -k zq : le", root) == []


def test_powershell_is_not_offered_a_value_its_script_would_cut(tmp_path: Path) -> None:
    """typer's PowerShell script splits each answer at ':::' (value:::help): a key word holding
    it was inserted cut ("'Zq", an open quote); a heading holding it lost its rest."""
    settings = sample_settings()
    settings.sections[0].heading = "A ::: B :::: C"
    papers = sample_papers()
    papers[0].keywords = ["Zq:::x", "Zq ok"]
    root = make_catalog(tmp_path / "catalog", papers, settings)

    def answers(line: str, word: str, shell: str = "powershell") -> list[list[str]]:
        done = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60,
                              env=_env(root, _DEEPPHEN_COMPLETE=f"complete_{shell}",
                                       _TYPER_COMPLETE_ARGS=line,
                                       _TYPER_COMPLETE_WORD_TO_COMPLETE=word))
        assert done.returncode == 0 and not done.stderr, done.stderr
        return [answer.split(":::") for answer in done.stdout.splitlines()]

    assert answers("deepphen search -k Zq", "Zq") == [["'Zq ok'", "1 paper"]]
    slug = settings.sections[0].slug
    [[value, help]] = answers(f"deepphen search --section {slug}", slug, "pwsh")
    assert value == slug and ":::" not in help and help.replace(" ", "") == "A:::B::::C"


def test_typed_words() -> None:
    from deepphen.cli.completion import typed_words

    assert typed_words("deepphen search -k Zq\\ ") == (["search", "-k"], "Zq ")
    assert typed_words('deepphen search -k "Zq ') == (["search", "-k"], "Zq ")
    assert typed_words("deepphen search -k 'Zq  ") == (["search", "-k"], "Zq  ")
    assert typed_words("deepphen search -k Zq ") == (["search", "-k", "Zq"], "")
    assert typed_words("deepphen search -k Zq\\\\ ") == (["search", "-k", "Zq\\"], "")
    assert typed_words('deepphen search -k "Zq" ') == (["search", "-k", "Zq"], "")
    assert typed_words("deepphen sea") == ([], "sea")
    assert typed_words("deepphen ") == ([], "")


@needs_zsh
def test_zsh_completes_a_value_typed_up_to_a_space(tmp_path: Path) -> None:
    """typer took the line's last space for the end of a word even when escaped or quoted:
    ``-k Zq\\ <Tab>`` (or ``-k "Zq <Tab>``) completed the next argument, never the key words
    "Zq ..." (nor "Zq colon: x" past its space, in zsh and fish)."""
    papers = sample_papers()
    papers[0].keywords = ["Zq Scaling Laws", "Zq colon: x", "Zqx"]
    root = make_catalog(tmp_path / "catalog", papers)
    assert sorted(zsh_offers("deepphen search -k Zq\\ ", root)) == [
        "Zq Scaling Laws", "Zq colon: x"]
    assert zsh_offers('deepphen search -k "Zq colon: ', root) == ["Zq colon: x"]
    assert zsh_offers("deepphen search --keyword=Zq\\ colon:\\ ", root) == [
        "--keyword=Zq colon: x"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_a_value_typed_up_to_a_space(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = ["Zq Scaling Laws", "Zq colon: x", "Zqx"]
    root = make_catalog(tmp_path / "catalog", papers)
    offered = fish_offers(["deepphen search -k Zq\\ ", 'deepphen search -k "Zq colon: '],
                          root, tmp_path)
    assert sorted(offered) == ["Zq Scaling Laws", "Zq colon: x", "Zq colon: x"], offered


@pytest.mark.parametrize("cword", ["x", "", "99", "-1", " 3", "\u0663", "3.0"])
@pytest.mark.parametrize("words", ["deepphen\nsearch\n-k\nZq", None])
def test_any_environment_completes_without_a_traceback(tmp_path: Path, cword: str,
                                                       words: str | None) -> None:
    """typer read ``int(os.environ["COMP_CWORD"])`` and ``os.environ["COMP_WORDS"]``: a
    COMP_CWORD that is no whole number, or no COMP_WORDS, printed a traceback into the
    command line. An index that is no number names the last word, one past the last a new
    word; without words, the command names are offered."""
    papers = sample_papers()
    papers[0].keywords = ["Zq Home"]
    root = make_catalog(tmp_path / "catalog", papers)
    env = _env(root, _DEEPPHEN_COMPLETE="complete_bash", COMP_CWORD=cword)
    if words is not None:
        env["COMP_WORDS"] = words
    done = subprocess.run([str(DEEPPHEN)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0 and not done.stderr, done.stderr
    first = done.stdout.split("\n")[0]
    if words is None:
        assert first == "add"
    elif cword == "99":  # a new word after -k's value: an argument or an option
        assert "Zq" not in done.stdout
    else:
        assert first == "Zq\\ Home"


def test_bash_words() -> None:
    from deepphen.cli.completion import bash_words

    env = {"COMP_WORDS": "deepphen\nsearch\n-k\n", "COMP_CWORD": "1"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        assert bash_words() == (["deepphen", "search", "-k", ""], 1)
        for cword in ("x", "-2", "", "3.0"):
            patch.setenv("COMP_CWORD", cword)
            assert bash_words()[1] == 3, cword
        patch.setenv("COMP_CWORD", "7")  # past the last word: a new one, as typer read it
        assert bash_words() == (["deepphen", "search", "-k", "", ""], 4)
        patch.delenv("COMP_WORDS")
        patch.delenv("COMP_CWORD")
        assert bash_words() == ([""], 0)


def test_a_failing_completion_prints_nothing(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever goes wrong while a shell asks, it gets no answer and no traceback."""
    from deepphen.cli import completion

    def broken() -> tuple[list[str], int]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(completion, "bash_words", broken)
    monkeypatch.setenv("_DEEPPHEN_COMPLETE", "complete_bash")
    result = run_cli(exit_code=1)
    assert result.stdout == result.stderr == ""


needs_fish = pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")


@needs_fish
def test_fish_asks_once_per_tab_and_completes_files_without_an_answer(tmp_path: Path) -> None:
    """typer's fish script ran deepphen twice per Tab (the entry's --condition, then its
    answers); with no answer, fish completes file names, as before. A command line continued
    over lines reached deepphen as its last line only."""
    papers = sample_papers()
    papers[0].keywords = ["Zq Scaling Laws"]
    root = make_catalog(tmp_path / "catalog", papers)
    calls = tmp_path / "calls"
    spy = tmp_path / "bin" / "deepphen"
    spy.parent.mkdir()
    spy.write_text(f'#!/bin/sh\necho x >> "{calls}"\nexec "{DEEPPHEN}" "$@"\n', encoding="utf-8")
    spy.chmod(0o755)
    (tmp_path / "some-file.txt").write_text("", encoding="utf-8")
    offered = fish_offers(["deepphen search -k Zq\\ S", "deepphen export -o some-",
                           "deepphen search \\\n-k Zq"], root, tmp_path, str(spy.parent))
    assert offered == ["Zq Scaling Laws", "some-file.txt", "Zq Scaling Laws"], offered
    assert calls.read_text(encoding="utf-8").count("x") == 1 + 3  # the script, then each Tab


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_a_file_name_after_an_options_equals_sign(tmp_path: Path) -> None:
    """``--output=some-`` and ``--catalog=su`` completed nothing once the script completed
    file names itself: the whole token went to fish's path completion, option and all.
    And the help shows "[discover]", not rich's escaped "\\[discover]"."""
    root = make_catalog(tmp_path / "catalog")
    (tmp_path / "some-file.txt").write_text("", encoding="utf-8")
    (tmp_path / "subdir").mkdir()
    (tmp_path / "my file.txt").write_text("", encoding="utf-8")
    offered = fish_offers(["deepphen export --output=some-", "deepphen export --catalog=su",
                           "deepphen export -o some-", "deepphen export -o my\\ f",
                           "deepphen export --output=my\\ f"], root, tmp_path)
    assert offered == ["--output=some-file.txt", "--catalog=subdir/", "some-file.txt",
                       "my file.txt", "--output=my file.txt"], offered
    script = 'deepphen --show-completion fish | source\ncomplete -C "deepphen discover --cat"\n'
    done = subprocess.run(["fish", "--no-config", "-c", script], capture_output=True,
                          text=True, timeout=60, env=_env(root, HOME=str(tmp_path)),
                          cwd=tmp_path)
    assert "[discover]" in done.stdout and "\\[" not in done.stdout, done.stdout


# Drives an interactive zsh in a pseudo-terminal (zsh/zpty): each line is typed, Tab pressed,
# and the line as zsh left it is read back (a widget shows $BUFFER between markers). The
# markers are split in the commands typed, so their echo never matches.
ZSH_TAB = r"""
zmodload zsh/zpty || exit 3
zpty -b z zsh -f -i
zpty -w z 'stty columns 4000; autoload -Uz compinit; compinit -u -D; source "$ZSH_SCRIPT"'
zpty -w z 'dump() { zle -M "BU""F<${BUFFER}>E""ND" }; zle -N dump; bindkey "^X^D" dump'
zpty -w z 'PS1="R""DY>"'
zpty -r z out '*RDY>*'
for line in "$@"; do
  zpty -w -n z "${line}"$'\t\x18\x04'
  zpty -r z out '*BUF<*>END*'
  print -r -- "${${out##*BUF<}%%>END*}"
  zpty -w -n z $'\x15'
done
zpty -d z
"""


def zsh_tab(lines: list[str], catalog: Path, home: Path) -> list[str]:
    """Each of ``lines`` after one Tab in a real interactive zsh with compinit and the script
    ``deepphen --show-completion zsh`` prints."""
    script = home / "deepphen.zsh"
    shown = subprocess.run([str(DEEPPHEN), "--show-completion", "zsh"], capture_output=True,
                           text=True, timeout=60, env=_env())
    script.write_text(shown.stdout, encoding="utf-8")
    done = subprocess.run(["zsh", "-f", "-c", ZSH_TAB, "zsh", *lines], capture_output=True,
                          text=True, timeout=120, cwd=home,
                          env=_env(catalog, HOME=str(home), ZSH_SCRIPT=str(script)))
    if done.returncode == 3:
        pytest.skip("zsh has no zsh/zpty module")
    assert done.returncode == 0, done.stderr
    return [line.rstrip() for line in done.stdout.splitlines()]


# Key words that start as an option does. "-k -Ze" runs (the option's value is the next
# word), but click completed option names for any word starting with "-".
DASHED = ["-Zq dash", "--Zq double", "-k"]


@needs_bash
def test_bash_completes_a_value_that_starts_with_a_dash(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = DASHED
    root = make_catalog(tmp_path / "catalog", papers)
    assert bash_complete("deepphen search -k -Z", root) == ["-Zq\\ dash"]
    assert bash_complete("deepphen search -k --Z", root) == ["--Zq\\ double"]
    assert bash_complete("deepphen search --keyword = -Z", root) == ["-Zq\\ dash"]
    assert sorted(bash_reads(bash_complete("deepphen search -k -", root), tmp_path)) == sorted(
        DASHED)
    assert bash_complete("deepphen search --li", root) == ["--limit"]  # options still
    assert bash_complete("deepphen search -- -", root) == []  # after "--", no option's value


@needs_fish
def test_fish_completes_a_value_that_starts_with_a_dash(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = DASHED
    root = make_catalog(tmp_path / "catalog", papers)
    assert fish_offers(["deepphen search -k -Z", "deepphen search --keyword=--Z"], root,
                       tmp_path) == [
        "-Zq dash", "--keyword=--Zq double"]


@needs_zsh
def test_zsh_completes_a_value_that_starts_with_a_dash(tmp_path: Path) -> None:
    papers = sample_papers()
    papers[0].keywords = DASHED
    root = make_catalog(tmp_path / "catalog", papers)
    assert zsh_tab(["deepphen search -k -Z", "deepphen search --keyword=--Z",
                    "deepphen sea"], root, tmp_path) == [
        "deepphen search -k -Zq\\ dash", "deepphen search --keyword=--Zq\\ double",
        "deepphen search"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_does_not_pay_for_checking_values(tmp_path: Path, shell: str) -> None:
    """typer checks each parameter's value with a pydantic adapter, and renders fish's help as
    rich markup: importing pydantic and rich were half of every Tab (docs/benchmarks.md). A
    completion reads the values as given, its help as plain text; a command still checks
    them (``--top x`` is a usage error)."""
    root = make_catalog(tmp_path / "catalog")
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: print(sorted({m.partition('.')[0] for m in sys.modules}"
             " & {'pydantic', 'rich'}), file=sys.stderr))\n"
             "sys.argv = ['deepphen']\nfrom deepphen.launch import main\nmain()\n")
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
        env=_env(root, _DEEPPHEN_COMPLETE=f"complete_{shell}", COMP_CWORD="4",
                 COMP_WORDS="deepphen\nstats\n--top\n3\n--sec",
                 _TYPER_COMPLETE_ARGS="deepphen stats --top 3 --sec",
                 _TYPER_COMPLETE_FISH_ACTION="get-args"))
    assert done.returncode == 0 and done.stderr == "[]\n", done.stderr
    assert "--section" in done.stdout
    checked = subprocess.run([str(DEEPPHEN), "stats", "--top", "x"], capture_output=True,
                             text=True, timeout=60, env=_env(root))
    assert checked.returncode == 2 and "--top 'x' is not a whole number" in checked.stderr


# SHELL_HOSTILE with a start of their own (Za..., Zb..., ...): one Tab inserts each whole.
UNIQUE_HOSTILE = [f"Z{string.ascii_letters[i]}{word[2:]}" for i, word in enumerate(
    [*SHELL_HOSTILE, "Zq%F{red}prompt%f", "Zq $'\\e'", "Zq\\e[2J", "Zq'", 'Zq"', "Zq\\"])]


def zsh_reads(line: str, cwd: Path) -> str:
    """The last word of ``line`` as zsh reads it (its quotes and escapes removed)."""
    done = subprocess.run(["zsh", "-f", "-c", 'eval "ws=($1)"; print -rn -- "$ws[-1]"', "zsh",
                           line], capture_output=True, text=True, timeout=60, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


@needs_zsh
def test_a_real_zsh_inserts_hostile_key_words_whole(tmp_path: Path) -> None:
    """Typed bare, after an opened quote, or after ``--keyword=``, each key word is inserted
    so that the line reads it back as it is, and nothing of it runs."""
    papers = sample_papers()
    papers[0].keywords = UNIQUE_HOSTILE
    root = make_catalog(tmp_path / "catalog", papers)
    typed = [(f"deepphen search -k {opened}{word[:2]}", word) for opened in ("", '"', "'")
             for word in UNIQUE_HOSTILE]
    typed.append(("deepphen search --keyword=Zb", "--keyword=" + UNIQUE_HOSTILE[1]))
    lines = zsh_tab([line for line, _ in typed], root, tmp_path)
    for (line, word), inserted in zip(typed, lines, strict=True):
        if '"' in line and "!" in word:
            # zsh writes "\!" in double quotes, which only an interactive zsh (history
            # expansion on) reads as "!".
            assert inserted.endswith('"Zp\\!bang"'), inserted
            continue
        assert zsh_reads(inserted, tmp_path) == word, (line, inserted)
    assert not (tmp_path / "PWNED").exists()


@needs_fish
def test_fish_is_offered_hostile_key_words_and_headings_inert(tmp_path: Path) -> None:
    settings = sample_settings()
    settings.sections[0].heading = "H $(touch PWNED) %F{red}x%f \\e[31m\x1b[2J\ttab \u202eRLO"
    papers = sample_papers()
    papers[0].keywords = [*SHELL_HOSTILE, "Zq\x1b[31mred", "Zq\u202eevil"]
    root = make_catalog(tmp_path / "catalog", papers, settings)
    slug = settings.sections[0].slug
    assert sorted(fish_offers(["deepphen search -k Zq"], root, tmp_path)) == sorted(
        SHELL_HOSTILE)  # a value with a control character is not offered
    script = 'deepphen --show-completion fish | source; complete -C $argv[1]'
    done = subprocess.run(["fish", "--no-config", "-c", script,
                           f"deepphen search --section {slug}"], capture_output=True,
                          text=True, timeout=60, env=_env(root, HOME=str(tmp_path)))
    assert done.stdout.count("\n") == 1 and not has_control(done.stdout.replace("\t", "", 1)
                                                            .rstrip("\n")), done.stdout
    assert "H $(touch PWNED) %F{red}x%f" in done.stdout
    assert not (tmp_path / "PWNED").exists()
