"""The copying rules over many generated reports with planted copies; and what the document rules cost `validate`.

    python bench/bench_copying.py [--reports 10000] [--seed 1] [--validate 600]

(1) GD-M-DUP-PEER over one run of ``--reports`` reports (one ``validate_batch``): generated part-1 and
    part-5 texts (sentences of random phrases, so that independent reports share nothing by chance, plus
    boilerplate sentences that half the reports print), with planted copies of another agency's report:
    word for word, with the years moved to the next year, with one sentence changed; and, as controls
    that must NOT be found, half-copies (half the sentences).  Time, peak traced memory, recall and
    precision of the planted pairs.
(2) GD-M-DUP-PREV over as many (report, last year's report) pairs of one agency: a fifth copied with
    the years swapped (half of those with one sentence changed), a twentieth half-copied (controls).
(3) ``validate`` (load + every rule) on the corpus's published reports as parsed, each given a text of
    its own (no copies), and on bench_validate.py's documents: with every core plugin, and with the
    document rules blocked.  The ratio is the cost of the document rules.

Figures go to the closing note; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

import govdisclosure as gd
from govdisclosure.model.convert import to_data
from govdisclosure.rules.document import CHECKS

ROOT = Path(__file__).resolve().parent.parent
CODES = tuple(c.code for c in CHECKS)
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
BOILERPLATE = [
    "本报告根据中华人民共和国政府信息公开条例要求编制",
    "如对本报告有疑问请与本机关办公室联系",
    "全年未发生因政府信息公开引发的行政复议和行政诉讼",
    "下一步将继续深入贯彻落实条例各项要求",
    "坚持以公开为常态不公开为例外的原则",
    "认真做好政府信息公开保密审查工作",
]


@attrs.frozen
class Text:
    overview: list[str]
    problems: list[str]


def _phrase(rng: random.Random) -> str:
    return "".join(rng.choice(CJK) for _ in range(rng.randint(2, 4)))


def make_text(rng: random.Random, year: int, region: str) -> Text:
    def sentence() -> str:
        words = [_phrase(rng) for _ in range(rng.randint(3, 6))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), f"{year}年")
        if rng.random() < 0.3:
            words.append(f"{rng.randint(1, 999)}件")
        return "，".join(words)

    overview = [f"{year}年，{region}{_phrase(rng)}认真贯彻落实条例"] + [sentence() for _ in range(rng.randint(12, 25))]
    overview += [b for b in BOILERPLATE if rng.random() < 0.5]
    problems = [sentence() for _ in range(rng.randint(5, 10))]
    return Text(overview, problems)


def shift_years(text: Text, by: int) -> Text:
    def move(s: str) -> str:
        for y in range(2030, 2015, -1) if by > 0 else range(2015, 2031):
            s = s.replace(f"{y}年", f"{y + by}年")
        return s
    return Text([move(s) for s in text.overview], [move(s) for s in text.problems])


def change_one(text: Text, rng: random.Random) -> Text:
    overview = list(text.overview)
    overview[rng.randrange(1, len(overview))] = "，".join(_phrase(rng) for _ in range(5))
    return Text(overview, list(text.problems))


def half_copy(text: Text, rng: random.Random, year: int, region: str) -> Text:
    fresh = make_text(rng, year, region)
    overview = [s if i % 2 else fresh.overview[i % len(fresh.overview)] for i, s in enumerate(text.overview)]
    problems = [s if i % 2 else fresh.problems[i % len(fresh.problems)] for i, s in enumerate(text.problems)]
    return Text(overview, problems)


def report(base: dict[int, gd.Report], year: int, name: str, text: Text) -> gd.Report:
    r = base[year]
    return attrs.evolve(r, agency=attrs.evolve(r.agency, name=name, level="county_department"),
                        parts=attrs.evolve(r.parts, overview="。".join(text.overview) + "。",
                                           problems="。".join(text.problems) + "。"))


def _bases() -> dict[int, gd.Report]:
    return {y: gd.new_report(y) for y in range(2019, 2027)}


def _names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    counties = [f"{_phrase(rng)}县" for _ in range(max(50, n // 20))]
    out = []
    for i in range(n):
        county = counties[i % len(counties)]
        out.append((f"{county}{_phrase(rng)}局{i}", county))
    return out


def peer_run(n: int, seed: int) -> tuple[list[gd.Report], set[tuple[int, int]], set[tuple[int, int]], dict[str, int]]:
    """Reports of one run; the planted pairs to find; the control pairs not to find."""
    rng = random.Random(seed)
    base = _bases()
    names = _names(rng, n)
    planted_n = {"exact": n // 50, "years moved": n // 50, "one sentence changed": n // 50}
    controls_n = n // 100
    originals = n - sum(planted_n.values()) - controls_n
    texts: list[tuple[int, Text]] = []
    for i in range(originals):
        year = rng.choice((2021, 2022, 2023, 2024))
        texts.append((year, make_text(rng, year, names[i][1])))
    planted: set[tuple[int, int]] = set()
    controls: set[tuple[int, int]] = set()
    for kind, count in planted_n.items():
        for _ in range(count):
            src = rng.randrange(originals)
            year, text = texts[src]
            if kind == "years moved":
                year, text = year + 1, shift_years(text, 1)
            elif kind == "one sentence changed":
                text = change_one(text, rng)
            planted.add((src, len(texts)))
            texts.append((year, text))
    for _ in range(controls_n):
        src = rng.randrange(originals)
        year, text = texts[src]
        controls.add((src, len(texts)))
        texts.append((year, half_copy(text, rng, year, names[len(texts)][1])))
    reports = [report(base, year, names[i][0], text) for i, (year, text) in enumerate(texts)]
    return reports, planted, controls, planted_n


def series_pairs(n: int, seed: int) -> tuple[list[tuple[gd.Report, gd.Report]], set[int], set[int]]:
    rng = random.Random(seed + 1)
    base = _bases()
    names = _names(rng, n)
    pairs, planted, controls = [], set(), set()
    for i in range(n):
        name, county = names[i]
        year = rng.choice((2022, 2023, 2024))
        prev = make_text(rng, year - 1, county)
        roll = rng.random()
        if roll < 0.2:
            this = shift_years(prev, 1)
            if roll < 0.1:
                this = change_one(this, rng)
            planted.add(i)
        elif roll < 0.25:
            this = half_copy(shift_years(prev, 1), rng, year, county)
            controls.add(i)
        else:
            this = make_text(rng, year, county)
        pairs.append((report(base, year, name, this), report(base, year - 1, name, prev)))
    return pairs, planted, controls


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def traced_peak(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def bench_peers(n: int, seed: int) -> None:
    build, (reports, planted, controls, kinds) = timed(lambda: peer_run(n, seed))
    run = lambda: gd.validate_batch(reports, select=["GD-M-DUP-PEER"])  # noqa: E731
    seconds, found = timed(run)
    pairs = {tuple(sorted((i, f.params["other"]))) for i, fs in enumerate(found) for f in fs
             if "share" in f.params}
    names = sum(1 for fs in found for f in fs if "name" in f.params)
    hit = {p for p in planted if tuple(sorted(p)) in pairs}
    wrong = {p for p in pairs if p not in {tuple(sorted(q)) for q in planted}}
    false_controls = {p for p in controls if tuple(sorted(p)) in pairs}
    peak = traced_peak(run)
    print(f"(1) GD-M-DUP-PEER, one run of {len(reports)} reports (built in {build:.1f} s)")
    print(f"    planted pairs: {len(planted)} ({', '.join(f'{k} {v}' for k, v in kinds.items())}); "
          f"half-copy controls: {len(controls)}")
    print(f"    time {seconds:.1f} s ({len(reports) / seconds:.0f} reports/s); peak traced memory {peak:.0f} MB")
    print(f"    recall {len(hit) / len(planted):.3f} ({len(hit)}/{len(planted)}); precision "
          f"{(len(pairs) - len(wrong)) / len(pairs) if pairs else 1:.3f} ({len(pairs) - len(wrong)}/{len(pairs)}); "
          f"controls found {len(false_controls)}; region-name findings {names}")


def bench_series(n: int, seed: int) -> None:
    pairs, planted, controls = series_pairs(n, seed)
    seconds, found = timed(lambda: [gd.validate(a, b, select=["GD-M-DUP-PREV"]) for a, b in pairs])
    flagged = {i for i, fs in enumerate(found) if fs}
    print(f"(2) GD-M-DUP-PREV over {n} (report, previous) pairs: {len(planted)} copied with the years swapped "
          f"(half with a sentence changed), {len(controls)} half-copies")
    print(f"    time {seconds:.1f} s ({n / seconds:.0f} pairs/s); recall {len(flagged & planted) / len(planted):.3f}; "
          f"precision {len(flagged & planted) / len(flagged) if flagged else 1:.3f}; controls flagged "
          f"{len(flagged & controls)}")


def corpus_reports() -> list[dict[str, Any]]:
    """The published reports of the corpus as the parser reads them (canonical data)."""
    from govdisclosure.api import parse

    out = []
    for path in sorted((ROOT / "tests" / "data" / "corpus" / "reports").glob("0*")):
        data = to_data(parse(path).report)
        if data["parts"].get("overview"):
            out.append(data)
    return out


def bench_validate(n: int, seed: int) -> None:
    rng = random.Random(seed)
    corpus = corpus_reports()
    with_document = gd.Registry.of()
    without = gd.Registry.of(block=("core-document",))

    def documents(rep: int) -> list[dict[str, Any]]:
        # each report's own text (no cache of one report's text serves another): a last line of its own
        docs = []
        for i in range(n):
            doc = dict(corpus[i % len(corpus)])
            doc["parts"] = {k: f"{v}\n{_phrase(rng)}{rep}-{i}。" if v else v for k, v in doc["parts"].items()}
            docs.append(doc)
        return docs

    def run(registry: gd.Registry, docs: list[dict[str, Any]]) -> int:
        return sum(len(gd.validate(gd.from_data(doc, registry=registry), registry=registry)) for doc in docs)

    run(with_document, documents(-1)), run(without, documents(-1))  # warm the per-format caches
    best: dict[str, float] = {}
    for rep in range(5):  # interleaved, best of five, CPU time of this process (the machine is shared)
        docs = documents(rep)
        for label, registry in (("all", with_document), ("without", without)):
            start = time.process_time()
            run(registry, docs)
            best[label] = min(best.get(label, float("inf")), time.process_time() - start)
    found = sum(1 for doc in documents(99)[:len(corpus)] for f in gd.validate(gd.from_data(doc))
                if f.code.startswith(CODES))
    print(f"(3) validate (load + every rule) on {n} reports: the corpus's {len(corpus)} published reports as parsed, "
          f"each with a text of its own (no copies; {found / len(corpus):.1f} document findings a report):")
    print(f"    every core plugin: {n / best['all']:.0f} reports/s; document rules blocked: "
          f"{n / best['without']:.0f} reports/s; ratio {best['all'] / best['without']:.2f}x (CPU time)")
    # and on bench_validate.py's documents (balanced tables, random short texts)
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_validate import make_documents

    docs = make_documents(n, seed)
    for _ in range(3):
        for label, registry in (("all", with_document), ("without", without)):
            start = time.process_time()
            run(registry, docs)
            best["bv-" + label] = min(best.get("bv-" + label, float("inf")), time.process_time() - start)
    print(f"    bench_validate.py's documents: {n / best['bv-all']:.0f} against {n / best['bv-without']:.0f} "
          f"reports/s; ratio {best['bv-all'] / best['bv-without']:.2f}x (CPU time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--validate", type=int, default=600)
    args = parser.parse_args()
    bench_peers(args.reports, args.seed)
    bench_series(args.reports, args.seed)
    bench_validate(args.validate, args.seed)


if __name__ == "__main__":
    main()
