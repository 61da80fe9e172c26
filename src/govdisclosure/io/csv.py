"""CSV: tidy (one line per cell, the canonical ids of tables.md) and wide (one line per report).

Tidy CSV carries the whole report and reads back exactly: cells as ``table,row,column,value``
(an empty value is a blank cell), the envelope as ``meta`` lines, the narrative as ``parts``
lines and provenance as ``provenance`` lines (a missing field has no line; an empty string has
a line with an empty value).  ``bom=True`` starts the file with a byte-order mark so that Excel
opens the Chinese correctly.  Wide CSV puts many reports side by side for a spreadsheet.

Every CSV is meant for a spreadsheet, so a text that one would run as a formula is written with a
``'`` before it (:func:`neutralise`; OWASP's advice on CSV injection) and the reader takes it off
again: the round trip stays exact.  A repeated cell or field is refused, not resolved by the last.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import LoadError, problem
from ..formats.spec import CellKind, FormatSpec, escape_pointer
from ..labels import Label
from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
from ..plugins import hookimpl
from . import Loader, Renderer, RenderOptions
from .envelope import cell_text, from_text, meta_fields, part_fields, provenance_fields, put, to_text, with_required
from .html import cell_value, spec_for
from .marks import unit_fixed
from .source import LIMITS, Positions, check_size, structure

if TYPE_CHECKING:
    import csv

    from ..model import Report
    from ..registry import Registry

HEADER = ("table", "row", "column", "value", "row_label", "column_label")
BOM = "\ufeff"


def _writer(buf: io.StringIO) -> Any:
    import csv  # a CSV's writing or reading only: every registry imports this plugin, few use it

    return csv.writer(buf, lineterminator="\r\n")


#: what makes a spreadsheet take a field for a formula (OWASP's list), and the quote that marks a neutralised one
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


def neutralise(text: str) -> str:
    """A text that a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3``) with a ``'``
    before it, as OWASP recommends; a signed number stays a number.  A text starting with ``'`` gets one
    more, so that :func:`restore` gives back every text exactly."""
    if text.startswith(QUOTE) or (text.startswith(_FORMULA) and not _PLAIN_NUMBER.match(text)):
        return QUOTE + text
    return text


def restore(field: str) -> str:
    """The text :func:`neutralise` was given."""
    return field[1:] if field.startswith(QUOTE) else field


def render_tidy(report: Report, /, **options: Any) -> str:
    bom = RenderOptions.of(options).bom
    buf = io.StringIO()
    w = _writer(buf)
    w.writerow(HEADER)
    w.writerow(("meta", "", "format_version", neutralise(report.format_version), "", FORMAT_VERSION_DOC.zh))
    if report.variant is not None:
        w.writerow(("meta", "", "variant", neutralise(report.variant), "", VARIANT_DOC.zh))
    for f in meta_fields():
        value = f.get(report)
        if value is not None:
            w.writerow(("meta", "", f.key, neutralise(to_text(value)), "", f.label.zh))
    for f in part_fields(report.spec):
        value = f.get(report)
        if value is not None:
            w.writerow(("parts", "", f.path[1], neutralise(value), "", f.label.zh))
    for (cell, value), row_label in zip(report.cells(), _row_labels(report.spec), strict=True):
        w.writerow((cell.table.id, cell.row_id, cell.column.id, cell_text(value), row_label, cell.column.label.zh))
    for pointer, prov in report.provenance.items():
        for f in provenance_fields():
            value = f.get(prov)
            if value is not None:
                w.writerow(("provenance", pointer, f.key, neutralise(to_text(value)), "", f.label.zh))
    return (BOM if bom else "") + buf.getvalue()


@functools.cache
def _row_labels(spec: FormatSpec) -> tuple[str, ...]:
    """Each cell's row as the form groups it (``（三）不予公开 › 1.属于国家秘密``), as the audit store's ``cell_specs``
    has it: ``3.其他`` alone would not say which group. Read by no reader (the ids are the cell's place); once
    per format, in the order of ``report.cells()``."""
    return tuple(" › ".join([*(g.zh for g in cell.group_labels), cell.row.label.zh]) for cell in spec.cells())


def _wide_columns(reports: Sequence[Report]) -> list[tuple[str, Any]]:
    columns: dict[str, Any] = {"format_version": None, "variant": None}
    for f in meta_fields():
        columns[f.key] = f
    for r in reports:
        for cell in r.spec.cells():
            name = cell.pointer[1:].replace("/", ".")
            columns.setdefault(name, cell.pointer)
            if cell.column.kind is CellKind.AMOUNT and not unit_fixed(cell):  # 元 or 万元, as published
                columns.setdefault(name + UNIT_SUFFIX, _Unit(cell.pointer))
    return list(columns.items())


#: the column after an amount whose unit the form does not fix: the unit the report printed (empty: not printed)
UNIT_SUFFIX = ".unit"


@attrs.frozen
class _Unit:
    pointer: str


def render_wide(reports: Sequence[Report], /, **options: Any) -> str:
    """One line per report, one column per field and cell (the union over the reports' formats); after an amount
    whose unit the form does not fix (2019's 采购总金额), a ``….unit`` column with the unit the report printed
    (元, 万元; empty when the cell printed none): the amounts of one column are not all in one unit."""
    bom = RenderOptions.of(options).bom
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
            elif isinstance(what, _Unit):
                prov = r.provenance.get(what.pointer)
                value = prov.unit if prov is not None and what.pointer in pointers else None
            else:
                value = what.get(r)
            # a text neutralised, a cell's number as it is
            text = "" if value is None else to_text(value)
            row.append(text if isinstance(what, str) else neutralise(text))
        w.writerow(row)
    return (BOM if bom else "") + buf.getvalue()


def _render_wide_one(report: Report, /, **options: Any) -> str:
    return render_wide([report], **options)


def read_tidy(text: str, source: str, registry: Registry) -> Report:
    """A report from tidy CSV written by :func:`render_tidy`; every problem located by its line."""
    data, positions = _tidy_data(text, source, registry)
    return structure(with_required(data), source, registry, positions)


#: what the csv module says, in Chinese
_CSV_WORDS = {"line contains NUL": "含有 NUL 字符",
              "new-line character seen in unquoted field": "未加引号的字段中有换行",
              "field larger than field limit": "字段超过长度上限"}


def _csv_error(exc: csv.Error, line: int, source: str) -> LoadError:
    en = str(exc)
    zh = _CSV_WORDS.get(en.split(" (")[0], f"（{en}）")
    return LoadError([problem("GD-LOAD-SYNTAX", "", Label(f"CSV 语法错误：{zh}", f"invalid CSV: {en}"), line=line)],
                     source)


def _rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """(line where it starts, fields) of every row; a field may be as long as the input."""
    import csv

    if csv.field_size_limit() < LIMITS.data_chars:  # the module's default (128 KB) is shorter than a long narrative
        csv.field_size_limit(LIMITS.data_chars)
    reader = csv.reader(io.StringIO(text.removeprefix(BOM), newline=""))
    end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _csv_error(exc, end + 1, source) from None
        yield end + 1, row
        end = reader.line_num


def _put_once(data: dict[str, Any], positions: dict[str, tuple[int, int | None]], pointer: str, value: Any,
              line: int, source: str) -> None:
    if pointer in positions:  # one value per place: a second would silently replace the first
        first = positions[pointer][0]
        raise LoadError([problem("GD-LOAD-SYNTAX", pointer, Label(
            f"重复：第 {first} 行已给出此项", f"repeated: line {first} gives it already"), line=line)], source)
    positions[pointer] = (line, None)
    put(data, tuple(k.replace("~1", "/").replace("~0", "~") for k in pointer[1:].split("/")), value)


def _tidy_data(text: str, source: str, registry: Registry) -> tuple[dict[str, Any], Positions]:
    check_size(text, source)
    rows = _rows(text, source)
    first = next(rows, None)
    if first is not None and tuple(first[1][:2]) == ("format_version", "variant"):  # what csv-wide writes
        raise LoadError([problem("GD-LOAD-INPUT", "", Label(
            "这是 csv-wide（每份报告一行，供电子表格汇总），只写不读：请读取 json、yaml 或 csv（每格一行）",
            "this is csv-wide (one line per report, for a spreadsheet), written only: read json, yaml or "
            "csv (one line per cell)"), line=1)], source)
    if first is None or tuple(first[1][:4]) != HEADER[:4]:
        raise LoadError([problem("GD-LOAD-INPUT", "", Label(
            f"表头应为 {','.join(HEADER)}", f"a header line {','.join(HEADER)}"), line=1)], source)
    data: dict[str, Any] = {}
    positions: dict[str, tuple[int, int | None]] = {}
    meta = {f.key: f for f in meta_fields()}
    prov_fields = {f.key: f for f in provenance_fields()}
    cells: list[tuple[int, str, str]] = []
    for line, row in rows:
        if len(row) < 4:
            raise LoadError([problem("GD-LOAD-INPUT", "", Label("至少 4 列：table,row,column,value",
                                                                "at least 4 fields: table,row,column,value"),
                                     line=line)], source)
        table, row_id, column, value = row[:4]
        if table == "meta":
            text_value = restore(value)
            pointer = "/" + "/".join(escape_pointer(k) for k in column.split("."))
            value = from_text(meta[column], text_value) if column in meta else text_value
            _put_once(data, positions, pointer, value, line, source)
        elif table == "parts":
            _put_once(data, positions, f"/parts/{escape_pointer(column)}", restore(value), line, source)
        elif table == "provenance":
            field = prov_fields.get(column)
            _put_once(data, positions, f"/provenance/{escape_pointer(row_id)}/{escape_pointer(column)}",
                      from_text(field, restore(value)) if field else restore(value), line, source)
        else:
            cells.append((line, "/" + "/".join(escape_pointer(k) for k in (table, *row_id.split("."), column)), value))
    spec = spec_for(registry, data.get("format_version"), data.get("variant"))
    for line, pointer, value in cells:
        _put_once(data, positions, pointer, cell_value(spec, pointer, value), line, source)
    return data, positions


def _sniff(text: str) -> bool:
    return text.lstrip(BOM).startswith(",".join(HEADER[:4]))


@hookimpl
def register_renderers() -> list[Renderer]:
    return [
        Renderer("csv", Label("CSV（整洁格式，每格一行）", "tidy CSV, one line per cell"), ".csv", "text/csv",
                 render_tidy),
        Renderer("csv-wide", Label("CSV（宽格式，每份报告一行）", "wide CSV, one line per report"), ".csv", "text/csv",
                 _render_wide_one, render_many=render_wide),
    ]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("csv", Label("整洁 CSV", "tidy CSV"), (".csv",), read_tidy, sniff=_sniff, priority=5)]
