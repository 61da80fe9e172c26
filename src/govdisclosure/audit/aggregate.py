"""Sum reports of one year and format into one (a city's departments into a city total)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import Any

import attrs

from ..errors import LoadError, problem
from ..formats.spec import CellKind, CellSpec, Label
from ..model import Agency, CellProvenance, Parts, Report, empty_report
from ..model.scalars import Level, Text

__all__ = ["UNITS_DIFFER", "aggregate"]

#: how the note on an amount left blank for its units begins
UNITS_DIFFER = "单位不同"
#: an amount in 元 per 万元
_WAN = 4


def aggregate(reports: Sequence[tuple[str, Report]], *, agency: str | None = None, level: str | None = None,
              region: str | None = None, title: str | None = None) -> Report:
    """The cell-by-cell sum of ``reports`` (name, report), all of one year, format and variant.

    A cell blank in any input is blank in the sum, and its provenance names the inputs where it was
    blank; the preamble lists every input.  Raises :class:`LoadError` naming the input that does not fit, or that
    repeats another (the same agency's report of the year given twice would be summed twice).

    Amounts are summed in one unit.  Each input's unit is the one its provenance keeps as published (``unit``:
    元 or 万元), else the one the form's label fixes (2021's 本年收费金额（单位：万元）), else unknown (2019's
    采购总金额 typed without one).  Amounts of 元 and 万元 are **converted exactly** (a 万元 is 10⁴ 元: a
    shift of the decimal point in :class:`~decimal.Decimal`, never rounded) into the form's unit, or into 元
    where the form fixes none (no decimals are made up), and the sum's provenance keeps that unit; an amount of
    no known unit beside one of a known unit cannot be converted: the sum is left blank and its provenance note
    says which inputs gave which unit (「单位不同：…」).
    """
    if not reports:
        raise LoadError([problem("GD-LOAD-INPUT", "", Label("至少一份报告", "at least one report"))])
    name0, first = reports[0]
    for name, r in reports[1:]:
        for what, got, want in (("/format_version", r.format_version, first.format_version),
                                ("/variant", r.variant, first.variant), ("/year", r.year, first.year)):
            if got != want:
                shown = (Label("无（官方格式）", "none (the official format)") if want is None
                         else Label(str(want), str(want)))
                raise LoadError([problem("GD-LOAD-TYPE", what, Label(
                    f"与 {name0} 相同（{shown.zh}）：汇总只能合并同一年度、同一格式的报告",
                    f"the same as {name0} ({shown.en}): only reports of one year and format can be summed"),
                    got=got)], name)
    _refuse_twice(reports)
    spec = first.spec
    sums: dict[str, Any] = {}
    provenance: dict[str, CellProvenance] = {}
    columns = list(zip(*(r.values() for _, r in reports), strict=True))
    for cell, values in zip(spec.cells(), columns, strict=True):
        blank_in = [reports[i][0] for i, v in enumerate(values) if v is None]
        if blank_in:
            sums[cell.pointer] = None
            # one note in both languages, each half whole (io.marks.note_text gives a reader its own)
            provenance[cell.pointer] = CellProvenance(
                note=Text(f"空白于：{'、'.join(blank_in)} / blank in: {', '.join(blank_in)}"))
        elif cell.column.kind is CellKind.AMOUNT:
            sums[cell.pointer], prov = _sum_amounts(cell, values, [n for n, _ in reports], [r for _, r in reports])
            if prov is not None:
                provenance[cell.pointer] = prov
        else:
            sums[cell.pointer] = sum(values[1:], values[0])
    names = [os.path.basename(n) for n, _ in reports]
    # the report's own text, in its language (the sum's inputs; English goes in messages, not the report)
    preamble = f"本报告由 {len(reports)} 份报告逐格相加汇总而成：" + "、".join(names) + "。"
    def text(value: str | None) -> Text | None:
        return None if value is None else Text(value)

    base = empty_report(spec, year=first.year, title=title,
                        agency=Agency(name=text(agency), level=None if level is None else Level(level),
                                      region=text(region)),
                        parts=Parts(preamble=Text(preamble)))
    return attrs.evolve(base.with_cells(sums), provenance=provenance)


def _refuse_twice(reports: Sequence[tuple[str, Report]]) -> None:
    """A report given twice (the same file, a copy, or another file of the same agency's report: its name and year
    again) would be summed twice: refused, naming both inputs (which of two versions is right is the caller's to
    say).  Reports of unnamed agencies are one report twice only when they are equal."""
    named: dict[str, int] = {}
    for i, (name, report) in enumerate(reports):
        agency = report.agency.name
        other: str | None
        if agency:
            first = named.setdefault(str(agency), i)
            if first == i:
                continue
            other = reports[first][0]
        else:
            other = next((n for n, r in reports[:i] if not r.agency.name and r == report), None)
            if other is None:
                continue
        raise LoadError([problem("GD-LOAD-INPUT", "/agency/name", Label(
            f"每份报告只汇总一次：与 {other} 是同一机关（{agency or '未注明'}）、同一年度的报告",
            f"each report summed once: the same agency ({agency or 'not named'}) and year as {other}"))], name)


def form_unit(cell: CellSpec) -> str | None:
    """The unit the form's label fixes for an amount (``本年收费金额（单位：万元）`` → 万元), if any."""
    found = re.search(r"单位[：:]\s*(万元|元)", cell.column.label.zh)
    return found.group(1) if found else None


def _sum_amounts(cell: CellSpec, values: Sequence[Any], names: Sequence[str], reports: Sequence[Report]
                 ) -> tuple[Decimal | None, CellProvenance | None]:
    """The sum of one amount cell over the inputs (none blank), in one unit, and the provenance it needs."""
    fixed = form_unit(cell)
    printed = [printed_unit(r, cell.pointer) for r in reports]
    units = [u or fixed for u in printed]
    if all(u is None for u in units):
        return _exact_sum(values), None  # no input says: as the numbers were typed
    if any(u is None for u in units):
        by_unit: dict[str | None, list[str]] = {}
        for name, u in zip(names, units, strict=True):
            by_unit.setdefault(u, []).append(name)
        zh = "，".join(f"{u or '未注明'}（{'、'.join(n)}）" for u, n in by_unit.items())
        en = ", ".join(f"{u or 'none given'} ({', '.join(n)})" for u, n in by_unit.items())
        return None, CellProvenance(note=Text(f"{UNITS_DIFFER}：{zh} / units differ: {en}"))
    target: str = fixed or (str(units[0]) if len(set(units)) == 1 else "元")
    converted = [in_unit(v, str(u), target) for v, u in zip(values, units, strict=True)]
    total = _exact_sum(converted)
    if target == fixed and all(u is None for u in printed):
        return total, None  # the form's unit, printed by none: nothing to keep
    return total, CellProvenance(unit=Text(target))


def in_unit(value: Decimal, unit: str, target: str) -> Decimal:
    """An amount in ``unit`` (元 or 万元) written in ``target``: a shift of the decimal point, exact."""
    if unit == target:
        return value
    with localcontext() as ctx:
        ctx.prec = 200  # more than any amount's digits: exact
        return value.scaleb(_WAN if target == "元" else -_WAN)


def printed_unit(report: Report, pointer: str) -> str | None:
    """An amount's unit as its provenance keeps it printed, if any."""
    prov = report.provenance.get(pointer)
    return str(prov.unit) if prov is not None and prov.unit else None


def _exact_sum(values: Sequence[Any]) -> Any:
    with localcontext() as ctx:
        ctx.prec = 200
        total = sum(values[1:], values[0])
    if isinstance(total, Decimal) and total.as_tuple().exponent > 0:  # type: ignore[operator]
        total = total.quantize(Decimal(1))  # 5.215E+5 (52.15 万元 in 元) written as 521500
    return total
