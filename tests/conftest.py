"""Shared fixtures: no outside network, a small catalog in a tmp dir, the CLI runner."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deepphen.catalog import settings_to_toml, write_paper
from deepphen.cli.main import app
from deepphen.fsutil import atomic_write_text
from deepphen.models import Link, Paper, Section, Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL_LIST = SHARED / "data" / "awesome-deep-phenomena" / "README.md"
ARXIV_FIXTURES = SHARED / "fixtures" / "arxiv"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to 127.0.0.1 only; anything else fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's catalog or colours; each runs in its own folder."""
    monkeypatch.delenv("DEEPPHEN_CATALOG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("DEEPPHEN_FORCE_TERMINAL", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("DEEPPHEN_ARXIV_API_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.chdir(tmp_path)


SECTIONS = [
    Section("Empirical Study", "empirical-study", image="https://example.org/a.png"),
    Section("Neural Collapse", "neural-collapse", image="./img/nc.gif"),
    Section("Emergence and Phase Transitions", "emergence-and-phase-transitions"),
    Section("Others", "others", toc_label="Other Papers", anchor="others"),
]


def sample_settings(**overrides: object) -> Settings:
    settings = Settings(
        title="Test List",
        sections=list(SECTIONS),
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

    root.mkdir(parents=True, exist_ok=True)
    atomic_write_text(root / "catalog.toml", settings_to_toml(settings or sample_settings()))
    taken: set[str] = set()
    for paper in sample_papers() if papers is None else papers:
        paper.key = paper.key or paper_key(paper, taken)
        taken.add(paper.key)
        write_paper(root, paper)
    return root


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small valid catalog, also set as $DEEPPHEN_CATALOG."""
    root = make_catalog(tmp_path / "catalog")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


@pytest.fixture
def run_cli() -> Callable[..., object]:
    """Run the CLI in-process; asserts the exit code (default 0) and returns the result."""
    runner = CliRunner()

    def run(*args: str, exit_code: int | None = 0, input: str | None = None) -> object:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        if exit_code is not None:
            assert result.exit_code == exit_code, (
                f"exit {result.exit_code} != {exit_code}\nstdout:\n{result.stdout}\n"
                f"stderr:\n{result.stderr}"
            )
        return result

    return run


@pytest.fixture
def real_list() -> Path:
    """The real list in ../shared, or skip (a fresh clone has no ../shared)."""
    if not REAL_LIST.is_file():
        pytest.skip("../shared/data/awesome-deep-phenomena/README.md not present")
    return REAL_LIST


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line when the browser tests were skipped (and how to install the browser), and
    where the page's screenshots went when they ran."""
    from tests import browser

    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and browser.SKIP_PREFIX in str(longrepr[2]):
            reasons.add(str(longrepr[2]).removeprefix("Skipped: "))
    for reason in sorted(reasons):
        terminalreporter.write_line(reason, yellow=True, bold=True)
    if browser.SCREENSHOTS:
        terminalreporter.write_line("page screenshots: "
                                    + " ".join(str(p) for p in browser.SCREENSHOTS))
