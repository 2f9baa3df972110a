"""Import stays near-linear on pathological pages (timed in bench/bench_import.py, never here):
the linear algorithms must answer exactly as the simple quadratic ones did."""

from __future__ import annotations

import re
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from deepphen.dialect import LINK_URL, unbracket_inner_links, unescaped_positions
from deepphen.importer import parse_list
from deepphen.models import Paper
from deepphen.order import assign_sort_as
from deepphen.slugs import UniqueNames


def reference_positions(text: str, char: str) -> list[int]:
    """The pairwise definition: a ``char`` preceded by an even run of backslashes."""
    out = []
    for i, ch in enumerate(text):
        if ch == char:
            backslashes = len(text[:i]) - len(text[:i].rstrip("\\"))
            if backslashes % 2 == 0:
                out.append(i)
    return out


@given(st.text(alphabet="*\\ab ", max_size=40))
def test_unescaped_positions_agree_with_the_pairwise_definition(text: str) -> None:
    assert unescaped_positions(text, "*") == reference_positions(text, "*")


def reference_longest_decreasing(keys: list[tuple[int, int]]) -> int:
    length = [1] * len(keys)
    for j in range(len(keys)):
        for k in range(j):
            if keys[k] > keys[j]:
                length[j] = max(length[j], length[k] + 1)
    return max(length, default=0)


_IDS = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 40)), max_size=25, unique=True)


@settings(max_examples=300)
@given(_IDS)
def test_the_page_order_is_kept_and_a_longest_run_keeps_its_ids(months_numbers: list) -> None:
    # Numbers far apart, so that every gap has room and no id has to give up its place.
    papers = [Paper(title=f"P{i}", year=2020, section="s", arxiv=f"20{m:02d}.{n * 1000:05d}")
              for i, (m, n) in enumerate(months_numbers)]
    assign_sort_as(papers)
    assert sorted(papers, key=Paper.sort_key, reverse=True) == papers
    kept = sum(p.sort_as is None for p in papers)
    keys = [(2020 * 100 + m, n) for m, n in months_numbers]
    assert kept == reference_longest_decreasing(keys)


def test_a_long_line_of_stars_and_a_venue_read_as_before() -> None:
    page = ("# L\n\n# Table of Contents\n\n## S\n\n### S: 2020\n\n"
            "- T. [[paper]](https://arxiv.org/abs/2001.00001)\n"
            f"  - A B, C \\* D. *{'*' * 2000}ICLR 2020*\n  - Key Word: K.\n")
    [paper] = parse_list(page).papers
    # The venue is what the last two unescaped '*' enclose; the escaped one stays text.
    assert paper.venue == "ICLR 2020"
    assert paper.authors[0] == "A B" and paper.authors[1].startswith("C * D. *")


# --- More pages that were quadratic: a title of '[' or of spaces, 20,000 sections, many
# papers of one title, many entries dated by their neighbours. Each linear version must answer
# as the simple one did.

_INNER_LINK_REFERENCE = re.compile(rf"\[\[((?:\\.|[^\\\]])*)\]\(({LINK_URL})\)\]")
# HTML's tag names are ASCII, any case: '</DETAILS>' closes, '</detailſ>' does not.
_CLOSE_REFERENCE = re.compile(r"[ \t]*(?ai:</details>)[ \t]*$")


@settings(max_examples=500)
@given(st.text(alphabet="[]()\\ax:/ \n", max_size=40))
def test_unbracketing_inner_links_agrees_with_the_regex(text: str) -> None:
    assert unbracket_inner_links(text) == _INNER_LINK_REFERENCE.sub(r"[[\1]](\2)", text)


@given(st.lists(st.sampled_from(["[[", "]", "](https://x.org/a)]", "\\", "a", "(", ")"]),
                max_size=12).map("".join))
def test_unbracketing_inner_links_agrees_with_the_regex_on_link_pieces(text: str) -> None:
    assert unbracket_inner_links(text) == _INNER_LINK_REFERENCE.sub(r"[[\1]](\2)", text)


@given(st.lists(st.sampled_from([" ", "\t", "</details>", "</DETAILS>", "</detailſ>", "x", "<",
                                 "\n", "\u2003"]), max_size=8)
       .map("".join))
def test_dropping_a_closing_details_agrees_with_the_regex(text: str) -> None:
    from deepphen.verbatim import _drop_close

    assert _drop_close(text) == _CLOSE_REFERENCE.sub("", text)


def reference_unique(bases: list[str], taken: set[str]) -> list[str]:
    """The count-up the catalog always used: base, else base-2, base-3, ... the first free."""
    out = []
    for base in bases:
        name, n = base, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        out.append(name)
    return out


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["a", "a-2", "a-3", "a-2-2", "b", "section"]), max_size=25),
       st.sets(st.sampled_from(["a", "a-2", "a-4", "section", "section-2"])))
def test_unique_names_agree_with_counting_up(bases: list[str], taken: set[str]) -> None:
    names = UniqueNames(taken)
    assert [names.unique(b) for b in bases] == reference_unique(bases, set(taken))


_KIND = st.one_of(st.just(("none",)), st.tuples(st.just("id"), st.integers(15, 24)),
                  st.tuples(st.just("venue"), st.integers(1995, 2024)))


def reference_neighbour_years(sections: list[list[tuple]]) -> list[dict[int, int]]:
    """Per section, entry index -> year: from its id or venue, else (in page order) the
    nearest dated entry above (one dated so counts), else the nearest below dated by its id or
    venue; entries nothing dates are left out."""
    out = []
    for kinds in sections:
        years: dict[int, int | None] = {}
        for i, kind in enumerate(kinds):
            years[i] = (2000 + kind[1] if kind[0] == "id" else
                        kind[1] if kind[0] == "venue" else None)
        static = dict(years)
        for i, kind in enumerate(kinds):
            if kind[0] == "none":
                above = [years[j] for j in range(i) if years.get(j)]
                below = [static[j] for j in range(i + 1, len(kinds)) if static[j]]
                years[i] = above[-1] if above else below[0] if below else None
        out.append({i: y for i, y in years.items() if y is not None})
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_KIND, min_size=1, max_size=8), min_size=1, max_size=3))
def test_entries_dated_by_their_neighbours_as_before(sections: list[list[tuple]]) -> None:
    lines = ["# L", ""]
    for s, kinds in enumerate(sections):
        lines += [f"## S{s}", ""]
        for i, kind in enumerate(kinds):
            url = (f"https://arxiv.org/abs/{kind[1]}{s + 1:02d}.{i + 1:05d}"
                   if kind[0] == "id" else f"https://example.org/{s}/{i}")
            venue = f" *Venue {kind[1]}*" if kind[0] == "venue" else ""
            lines += [f"- Title {s} {i}. [[paper]]({url})", f"  - A B.{venue}",
                      "  - Key Word: K.", ""]
    result = parse_list("\n".join(lines))
    got = [{} for _ in sections]
    for paper in result.papers:
        _, s, i = paper.title.split()
        got[int(s)][int(i)] = paper.year
    assert got == reference_neighbour_years(sections)


# The pattern that took a heading's emphasis off for its anchor, which searched the rest of
# the line for every opener's closing marker (quadratic); strip_emphasis must agree with it.
EMPHASIS_REFERENCE = re.compile(r"(?<!\\)(\*{1,3}|~~|`+)(?=[^\s*~`])(.+?)(?<=[^\s*~`\\])\1"
                                r"|(?<![\w\\])(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_\\])\3(?!\w)")


@settings(max_examples=2000)
@given(st.text(alphabet="*_~`\\ a\nb.é", max_size=30))
def test_strip_emphasis_agrees_with_the_pattern(text: str) -> None:
    from deepphen.export.anchors import strip_emphasis

    assert strip_emphasis(text) == EMPHASIS_REFERENCE.sub(lambda m: m.group(2) or m.group(4),
                                                          text)


def test_a_heading_of_unclosed_openers_keeps_its_text() -> None:
    from deepphen.export.anchors import heading_text

    for marker in ("_", "*", "`", "~~"):
        heading = f"{marker}a " * 3000
        assert heading_text(heading) == heading.replace("\\", "")


# --- A huge line (a title of 60 MB took ~3 minutes and 1.7 GB): the tokens verbatim.py
# compares are one string, escape_md and unescaped_index copy runs rather than characters.
# Each must answer exactly as the character-at-a-time versions did.

_OLD_TOKEN_RE = re.compile(rf"\]\((?:{LINK_URL})\)|</?[A-Za-z][^<>]*>"
                           rf"|\\[{re.escape(string.punctuation)}]|.", re.DOTALL)


def reference_tokens(text: str, *, markup: bool) -> list[str]:
    """The token list verbatim._tokens built, one entry per character (its loop alone)."""
    tokens = ["<block>"] if markup and text.startswith("<") else []
    for m in _OLD_TOKEN_RE.finditer(text):
        token = m.group()
        if len(token) <= 2:
            token = token.replace(";", ",")
        around = (text[m.start() - 1:m.start()] or " ", text[m.end():m.end() + 1] or " ")
        if token == "*" and markup:  # whether a space stands before it, and after it
            tokens.append("*" + "".join(str(int(c.isspace())) for c in around))
        elif markup or len(token) == 1:
            tokens.append(token)
        elif token[0] == "\\":  # the text alone: an escape is its character
            tokens.append(token[1])
        else:
            tokens.extend(t.replace(";", ",") for t in token)
    return [t for t in tokens if t not in (" ", "\t", ".") and (markup or t != "\\")]


def decoded(signature: str) -> list[str]:
    """The token list a string of verbatim._tokens stands for."""
    out, i = [], 0
    while i < len(signature):
        if signature[i] != "\0":
            out.append(signature[i])
            i += 1
        elif signature[i + 1] == "\0":
            out.append("\0")
            i += 2
        else:
            colon = signature.index(":", i)
            size = int(signature[i + 1:colon])
            out.append(signature[colon + 1:colon + 1 + size])
            i = colon + 1 + size
    return out


_LINE_PIECES = st.lists(st.sampled_from(
    ["a", " ", "\t", ".", ";", ",", "*", "\\", "\\[", "\\;", "\\\\", "\\.", "]", "](u)",
     "](x y)", "<", "<b>", "</i>", "<1", "[", "`", "\0", "\0" "2:", "2", ":", "_", "\n"]),
    max_size=16).map("".join)


@settings(max_examples=1500)
@given(_LINE_PIECES, st.booleans())
def test_the_tokens_of_a_line_are_the_ones_of_the_character_loop(text: str,
                                                                 markup: bool) -> None:
    from deepphen.verbatim import _BREAK_RE, _drop_close, _tokens

    # After a marker and a letter: no label, digest or block to read at the start.
    signature = _tokens(f"- X{text}", markup=markup)
    assert signature is not None
    rest = _BREAK_RE.sub("", _drop_close(unbracket_inner_links(f"X{text}")))
    assert decoded(signature) == reference_tokens(rest, markup=markup)


def reference_escape_md(text: str, separators: str, line_start: bool) -> str:
    """escape_md's loop over every character (after its folding and stripping)."""
    from deepphen import dialect

    out = []
    special = dialect._MD_SPECIAL + separators
    marks = {m.start() for m in dialect._ENTITY_RE.finditer(text)}
    marks.update(m.start(m.lastindex) for m in dialect._AUTOLINK_RE.finditer(text))
    for i, ch in enumerate(text):
        if ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            out.append("\\\\" if nxt == "" or nxt in string.punctuation else "\\")
        elif ch in special or i in marks or (line_start and i == 0
                                             and ch in dialect._BLOCK_START) \
                or (ch == "_" and not dialect._intraword(text, i)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    return dialect._ORDERED_START_RE.sub(r"\1\\\2", escaped, count=1) if line_start else escaped


@settings(max_examples=1500)
@given(st.text(alphabet="[]<*`~\\_&#;:/.@wa1 -+=|>", max_size=24),
       st.sampled_from(["", ";", ",;", "_", "\\"]), st.booleans())
def test_escape_md_agrees_with_the_character_loop(text: str, separators: str,
                                                  line_start: bool) -> None:
    from deepphen.dialect import escape_md

    text = text.strip(" ") if line_start else text
    assert escape_md(text, separators, line_start=line_start) == \
        reference_escape_md(text, separators, line_start)


def reference_unescaped_index(text: str, target: str) -> int:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


@settings(max_examples=1000)
@given(st.text(alphabet="[\\a]", max_size=20), st.sampled_from(["[[", "[", "a[", "\\["]))
def test_unescaped_index_agrees_with_the_character_loop(text: str, target: str) -> None:
    from deepphen.dialect import unescaped_index

    assert unescaped_index(text, target) == reference_unescaped_index(text, target)


def reference_difference(original: str, new: str) -> str:
    start = 0
    while start < min(len(original), len(new)) and original[start] == new[start]:
        start += 1
    end = 0
    while (end < min(len(original), len(new)) - start
           and original[len(original) - 1 - end] == new[len(new) - 1 - end]):
        end += 1
    lo = max(0, start - 10)
    return f"{original[lo:len(original) - end][:50]!r} -> {new[lo:len(new) - end][:50]!r}"


@settings(max_examples=1000)
@given(st.text(alphabet="ab", max_size=12), st.text(alphabet="ab", max_size=12),
       st.integers(0, 3))
def test_the_difference_quoted_is_the_one_of_the_character_loop(a: str, b: str,
                                                                 chunk: int) -> None:
    from deepphen import import_entry

    padding = "x" * (1000 * chunk)  # past a chunk or two of common text
    original, new = padding + a + padding, padding + b + padding
    assert import_entry._difference(original, new) == reference_difference(original, new)


_AUTOLINK_REFERENCE = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<![A-Za-z0-9])(?i:www)(\.)"
                                 r"|(?<=[A-Za-z0-9._+-])(@)(?=[A-Za-z0-9])")


@settings(max_examples=1000)
@given(st.text(alphabet="wW.:/@a1 _-+", max_size=16))
def test_the_autolink_pattern_finds_what_the_lookbehind_first_one_did(text: str) -> None:
    from deepphen.dialect import _AUTOLINK_RE

    def found(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [(m.lastindex, m.start(m.lastindex)) for m in pattern.finditer(text)]

    assert found(_AUTOLINK_RE) == found(_AUTOLINK_REFERENCE)


_CLOSE_DETAILS_REFERENCE = re.compile(r"\s*(?ai:</details>)\s*$")


@settings(max_examples=1000)
@given(st.lists(st.sampled_from([" ", "\t", "\n", "\u2003", "</details>", "</DETAILS>",
                                 "</detailſ>", "x", "<"]), max_size=8).map("".join))
def test_a_closing_details_is_found_where_the_regex_found_it(text: str) -> None:
    from deepphen.dialect import closing_details

    found = _CLOSE_DETAILS_REFERENCE.search(text)
    assert closing_details(text) == (found.start() if found else -1)


@settings(max_examples=1000)
@given(st.lists(st.sampled_from([" ", "\t", "x", ";", ",", "[[a]](u)", "[[b]](<v>)", "[[",
                                 "]](w \"t\")", "(", ")"]), max_size=10).map("".join))
def test_links_explained_as_the_plain_search_did(line: str) -> None:
    from deepphen import import_entry

    def link(m: re.Match[str]) -> str:
        url = m.group("url") if m.group("angled") is None else m.group("angled")
        return f" [[{m.group('label')}]]({url})"

    from deepphen.dialect import LINK_RE
    expected = LINK_RE.sub(link, import_entry._EMPTY_ITEM_RE.sub("", line))
    assert import_entry._explained(line) == expected


def test_thousands_of_problem_lines_are_printed_in_order_and_inert(tmp_path: Path,
                                                                   run_cli) -> None:
    """import prints its problems a few thousand lines a write (one write a line, flushed
    on stderr, was a tenth of a million-line page's time): every one, in page order, each
    on one line, none acting on the terminal or the CI log."""
    page = tmp_path / "list.md"
    stray = [f"stray {n}" for n in range(5000)]
    stray[4095] = "::error::forged \x1b[31mred"
    page.write_text("# L\n\n## S\n\n### S: 2020\n\n- T. [[paper]](https://arxiv.org/abs/2001.00001)\n"
                    "  - A.\n  - Key Word: K.\n\n" + "\n".join(stray) + "\n", encoding="utf-8")
    result = run_cli("import", page, "--catalog", tmp_path / "cat", exit_code=1)
    lines = [line for line in result.stderr.splitlines() if "left out" in line]
    assert [int(line.split(":")[1]) for line in lines] == list(range(11, 5011))
    assert lines[4095].endswith("left out: '::error::forged \\x1b[31mred'")
    assert "\x1b" not in result.stderr


SUMMARY_PATTERN = re.compile(r"^<summary>\s*(?P<label>.*?)\s*</summary>\s*$", re.IGNORECASE)


@given(st.text(alphabet=" \t<>/summaryRYSU\u3000x", max_size=40))
def test_summary_label_agrees_with_the_pattern_it_replaced(line: str) -> None:
    """The pattern was cubic on a line of blanks; the string reading answers as it did."""
    from deepphen.import_years import summary_label

    matched = SUMMARY_PATTERN.match(line)
    assert summary_label(line) == (matched.group("label") if matched else None)


def test_a_summary_line_of_blanks_and_a_run_of_comments_read_in_linear_time() -> None:
    """A '<summary>' line of 100,000 blanks (8,000 took minutes), and 50,000 comments one
    below the other in a year group (each joined by copying all before it), are read."""
    blanks = "<summary>" + " " * 100_000 + "x"
    comments = ["<!---->"] * 50_000
    page = "\n".join(["# L", "", "## S", "", "<details>", "<summary>S: 2024</summary>", "",
                      *comments, "", "- T. [[paper]](https://arxiv.org/abs/2401.00001)",
                      "", blanks, "", "</details>", ""])
    result = parse_list(page)
    assert [p.key for p in result.papers] == ["2401.00001"]
    assert result.settings.layout.notes["2401.00001"] == [*comments, ""]  # kept together
