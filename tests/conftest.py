"""Shared fixtures: no outside network, a small catalog in a tmp dir, the one CLI runner, a
throw-away TLS certificate.

Helpers (sample papers, catalog builders, paths) are in tests/helpers.py; the fake arXiv
API's fixture comes from tests/arxiv_server.py through ``pytest_plugins``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from deepphen.cli.main import app
from tests.helpers import REAL_LIST, make_catalog

pytest_plugins = ["tests.arxiv_server", "tests.foreign_arxiv"]

# Hypothesis profiles. No deadline anywhere: a deadline is a timed assertion, and a loaded
# machine fails it for no defect. "ci" (chosen when $CI is set, as GitHub and .ci/run set it)
# also derandomizes: CI replays the same examples every run, so it fails only on a real
# change; the random exploration that finds new defects runs on developers' machines ("dev").
# "hunt" runs many more examples where a test does not fix its own count:
# HYPOTHESIS_PROFILE=hunt make test.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.register_profile("hunt", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI")
                                                                else "dev"))


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


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small valid catalog, also set as $DEEPPHEN_CATALOG."""
    root = make_catalog(tmp_path / "catalog")
    monkeypatch.setenv("DEEPPHEN_CATALOG", str(root))
    return root


@pytest.fixture(autouse=True)
def fresh_console() -> Iterator[None]:
    """Each test gets its own rich Console: one reads COLUMNS and binds its stream when it
    is made, so a console an earlier test made in the same worker kept that test's width
    (a table test passed or failed with the order xdist gave it)."""
    from deepphen.cli.output import console

    console.cache_clear()
    yield
    console.cache_clear()


@pytest.fixture
def run_cli() -> Callable[..., object]:
    """The one CLI runner: run deepphen in-process, assert the exit code (default 0; None
    takes any) and return the result. ``catch_exceptions=True`` records an uncaught exception
    in ``result.exception`` instead of raising it (for tests that assert there is none)."""
    runner = CliRunner()

    def run(*args: str, exit_code: int | None = 0, input: str | None = None,
            catch_exceptions: bool = False) -> object:
        result = runner.invoke(app, [str(a) for a in args], input=input,
                               catch_exceptions=catch_exceptions)
        if exit_code is not None:
            assert result.exit_code == exit_code, (
                f"exit {result.exit_code} != {exit_code}\nstdout:\n{result.stdout}\n"
                f"stderr:\n{result.stderr}"
            )
        return result

    return run


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium (tests/browser.py) per test module, or skip with the reason."""
    from tests import browser as chromium

    reason = chromium.missing()
    if reason:
        pytest.skip(reason)
    session = chromium.Browser()
    yield session
    session.quit()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1 (made by openssl, else skip)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: no certificate for the TLS case")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


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
    # From the reports, not a global: under pytest-xdist the tests ran in other processes.
    shots = [value for report in terminalreporter.stats.get("passed", [])
             for name, value in getattr(report, "user_properties", ()) if name == "screenshot"]
    if shots:
        terminalreporter.write_line("page screenshots: " + " ".join(map(str, shots)))
