"""Stage ``solve``: every cell's value, direct where each number stands apart, else split by the
declared equations (:mod:`.solver`); what cannot be settled stays blank with its candidates."""

from __future__ import annotations

import functools
from typing import Any

import attrs

from ..findings import Finding
from ..formats.spec import FormatSpec
from ..rules.engine import compile_equation
from ..rules.types import Equation
from . import findings as F
from . import solver
from .rows import printed_rows
from .solver import Instance, Run
from .state import State
from .vocab import normalize, strip_notes

__all__ = ["solve"]


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


def solve_cells(spec: FormatSpec, tables: dict[str, Any], equations: list[Equation],
                stated: dict[str, Any], previous: Any, source: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]], list[Finding]]:
    """Values of every cell: direct where each number stands apart, else split by the equations."""
    instances, fixed = _instances(spec, equations, previous)
    fixed = {**fixed, **stated}
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    doubts: list[Finding] = []
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
            doubts.append(F.BUDGET(pointer=run.cells[0].pointer, file=source, line=run.tokens[0].line,
                                   raw="".join(t.raw for t in run.tokens)))
        if not cands and run.tokens:
            # the row rule itself may be broken as published: try again with no equations
            try:
                loose = solver.splits(run, [], {})
            except solver.SearchLimit:
                loose = []
            if len(loose) == 1:
                cands = loose
                doubts.append(F.RULE_BROKEN(pointer=run.cells[0].pointer, file=source, line=run.tokens[0].line))
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
                    doubts.append(F.AMBIGUOUS(pointer=cell.pointer, file=source, line=run.tokens[0].line,
                                              candidates=shown))
                else:
                    entry["note"] = "无法把本行数字拆分到各列 / the row's numbers could not be split into its cells"
                    doubts.append(F.UNSPLIT(pointer=cell.pointer, file=source, line=run.tokens[0].line,
                                            raw="".join(t.raw for t in run.tokens)))
                entry["raw"] = "".join(t.raw for t in run.tokens)
            if cell.pointer in units:
                entry["unit"] = units[cell.pointer]
            provenance[cell.pointer] = entry
    return values, provenance, doubts




def solve(state: State) -> State:
    spec = state.spec
    assert spec is not None
    found: list[Finding] = []
    equations = [r for r in state.registry.rules.values() if isinstance(r, Equation) and r.applies_to_format(spec)]
    previous = state.previous
    year = state.meta.get("title_year") or state.meta.get("year")
    if previous is not None and (year is None or previous.year != year - 1):
        found.append(F.PREVIOUS_IGNORED(pointer="/year", file=state.source, year=previous.year))
        previous = None
    pointers = {c.pointer for c in spec.cells()}
    stated = {p: v for p, v in state.stated_cells.items() if p in pointers}
    values, provenance, doubts = solve_cells(spec, dict(state.assigned), equations, stated, previous, state.source)
    found.extend(doubts)
    # the wording of the labels as printed, where it differs from the form's
    for table, hits in state.hits.items():
        for hit in hits:
            official = normalize(strip_notes(hit.row.label.zh))
            if not hit.published.startswith(official):
                for column in (c for c in spec.cells() if c.table.id == table and c.path == hit.path):
                    provenance.setdefault(column.pointer, {})["label"] = hit.published
    return attrs.evolve(state, values=values, provenance=provenance, findings=state.found(*found))
