"""The one engine: declared equations compiled against a format, checks called, findings sorted."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from ..errors import PluginError
from ..findings import Finding, Severity, _finding
from ..formats.spec import CellKind, CellSpec, FormatSpec
from ..labels import Label
from . import sums
from .compiled import Instance, expand
from .types import (
    BatchCheck,
    Check,
    Equation,
    Rule,
    RuleContext,
    extended,
)
from .types import _new_context as _new  # object.__new__
from .values import run_complete, run_values

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

__all__ = ["UNCHECKED", "blank_totals", "evaluate", "evaluate_batch", "fill_totals"]

UNCHECKED = "GD-UNCHECKED"


class _Plan:
    """An equation's instances over a format (and last year's), ready to check a report.

    The instances are the shared compiled representation (:mod:`.compiled`: slots into
    ``report.values()``, last year's after this year's); the instances are also checked all at
    once by one generated function, so that a balanced report costs one call per equation.
    (A plain class, native in the compiled build: :func:`_judged` reads its fields without a lookup by name.)
    """

    def __init__(self, instances: tuple[Instance, ...], cells: tuple[CellSpec, ...], size: int,
                 checkers: tuple[Callable[[tuple[Any, ...]], list[int]], Callable[[tuple[Any, ...]], list[int]]],
                 sides: tuple[tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]], ...],
                 by_slot: tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...], tuple[bool, ...]], disjoint: bool,
                 slots: tuple[tuple[int, ...], ...], splits: tuple[int, ...]) -> None:
        self.instances = instances
        self.cells = cells  #: slot -> cell
        self.size = size  #: how many slots are this year's
        #: the indexes of the instances that may not hold in a report without blanks (:func:`_checker`) ...
        self.complete = checkers[0]
        #: ... and in one with blanks
        self.blanks = checkers[1]
        #: by instance, what its finding names (:func:`_named`), made when it first fails
        self.named: dict[Instance, _Named] = {}
        #: what :func:`_judged` reads, by instance: its sides (an Instance's fields are Python attributes, read
        #: slowly) ...
        self.sides = sides
        #: ... and by slot: its cell's pointer, the pointer's first slot (last year's cells have this year's
        #: pointers), its key among a finding's cells, and whether a blank there can only be >= 0 (not a signed count)
        self.pointers, self.firsts, self.keys, self.unsigned = by_slot
        #: whether no cell is a term twice, in one instance or in two (a table's rows summed, or its columns): then
        #: the blank cells of the instances blanks leave open are each named once without looking
        self.disjoint = disjoint
        #: by instance, its terms' slots, the left side's then the right's, and how many are the left side's: what
        #: :func:`_judged` looks for blanks in first (an instance with a blank on each side is open whatever they
        #: hold, and most instances a report's blanks leave failing are so: their sums are not needed)
        self.slots = slots
        self.splits = splits
        #: by instance, the slots of each side whose blank can only raise the side's sum (:func:`_adding`)
        self.adding = tuple((_adding(left, self.unsigned), _adding(right, self.unsigned)) for left, right in sides)


@attrs.frozen
class _Named:
    """What the finding of a failing instance names, the same for every report of a format."""

    pointers: tuple[str, ...]
    labels: tuple[str, ...]
    left: Label
    right: Label


def _named(eq: Equation, plan: _Plan, inst: Instance) -> _Named:
    found = plan.named.get(inst)
    if found is None:
        cells = [plan.cells[s] for s, _ in (*inst.left, *inst.right)]
        found = plan.named[inst] = _Named(tuple(c.pointer for c in cells), tuple(c.label("zh") for c in cells),
                                          _names(inst.left, plan, eq.left_name, eq.over),
                                          _names(inst.right, plan, eq.right_name, eq.over))
    return found


@functools.cache
def _plan(eq: Equation, spec: FormatSpec, previous: FormatSpec | None) -> _Plan:
    instances = expand(eq, spec, previous)
    cells = spec.cells() + (previous.cells() if previous is not None else ())
    size = len(spec.cells())
    pointers = tuple(c.pointer for c in cells)
    first: dict[str, int] = {}
    firsts = tuple(first.setdefault(p, slot) for slot, p in enumerate(pointers))
    terms = [firsts[slot] for inst in instances for slot, _ in (*inst.left, *inst.right)]
    keys = tuple(("previous:" if slot >= size else "") + p for slot, p in enumerate(pointers))
    return _Plan(instances, cells, size, (_checker(instances, False), _checker(instances, True)),
                 tuple((inst.left, inst.right) for inst in instances),
                 (pointers, firsts, keys, tuple(c.column.kind is not CellKind.SIGNED for c in cells)),
                 len(set(terms)) == len(terms),
                 tuple(tuple(slot for slot, _ in (*inst.left, *inst.right)) for inst in instances),
                 tuple(len(inst.left) for inst in instances))


#: a side of more terms is summed by ``sum()``: a long chain of ``+`` nests as deep in the compiler
_ADDED_TERMS = 32
#: a side of more terms in slots evenly apart is ``sum()`` of a slice: fewer are added faster one by one
_SLICED_TERMS = 8


def _total(side: tuple[tuple[int, int], ...]) -> str:
    """A side's sum as code (the same sum as ``sum()``'s, which starts from 0, as :func:`_sum`'s)."""
    slots = [slot for slot, _ in side]
    if _sliced(slots):
        return f"sum(v[{slots[0]}:{slots[-1] + 1}:{slots[1] - slots[0]}])"
    items = [f"v[{slot}]" for slot in slots]
    return " + ".join(items) if _chained(slots) else f"sum(({', '.join(items)},))" if items else "0"


def _sliced(slots: list[int]) -> bool:
    """Whether :func:`_total` sums a side as a slice: more than :data:`_SLICED_TERMS` slots evenly apart."""
    if len(slots) <= _SLICED_TERMS:
        return False
    step = slots[1] - slots[0]
    return step > 0 and slots == list(range(slots[0], slots[-1] + 1, step))  # a table's column or row


def _chained(slots: list[int]) -> bool:
    """Whether :func:`_total` sums a side as ``v[a] + v[b] + …`` (its first value as it is), not from 0."""
    return 0 < len(slots) <= _ADDED_TERMS and not _sliced(slots)


def _checker(instances: tuple[Instance, ...], blanks: bool) -> Callable[[tuple[Any, ...]], list[int]]:
    """One function for every instance of an equation, generated (as the model's value getters are):
    the indexes of the instances that may not hold in the values given.  Those are the ones with a
    weight other than 1 (worked out by :func:`_sum`), with ``blanks`` those with a blank cell, and
    those whose sums differ: ``v[3] + v[4] != v[2]``, the sums of ``sum()`` without the call."""
    failing: Callable[[tuple[Any, ...]], list[int]] = _compiled(_tests(instances, blanks, str))
    return failing


def _tests(instances: tuple[Instance, ...], blanks: bool, mark: Callable[[int], str]) -> list[str]:
    """The lines of :func:`_checker`'s function that test each instance, appending ``mark(k)`` for the
    k-th instance when it may not hold."""
    lines: list[str] = []
    for k, inst in enumerate(instances):
        terms = (*inst.left, *inst.right)
        if any(w != 1 for _, w in terms):
            lines.append(f"    out.append({mark(k)})")
            continue
        test = " != ".join(_total(side) for side in (inst.left, inst.right))
        if blanks:  # a value is a number or None (blank): ``is None`` is ``None in``'s test, without the tuple
            test = " or ".join([*(f"v[{slot}] is None" for slot, _ in terms), test])
        lines += [f"    if {test}:", f"        out.append({mark(k)})"]
    return lines


def _compiled(tests: list[str]) -> Any:
    namespace: dict[str, Any] = {}
    exec("\n".join(["def failing(v):", "    out = []", *tests, "    return out"]), namespace)  # slot numbers only
    return namespace["failing"]


def table_values(report: Report, table: str | None, memo: dict[Any, Any]) -> tuple[Any, ...]:
    """``report.values(table)``, read once per run and shared by every rule of it."""
    return run_values(report, table, memo)


def _names(side: tuple[tuple[int, int], ...], plan: _Plan, name: Label | None, over: str) -> Label:
    """What a side of an equation is called: the rule's name for it, else its cells' official labels
    (the rows' when the equation holds in each column, the columns' when it holds in each row)."""
    if name is not None:
        return name

    def words(lang: str) -> str:
        parts: list[str] = []
        for slot, weight in side:
            cell = plan.cells[slot]
            label = (cell.row.label if over == "columns" else cell.column.label).get(lang)
            if slot >= plan.size:
                label = ("上年" if lang == "zh" else "last year's ") + label
            parts.append(("− " if weight < 0 else "+ ") + label if parts else ("−" if weight < 0 else "") + label)
        return " ".join(parts)
    return Label(words("zh"), words("en"))


def _sum(side: tuple[tuple[int, int], ...], values: tuple[Any, ...]) -> tuple[Any, list[int]]:
    """A side's sum over its present cells, and its blank slots."""
    total: Any = 0
    blanks: list[int] = []
    for slot, weight in side:
        v = values[slot]
        if v is None:
            blanks.append(slot)
        else:
            total += weight * v
    return total, blanks


def _shown(plan: _Plan, sides: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]],
           values: tuple[Any, ...]) -> dict[str, Any]:
    """Each cell's value of an instance, by pointer (``previous:`` before last year's), left side first."""
    keys = plan.keys
    return {keys[slot]: values[slot] for side in sides for slot, _ in side}


def _may_only_add(blanks: list[int], adding: frozenset[int]) -> bool:
    # a blank that can only be >= 0 and is added can only raise its side's sum
    return all(s in adding for s in blanks)


def _adding(side: tuple[tuple[int, int], ...], unsigned: tuple[bool, ...]) -> frozenset[int]:
    """The slots of a side whose blank can only raise its sum: added (by the side's last weight for the slot, as a
    dict of the side takes it) and never below 0 (not a signed count)."""
    return frozenset(s for s, w in dict(side).items() if w > 0 and unsigned[s])


def _failing(plan: _Plan, values: tuple[Any, ...], complete: bool) -> list[int]:
    """The indexes of the instances that may not hold, found by the generated check: those with a weight other
    than 1, a blank cell (only when the report has one) or sums that differ."""
    return (plan.complete if complete else plan.blanks)(values)


def _run_equation(eq: Equation, report: Report, previous: Report | None, memo: dict[Any, Any],
                  file: str | None = None) -> list[Finding]:
    plan = _plan(eq, report.spec, previous.spec if previous is not None else None)
    values = table_values(report, None, memo) + (table_values(previous, None, memo) if previous is not None else ())
    key = ("complete", id(report), id(previous))
    complete = memo.get(key)
    if complete is None:  # once per report, not once per equation
        complete = memo[key] = None not in values
    return _judged(eq, plan, values, _failing(plan, values, complete), file)


def _judged(eq: Equation, plan: _Plan, values: tuple[Any, ...], failing: list[int], file: str | None
            ) -> list[Finding]:
    """The findings of the instances that may not hold (by index): those that fail whatever their blanks hold,
    then one ``GD-UNCHECKED`` for those that blanks leave open."""
    out: list[Finding] = []
    unchecked = 0
    #: the blank cells of the open instances, in order: their pointers when the plan is disjoint (each named once
    #: as it comes), else their slots (:func:`_distinct` names each once)
    open_cells: list[Any] = []
    disjoint = plan.disjoint
    pointers = plan.pointers
    every, slotted, splits = plan.sides, plan.slots, plan.splits
    for k in failing:
        slots = slotted[k]
        split: int = splits[k]
        if _blank_in(values, slots, 0, split) and _blank_in(values, slots, split, len(slots)):
            unchecked += 1  # open whatever its blanks hold (a blank on each side): no sum needed
            _add_open(open_cells, values, slots, pointers, disjoint)
            continue
        sides = every[k]
        left, lb = _sum(sides[0], values)
        right, rb = _sum(sides[1], values)
        if not lb and not rb:
            if left == right:
                continue
        elif not (not lb and _may_only_add(rb, plan.adding[k][1]) and right > left) and not (
                not rb and _may_only_add(lb, plan.adding[k][0]) and left > right):
            unchecked += 1
            _add_open(open_cells, values, slots, pointers, disjoint)
            continue
        out.append(_failed(eq, plan, plan.instances[k], (left, right), [pointers[s] for s in (*lb, *rb)],
                           _shown(plan, sides, values), file))
    if unchecked:
        named: list[str] = open_cells if disjoint else list(_distinct(plan, open_cells))
        code = eq.code
        # made as Finding.make makes one (attrs' __init__ is interpreted, a call a field): most excerpts have one a
        # balance
        out.append(_finding(UNCHECKED, _INFO, _unchecked_message(code, unchecked), named[0] if named else "",
                            tuple(named), (), {"rule": code, "instances": unchecked, "blank_cells": named}, file,
                            None, None, None))
    return out


#: GD-UNCHECKED's messages made, by rule code and count: the same words for many reports (a Label is frozen)
_UNCHECKED_MESSAGES: dict[tuple[str, int], Label] = {}
_MAX_UNCHECKED_MESSAGES: Final = 4096


def _unchecked_message(code: str, unchecked: int) -> Label:
    """GD-UNCHECKED's message for ``unchecked`` open instances of the rule ``code``."""
    key = (code, unchecked)
    found = _UNCHECKED_MESSAGES.get(key)
    if found is None:
        if len(_UNCHECKED_MESSAGES) >= _MAX_UNCHECKED_MESSAGES:
            _UNCHECKED_MESSAGES.clear()
        found = _UNCHECKED_MESSAGES[key] = Label(
            f"{code} 有 {unchecked} 处因空白单元格无法完整核对（空白不按 0 计）",
            f"{code}: {unchecked} instance(s) could not be fully checked because of blank cells "
            f"(a blank is not counted as 0)")
    return found


def _blank_in(values: tuple[Any, ...], slots: tuple[int, ...], start: int, stop: int) -> bool:
    """Whether a value at ``slots[start:stop]`` is blank."""
    return any(values[slots[i]] is None for i in range(start, stop))  # a loop when compiled


def _add_open(open_cells: list[Any], values: tuple[Any, ...], slots: tuple[int, ...], pointers: tuple[str, ...],
              disjoint: bool) -> None:
    """An open instance's blank cells (its left side's, then its right's) added to :func:`_judged`'s list: their
    pointers when the plan is disjoint, else their slots."""
    for slot in slots:
        if values[slot] is None:
            open_cells.append(pointers[slot] if disjoint else slot)


def _distinct(plan: _Plan, slots: list[int]) -> tuple[str, ...]:
    """The pointers of the slots, each once, in the order first met (``dict.fromkeys``' of the pointers; a pointer
    is known by its first slot, so that last year's cell and this year's are one)."""
    pointers, firsts = plan.pointers, plan.firsts
    seen = [False] * len(pointers)
    out: list[str] = []
    for slot in slots:
        first = firsts[slot]
        if not seen[first]:
            seen[first] = True
            out.append(pointers[first])
    return tuple(out)


def _failed(eq: Equation, plan: _Plan, inst: Instance, totals: tuple[Any, Any], blanks: list[str],
            shown: dict[str, Any], file: str | None) -> Finding:
    """The finding of an instance that fails whatever its blank cells hold."""
    left, right = totals
    named = _named(eq, plan, inst)
    finding = Finding.make(
        eq.code, eq.severity, eq.message, pointer=named.pointers[0], pointers=named.pointers, labels=named.labels,
        params={"at": inst.at, "left": left, "right": right, "diff": left - right, "left_name": named.left,
                "right_name": named.right, "cells": shown, "blank_cells": blanks}, file=file)
    if blanks:  # said after the message, whatever the rule's template
        finding = attrs.evolve(finding, message=Label(
            finding.message.zh + f"（另有 {len(blanks)} 个空白单元格未计入）",
            finding.message.en + f" ({len(blanks)} blank cells not counted)"))
    return finding


@attrs.frozen(eq=False)
class _Program:
    """A list of rules sorted out once for a format: what is left to run, in order, and the report's own
    balances, whose instances are all tested at once (most reports balance: then that one test is all the
    balances cost)."""

    #: each rule left to run, with its place among ``balances`` for one of them (else :data:`_CHECK` for a
    #: report check that applies by format, :data:`_FORMAT_KNOWN` for another rule that does, or :data:`_ASK`
    #: for a rule that decides by the report itself), its check function (None but for a check) and its options:
    #: read here once, not from the (frozen) rule at each report
    steps: tuple[tuple[Rule, int, Any, Mapping[str, Any]], ...]
    balances: tuple[Equation, ...]
    plans: tuple[_Plan, ...]  #: each balance's (not looked up by the equation's hash, which is Python's, per report)
    #: the compiled build's test: the balances' instances as :func:`.sums.failing` reads them, and the (balance,
    #: instance) pair of each (:func:`_flat`); None in pure Python, or for slots past a byte ...
    ops: bytes | None
    marks: tuple[tuple[int, int], ...]
    #: ... which run the generated functions instead, giving the pairs of the instances that may not hold in a
    #: report without blanks and in one with (:func:`_fused`)
    generated: tuple[Callable[[tuple[Any, ...]], list[tuple[int, int]]],
                     Callable[[tuple[Any, ...]], list[tuple[int, int]]]] | None


#: a step that is not a balance: whether it applies is known, or asked each time; a report check known to
#: apply, called straight (most steps: nothing about it is left to decide per report)
_FORMAT_KNOWN: Final = -1
_ASK: Final = -2
_CHECK: Final = -3

#: programs by the rule list's and the format's identity (a registry hands out the same tuple of rules
#: for a format every time), each kept with both, so that an id is not reused while it is here
_PROGRAMS: dict[tuple[int, int], tuple[tuple[Rule, ...], FormatSpec, _Program]] = {}
_MAX_PROGRAMS = 256


def _program(rules: Iterable[Rule], spec: FormatSpec) -> _Program:
    if type(rules) is not tuple:
        return _sorted_out(tuple(rules), spec)
    key = (id(rules), id(spec))
    hit = _PROGRAMS.get(key)
    if hit is not None and hit[0] is rules and hit[1] is spec:
        return hit[2]
    if len(_PROGRAMS) >= _MAX_PROGRAMS:
        _PROGRAMS.clear()
    program = _sorted_out(rules, spec)
    _PROGRAMS[key] = (rules, spec, program)
    return program


def _sorted_out(rules: tuple[Rule, ...], spec: FormatSpec) -> _Program:
    """The rules that may run on a report of ``spec``: batch rules and other formats' dropped (a rule
    that decides by the report itself, overriding ``applies_to``, is asked each time)."""
    steps: list[tuple[Rule, int, Any, Mapping[str, Any]]] = []
    balances: list[Equation] = []
    for rule in rules:
        by_format = type(rule).applies_to is Rule.applies_to
        if not isinstance(rule, (Equation, Check)) or rule.scope == "batch" or (
                by_format and not rule.applies_to_format(spec)):
            continue
        if isinstance(rule, Equation) and rule.scope == "report" and by_format:
            steps.append((rule, len(balances), None, rule.options))
            balances.append(rule)
        elif isinstance(rule, Check) and rule.scope == "report" and by_format:
            steps.append((rule, _CHECK, rule.check, rule.options))
        else:
            steps.append((rule, _FORMAT_KNOWN if by_format else _ASK, None, rule.options))
    ops, marks = _flat(tuple(balances), spec) if sums.NATIVE else (None, ())
    return _Program(tuple(steps), tuple(balances), tuple(_plan(eq, spec, None) for eq in balances), ops, marks,
                    _fused(tuple(balances), spec) if ops is None else None)


@functools.lru_cache(maxsize=_MAX_PROGRAMS)
def _fused(balances: tuple[Equation, ...], spec: FormatSpec) -> tuple[Any, Any]:
    """:func:`_checker`'s functions for several equations in one, giving (equation, instance) pairs."""
    plans = [_plan(eq, spec, None) for eq in balances]
    return tuple(_compiled([line for e, plan in enumerate(plans)
                            for line in _tests(plan.instances, blanks, functools.partial(_pair, e))])
                 for blanks in (False, True))


def _pair(e: int, k: int) -> str:
    return f"({e}, {k})"


def _flat(balances: tuple[Equation, ...], spec: FormatSpec) -> tuple[bytes | None, tuple[tuple[int, int], ...]]:
    """The instances of several equations as :func:`.sums.failing` reads them (the instances :func:`_fused` tests),
    with their (equation, instance) pairs."""
    plans = [_plan(eq, spec, None) for eq in balances]
    return (_ops([inst for plan in plans for inst in plan.instances]),
            tuple((e, k) for e, plan in enumerate(plans) for k in range(len(plan.instances))))


def _ops(instances: list[Instance]) -> bytes | None:
    """Instances as :func:`.sums.failing` reads them: each side summed as :func:`_total` sums it, an instance with a
    weight other than 1 listed, as :func:`_tests` does; None for a slot or a side's head past a byte."""
    ops: list[int] = []
    for inst in instances:
        if any(w != 1 for _, w in (*inst.left, *inst.right)):
            ops.append(sums.LISTED)
            continue
        for side in (inst.left, inst.right):
            slots = [slot for slot, _ in side]
            ops += [2 * len(slots) + (0 if _chained(slots) else 1), *slots]
    return bytes(ops) if all(op < 256 for op in ops) else None


def _failing_balances(program: _Program, report: Report, memo: dict[Any, Any]) -> dict[int, list[int]]:
    """By balance (its place in the program), the indexes of its instances that may not hold."""
    values = run_values(report, None, memo)
    complete = run_complete(report, memo)
    ops, generated = program.ops, program.generated
    # typed: each pair unpacked as a tuple of two ints, not by the iterator protocol
    pairs = cast(list[tuple[int, int]], sums.failing(ops, program.marks, values, not complete) if ops is not None
                 else cast(tuple[Any, Any], generated)[0 if complete else 1](values))
    out: dict[int, list[int]] = {}
    last = -1
    instances: list[int] = []
    for e, k in pairs:  # (balance, instance) pairs, a balance's together
        if e != last:
            last = e
            instances = out.setdefault(e, [])
        instances.append(k)
    return out


def evaluate(report: Report, rules: Iterable[Rule], previous: Report | None = None, *,
             config: Mapping[str, Mapping[str, Any]] | None = None, load_findings: Sequence[Finding] = (),
             registry: Registry | None = None) -> list[Finding]:
    """Run rules on a report (series rules only when ``previous`` is given); findings sorted by
    severity, then code, in document order within a code.  ``config`` overrides the rules'
    options by code; ``load_findings`` are what loading the report found (``ctx.load_findings``)."""
    return evaluate_file(report, rules, previous, config=config, load_findings=load_findings, registry=registry)


def evaluate_file(report: Report, rules: Iterable[Rule], previous: Report | None = None, *,
                  config: Mapping[str, Mapping[str, Any]] | None = None, load_findings: Sequence[Finding] = (),
                  registry: Registry | None = None, file: str | None = None) -> list[Finding]:
    """:func:`evaluate`, the findings made naming ``file`` (the report's source) as they are made."""
    findings: list[Finding] = []
    memo: dict[Any, Any] = {}
    loaded, spec = tuple(load_findings), report.spec  # once, not once per rule
    program = _program(rules, spec)
    failing = _failing_balances(program, report, memo) if program.balances else {}
    for rule, at, function, options in program.steps:
        if at == _CHECK:  # what _run_rule and _run_check decide is known: a report check, of this format
            ctx = _context(rule, memo, options if config is None else _options(rule, config), registry, loaded, spec,
                           file)
            found = _called(cast(Check, rule), function, report, ctx)
            if found:  # most checks find nothing
                findings.extend(found)
            continue
        if at >= 0:  # a balance of the report: tested above with the others
            if at not in failing:
                continue
            found = _judged(cast(Equation, rule), program.plans[at], table_values(report, None, memo), failing[at],
                            file)
        else:
            found = _run_rule(rule, report, previous, memo, (config, registry, loaded, file), at == _ASK)
        if found:
            findings.extend(found)
    if len(findings) > 1:
        findings.sort(key=worst_first)  # stable: document order within a code
    return findings


def worst_first(finding: Finding) -> tuple[int, str]:
    """Where a finding sorts, worst first, then by code (the key of :func:`evaluate_file` and of ``api.validate``):
    ``(finding.severity.rank, finding.code)``, the rank told by the severity's identity (``rank`` is a property that
    looks the severity up by its hash, both Python's), as ``rank`` tells it."""
    severity = finding.severity
    rank = (_RANK_ERROR if severity is _ERROR else _RANK_WARNING if severity is _WARNING
            else _RANK_INFO if severity is _INFO else severity.rank)
    return rank, finding.code


_ERROR: Final = Severity.ERROR
_WARNING: Final = Severity.WARNING
_INFO: Final = Severity.INFO
_RANK_ERROR: Final = Severity.ERROR.rank
_RANK_WARNING: Final = Severity.WARNING.rank
_RANK_INFO: Final = Severity.INFO.rank


def unrestated(loaded: Sequence[Finding], found: Sequence[Finding]) -> list[Finding]:
    """The parser's findings less those a rule's finding says again with what it knows more (its ``restates``
    param names the parser's code, line and label: GD-T2-UNKNOWN-ROW, GD-T2-LABEL of a GD-PARSE-NO-ROW): one
    finding per row, not two warnings for it (probe 13 #11).  A run that leaves the rule out keeps the parser's; so
    does a milder restatement (GD-T2-LABEL, an info, of numbers not read: the parser's warning stays, review 13b #6)."""
    # a plugin's finding may carry a param of that name meaning something else: only the shape named here counts
    said = {(r["parser_code"], r.get("line"), r.get("label")): f.severity.rank for f in found
            if isinstance(r := f.params.get("restates"), dict) and isinstance(r.get("parser_code"), str)}
    if not said:
        return list(loaded)
    return [f for f in loaded if said.get((f.code, f.line, f.params.get("label")), 99) > f.severity.rank]


def _run_rule(rule: Rule, report: Report, previous: Report | None, memo: dict[Any, Any],
              run: tuple[Mapping[str, Mapping[str, Any]] | None, Registry | None, tuple[Finding, ...], str | None],
              ask: bool) -> list[Finding]:
    """A rule other than the report's balances: a check, or a series balance; ``run`` is the call's
    config, registry, load findings and file; ``ask``: whether the rule applies is asked of it."""
    config, registry, loaded, file = run
    scope = rule.scope
    if (ask and not rule.applies_to(report)) or (scope == "series" and previous is None):
        return []
    prev = previous if scope == "series" else None
    if prev is not None and rule.pairs == "consecutive" and not _consecutive(prev, report):
        return []  # not the year before: GD-X-SERIES says so, the other rules would compare unlike things
    if isinstance(rule, Equation):
        return _run_equation(rule, report, prev, memo, file)
    if not isinstance(rule, Check):  # not among the steps: neither a balance nor a check
        return []
    ctx = _context(rule, memo, rule.options if config is None else _options(rule, config), registry, loaded,
                   report.spec, file)
    return _run_check(rule, report, prev, ctx)


def _context(rule: Rule, memo: dict[Any, Any], options: Mapping[str, Any], registry: Registry | None,
             load_findings: tuple[Finding, ...], spec: FormatSpec, file: str | None) -> RuleContext:
    """``RuleContext(rule, memo, options=…, …)``, made for each check of each report: its fields set one by one, here
    in compiled code (at a third of the keyword call's cost)."""
    ctx: RuleContext = _NEW_CONTEXT(_RULE_CONTEXT)
    ctx.rule, ctx.memo, ctx.options, ctx.registry = rule, memo, options, registry
    ctx.load_findings, ctx.spec, ctx._file = load_findings, spec, file
    return ctx


#: what :func:`_context` calls, read from the compiled module's own statics (not looked up by name at each call)
_NEW_CONTEXT: Final = _new
_RULE_CONTEXT: Final = RuleContext


def _consecutive(previous: Report, report: Report) -> bool:
    return previous.year is not None and report.year is not None and previous.year == report.year - 1


def _run_check(rule: Check, report: Report, previous: Report | None, ctx: RuleContext) -> list[Finding]:
    return _called(rule, rule.check, report, ctx, previous)


def _called(rule: Check, check: Any, report: Report, ctx: RuleContext, previous: Report | None = None
            ) -> list[Finding]:
    """The findings of a check: ``check`` is the rule's ReportCheck, or its SeriesCheck given ``previous``."""
    try:
        found = check(report, ctx) if previous is None else check(report, previous, ctx)
        if type(found) is not list:  # a generator's findings (a list is only read, not kept)
            found = list(found)
    except Exception as exc:
        raise _crashed(rule, exc) from exc
    return _findings_of(rule, found)


def _crashed(rule: Rule, exc: Exception) -> PluginError:
    return PluginError(f"规则 {rule.code} 出错 / rule {rule.code} failed: {type(exc).__name__}: {exc}")


def _findings_of(rule: Rule, found: list[Any]) -> list[Finding]:
    """What a check yielded, which must be findings (made with ``ctx.finding``)."""
    if not found:  # most checks find nothing
        return found
    for f in found:  # (each checked: a None yielded is no finding either)
        if not isinstance(f, Finding):
            raise PluginError(f"规则 {rule.code} 的检查给出了 {f!r}，应为 Finding（用 ctx.finding 生成） / rule "
                              f"{rule.code}: its check yielded {f!r}, expected a Finding (made with ctx.finding)")
    return found


def evaluate_batch(reports: Sequence[Report], rules: Iterable[Rule], *,
                   config: Mapping[str, Mapping[str, Any]] | None = None,
                   load_findings: Sequence[Sequence[Finding]] | None = None,
                   registry: Registry | None = None) -> list[list[Finding]]:
    """Run the ``scope="batch"`` rules over every report of a run at once: findings per report."""
    out: list[list[Finding]] = [[] for _ in reports]
    for rule in rules:
        if not isinstance(rule, Check) or rule.scope != "batch":
            continue
        mine = [i for i, r in enumerate(reports) if rule.applies_to(r)]
        if not mine:
            continue
        seen = tuple(f for i in mine for f in (load_findings[i] if load_findings else ()))
        ctx = RuleContext(rule, {}, options=_options(rule, config), registry=registry, load_findings=seen)
        for k, finding in _batch_pairs(rule, [reports[i] for i in mine], ctx):
            out[mine[k]].append(_labelled(finding, reports[mine[k]].spec))
    for each in out:
        each.sort(key=lambda f: (f.severity.rank, f.code))
    return out


def _batch_pairs(rule: Check, reports: list[Report], ctx: RuleContext) -> list[tuple[int, Finding]]:
    try:
        pairs = list(cast(BatchCheck, rule.check)(reports, ctx))
    except Exception as exc:
        raise _crashed(rule, exc) from exc
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], int) and 0 <= pair[0] < len(reports)
                and isinstance(pair[1], Finding)):
            raise PluginError(f"规则 {rule.code} 的批量检查应给出（序号, Finding）对，实际为 {pair!r} / "
                              f"rule {rule.code}: a batch check yields (index, finding) pairs, got {pair!r}")
    return pairs


def _labelled(finding: Finding, spec: FormatSpec) -> Finding:
    """A batch finding with the official labels of its pointers, as a report rule's get them."""
    if finding.labels or not finding.pointers:
        return finding
    named = [spec.label_at(p) for p in finding.pointers]
    return attrs.evolve(finding, labels=tuple(label.zh for label in named if label)) if all(named) else finding


_MERGED: dict[tuple[int, int], tuple[Rule, Any, Mapping[str, Any]]] = {}


def _options(rule: Rule, config: Mapping[str, Mapping[str, Any]] | None) -> Mapping[str, Any]:
    """The rule's options with the user's over them: the same object for the same options, so that
    what a check compiles from them once (word lists, patterns) is reused report after report."""
    extra = config.get(rule.code) if config else None
    if not extra:
        return rule.options
    key = (id(rule), id(extra))
    hit = _MERGED.get(key)
    if hit is not None and hit[0] is rule and hit[1] == extra:  # equal: a caller may have changed it since
        return hit[2]
    if len(_MERGED) > 1024:
        _MERGED.clear()
    merged = {**rule.options, **extra}
    if isinstance(extra.get("add"), Mapping):  # appended to any rule's lists here, once (add.* is left empty)
        adds = extended(rule.options.get("add") or {}, extra["add"])
        merged.update({name: extended(merged.get(name), more) for name, more in adds.items()}, add={})
    _MERGED[key] = (rule, copy.deepcopy(dict(extra)), merged)
    return merged


def blank_totals(report: Report, rules: Iterable[Rule]) -> dict[str, tuple[str, ...]]:
    """The totals a summation rule determines that are still blank, each with the blank cells it waits
    for (a blank is not 0: the clerk writes 0 for none)."""
    cells = report.spec.cells()
    values = report.values()
    out: dict[str, tuple[str, ...]] = {}
    for eq in rules:
        if not (isinstance(eq, Equation) and eq.derives and eq.scope == "report" and eq.applies_to(report)):
            continue
        for inst in expand(eq, report.spec):
            slot = inst.left[0][0]
            if len(inst.left) == 1 and values[slot] is None:
                waits = tuple(cells[s].pointer for s, _ in inst.right if values[s] is None)
                if waits and cells[slot].pointer not in out:
                    out[cells[slot].pointer] = waits
    return out


def fill_totals(report: Report, rules: Iterable[Rule]) -> tuple[Report, list[str]]:
    """Fill blank total cells that a summation rule (``derives=True``) determines.

    Only a blank cell that is the single term of its side is filled, from a side with no
    blanks, and only with a non-negative value; published cells are never changed.  Repeats
    until nothing more can be filled (a row total may need a column total first).
    """
    equations = [r for r in rules if isinstance(r, Equation) and r.derives and r.scope == "report"
                 and r.applies_to(report)]
    cells = report.spec.cells()
    filled: list[str] = []
    changed = True
    while changed:
        changed = False
        values = report.values()
        for inst in (inst for eq in equations for inst in expand(eq, report.spec)):
            for target, other in ((inst.left, inst.right), (inst.right, inst.left)):
                slot, weight = target[0]
                if len(target) != 1 or weight != 1 or values[slot] is not None or any(w != 1 for _, w in other):
                    continue
                parts = [values[s] for s, _ in other]
                present = [v for v in parts if v is not None]
                total = sum(present)
                if len(present) < len(parts) or total < 0:
                    continue
                report = report.with_cells({cells[slot].pointer: total})
                values = report.values()
                filled.append(cells[slot].pointer)
                changed = True
    return report, filled
