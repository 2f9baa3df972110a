"""What tests share besides fixtures: paths, sample papers and settings, catalog builders.

Fixtures live in conftest.py (and the modules it lists in ``pytest_plugins``); test modules
import helpers from here, never from conftest.py or from each other.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path

from deepphen.catalog import settings_to_toml, write_paper
from deepphen.fsutil import CACHE_DIR, atomic_write_text
from deepphen.models import Link, Paper, Section, Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL_LIST = SHARED / "data" / "awesome-deep-phenomena" / "README.md"
ARXIV_FIXTURES = SHARED / "fixtures" / "arxiv"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
ERROR = "deepphen: error:"


SECTIONS = [
    Section("Empirical Study", "empirical-study", image="https://example.org/a.png"),
    Section("Neural Collapse", "neural-collapse", image="./img/nc.gif"),
    Section("Emergence and Phase Transitions", "emergence-and-phase-transitions"),
    Section("Others", "others", toc_label="Other Papers", anchor="others"),
]


def sample_settings(**overrides: object) -> Settings:
    settings = Settings(
        title="Test List",
        sections=[dataclasses.replace(s) for s in SECTIONS],  # a test may change its copy
        intro="A list for tests.",
        toc_heading="Table of Contents",
        resources_toc_label="Resources",
    )
    for name, value in overrides.items():
        setattr(settings, name, value)
    return settings


def sample_papers() -> list[Paper]:
    return [
        Paper(
            title="Grokking: Generalization Beyond Overfitting on Small Algorithmic Datasets",
            year=2022, section="emergence-and-phase-transitions",
            authors=["Alethea Power", "Yuri Burda", "Harri Edwards", "Igor Babuschkin",
                     "Vedant Misra"],
            venue="ICLR 2022 Workshop", arxiv="2201.02177", keywords=["Grokking"],
            links=[Link("paper", "https://arxiv.org/abs/2201.02177"),
                   Link("code", "https://github.com/openai/grok")],
            digest="A small network learns modular arithmetic long after it overfits.",
        ),
        Paper(
            title="Prevalence of Neural Collapse during the terminal phase of deep learning "
            "training",
            year=2020, section="neural-collapse",
            authors=["Vardan Papyan", "X. Y. Han", "David L. Donoho"], venue="PNAS",
            arxiv="2008.08186", keywords=["Neural Collapse"],
            links=[Link("paper", "https://arxiv.org/abs/2008.08186")],
        ),
        Paper(
            title="The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
            year=2018, section="others",
            authors=["Jonathan Frankle", "Michael Carbin"], venue="ICLR 2019",
            arxiv="1803.03635", keywords=["Lottery Ticket Hypothesis", "Pruning"],
            links=[Link("paper", "https://arxiv.org/abs/1803.03635")],
        ),
        Paper(
            title="When Bad Data Leads to Good Models",
            year=2025, section="empirical-study",
            authors=["Kenneth Li", "Yida Chen", "Fernanda Viégas", "Martin Wattenberg"],
            arxiv="2505.04741", keywords=["Detoxification", "Large Language Model"],
            links=[Link("paper", "https://arxiv.org/abs/2505.04741")],
        ),
        Paper(
            title="AI models collapse when trained on recursively generated data",
            year=2024, section="empirical-study",
            authors=["Ilia Shumailov", "Zakhar Shumaylov"], venue="Nature",
            keywords=["Model Collapse"], sort_as="2405.00001",
            links=[Link("paper", "https://www.nature.com/articles/s41586-024-07566-y")],
        ),
    ]


def make_catalog(root: Path, papers: Iterable[Paper] | None = None,
                 settings: Settings | None = None) -> Path:
    """Write a catalog folder with these papers and settings; return its path."""
    from deepphen.catalog import paper_key
    from deepphen.slugs import UniqueNames

    root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(root / "catalog.toml", settings_to_toml(settings or sample_settings()))
    names = UniqueNames()
    for paper in sample_papers() if papers is None else papers:
        paper.key = names.add(paper.key) if paper.key else paper_key(paper, names)
        write_paper(root, paper)
    return root


def more_papers() -> list[Paper]:
    """The shared sample papers plus a few that make ranking questions interesting."""
    return [*sample_papers(), *[
        Paper(title="The Platonic Representation Hypothesis", year=2024,
              section="empirical-study", arxiv="2405.07987",
              authors=["Minyoung Huh", "Brian Cheung", "Tongzhou Wang", "Phillip Isola"],
              keywords=["Representation Convergence"],
              links=[Link("paper", "https://arxiv.org/abs/2405.07987")]),
        Paper(title="Slow Learning Dynamics in Small Transformers", year=2023,
              section="others", arxiv="2302.00001", authors=["Ada Byron"],
              keywords=["Training Dynamics"],
              digest="Related to grokking, but the delay here comes from the optimizer.",
              links=[Link("paper", "https://arxiv.org/abs/2302.00001")]),
        Paper(title="Winning Tickets at Scale", year=2021, section="others",
              arxiv="2103.00002", authors=["Jonathan Frankle", "Ada Byron"],
              keywords=["Lottery Ticket Hypothesis"],
              links=[Link("paper", "https://arxiv.org/abs/2103.00002")]),
    ]]


def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with tests/golden/markdown/NAME (UPDATE_GOLDEN=1 rewrites it)."""
    path = GOLDEN / "markdown" / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def tree(top: Path) -> dict[str, object]:
    """Every file (bytes), link (target) and folder under ``top``, but deepphen's cache."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if d != CACHE_DIR]
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(top).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = "dir"
            elif path.is_file():
                out[rel] = path.read_bytes()
            else:  # a FIFO or device: never opened (a FIFO would block)
                out[rel] = ("special", path.lstat().st_mode)
    return out


def make_special(path: Path, kind: str) -> None:
    """Make ``path`` a file that is no regular file: "fifo", "socket" or "folder"."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        import socket

        with socket.socket(socket.AF_UNIX) as server:
            server.bind(os.path.relpath(path))  # relative: a socket's path is 107 bytes at most
    else:
        path.mkdir()


def spy_opens(monkeypatch: object) -> list[str]:
    """The names of the files ``os.open`` opens from now on (for the end of the test): a
    special file must not be opened at all, since opening a device can act."""
    opened: list[str] = []
    real_open = os.open

    def spy(file: str | Path, *args: object, **kwargs: object) -> int:
        opened.append(os.path.basename(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)  # type: ignore[attr-defined]
    return opened


def one_line_error(result: object, *mentions: str) -> None:
    """A CLI result that failed cleanly: exit 2, one error line naming each of ``mentions``."""
    exc = result.exception  # type: ignore[attr-defined]
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert result.exit_code == 2, result.stderr  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    errors = [line for line in lines if line.startswith(ERROR)]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr  # type: ignore[attr-defined]
    for mention in mentions:
        assert mention in errors[0]


def ctrl_c_after(monkeypatch: object, answers: str) -> CtrlC:
    """Input for the CLI runner: ``answers``, then Ctrl-C where the next answer would be read
    (plain input ends there instead: Ctrl-D). typer's runner takes only text or bytes as
    input: it is taught to take this stream as it is."""
    import typer.testing

    monkeypatch.setattr(typer.testing, "make_input_stream",  # type: ignore[attr-defined]
                        lambda stream, charset: stream)
    return CtrlC(answers)


class CtrlC(io.BytesIO):
    """``answers``, then KeyboardInterrupt at the read past them (see ctrl_c_after)."""

    def __init__(self, answers: str) -> None:
        super().__init__(answers.encode())

    def _read(self, size: int | None, read: object) -> bytes:
        data = read(size)  # type: ignore[operator]
        if not data and size != 0:
            raise KeyboardInterrupt
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._read(size, super().read)

    def read1(self, size: int | None = -1) -> bytes:
        return self._read(size, super().read1)


def ci_commands(text: str) -> list[str]:
    """The lines a CI runner reads as commands: GitHub's "::name ...::" after the blanks that
    start a line, its legacy "##[name]" and Azure's "##vso[" or TeamCity's "##teamcity["
    anywhere (lines end at CR or LF, as the runner reads them)."""
    found = []
    for line in re.split(r"\r\n|\r|\n", text):
        start = line.lstrip()
        if (start.startswith("::") and "::" in start[2:]) or re.search(r"##[A-Za-z]*\[", line):
            found.append(line)
    return found


def unnamed_changes(original: str, exported: str, noted: set[int],
                    same: dict[str, str] | None = None) -> list[str]:
    """The changes export makes to ``original`` (a page, CR line ends read as LF) that no note
    names: a note names a change at its line; lines export adds, at a line beside them (past
    a blank one); an entry or contents item export moves, at its line on the page (where it
    was, its anchor the same; ``same`` maps an entry's first line as exported to the page's,
    for an entry export writes otherwise); a contents item export adds, at its section's
    heading."""
    same = same or {}
    old = re.sub(r"\r\n?", "\n", original).split("\n")
    new = exported.split("\n")
    headings = {re.sub(r"^#+ ", "", line): i for i, line in enumerate(old, 1)
                if line.startswith("#")}
    where = {}  # a line's first place, trailing spaces aside (export drops them, reported)
    for i, line in enumerate(old, 1):
        where.setdefault(line.rstrip(), i)
    missing = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        near = set(range(i1 + 1, i2 + 1)) if i2 > i1 else {i1, i1 + 1}
        if i2 == i1 and i1 < len(old) and not old[i1].strip():
            near.add(i1 + 2)
        for line in new[j1:j2]:
            line = same.get(line, line)
            if line.lstrip().startswith("- ") and line.rstrip() in where:
                near.add(where[line.rstrip()])
            item = re.match(r"\s*- \[(.+?)\]\(#([^)]*)\)", line)
            if item:  # an item export moves and relabels: the page's item of its anchor
                near |= {i for i, was in enumerate(old, 1) if was.lstrip().startswith("- [")
                         and was.rstrip().endswith(f"](#{item.group(2)})")}
            label = item and re.sub(r"\\(.)", r"\1", item.group(1))  # as the heading has it
            if label in headings:
                near.add(headings[label])
        if not near & noted:
            missing.append(f"{tag} at line {i1 + 1}: {old[i1:i2]} -> {new[j1:j2]}")
    return missing
