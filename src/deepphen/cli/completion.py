"""Shell completion: the values read from the catalog, answered to each shell.

typer completes command names and options by itself; the callbacks here add the catalog's
own vocabulary (section slugs, key words). They run only while the shell asks for
completions, never on a command's path, and a catalog that cannot be read completes nothing:
a completion must never print an error into the user's command line. Each shell reads the
answer its own way (quotes, word breaks, separators): what a value must be for it to reach
the command line whole is here too. The scripts and their install: cli/completion_setup.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import typer

# The help of the main options --show-completion and --install-completion (typer's says
# nothing of the shell they take); read by every command's parameters at start-up.
HELP = {
    "show_completion": "Print the completion script for SHELL (bash, zsh, fish, powershell; "
                       "default: the shell running deepphen), to copy it or install it yourself.",
    "install_completion": "Install completion for SHELL (bash, zsh, fish, powershell; default: "
                          "the shell running deepphen).",
}
# The main options whose shell is read by named_shell (app.parse_args, every run).
_ACTIONS = {"--show-completion": "show", "--install-completion": "install"}


def named_shell(args: list[str]) -> tuple[str, str] | None:
    """("show" or "install", shell) when the main options are ``--show-completion SHELL`` or
    ``--install-completion SHELL`` (or ``=SHELL``); the shell is "" when none is named (it is
    then detected); None when the words belong to a command."""
    for i, arg in enumerate(args):
        flag, equals, value = arg.partition("=")
        if flag in _ACTIONS:
            if equals:
                return _ACTIONS[flag], value
            following = args[i + 1] if i + 1 < len(args) else ""
            return _ACTIONS[flag], following if following[:1] not in ("", "-") else ""
        if not arg.startswith("-"):
            return None  # a command: the main options end here
    return None


def _catalog_root(ctx: typer.Context) -> Path | None:
    """The catalog the command line being completed points at (``--catalog`` or the default).

    The shell gives the words as typed: ``--catalog ~/papers`` is expanded here as the shell
    will expand it when the line runs (the catalog was looked for in a folder named "~")."""
    from deepphen.catalog import find_catalog

    explicit = (ctx.params or {}).get("catalog")
    try:
        return find_catalog(Path(explicit).expanduser() if explicit is not None else None)
    except Exception:  # no catalog here: nothing to complete
        return None


# What bash reads as itself anywhere in a word; every other character gets a backslash.
_BASH_PLAIN_RE = re.compile(r"[\w.,:/@%+=-]")
# What PowerShell reads as itself; a value with anything else goes in single quotes.
_POWERSHELL_PLAIN_RE = re.compile(r"[\w./-]+")
_POWERSHELL_QUOTES = "'\u2018\u2019\u201a\u201b"  # it takes the typographic ones as quotes too


def _shell(ctx: typer.Context) -> str:
    """The shell asking for completions: typer's scripts set ``$_DEEPPHEN_COMPLETE`` to
    ``complete_bash``, ``complete_zsh``, ... (the name follows the program's)."""
    return os.environ.get(complete_var(ctx.find_root().info_name or "deepphen"),
                          "").partition("_")[2]


def complete_var(prog_name: str) -> str:
    """The variable typer's script for ``prog_name`` sets: ``_DEEPPHEN_COMPLETE``."""
    return "_" + re.sub(r"\W", "_", prog_name).upper() + "_COMPLETE"


def open_quote(line: str) -> str | None:
    """The quote ``line`` (bash's words being completed, joined) ends inside, if any."""
    return _line_end(line)[0]


def _line_end(line: str) -> tuple[str | None, bool]:
    """The quote ``line`` ends inside, if any, and whether its last character is escaped."""
    quote, escaped, last_escaped = None, False, False
    for ch in line:
        last_escaped = escaped
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote is not None:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
    return quote, last_escaped


def typed_words(line: str) -> tuple[list[str], str]:
    """The words of ``line`` (the command line up to the cursor, as typer's zsh and fish
    scripts give it) before the one being completed, and that one: "" after a space that
    ends a word. typer took any last space for one, so ``-k Neural\\ <Tab>`` or
    ``-k "Neural <Tab>`` completed the next argument, never "Neural Collapse"."""
    # A line continued with "\\" (fish gives the whole command line): the shell drops the
    # backslash and the newline, splitting typer took the newline for a word's first letter.
    line = line.replace("\\\n", "")
    words = click_completion().split_arg_string(line)[1:]  # as typer splits it
    quote, escaped = _line_end(line)
    if words and not (line[-1:].isspace() and quote is None and not escaped):
        return words[:-1], words[-1]
    return words, ""


def click_completion() -> Any:
    """typer's copy of click's shell_completion, where typer looks its classes up (older
    typers use click's own)."""
    try:
        from typer._click import shell_completion
    except ImportError:
        from click import shell_completion
    return shell_completion


# What a value cannot hold inside a quote bash opened, as that quote's text: the globs
# typer's script expands (a backslash before one would stay in the value), and, inside
# double quotes, the "!" of history expansion (likewise: "\!" keeps its backslash there).
_UNQUOTABLE_RE = {"'": re.compile(r"[*?\[]"), '"': re.compile(r"[*?\[!]")}


def quoted_for(shell: str, value: str, quote: str | None = None) -> str:
    """``value`` as ``shell`` must find it in the command line it puts it in. bash and
    PowerShell put a completion there as it is given (bash globs it first), so a key word of
    three words became three arguments and one holding ``$(...)`` a command; zsh and fish
    quote what they insert themselves. Inside a ``quote`` bash opened (``-k "Occ``), the
    value goes after it, as that quote reads it: backslashes there were kept as typed."""
    if shell == "bash" and quote == '"':
        return re.sub(r'(["\\$`])', r"\\\1", value)
    if shell == "bash" and quote == "'":
        return value.replace("'", "'\\''")
    if shell == "bash":
        return "".join(ch if _BASH_PLAIN_RE.match(ch) else "\\" + ch for ch in value)
    if shell in ("powershell", "pwsh") and not _POWERSHELL_PLAIN_RE.fullmatch(value):
        return "'" + "".join(ch * 2 if ch in _POWERSHELL_QUOTES else ch for ch in value) + "'"
    return value


def zsh_word(text: str) -> str:
    """``text`` as one word of the ``((value:description ...))`` list in typer's answer to
    zsh: zsh evaluates the answer (a single-quoted word: a ``'`` is written ``'\\''``), then
    _arguments evaluates the list (a double-quoted word: ``\\ " $ ` `` escaped), and
    _describe splits each word at its first ``:`` not escaped and drops the backslash of
    every ``\\x`` (so a backslash of the value is written four times, a colon ``\\\\:``).
    The script evaluates ``$(deepphen)`` unquoted, which splits it into words and joins them
    with one space: a run of spaces is written ``'$'\\x20\\x20''`` (out of the quote and back),
    or "Zq  Two Spaces" was offered as "Zq Two Spaces"."""
    text = text.replace("\\", "\\" * 4)
    for ch in '"$`':
        text = text.replace(ch, "\\" + ch)
    text = text.replace(":", "\\\\:").replace("'", "'\\''")
    return re.sub(r" {2,}", lambda run: "'$'" + "\\x20" * len(run.group()) + "''", text)


class OptionValues:
    """What a shell class of ours adds to typer's: an option's value that starts with ``-``
    completes as a value. click completes option names for any word starting with ``-``, so
    ``-k -<Tab>`` offered ``--limit``, ``-n``, ... and ``-k -Ze<Tab>`` nothing, though the
    option's value is the next word whatever it starts with (``-k -Zero`` runs): a key word
    such as "-1 Loss" could not be completed."""

    cli: Any
    ctx_args: Any
    prog_name: str

    def get_completions(self, args: list[str], incomplete: str) -> list[Any]:
        """The completions of ``incomplete``: the values of the option before it when it is
        one that takes a value, else as click has them."""
        name, equals, value = incomplete.partition("=")
        # "--keyword=-Ze": click reads the value after the "=" the same way.
        given, typed = ([*args, name], value) if equals and name.startswith("--") else (
            args, incomplete)
        if typed.startswith("-") and "--" not in args:
            shell_completion = click_completion()
            ctx = shell_completion._resolve_context(self.cli, self.ctx_args, self.prog_name,
                                                    given)
            for param in ctx.command.get_params(ctx):
                if shell_completion._is_incomplete_option(ctx, given, param):
                    return list(param.shell_complete(ctx, typed))
        return super().get_completions(args, incomplete)  # type: ignore[misc]


def quote_for_zsh() -> None:
    """Answer zsh with values and help quoted by ``zsh_word``: typer doubles each ``'`` and
    ``"`` in its single-quoted answer, which zsh reads as nothing ("Occam's Razor", a key
    word of the shipped catalog, became "Occams Razor", which matches nothing). Registered
    in place of typer's zsh class just before a completion is answered."""
    from typer._completion_classes import ZshComplete

    class QuotingZshComplete(OptionValues, ZshComplete):
        def get_completion_args(self) -> tuple[list[str], str]:
            return typed_words(os.environ.get("_TYPER_COMPLETE_ARGS", ""))

        def format_completion(self, item: Any) -> str:
            value = zsh_word(item.value)
            if not item.help:
                return f'"{value}"'
            # The help is plain text (printable): typer's markup reader raised on a
            # heading such as "Discussions [/r/MachineLearning]".
            return f'"{value}":"{zsh_word(plain_help(item.help))}"'

    click_completion().add_completion_class(QuotingZshComplete, "zsh")


def plain_help(text: str) -> str:
    """An option's help as a shell shows it: the help is written for rich, where ``\\[``
    stands for a bracket ("\\[discover] categories"); shown as plain text, the backslash
    was seen."""
    return text.replace("\\[", "[")


def words_for_fish() -> None:
    """Read fish's command line with ``typed_words``: typer took ``-k Neural\\ `` for a
    finished word. Answer each value with its help as plain text: typer rendered the help as
    rich markup, and importing rich for it cost about a third of every Tab. Registered in
    place of typer's fish class just before a completion is answered."""
    from typer._completion_classes import FishComplete

    class WordsFishComplete(OptionValues, FishComplete):
        def get_completion_args(self) -> tuple[list[str], str]:
            return typed_words(os.environ.get("_TYPER_COMPLETE_ARGS", ""))

        def format_completion(self, item: Any) -> str:
            if not item.help:
                return str(item.value)
            # fish reads a tab as the start of the help and a newline as the next answer.
            return f"{item.value}\t{' '.join(plain_help(item.help).split())}"

    click_completion().add_completion_class(WordsFishComplete, "fish")


def _matching(ctx: typer.Context, values: list[tuple[str, str]],
              incomplete: str) -> list[tuple[str, str]]:
    """The (value, help) pairs whose value starts with ``incomplete``, case folded; when none
    does, those whose fold (``vocab.fold``, as search compares) starts with its fold: "Occam’"
    and "neural-c" complete "Occam's Razor" and "Neural Collapse".

    Catalog text reaches the shell's command line and menu here: a value holding a control
    character (or PowerShell's separator) is not offered, a value is quoted for the shell
    (``quoted_for``), and help text is made inert. bash gets the rest of a value after the
    text it keeps (``BASH_KEPT``), and nothing that would shorten what was typed.
    """
    from deepphen.printable import has_control
    from deepphen.vocab import fold

    start, folded, shell = incomplete.casefold(), fold(incomplete), _shell(ctx)
    quote = open_quote(os.environ.get("COMP_WORDS", "")) if shell == "bash" else None
    option = option_typed(shell, incomplete)
    if shell in ("powershell", "pwsh"):  # typer reads PowerShell's help as markup
        from rich.markup import escape as unmarked
    else:
        def unmarked(text: str) -> str:
            return text

    kept = BASH_KEPT[0] if shell == "bash" else ""
    offered = [(value, help) for value, help in values
               if not has_control(value) and value.startswith(kept)
               and not (shell in ("powershell", "pwsh") and POWERSHELL_SEPARATOR in value)
               # typer's bash script globs the answers: a file name matching "Zq*" was
               # inserted in its place; an interactive bash expands "Zq!bang" in double
               # quotes from its history (or fails, "event not found") when the line runs.
               # Typed without the quote, such a value completes.
               and not (quote and _UNQUOTABLE_RE[quote].search(value))]
    # Values that start with what was typed hide those only its fold finds: bash replaces the
    # word with the answers' common start, so "Zq S" offering "Zq Scaling Laws" and "Zq/slash"
    # (both "zq s..." folded) left "Zq", what was typed lost.
    fits = ([pair for pair in offered if pair[0].casefold().startswith(start)]
            or [pair for pair in offered if folded and fold(pair[0]).startswith(folded)])
    answers = [(quoted_for(shell, option + value[len(kept):], quote),
                unmarked(help_text(shell, help))) for value, help in fits]
    # bash puts the answers' common start in place of what was typed: when that is shorter,
    # nothing is answered ("Zq p" folds to the start of "Zq%percent" and "Zq+plus", "Zq").
    if shell == "bash" and len(answers) > 1:
        common = os.path.commonprefix([answer for answer, _ in answers])  # noqa: RUF071
        if len(common) < len(bash_typed(quote)):
            return []
    return answers


def bash_words() -> tuple[list[str], int]:
    """bash's words as typed (typer's script gives ``$COMP_WORDS`` joined by newlines) and
    the index of the one being completed (``$COMP_CWORD``). Whatever the environment holds,
    the index names one of the words: one that is no whole number, or none, means the last
    word, and one past the last a new empty word after it, as typer read it (typer's
    ``int(COMP_CWORD)`` ended the Tab in a traceback printed into the user's command line)."""
    words = os.environ.get("COMP_WORDS", "").split("\n")
    cword = os.environ.get("COMP_CWORD", "").strip()
    if not (cword.isdecimal() and cword.isascii()):
        return words, len(words) - 1
    if int(cword) >= len(words):
        return [*words, ""], len(words)
    return words, int(cword)


def bash_typed(quote: str | None) -> str:
    """The text bash replaces with the answers: the word being completed as typed, after the
    ``quote`` it opened; none after a ``=`` or ``:`` bash split the word at."""
    words, cword = bash_words()
    word = words[cword]
    if _is_break(word):
        return ""
    return word.partition(quote)[2] if quote else word


def _is_break(word: str) -> bool:
    """A word bash made of the ``:`` and ``=`` of COMP_WORDBREAKS it split a word at."""
    return bool(word) and not word.strip(":=")


# What typer's PowerShell script splits each answer at (value:::help): a value holding it
# would be cut there (an open quote left in the command line), so it is not offered; in help,
# every run of colons is broken up.
POWERSHELL_SEPARATOR = ":::"


def help_text(shell: str, help: str) -> str:
    """A value's help as ``shell``'s menu shows it: printable, PowerShell's separator broken."""
    from deepphen.printable import printable

    text = printable(help)
    if shell in ("powershell", "pwsh"):
        text = re.sub(r":(?=::)", ": ", text)
    return text


def option_typed(shell: str, incomplete: str) -> str:
    """``--keyword=`` when the word being completed is ``--keyword=<incomplete>``, else "".

    click answers the value alone, but zsh, fish and PowerShell keep only the answers that
    start with the whole word typed, so ``--keyword=Occ`` completed nothing; they get the
    option back in front of each value. bash splits the word at ``=`` itself
    (``BashEqualsComplete``) and replaces only the value."""
    if shell in ("powershell", "pwsh"):
        word = os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
    elif shell in ("zsh", "fish"):
        word = typed_words(os.environ.get("_TYPER_COMPLETE_ARGS", ""))[1]
    else:
        return ""
    name, equals, value = word.partition("=")
    return name + equals if equals and name.startswith("--") and value == incomplete else ""


def split_equals_for_bash() -> None:
    """Read ``--keyword=Occ`` and ``-k Zq:le`` as bash gives them: its words split at ``=``
    and ``:`` (``--keyword``, ``=``, ``Occ``), so click took the ``=`` for the option's value
    and ``Occ`` for an argument, and completed nothing. Registered in place of typer's bash
    class just before a completion is answered."""
    from typer._completion_classes import BashComplete

    class BashEqualsComplete(OptionValues, BashComplete):
        def get_completion_args(self) -> tuple[list[str], str]:
            words, cword = bash_words()
            # As typer reads them (each word unquoted), from the words bash_words checked.
            cwords = click_completion().split_arg_string("\n".join(words[:cword + 1]))
            args = cwords[1:cword]
            incomplete = cwords[cword] if cword < len(cwords) else ""
            args, incomplete, kept = joined_at_breaks(args, incomplete)
            # click completes the value of "--keyword=..." alone: what is kept of the value
            option, equals, _ = incomplete.partition("=")
            long_option = incomplete.startswith("--") and equals
            BASH_KEPT[0] = kept[len(option) + 1:] if long_option else kept
            return args, incomplete

    click_completion().add_completion_class(BashEqualsComplete, "bash")


# What bash keeps of the value being completed, set by BashEqualsComplete for _matching:
# bash replaces only the text after the word's last ``:`` or ``=`` ("Zq:" of "Zq:le").
BASH_KEPT = [""]


def joined_at_breaks(args: list[str], incomplete: str) -> tuple[list[str], str, str]:
    """bash's words with each word it split at ``=`` or ``:`` joined back into one, as click
    reads them (``--option``, ``=``, ``value`` is ``--option=value``; ``Zq``, ``:``, ``le`` is
    ``Zq:le``), the word being completed included; and what bash keeps of that word (``Zq:``),
    the answers replacing the rest. After a short option (``-k=x``) a ``=`` stays a word.
    bash's words say nothing of the spaces between them: ``Zq : le`` reads as ``Zq:le``."""
    words = [*args, incomplete]
    joined: list[str] = []
    kept = ""
    i = 0
    while i < len(words):
        word = words[i]
        if _is_break(word) and joined and (joined[-1].startswith("--")
                                           or not joined[-1].startswith("-")):
            joined[-1] += word
            kept = joined[-1]  # up to the break: bash's own text
            joined[-1] += words[i + 1] if i + 1 < len(words) else ""
            i += 2
        else:
            joined.append(word)
            kept = ""
            i += 1
    return joined[:-1], joined[-1], kept


def complete_section(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Section slugs of the catalog, each with its heading as help."""
    root = _catalog_root(ctx)
    if root is None:
        return []
    from deepphen.catalog import load_settings

    try:
        settings = load_settings(root)
    except Exception:
        return []
    return _matching(ctx, [(s.slug, s.heading) for s in settings.sections], incomplete)


def complete_keyword(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The catalog's key words in their canonical spelling, each with its paper count."""
    root = _catalog_root(ctx)
    if root is None:
        return []
    from collections import Counter

    from deepphen.catalog import load_papers

    try:
        papers = load_papers(root)
    except Exception:
        return []
    counts = Counter(k for p in papers for k in p.keywords)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return _matching(ctx, [(k, f"{n} paper{'s' * (n != 1)}") for k, n in ranked],
                     incomplete)


# What a Param's ``complete`` names (deepphen.cli.params) -> the callback typer calls.
COMPLETERS: dict[str, Any] = {"section": complete_section, "keyword": complete_keyword}


def answer_unfiltered(group: Any) -> None:
    """Let the catalog's completers answer as they match (``_matching``): typer's wrapper of
    an ``autocompletion`` keeps only the values that start with what was typed, case and all,
    so "neural" or "Occam’" completed nothing of "Neural Collapse" or "Occam's Razor".
    Called just before a completion is answered; the commands' options are otherwise as
    typer built them."""
    completion_item = click_completion().CompletionItem

    def unfiltered(completer: Any) -> Any:
        def answer(ctx: Any, param: Any, incomplete: str) -> list[Any]:
            return [completion_item(value, help=help) for value, help in
                    completer(ctx, incomplete)]
        return answer

    for command in getattr(group, "commands", {}).values():
        for param in command.params:
            completer = COMPLETERS.get(param.name or "")
            if completer is not None and getattr(param, "_custom_shell_complete", None):
                param._custom_shell_complete = unfiltered(completer)


class _AsGiven:
    """A typer parameter's coercion that keeps the value as the command line gives it."""

    def coerce(self, value: Any, **_: Any) -> Any:
        """``value`` itself."""
        return value


def uncoerced(params: list[Any]) -> None:
    """Completion reads the command line as given: typer checks each parameter's value with a
    pydantic adapter it builds on first use, and importing pydantic and building them cost
    about 60 ms of every Tab, for values a completion never uses (its one use, ``--catalog``,
    is read as a string). Called on each command's parameters (its --help too) while a
    completion is answered."""
    for param in params:
        if hasattr(param, "_runtime_param"):
            param._runtime_param = _AsGiven()
