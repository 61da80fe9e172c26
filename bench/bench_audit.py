"""Audit throughput: generated canonical-JSON files from disk into a fresh store, and the corpus's published texts.

    python bench/bench_audit.py [--reports 100000] [--small 10000] [--jobs 1 2] [--corpus 2000] [--no-store]
                                [--dir DIR]

For each size (``--small`` and ``--reports``) and each ``--jobs``: reports/s, peak RSS of the main
process and of the largest worker, store size, and the share of the run spent writing SQLite.  Each run
is a fresh ``python`` process so that peak RSS is its own.  The generated reports are balanced (one in
ten with a broken sum) and form series: five years per agency, so the cross-year rules run too.
``--corpus N`` repeats the corpus's published texts (and web pages) to N inputs, each a distinct agency's report
(``bench_parse.distinct_copies``: none deduplicated, none a duplicate agency-year), and audits them the same way;
``--no-store`` runs each of those audits again with the store's writes left out (the parent still receives every
result): what the workers alone allow on these cores.
Figures go to the closing note; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

RUN = r"""
import json, resource, sys, time
from govdisclosure.audit import audit
from govdisclosure.audit.store import size_of
folder, db, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
if sys.argv[4:] == ["no-store"]:  # the parent receives every result and writes none: the workers' own ceiling
    from govdisclosure.audit.store import Store
    Store.write = lambda self, pending, run_id, agencies: None
s = audit([folder], db, jobs=jobs, progress=False)
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"examined": s.examined, "reports": s.reports, "failed": len(s.failed), "seconds": s.seconds,
                  "store_seconds": s.store_seconds, "pairs": s.pairs_checked, "size": size_of(db),
                  "rss_main": me.ru_maxrss / 1024, "rss_worker": kids.ru_maxrss / 1024,
                  "cpu_main": me.ru_utime + me.ru_stime, "cpu_workers": kids.ru_utime + kids.ru_stime}))
"""

LEVELS = ("county_department", "county_government", "city_department", "city_government", "township")
REGIONS = ("甲省甲市", "甲省乙市", "乙省丙市", "乙省丁市", "丙省戊市")


def generate(folder: Path, n: int, seed: int = 1) -> float:
    """``n`` canonical JSON files: n/5 agencies × 2019–2023, one in ten with a broken sum."""
    import govdisclosure as gd
    from govdisclosure.testing import balanced_data

    start = time.perf_counter()
    rng = random.Random(seed)
    reg = gd.Registry.default()
    forward: dict[str, int] = {}
    for i in range(n):
        agency, year = i // 5, 2019 + i % 5
        data = balanced_data(reg.format_for_year(year), rng.randint, year=year)
        if year > 2019:  # most agencies carry last year's open requests over correctly
            _carry(data["requests"], forward)
        forward = dict(data["requests"]["carried_forward"])
        data["agency"] = {"name": f"某{agency}局", "level": LEVELS[agency % len(LEVELS)],
                          "region": REGIONS[agency % len(REGIONS)]}
        if i % 10 == 0:
            data["requests"]["granted"]["natural_person"] += 1
        sub = folder / f"{agency // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{agency:06d}-{year}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return time.perf_counter() - start


def _carry(requests: dict[str, Any], previous: dict[str, int]) -> None:
    """Set this year's carried_over to last year's carried_forward, keeping table 3 balanced."""
    over, forward, total = requests["carried_over"], requests["carried_forward"], requests["total"]
    for column, value in previous.items():
        if column == "total":
            continue
        over[column] = value
        shortfall = value - total[column] - forward[column]
        if shortfall > 0:  # received = total + forward − over must stay ≥ 0
            forward[column] += shortfall
        requests["received"][column] = total[column] + forward[column] - value
    for row in ("received", "carried_over", "carried_forward"):
        requests[row]["total"] = sum(v for k, v in requests[row].items() if k != "total")


def corpus(folder: Path, n: int) -> None:
    from bench_parse import distinct_copies

    seen: set[bytes] = set()
    sources = []
    for d in (ROOT / "examples" / "published", ROOT / "tests" / "data" / "corpus" / "reports"):
        for p in sorted(d.iterdir()):
            if p.suffix in (".txt", ".html") and p.read_bytes() not in seen:  # the two folders share files
                seen.add(p.read_bytes())
                sources.append((p.name, p.read_text(encoding="utf-8")))
    for i, (name, text) in enumerate(distinct_copies(sources, n)):
        (folder / f"{i:05d}-{name}").write_text(text, encoding="utf-8")


def run(folder: Path, jobs: int, work: Path, store: bool = True) -> dict[str, float]:
    db = work / f"bench-{folder.name}-{jobs}.sqlite"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-c", RUN, str(folder), str(db), str(jobs), *([] if store else ["no-store"])],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    return result


def show(name: str, jobs: int, r: dict[str, float]) -> None:
    # CPU time does not depend on what else the machine runs: with 2 idle cores, the main process and the
    # workers could run in parallel at best as fast as (cores / CPU seconds per input) allows
    cpu = (r["cpu_main"] + r["cpu_workers"]) / r["examined"]
    bound = min(jobs + 1, os.cpu_count() or 1) / cpu if jobs else 1 / cpu
    print(f"{name:<22} jobs {jobs}: {r['examined'] / r['seconds']:7.0f} inputs/s measured; "
          f"CPU {1000 * cpu:.2f} ms/input "
          f"(main {1000 * r['cpu_main'] / r['examined']:.2f}, workers {1000 * r['cpu_workers'] / r['examined']:.2f}) "
          f"→ at most {bound:.0f}/s on idle cores  ({r['examined']:.0f} inputs, "
          f"{r['reports']:.0f} reports, {r['failed']:.0f} failed, {r['pairs']:.0f} year pairs, {r['seconds']:.1f} s)  "
          f"peak RSS main {r['rss_main']:.0f} MB, largest worker {r['rss_worker']:.0f} MB  "
          + (f"store {r['size'] / 1e6:.0f} MB ({r['size'] / r['reports']:.0f} B/report)  " if r["reports"] else
             "no store  ") +
          f"writing SQLite {100 * r['store_seconds'] / r['seconds']:.0f}% of the run", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--corpus", type=int, default=2000)
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary one, removed after)")
    parser.add_argument("--no-store", action="store_true",
                        help="also run each corpus audit with the store's writes left out (the workers' ceiling)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="bench-audit-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in sorted({args.small, args.reports} - {0}):
            folder = work / f"generated-{n}"
            if not folder.exists():
                folder.mkdir()
                print(f"generating {n} files: {generate(folder, n):.0f} s", flush=True)
            for jobs in args.jobs:
                show(f"generated {n}", jobs, run(folder, jobs, work))
        if args.corpus:
            folder = work / f"corpus-{args.corpus}"
            if not folder.exists():
                folder.mkdir()
                corpus(folder, args.corpus)
            for jobs in args.jobs:
                show(f"published texts {args.corpus}", jobs, run(folder, jobs, work))
                if args.no_store:
                    show("  the same, no store", jobs, run(folder, jobs, work, store=False))
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
