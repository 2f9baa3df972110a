"""Shell completion (deepphen.cli.completion): the scripts typer generates, and completing
command names, options, section slugs and key words through them in real subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def bash_complete(words: str, catalog: Path | None = None) -> list[str]:
    """What bash offers for ``words`` (the last one being completed), through the script
    ``deepphen --show-completion`` prints for bash, sourced in a real bash."""
    script = ("source <(deepphen --show-completion)\n"  # the shell is detected: bash
              f"COMP_WORDS=({words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n"
              "_deepphen_completion deepphen\n"
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env=_env(catalog))
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
    assert set(offered) == keywords
    some = sorted(keywords)[0]
    assert some in bash_complete(f"deepphen add 2401.00001 --keyword {some[:2]}", root)


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
        timeout=60, env=_env(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"))
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
