"""Compare ``deepphen search`` with what a user would otherwise run for the same search.

The same generated papers are searched four ways: ``deepphen search`` on the catalog,
``grep -i`` on the catalog's markdown page (the floor: no tool at all), and, when they install
from PyPI into throwaway venvs under the work folder (never deepphen's own venv), ``pubs list``
and ``papis list`` on libraries made from ``deepphen export --format bibtex``. Each query runs
once per tool to warm caches, then ``--runs`` rounds of all tools one after the other (the
order rotating each round); reported per tool: median time, median of the per-round ratios to
grep and to deepphen, peak memory (os.wait4) and the number of papers (or lines) found.

Getting the libraries in:
- pubs: ``pubs import papers.bib`` (pubs 0.9 needs bibtexparser < 2, pinned in its venv).
- papis: ``papis bibtex read papers.bib import --all`` adds one document at a time and took
  133 s for 600 papers here, so the library is written directly instead, with papis's own
  BibTeX reader and YAML writer (bench/_papis_load.py, run in papis's venv): the same
  ``info.yaml`` per document that the import writes; ``papis list`` then indexes it once.

Usage:
    python bench/compare_tools.py                        # 600 and 10,000 papers, 7 rounds
    python bench/compare_tools.py --sizes 600 --runs 5 --output /tmp/compare.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import DEEPPHEN, RACY_S, prepare, run_once  # noqa: E402  (bench/run.py)

# (label, deepphen query, pubs query, papis query): pubs needs a field; papis matches its
# default match-format (tags, folder, title, author, year); grep and deepphen take the word.
QUERIES = [
    ("key word / title word", "grokking", "title:grokking", "grokking"),
    ("author surname", "Lindqvist", "author:Lindqvist", "Lindqvist"),
]
TOOLS = ("grep", "deepphen", "pubs", "papis")


@dataclass
class Tool:
    """How to run one tool, or why it cannot run."""

    name: str
    command: list[str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def venv_with(venv: Path, packages: list[str], binary: str) -> tuple[Path | None, str | None]:
    """A throwaway venv holding ``packages``; (its ``binary``, None) or (None, why not)."""
    exe = venv / "bin" / binary
    if exe.exists():
        return exe, None
    steps = [[sys.executable, "-m", "venv", str(venv)],
             [str(venv / "bin" / "pip"), "install", "--quiet", *packages]]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, check=False)
        if proc.returncode:
            lines = [line for line in proc.stderr.splitlines()
                     if line.strip() and not line.startswith("WARNING: Location")]
            return None, f"`{' '.join(step[-len(packages):])}` failed: {' '.join(lines[-2:])}"
    return (exe, None) if exe.exists() else (None, f"no {binary} after installing {packages}")


def setup_pubs(work: Path, size: int, bib: Path, install: bool) -> Tool:
    exe, problem = venv_with(work / "pubs-venv", ["pubs", "bibtexparser<2"], "pubs") if install \
        else (None, "not installed (--no-install)")
    if exe is None:
        return Tool("pubs", problem=problem)
    config, repo = work / f"pubs-{size}.conf", work / f"pubs-{size}"
    if not (repo / "bib").is_dir():
        for args in (["init", "-p", str(repo)], ["import", str(bib)]):
            proc = subprocess.run([str(exe), "-c", str(config), *args], capture_output=True,
                                  text=True, check=False)
            if proc.returncode:
                return Tool("pubs", problem=f"pubs {args[0]} failed: {proc.stderr.strip()[-200:]}")
    return Tool("pubs", [str(exe), "-c", str(config), "list"])


def setup_papis(work: Path, size: int, bib: Path, install: bool) -> Tool:
    exe, problem = venv_with(work / "papis-venv", ["papis"], "papis") if install \
        else (None, "not installed (--no-install)")
    if exe is None:
        return Tool("papis", problem=problem)
    library, config_home = work / f"papis-{size}", work / "papis-config"
    env = {"XDG_CONFIG_HOME": str(config_home), "XDG_CACHE_HOME": str(work / "papis-cache")}
    (config_home / "papis").mkdir(parents=True, exist_ok=True)
    (config_home / "papis" / "config").write_text(
        f"[settings]\ndefault-library = lib{size}\ndatabase-backend = papis\n\n"
        f"[lib{size}]\ndir = {library}\n", encoding="utf-8")
    if not library.is_dir():
        proc = subprocess.run([str(exe.with_name("python")), str(HERE / "_papis_load.py"),
                               str(bib), str(library)], capture_output=True, text=True,
                              check=False)
        if proc.returncode:
            return Tool("papis", problem=f"loading the library failed: {proc.stderr[-200:]}")
    return Tool("papis", [str(exe), "--color", "no", "-l", f"lib{size}", "list", "--all"], env)


def command_for(tool: Tool, query: tuple[str, str, str, str], cat: Path,
                page: Path) -> tuple[list[str], str]:
    """(argv, the command as a user would type it, without paths and config options)."""
    _label, word, pubs_query, papis_query = query
    if tool.name == "grep":
        return ["grep", "-i", word, str(page)], f"grep -i {word} PAGE"
    if tool.name == "deepphen":
        return ([DEEPPHEN, "search", word, "--limit", "100000", "--catalog", str(cat)],
                f"deepphen search {word} --limit 100000")
    if tool.name == "pubs":
        return [*tool.command, pubs_query], f"pubs list {pubs_query}"  # type: ignore[misc]
    return [*tool.command, papis_query], f"papis list --all {papis_query}"  # type: ignore[misc]


def found(argv: list[str], env: dict[str, str]) -> int:
    """Lines printed: matching papers for the tools, matching lines for grep."""
    proc = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **env},
                          check=False)
    return len([line for line in proc.stdout.splitlines() if line.strip()])


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    if not env:
        return run_once(argv)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return run_once(argv)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def compare(tools: list[Tool], query: tuple[str, str, str, str], cat: Path, page: Path,
            runs: int) -> dict[str, dict[str, float]]:
    """Rounds of every runnable tool in rotating order; medians and paired ratios."""
    ready = [t for t in tools if t.command is not None]
    argvs = {t.name: command_for(t, query, cat, page)[0] for t in ready}
    for tool in ready:
        timed(argvs[tool.name], tool.env)  # warm-up: caches, OS file cache
    times: dict[str, list[float]] = {t.name: [] for t in ready}
    peaks: dict[str, float] = {t.name: 0.0 for t in ready}
    for r in range(runs):
        for tool in ready[r % len(ready):] + ready[:r % len(ready)]:
            elapsed, peak, _code = timed(argvs[tool.name], tool.env)
            times[tool.name].append(elapsed)
            peaks[tool.name] = max(peaks[tool.name], peak)
    out = {}
    for tool in ready:
        mine = times[tool.name]
        out[tool.name] = {
            "median": statistics.median(mine),
            "vs_grep": statistics.median(a / b for a, b in zip(mine, times["grep"], strict=True)),
            "vs_deepphen": statistics.median(
                a / b for a, b in zip(mine, times["deepphen"], strict=True)),
            "peak": peaks[tool.name],
            "found": found(argvs[tool.name], tool.env),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="600,10000", help="comma-separated paper counts")
    parser.add_argument("--runs", type=int, default=7, help="timed rounds per query")
    parser.add_argument("--work", type=Path, default=Path("/tmp/deepphen-compare"),
                        help="catalogs, libraries and the throwaway venvs go here")
    parser.add_argument("--no-install", action="store_true",
                        help="do not create venvs for papis and pubs (compare with grep only)")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    lines = [f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
             f"median of {args.runs} rounds; ratios are medians of per-round ratios.", "",
             "| papers | query | tool | median | × grep | × deepphen | peak MiB | found |",
             "|---:|---|---|---:|---:|---:|---:|---:|"]
    problems: dict[str, str] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        cat, page = prepare(size, args.work)
        if page is None:
            raise SystemExit(f"compare: no markdown page for {size} papers")
        bib = args.work / f"papers-{size}.bib"
        with open(bib, "w", encoding="utf-8") as handle:
            subprocess.run([DEEPPHEN, "export", "--format", "bibtex", "--catalog", str(cat)],
                           stdout=handle, check=True)
        tools = [Tool("grep", ["grep"]), Tool("deepphen", [DEEPPHEN]),
                 setup_pubs(args.work, size, bib, not args.no_install),
                 setup_papis(args.work, size, bib, not args.no_install)]
        problems.update({t.name: t.problem for t in tools if t.problem})
        time.sleep(RACY_S)  # fresh catalog files must age before deepphen's cache keeps them
        for query in QUERIES:
            results = compare(tools, query, cat, page, args.runs)
            for name in TOOLS:
                if name not in results:
                    continue
                r = results[name]
                shown = command_for(next(t for t in tools if t.name == name), query, cat, page)[1]
                lines.append(
                    f"| {size:,} | {query[0]} | `{shown}` | {r['median'] * 1000:.0f} ms "
                    f"| {r['vs_grep']:.1f} | {r['vs_deepphen']:.2f} | {r['peak']:.0f} "
                    f"| {r['found']} |")
        print(f"compare: {size} papers done", file=sys.stderr)
    for name, why in sorted(problems.items()):
        lines += ["", f"{name} not compared: {why}"]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
