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
import tomllib
from pathlib import Path

import pytest
import yaml

from deepphen import __version__
from tests.helpers import make_catalog, sample_settings

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


def _steps(path: Path) -> list[dict]:
    """Every step of a workflow's jobs, or of a composite action."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "runs" in data:
        return data["runs"]["steps"]
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_no_run_script_interpolates_an_expression(tmp_path: Path) -> None:
    """``${{ ... }}`` in a ``run:`` is pasted into the script before bash reads it: an input,
    a branch name or an issue title holding ``"; curl ... | sh #`` would run. Values reach
    scripts through ``env:`` only, in every workflow and action a user copies or runs."""
    files = [CI, ACTION, *EXAMPLES, *_readme_workflows(tmp_path)]
    runs = [(path.name, step["run"]) for path in files for step in _steps(path) if "run" in step]
    assert len(runs) >= 8
    pasted = [(name, run) for name, run in runs if "${{" in run]
    assert not pasted, pasted


def test_action_scripts_fail_on_any_error() -> None:
    """Every script of the action stops at its first failing command, unset variable or
    failing pipe stage (GitHub's bash has -e and pipefail, not -u)."""
    for step in _steps(ACTION):
        if "run" in step:
            assert step["run"].startswith("set -euo pipefail\n"), step["name"]


def test_action_leaves_the_jobs_environment_alone() -> None:
    """A composite action runs in the user's job: its setup-python put its Python first on
    the job's PATH and deepphen's dependencies in it, so the job's later steps ran another
    python than the one they set up. The action's Python stays off the PATH, deepphen goes
    in a virtualenv of its own, and no step writes the job's PATH or environment."""
    steps = _steps(ACTION)
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["update-environment"] is False
    assert not any(word in s.get("run", "") for s in steps
                   for word in ("GITHUB_PATH", "GITHUB_ENV"))
    install = next(s for s in steps if s.get("id") == "install")
    assert "-m venv" in install["run"]
    assert install["env"]["PYTHON"] == f"${{{{ steps.{python['id']}.outputs.python-path }}}}"


# What the runner gives a step's expressions; the lint step reads the install step's output.
def _expression(name: str, inputs: dict[str, str], deepphen: Path) -> str:
    if name.startswith("inputs."):
        return inputs[name.removeprefix("inputs.")]
    assert name == "steps.install.outputs.deepphen", f"no stand-in for {name}"
    return str(deepphen)


def _run_lint_step(tmp_path: Path, output: str, status: int, **given: str) -> dict:
    """The action's lint step run as GitHub runs a composite step (bash -eo pipefail, env from
    its expressions), with a stand-in deepphen that records its arguments, prints ``output``
    and exits ``status``."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in given.items()})
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    fake = tmp_path / "bin" / "deepphen"
    fake.parent.mkdir()
    (tmp_path / "said.txt").write_text(output, encoding="utf-8")
    fake.write_text(f'#!/bin/bash\nprintf "%s\\0" "$@" > "{tmp_path}/argv"\n'
                    f'cat "{tmp_path}/said.txt"\nexit {status}\n', encoding="utf-8")
    fake.chmod(0o755)
    env = {name: re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}",
                        lambda m: _expression(m[1], inputs, fake), str(value))
           for name, value in step["env"].items()}
    files = {name: tmp_path / name for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")}
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "RUNNER_TEMP": str(tmp_path), **env,
                               **{name: str(path) for name, path in files.items()}})
    argv = tmp_path / "argv"
    return {"code": done.returncode, "stdout": done.stdout,
            "argv": argv.read_text().split("\0")[:-1] if argv.exists() else None,
            **{name: path.read_text() if path.exists() else "" for name, path in files.items()}}


DRIFT = ("::error file=my catalog/README.md,line=9,col=1::the page is out of date with the "
         "catalog (DP501)\n")
QUOTING_DP501 = "::warning file=my catalog/a.toml,line=1,col=1::title 'see DP501' (DP402)\n"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_lint_step_passes_inputs_whole_and_its_exit_code_on(tmp_path: Path) -> None:
    """A catalog path with spaces and shell syntax reaches lint as one argument, never run;
    lint's exit code is the step's; findings are counted; a drifted page adds the commands
    that regenerate it, quoted so that they work when pasted."""
    weird = "my catalog/$(touch pwned)"
    done = _run_lint_step(tmp_path, DRIFT + QUOTING_DP501, 1, catalog=weird)
    assert done["code"] == 1
    assert done["argv"] == ["lint", "--catalog", weird, "--format", "github"]
    assert not (tmp_path / "pwned").exists()
    assert done["stdout"] == DRIFT + QUOTING_DP501  # the annotations, for GitHub to read
    assert done["GITHUB_OUTPUT"] == "findings=2\n"
    quoted = subprocess.run(["bash", "-c", 'printf %q "$0"', weird], capture_output=True,
                            text=True, timeout=60).stdout
    assert f"`deepphen lint --fix --catalog {quoted}`" in done["GITHUB_STEP_SUMMARY"]
    assert shlex.split(quoted) == [weird]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_lint_step_reports_drift_only_from_the_rule_itself(tmp_path: Path) -> None:
    """A finding of another rule whose message quotes "DP501" is no page drift."""
    done = _run_lint_step(tmp_path, QUOTING_DP501, 0, strict="true")
    assert done["code"] == 0 and done["argv"][-1] == "--strict"
    assert done["GITHUB_OUTPUT"] == "findings=1\n" and done["GITHUB_STEP_SUMMARY"] == ""
    (tmp_path / "clean").mkdir()
    clean = _run_lint_step(tmp_path / "clean", "", 0)
    assert clean["code"] == 0 and clean["GITHUB_OUTPUT"] == "findings=0\n"
    assert "--strict" not in clean["argv"]


@pytest.mark.parametrize("strict", ["yes", "True", "", "true "])
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_action_refuses_a_strict_that_is_neither_true_nor_false(tmp_path: Path,
                                                                 strict: str) -> None:
    """``strict: yes`` linted without --strict and passed on warnings, silently."""
    done = _run_lint_step(tmp_path, "", 0, strict=strict)
    assert done["code"] == 2 and done["argv"] is None
    assert done["stdout"].startswith("::error ") and '"true" or "false"' in done["stdout"]


def test_workflows_grant_each_job_only_what_it_needs(tmp_path: Path) -> None:
    """Every workflow reads by default; a write permission is a job's own, and the OIDC token
    (id-token: write, which publishes Pages) only goes to a job that runs no script, so that
    no package a job installs holds it. No checkout leaves its token in .git/config for the
    steps after it, and every job has a time limit (GitHub's default is six hours)."""
    for path in [CI, *EXAMPLES, *_readme_workflows(tmp_path)]:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for name, job in workflow["jobs"].items():
            assert "timeout-minutes" in job, f"{path.name}: {name}"
            granted = job.get("permissions", {})
            if granted.get("id-token") == "write":
                assert not any("run" in s for s in job["steps"]), f"{path.name}: {name}"
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False, (
                        f"{path.name}: {name}")


def test_pre_commit_hooks_lint_the_whole_catalog_on_every_commit(tmp_path: Path,
                                                                  run_cli) -> None:
    """pre-commit tells a hook the files a commit adds or changes, never the ones it deletes:
    with ``files: \\.(toml|md)$``, a commit that only deleted a paper ran no hook, and the
    page still listing it (DP501) went in. The rules are catalog-wide, so each hook runs on
    every commit and takes no file names (lint refuses them); each entry, with the args the
    file's comment shows, lints the catalog and finds that page out of date."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = yaml.safe_load(text)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["scripts"]
    shown = re.search(r"^#\s+args: \[(.*)\]$", text, flags=re.M)[1].split(", ")
    root = make_catalog(tmp_path / shown[-1], settings=sample_settings(page="README.md"))
    run_cli("export", "--format", "md", "--catalog", root, "-o", root / "README.md")
    for hook in hooks:
        assert hook["always_run"] is True and "files" not in hook, hook["id"]
        assert hook["pass_filenames"] is False and hook["language"] == "python"
        program, *args = shlex.split(hook["entry"])
        assert program in scripts
        run_cli(*args, *shown)  # from the repository's root, as pre-commit runs it
        run_cli(*args, *shown, "README.md", exit_code=2)  # no file names
    next(p for p in root.rglob("*.toml") if p.parent != root).unlink()  # a commit deletes it
    found = run_cli(*shlex.split(hooks[0]["entry"])[1:], *shown, exit_code=1)
    assert "(DP501)" in found.stdout
