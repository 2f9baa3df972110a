"""Shell completion's scripts: printed or installed for a named shell.

typer completes command names and options by itself (``deepphen --install-completion``), but
its ``--install-completion`` and ``--show-completion`` are flags: a shell named after them was
ignored and the script (or the rc file written) was for the shell typer detects from the
parent process, bash under most scripts. ``completion.named_shell`` reads that name and
``complete_for_shell`` does what was asked, with typer's own scripts.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import typer

from deepphen.cli.completion import complete_var

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def complete_for_shell(action: str, shell: str, prog_name: str) -> None:
    """Print the completion script for ``shell``, or install it as typer does for that shell."""
    from typer.completion import install

    from deepphen.cli.output import echo

    flag = f"'--{action}-completion'"
    if not shell:
        shell = detected_shell()
        if shell not in SHELLS:
            raise typer.BadParameter(
                f"cannot complete for the shell running deepphen ({shell or 'none found'}); "
                f"name one: {', '.join(SHELLS)}", param_hint=flag)
    if shell not in SHELLS:
        raise typer.BadParameter(f"unknown shell {shell!r}; choose one of: {', '.join(SHELLS)}",
                                 param_hint=flag)
    # "python -m deepphen" is no command a shell completes: its script would take over
    # "python" and name a variable with spaces. Such a name completes deepphen itself.
    if not re.fullmatch(r"[\w.-]+", prog_name):
        prog_name = "deepphen"
    variable = complete_var(prog_name)
    if action == "show":
        script = completion_script(shell, prog_name, variable)
        echo(script + (zsh_autoload_tail(prog_name) if shell == "zsh" else ""))
        return
    if shell in ("bash", "zsh", "fish"):
        path = install_files(shell, prog_name, variable)
    else:
        try:
            shell, path = install(shell=shell, prog_name=prog_name, complete_var=variable)
        except FileNotFoundError as exc:  # PowerShell's install asks pwsh for its profile
            raise typer.BadParameter(f"cannot install {shell} completion: "
                                     f"{exc.filename or 'its program'} is not installed",
                                     param_hint=flag) from None
    echo(f"{shell} completion installed in {path}")
    echo("Completion will take effect once you restart the terminal")


def install_files(shell: str, prog_name: str, complete_var: str) -> Path:
    """Install completion for bash, zsh or fish as typer does (the same files, lines and
    scripts; zsh's script autoloads), returning the script's path. Unlike typer, an rc
    file is read only when it is a regular file (a FIFO hung the install), kept byte for
    byte (its non-UTF-8 bytes too), left as it is when it has the lines already, and
    replaced atomically through a link, its mode kept: typer truncated ``~/.bashrc`` and
    wrote it again, so a full disk left it empty. DeepphenError names a file that fails."""
    home = Path.home()
    script = completion_script(shell, prog_name, complete_var)
    if shell == "bash":
        target = home / ".bash_completions" / f"{prog_name}.sh"
        rc = home / ".bashrc"
        text = _read_rc(rc)
        line = f"source '{target}'"
        if line not in text:
            _write_home(rc, f"{text}\n{line}\n")
    elif shell == "zsh":
        target = home / ".zfunc" / f"_{prog_name}"
        rc = home / ".zshrc"
        text = new = _read_rc(rc)
        loader = "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
        if loader not in new:
            new += f"\n{loader}\n"
        if "zstyle" not in new:  # the user's own completion style is kept
            new += "\nzstyle ':completion:*' menu select\n"
        if new != text:  # the user's text kept byte for byte, the lines added after it
            _write_home(rc, new.lstrip("\n") if not text else new)
        script += zsh_autoload_tail(prog_name)
    else:
        target = home / ".config" / "fish" / "completions" / f"{prog_name}.fish"
        script += "\n"
    _write_home(target, script)
    return target


# A shell's rc file runs to a few KB; past this it is no rc file (a log, a disk image).
MAX_RC_BYTES = 16 * 2**20


def _read_rc(path: Path) -> str:
    """An rc file's text ("" when there is none), undecodable bytes kept as they are."""
    from deepphen.fsutil import os_error, read_regular

    if not path.exists():  # nor a link to one: the write says where it leads
        return ""
    try:
        return read_regular(path, MAX_RC_BYTES).decode("utf-8", "surrogateescape")
    except OSError as exc:
        raise os_error("read", exc, path,
                       hint="install the completion by hand: see --show-completion") from exc


def _write_home(path: Path, text: str) -> None:
    """Replace a file of the user's atomically, through a symbolic link (dotfiles kept in a
    repository stay links)."""
    from deepphen.fsutil import atomic_write_bytes
    from deepphen.outputs import written_through

    atomic_write_bytes(written_through(path), text.encode("utf-8", "surrogateescape"))


def completion_script(shell: str, prog_name: str, complete_var: str) -> str:
    """The script that makes ``shell`` ask ``prog_name`` for completions: typer's, but for
    fish (``FISH_SCRIPT``)."""
    if shell == "fish":
        return FISH_SCRIPT.format(prog=prog_name, var=complete_var,
                                  func=f"__{re.sub(r'[^A-Za-z0-9_]', '_', prog_name)}_complete")
    from typer.completion import get_completion_script

    return get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)


# typer's fish script ran the program twice per Tab: once as the entry's --condition (are
# there answers? else fish completes file names) and once for the answers. This asks once
# and completes file names itself when there is no answer. The command line goes whole
# ("string collect"): split at its newlines, a line continued with "\" gave env several
# _TYPER_COMPLETE_ARGS, and only the last line was read.
FISH_SCRIPT = """\
function {func}
    set -l answers (env {var}=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \\
        _TYPER_COMPLETE_ARGS=(commandline -cp | string collect) {prog})
    if string length -q -- $answers  # an answer that is not the empty line of none
        printf '%s\\n' $answers
    else  # a file name, after "--output=" too: completed without the option, then given it
        set -l token (commandline -ct | string unescape)  # "my\\ f" is the file "my f"
        set -l option (string match -r -- '^--[^=]*=' $token)
        __fish_complete_path (string replace -r -- '^--[^=]*=' '' $token) \
            | string replace -r -- '^' "$option"
    end
end
complete --command {prog} --no-files --arguments '({func})'"""


def zsh_autoload_tail(prog_name: str) -> str:
    """What typer's zsh script lacks as an autoloaded completion file (``~/.zfunc/_deepphen``):
    loaded on the first Tab, it only defined its function, so that Tab completed nothing.
    Autoloaded, it now also answers; sourced, it does not."""
    return (f"\nif [[ $funcstack[1] == _{prog_name} ]]; then "
            f"_{prog_name}_completion \"$@\"; fi\n")


def detected_shell() -> str:
    """The name of the shell running deepphen ("" when none is found), as typer finds it."""
    try:
        import shellingham

        return str(shellingham.detect_shell()[0])
    except Exception:  # not installed, or no shell above this process
        return os.path.basename(os.environ.get("SHELL", ""))
