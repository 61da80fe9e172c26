"""Core's table layout placed on a grid, as Word stores a table.

A Word table is a grid of columns (``w:tblGrid``); a cell covers ``gridSpan`` columns and a
vertical merge is a first cell (``vMerge="restart"``) and, in each row below, a cell marked
``vMerge`` (continue).  :func:`place` turns the rows of slots that
``govdisclosure.io.layout.table_layout`` derives from the declaration (HTML-like col/rowspans)
into that grid, with the column widths of the official template.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from govdisclosure.io.layout import Line, Slot

from . import style

__all__ = ["Placed", "PlacedTable", "place"]


@attrs.frozen
class Placed:
    """A slot at its place on the grid (0-based row and column of its top-left corner)."""

    slot: Slot
    row: int
    col: int


@attrs.frozen
class PlacedTable:
    rows: tuple[tuple[Placed, ...], ...]  #: the slots starting on each grid row, left to right
    widths: tuple[int, ...]  #: width of each grid column, in twentieths of a point
    header_rows: int  #: leading rows that repeat on each page (the table's first header)
    label_columns: int  #: grid columns left of the first value: row and group labels

    @property
    def columns(self) -> int:
        return len(self.widths)


def place(lines: Sequence[Line]) -> PlacedTable:
    """Place every slot as an HTML table would: left to right, skipping the grid cells that a
    rowspan from above still covers."""
    covered: dict[tuple[int, int], bool] = {}
    rows: list[tuple[Placed, ...]] = []
    ncols = 0
    for r, line in enumerate(lines):
        col = 0
        placed = []
        for slot in line.slots:
            while covered.get((r, col)):
                col += 1
            placed.append(Placed(slot, r, col))
            for dr in range(slot.rowspan):
                for dc in range(slot.colspan):
                    covered[(r + dr, col + dc)] = True
            col += slot.colspan
            ncols = max(ncols, col)
        rows.append(tuple(placed))
    header = 0
    for line in lines:
        if not line.header:
            break
        header += 1
    return PlacedTable(tuple(rows), _widths(rows, ncols), header, _label_columns(rows))


def _label_columns(rows: Sequence[Sequence[Placed]]) -> int:
    """Grid columns that hold row and group labels (left of the first value)."""
    firsts = [p.col for row in rows for p in row if p.slot.kind == "value"]
    return min(firsts) if firsts else 0


def _widths(rows: Sequence[Sequence[Placed]], ncols: int) -> tuple[int, ...]:
    """The template's widths: equal columns where labels take one column (table 2) or none (the
    transposed table 4); with nested groups (table 3) narrow group columns, fixed value
    columns, and the row labels taking the rest."""
    labels = _label_columns(rows)
    if labels <= 1 or ncols <= labels:
        base, extra = divmod(style.TABLE_WIDTH, ncols)
        return tuple(base + (1 if i < extra else 0) for i in range(ncols))
    groups = tuple(style.GROUP_COLUMN_WIDTHS[min(i, len(style.GROUP_COLUMN_WIDTHS) - 1)] for i in range(labels - 1))
    values = (style.VALUE_COLUMN_WIDTH,) * (ncols - labels)
    rest = style.TABLE_WIDTH - sum(groups) - sum(values)
    return (*groups, max(rest, style.VALUE_COLUMN_WIDTH), *values)
