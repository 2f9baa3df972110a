"""Help texts wrap cleanly: rich wraps each prose paragraph to the terminal once.

Docstrings are hard-wrapped in the source; a kept line break inside a paragraph made rich
print ragged lines ("...the catalog itself; a" / "terminal asks to confirm..."). For every
command, at several widths, each line of a prose paragraph must be as full as the next word
allows.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest
import typer.main

from deepphen.cli.main import app

COMMANDS = sorted(typer.main.get_command(app).commands)


def prose_paragraphs(text: str) -> list[list[str]]:
    """The description's paragraphs (before the option panels), examples left out."""
    body = text.split("╭", 1)[0]
    paragraphs, current = [], []
    for line in body.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return [p for p in paragraphs if not p[0].lstrip().startswith(("Usage:", "deepphen "))
            and not p[0].startswith("   ")]


@pytest.mark.parametrize("width", [70, 100])
@pytest.mark.parametrize("name", COMMANDS)
def test_help_paragraphs_wrap_greedily(name: str, width: int) -> None:
    # A process of its own: rich and typer read the width from the environment once.
    env = {**os.environ, "COLUMNS": str(width), "TERMINAL_WIDTH": str(width)}
    result = subprocess.run([sys.executable, "-m", "deepphen", name, "--help"], env=env,
                            capture_output=True, text=True, encoding="utf-8", check=True)
    for paragraph in prose_paragraphs(result.stdout):
        for line, following in itertools.pairwise(paragraph):
            word = following.split()[0]
            # rich keeps one space of margin each side of the help text
            assert len(line) + 1 + len(word) > width - 2, (
                f"ragged line in '{name} --help' at {width} columns:\n{line}\n{following}")
