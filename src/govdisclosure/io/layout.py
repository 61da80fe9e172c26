"""The cell layout of the form (which header spans what), derived from the declaration.

A table is laid out as rows of :class:`Slot`s with row and column spans, as the official Word
template lays it out: table 3's three-row header (the 勾稽关系 note in the corner, 申请人情况 over
the seven columns, 法人或其他组织 over five), the group labels beside their rows; table 4
printed transposed (行政复议 over five columns, 行政诉讼 over ten, one row of values); table 2's
blocks each under their article title.  Renderers read this; none of them knows a label.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Literal

import attrs

from ..formats.spec import Block, CellSpec, FormatSpec, Group, Label, Node, Row

__all__ = ["Line", "Slot", "table_layout", "walk_rows"]

Kind = Literal["title", "corner", "heading", "column", "group", "row", "value"]


@attrs.frozen
class Slot:
    kind: Kind
    label: Label | None = None
    colspan: int = 1
    rowspan: int = 1
    cell: CellSpec | None = None  #: for ``value`` slots


@attrs.frozen
class Line:
    slots: tuple[Slot, ...]
    header: bool = False


def _leaves(node: Node) -> int:
    return 1 if isinstance(node, Row) else sum(_leaves(c) for c in node.children)


def _depth(nodes: tuple[Node, ...]) -> int:
    """Levels of labels the rows need (1 for plain rows, +1 per level of groups)."""
    return max((1 if isinstance(n, Row) else 1 + _depth(n.children)) for n in nodes)


def walk_rows(nodes: tuple[Node, ...], prefix: tuple[str, ...] = (), opened: tuple[tuple[Group, int], ...] = ()
          ) -> Iterator[tuple[tuple[str, ...], Row, tuple[tuple[Group, int], ...], int]]:
    """(path, row, groups opening on this row, depth) for every row."""
    pending = list(opened)
    for node in nodes:
        if isinstance(node, Row):
            yield (*prefix, node.id), node, tuple(pending), 0
            pending = []
        else:
            sub = (*prefix, node.id) if node.id else prefix
            for path, row, groups, depth in walk_rows(node.children, sub, (*pending, (node, _leaves(node)))):
                yield path, row, groups, depth + 1
            pending = []


def _cells(spec: FormatSpec, table: str, path: tuple[str, ...], block: Block) -> list[CellSpec]:
    prefix = "/" + "/".join((table, *path)) + "/"
    return [spec.cell(prefix + c.id) for c in block.columns]


def _block_lines(spec: FormatSpec, table: str, block: Block, label_cols: int, data_cols: int) -> list[Line]:
    lines: list[Line] = []
    if block.label is not None:
        lines.append(Line((Slot("title", block.label, colspan=label_cols + data_cols),), header=True))
    grouped = any(c.group for c in block.columns)
    header_rows = (2 if grouped else 1) + (1 if block.columns_heading else 0)
    first: list[Slot] = []
    if block.corner is not None:
        first.append(Slot("corner", block.corner, colspan=label_cols, rowspan=header_rows))
    if block.columns_heading is not None:
        first.append(Slot("heading", block.columns_heading, colspan=len(block.columns)))
        lines.append(Line(tuple(first), header=True))
        first = []
    top, bottom = list(first), []
    seen: set[Label] = set()
    for i, col in enumerate(block.columns):
        extra = data_cols - len(block.columns) if i == len(block.columns) - 1 else 0
        if col.group is None:
            top.append(Slot("column", col.label, colspan=1 + extra, rowspan=2 if grouped else 1))
        else:
            if col.group not in seen:
                seen.add(col.group)
                top.append(Slot("group", col.group, colspan=sum(1 for c in block.columns if c.group == col.group)))
            bottom.append(Slot("column", col.label))
    lines.append(Line(tuple(top), header=True))
    if bottom:
        lines.append(Line(tuple(bottom), header=True))
    for path, row, opening, depth in walk_rows(block.rows):
        slots = [Slot("group", g.label, rowspan=n) for g, n in opening]
        slots.append(Slot("row", row.label, colspan=label_cols - depth))
        cells = _cells(spec, table, path, block)
        for i, cell in enumerate(cells):
            extra = data_cols - len(cells) if i == len(cells) - 1 else 0
            slots.append(Slot("value", cell=cell, colspan=1 + extra))
        lines.append(Line(tuple(slots)))
    return lines


def _transposed_lines(spec: FormatSpec, table: str, block: Block) -> list[Line]:
    ncols = len(block.columns)
    levels = _depth(block.rows)  # rows of group/row labels; the column labels come below
    placed: list[tuple[int, int, Slot]] = []
    col = 0

    def place(nodes: tuple[Node, ...], level: int) -> None:
        nonlocal col
        for node in nodes:
            if isinstance(node, Group):
                placed.append((level, col, Slot("group", node.label, colspan=_leaves(node) * ncols)))
                place(node.children, level + 1)
            else:
                placed.append((level, col, Slot("row", node.label, colspan=ncols)))
                for c in block.columns:
                    placed.append((level + 1, col, Slot("column", c.label, rowspan=levels - level)))
                    col += 1

    place(block.rows, 0)
    lines = [Line(tuple(s for r, _, s in sorted(placed, key=lambda t: (t[0], t[1])) if r == i), header=True)
             for i in range(levels + 1)]
    values = [Slot("value", cell=c) for path, _, _, _ in walk_rows(block.rows)
              for c in _cells(spec, table, path, block)]
    lines.append(Line(tuple(values)))
    return lines


@functools.cache
def table_layout(spec: FormatSpec, table_id: str) -> tuple[Line, ...]:
    """The rows of slots of one table, in the layout of the official form."""
    table = spec.table(table_id)
    if all(b.transposed for b in table.blocks):
        return tuple(line for b in table.blocks for line in _transposed_lines(spec, table_id, b))
    label_cols = max(_depth(b.rows) for b in table.blocks)
    data_cols = max(len(b.columns) for b in table.blocks)
    return tuple(line for b in table.blocks for line in _block_lines(spec, table_id, b, label_cols, data_cols))

