"""comment_lines: the lines of a TOML text that hold a comment (what a rewrite would drop);
long_integer_line: where an integer too long for int() stands; deepest_line: where a text
nests too deep."""

from __future__ import annotations

import datetime as dt

import pytest
import tomli
import tomli_w
from hypothesis import assume, given
from hypothesis import strategies as st

from deepphen.comments import comment_lines, comment_problem, deepest_line, long_integer_line


@pytest.mark.parametrize(("text", "lines"), [
    ("", []),
    ("# alone\n", [1]),
    ('title = "A"  # why it is here\n', [1]),
    ('title = "A # not one"\n', []),
    ("title = 'A # not one' # one\n", [1]),
    ('"# key" = 1\n', []),
    ("'# key' = 1 # one\n", [1]),
    ('a = "say \\"# not\\"" # one\n', [1]),
    ('a = "ends in a backslash \\\\" # one\n', [1]),
    ("a = 'literal \\' # one\n", [1]),  # no escapes in a literal string
    ('a = """\n# inside\n"""\n# outside\n', [4]),
    ("a = '''\n# inside\n'''  # outside\n", [3]),
    ('a = """quote\\""""\n# after\n', [2]),
    ('a = """two quotes end it"""""\n# after\n', [2]),
    ("a = '''x''''' # after\n", [1]),
    ('a = """line \\\n  # still inside"""\n', []),
    ("[table] # t\nkey = [\n  1, # one\n  2,\n]\n", [1, 3]),
    ('a = "x"\r\n# crlf\r\n', [2]),
    ('a = "unclosed\n# below\n', [2]),  # invalid TOML: the stray quote hides nothing
])
def test_examples(text, lines):
    assert comment_lines(text) == lines


def test_problem_names_file_and_first_line(tmp_path):
    path = tmp_path / "p.toml"
    assert comment_problem(path, 'a = "#"\n', "left as it is", "remove it") is None
    error = comment_problem(path, "a = 1\n# one\n# two\n", "left as it is", "remove it")
    assert error is not None and error.line == 2
    assert str(error) == (f"{path}:2: has 2 comments (the first here), which rewriting the "
                          "file would drop; left as it is (remove it)")


# Text with every character TOML strings make special.
texts = st.text(alphabet=st.sampled_from("ab #\"'\\\n\t=[]{}é"), max_size=12)
keys = st.one_of(st.from_regex(r"[a-z_]{1,6}", fullmatch=True), texts.filter(bool))
scalars = st.one_of(texts, st.integers(-10**6, 10**6), st.booleans(),
                    st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=3)), max_leaves=10)
documents = st.dictionaries(keys, values, max_size=5)


@given(documents, st.booleans())
def test_written_documents_have_no_comment(data, multiline):
    text = tomli_w.dumps(data, multiline_strings=multiline)
    assert comment_lines(text) == []


@given(documents, st.data())
def test_an_inserted_comment_line_is_found(data, draw):
    lines = tomli_w.dumps(data).splitlines(keepends=True)  # no multi-line string to split
    at = draw.draw(st.integers(0, len(lines)))
    text = "".join([*lines[:at], "  # a curator's note \"'\n", *lines[at:]])
    assert tomli.loads(text) == tomli.loads("".join(lines))
    assert comment_lines(text) == [at + 1]


@given(documents, st.data())
def test_a_trailing_comment_is_found(data, draw):
    lines = tomli_w.dumps(data).splitlines()
    assume(lines)
    at = draw.draw(st.integers(0, len(lines) - 1))
    lines[at] += ' # why "this" # twice'
    text = "\n".join(lines) + "\n"
    assert tomli.loads(text) == data
    assert comment_lines(text) == [at + 1]


@given(texts)
def test_a_hash_in_any_string_is_no_comment(value):
    kinds = [tomli_w.dumps({value or "k": value}),
             tomli_w.dumps({"k": value}, multiline_strings=True)]
    if "'" not in value and "\n" not in value:
        kinds.append(f"'{value}' = '{value}'\n")
    if "'''" not in value and not value.endswith("'"):
        kinds.append(f"k = '''{value}'''\n")
    for text in kinds:
        assert tomli.loads(text)  # each is valid TOML
        assert comment_lines(text) == []


@pytest.mark.parametrize(("text", "line"), [
    ("a = 12345\n", 1),
    ("a = -12_345\n", 1),
    ('a = "0123456789"\nb = 12345\n', 2),  # the digits in a string are no integer
    ("# 123456789\nb = 12345\n", 2),
    ("a = '''\n123456\n'''\nb = [1, 12345]\n", 4),
    ("a = 123456.5\nb = 1e123456\nc = 12345\n", 3),  # floats: float() has no limit
    ("123456 = 1\nc = 12345\n", 2),  # a bare key
    ('a = "x"\nb = 1234\n', None),
    ("d = 2024-05-01T12:30:00\n", None),
])
def test_long_integer_line(text, line):
    assert long_integer_line(text, limit=4) == line


def test_the_limit_is_int_s_own():
    assert long_integer_line("a = " + "7" * 4300 + "\n") is None
    assert long_integer_line("a = " + "7" * 4301 + "\n") == 1


@pytest.mark.parametrize(("text", "line"), [
    ("", None),
    ("a = [[[[1]]]]\n", 1),  # past 3 levels: the key's and four arrays'
    ("a = 1\nb = [\n  [\n    [[2]],\n  ],\n]\n", 4),  # a multi-line array
    ("a = {b = {c = {d = 1}}}\nb = 1\n", 1),  # inline tables
    ("x = 1\na.b.c.d = 1\n", 2),  # dotted keys
    ("x = 1\n[a.b.c.d]\ny = 1\n", 2),  # a table header
    ("x = 1\n[[a.b.c]]\ny = 1\n", 2),  # an array of tables is a level more
    ('a = "[[[[[["\n# {{{{{{\nb = [[1]]\n', 3),  # brackets in strings and comments: none
    ("a = '''\n[[[[[[\n'''\nb = [[1]]\n", 4),  # nor in multi-line strings
    ("a = [1]\nb = [[1]]\n", 2),  # none past the limit: the deepest line
])
def test_deepest_line(text, line):
    assert deepest_line(text, limit=3) == line
