"""Reports validated per second: govdisclosure (load + every rule) against jsonschema, same documents.

    python bench/bench_validate.py [--reports 3000] [--seed 1]

Both sides start from the same parsed JSON documents (dicts): govdisclosure structures each into
the typed model and runs every installed rule; jsonschema validates it against the published
schema of its format (all errors collected, as govdisclosure does).  A tenth of the documents
have one cell broken so that both sides also report something.  Figures go to the closing note;
nothing here is asserted.

The same run also times govdisclosure without the document rules (the ``core-document`` plugin
blocked): issue 11 asks that every rule keep at least half that speed on reports without narrative
copies (the documents' parts are short random texts, each raising a few document findings).

Times are the CPU time of this process (``time.process_time``; the code is single-threaded), best of
``--repeat`` runs, so that other work on a shared machine does not count.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
import tracemalloc
from pathlib import Path

import jsonschema

import govdisclosure as gd
from govdisclosure.testing import balanced_data

ROOT = Path(__file__).resolve().parent.parent


def make_documents(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    reg = gd.Registry.default()
    specs = [reg.format(v) for v in reg.formats]
    docs = []
    for i in range(n):
        doc = balanced_data(specs[i % len(specs)], rng.randint)
        if i % 10 == 0:  # one wrong number: a finding for the rules, still valid for the schema
            doc["requests"]["granted"]["natural_person"] += 1
        docs.append(doc)
    return docs


def registries() -> tuple[gd.Registry, gd.Registry]:
    """The registry in force, and the same less the document rules (as GOVDISCLOSURE_BLOCK_PLUGINS=core-document)."""
    core_only = os.environ.get("GOVDISCLOSURE_PLUGINS", "").strip() == "core"
    return gd.Registry.default(), gd.Registry.of(entry_points=not core_only, block=("core-document",))


def run_govdisclosure(docs: list[dict], registry: gd.Registry | None = None) -> int:
    findings = 0
    for doc in docs:
        findings += len(gd.validate(gd.from_data(doc, registry=registry), registry=registry))
    return findings


def run_jsonschema(docs: list[dict]) -> int:
    validators = {v: jsonschema.Draft202012Validator(json.loads(
        (ROOT / "schemas" / f"report-{v}.schema.json").read_text(encoding="utf-8"))) for v in ("2019", "2021")}
    errors = 0
    for doc in docs:
        errors += sum(1 for _ in validators[doc["format_version"]].iter_errors(doc))
    return errors


def memory(docs: list[dict], registry: gd.Registry) -> tuple[float, float]:
    """KiB traced: the peak while the documents stream through (a) one at a time (each report freed
    after its findings), and what one loaded report takes when all of them are kept (the texts are
    the documents' own strings, shared, not counted)."""
    tracemalloc.start()
    run_govdisclosure(docs, registry)
    _, peak = tracemalloc.get_traced_memory()
    before, _ = tracemalloc.get_traced_memory()
    kept = [gd.from_data(doc, registry=registry) for doc in docs]
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024, (after - before) / len(kept) / 1024


def timed(fn, docs, repeat: int) -> tuple[float, int]:
    best, result = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        result = fn(docs)
        best = min(best, time.process_time() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = make_documents(args.reports, args.seed)
    every, without = registries()
    for reg in (every, without):  # warm the per-format caches (class generation, compiled equations)
        run_govdisclosure(docs[:50], reg)
    gd_time, gd_findings, bare_time, bare_findings = float("inf"), 0, float("inf"), 0
    for _ in range(args.repeat):  # (a) and (c) taken in turns, so that a busy machine slows both alike
        t, gd_findings = timed(lambda d: run_govdisclosure(d, every), docs, 1)
        gd_time = min(gd_time, t)
        t, bare_findings = timed(lambda d: run_govdisclosure(d, without), docs, 1)
        bare_time = min(bare_time, t)
    js_time, js_errors = timed(run_jsonschema, docs, args.repeat)
    peak, kept = memory(docs[:500], every)
    n = len(docs)
    print(f"documents: {n} (seed {args.seed}; both formats; 1 in 10 with a broken sum)")
    print(f"(a) govdisclosure load + every rule: {n / gd_time:9.0f} reports/s  ({gd_findings} findings)")
    print(f"(b) jsonschema Draft 2020-12:         {n / js_time:9.0f} reports/s  ({js_errors} schema errors)")
    print(f"(c) govdisclosure without core-document: {n / bare_time:6.0f} reports/s  ({bare_findings} findings)")
    print(f"ratio (a)/(b): {js_time / gd_time:.1f}x")
    print(f"every rule vs without the document rules, (a)/(c): {bare_time / gd_time:.2f} of the speed "
          f"({gd_time / bare_time:.2f}x the time; issue 11 asks at most 2x)")
    print(f"peak traced memory, 500 reports through (a), one at a time: {peak:.0f} KiB")
    print(f"memory of a loaded report kept in a list (500 kept): {kept:.1f} KiB each")


if __name__ == "__main__":
    main()
