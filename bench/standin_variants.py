"""``deepphen discover`` against an outsider's arXiv API stand-in, one quirk at a time.

The issue's check runs discover against someone else's stand-in of the arXiv API. This runs
the command (``discover --since A --until B --limit 25 --format json`` on a copy of the
shipped catalog, in process) against tests/foreign_arxiv.py serving the real arXiv background
of ../shared/data/arxiv-background (plus the catalog's own papers, title for abstract, so a
faithful server finds them by id), first faithful, then with each quirk of ``VARIANTS``, and
prints per variant: the exit code, whether the 25 candidates are the faithful run's (same
order and scores), how many are dated outside the window, the requests sent and the time
the run would take at arXiv's 3 s spacing (the client's clock is fake: nothing sleeps).

    .venv/bin/python bench/standin_variants.py [--since 2025-05-01] [--until 2025-05-14]
                                               [--only "cap 100" ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.arxiv_server import FakeTime  # noqa: E402
from tests.foreign_arxiv import VARIANTS, Foreign, Quirks, serving  # noqa: E402
from tests.helpers import SHARED  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from deepphen import discover as core  # noqa: E402
from deepphen.arxiv import Client  # noqa: E402
from deepphen.cli.main import app  # noqa: E402

BACKGROUND = SHARED / "data" / "arxiv-background" / "arxiv-2025-03-to-06.jsonl.gz"


def papers() -> list[dict]:
    rng = random.Random(7)
    out = []
    with gzip.open(BACKGROUND, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            day = dt.datetime.strptime(row["published"], "%Y-%m-%d")
            out.append({**row, "submitted": day + dt.timedelta(seconds=rng.randrange(86400))})
    for path in (ROOT / "catalog").rglob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        arxiv = data.get("arxiv") if path.name != "catalog.toml" else None
        if arxiv and "/" not in arxiv:
            out.append({"id": arxiv, "title": data["title"], "authors": data.get("authors", []),
                        "summary": data["title"], "categories": [data.get("category") or "cs.LG"],
                        "submitted": dt.datetime(2000 + int(arxiv[:2]), int(arxiv[2:4]), 5)})
    return sorted(out, key=lambda p: p["id"])


def run(listing: list[dict], quirks: Quirks, args: argparse.Namespace, work: Path,
        fake: FakeTime) -> tuple[int, list[dict] | None, float, int, str]:
    catalog = work / "catalog"
    shutil.rmtree(catalog, ignore_errors=True)  # no cache from an earlier variant
    shutil.copytree(ROOT / "catalog", catalog)
    start = fake.now
    with serving(Foreign(papers=listing, quirks=quirks)) as server:
        os.environ["DEEPPHEN_ARXIV_API_URL"] = server.url
        result = CliRunner().invoke(app, ["discover", "--since", args.since, "--until",
                                          args.until, "--limit", "25", "--format", "json",
                                          "--catalog", str(catalog)])
    records = json.loads(result.stdout) if result.stdout.strip() else None
    warnings = [line for line in result.stderr.splitlines() if "warning" in line or "error" in line]
    return result.exit_code, records, fake.now - start, len(server.requests), " | ".join(warnings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--since", default="2025-05-01")
    parser.add_argument("--until", default="2025-05-14")
    parser.add_argument("--only", nargs="*", default=[], help="variants whose name has this")
    args = parser.parse_args()
    if not BACKGROUND.is_file():
        sys.exit(f"{BACKGROUND} not present")
    fake = FakeTime()
    Client.default_clock = staticmethod(fake.clock)  # type: ignore[assignment]
    Client.default_sleep = staticmethod(fake.sleep)  # type: ignore[assignment]
    core.utc_today = lambda: dt.date(2025, 7, 1)  # type: ignore[assignment]
    listing = papers()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _, faithful, seconds, requests, _ = run(listing, Quirks(), args, work, fake)
        top = [(r["arxiv"], r["score"]) for r in faithful or []]
        print(f"{'faithful':34s} exit 0, {len(top)} candidates, {requests} requests, "
              f"{seconds:.0f} s at 3 s spacing")
        for name, quirks in VARIANTS.items():
            if args.only and not any(o in name for o in args.only):
                continue
            code, records, seconds, requests, warnings = run(listing, quirks, args, work, fake)
            got = [(r["arxiv"], r["score"]) for r in records or []]
            same = "same 25" if got == top else \
                f"{len({i for i, _ in got} & {i for i, _ in top})}/25 shared"
            off = sum(1 for r in records or [] if r["published"]
                      and not args.since <= r["published"] <= args.until)
            print(f"{name:34s} exit {code}, {same}, {off} off-window, {requests} requests, "
                  f"{seconds:.0f} s" + (f"\n{'':36s}{warnings[:150]}" if warnings else ""))


if __name__ == "__main__":
    main()
