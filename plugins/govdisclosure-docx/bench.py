"""Word reports per second: render and read back 1,000 reports as .docx, against python-docx's own API.

    pip install ./plugins/govdisclosure-docx && python plugins/govdisclosure-docx/bench.py [--reports 1000]

- render: ``govdisclosure.render_bytes(report, "docx")``;
- read back: ``govdisclosure.loads(docx)`` (cells from the grid, narrative by paragraph, envelope from the
  document property), and the same documents without their envelope property, read as published Word
  files are (the title, agency and dates then come from core's parser over the document's text);
- baseline: the same document built with python-docx's public API (``add_paragraph``, ``add_table``,
  ``cell.merge``, ``cell.text``) and read back with it (every table cell's text): what a careful
  hand-written plugin would cost.  Measured on a sample (it is slow), as reports/s.

Figures go to the closing note; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import io
import random
import time
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import docx
import govdisclosure as gd
from govdisclosure.io.layout import table_layout
from govdisclosure.testing import balanced_data

from govdisclosure_docx.grid import place


def baseline_render(report: gd.Report) -> bytes:
    """The report in the same layout through python-docx's public API."""
    doc = docx.Document()
    doc.add_paragraph(report.title or "")
    values = dict(report.cells())
    for part in report.spec.parts:
        doc.add_paragraph(part.heading.zh)
        if not part.is_table:
            for line in (getattr(report.parts, part.id) or "").split("\n"):
                doc.add_paragraph(line)
            continue
        table = place(table_layout(report.spec, part.id))
        grid = doc.add_table(rows=len(table.rows), cols=table.columns)
        for row in table.rows:
            for p in row:
                slot = p.slot
                cell = grid.cell(p.row, p.col)
                if slot.rowspan > 1 or slot.colspan > 1:
                    cell = cell.merge(grid.cell(p.row + slot.rowspan - 1, p.col + slot.colspan - 1))
                if slot.kind == "value":
                    assert slot.cell is not None
                    value = values[slot.cell]
                    cell.text = "" if value is None else str(value)
                else:
                    cell.text = slot.label.zh if slot.label else ""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def baseline_read(data: bytes) -> list[list[str]]:
    doc = docx.Document(io.BytesIO(data))
    return [[c.text for row in t.rows for c in row.cells] for t in doc.tables]


def without_envelope(data: bytes) -> bytes:
    """The document as another tool would have saved it: no govdisclosure property."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name != "docProps/custom.xml":
                dst.writestr(name, src.read(name))
    return out.getvalue()


def rate(fn: Callable[[Any], Any], items: Sequence[Any]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100, help="reports for the slow rows (baseline, published)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    reg = gd.Registry.default()
    specs = [reg.format(v) for v in reg.formats]
    reports = [gd.from_data(balanced_data(specs[i % 2], rng.randint), registry=reg) for i in range(args.reports)]
    sample = reports[: args.sample]
    for r in reports[:10]:  # warm the per-format caches
        gd.loads(gd.render_bytes(r, "docx"), source="warm.docx")
    rendered: list[bytes] = []
    render_rate = rate(lambda r: rendered.append(gd.render_bytes(r, "docx")), reports)
    read_rate = rate(lambda b: gd.loads(b, source="r.docx"), rendered)
    published = [without_envelope(b) for b in rendered[: args.sample]]
    published_rate = rate(lambda b: gd.loads(b, source="r.docx"), published)
    base_docs: list[bytes] = []
    base_render = rate(lambda r: base_docs.append(baseline_render(r)), sample)
    base_read = rate(baseline_read, base_docs)
    size = sum(map(len, rendered)) / len(rendered)
    print(f"reports: {len(reports)} (seed {args.seed}; both formats), sample {len(sample)}; "
          f"{size / 1024:.0f} KiB a file")
    print(f"{'render docx':44s} {render_rate:8.0f} reports/s   {render_rate / base_render:5.1f}x the baseline")
    print(f"{'read back (own document)':44s} {read_rate:8.0f} reports/s   {read_rate / base_read:5.1f}x the baseline")
    print(f"{'read back as published (parser for envelope)':44s} {published_rate:8.0f} reports/s")
    print(f"{'render + read back':44s} {1 / (1 / render_rate + 1 / read_rate):8.0f} reports/s")
    print(f"{'baseline: python-docx API, render':44s} {base_render:8.0f} reports/s")
    print(f"{'baseline: python-docx API, read cells':44s} {base_read:8.0f} reports/s")


if __name__ == "__main__":
    main()
