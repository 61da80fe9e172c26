"""From a table's stream of labels and numbers to its cells: which numbers belong to which row,
and how run-together digits split (with :mod:`.solver`)."""

from __future__ import annotations

import functools
from typing import Any

import attrs

from ..formats.spec import CellSpec, FormatSpec, Label
from ..rules.engine import compile_equation
from ..rules.types import Equation
from . import solver
from .solver import Instance, Run, Token
from .text import Group, Item, LabelHit, find_labels, groups


@attrs.frozen
class Doubt:
    """Something the parser could not settle, or a published oddity worth knowing."""

    pointer: str
    message: Label
    candidates: tuple[str, ...] = ()
    line: int | None = None

    def text(self, lang: str = "zh") -> str:
        where = f"line {self.line}: " if self.line else ""
        cands = f" [{' | '.join(self.candidates)}]" if self.candidates else ""
        return f"{where}{self.pointer or '/'}: {self.message.get(lang)}{cands}"


@functools.cache
def printed_rows(spec: FormatSpec, table: str) -> list[tuple[tuple[str, ...], Any, list[CellSpec]]]:
    """The rows as the form prints them: (path, row, cells); a transposed block (table 4) is one
    printed row holding all its cells."""
    out: list[tuple[tuple[str, ...], Any, list[CellSpec]]] = []
    for block in spec.table(table).blocks:
        rows = [(path, row) for path, row, b in spec.rows(table) if b is block]
        cells = [[spec.cell("/" + "/".join((table, *path, c.id))) for c in block.columns] for path, _ in rows]
        if block.transposed:
            out.append(((), None, [c for row_cells in cells for c in row_cells]))
        else:
            out.extend((path, row, row_cells) for (path, row), row_cells in zip(rows, cells))
    return out


def _chunk(gs: list[Group], widths: list[int]) -> list[tuple[Token, ...]] | None:
    """Groups cut into rows when every number is printed apart and the counts add up exactly."""
    tokens = [t for g in gs for t in g.tokens if not t.soft]
    if len(tokens) != sum(widths):
        return None
    out, i = [], 0
    for w in widths:
        out.append(tuple(tokens[i:i + w]))
        i += w
    return out


def fit(tokens: tuple[Token, ...], width: int) -> tuple[Token, ...]:
    """Drop lone-'|' marks beyond the row's width (they ended a row rather than left a cell empty)."""
    out = list(tokens)
    while len(out) > width and out[-1].soft:
        out.pop()
    while len(out) > width and out[0].soft:
        out.pop(0)
    return tuple(out)


def _hard(g: Group) -> int:
    return sum(1 for t in g.tokens if not t.soft)


def assign(stream: list[Item], rows: list[tuple[tuple[str, ...], Any, list[CellSpec]]], table: str
           ) -> tuple[list[tuple[Token, ...] | None], list[LabelHit], list[Doubt]]:
    """The tokens printed for each row, in the table's row order.

    The rows' order is fixed by the form, so numbers are assigned in order: one group of numbers
    per row when the counts agree (this survives PDF text whose numbers print above or inside
    their wrapped labels), or cut by the rows' widths when every number stands apart.  Otherwise
    each row takes the numbers that follow its label, and what cannot be placed is reported.
    """
    hits = find_labels(stream, [(p, r) for p, r, _ in rows if r is not None])
    label_ends = {h.item for h in hits}
    # lone '|' marks make a row of empty cells only right after a row's label
    gs = [g for g in groups(stream) if _hard(g) or (g.start - 1) in label_ends]
    widths = [len(cells) for _, _, cells in rows]
    doubts: list[Doubt] = []
    if hits:  # numbers before the table's first label are not the table's (an intro sentence)
        first = min(h.item for h in hits)
        head = [g for g in gs if g.start < first]
        if head and len(gs) - len(head) >= len(rows):
            gs = [g for g in gs if g.start >= first]
    if len(gs) == len(rows) and all(_hard(g) <= w for g, w in zip(gs, widths)):
        return [fit(g.tokens, w) for g, w in zip(gs, widths)], hits, doubts
    chunks = _chunk(gs, widths)
    if chunks is not None:
        return list(chunks), hits, doubts
    # by label: the numbers between a row's label and the next label
    by_path = {h.path: h for h in hits}
    starts = sorted(h.item for h in hits)
    out: list[tuple[Token, ...] | None] = []
    used: set[int] = set()
    for path, row, cells in rows:
        if row is None:  # a transposed block printed as one row: its numbers, wherever they stand
            free = [i for i in range(len(gs)) if i not in used]
            if free:
                used.add(free[0])
            out.append(gs[free[0]].tokens if free else None)
            continue
        hit = by_path.get(path)
        if hit is None:
            out.append(None)
            continue
        nxt = next((s for s in starts if s > hit.item), len(stream))
        mine = [i for i, g in enumerate(gs) if hit.item < g.start < nxt and i not in used]
        if mine:
            used.add(mine[0])
            out.append(fit(gs[mine[0]].tokens, len(cells)))
        else:
            out.append(None)
    for i, g in enumerate(gs):
        if i not in used:
            doubts.append(Doubt(f"/{table}", Label("这组数字找不到所属的行", "numbers that belong to no row found"),
                                tuple(t.raw for t in g.tokens), g.tokens[0].line))
    return out, hits, doubts


def _instances(spec: FormatSpec, equations: list[Equation], previous: Any) -> tuple[list[Instance], dict[str, Any]]:
    """The declared equations of this format as pointer sums; last year's cells as fixed values."""
    if previous is None:
        return list(_report_instances(spec, tuple(equations))), {}
    return _expand(spec, equations, previous)


@functools.cache
def _report_instances(spec: FormatSpec, equations: tuple[Equation, ...]) -> tuple[Instance, ...]:
    return tuple(_expand(spec, list(equations), None)[0])


def _expand(spec: FormatSpec, equations: list[Equation], previous: Any) -> tuple[list[Instance], dict[str, Any]]:
    out: list[Instance] = []
    fixed: dict[str, Any] = {}
    prev_spec = previous.spec if previous is not None else None
    for eq in equations:
        if eq.scope == "series" and previous is None:
            continue
        compiled = compile_equation(eq, spec, prev_spec if eq.scope == "series" else None)
        for inst in compiled.instances:
            def side(cells):  # type: ignore[no-untyped-def]
                terms = []
                for c in cells:
                    key = ("prev:" if c.previous else "") + c.spec.pointer
                    if c.previous:
                        fixed[key] = previous.cell(c.spec.pointer)
                    terms.append((c.weight, key))
                return tuple(terms)
            out.append(Instance(side(inst.left), side(inst.right)))
    return out, fixed


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def solve(spec: FormatSpec, tables: dict[str, list[tuple[Token, ...] | None]], equations: list[Equation],
          stated: dict[str, Any], previous: Any) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[Doubt]]:
    """Values of every cell: direct where each number stands apart, else split by the equations."""
    instances, fixed = _instances(spec, equations, previous)
    fixed = {**fixed, **stated}
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    doubts: list[Doubt] = []
    runs: list[Run] = []
    for table, assigned in tables.items():
        for (path, row, cells), tokens in zip(printed_rows(spec, table), assigned):
            if tokens is None:
                for c in cells:
                    values[c.pointer] = None
                continue
            runs.append(Run(tuple(cells), tokens))
    candidates: list[list[tuple[Any, ...]]] = []
    index = solver.by_cell(instances)
    for run in runs:
        try:
            cands = solver.splits(run, instances, fixed, index)
        except solver.SearchLimit:
            cands = []
            doubts.append(Doubt(run.cells[0].pointer, Label("拆分数字的搜索超出上限", "the split search hit its limit"),
                                tuple(t.raw for t in run.tokens), run.tokens[0].line))
        if not cands and run.tokens:
            # the row rule itself may be broken as published: try again with no equations
            try:
                loose = solver.splits(run, [], {})
            except solver.SearchLimit:
                loose = []
            if len(loose) == 1:
                cands = loose
                doubts.append(Doubt(run.cells[0].pointer, Label(
                    "本行数字不满足表中等式（按唯一的拆分读取，规则会报告）",
                    "the row's numbers break the table's equations (read by their only split; the rules report it)"),
                    line=run.tokens[0].line))
            else:
                cands = loose if loose else []
        candidates.append(cands)
    # what is settled helps settle the rest: first each run with the others' settled values, then jointly
    for _ in range(2):
        known = dict(fixed)
        for run, cands in zip(runs, candidates):
            if len(cands) == 1:
                known.update({c.pointer: v for c, v in zip(run.cells, cands[0])})
        for i, (run, cands) in enumerate(zip(runs, candidates)):
            if len(cands) > 1:
                local = list({id(x): x for c in run.cells for x in index.get(c.pointer, ())}.values())
                if not local:
                    continue
                narrowed = [cand for cand in cands if all(
                    inst.holds({**known, **{c.pointer: v for c, v in zip(run.cells, cand)}}) is not False
                    for inst in local)]
                if narrowed:
                    candidates[i] = narrowed
    open_runs = [i for i, c in enumerate(candidates) if len(c) > 1]
    if open_runs:
        known = dict(fixed)
        for run, cands in zip(runs, candidates):
            if len(cands) == 1:
                known.update({c.pointer: v for c, v in zip(run.cells, cands[0])})
        try:
            narrowed = solver.joint([runs[i] for i in open_runs], [candidates[i] for i in open_runs], instances,
                                    known)
        except solver.SearchLimit:
            narrowed = None
        if narrowed is not None:
            for i, cands in zip(open_runs, narrowed):
                candidates[i] = cands
    for run, cands in zip(runs, candidates):
        raw = {c.pointer: None for c in run.cells}
        if len(run.tokens) == len(run.cells):
            raw = {c.pointer: t.raw for c, t in zip(run.cells, run.tokens)}
        units = {c.pointer: t.unit for c, t in zip(run.cells, run.tokens) if t.unit} \
            if len(run.tokens) == len(run.cells) else {}
        for k, cell in enumerate(run.cells):
            options = sorted({cand[k] for cand in cands}, key=lambda v: (v is None, str(v)))
            entry: dict[str, Any] = {"line": run.tokens[0].line}
            if len(options) == 1:
                values[cell.pointer] = options[0]
                if raw[cell.pointer] is not None and raw[cell.pointer] != _show(options[0]):
                    entry["raw"] = raw[cell.pointer]
            else:
                values[cell.pointer] = None
                shown = tuple(_show(v) for v in options)
                if options:
                    entry["candidates"] = "|".join(shown)
                    entry["note"] = "数字连写，有多种拆分且无法由等式确定 / digits run together; several splits fit"
                    doubts.append(Doubt(cell.pointer, Label("数字连写，有多种拆分，留空并列出可能的值",
                                                            "digits run together with several possible splits; "
                                                            "left blank, candidates listed"), shown,
                                        run.tokens[0].line))
                else:
                    entry["note"] = "无法把本行数字拆分到各列 / the row's numbers could not be split into its cells"
                    doubts.append(Doubt(cell.pointer, Label("无法把本行数字拆分到各列", "the row's numbers could not be "
                                                                                    "split into its cells"),
                                        tuple(t.raw for t in run.tokens), run.tokens[0].line))
                entry["raw"] = "".join(t.raw for t in run.tokens)
            if cell.pointer in units:
                entry["unit"] = units[cell.pointer]
            provenance[cell.pointer] = entry
    return values, provenance, doubts


__all__ = ["Doubt", "assign", "printed_rows", "solve"]
