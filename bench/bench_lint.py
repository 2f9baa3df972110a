"""Time ``deepphen lint`` on a generated catalog (the budget: 10,000 papers within 3 s).

Generates a catalog with bench/generate.py (fixed seed) and runs ``deepphen lint`` as a user
would, in a separate process: cold (no parsed-catalog cache, as on a fresh CI clone) and
warm (cache filled, as on a second run or in a pre-commit hook), median of ``--runs``. Then
it times the phases in-process (load, each slow rule) to show where the time goes. The
generated catalog repeats titles, so lint has findings to report; that is part of the cost.

Usage:
    .venv/bin/python bench/bench_lint.py [--papers 10000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import generate  # bench/generate.py: this script's folder is on sys.path

BENCH = Path(__file__).resolve().parent
BUDGET_SECONDS = 3.0
CACHE_DIR = ".deepphen-cache"
RACY_S = 2.1  # files younger than this are not cached (deepphen.cache.RACY_NS)


def time_lint(catalog: Path, runs: int, *, cold: bool) -> tuple[float, float, int]:
    """Median wall and CPU (user + system) seconds of ``deepphen lint``, and its exit code.

    CPU time is reported too because on a shared machine the wall time mostly measures the
    other processes.
    """
    walls, cpus, code = [], [], 0
    for _ in range(runs):
        if cold:
            shutil.rmtree(catalog / CACHE_DIR, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "deepphen", "lint", "--catalog",
                               str(catalog)], stdout=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code = done.returncode
    return statistics.median(walls), statistics.median(cpus), code


def phases(catalog: Path) -> list[tuple[str, float]]:
    """Seconds for loading and for each rule taking over 20 ms, measured in-process."""
    from deepphen.lint import engine
    from deepphen.lint.rules import all_rules

    start = time.perf_counter()
    ctx = engine.load_context(catalog)
    rows = [(f"load {len(ctx.files)} files", time.perf_counter() - start)]
    for rule in all_rules().values():
        start = time.perf_counter()
        engine.check(ctx, [rule.id])
        seconds = time.perf_counter() - start
        if seconds > 0.02:
            rows.append((f"{rule.id} {rule.name}", seconds))
    start = time.perf_counter()
    problems = engine.check(ctx)
    rows.append((f"all rules ({len(problems)} findings)", time.perf_counter() - start))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    generate.add_size_arguments(parser)
    args = parser.parse_args(argv)

    with generate.generated_catalog(args.papers, args.keep) as catalog:
        time.sleep(RACY_S)  # let the files age so that the warm runs can use the cache
        cold, cold_cpu, code = time_lint(catalog, args.runs, cold=True)
        warm, warm_cpu, _ = time_lint(catalog, args.runs, cold=False)
        print(f"deepphen lint, cold cache   {cold:6.2f} s wall  {cold_cpu:6.2f} s cpu  "
              f"(exit {code})")
        print(f"deepphen lint, warm cache   {warm:6.2f} s wall  {warm_cpu:6.2f} s cpu  "
              f"budget {BUDGET_SECONDS} s: {'ok' if warm <= BUDGET_SECONDS else 'OVER BUDGET'}")
        for step, seconds in phases(catalog):
            print(f"  {step:<40} {seconds * 1000:8.0f} ms")
        return 0 if warm <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
