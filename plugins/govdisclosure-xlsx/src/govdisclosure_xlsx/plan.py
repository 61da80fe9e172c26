"""What the workbook holds, derived from the declaration: where each cell sits, which cells are
totals (and of what), and which balances the check area shows.  No openpyxl here.

- :func:`geometry` places core's :func:`~govdisclosure.io.layout.table_layout` on a sheet grid,
  as an HTML table would be placed (row and column spans), so that the merged header cells and
  the verbatim labels are the official form's.
- :func:`sums` are the cells a declared equation with ``derives=True`` determines (a side of one
  cell, the other side all +1): each becomes a live formula; :func:`derive` computes them the
  way the formula does (a blank addend leaves the total blank: blank is not 0).
- :func:`balances` are every report-scope equation, expanded per column or row: one check
  formula each.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from govdisclosure.formats.spec import CellSpec, FormatSpec, Label, Part
from govdisclosure.io.layout import Slot, table_layout
from govdisclosure.rules import Equation, Rule, expand

Value = int | Decimal | None
Weighted = tuple[tuple[int, CellSpec], ...]

_NUMERALS = "一二三四五六七八九十"


@attrs.frozen
class Placed:
    row: int
    col: int
    slot: Slot


@attrs.frozen
class Geometry:
    """One table on its sheet: every slot at its (row, column), 1-based."""

    table: str
    placed: tuple[Placed, ...]
    positions: Mapping[str, tuple[int, int]]  #: pointer -> (row, col) of each value cell
    spans: Mapping[str, int]  #: pointer -> columns a value cell spans, where more than one
    top: int
    bottom: int
    width: int  #: columns the table spans
    transposed: bool


@functools.cache
def geometry(spec: FormatSpec, table_id: str, top: int = 3) -> Geometry:
    occupied: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    lines = table_layout(spec, table_id)
    for i, line in enumerate(lines):
        row, col = top + i, 1
        for slot in line.slots:
            while (row, col) in occupied:
                col += 1
            placed.append(Placed(row, col, slot))
            occupied.update((row + dr, col + dc) for dr in range(slot.rowspan) for dc in range(slot.colspan))
            col += slot.colspan
    positions = {p.slot.cell.pointer: (p.row, p.col) for p in placed if p.slot.cell is not None}
    spans = {p.slot.cell.pointer: p.slot.colspan for p in placed if p.slot.cell is not None and p.slot.colspan > 1}
    width = max(c for _, c in occupied)
    transposed = all(b.transposed for b in spec.table(table_id).blocks)
    return Geometry(table_id, tuple(placed), positions, spans, top, top + len(lines) - 1, width, transposed)


def table_part(spec: FormatSpec, table_id: str) -> Part | None:
    return next((p for p in spec.parts if p.is_table and p.id == table_id), None)


def sheet_name(spec: FormatSpec, table_id: str) -> str:
    """表二, 表三, 表四: the table's part number, as clerks name the tables."""
    part = table_part(spec, table_id)
    if part is not None and 0 < part.number <= len(_NUMERALS):
        return "表" + _NUMERALS[part.number - 1]
    label = spec.table(table_id).label.zh
    return "".join(ch for ch in label if ch not in "[]:*?/\\")[:31]


# ----------------------------------------------------------------------------- equations


@attrs.frozen
class Sum:
    """A total that a declared equation determines: ``target = sum(addends)``."""

    code: str
    target: CellSpec
    addends: tuple[CellSpec, ...]


@attrs.frozen
class Balance:
    """One instance of a declared balance: ``sum(left) = sum(right)`` at one column or row."""

    code: str
    left_name: Label
    right_name: Label
    at: Label
    left: Weighted
    right: Weighted

    @property
    def cells(self) -> tuple[CellSpec, ...]:
        return tuple(c for _, c in (*self.left, *self.right))


def _instances(eq: Equation, spec: FormatSpec) -> Iterable[tuple[Label, Weighted, Weighted]]:
    """The equation expanded for one format (core's own expansion, which the engine and the parser share)."""
    cells = spec.cells()
    for inst in expand(eq, spec):
        yield (inst.at, tuple((w, cells[s]) for s, w in inst.left), tuple((w, cells[s]) for s, w in inst.right))


def _equations(spec: FormatSpec, rules: Iterable[Rule]) -> list[Equation]:
    return [r for r in rules if isinstance(r, Equation) and r.scope == "report" and r.applies_to_format(spec)]


def _side_name(name: Label | None, cells: Weighted) -> Label:
    if name is not None:
        return name
    rows = {c.row.label for _, c in cells}
    labels = [c.row.label if len(rows) > 1 else c.column.label for _, c in cells]
    return Label(" + ".join(lb.zh for lb in labels), " + ".join(lb.en for lb in labels))


def balances(spec: FormatSpec, rules: Iterable[Rule]) -> tuple[Balance, ...]:
    return tuple(
        Balance(eq.code, _side_name(eq.left_name, left), _side_name(eq.right_name, right), at, left, right)
        for eq in _equations(spec, rules) for at, left, right in _instances(eq, spec)
    )


def sums(spec: FormatSpec, rules: Iterable[Rule]) -> dict[str, Sum]:
    """Each derivable total once (the first equation that determines it, skipping any that would
    make a cycle), in an order where every addend that is itself a total comes first."""
    found: dict[str, Sum] = {}
    for eq in _equations(spec, rules):
        if not eq.derives:
            continue
        for candidate in _derivations(eq, spec):
            pointer = candidate.target.pointer
            if pointer not in found and not _reaches(found, candidate, pointer):
                found[pointer] = candidate
    return _addends_first(found)


def _derivations(eq: Equation, spec: FormatSpec) -> Iterator[Sum]:
    """The totals one equation could derive: a side that is one cell of weight 1, the other a plain sum."""
    for _, left, right in _instances(eq, spec):
        for target, other in ((left, right), (right, left)):
            if len(target) == 1 and target[0][0] == 1 and all(w == 1 for w, _ in other):
                yield Sum(eq.code, target[0][1], tuple(c for _, c in other))


def _addends_first(found: Mapping[str, Sum]) -> dict[str, Sum]:
    """The totals reordered so that every addend that is itself a total comes before it."""
    order: dict[str, Sum] = {}

    def visit(pointer: str) -> None:
        if pointer in order or pointer not in found:
            return
        for addend in found[pointer].addends:
            visit(addend.pointer)
        order[pointer] = found[pointer]

    for pointer in found:
        visit(pointer)
    return order


def _reaches(found: Mapping[str, Sum], candidate: Sum, pointer: str) -> bool:
    """Would ``candidate`` depend, through other totals, on ``pointer``?"""
    stack, seen = [a.pointer for a in candidate.addends], set()
    while stack:
        p = stack.pop()
        if p == pointer:
            return True
        if p not in seen and p in found:
            seen.add(p)
            stack.extend(a.pointer for a in found[p].addends)
    return False


def derive(values: Mapping[str, Value], plan: Mapping[str, Sum], targets: Iterable[str]) -> dict[str, Value]:
    """The values the total formulas of ``targets`` compute from ``values`` (the others' values
    as given): a total is blank when any addend is blank, as the workbook's formula shows it."""
    wanted = set(targets)
    out = dict(values)
    for pointer, total in plan.items():  # plan order: addends first
        if pointer in wanted:
            parts = [out.get(a.pointer) for a in total.addends]
            out[pointer] = None if any(v is None for v in parts) else _sum(parts)
    return {p: out[p] for p in wanted}


def _sum(values: Iterable[Any]) -> Any:
    total: Any = 0
    for v in values:
        total += v
    return total


def consistent(values: Mapping[str, Any], plan: Mapping[str, Sum]) -> set[str]:
    """The totals whose formula would show exactly the report's value (those written as formulas;
    any other total is written as the report has it, and the check area flags it).  An addend
    that is itself a total shows the report's value either way, so each is judged on its own."""
    out = set()
    for pointer, total in plan.items():
        parts = [values.get(a.pointer) for a in total.addends]
        formula = None if any(v is None for v in parts) else _sum(parts)
        value = values.get(pointer)
        if formula == value and (formula is None) == (value is None):
            out.add(pointer)
    return out


def cell_label(cell: CellSpec, lang: str = "zh") -> str:
    """The official labels of a cell: its groups, row and column, joined by › and ·."""
    return " › ".join((*(g.get(lang) for g in cell.group_labels), f"{cell.row.label.get(lang)} · "
                                                                    f"{cell.column.label.get(lang)}"))
