"""Time ``deepphen export`` (json, bibtex, csv) and ``deepphen stats`` on a generated catalog.

Generates a synthetic catalog with bench/generate.py (fixed seed), then runs each command as
a separate process, as a user would, and prints the median wall time and the peak memory
(max RSS) of the command's process. It also times loading and each render function
in-process, to show where the time goes. The budget is 2 s and 200 MiB per command.

Usage:
    .venv/bin/python bench/bench_export_stats.py [--papers 10000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import generate  # bench/generate.py: this script's folder is on sys.path

BENCH = Path(__file__).resolve().parent
BUDGET_SECONDS = 2.0
BUDGET_MIB = 200

# Measures one child process: its exit code on stderr is ignored, its max RSS (KiB) printed.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)

COMMANDS = {
    "export json": ["export", "--format", "json"],
    "export bibtex": ["export", "--format", "bibtex"],
    "export csv": ["export", "--format", "csv"],
    "export csv --since 2022": ["export", "--format", "csv", "--since", "2022"],
    "stats (plain)": ["stats"],
    "stats --format json": ["stats", "--format", "json"],
}


def run_command(catalog: Path, args: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and max RSS in MiB of ``deepphen ARGS`` over ``runs`` runs."""
    deepphen = [sys.executable, "-m", "deepphen", *args, "--catalog", str(catalog)]
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _MEASURE, *deepphen], check=True,
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        peaks.append(int(out.stdout.split()[-1]) / 1024)
    return statistics.median(times), max(peaks)


def in_process(catalog: Path) -> list[tuple[str, float]]:
    """Seconds to load the catalog and to run each render/compute step once it is loaded."""
    from deepphen.catalog import Catalog
    from deepphen.export import exporter
    from deepphen.stats import compute_stats

    start = time.perf_counter()
    cat = Catalog.load(catalog)
    rows = [(f"load {len(cat.papers)} papers", time.perf_counter() - start)]
    for fmt in ("json", "bibtex", "csv"):
        start = time.perf_counter()
        exporter(fmt)(cat.papers, cat.settings)
        rows.append((f"render {fmt}", time.perf_counter() - start))
    start = time.perf_counter()
    compute_stats(cat.papers, cat.settings)
    rows.append(("compute_stats", time.perf_counter() - start))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    generate.add_size_arguments(parser)
    args = parser.parse_args(argv)

    with generate.generated_catalog(args.papers, args.keep) as catalog:
        for step, seconds in in_process(catalog):
            print(f"  {step:<28} {seconds * 1000:8.0f} ms")
        print(f"{'command':<28} {'median s':>9} {'max RSS MiB':>12}  budget {BUDGET_SECONDS} s,"
              f" {BUDGET_MIB} MiB")
        over = 0
        for name, command in COMMANDS.items():
            seconds, mib = run_command(catalog, command, args.runs)
            ok = seconds <= BUDGET_SECONDS and mib <= BUDGET_MIB
            over += not ok
            print(f"{name:<28} {seconds:9.2f} {mib:12.0f}  {'ok' if ok else 'OVER BUDGET'}")
        return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
