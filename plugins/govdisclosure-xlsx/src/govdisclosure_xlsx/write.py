"""The workbook: a cover sheet (metadata and the narrative parts), one sheet per table in the
official layout, a live formula for every derivable total, and a check formula per balance."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from govdisclosure.formats.spec import CellKind, Label
from govdisclosure.io.envelope import Field, meta_fields, part_fields, provenance_fields, to_text
from govdisclosure.model import FORMAT_VERSION_DOC, VARIANT_DOC, Report
from govdisclosure.model.scalars import LEVEL_LABELS, Amount, Count, IsoDate, Level, Year
from govdisclosure.rules import Rule

from . import plan
from .cells import amount_value, chunks, put_text, ref

COVER = "封面"
PROVENANCE = "来源"
#: the hidden column of the cover sheet that names each field (``agency.name``): the reader's anchor
KEY_COLUMN = 4
CONTINUED = "#"  #: key suffix of the rows that continue a text longer than a cell
PASS, FAIL, INCOMPLETE = "通过", "不平衡", "未填完"

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
NUMBER_FORMATS: Mapping[CellKind, str] = {CellKind.COUNT: "0", CellKind.SIGNED: "0", CellKind.AMOUNT: "0.00########"}
INPUT_COLOR = "FFF2CC"


def _fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color)


#: the workbook's named styles (Excel lists them under Cell Styles): set by name, which is both
#: what a clerk sees and far cheaper in openpyxl than setting fonts and fills cell by cell
STYLES: Mapping[str, Mapping[str, Any]] = {
    "gd-title": {"font": Font(bold=True, size=14)},
    "gd-note": {"font": Font(color="606060", size=9), "alignment": WRAP},
    "gd-header": {"fill": _fill("DDEBF7"), "alignment": CENTER, "border": BOX},
    "gd-label": {"alignment": WRAP, "border": BOX},
    "gd-field": {"font": Font(bold=True), "alignment": WRAP, "border": BOX},
    "gd-fixed": {"fill": _fill("E7E6E6"), "border": BOX, "alignment": WRAP},
    "gd-text": {"fill": _fill(INPUT_COLOR), "border": BOX, "alignment": Alignment(wrap_text=True, vertical="top"),
                "protection": Protection(locked=False)},
    "gd-date": {"fill": _fill(INPUT_COLOR), "border": BOX, "protection": Protection(locked=False),
                "number_format": "yyyy-mm-dd"},
    "gd-check": {"font": Font(bold=True), "alignment": CENTER, "border": BOX},
    "gd-check-label": {"font": Font(bold=True), "alignment": WRAP},
    **{f"gd-input-{k.value}": {"fill": _fill(INPUT_COLOR), "border": BOX, "alignment": CENTER,
                               "protection": Protection(locked=False), "number_format": f}
       for k, f in NUMBER_FORMATS.items()},
    **{f"gd-total-{k.value}": {"fill": _fill("E7E6E6"), "border": BOX, "alignment": CENTER, "number_format": f}
       for k, f in NUMBER_FORMATS.items()},
    **{f"gd-override-{k.value}": {"fill": _fill("F8CBAD"), "border": BOX, "alignment": CENTER,
                                  "protection": Protection(locked=False), "number_format": f}
       for k, f in NUMBER_FORMATS.items()},
}


def _add_styles(wb: Workbook) -> None:
    for name, attributes in STYLES.items():
        wb.add_named_style(NamedStyle(name=name, **attributes))


LEGEND = Label(
    "黄色格请填写（空白表示未填，不等于 0；无此类情况请填 0）；灰色格为公式，自动计算；"
    "核对区逐列/逐行显示勾稽关系：通过、不平衡或未填完。",
    "Fill the yellow cells (blank means not filled in, not 0: write 0 where there were none); grey cells are "
    "formulas; the check area shows each balance: 通过 (balanced), 不平衡 (not balanced), 未填完 (incomplete).")
#: the notes this plugin writes on its sheets (not data: a reader passes over them)
NOTES = (f"{LEGEND.zh}\n{LEGEND.en}", LEGEND.zh)
OVERRIDDEN = Label("此合计与各分项之和不符，按报告原值写入（核对区显示不平衡）。",
                   "This total differs from the sum of its parts; written as the report has it.")
PROMPTS: Mapping[Any, Label] = {
    CellKind.COUNT: Label("请填写非负整数（半角数字，不带单位）", "A whole number, 0 or more, without units"),
    CellKind.SIGNED: Label("请填写整数（可为负数）", "A whole number (may be negative)"),
    CellKind.AMOUNT: Label("请填写非负数，可有小数", "A number, 0 or more, decimals allowed"),
}


def _validation(kind: CellKind) -> DataValidation:
    prompt = PROMPTS[kind]
    common: dict[str, Any] = {
        "allow_blank": True, "showErrorMessage": True, "showInputMessage": True, "errorStyle": "stop",
        "errorTitle": "输入有误 / Invalid entry", "error": f"{prompt.zh}\n{prompt.en}",
        "promptTitle": "填写 / Fill in", "prompt": prompt.zh,
    }
    if kind is CellKind.SIGNED:
        return DataValidation(type="whole", operator="between", formula1="-1000000000", formula2="1000000000",
                              **common)
    return DataValidation(type="decimal" if kind is CellKind.AMOUNT else "whole", operator="greaterThanOrEqual",
                          formula1="0", **common)


class _Validations:
    """One data validation per kind of input on a sheet, collecting its cells (added at the end:
    one range list each, rather than a cell at a time)."""

    def __init__(self) -> None:
        self.cells: dict[Any, list[str]] = {}
        self.makers: dict[Any, Callable[[], DataValidation]] = {}

    def add(self, key: Any, make: Callable[[], DataValidation], coordinate: str) -> None:
        self.cells.setdefault(key, []).append(coordinate)
        self.makers.setdefault(key, make)

    def attach(self, ws: Worksheet) -> None:
        for key, cells in self.cells.items():
            dv = self.makers[key]()
            dv.sqref = MultiCellRange(" ".join(cells))
            ws.add_data_validation(dv)


def _merge(ws: Worksheet, row: int, col: int, last_row: int, last_col: int) -> None:
    """Merge a range, every cell of it styled as its first (so the range's outline is drawn):
    openpyxl's ``merge_cells`` works out a border per edge cell instead, at many times the cost."""
    style = ws.cell(row, col).style
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            if (r, c) != (row, col):
                ws.cell(r, c).style = style
    ws.merged_cells.add(f"{ref(row, col)}:{ref(last_row, last_col)}")  # a plain range: written as the merge


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True  # no password: a clerk may lift it; it keeps formulas from slips
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _number(cell: Any, kind: CellKind, value: int | Decimal | None) -> None:
    if value is not None:
        cell.value = amount_value(value) if isinstance(value, Decimal) else value
        if isinstance(cell.value, str):
            cell.data_type = "s"  # an amount a double cannot hold: its exact text


# ----------------------------------------------------------------------------- formulas


def _ranges(positions: Sequence[tuple[int, int]]) -> list[str]:
    """Cells as few references as possible (runs down a column, then along a row)."""
    remaining = sorted(set(positions), key=lambda p: (p[1], p[0]))
    out: list[str] = []
    singles: list[tuple[int, int]] = []
    i = 0
    while i < len(remaining):
        j = i
        while j + 1 < len(remaining) and remaining[j + 1] == (remaining[j][0] + 1, remaining[j][1]):
            j += 1
        if j > i:
            out.append(f"{ref(*remaining[i])}:{ref(*remaining[j])}")
        else:
            singles.append(remaining[i])
        i = j + 1
    singles.sort()
    i = 0
    while i < len(singles):
        j = i
        while j + 1 < len(singles) and singles[j + 1] == (singles[j][0], singles[j][1] + 1):
            j += 1
        out.append(ref(*singles[i]) if j == i else f"{ref(*singles[i])}:{ref(*singles[j])}")
        i = j + 1
    return out


def total_formula(total: plan.Sum, pos: Mapping[str, tuple[int, int]]) -> str:
    """The sum once every addend is filled in, else blank: a blank is never counted as 0."""
    refs = ",".join(_ranges([pos[a.pointer] for a in total.addends]))
    return f'=IF(COUNT({refs})={len(total.addends)},SUM({refs}),"")'


def _side(cells: plan.Weighted, pos: Mapping[str, tuple[int, int]]) -> str:
    plus = _ranges([pos[c.pointer] for w, c in cells if w > 0])
    minus = _ranges([pos[c.pointer] for w, c in cells if w < 0])
    out = f"SUM({','.join(plus)})" if plus else "0"
    return out + (f"-SUM({','.join(minus)})" if minus else "")


def check_formula(balance: plan.Balance, pos: Mapping[str, tuple[int, int]]) -> str:
    refs = ",".join(_ranges([pos[c.pointer] for c in balance.cells]))
    return (f'=IF(COUNT({refs})<{len(balance.cells)},"{INCOMPLETE}",'
            f'IF({_side(balance.left, pos)}={_side(balance.right, pos)},"{PASS}","{FAIL}"))')


# ----------------------------------------------------------------------------- cover sheet


def _level_list() -> str:
    return '"' + ",".join(lb.zh for lb in LEVEL_LABELS.values()) + '"'


def _meta_value(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.type is Level:
        return LEVEL_LABELS[value].zh
    if field.type is IsoDate:
        return value  # a real date: Excel's date picker, sorting and formats work
    if field.type is Amount:
        return amount_value(value)
    return value if isinstance(value, int) else to_text(value)


def _field_validation(field: Field) -> Any:
    if field.type is Year:
        return lambda: DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                                      allow_blank=True, showErrorMessage=True)
    if field.type is Level:
        return lambda: DataValidation(type="list", formula1=_level_list(), allow_blank=True, showErrorMessage=True)
    if field.type is IsoDate:
        return lambda: DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                      showErrorMessage=True)
    if field.type is Count:
        return lambda: _validation(CellKind.COUNT)
    if field.type is Amount:
        return lambda: _validation(CellKind.AMOUNT)
    return None


def _field_row(ws: Worksheet, row: int, key: str, label: Label, value: Any, *, editable: bool,
               validations: _Validations, field: Field | None = None) -> int:
    """One field (and its continuation rows); returns the next free row."""
    pieces: list[Any] = chunks(value) if isinstance(value, str) else [value]
    for i, piece in enumerate(pieces):
        put_text(ws.cell(row, 1), label.zh if i == 0 else "（续）")
        ws.cell(row, 1).style = "gd-field"
        put_text(ws.cell(row, 3), label.en if i == 0 else "(continued)")
        ws.cell(row, 3).style = "gd-note"
        put_text(ws.cell(row, KEY_COLUMN), key if i == 0 else f"{key}{CONTINUED}{i + 1}")
        cell = ws.cell(row, 2)
        if not editable:
            cell.style = "gd-fixed"
        elif field is not None and field.type is IsoDate:
            cell.style = "gd-date"
        else:
            cell.style = "gd-text"
        if isinstance(piece, str):
            put_text(cell, piece)  # after the style: it may set the cell's quote prefix
        elif piece is not None:
            cell.value = piece
        make = _field_validation(field) if editable and field is not None else None
        if make is not None:
            validations.add(field.type, make, cell.coordinate)  # type: ignore[union-attr]
        row += 1
    return row


def _cover(wb: Workbook, report: Report) -> None:
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = COVER
    spec = report.spec
    put_text(ws.cell(1, 1), spec.label.zh)
    ws.cell(1, 1).style = "gd-title"
    put_text(ws.cell(2, 1), NOTES[0])
    ws.cell(2, 1).style = "gd-note"
    _merge(ws, 2, 1, 2, 3)
    ws.row_dimensions[2].height = 45
    validations = _Validations()
    row = 4
    row = _field_row(ws, row, "format_version", FORMAT_VERSION_DOC, spec.version, editable=False,
                     validations=validations)
    row = _field_row(ws, row, "variant", VARIANT_DOC, spec.variant, editable=False, validations=validations)
    for field in meta_fields():
        row = _field_row(ws, row, field.key, field.label, _meta_value(field, field.get(report)), editable=True,
                         validations=validations, field=field)
    row += 1
    for field in part_fields(spec):
        text = field.get(report)
        start = row
        row = _field_row(ws, row, field.key, field.label, text, editable=True, validations=validations)
        for r in range(start, row):
            ws.row_dimensions[r].height = 120
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions[get_column_letter(KEY_COLUMN)].hidden = True
    validations.attach(ws)
    _protect(ws)


# ----------------------------------------------------------------------------- table sheets


def _check_places(geo: plan.Geometry, balances: Iterable[plan.Balance]
                  ) -> tuple[dict[str, list[tuple[plan.Balance, int]]], dict[str, list[tuple[plan.Balance, int]]]]:
    """Balances by code: those shown in a row below the table (at a column) and those shown in a
    column right of it (at a row)."""
    below: dict[str, list[tuple[plan.Balance, int]]] = {}
    right: dict[str, list[tuple[plan.Balance, int]]] = {}
    for b in balances:
        where = [geo.positions[c.pointer] for c in b.cells]
        rows, cols = {r for r, _ in where}, {c for _, c in where}
        if len(rows) == 1 and not geo.transposed:
            right.setdefault(b.code, []).append((b, where[0][0]))
        else:
            below.setdefault(b.code, []).append((b, where[0][1] if len(cols) == 1 else geo.positions[
                b.left[0][1].pointer][1]))
    return below, right


def _check_cell(cell: Any, formula: str) -> None:
    cell.value = formula
    cell.style = "gd-check"


def _check_label(b: plan.Balance) -> str:
    return f"核对 {b.code}：{b.left_name.zh} = {b.right_name.zh}"


def _table_sheet(wb: Workbook, report: Report, table_id: str, rules: Sequence[Rule], form: bool) -> None:
    spec = report.spec
    ws = wb.create_sheet(plan.sheet_name(spec, table_id))
    geo = plan.geometry(spec, table_id)
    _heading(ws, report, table_id, geo)
    widths = _labels(ws, geo)
    _values(ws, report, table_id, geo, rules, form)
    _checks(ws, geo, [b for b in plan.balances(spec, rules) if b.cells[0].table.id == table_id])
    _column_widths(ws, geo, widths)
    _row_heights(ws, geo)
    _page_setup(ws)
    _protect(ws)


def _heading(ws: Worksheet, report: Report, table_id: str, geo: plan.Geometry) -> None:
    """The part's heading (else the table's name) and, under it, the legend of the cell colours."""
    part = plan.table_part(report.spec, table_id)
    put_text(ws.cell(1, 1), (part.heading if part else report.spec.table(table_id).label).zh)
    ws.cell(1, 1).style = "gd-title"
    put_text(ws.cell(2, 1), NOTES[1])
    ws.cell(2, 1).style = "gd-note"
    _merge(ws, 2, 1, 2, geo.width)
    ws.row_dimensions[2].height = 30


def _labels(ws: Worksheet, geo: plan.Geometry) -> dict[int, float]:
    """The row and column labels in the official layout; the width each single column's labels want."""
    widths: dict[int, float] = {}
    for p in geo.placed:
        if p.slot.label is None:
            continue
        cell = ws.cell(p.row, p.col)
        put_text(cell, p.slot.label.zh)
        cell.style = "gd-label" if p.slot.kind == "row" and not geo.transposed else "gd-header"
        if p.slot.colspan == 1:
            widths[p.col] = max(widths.get(p.col, 0), min(40.0, 2.0 * len(p.slot.label.zh) / max(
                1, (p.slot.rowspan + 1) // 2) + 2))
        if p.slot.colspan > 1 or p.slot.rowspan > 1:  # the merged range takes its borders from this cell
            _merge(ws, p.row, p.col, p.row + p.slot.rowspan - 1, p.col + p.slot.colspan - 1)
    return widths


def _values(ws: Worksheet, report: Report, table_id: str, geo: plan.Geometry, rules: Sequence[Rule],
            form: bool = False) -> None:
    """Each cell: a live formula for a total that agrees with its addends, else the report's value
    (a total that disagrees kept as published, marked overridden), validated by its kind.  In a
    ``form`` (a blank to fill in), every blank total is a formula: the workbook computes it."""
    spec = report.spec
    totals = {p: s for p, s in plan.sums(spec, rules).items() if s.target.table.id == table_id}
    values = {c.pointer: v for c, v in report.cells(table_id)}
    formulas = plan.consistent(values, totals) | ({p for p in totals if values[p] is None} if form else set())
    validations = _Validations()
    for pointer, (row, col) in geo.positions.items():
        kind = spec.cell(pointer).column.kind
        cell = ws.cell(row, col)
        if pointer in formulas:
            cell.value = total_formula(totals[pointer], geo.positions)
            cell.style = f"gd-total-{kind.value}"
            continue
        _number(cell, kind, values[pointer])
        validations.add(kind, functools.partial(_validation, kind), cell.coordinate)
        if pointer in totals:
            cell.style = f"gd-override-{kind.value}"
            cell.comment = Comment(f"{OVERRIDDEN.zh}\n{OVERRIDDEN.en}", "govdisclosure")
        else:
            cell.style = f"gd-input-{kind.value}"
        if (span := geo.spans.get(pointer, 1)) > 1:
            _merge(ws, row, col, row, col + span - 1)
    validations.attach(ws)


def _column_widths(ws: Worksheet, geo: plan.Geometry, widths: Mapping[int, float]) -> None:
    for col in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = max(widths.get(col, 9.0), 9.0 if col <= geo.width
                                                                 else 16.0)


def _row_heights(ws: Worksheet, geo: plan.Geometry) -> None:
    """Rows whose label wraps: tall enough to show it."""
    for p in geo.placed:
        if p.slot.kind == "row" and p.slot.label is not None and p.slot.rowspan == 1:
            room = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(p.col, p.col + p.slot.colspan))
            lines = -(-2 * len(p.slot.label.zh) // max(int(room), 1))
            if lines > 1:
                ws.row_dimensions[p.row].height = 15 * lines


def _page_setup(ws: Worksheet) -> None:
    """Landscape A4, as wide as one page, as many pages long as it takes."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    fit = ws.sheet_properties.pageSetUpPr or PageSetupProperties()  # every new sheet has one; the stubs allow none
    fit.fitToPage = True
    ws.sheet_properties.pageSetUpPr = fit
    ws.page_setup.fitToHeight = 0


def _checks(ws: Worksheet, geo: plan.Geometry, balances: Sequence[plan.Balance]) -> None:
    below, right = _check_places(geo, balances)
    header_bottom = min(r for r, _ in geo.positions.values()) - 1
    col = geo.width + 1
    for items in right.values():
        put_text(ws.cell(geo.top, col), _check_label(items[0][0]))
        ws.cell(geo.top, col).style = "gd-header"
        if header_bottom > geo.top:
            _merge(ws, geo.top, col, header_bottom, col)
        for b, row in items:
            _check_cell(ws.cell(row, col), check_formula(b, geo.positions))
        col += 1
    row = geo.bottom + 2
    for items in below.values():
        first = min(c for _, c in items)
        label = ws.cell(row, 1)
        put_text(label, _check_label(items[0][0]))
        label.style = "gd-check-label"
        if first == 1:  # no room beside the checks: the label takes a row above them
            _merge(ws, row, 1, row, geo.width)
            row += 1
        elif first > 2:
            _merge(ws, row, 1, row, first - 1)
        for b, c in items:
            _check_cell(ws.cell(row, c), check_formula(b, geo.positions))
        ws.row_dimensions[row].height = 30
        row += 1
    last = ws.max_row
    area = f"A{geo.top}:{get_column_letter(max(ws.max_column, 1))}{last}"
    for word, fill in ((PASS, "C6EFCE"), (FAIL, "FFC7CE"), (INCOMPLETE, "EDEDED")):
        # untyped in types-openpyxl; without those stubs openpyxl is Any and the ignore unused
        rule = CellIsRule(operator="equal", formula=[f'"{word}"'],  # type: ignore[no-untyped-call, unused-ignore]
                          fill=PatternFill("solid", fgColor=fill))
        ws.conditional_formatting.add(area, rule)


# ----------------------------------------------------------------------------- provenance and the whole


def _provenance(wb: Workbook, report: Report) -> None:
    if not report.provenance:
        return
    ws = wb.create_sheet(PROVENANCE)
    fields = provenance_fields()
    for col, (key, label) in enumerate((("pointer", "单元格"), *((f.key, f.label.zh) for f in fields)), 1):
        put_text(ws.cell(1, col), key)
        put_text(ws.cell(2, col), label)
        ws.cell(2, col).style = "gd-field"
    for row, (pointer, prov) in enumerate(report.provenance.items(), 3):
        put_text(ws.cell(row, 1), pointer)
        for col, f in enumerate(fields, 2):
            value = f.get(prov)
            if value is not None:
                put_text(ws.cell(row, col), to_text(value))
    ws.row_dimensions[1].hidden = True


def render_workbook(report: Report, rules: Sequence[Rule], *, form: bool = False) -> bytes:
    wb = Workbook()
    _add_styles(wb)
    _cover(wb, report)
    for table in report.spec.tables:
        _table_sheet(wb, report, table.id, rules, form)
    _provenance(wb, report)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
