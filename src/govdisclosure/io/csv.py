"""CSV: tidy (one line per cell, the canonical ids of tables.md) and wide (one line per report).

Tidy CSV carries the whole report and reads back exactly: cells as ``table,row,column,value``
(an empty value is a blank cell), the envelope as ``meta`` lines, the narrative as ``parts``
lines and provenance as ``provenance`` lines (a missing field has no line; an empty string has
a line with an empty value).  ``bom=True`` starts the file with a byte-order mark so that Excel
opens the Chinese correctly.  Wide CSV puts many reports side by side for a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import LoadError, problem
from ..labels import Label
from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
from ..plugins import hookimpl
from . import Loader, Renderer, RenderOptions
from .envelope import from_text, meta_fields, part_fields, provenance_fields, put, to_text
from .html import cell_value, spec_for

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

HEADER = ("table", "row", "column", "value", "row_label", "column_label")
BOM = "\ufeff"


def _writer(buf: io.StringIO) -> Any:
    return csv.writer(buf, lineterminator="\r\n")


def render_tidy(report: Report, /, **options: Any) -> str:
    bom = RenderOptions.of(options).bom
    buf = io.StringIO()
    w = _writer(buf)
    w.writerow(HEADER)
    w.writerow(("meta", "", "format_version", report.format_version, "", FORMAT_VERSION_DOC.zh))
    if report.variant is not None:
        w.writerow(("meta", "", "variant", report.variant, "", VARIANT_DOC.zh))
    for f in meta_fields():
        value = f.get(report)
        if value is not None:
            w.writerow(("meta", "", f.key, to_text(value), "", f.label.zh))
    for f in part_fields(report.spec):
        value = f.get(report)
        if value is not None:
            w.writerow(("parts", "", f.path[1], value, "", f.label.zh))
    for cell, value in report.cells():
        w.writerow((cell.table.id, cell.row_id, cell.column.id, "" if value is None else str(value),
                    cell.row.label.zh, cell.column.label.zh))
    for pointer, prov in report.provenance.items():
        for f in provenance_fields():
            value = f.get(prov)
            if value is not None:
                w.writerow(("provenance", pointer, f.key, to_text(value), "", f.label.zh))
    return (BOM if bom else "") + buf.getvalue()


def _wide_columns(reports: Sequence[Report]) -> list[tuple[str, Any]]:
    columns: dict[str, Any] = {"format_version": None, "variant": None}
    for f in meta_fields():
        columns[f.key] = f
    for r in reports:
        for cell in r.spec.cells():
            columns.setdefault(cell.pointer[1:].replace("/", "."), cell.pointer)
    return list(columns.items())


def render_wide(reports: Sequence[Report], /, **options: Any) -> str:
    bom = RenderOptions.of(options).bom
    """One line per report, one column per field and cell (the union over the reports' formats)."""
    columns = _wide_columns(reports)
    buf = io.StringIO()
    w = _writer(buf)
    w.writerow([name for name, _ in columns])
    for r in reports:
        row = []
        pointers = {c.pointer for c in r.spec.cells()}
        for name, what in columns:
            if name == "format_version":
                value: Any = r.format_version
            elif name == "variant":
                value = r.variant
            elif isinstance(what, str):
                value = r.cell(what) if what in pointers else None
            else:
                value = what.get(r)
            row.append("" if value is None else to_text(value))
        w.writerow(row)
    return (BOM if bom else "") + buf.getvalue()


def read_tidy(text: str, source: str, registry: Registry) -> dict[str, Any]:
    """Canonical data from tidy CSV written by :func:`render_tidy`."""
    rows = csv.reader(io.StringIO(text.lstrip(BOM), newline=""))
    header = next(rows, None)
    if header is None or tuple(header[:4]) != HEADER[:4]:
        raise LoadError([problem("GD-LOAD-INPUT", "", Label(
            f"表头应为 {','.join(HEADER)}", f"a header line {','.join(HEADER)}"), line=1)], source)
    data: dict[str, Any] = {}
    meta = {f.key: f for f in meta_fields()}
    prov_fields = {f.key: f for f in provenance_fields()}
    cells: list[tuple[int, str, str]] = []
    for number, row in enumerate(rows, 2):
        if len(row) < 4:
            raise LoadError([problem("GD-LOAD-INPUT", "", Label("至少 4 列：table,row,column,value",
                                                                "at least 4 fields: table,row,column,value"),
                                     line=number)], source)
        table, row_id, column, value = row[:4]
        if table == "meta":
            put(data, tuple(column.split(".")), from_text(meta[column], value) if column in meta else value)
        elif table == "parts":
            put(data, ("parts", column), value)
        elif table == "provenance":
            entry = data.setdefault("provenance", {}).setdefault(row_id, {})
            entry[column] = from_text(prov_fields[column], value) if column in prov_fields else value
        else:
            cells.append((number, "/" + "/".join((table, *row_id.split("."), column)), value))
    spec = spec_for(registry, data.get("format_version"), data.get("variant"))
    for _, pointer, value in cells:
        put(data, tuple(pointer.strip("/").split("/")), cell_value(spec, pointer, value))
    return data


def _sniff(text: str) -> bool:
    return text.lstrip(BOM).startswith(",".join(HEADER[:4]))


@hookimpl
def register_renderers() -> list[Renderer]:
    return [
        Renderer("csv", Label("CSV（整洁格式，每格一行）", "tidy CSV, one line per cell"), ".csv", "text/csv",
                 render_tidy),
        Renderer("csv-wide", Label("CSV（宽格式，每份报告一行）", "wide CSV, one line per report"), ".csv", "text/csv",
                 lambda report, **options: render_wide([report], **options), render_many=render_wide),
    ]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("csv", Label("整洁 CSV", "tidy CSV"), (".csv",), read_tidy, sniff=_sniff, priority=5)]
