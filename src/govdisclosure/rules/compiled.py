"""The declared equations compiled to integer slots over a format's cells, built once per format.

A *slot* is a cell's position in :meth:`FormatSpec.cells` (document order), which is also its
position in ``report.values()``; the previous year's cells, for the cross-year equations, follow
at ``size + i``.  An :class:`Instance` is one concrete equation (``sum(left) = sum(right)`` over
slots with weights); :class:`Compiled` holds every instance of a set of equations for a format,
and for each slot the instances it takes part in.  The engine checks a report with it, and the
parser's solver uses it to split digits published without separators: one representation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import attrs

from ..errors import RuleDeclarationError
from ..formats.spec import Block, CellSpec, FormatSpec, Group, Label, Node, iter_nodes, iter_rows
from .types import Columns, Equation, Leaves, Term

__all__ = ["Compiled", "Instance", "RuleDeclarationError", "compile_format", "expand", "unknown_names"]


@attrs.frozen(eq=False)  # compared and hashed by identity: each is made once, by compile_format
class Instance:
    """One concrete equation: ``sum(w * value[s] for s, w in left) == sum(... right)``."""

    code: str  #: the equation's rule code
    at: Label  #: the column or row label where this instance holds
    left: tuple[tuple[int, int], ...]  #: (slot, weight)
    right: tuple[tuple[int, int], ...]
    #: (slot, +weight) for the left side and (slot, -weight) for the right: the sum is 0 when it holds
    terms: tuple[tuple[int, int], ...] = attrs.field(init=False, eq=False)
    slots: frozenset[int] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        terms = (*self.left, *((s, -w) for s, w in self.right))
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "slots", frozenset(s for s, _ in terms))

    def holds(self, values: Sequence[Any]) -> bool | None:
        """True/False when every slot has a value; None when one is blank (unknown)."""
        total = 0
        for slot, weight in self.terms:
            v = values[slot]
            if v is None:
                return None
            total += weight * v
        return total == 0

    def required(self, values: Sequence[Any], target: int) -> Any:
        """The value ``target`` must take for the equation to hold, if every other slot is known."""
        total, own = 0, 0
        for slot, weight in self.terms:
            if slot == target:
                own += weight
                continue
            v = values[slot]
            if v is None:
                return None
            total += weight * v
        if own not in (1, -1):
            return None
        return -total * own


@attrs.frozen(eq=False)  # by identity: one per format and set of equations (cached)
class Compiled:
    """The instances of some equations over a format (and last year's format, for series equations)."""

    spec: FormatSpec
    previous: FormatSpec | None
    cells: tuple[CellSpec, ...]  #: slot -> cell: this year's, then last year's
    size: int  #: how many of ``cells`` are this year's
    instances: tuple[Instance, ...]
    #: slot -> indices of the instances it takes part in
    touching: tuple[tuple[int, ...], ...]

    @functools.cached_property
    def slot(self) -> dict[str, int]:
        """This year's cells: pointer -> slot."""
        return {c.pointer: i for i, c in enumerate(self.cells[:self.size])}

    @functools.cached_property
    def previous_slot(self) -> dict[str, int]:
        """Last year's cells: pointer -> slot."""
        return {c.pointer: self.size + i for i, c in enumerate(self.cells[self.size:])}


def _find_group(nodes: tuple[Node, ...], key: str, prefix: tuple[str, ...] = ()
                ) -> tuple[tuple[str, ...], Group] | None:
    for node in nodes:
        if isinstance(node, Group):
            sub = (*prefix, node.id) if node.id else prefix
            if node.key == key:
                return sub, node
            found = _find_group(node.children, key, sub)
            if found:
                return found
    return None


def _rows_of(select: Any, block: Block) -> list[tuple[str, ...]] | None:
    """Row paths a term selects within a block (None: the block does not have them)."""
    paths = {path for path, _, _ in iter_rows(block.rows)}
    if isinstance(select, str):
        path = tuple(select.split("."))
        return [path] if path in paths else None
    if isinstance(select, Leaves):
        found = _find_group(block.rows, select.group)
        if found is None:
            return None
        prefix, group = found
        return [(*prefix, *p) for p, _, _ in iter_rows(group.children) if ".".join(p) not in select.exclude
                and p[-1] not in select.exclude]
    raise RuleDeclarationError(f"{select!r} selects columns, not rows")


def _columns_of(select: Any, block: Block) -> list[str] | None:
    ids = [c.id for c in block.columns]
    if isinstance(select, str):
        return [select] if select in ids else None
    if isinstance(select, Columns):
        return [c for c in ids if c not in select.exclude]
    raise RuleDeclarationError(f"{select!r} selects rows, not columns")


@functools.cache
def _slots(spec: FormatSpec) -> dict[str, int]:
    return {c.pointer: i for i, c in enumerate(spec.cells())}


Side = tuple[tuple[int, int], ...]


def _side(eq: Equation, terms: tuple[Term, ...], block: Block, fixed: str | tuple[str, ...], spec: FormatSpec,
          previous: FormatSpec | None) -> Side | None:
    """One side of an equation in one column (``over="columns"``) or one row: (slot, weight) pairs,
    or None when the block lacks a term's row or column."""
    this, size = _slots(spec), len(spec.cells())
    cells: list[tuple[int, int]] = []
    for term in terms:
        if term.previous and previous is None:
            return None
        slots, offset = (_slots(previous), size) if term.previous and previous is not None else (this, 0)
        targets: list[tuple[tuple[str, ...], str]]
        if isinstance(fixed, str):  # over columns: the term names rows
            targets = [(p, fixed) for p in (_rows_of(term.select, block) or [])]
        else:  # over rows: the term names columns
            targets = [(fixed, c) for c in (_columns_of(term.select, block) or [])]
        if not targets:
            return None
        for path, column in targets:
            slot = slots.get("/" + "/".join((eq.table, *path, column)))
            if slot is None:
                return None
            cells.append((offset + slot, term.weight))
    return tuple(cells)


@functools.cache
def expand(eq: Equation, spec: FormatSpec, previous: FormatSpec | None = None) -> tuple[Instance, ...]:
    """An equation's instances over a format (slots of ``previous`` start at ``len(spec.cells())``).

    A series equation needs ``previous``; without it, it has no instance.
    """
    try:
        table = spec.table(eq.table)
    except KeyError:
        return ()
    out: list[Instance] = []
    for block in table.blocks:
        if eq.over == "columns":
            anchors: list[tuple[Any, Label]] = [(c.id, c.label) for c in block.columns
                                                if eq.along is None or c.id in eq.along]
        else:
            anchors = [(path, row.label) for path, row, _ in iter_rows(block.rows)
                       if eq.along is None or ".".join(path) in eq.along]
        for fixed, at in anchors:
            left = _side(eq, eq.left, block, fixed, spec, previous)
            right = _side(eq, eq.right, block, fixed, spec, previous)
            if left and right:
                out.append(Instance(eq.code, at, left, right))
    return tuple(out)


def unknown_names(eq: Equation, specs: Sequence[FormatSpec]) -> list[str]:
    """What an equation names (its table; the rows, groups, columns and exclusions of its terms; ``along``) that
    table ``eq.table`` has in none of ``specs``: a misspelt row leaves an equation with no instance where it names
    it, which then never runs and never says so."""
    found = [_names(spec, eq.table) for spec in specs if eq.table in _names_tables(spec)]
    if not found:
        return [f"table {eq.table!r}"]
    rows = set().union(*(f[0] for f in found))
    groups = set().union(*(f[1] for f in found))
    columns = set().union(*(f[2] for f in found))
    leaves = {row.rpartition(".")[2] for row in rows}
    named, anchors = (rows, columns) if eq.over == "columns" else (columns, rows)
    missing: list[str] = []
    for term in (*eq.left, *eq.right):
        select = term.select
        if isinstance(select, str) and select not in named:
            missing.append(f"{'row' if named is rows else 'column'} {select!r}")
        elif isinstance(select, Leaves):
            if select.group not in groups:
                missing.append(f"group {select.group!r}")
            missing += [f"row {x!r}" for x in select.exclude if x not in rows and x not in leaves]
        elif isinstance(select, Columns):
            missing += [f"column {x!r}" for x in select.exclude if x not in columns]
    missing += [f"{'column' if anchors is columns else 'row'} {a!r} (along)" for a in eq.along or ()
                if a not in anchors]
    return missing


@functools.cache
def _names_tables(spec: FormatSpec) -> frozenset[str]:
    return frozenset(t.id for t in spec.tables)


@functools.cache
def _names(spec: FormatSpec, table: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """A table's row paths (dotted), group keys and column ids, over all its blocks."""
    rows: set[str] = set()
    groups: set[str] = set()
    columns: set[str] = set()
    for block in spec.table(table).blocks:
        rows.update(".".join(path) for path, _, _ in iter_rows(block.rows))
        groups.update(node.key for node in iter_nodes(block.rows) if isinstance(node, Group) and node.key is not None)
        columns.update(c.id for c in block.columns)
    return frozenset(rows), frozenset(groups), frozenset(columns)


@functools.cache
def compile_format(spec: FormatSpec, equations: tuple[Equation, ...], previous: FormatSpec | None = None
                   ) -> Compiled:
    """Every instance of ``equations`` that applies to ``spec`` (series ones only with ``previous``)."""
    instances = tuple(inst for eq in equations if eq.applies_to_format(spec)
                      and (eq.scope != "series" or previous is not None)
                      for inst in expand(eq, spec, previous if eq.scope == "series" else None))
    cells = spec.cells() + (previous.cells() if previous is not None else ())
    touching: list[list[int]] = [[] for _ in cells]
    for i, inst in enumerate(instances):
        for slot in inst.slots:
            touching[slot].append(i)
    return Compiled(spec, previous, cells, len(spec.cells()), instances, tuple(tuple(t) for t in touching))
