"""Office files: reports rendered to a workbook and read back, per second.

    python bench/bench_office.py [--reports 1000] [--seed 0]

Needs the plugins installed (``pip install ./plugins/govdisclosure-xlsx``).  The reports are
balanced reports of both official formats made as the property tests make them
(``govdisclosure.testing.balanced_data``), so every derivable total is written as a live formula
and recomputed on reading (the workbook was never opened by Excel).  Prints reports/s for
rendering, for reading back, and for the two together, with the baseline of the same reports
through canonical JSON (``dump`` + ``loads``) in the same run; checks every report read back
equal to the one rendered (a round trip that lost data would not be a speed).  Nothing here is
asserted.  ``bench_docx`` does the same for Word files (``pip install ./plugins/govdisclosure-docx``),
and reads them once more as published Word files are read (without the envelope property).
"""

from __future__ import annotations

import argparse
import io
import random
import time
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import govdisclosure as gd
from govdisclosure.testing import balanced_data


def make_reports(n: int, seed: int) -> list[gd.Report]:
    registry = gd.Registry.default()
    rnd = random.Random(seed)
    specs = [registry.format(v) for v in registry.formats]
    return [gd.from_data(balanced_data(specs[i % len(specs)], rnd.randint), registry=registry) for i in range(n)]


def timed(label: str, n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once; print and return its seconds (and its result).  CPU seconds are printed
    too: on a shared machine they say more than the wall clock."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label:<24} {n / elapsed:9.1f} reports/s   ({elapsed:.2f} s; CPU {cpu:.2f} s = {n / cpu:.1f} reports/s)")
    return elapsed, out


def round_trip(name: str, reports: Sequence[gd.Report], render: Callable[[gd.Report], Any],
               read: Callable[[Any], gd.Report]) -> None:
    n = len(reports)
    print(name)
    t_render, outputs = timed("render", n, lambda: [render(r) for r in reports])
    t_read, back = timed("read back", n, lambda: [read(o) for o in outputs])
    print(f"  {'render + read back':<24} {n / (t_render + t_read):9.1f} reports/s")
    unequal = sum(1 for a, b in zip(reports, back, strict=True) if a != b)
    size = sum(len(o) for o in outputs) / n / 1024
    print(f"  {size:.1f} KiB per report on average; read back unequal: {unequal}")


def bench_json(reports: Sequence[gd.Report]) -> None:
    round_trip("json (baseline)", reports, gd.dump, lambda t: gd.loads(t, source="r.json"))


def bench_xlsx(reports: Sequence[gd.Report]) -> None:
    registry = gd.Registry.default()
    if "xlsx" not in registry.renderers:
        print("xlsx: not installed (pip install ./plugins/govdisclosure-xlsx)")
        return
    round_trip("xlsx", reports, lambda r: gd.render_bytes(r, "xlsx", registry=registry),
               lambda b: gd.loads(b, source="r.xlsx", registry=registry))


def _without_envelope(data: bytes) -> bytes:
    """A Word file as another tool saves it: no govdisclosure document property."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name != "docProps/custom.xml":
                dst.writestr(name, src.read(name))
    return out.getvalue()


def bench_docx(reports: Sequence[gd.Report]) -> None:
    """The report in the official Word template's layout, read back by its cells and paragraphs; then the
    same files without the envelope property, read as published Word reports are (the title, agency and
    dates from core's parser over the document's text; the cells and narrative from the document)."""
    registry = gd.Registry.default()
    if "docx" not in registry.renderers:
        print("docx: not installed (pip install ./plugins/govdisclosure-docx)")
        return
    round_trip("docx", reports, lambda r: gd.render_bytes(r, "docx", registry=registry),
               lambda b: gd.loads(b, source="r.docx", registry=registry))
    published = [_without_envelope(gd.render_bytes(r, "docx", registry=registry)) for r in reports]
    _, back = timed("read back as published", len(published),
                    lambda: [gd.loads(b, source="r.docx", registry=registry) for b in published])
    cells = sum(1 for a, b in zip(reports, back, strict=True) if (a.spec, a.values()) == (b.spec, b.values()))
    print(f"  as published: every cell equal in {cells} of {len(reports)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    reports = make_reports(args.reports, args.seed)
    print(f"{len(reports)} balanced reports (formats {', '.join(sorted({r.format_version for r in reports}))})")
    bench_json(reports)
    bench_xlsx(reports)
    bench_docx(reports)


if __name__ == "__main__":
    main()
