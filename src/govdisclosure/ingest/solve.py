"""Stage ``solve``: every cell's value, direct where each number stands apart, else split by the
declared equations (:mod:`.solver`); what cannot be settled stays blank with its candidates.

Provenance is recorded where it says something: what a cell showed when that differs from its
value (``减4``, ``/``, ``73802895.90元``, run-together digits), a unit, the candidates of a cell
left blank and why, the label a row was printed with; and where each printed row is (its line,
its page), once per row, on the row's first cell.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..findings import Finding
from ..formats.spec import FormatSpec
from ..rules.compiled import Compiled, compile_format
from ..rules.types import Equation
from . import findings as F
from .budget import Budget, BudgetSpent
from .rows import PrintedRow, printed_rows
from .solver import MAX_DIGITS, Run, joint, splits
from .state import State
from .tokens import Token

__all__ = ["solve"]

AMBIGUOUS_NOTE = "数字连写，有多种拆分且无法由等式确定 / digits run together; several splits fit"
UNSPLIT_NOTE = "无法把本行数字拆分到各列 / the row's numbers could not be split into its cells"
JOINT_NOTE = "连写的数字由表中等式共同确定（唯一解） / settled by the table's equations together (the only solution)"
BROKEN_NOTE = "本行数字不满足本行等式，按唯一的拆分读取 / the row breaks its own equation; read by its only split"
BUDGET_NOTE = "解析工作量用尽，未拆分 / the parse's work budget ran out: not split"
TOO_LONG_NOTE = "超过 15 位，不是计数 / longer than 15 digits: not a count"


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def _too_long(tokens: tuple[Token, ...], width: int) -> tuple[tuple[Token, ...], list[Token]]:
    """Numbers longer than a count can be, where each number is a cell of its own: blank, and said."""
    if len(tokens) != width and not all(t.cell for t in tokens):
        return tokens, []
    long = [t for t in tokens if len(t.text.lstrip("-").split(".")[0]) > MAX_DIGITS]
    if not long:
        return tokens, []
    return tuple(t._replace(text="", blank=True) if t in long else t for t in tokens), long


def _equations(state: State) -> tuple[Equation, ...]:
    return tuple(r for r in state.registry.rules.values() if isinstance(r, Equation))


def solve(state: State) -> State:
    spec = state.spec
    assert spec is not None
    found: list[Finding] = []
    previous = state.previous
    year = state.title[4] if state.title else state.meta.get("year")
    if previous is not None and (year is None or previous.year != year - 1):
        found.append(F.PREVIOUS_IGNORED(pointer="/year", file=state.source, year=previous.year))
        previous = None
    comp = compile_format(spec, _equations(state), previous.spec if previous is not None else None)
    base: list[Any] = [None] * len(comp.cells)
    if previous is not None:
        base[comp.size:] = previous.values()
    stated = {comp.slot[p]: v for p, v in state.stated_cells.items() if p in comp.slot}
    for slot, v in stated.items():
        base[slot] = v
    values, provenance = _solve(state, spec, comp, base, stated, found)
    # the label a row was printed with, where it differs from the form's
    for table, hits in state.hits.items():
        for hit in hits:
            if not any(hit.published.startswith(f) for f in _forms(hit.row)):
                first = next(c for c in spec.cells() if c.table.id == table and c.path == hit.path)
                provenance.setdefault(first.pointer, {})["label"] = hit.published
    return attrs.evolve(state, values=values, provenance=provenance, findings=state.found(*found))


def _forms(row: Any) -> tuple[str, ...]:
    from .rows import label_forms

    return label_forms(row)[:1]


def _solve(state: State, spec: FormatSpec, comp: Compiled, base: list[Any], stated: dict[int, Any],
           found: list[Finding]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    budget: Budget = state.budget
    source = state.source
    values: dict[str, Any] = {}
    provenance: dict[str, dict[str, Any]] = {}
    runs: list[Run] = []
    where: list[tuple[int, Any]] = []  # (offset of the run's first token, its printed row)
    for table, assigned in state.assigned.items():
        for printed, tokens in zip(printed_rows(spec, table), assigned, strict=True):
            cells = printed[2]
            if tokens is None:
                for c in cells:
                    values[c.pointer] = None
                continue
            tokens, long = _too_long(tokens, len(cells))
            for t in long:
                found.append(F.TOO_LONG(pointer=cells[0].pointer, file=source, line=state.line(t.at),
                                        digits=len(t.text.lstrip("-").split(".")[0])))
            runs.append(Run(tuple(comp.slot[c.pointer] for c in cells), tuple(c.column.kind for c in cells), tokens))
            where.append((tokens[0].at if tokens else 0, printed))
    candidates: list[list[tuple[Any, ...]]] = []
    status: list[str] = []  # "", "broken", "budget"
    work = list(base)
    for run in runs:
        for s in run.slots:
            work[s] = None
        try:
            cands = splits(run, comp, work, stated, budget)
            state_ = ""
            if not cands and run.tokens:
                # the row may break its own rule as published: try again with no equation
                loose = splits(run, None, work, stated, budget)
                cands, state_ = loose, "broken" if loose else ""
        except BudgetSpent:
            cands, state_ = [], "budget"
        for s in run.slots:
            work[s] = base[s]
        candidates.append(cands)
        status.append(state_)
    # what is settled helps settle the rest: each open run against the settled ones, then jointly
    known = list(base)
    for run, cands in zip(runs, candidates, strict=True):
        if len(cands) == 1:
            for s, v in zip(run.slots, cands[0], strict=True):
                known[s] = v
    own = [_own(comp, run) if st == "broken" else frozenset() for run, st in zip(runs, status, strict=True)]
    opened = [i for i, c in enumerate(candidates) if len(c) > 1]
    initially_open = set(opened)
    for i in opened:
        run = runs[i]
        local = [comp.instances[idx] for idx in {x for s in run.slots for x in comp.touching[s]} - own[i]]
        narrowed = []
        for cand in candidates[i]:
            for s, v in zip(run.slots, cand, strict=True):
                known[s] = v
            if all(inst.holds(known) is not False for inst in local):
                narrowed.append(cand)
        for s in run.slots:
            known[s] = base[s]
        if narrowed:
            candidates[i] = narrowed
    for i, run in enumerate(runs):
        if len(candidates[i]) == 1:
            for s, v in zip(run.slots, candidates[i][0], strict=True):
                known[s] = v
    opened = [i for i, c in enumerate(candidates) if len(c) > 1]
    if opened:
        try:
            narrowed_all = joint([runs[i] for i in opened], [candidates[i] for i in opened], comp, known,
                                 [own[i] for i in opened], budget)
        except BudgetSpent:
            narrowed_all = None
            found.append(F.BUDGET(pointer=runs[opened[0]].slots and comp.cells[runs[opened[0]].slots[0]].pointer,
                                  file=source, raw="…"))
        if narrowed_all is not None:
            for i, cands in zip(opened, narrowed_all, strict=True):
                candidates[i] = cands
    for k, (run, cands) in enumerate(zip(runs, candidates, strict=True)):
        at, printed = where[k]
        _record(state, printed, run, cands, status[k], k in initially_open and len(cands) == 1, at, values,
                provenance, found)
    return values, provenance


def _own(comp: Compiled, run: Run) -> frozenset[int]:
    """The instances entirely within a run (its row rule)."""
    slots = set(run.slots)
    return frozenset(idx for s in run.slots for idx in comp.touching[s] if comp.instances[idx].slots <= slots)


def _record(state: State, printed: PrintedRow, run: Run, cands: list[tuple[Any, ...]], status: str, settled: bool,
            at: int, values: dict[str, Any], provenance: dict[str, dict[str, Any]], found: list[Finding]) -> None:
    """A run's cells, their provenance and findings."""
    cells = printed[2]
    source = state.source
    tokens = run.tokens
    line, page = state.line(at), state.page(at)
    apart = len(tokens) == len(cells) or (len(tokens) < len(cells) and all(t.cell for t in tokens))
    joined = "".join(t.raw for t in tokens)
    here: dict[str, Any] = {"line": line} | ({"page": page} if page is not None else {})
    for k, cell in enumerate(cells):
        options = sorted({cand[k] for cand in cands}, key=lambda v: (v is None, str(v)))
        entry: dict[str, Any] = {}
        if len(options) == 1:
            value = values[cell.pointer] = options[0]
            if apart:
                tok = tokens[k] if k < len(tokens) else None
                if tok is not None and tok.raw != _show(value):
                    entry["raw"] = tok.raw
                if tok is not None and tok.unit:
                    entry["unit"] = tok.unit
            elif k == 0:
                entry["raw"] = joined  # the run as printed, once, on the row's first cell
            if settled and k == 0:
                entry["note"] = JOINT_NOTE
            if status == "broken" and k == 0:
                entry["note"] = BROKEN_NOTE
        else:
            values[cell.pointer] = None
            entry["raw"] = joined
            if options:
                shown = tuple(_show(v) for v in options)
                entry["candidates"] = "|".join(shown)
                entry["note"] = AMBIGUOUS_NOTE
                found.append(F.AMBIGUOUS(pointer=cell.pointer, file=source, line=line, candidates=shown))
            elif status == "budget":
                entry["note"] = BUDGET_NOTE
                if k == 0:
                    found.append(F.BUDGET(pointer=cell.pointer, file=source, line=line, raw=joined))
            else:
                entry["note"] = UNSPLIT_NOTE
                found.append(F.UNSPLIT(pointer=cell.pointer, file=source, line=line, raw=joined))
        if entry or k == 0:
            provenance[cell.pointer] = entry | here
    if settled:
        found.append(F.JOINT(pointer=cells[0].pointer, file=source, line=line))
    elif status == "broken" and len(cands) == 1:
        found.append(F.RULE_BROKEN(pointer=cells[0].pointer, file=source, line=line))
