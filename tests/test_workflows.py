"""The project's GitHub workflow, the reusable action, the workflow examples in docs/ and the
changelog: valid against GitHub's schemas (SchemaStore's, vendored by check-jsonschema), and in
step with what .ci/run and the Makefile do."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from deepphen import __version__

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / ".github" / "workflows" / "ci.yml"
ACTION = ROOT / "action.yml"
EXAMPLES = sorted((ROOT / "docs").glob("*.yml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def _validate(schema: str, *files: Path) -> None:
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    done = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _readme_workflows(tmp_path: Path) -> list[Path]:
    """The workflows README.md shows in ```yaml blocks, each written to a file."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    files = []
    for i, block in enumerate(b for b in blocks if "jobs:" in b):
        path = tmp_path / f"readme-{i}.yml"
        path.write_text(block, encoding="utf-8")
        files.append(path)
    return files


def test_workflows_are_valid(tmp_path: Path) -> None:
    readme = _readme_workflows(tmp_path)
    assert readme, "README.md shows no workflow using the action"
    _validate("vendor.github-workflows", CI, *EXAMPLES, *readme)


def test_action_is_valid() -> None:
    _validate("vendor.github-actions", ACTION)


def test_action_runs_lint_with_annotations_on_the_inputs() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert all("shell" in s for s in steps if "run" in s)  # composite steps must name one
    used = set(re.findall(r"inputs\.([\w-]+)", ACTION.read_text(encoding="utf-8")))
    assert used == set(action["inputs"]), "an input is declared but unused, or the reverse"
    lint = next(s for s in steps if s.get("id") == "lint")
    assert "deepphen" in lint["run"] and "--format github" in lint["run"]
    assert "DP501" in lint["run"]  # the page-drift check is reported in the job summary
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "$GITHUB_ACTION_PATH" in install["run"]  # the action's own version by default


def _make_targets(text: str) -> list[str]:
    return re.findall(r"\bmake ([a-z][\w-]*)", text)


def test_ci_workflow_runs_what_ci_run_runs() -> None:
    """.ci/run and the GitHub workflow call the same Makefile targets (one home for the
    steps: the Makefile), each of which exists, and the matrix is the supported Pythons."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    ci_run = set(_make_targets((ROOT / ".ci" / "run").read_text(encoding="utf-8")))
    workflow_text = CI.read_text(encoding="utf-8")
    workflow = set(_make_targets(workflow_text))
    assert ci_run <= defined and workflow <= defined
    # test-pythons is the local stand-in for the workflow's matrix.
    assert ci_run - {"test-pythons"} == workflow
    matrix = yaml.safe_load(workflow_text)["jobs"]["test"]["strategy"]["matrix"]
    script = (ROOT / "tools" / "test-pythons.sh").read_text(encoding="utf-8")
    supported = re.search(r"PYTHONS:-([\d. ]+)\}", script).group(1).split()
    assert matrix["python-version"] == supported
    assert "chromium" in workflow_text  # the browser tests run there too


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_test_pythons_says_which_ran(tmp_path: Path) -> None:
    """With no interpreter to be found, the script says so and fails (exit 2)."""
    done = subprocess.run(["bash", str(ROOT / "tools" / "test-pythons.sh")], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "PYTHONS": "9.7", "PYENV_ROOT":
                               str(tmp_path)})
    assert done.returncode == 2
    assert done.stdout.strip().splitlines()[-1] == "Pythons tested here: none; not found: 9.7"


def test_changelog_is_keep_a_changelog_up_to_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, flags=re.M)
    names = [name for name, _ in releases]
    assert names[0] == "Unreleased" and names[-1] == "0.1.0"
    # The version is the last release's, or, between releases, a development one after it.
    last = tuple(map(int, names[1].split(".")))
    dev = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)\.dev\d+", __version__)
    assert __version__ == names[1] or (dev and tuple(map(int, dev.groups())) > last)
    assert all(date for name, date in releases[1:]), "every release has a date"
    dates = [date for _, date in releases[1:]]
    assert dates == sorted(dates, reverse=True)
    allowed = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert set(re.findall(r"^### (\w+)$", text, flags=re.M)) <= allowed
    for name in names:  # each heading has its link reference
        assert re.search(rf"^\[{re.escape(name)}\]: https://", text, flags=re.M), name


def _announced(day: dt.date) -> dt.datetime:
    """When arXiv has announced every paper first submitted on ``day`` (UTC), at the latest.

    arXiv takes submissions until 14:00 US Eastern on weekdays and announces them at 20:00 the
    same day, those of Friday on Sunday; later ones wait for the next weekday's batch. The
    day's last minute (23:59 UTC, 18:59 EST) is after the day's cutoff, so: Monday to
    Wednesday next evening, Thursday on Sunday, Friday to Sunday on Monday; 20:00 EST is
    01:00 UTC the next day.
    """
    batch = {0: 1, 1: 1, 2: 1, 3: 3, 4: 3, 5: 2, 6: 1}[day.weekday()]  # days to its announcement
    return dt.datetime.combine(day + dt.timedelta(days=batch + 1), dt.time(1, 0))


def test_weekly_discover_covers_every_day_once_it_is_announced() -> None:
    """docs/discover-weekly.yml: each run's window holds only days arXiv has announced in
    full by the run (a paper missing then would fall in no later window), and the windows of
    consecutive runs leave no day out."""
    from deepphen.window import parse_window

    path = ROOT / "docs" / "discover-weekly.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    triggers = workflow.get("on") or workflow[True]  # YAML 1.1 reads the key `on` as true
    minute, hour, _, _, weekday = triggers["schedule"][0]["cron"].split()
    run = next(s["run"] for s in workflow["jobs"]["discover"]["steps"]
               if "deepphen discover" in s.get("run", ""))
    argv = shlex.split(next(line for line in run.splitlines() if "deepphen discover" in line))
    since = argv[argv.index("--since") + 1]
    until = argv[argv.index("--until") + 1] if "--until" in argv else None
    first = dt.date(2025, 1, 6)  # a Monday; the cron's weekday counts from Sunday = 0
    runs = [first + dt.timedelta(days=int(weekday) - 1 + 7 * week) for week in range(60)]
    windows = [parse_window(since, until, today=day) for day in runs]
    for day, window in zip(runs, windows, strict=True):
        at = dt.datetime.combine(day, dt.time(int(hour), int(minute)))
        assert _announced(window.end) <= at, f"the run of {day} asks {window}, not yet announced"
    for before, after in itertools.pairwise(windows):
        assert after.start <= before.end + dt.timedelta(days=1), f"{before}, then {after}"
