"""The package as users get it: metadata, the sdist and wheel, and the wheel run on its own.

The build runs without isolation (setuptools comes from the test extras) so that the test needs
no network; `make dist-check` does the isolated build and a clean-virtualenv install in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from deepphen import __version__

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SUPPORTED = ("3.11", "3.12", "3.13")


def test_metadata_is_complete() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"  # an SPDX expression, not the deprecated table
    assert (ROOT / project["license-files"][0]).is_file()
    assert project["requires-python"] == f">={SUPPORTED[0]}"
    classifiers = set(project["classifiers"])
    assert {f"Programming Language :: Python :: {v}" for v in SUPPORTED} <= classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: SPDX only
    assert {"Homepage", "Changelog", "Issues"} <= set(project["urls"])
    assert project["keywords"] and project["readme"] == "README.md"
    assert project["dynamic"] == ["version"]  # the version lives in deepphen/__init__.py only


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                           str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return out


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    pytest.importorskip("twine")
    files = sorted(dist.iterdir())
    assert [f.name for f in files] == [f"deepphen-{__version__}-py3-none-any.whl",
                                       f"deepphen-{__version__}.tar.gz"]
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_wheel_holds_the_package_not_the_catalog(dist: Path) -> None:
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    sources = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src").rglob("*.py")}
    assert sources <= set(names)
    assert any(n.startswith("deepphen/export/html_assets/") for n in names)
    assert not any(n.startswith(("catalog/", "tests/")) or n.endswith(".toml") for n in names)
    metadata = zipfile.ZipFile(wheel).read(
        f"deepphen-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata


def test_sdist_holds_the_package_and_no_half_of_the_tests(dist: Path) -> None:
    """The sdist held the test modules but not their helpers, fixtures or the catalog they
    read: a suite that could not even be collected."""
    import tarfile

    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    assert "src/deepphen/__init__.py" in names and "CHANGELOG.md" in names
    assert not any(n.startswith(("tests/", "catalog/", ".venv")) for n in names), names


def test_wheel_runs_on_its_own(dist: Path, tmp_path: Path) -> None:
    """Installed alone into a fresh folder (its dependencies from this environment), the wheel's
    console script answers --version and searches a catalog."""
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-index", "--target", str(target), str(next(dist.glob("*.whl")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    env.pop("DEEPPHEN_CATALOG", None)
    script = target / "bin" / "deepphen"
    version = subprocess.run([sys.executable, str(script), "--version"], capture_output=True,
                             text=True, timeout=60, env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"deepphen {__version__}", version.stderr
    where = subprocess.run([sys.executable, "-c", "import deepphen; print(deepphen.__file__)"],
                           capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(target)), where.stdout  # the wheel's copy, not src/
    found = subprocess.run([sys.executable, str(script), "search", "grokking", "--catalog",
                            str(ROOT / "catalog"), "--format", "ids"], capture_output=True,
                           text=True, timeout=60, env=env, cwd=tmp_path)
    assert found.returncode == 0 and found.stdout.strip(), found.stderr
