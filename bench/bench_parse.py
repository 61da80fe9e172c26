"""Published reports parsed (and validated) per second, from text and from web pages, in one process
and in several; the size of a parsed report's provenance; a worker's memory over a long run.

    python bench/bench_parse.py [--inputs 2000] [--workers 2] [--round 140] [--before PYTHON] [--hostile]
    python bench/bench_parse.py --stages | --cli

Inputs: the corpus's complete text reports (tests/data/corpus/reports, seven files), repeated;
web pages: the same reports rendered as pages without govdisclosure's marks, and the corpus's
Shanghai page.  Figures (reports/s, best of three short rounds, CPU time of this process):

- parse: the parser alone; parse + validate: with every installed rule; parse + structural: with
  every rule but the document rules of issue 11 (``rules.document.CHECKS``, which read every sentence):
  the balances, the structural and metadata rules, the parser's own;
- the same with ``--workers`` processes (a multiprocessing pool, wall time), each worker reading its inputs
  from the corpus's files as ``parse --jobs`` does (the parent sends file names: sending the texts cost the
  parent their encoding and each worker their decoding, ~5% of a report's work, that no real batch does);
- baseline in the same run: loading and validating the same reports from canonical JSON;
- provenance: pickled size of a parsed report with and without its provenance;
- memory: a worker's max RSS after each 1000 inputs (flat means no leak);
- pdf: seconds per corpus PDF read in a worker process (the default: the only way the time and memory
  limits hold inside a page) and in this process (``Limits(isolate=False)``), and the ratio;
- hostile (``--hostile``): a page nested 40,000 elements deep (refused by the depth scan; the HTML
  parser alone on it, for comparison), a PDF page of 300,000 text operators under a 5 s limit (time
  to the refusal), 200 copies of a report in one text (the first read, the rest cut off);
- stages (``--stages``): CPU milliseconds per complete text report in each stage of the parser's pipeline,
  and in validation (structural rules, every rule), the same reports, best of three rounds;
- command line (``--cli``): ``govdisclosure parse --from text -j N -o FOLDER`` on ``--inputs`` copies of the
  complete reports, each a distinct agency's (:func:`distinct_copies`), in a temporary folder (``TMPDIR``), run as a user runs it (a new interpreter, the files read,
  the canonical JSON written, the findings printed), wall time, jobs 1 and ``--workers``; the same command on
  one file (the interpreter's start and the imports); ``govdisclosure audit -j N --db DB FOLDER`` on the same
  folder (every rule, the store); each with the CPU time its processes spent a report; then stop;
- before: with ``--before PYTHON`` (the interpreter of an environment where an older govdisclosure is
  installed, e.g. the parser of commit 0f593c4), the same single-process figures for that parser,
  measured in the same run, and the ratios.  Its loop is the old one (no memos emptied, no structural
  mode): for a version that has this file's stages and memos, run this file itself under that version
  instead (``PYTHONPATH=<worktree>/src python bench/bench_parse.py``), alternating with the current one.

Each run first says whether the parser's stages are compiled (``GOVDISCLOSURE_COMPILE=1 pip install .``,
setup.py) or pure Python: compare the two builds by running this file under each one's interpreter.

Nothing is asserted.  Run it on an otherwise idle machine for figures worth quoting.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import pickle
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

import attrs

import govdisclosure as gd
from govdisclosure.ingest import solver
from govdisclosure.rules.document import CHECKS
from govdisclosure.rules.document import narrative as doc_narrative

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus" / "reports"
COMPLETE = ("001-hutubi-shanggongxinju-2020-seed.txt", "009-pingtan-2020-zfxxgknb.txt", "012-pingtan-2022-zfxxgknb.txt",
            "013-pingtan-2024-zfxxgknb.txt", "020-huaian-city-2024-pdf.txt", "021-huaian-hongze-district-2023-pdf.txt",
            "022-huaian-hongze-district-2024-pdf.txt")
#: every rule of core but the document rules (until 2026-11-30 this list was written out by hand and missed
#: the balances: "GD-T" matches no code, GD-T2-… needs "GD-T2")
STRUCTURAL = tuple(sorted({r.code for r in gd.Registry.core().rules.values()} - {c.code for c in CHECKS}))
#: the document rules, ignored for "structural": a code selects by prefix, so selecting STRUCTURAL ran GD-M-FEES-T3
#: (a document rule) with GD-M-FEES, until 2026-11-30; ignoring them is exact as long as no other code starts with one
DOCUMENT = tuple(sorted(c.code for c in CHECKS))
assert not [s for s in STRUCTURAL for d in DOCUMENT if s.startswith(d)], "an ignored document code hides another"


def build() -> str:
    """Which build of the parser is measured: "compiled (mypyc)" when its stages are C extensions."""
    return "compiled (mypyc)" if solver.__file__.endswith((".so", ".pyd")) else "pure Python"


def texts() -> list[tuple[str, str]]:
    return [(name, (CORPUS / name).read_text(encoding="utf-8")) for name in COMPLETE]


#: the ten stems that tag a copy's agency (甲…癸): no digit, which the parser would read as a number
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def distinct_copies(items: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """``n`` copies of the (name, text) items, each a distinct agency's report: the agency's name as the parser reads
    it prefixed, wherever the text prints it, with the copy's number in stems (甲甲乙丙…).  An audit of plain
    copies stores each text once (the same bytes) or flags every copy as a duplicate agency-year and compares the
    copies cell by cell: neither is the store's work for reports of many agencies, which this gives it."""
    named = [(name, text, gd.reads(text.encode("utf-8"), source=name).report.agency.name) for name, text in items]
    out = []
    for i in range(n):
        name, text, agency = named[i % len(named)]
        tag = "".join(_STEMS[int(d)] for d in f"{i:05d}")
        # (a text whose agency the parser does not read: made distinct bytes by trailing newlines)
        out.append((name, text.replace(agency, tag + agency) if agency else text + "\n" * (i // len(named) + 1)))
    return out


def pages() -> list[tuple[str, str]]:
    """The same reports as web pages a site would publish (no marks of ours), and a real page."""
    out = [(name, gd.render(gd.parse(text).report, "html").replace("data-cell=", "data-x="))
           for name, text in texts()]
    name = "073-shanghai-gov-office-2019-wanda-jsstring.html"
    return [*out, (name, (CORPUS / name).read_text(encoding="utf-8"))]


def _scope(mode: str) -> dict[str, Any]:
    """validate()'s arguments for a mode: every rule, or every rule but the document rules."""
    return {} if mode == "all" else {"ignore": DOCUMENT}


#: the memos keyed on a report's own text (a part folded, its runs of characters, a heading, a row's last
#: digits): in a real batch every report is new, here seven repeat, so they are emptied before each input
#: (by name: an older version, run with this bench for a same-run baseline, may lack some)
TEXT_MEMOS = tuple(memo for module, name in ((doc_narrative, "fold"), (doc_narrative, "folded"),
                                             (doc_narrative, "_runs"), (doc_narrative, "_heading_key"),
                                             (solver, "_caps")) if (memo := getattr(module, name, None)))


def forget() -> None:
    for memo in TEXT_MEMOS:
        memo.cache_clear()


def work(item: tuple[str, str, str | bytes]) -> tuple[float, int]:
    """One input: parsed (and validated as ``mode`` says); CPU seconds and the worker's max RSS (KB)."""
    kind, mode, text = item
    forget()
    start = time.process_time()
    result = gd.parse(text, from_=kind)
    if mode != "parse":
        gd.validate(result, **_scope(mode))
    return time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def work_file(item: tuple[str, str, str]) -> tuple[float, int]:
    """:func:`work` of a file's text, read from it as bytes (as ``parse --jobs`` reads each input)."""
    kind, mode, path = item
    return work((kind, mode, Path(path).read_bytes()))


def rate(items: list[tuple[str, str, str | bytes]], rounds: int = 3) -> float:
    """Reports per CPU second in this process, the best of ``rounds``."""
    best = 0.0
    for _ in range(rounds):
        spent = sum(work(i)[0] for i in items)
        best = max(best, len(items) / spent)
    return best


def rate_each(texts: list[str], mode: str, chunks: int, rounds: int = 3) -> tuple[float, float]:
    """Reports per CPU second parsed (and validated as ``mode`` says) one after another, and a chunk at a time,
    stage by stage (``ingest.parse_each``, as ``parse`` of several files runs them): the best of ``rounds`` each.
    A chunk is the distinct ``texts``, the memos keyed on a text forgotten before each chunk in both ways."""
    from govdisclosure.ingest import parse_each

    registry = gd.Registry.default()
    best_one = best_each = 0.0
    for _ in range(rounds):
        one = each = 0.0
        for _chunk in range(chunks):
            forget()
            start = time.process_time()
            for text in texts:
                result = gd.parse(text, from_="text", registry=registry)
                if mode != "parse":
                    gd.validate(result, registry=registry, **_scope(mode))
            one += time.process_time() - start
            forget()
            start = time.process_time()
            for result in parse_each(texts, from_="text", registry=registry):
                assert not isinstance(result, gd.LoadError)
                if mode != "parse":
                    gd.validate(result, registry=registry, **_scope(mode))
            each += time.process_time() - start
        best_one = max(best_one, chunks * len(texts) / one)
        best_each = max(best_each, chunks * len(texts) / each)
    return best_one, best_each


def pooled(items: list[tuple[str, str, str]], workers: int) -> tuple[float, list[int]]:
    """Reports per second of wall time with ``workers`` processes (``items`` name files), and their RSS after each
    1000 inputs."""
    with multiprocessing.Pool(workers) as pool:
        pool.map(work_file, items[:workers * 20], chunksize=10)  # warm the workers
        start = time.perf_counter()
        results = pool.map(work_file, items, chunksize=50)
        elapsed = time.perf_counter() - start
    return len(items) / elapsed, [r[1] for r in results[999::1000]]


def provenance_size() -> tuple[int, int]:
    """Pickled bytes of the parsed complete reports, with and without their provenance."""
    reports = [gd.parse(text).report for _, text in texts()]
    bare = [attrs.evolve(r, provenance={}) for r in reports]
    return len(pickle.dumps(reports)), len(pickle.dumps(bare))


#: the measurement run by an older installation (``--before``): its parse API, the same inputs and rounds
BEFORE = """
import json, sys, time
from pathlib import Path
import govdisclosure as gd
try:
    from govdisclosure.parse import parse as old_parse  # before the ingest package
    def parse(text, kind): return old_parse(text, from_=kind).report
except ImportError:
    def parse(text, kind): return gd.parse(text, from_=kind).report
corpus, names, n = Path(sys.argv[1]), sys.argv[2].split(","), int(sys.argv[3])
texts = [(corpus / name).read_text(encoding="utf-8") for name in names]
pages = [gd.render(parse(t, "text"), "html").replace("data-cell=", "data-x=") for t in texts]
pages.append((corpus / "073-shanghai-gov-office-2019-wanda-jsstring.html").read_text(encoding="utf-8"))
out = {}
for label, base in (("text", texts), ("html", pages)):
    items = (base * (n // len(base) + 1))[:n]
    for mode in ("parse", "all"):
        best = 0.0
        for _ in range(3):
            start = time.process_time()
            for t in items:
                report = parse(t, label)
                if mode == "all":
                    gd.validate(report)
            best = max(best, len(items) / (time.process_time() - start))
        out[f"{label} {mode}"] = best
print(json.dumps(out))
"""


def before(python: str, rounds: int) -> dict[str, float]:
    """Reports/s of the parser installed for ``python`` (an older version), same inputs, same rounds."""
    run = subprocess.run([python, "-c", BEFORE, str(CORPUS), ",".join(COMPLETE), str(rounds)],
                         capture_output=True, text=True, check=True, cwd="/")
    figures: dict[str, float] = json.loads(run.stdout)
    return figures


def pdf_seconds() -> tuple[float, float]:
    """Seconds per corpus PDF (best of 3 rounds), read in a worker process and in this process."""
    from govdisclosure.ingest.pdf import Limits, pdf_text

    files = sorted((CORPUS.parent / "pdf").glob("*.pdf"))
    out = []
    for limits in (Limits(), Limits(isolate=False)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for f in files:
                pdf_text(f.read_bytes(), f.name, limits)
            best = min(best, (time.perf_counter() - start) / len(files))
        out.append(best)
    return out[0], out[1]


def _timed(fn: Any) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        outcome = fn()
    except gd.LoadError as exc:
        outcome = exc.findings[0].code
    return time.perf_counter() - start, str(outcome)


def hostile() -> None:
    """What the review's hostile inputs (H2, H3, H15) take now."""
    import zlib

    from govdisclosure.ingest.pdf import Limits, pdf_text

    n = 40_000
    page = "<html><body>" + "<div>" * n + "x" + "</div>" * n + "</body></html>"
    took, what = _timed(lambda: gd.parse(page, from_="html"))
    print(f"hostile: page nested {n:,} deep: {took:.2f} s ({what})", end="")
    try:
        from selectolax.lexbor import LexborHTMLParser

        print(f"; the HTML parser alone on it: {_timed(lambda: LexborHTMLParser(page))[0]:.2f} s")
    except ImportError:
        print()
    stream = zlib.compress(b"BT /F1 12 Tf 10 10 Td (x) Tj ET\n" * 300_000)
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
           b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>"
           b"endobj\n4 0 obj<</Length " + str(len(stream)).encode() + b"/Filter/FlateDecode>>stream\n" + stream +
           b"\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n")
    took, what = _timed(lambda: pdf_text(pdf, "page.pdf", Limits(seconds=5)))
    print(f"hostile: PDF page of 300,000 text operators, 5 s limit: {took:.2f} s ({what})")
    text = (CORPUS / COMPLETE[3]).read_text(encoding="utf-8") + "\n"
    took, what = _timed(lambda: len(gd.parse(text * 200).report.parts.other or ""))
    print(f"hostile: 200 copies of a report in one text ({len(text) * 200:,} characters): {took:.2f} s "
          f"(part 6 of the first: {what} characters)")


def command_line(inputs: int, workers: int) -> None:
    """Reports/s of ``govdisclosure parse`` and ``govdisclosure audit`` as a user runs them, wall time (best of
    three runs each), and the CPU time all their processes spent a report (user + system: less noisy on a
    shared machine than the wall time)."""
    import resource
    import shutil
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i, (name, text) in enumerate(distinct_copies(texts(), inputs)):
            path = Path(folder, "in", f"{i:05d}-{name}")
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        out, db = Path(folder, "out"), Path(folder, "audit.db")

        def run(command: list[str], made: int) -> tuple[float, float]:
            """Best wall time and best CPU time of three runs of ``command`` (``made``: the files it writes)."""
            best, cpu = float("inf"), float("inf")
            for _ in range(3):
                shutil.rmtree(out, ignore_errors=True)
                db.unlink(missing_ok=True)
                used = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "govdisclosure", *command], capture_output=True,
                                      check=False)
                best = min(best, time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = min(cpu, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
                if done.returncode not in (0, 1) or (made and len(list(out.iterdir())) != made):
                    raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
            return best, cpu

        def parse(paths: list[str], jobs: int) -> tuple[float, float]:
            return run(["parse", "--from", "text", "-j", str(jobs), "-o", f"{out}/", *paths], len(paths))

        alone, alone_cpu = parse(files[:1], 1)
        print(f"command line: one file {alone * 1000:.0f} ms (the interpreter's start, the imports, one parse)")
        for jobs in sorted({1, workers}):
            took, cpu = parse(files, jobs)
            print(f"command line: parse -j {jobs}, {len(files)} files: {len(files) / took:7.0f} reports/s (wall); "
                  f"without the start: {len(files) / max(took - alone, 1e-9):7.0f} reports/s; CPU "
                  f"{(cpu - alone_cpu) / len(files) * 1000:.3f} ms a report (all processes, the start left out)")
        for jobs in sorted({1, workers}):
            took, cpu = run(["audit", "-j", str(jobs), "--db", str(db), str(Path(folder, "in"))], 0)
            print(f"command line: audit -j {jobs}, {len(files)} files: {len(files) / took:7.0f} reports/s (wall); "
                  f"CPU {cpu / len(files) * 1000:.3f} ms a report (all processes, the start included)")


def stages(rounds: int) -> None:
    """Milliseconds per report in each parser stage and in validation (best of three rounds each)."""
    from govdisclosure.ingest import PIPELINE, State
    from govdisclosure.ingest.budget import Budget

    registry = gd.Registry.default()
    items = [t for _, t in texts()]
    items = (items * (rounds // len(items) + 1))[:rounds]
    best: dict[str, float] = {}
    for _ in range(3):
        spent = dict.fromkeys([name for name, _ in PIPELINE] + ["validate structural", "validate all"], 0.0)
        for text in items:
            forget()
            state = State(registry=registry, source="<text>", budget=Budget(len(text)), data=text)
            for name, stage in PIPELINE:
                start = time.process_time()
                state = stage(state)
                spent[name] += time.process_time() - start
            report = state.report
            start = time.process_time()
            gd.validate(report, registry=registry, **_scope("structural"))
            spent["validate structural"] += time.process_time() - start
            start = time.process_time()
            gd.validate(report, registry=registry)
            spent["validate all"] += time.process_time() - start
        for name, seconds in spent.items():
            best[name] = min(best.get(name, float("inf")), seconds / len(items) * 1000)
    parse = sum(v for k, v in best.items() if not k.startswith("validate"))
    for name, ms in best.items():
        print(f"stage {name:20s} {ms:6.3f} ms")
    print(f"stage {'parse (sum)':20s} {parse:6.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=2000, help="inputs for the pooled runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--round", type=int, default=140, help="inputs per single-process round")
    parser.add_argument("--before", metavar="PYTHON", help="an older installation's interpreter, measured alike")
    parser.add_argument("--hostile", action="store_true", help="also time the review's hostile inputs")
    parser.add_argument("--stages", action="store_true", help="only the milliseconds per stage, then stop")
    parser.add_argument("--cli", action="store_true", help="only `govdisclosure parse` as a user runs it, then stop")
    args = parser.parse_args()
    print(f"parser: {build()}")
    if args.stages:
        stages(args.round)
        return
    if args.cli:
        command_line(args.inputs, args.workers)
        return
    text_items = [("text", t) for _, t in texts()]
    page_items = [("html", t) for _, t in pages()]
    jsons = [gd.dump(gd.parse(t).report) for _, t in text_items]
    start = time.process_time()
    for i in range(args.round):
        gd.validate(gd.loads(jsons[i % len(jsons)]))
    baseline = args.round / (time.process_time() - start)
    print(f"cores: {multiprocessing.cpu_count()}; one process: best of 3 rounds of {args.round} inputs (CPU time)")
    old = before(args.before, args.round) if args.before else {}
    for label, items in (("text", text_items), ("html", page_items)):
        for mode in ("parse", "structural", "all"):
            batch = [(kind, mode, t) for kind, t in (items * (args.round // len(items) + 1))[:args.round]]
            now = rate(batch)
            # the older parser's validate ran the structural rules only (no document rules yet)
            was = old.get(f"{label} {'all' if mode == 'structural' else mode}") if mode != "all" else None
            versus = f"; before {was:5.0f} reports/s ({now / was:.1f}x)" if was else ""
            print(f"{label:4s} {mode:10s} 1 process : {now:7.0f} reports/s{versus}")
    for mode in ("parse", "structural"):
        one, each = rate_each([t for _, t in text_items], mode, max(1, args.round // len(text_items)))
        print(f"text {mode:10s} 1 process, {len(text_items)} inputs at a time: one after another {one:7.0f} "
              f"reports/s; stage by stage (parse_each) {each:7.0f} reports/s ({each / one:.2f}x)")
    for mode in ("structural", "all"):
        batch = [("text", mode, str(CORPUS / name)) for name in (COMPLETE * (args.inputs // len(COMPLETE) + 1))
                 [:args.inputs]]
        per_second, memory = pooled(batch, args.workers)
        print(f"text {mode:10s} {args.workers} processes: {per_second:7.0f} reports/s (wall); "
              f"worker max RSS per 1000 inputs (KB): {memory}")
    with_prov, without = provenance_size()
    print(f"provenance: parsed reports pickle to {with_prov} bytes, {without} without provenance "
          f"({with_prov / without:.2f}x)")
    print(f"baseline, canonical JSON load + validate (all rules), 1 process: {baseline:7.0f} reports/s")
    worker, here = pdf_seconds()
    print(f"pdf: {worker:.2f} s per corpus PDF in a worker process, {here:.2f} s in this process "
          f"({worker / here:.2f}x)")
    if args.hostile:
        hostile()


if __name__ == "__main__":
    main()
