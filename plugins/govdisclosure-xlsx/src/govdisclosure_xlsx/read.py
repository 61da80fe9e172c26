"""Reading a workbook back: every cell located by its official labels, never by position alone.

A table's sheet is found by name (表三), else as the sheet holding most of the table's row labels.
A value is the cell in the row of its row label and the column of its column label (the nearest
above it; for table 4, printed transposed, the column label under its row label and the row of
values under the lowest of them), so extra sheets, title rows, inserted rows and lost merges do
not shift anything, and a label that cannot be found is a located error, not a guess.

Formula cells are read by the value Excel or LibreOffice stored with them.  A workbook saved by
openpyxl (this plugin's own, or one a script filled in) stores none: its totals are then computed
from the declared equations exactly as the formulas would (a blank addend leaves the total blank),
and any other formula without a value is a located error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from openpyxl.utils import range_boundaries

import govdisclosure as gd
from govdisclosure.errors import UNSET, LoadError, problem
from govdisclosure.findings import Finding, Severity
from govdisclosure.formats.spec import CellKind, CellSpec, FormatSpec, Label, TableSpec
from govdisclosure.io.envelope import Field, from_text, meta_fields, part_fields, provenance_fields, put
from govdisclosure.io.layout import walk_rows
from govdisclosure.model import FORMAT_VERSION_DOC, VARIANT_DOC, Report
from govdisclosure.model.scalars import LEVEL_LABELS, Amount, Count, IsoDate, Level, Text, Year
from govdisclosure.registry import Registry

from . import plan
from .cells import read_text, ref
from .package import package_problem
from .write import CONTINUED, COVER, NOTES, PROVENANCE

Pos = tuple[int, int]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# a stored result is a non-empty <v> after the formula: openpyxl writes <v/> or, with lxml, <v></v>
_CACHED = re.compile(rb"(</f>|<f[^>]*/>)\s*<v>[^<]")
_MERGE = re.compile(rb"<mergeCell ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
_YEAR = re.compile(r"(\d{4})年")
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_DIGITS = re.compile(r"^[0-9]+$")
_AMOUNT = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")
#: characters of unread text that are said (XLSX-UNREAD-TEXT): a label or a title is shorter, a paragraph is not
UNREAD_TEXT = 200
#: cells such a finding names (then how many more)
UNREAD_SHOWN = 5


def norm(text: str) -> str:
    """A label as compared: full-width forms folded (（一） = (一)), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class _Problems:
    """Fatal problems, all collected before one LoadError names them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[Finding] = []
        self.spec: FormatSpec | None = None  #: once known: the official labels of a cell go with its problem

    def add(self, code: str, pointer: str, expected: Label, got: Any = UNSET, *, cell: str | None = None) -> None:
        labels: tuple[str, ...] = ()
        english = ""
        if self.spec is not None and pointer.count("/") > 1:
            with contextlib.suppress(KeyError):
                labels = (plan.cell_label(self.spec.cell(pointer)),)
                english = f" ({plan.cell_label(self.spec.cell(pointer), 'en')})"
        if cell is None:
            self.items.append(problem(code, pointer, expected, got, labels=labels))
            return
        found = problem(code, pointer, expected, got, labels=labels, cell=cell)
        # the cell as a clerk names it leads the message: "表三!F6：应为 非负整数…，实际为 '12件'" (the official
        # labels are the finding's own; in English they are said in the message too)
        self.items.append(attrs.evolve(found, message=Label(f"{cell}：{found.message.zh}",
                                                            f"{cell}{english}: {found.message.en}")))

    def raise_if_any(self) -> None:
        if self.items:
            raise LoadError(self.items, self.source)


@attrs.frozen
class Sheet:
    name: str
    values: Mapping[Pos, Any]  #: every non-empty cell: literal values, formulas as "=..."
    formulas: frozenset[Pos]
    cached: Mapping[Pos, Any] | None  #: formula cells' stored values (None: the file stores none)
    texts: Mapping[str, tuple[Pos, ...]]  #: normalised text -> where it stands, in reading order
    bottoms: Mapping[Pos, int]  #: top-left of a merged range -> its last row

    def find(self, labels: Iterable[str]) -> list[Pos]:
        return sorted({p for lb in labels for p in self.texts.get(norm(lb), ())})

    def ref(self, pos: Pos) -> str:
        return ref(*pos, sheet=self.name)


def _sheet(ws: Any, cached_ws: Any | None, merges: Iterable[str]) -> Sheet:
    values, formulas, texts = _cells(ws)
    cached = _cached_values(cached_ws, formulas) if cached_ws is not None else None
    return Sheet(ws.title, values, frozenset(formulas), cached, {k: tuple(v) for k, v in texts.items()},
                 _merge_bottoms(merges))


def _cells(ws: Any) -> tuple[dict[Pos, Any], set[Pos], dict[str, list[Pos]]]:
    """Every non-empty cell's value (a formula as its text), which are formulas, and where each text stands."""
    values: dict[Pos, Any] = {}
    formulas: set[Pos] = set()
    texts: dict[str, list[Pos]] = {}
    ws.reset_dimensions()  # a sheet's declared size may be wrong: read every cell there is
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:  # also the placeholders of read-only rows, which have no position
                continue
            pos = (cell.row, cell.column)
            if cell.data_type == "f":
                formulas.add(pos)
                values[pos] = str(value) if isinstance(value, str) else "=?"
                continue
            values[pos] = value
            if isinstance(value, str):
                texts.setdefault(norm(read_text(value)), []).append(pos)
    return values, formulas, texts


def _cached_values(cached_ws: Any, formulas: set[Pos]) -> dict[Pos, Any]:
    """The values stored with the formula cells (the same sheet opened data-only)."""
    cached = {}
    cached_ws.reset_dimensions()
    for row in cached_ws.iter_rows():
        for cell in row:
            if cell.value is not None and (cell.row, cell.column) in formulas:
                cached[(cell.row, cell.column)] = cell.value
    return cached


def _merge_bottoms(merges: Iterable[str]) -> dict[Pos, int]:
    bottoms = {}
    for merged in merges:
        lo_col, lo_row, _, hi_row = range_boundaries(merged)
        bottoms[(int(lo_row or 0), int(lo_col or 0))] = int(hi_row or 0)
    return bottoms


# ----------------------------------------------------------------------------- opening


def _open(data: Any, problems: _Problems) -> list[Sheet]:
    """The sheets of a workbook, or a located problem saying why there are none."""
    from openpyxl import load_workbook

    if isinstance(data, str):
        problems.add("XLSX-LOAD-CORRUPT", "", Label("工作簿文件的字节内容（请按二进制读取 .xlsx 文件）",
                                                     "the workbook's bytes (read an .xlsx file as binary)"))
        problems.raise_if_any()
    if data.startswith(OLE):
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data:
            problems.add("XLSX-LOAD-ENCRYPTED", "", Label(
                "未加密的工作簿：此文件设有打开密码。请在 Excel 中打开，"
                "于“文件→信息→保护工作簿→用密码进行加密”中清除密码后保存，再读取",
                "a workbook without a password: this one is encrypted. Open it in Excel, clear the password "
                "(File > Info > Protect Workbook > Encrypt with Password), save, and load it again"))
        else:
            problems.add("XLSX-LOAD-XLS", "", Label(
                ".xlsx 工作簿：这是旧版 Excel 97-2003（.xls）文件。请在 Excel 中“另存为 Excel 工作簿（.xlsx）”，"
                "或用 soffice --headless --convert-to xlsx 转换",
                "an .xlsx workbook: this is an old Excel 97-2003 (.xls) file. Save it as an Excel Workbook (.xlsx), "
                "or convert it with soffice --headless --convert-to xlsx"))
        problems.raise_if_any()
    _check_package(data, problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of extensions it drops (slicers, …)
            # read-only: a streaming parse without styles (merged ranges come from the sheets' XML)
            formulas = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
            cached = load_workbook(io.BytesIO(data), data_only=True, read_only=True) if _has_cached_values(
                data) else None
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sheets = [_sheet(ws, cached[ws.title] if cached is not None else None, _merges(archive, ws))
                          for ws in formulas.worksheets if hasattr(ws, "iter_rows")]
            if sheets:
                return sheets
            problems.add("XLSX-LOAD-CORRUPT", "", Label("至少含一张工作表的工作簿（此文件只有图表页）",
                                                         "a workbook with a worksheet (this one has charts only)"))
    # openpyxl raises whatever its zip and XML parsers raise (lazily, while the sheets are read): each
    # means a damaged file, which the loader contract says is a located LoadError, never a traceback
    except Exception as exc:  # noqa: BLE001 - any of openpyxl's parse errors is a damaged file
        problems.add("XLSX-LOAD-CORRUPT", "", Label(
            f".xlsx 工作簿：文件已损坏或不是 Excel 工作簿（{type(exc).__name__}）",
            f"an .xlsx workbook: the file is damaged or not an Excel workbook ({type(exc).__name__}: {exc})"[:300]))
    problems.raise_if_any()
    return []  # unreachable: a problem was added on every path that gets here


def _check_package(data: bytes, problems: _Problems) -> None:
    """Refuse a package that would unpack beyond the limits, before openpyxl unpacks any of it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = package_problem(archive)
    except Exception:  # noqa: BLE001 - not a zip at all: openpyxl's opening says the file is damaged
        return
    if found is not None:
        problems.add(found[0], "", found[1])
        problems.raise_if_any()


def _merges(archive: zipfile.ZipFile, ws: Any) -> list[str]:
    path = getattr(ws, "_worksheet_path", None)  # read-only worksheets know their part
    if not path:
        return []
    return [m.decode() for m in _MERGE.findall(archive.read(path))]


def _has_cached_values(data: bytes) -> bool:
    """Did Excel or LibreOffice compute and store the formulas' values (openpyxl stores none)?"""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return any(_CACHED.search(z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))


# ----------------------------------------------------------------------------- values


class _Bad(ValueError):
    def __init__(self, expected: Label) -> None:
        super().__init__(expected.en)
        self.expected = expected


_EXPECTED: Mapping[CellKind, Label] = {
    CellKind.COUNT: Label("非负整数（半角数字，不带单位；空白表示未填）",
                          "a whole number, 0 or more, in ASCII digits without units (blank: not filled in)"),
    CellKind.SIGNED: Label("整数（半角数字，可为负）", "a whole number in ASCII digits (may be negative)"),
    CellKind.AMOUNT: Label("非负数（半角数字，不带单位）", "a number, 0 or more, in ASCII digits without units"),
}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(value: Any, kind: CellKind) -> Any:
    """A workbook value as canonical JSON (int, amount string, or None); raises _Bad."""
    if _blank(value):
        return None
    if isinstance(value, (bool, dt.date, dt.datetime, dt.time)):
        raise _Bad(_EXPECTED[kind])
    if isinstance(value, str):
        text = value.strip()
        if kind is CellKind.AMOUNT and _AMOUNT.match(text):
            return text
        value = _digits(text, kind)
    if kind is CellKind.AMOUNT:
        return _amount(value)
    return _whole(value, kind)


def _digits(text: str, kind: CellKind) -> int:
    """A "number stored as text" of a whole-number cell: the same ASCII digits, no unit."""
    if kind is not CellKind.AMOUNT and _DIGITS.match(text):
        return int(text)
    raise _Bad(_EXPECTED[kind])


def _amount(value: Any) -> str:
    """A number as an amount string: finite, not negative, without trailing zeros after a whole number."""
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise _Bad(_EXPECTED[CellKind.AMOUNT]) from None
    if not amount.is_finite() or amount < 0:
        raise _Bad(_EXPECTED[CellKind.AMOUNT])
    return format(amount.normalize() if amount == amount.to_integral() else amount, "f")


def _whole(value: Any, kind: CellKind) -> int:
    """A number as a whole number (a float only when it is one); a count not negative."""
    if isinstance(value, float):
        if not value.is_integer():
            raise _Bad(_EXPECTED[kind])
        value = int(value)
    if not isinstance(value, int) or (kind is CellKind.COUNT and value < 0):
        raise _Bad(_EXPECTED[kind])
    return value


# ----------------------------------------------------------------------------- locating


@attrs.frozen
class _Located:
    sheet: Sheet
    cells: Mapping[str, Pos]  #: pointer -> value cell
    label_rows: tuple[int, ...]  #: rows holding the table's labels (for the title check)


def _find_sheet(spec: FormatSpec, table_id: str, sheets: list[Sheet]) -> Sheet | None:
    name = plan.sheet_name(spec, table_id)
    named = next((s for s in sheets if s.name == name), None)
    if named is not None:
        return named
    labels = {norm(row.label.zh) for _, row, _ in spec.rows(table_id)}
    best = max(sheets, key=lambda s: len(labels & s.texts.keys()))
    return best if len(labels & best.texts.keys()) * 2 >= len(labels) else None


def _nearest(cands: list[Pos], key: Any) -> Pos | str | None:
    """The best candidate by ``key`` (smallest), or "ambiguous" when two tie."""
    if not cands:
        return None
    cands = sorted(cands, key=key)
    if len(cands) > 1 and key(cands[0]) == key(cands[1]):
        return "ambiguous"
    return cands[0]


def _not_found(problems: _Problems, sheet: Sheet, cell: CellSpec, what: str, found: Pos | str | None) -> None:
    label = cell.row.label if what == "row" else cell.column.label
    if found == "ambiguous":
        problems.add("XLSX-LOAD-AMBIGUOUS", cell.pointer, Label(
            f"工作表“{sheet.name}”中唯一的{'行' if what == 'row' else '列'}标签「{label.zh}」"
            f"（出现多处，无法确定取哪一处）",
            f"one {what} label “{label.zh}” ({label.en}) on sheet {sheet.name} (it appears more than once)"))
    else:
        problems.add("XLSX-LOAD-NO-LABEL", cell.pointer, Label(
            f"工作表“{sheet.name}”中的{'行' if what == 'row' else '列'}标签「{label.zh}」"
            f"（未找到：行列标签须与官方格式一致）",
            f"the {what} label “{label.zh}” ({label.en}) on sheet {sheet.name} (not found: labels must be the "
            f"official ones)"))


def _locate(spec: FormatSpec, table_id: str, sheet: Sheet, problems: _Problems) -> _Located:
    cells: dict[str, Pos] = {}
    label_rows: list[int] = []
    table = spec.table(table_id)
    last = 0
    for block in table.blocks:
        if block.transposed:
            _locate_transposed(spec, table_id, block, sheet, problems, cells, label_rows)
            continue
        for path, row, _, _ in walk_rows(block.rows):
            first = spec.cell("/" + "/".join((table_id, *path, block.columns[0].id)))
            cands = sheet.find((row.label.zh, *row.aliases))
            after = [p for p in cands if p[0] > last]
            at = cands[0] if len(cands) == 1 else (after[0] if after else None)
            if at is None:
                _not_found(problems, sheet, first, "row", "ambiguous" if cands else None)
                continue
            last = at[0]
            label_rows.append(at[0])
            for column in block.columns:
                cell = spec.cell(f"{first.pointer.rsplit('/', 1)[0]}/{column.id}")
                header = _nearest([p for p in sheet.find((column.label.zh,)) if p[0] < at[0]],
                                  key=lambda p: -p[0])
                if not isinstance(header, tuple):
                    _not_found(problems, sheet, cell, "column", header)
                    continue
                label_rows.append(header[0])
                cells[cell.pointer] = (at[0], header[1])
    return _Located(sheet, cells, tuple(label_rows))


def _locate_transposed(spec: FormatSpec, table_id: str, block: Any, sheet: Sheet, problems: _Problems,
                       cells: dict[str, Pos], label_rows: list[int]) -> None:
    """Table 4: each row's label over its columns' labels, and one row of values under them all."""
    width = len(block.columns)
    headers: dict[str, Pos] = {}
    bottom = 0
    for path, row, _, _ in walk_rows(block.rows):
        base = "/" + "/".join((table_id, *path))
        cands = sheet.find((row.label.zh, *row.aliases))
        if len(cands) != 1:
            _not_found(problems, sheet, spec.cell(f"{base}/{block.columns[0].id}"), "row",
                       "ambiguous" if cands else None)
            continue
        top, left = cands[0]
        label_rows.append(top)
        for column in block.columns:
            cell = spec.cell(f"{base}/{column.id}")
            header = _nearest([p for p in sheet.find((column.label.zh,)) if p[0] > top and left <= p[1] < left + width],
                              key=lambda p: p[0])
            if not isinstance(header, tuple):
                _not_found(problems, sheet, cell, "column", header)
                continue
            headers[cell.pointer] = header
            bottom = max(bottom, sheet.bottoms.get(header, header[0]))
            label_rows.append(header[0])
    cells.update({pointer: (bottom + 1, col) for pointer, (_, col) in headers.items()})


# ----------------------------------------------------------------------------- the envelope


def _find_cover(sheets: list[Sheet], spec_fields: Iterable[Field]) -> Sheet | None:
    named = next((s for s in sheets if s.name == COVER), None)
    if named is not None:
        return named
    wanted = {norm(f.label.zh) for f in spec_fields} | {norm(f.key) for f in spec_fields}
    best = max(sheets, key=lambda s: len(wanted & s.texts.keys()))
    return best if wanted & best.texts.keys() else None


def _field_cell(sheet: Sheet, key: str, label: Label | None) -> Pos | None:
    """The value cell of a field: in the row of its key (this plugin's hidden column), right of its
    Chinese label there (else column B, where this plugin puts it); in a workbook without keys,
    right of its Chinese or English label."""
    by_key = sheet.texts.get(norm(key), ())
    if by_key:
        row = by_key[0][0]
        beside = [p for p in sheet.find((label.zh,)) if p[0] == row] if label is not None else []
        return (row, beside[0][1] + 1) if beside else (row, 2)
    if label is None:
        return None
    found = sheet.find((label.zh,)) or sheet.find((label.en,))
    return (found[0][0], found[0][1] + 1) if found else None


def _meta_value(field_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if field_type is Amount:
        return value if isinstance(value, str) else format(Decimal(repr(value)) if isinstance(value, float)
                                                            else Decimal(value), "f")
    if isinstance(value, (int, float)):
        return value if field_type in (Year, Count) else str(value)
    text = read_text(value)
    if field_type is Level:
        folded = norm(text)
        return next((k for k, lb in LEVEL_LABELS.items() if folded in (norm(k), norm(lb.zh), norm(lb.en))), text)
    if field_type is IsoDate and (m := _CN_DATE.match(norm(text))):
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    if field_type in (Year, Count):
        return from_text(Field((), Label("", ""), field_type), text.strip())
    return text


def _read_field(sheet: Sheet, key: str, label: Label | None, field_type: Any, reading: _Reading) -> Any:
    pos = _field_cell(sheet, key, label)
    if pos is None:
        return None
    reading.where["/" + key.replace(".", "/")] = sheet.ref(pos)
    reading.read.add((sheet.name, pos))
    value = sheet.cached.get(pos) if sheet.cached is not None and pos in sheet.formulas else sheet.values.get(pos)
    if field_type is Text and value is not None:
        pieces = [read_text(value) if isinstance(value, str) else str(value)]
        n = 2
        while (more := _field_cell(sheet, f"{key}{CONTINUED}{n}", None)) is not None:
            pieces.append(read_text(sheet.values.get(more, "")))
            reading.read.add((sheet.name, more))
            n += 1
        return "".join(pieces) or None
    return _meta_value(field_type, value)


# ----------------------------------------------------------------------------- the whole


def _guess_format(registry: Registry, sheets: list[Sheet], year: Any) -> FormatSpec:
    """The format whose row labels the workbook shows most of (its year breaking a tie)."""
    specs: list[FormatSpec] = [registry.format(v) for v in registry.formats]

    def score(spec: FormatSpec) -> tuple[int, bool]:
        labels = {norm(c.row.label.zh) for c in spec.cells()} | {norm(c.column.label.zh) for c in spec.cells()}
        found = set().union(*(s.texts.keys() for s in sheets)) if sheets else set()
        return len(labels & found), isinstance(year, int) and spec.serves(year)

    return max(specs, key=score)


def _finding(code: str, severity: Severity, zh: str, en: str, source: str, pointer: str = "") -> Finding:
    return Finding(code=code, severity=severity, message=Label(zh, en), pointer=pointer, file=source)


@attrs.define
class _Reading:
    """What reading one workbook gathers, step by step, before the report is made."""

    source: str
    problems: _Problems
    out: dict[str, Any] = attrs.Factory(dict)  #: the canonical data read so far
    where: dict[str, str] = attrs.Factory(dict)  #: pointer -> sheet!cell, for messages
    findings: list[Finding] = attrs.Factory(list)
    used: set[str] = attrs.Factory(set)  #: the sheets read
    read: set[tuple[str, Pos]] = attrs.Factory(set)  #: the cells whose values were read (sheet, position)
    recompute: list[str] = attrs.Factory(list)  #: totals whose formulas the file holds no result for

    def note(self, code: str, severity: Severity, zh: str, en: str, pointer: str = "") -> None:
        self.findings.append(_finding(code, severity, zh, en, self.source, pointer))


def read_workbook(data: Any, source: str, registry: Registry) -> tuple[Report, list[Finding]]:
    reading = _Reading(source, _Problems(source))
    sheets = _open(data, reading.problems)
    fields = meta_fields()
    cover = _find_cover(sheets, fields)
    if cover is not None:
        reading.used.add(cover.name)
        _read_cover(cover, fields, reading)
    if reading.out.get("year") is None and reading.out.get("format_version") is None:
        _title_row_envelope(sheets, registry, reading)
    reading.out.setdefault("year", None)  # a workbook of ours keeps its report's null year, as the JSON did
    spec = _format_of(registry, sheets, reading)
    if cover is not None:
        for field in part_fields(spec):
            _put_field(cover, field, Text, reading)
    reading.problems.spec = spec
    totals = plan.sums(spec, registry.rules.values())
    for table in spec.tables:
        _read_table(spec, table, sheets, totals, reading)
    if reading.problems.items:  # the cover's problems (a level, a date) too, all in one round
        try:
            gd.from_data(reading.out, source=source, registry=registry)
        except LoadError as exc:
            known = {f.pointer for f in reading.problems.items}
            reading.problems.items += [f for f in _relocated(exc, reading.where, source).findings
                                       if f.pointer not in known]
        reading.problems.raise_if_any()
    if reading.recompute:
        _recompute_totals(spec, totals, reading)
    _read_provenance(sheets, reading)
    _note_extra_sheets(sheets, reading)
    _note_unread_text(sheets, reading)
    try:
        report = gd.from_data(reading.out, source=source, registry=registry)
    except LoadError as exc:
        raise _relocated(exc, reading.where, source) from None
    return report, reading.findings


#: what a title row names (``临江县人民政府2024年政府信息公开工作年度报告统计表``), read by core's parser
TITLE_FIELDS = ("title", "year", "agency", "period")


def _workbook_text(sheets: list[Sheet]) -> str:
    """The workbook's words, a row a line, sheet after sheet (a formula's stored result, not its text)."""
    lines = []
    for sheet in sheets:
        row: list[str] = []
        at = None
        for pos, value in sorted(sheet.values.items()):
            if pos[0] != at and row:
                lines.append(" ".join(row))
                row = []
            at = pos[0]
            if pos in sheet.formulas:
                value = sheet.cached.get(pos) if sheet.cached is not None else None
            if value is not None:
                row.append(read_text(value).replace("\n", " "))
        if row:
            lines.append(" ".join(row))
    return "\n".join(lines)


def _title_row_envelope(sheets: list[Sheet], registry: Registry, reading: _Reading) -> None:
    """Title, year, agency (its level) and period that a workbook not of ours (no cover naming its format) prints in
    a title row (a statistics office's ``…2024年政府信息公开工作年度报告统计表``, ``统计期限：…``): read by core's
    parser from the workbook's words, as a published report's are; what a cover gave stays. Its cells are read
    here by label, not by the parser. A year still unknown is said: the format is not checked against it."""
    try:
        parsed = gd.parse(_workbook_text(sheets), from_="text", registry=registry)
    except LoadError:
        parsed = None  # no report's words the parser knows
    if parsed is not None:
        data = gd.to_data(parsed.report)
        taken = {k for k in TITLE_FIELDS if data.get(k) is not None and reading.out.get(k) is None}
        for k in taken:
            reading.out[k] = data[k]
        # the parser's word on what it took (how it reasoned an agency's level); its lines are of the text made here
        reading.findings += [attrs.evolve(f, file=reading.source, line=None, column=None, page=None)
                             for f in parsed.findings if f.pointer.strip("/").split("/")[0] in taken]
    if reading.out.get("year") is None:
        reading.out["year"] = None  # a workbook that does not say: null, as for a parsed excerpt
        reading.note(
            "XLSX-YEAR-UNKNOWN", Severity.WARNING,
            "工作簿没有写明报告年度（没有封面，标题行中也读不出）：年度为空，未按年度核对格式版本",
            "the workbook does not say the report's year (no cover sheet, and none read from a title row): the "
            "year is blank (null), and the format version is not checked against it", "/year")


def _put_field(sheet: Sheet, field: Field, field_type: Any, reading: _Reading) -> None:
    value = _read_field(sheet, field.key, field.label, field_type, reading)
    if value is not None:
        put(reading.out, field.path, value)


def _read_cover(cover: Sheet, fields: Iterable[Field], reading: _Reading) -> None:
    """The format version, the variant and the report's own fields (year, agency, …)."""
    for key, label in (("format_version", FORMAT_VERSION_DOC), ("variant", VARIANT_DOC)):
        value = _read_field(cover, key, label, Text, reading)
        if value is not None:
            reading.out[key] = value
    for field in fields:
        _put_field(cover, field, field.type, reading)


def _format_of(registry: Registry, sheets: list[Sheet], reading: _Reading) -> FormatSpec:
    """The format the cover names (refusing a variant that is not installed), else the one guessed from the labels."""
    version, variant = reading.out.get("format_version"), reading.out.get("variant")
    if version not in registry.formats:
        spec = _guess_format(registry, sheets, reading.out.get("year"))
        reading.out["format_version"] = spec.version
        reading.note(
            "XLSX-FORMAT-GUESSED", Severity.INFO,
            f"工作簿未写明格式版本，按其中的行列标签判定为 {spec.version} 格式",
            f"the workbook does not say its format version: taken as {spec.version} from its row and column labels",
            "/format_version")
        return spec
    try:
        return registry.format(version, variant)
    except KeyError:  # its rows would be dropped unread: refuse, as core's loader does
        where = reading.where.get("/variant")
        known = [v.id for v in registry.variants.values() if v.extends == version]
        reading.problems.add("GD-LOAD-VARIANT", "/variant", got=variant, cell=where, expected=Label(
            f"{where or ''}：null 或已安装的 {version} 格式地区变体（{'、'.join(known) or '无'}）",
            f"{where or ''}: null or an installed variant of the {version} format ({', '.join(known) or 'none'})"))
        reading.problems.raise_if_any()
        raise


def _read_table(spec: FormatSpec, table: TableSpec, sheets: list[Sheet], totals: Mapping[str, plan.Sum],
                reading: _Reading) -> None:
    """Every cell of one table, from the sheet that holds it."""
    sheet = _find_sheet(spec, table.id, sheets)
    if sheet is None:
        reading.problems.add("XLSX-LOAD-NO-TABLE", f"/{table.id}", Label(
            f"一张“{plan.sheet_name(spec, table.id)}”工作表（{table.label.zh}）：未找到含此表行标签的工作表",
            f"a sheet {plan.sheet_name(spec, table.id)} ({table.label.en}): no sheet holds this table's row "
            f"labels"))
        return
    reading.used.add(sheet.name)
    located = _locate(spec, table.id, sheet, reading.problems)
    _check_title_year(sheet, located, reading.out.get("year"), reading.source, reading.findings)
    for pointer, pos in located.cells.items():
        _read_cell(spec.cell(pointer), sheet, pos, totals, reading)


def _read_cell(cell: CellSpec, sheet: Sheet, pos: Pos, totals: Mapping[str, plan.Sum], reading: _Reading) -> None:
    """One value: a formula's by its stored result (a total without one is recomputed later); typed by its column."""
    pointer = cell.pointer
    reading.where[pointer] = sheet.ref(pos)
    reading.read.add((sheet.name, pos))
    raw = sheet.values.get(pos)
    if pos in sheet.formulas:
        if sheet.cached is not None:
            raw = sheet.cached.get(pos)
        elif pointer in totals:
            reading.recompute.append(pointer)
            raw = None
        else:
            reading.problems.add("XLSX-LOAD-FORMULA", pointer, cell=sheet.ref(pos), expected=Label(
                f"{sheet.ref(pos)}（{plan.cell_label(cell)}）：数值，而非未经计算的公式 {raw}"
                f"（请在 Excel 或 LibreOffice 中打开并保存，使公式结果写入文件）",
                f"{sheet.ref(pos)} ({plan.cell_label(cell, 'en')}): a value, not a formula the file holds no "
                f"result for ({raw}); open and save the workbook in Excel or LibreOffice"))
            return
    try:
        value = cell_value(raw, cell.column.kind)
        put(reading.out, _path(cell), value)
        if isinstance(raw, str) and isinstance(value, int) and pos not in sheet.formulas:
            reading.note(  # Excel's COUNT and SUM skip text: the sheet's own totals and checks disagree with ours
                "XLSX-TEXT-NUMBER", Severity.WARNING,
                f"{sheet.ref(pos)}（{plan.cell_label(cell)}）的数字 {raw!r} 存为文本：已读作 {value}，"
                f"但工作簿的合计公式和核对区不计入它（在 Excel 中选中此格，点感叹号“转换为数字”）",
                f"{sheet.ref(pos)} ({plan.cell_label(cell, 'en')}): the number {raw!r} is stored as text: read as "
                f"{value}, but the workbook's totals and checks skip it (in Excel: select it, Convert to Number)",
                pointer)
    except _Bad as bad:
        put(reading.out, _path(cell), None)  # blank for the check of the rest, which would call it missing
        reading.problems.add("GD-LOAD-TYPE", pointer, cell=sheet.ref(pos), got=raw, expected=bad.expected)


def _recompute_totals(spec: FormatSpec, totals: Mapping[str, plan.Sum], reading: _Reading) -> None:
    """The totals of a workbook never calculated, as its formulas would compute them."""
    values = {c.pointer: _get(reading.out, c) for c in spec.cells()}
    computed = 0
    for pointer, value in plan.derive(values, totals, reading.recompute).items():
        put(reading.out, _path(spec.cell(pointer)), value)
        computed += value is not None
    if not computed:  # every total waits for blank cells: nothing was computed, nothing to say
        return
    reading.note(
        "XLSX-RECOMPUTED", Severity.INFO,
        f"工作簿未保存公式结果（未经 Excel 或 LibreOffice 计算），{computed} 个合计按声明的勾稽关系计算",
        f"the workbook stores no formula results (never calculated by Excel or LibreOffice): {computed} "
        f"totals computed from the declared equations")


def _note_extra_sheets(sheets: list[Sheet], reading: _Reading) -> None:
    extra = [s.name for s in sheets if s.name not in reading.used and s.values]
    if extra:
        reading.note("XLSX-EXTRA-SHEET", Severity.INFO, f"未读取的工作表：{'、'.join(extra)}",
                     f"sheets not read: {', '.join(extra)}")


def _note_unread_text(sheets: list[Sheet], reading: _Reading) -> None:
    """Long text in a sheet that was read, but in no cell of a table or a field: said, not dropped in silence."""
    for sheet in sheets:
        if sheet.name not in reading.used:
            continue  # the whole sheet is unread: XLSX-EXTRA-SHEET says so
        unread = [(pos, len(read_text(value))) for pos, value in sorted(sheet.values.items())
                  if isinstance(value, str) and len(value) > UNREAD_TEXT and pos not in sheet.formulas
                  and (sheet.name, pos) not in reading.read and read_text(value) not in NOTES]
        if not unread:
            continue
        shown = [f"{ref(*pos)}（{n:,} 字）" for pos, n in unread[:UNREAD_SHOWN]]
        shown_en = [f"{ref(*pos)} ({n:,} characters)" for pos, n in unread[:UNREAD_SHOWN]]
        more = len(unread) - len(shown)
        reading.note(
            "XLSX-UNREAD-TEXT", Severity.WARNING,
            f"工作表“{sheet.name}”中 {len(unread)} 个单元格的文字不在任何表格或字段中，未读取：{'、'.join(shown)}"
            + (f" 等（另有 {more} 个）" if more else ""),
            f"sheet {sheet.name}: the text of {len(unread)} cell(s) is outside every table and field, not read: "
            f"{', '.join(shown_en)}" + (f" (and {more} more)" if more else ""))


def _path(cell: CellSpec) -> tuple[str, ...]:
    """Where a cell's value stands in the canonical data."""
    return (cell.table.id, *cell.path, cell.column.id)


def _get(data: Mapping[str, Any], cell: CellSpec) -> Any:
    node: Any = data
    for key in _path(cell):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    if isinstance(node, str):
        return Decimal(node)
    return node


def _check_title_year(sheet: Sheet, located: _Located, year: Any, source: str, findings: list[Finding]) -> None:
    if not isinstance(year, int) or not located.label_rows:
        return
    top = min(located.label_rows)
    for text, positions in sheet.texts.items():
        for pos in positions:
            m = _YEAR.search(text)
            if pos[0] < top and m and int(m[1]) != year:
                findings.append(_finding(
                    "XLSX-YEAR", Severity.WARNING,
                    f"{sheet.ref(pos)} 的标题写的是 {m[1]} 年，而报告年度为 {year} 年",
                    f"the title in {sheet.ref(pos)} says {m[1]}, but the report year is {year}", source, "/year"))


def _read_provenance(sheets: list[Sheet], reading: _Reading) -> None:
    sheet = next((s for s in sheets if s.name == PROVENANCE and s.values.get((1, 1)) == "pointer"), None)
    if sheet is None:
        return
    reading.used.add(sheet.name)
    reading.read.update((sheet.name, pos) for pos in sheet.values)
    out = reading.out
    fields = {f.key: f for f in provenance_fields()}
    keys = {c: sheet.values.get((1, c)) for r, c in sheet.values if r == 1}
    rows = sorted({r for r, _ in sheet.values if r >= 3})
    for r in rows:
        pointer = sheet.values.get((r, 1))
        if not isinstance(pointer, str):
            continue
        entry = out.setdefault("provenance", {}).setdefault(read_text(pointer), {})
        for c, key in keys.items():
            value = sheet.values.get((r, c))
            if c > 1 and key in fields and value is not None:
                entry[key] = from_text(fields[key], read_text(value))


def _relocated(exc: LoadError, where: Mapping[str, str], source: str) -> LoadError:
    """The core loader's verdicts on the envelope, with the sheet and cell each came from."""
    from .codes import relocate

    return relocate(exc, where, source)
