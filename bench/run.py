"""Time deepphen's main commands on generated catalogs and write a markdown table.

For each size, bench/generate.py writes a catalog with digests and its markdown page. Each
command then runs once to warm the catalog cache, and ``--runs`` times in pairs with the floor
``python -c "import typer"`` (floor first, then the command, alternating, so both see the same
machine load). Reported per command: the median time, the median of the per-pair ratios to
the floor, and the peak memory of the command's process (os.wait4 rusage). ``grep -i`` on the
page is timed the same way, as what a user would otherwise use for the search. Commands this
checkout does not have (``deepphen CMD --help`` fails) are skipped and listed.

Usage:
    python bench/run.py                          # 600 and 10,000 papers, 5 pairs (< 3 min)
    python bench/run.py --sizes 600,10000,50000 --runs 7 --output bench/out/results.md
    python bench/run.py --sizes 600 --catalog catalog   # also the shipped catalog
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DEEPPHEN = str(BIN / "deepphen")
FLOOR = [sys.executable, "-c", "import typer"]
RACY_S = 2.1  # catalog files younger than this are not cached (deepphen.cache.RACY_NS)

# name, argv after "deepphen" ({cat}, {page}, {tmp} filled in), needed command, runs cap
COMMANDS = [
    ("search grokking", ["search", "grokking", "--catalog", "{cat}"], "search", None),
    ("search \"lotery tiket\"", ["search", "lotery tiket", "--catalog", "{cat}"], "search", None),
    ("search --keyword Grokking --format json",
     ["search", "--keyword", "Grokking", "--format", "json", "--catalog", "{cat}"], "search", None),
    ("lint", ["lint", "--catalog", "{cat}"], "lint", None),
    ("export --format md", ["export", "--format", "md", "--catalog", "{cat}"], "export", None),
    ("export --format bibtex", ["export", "--format", "bibtex", "--catalog", "{cat}"],
     "export", None),
    ("export --format html", ["export", "--format", "html", "--catalog", "{cat}"],
     "export", None),
    ("stats", ["stats", "--catalog", "{cat}"], "stats", None),
    ("import PAGE (writes every file)",
     ["import", "{page}", "--catalog", "{tmp}", "--force"], "import", 3),
]


def run_once(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit code) of one process, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def paired(argv: list[str], runs: int) -> dict[str, float]:
    """Median time, median ratio to the floor over pairs, peak memory, last exit code."""
    run_once(argv)  # warm-up: builds the caches, loads the OS file cache
    times, ratios, peaks, code = [], [], [], 0
    for _ in range(runs):
        floor, _, _ = run_once(FLOOR)
        elapsed, peak, code = run_once(argv)
        times.append(elapsed)
        ratios.append(elapsed / floor)
        peaks.append(peak)
    return {"median": statistics.median(times), "ratio": statistics.median(ratios),
            "peak": max(peaks), "exit": code}


def single_runs(argv: list[str], before: Callable[[], None], runs: int = 3) -> dict[str, float]:
    """Runs that each follow ``before`` (which invalidates a cache), paired with the floor."""
    results, ratios = [], []
    for _ in range(runs):
        before()
        floor = run_once(FLOOR)[0]
        results.append(run_once(argv))
        ratios.append(results[-1][0] / floor)
    return {"median": statistics.median(r[0] for r in results),
            "ratio": statistics.median(ratios), "peak": max(r[1] for r in results),
            "exit": results[-1][2]}


def touch(path: Path) -> None:
    """A new mtime, old enough (RACY_S) for the cache to keep the file."""
    when = time.time_ns() - int(RACY_S * 1e9) - 1_000_000
    os.utime(path, ns=(when, when))
    time.sleep(0.01)  # a distinct timestamp from the previous touch


def available(command: str) -> bool:
    return run_once([DEEPPHEN, command, "--help"])[2] == 0


def prepare(size: int, work: Path) -> tuple[Path, Path | None]:
    """Generate the catalog and page of ``size`` papers (reused when already there)."""
    cat, page = work / f"catalog-{size}", work / f"page-{size}.md"
    if not (cat / "catalog.toml").is_file():
        code = subprocess.call([sys.executable, str(HERE / "generate.py"), str(size), str(cat),
                                "--page", str(page)], stdout=subprocess.DEVNULL)
        if code and not (cat / "catalog.toml").is_file():
            raise SystemExit(f"bench: generating {size} papers failed")
    return cat, page if page.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="600,10000", help="comma-separated paper counts")
    parser.add_argument("--runs", type=int, default=5, help="pairs per command")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="where catalogs go")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument("--catalog", type=Path, action="append", default=[],
                        help="also time the searches on this existing catalog (repeatable)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)
    prepared = {size: prepare(size, args.work) for size in sizes}
    time.sleep(RACY_S)  # let fresh files age so the cache may keep them
    commands = [c for c in COMMANDS if available(c[2])]
    skipped = sorted({c[2] for c in COMMANDS} - {c[2] for c in commands})
    floor = statistics.median(run_once(FLOOR)[0] for _ in range(args.runs))
    lines = [
        f"Floor `python -c \"import typer\"`: {floor * 1000:.0f} ms (median of {args.runs}). "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| papers | command | median | × floor | peak MiB | exit |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for size, (cat, page) in prepared.items():
        rows = []
        for name, template, _command, cap in commands:
            if "{page}" in template and page is None:
                continue
            tmp = args.work / f"imported-{size}"
            cmd = [DEEPPHEN] + [a.format(cat=cat, page=page, tmp=tmp) for a in template]
            runs = min(args.runs, cap) if cap else args.runs
            rows.append((name, paired(cmd, runs)))
            shutil.rmtree(tmp, ignore_errors=True)
        if page is not None:
            rows.append(("grep -i grokking PAGE (comparison)",
                         paired(["grep", "-i", "grokking", str(page)], args.runs)))
        search = [DEEPPHEN, "search", "grokking", "--catalog", str(cat)]
        edited = next((cat / "others").glob("*.toml"))
        rows.append(("search grokking, one paper file changed",
                     single_runs(search, partial(touch, edited))))
        rows.append(("search grokking, no cache yet (builds it)", single_runs(
            search, partial(shutil.rmtree, cat / ".deepphen-cache", ignore_errors=True))))
        for name, r in rows:
            lines.append(f"| {size:,} | {name} | {r['median'] * 1000:.0f} ms | {r['ratio']:.2f} "
                         f"| {r['peak']:.0f} | {r['exit']} |")
        print(f"bench: {size} papers done", file=sys.stderr)
    for cat in args.catalog:
        count = sum(1 for _ in cat.glob("*/*.toml"))
        for name, template, command, _cap in commands:
            if command == "search":
                cmd = [DEEPPHEN] + [a.format(cat=cat) for a in template]
                r = paired(cmd, args.runs)
                lines.append(f"| {count:,} ({cat.name}/) | {name} | {r['median'] * 1000:.0f} ms "
                             f"| {r['ratio']:.2f} | {r['peak']:.0f} | {r['exit']} |")
    if skipped:
        lines += ["", f"Skipped (not in this checkout): {', '.join(skipped)}."]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
