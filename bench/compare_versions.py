"""Time two checkouts of deepphen against each other on the same commands, paired.

Each command runs as ``python -m deepphen ARGS`` with PYTHONPATH set to a checkout's ``src``
folder, the two checkouts alternating (A B, then B A, so neither always goes first and both
see the same machine load). Reported per command: the median wall-clock time of each checkout,
the median of the per-pair ratios B/A, and the same ratio of CPU time (user + system, from
os.wait4), which a busy machine disturbs less. Output is discarded (piped, as a script reads it).

Usage (``before`` is an older commit's src, e.g. from ``git archive``):
    git archive main src | tar -x -C /tmp/before
    python bench/compare_versions.py /tmp/before/src src --catalog catalog --runs 30
    python bench/compare_versions.py /tmp/before/src src --command stats --command lint

A shell's completion is timed as the shell runs it, the program's name from its script and
the request in the environment (docs/benchmarks.md, "Shell completion"):
    python bench/compare_versions.py /tmp/before/src src --script .venv/bin/deepphen \
        --env _DEEPPHEN_COMPLETE=complete_bash --env COMP_CWORD=3 \
        --env "COMP_WORDS=deepphen$(printf '\nsearch\n-k\nNeu')" --command ""

When the two checkouts cache the catalog differently (a new search-index version), give B a
copy of the catalog (``--catalog-b``): on one folder each run would evict the other's cache
and both would time a cold start.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = [
    ["search", "grokking"],
    ["search", "grokking", "--format", "json"],
]


# Set by main: variables added to every run's environment, and the script run in place of
# "-m deepphen" (None: the module).
EXTRA_ENV: dict[str, str] = {}
SCRIPT: list[Path | None] = [None]


def run_once(src: Path, args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``python -m deepphen ARGS`` (or ``python SCRIPT
    ARGS``) with ``src`` on the path."""
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", **EXTRA_ENV}
    program = [str(SCRIPT[0])] if SCRIPT[0] else ["-m", "deepphen"]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *program, *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def compare(a: Path, b: Path, args: list[str], runs: int,
            args_b: list[str] | None = None) -> dict[str, float]:
    """Median wall seconds of A and of B, and the median ratios B/A (wall, CPU) over the pairs;
    ``args_b``: B's own arguments (its copy of the catalog), else ``args``."""
    args_b = args_b or args
    run_once(a, args), run_once(b, args_b)  # warm-up: the catalog cache, the OS file cache
    walls_a, walls_b, ratios, cpu_ratios = [], [], [], []
    for i in range(runs):
        if i % 2:
            (wb, cb), (wa, ca) = run_once(b, args_b), run_once(a, args)
        else:
            (wa, ca), (wb, cb) = run_once(a, args), run_once(b, args_b)
        walls_a.append(wa)
        walls_b.append(wb)
        ratios.append(wb / wa)
        cpu_ratios.append(cb / ca)
    return {"a": statistics.median(walls_a), "b": statistics.median(walls_b),
            "ratio": statistics.median(ratios), "cpu": statistics.median(cpu_ratios)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="src folder of the first checkout (before)")
    parser.add_argument("b", type=Path, help="src folder of the second checkout (after)")
    parser.add_argument("--catalog", type=Path, default=Path("catalog"))
    parser.add_argument("--catalog-b", type=Path, default=None,
                        help="B's copy of the catalog (default: the same folder)")
    parser.add_argument("--runs", type=int, default=20, help="pairs per command")
    parser.add_argument("--command", action="append", default=[], metavar="ARGS",
                        help="a deepphen command line to time, e.g. 'stats' (repeatable; "
                             "default: search grokking, piped and as JSON)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable added to every run's environment (repeatable)")
    parser.add_argument("--script", type=Path, default=None,
                        help="run this script (e.g. .venv/bin/deepphen) instead of "
                             "'-m deepphen': the program's name is then the script's")
    args = parser.parse_args(argv)
    EXTRA_ENV.update(item.partition("=")[::2] for item in args.env)
    SCRIPT[0] = args.script.resolve() if args.script else None
    commands = [shlex.split(c) for c in args.command] or COMMANDS
    a, b = args.a.resolve(), args.b.resolve()
    print(f"A = {a}\nB = {b}\n{args.runs} pairs each, python {sys.version.split()[0]}\n")
    print("| command | A median | B median | B/A wall (median of pairs) | B/A CPU |")
    print("|---|---:|---:|---:|---:|")
    for command in commands:
        argv_ = [*command, "--catalog", str(args.catalog.resolve())]
        argv_b = [*command, "--catalog", str((args.catalog_b or args.catalog).resolve())]
        r = compare(a, b, argv_, args.runs, argv_b)
        print(f"| `deepphen {' '.join(command)}` | {r['a'] * 1000:.0f} ms | "
              f"{r['b'] * 1000:.0f} ms | {r['ratio']:.3f} | {r['cpu']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
