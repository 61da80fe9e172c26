"""Published reports parsed and validated per second, from text and from HTML, on every core.

    python bench/bench_parse.py [--inputs 3000] [--workers 2]

The corpus's complete reports and excerpts (../shared/corpus/reports), repeated to a few thousand
inputs, each parsed (as a scraped page would be) and checked by every rule.  Prints reports/s
for text and for HTML, one process and ``--workers`` processes, the slowest single input, and
the memory of a worker after each thousand inputs (flat means no leak).  Baseline in the same
run: loading and validating the same reports from canonical JSON.  Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from pathlib import Path

import govdisclosure as gd
from govdisclosure.ingest import parse

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "reports"


def inputs(kind: str) -> list[tuple[str, str]]:
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html") and p.name[0].isdigit())
    out = []
    for p in files:
        text = p.read_text(encoding="utf-8")
        if kind == "html" and p.suffix == ".txt":  # the same report as a page: its parsed report, rendered
            text = gd.render(parse(text).report, "html").replace("data-cell=", "data-x=")
        out.append((p.name, text))
    return out


def work(item: tuple[str, str, str]) -> tuple[str, float, int]:
    name, kind, text = item
    start = time.perf_counter()
    report = parse(text, from_="html" if kind == "html" or name.endswith(".html") else "text").report
    gd.validate(report)
    return name, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run(kind: str, n: int, workers: int) -> tuple[float, tuple[str, float], list[int]]:
    base = inputs(kind)
    items = [(name, kind, text) for name, text in (base * (n // len(base) + 1))[:n]]
    start = time.perf_counter()
    if workers == 1:
        results = [work(i) for i in items]
    else:
        with multiprocessing.Pool(workers) as pool:
            results = pool.map(work, items, chunksize=50)
    elapsed = time.perf_counter() - start
    worst = max(results, key=lambda r: r[1])
    memory = [r[2] for r in results[999::1000]]
    return n / elapsed, (worst[0], worst[1]), memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    args = parser.parse_args()
    texts = inputs("text")
    jsons = [gd.dump(parse(t, from_="html" if n.endswith(".html") else "text").report) for n, t in texts]
    start = time.perf_counter()
    for i in range(args.inputs):
        gd.validate(gd.loads(jsons[i % len(jsons)]))
    baseline = args.inputs / (time.perf_counter() - start)
    print(f"inputs: {args.inputs} ({len(texts)} corpus reports repeated); cores: {multiprocessing.cpu_count()}")
    for kind in ("text", "html"):
        for workers in (1, args.workers):
            rate, worst, memory = run(kind, args.inputs, workers)
            print(f"{kind:4s} parse + validate, {workers} process(es): {rate:7.0f} reports/s; slowest input "
                  f"{worst[0]} {worst[1] * 1000:.1f} ms; worker max RSS per 1000 inputs (KB): {memory}")
    print(f"baseline, canonical JSON load + validate, 1 process: {baseline:7.0f} reports/s")


if __name__ == "__main__":
    main()
