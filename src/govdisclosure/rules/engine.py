"""The one engine: declared equations compiled against a format, checks called, findings sorted."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs

from ..errors import PluginError
from ..findings import Finding, Severity
from ..formats.spec import CellKind, CellSpec, FormatSpec, Label
from .compiled import expand
from .types import BatchCheck, Check, Equation, ReportCheck, Rule, RuleContext, SeriesCheck

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

__all__ = ["UNCHECKED", "compile_equation", "evaluate", "evaluate_batch", "fill_totals"]

UNCHECKED = "GD-UNCHECKED"


@attrs.frozen
class _Cell:
    weight: int
    previous: bool
    spec: CellSpec
    get: Callable[[Any], Any]


@attrs.frozen
class _Instance:
    at: Label
    left: tuple[_Cell, ...]
    right: tuple[_Cell, ...]


@attrs.frozen
class _Compiled:
    """An equation expanded for one format.

    For the common case (this year's cells of one table, weights +1) each instance is also
    compiled to two ``itemgetter`` over the table's values tuple, which every rule of a run
    shares: a balanced report then costs a few C calls per instance.
    """

    instances: tuple[_Instance, ...]
    table: str | None = None
    sides: tuple[tuple[Callable[[Any], Any], Callable[[Any], Any]], ...] = ()


def _getter(indices: list[int]) -> Callable[[Any], tuple[Any, ...]]:
    get = operator.itemgetter(*indices)
    return (lambda values: (get(values),)) if len(indices) == 1 else get


def _compiled(instances: list[_Instance], spec: FormatSpec, table: str) -> _Compiled:
    cells = [c for inst in instances for c in (*inst.left, *inst.right)]
    if not cells or not all(c.weight == 1 and not c.previous for c in cells):
        return _Compiled(tuple(instances))
    index = {c.pointer: i for i, c in enumerate(c for c in spec.cells() if c.table.id == table)}
    sides = tuple((_getter([index[c.spec.pointer] for c in inst.left]),
                   _getter([index[c.spec.pointer] for c in inst.right])) for inst in instances)
    return _Compiled(tuple(instances), table, sides)


def table_values(report: Report, table: str | None, memo: dict[Any, Any]) -> tuple[Any, ...]:
    """``report.values(table)``, read once per run and shared by every rule of it."""
    key = ("values", id(report), table)
    if key not in memo:
        memo[key] = report.values(table)
    values: tuple[Any, ...] = memo[key]
    return values


@functools.cache
def compile_equation(eq: Equation, spec: FormatSpec, prev: FormatSpec | None) -> _Compiled:
    """Expand an equation into concrete cell sums for a format (and last year's format): the slot
    instances of :func:`govdisclosure.rules.compiled.expand` (the parser's solver uses the same),
    with each slot's cell and a getter of its value."""
    cells = spec.cells() + (prev.cells() if prev is not None else ())
    size = len(spec.cells())

    def side(terms: tuple[tuple[int, int], ...]) -> tuple[_Cell, ...]:
        return tuple(_Cell(w, s >= size, cells[s], operator.attrgetter(cells[s].attr_path)) for s, w in terms)

    out = [_Instance(inst.at, side(inst.left), side(inst.right)) for inst in expand(eq, spec, prev)]
    return _compiled(out, spec, eq.table)


def _names(cells: tuple[_Cell, ...], name: Label | None, over: str) -> Label:
    """What a side of an equation is called: the rule's name for it, else its cells' official labels
    (the rows' when the equation holds in each column, the columns' when it holds in each row)."""
    if name is not None:
        return name

    def words(lang: str) -> str:
        parts: list[str] = []
        for c in cells:
            label = (c.spec.row.label if over == "columns" else c.spec.column.label).get(lang)
            if c.previous:
                label = ("上年" if lang == "zh" else "last year's ") + label
            parts.append(("− " if c.weight < 0 else "+ ") + label if parts else ("−" if c.weight < 0 else "") + label)
        return " ".join(parts)
    return Label(words("zh"), words("en"))


def _sum(cells: tuple[_Cell, ...], report: Any, previous: Any) -> tuple[Any, list[_Cell], dict[str, Any]]:
    total: Any = 0
    blanks: list[_Cell] = []
    values: dict[str, Any] = {}
    for c in cells:
        v = c.get(previous if c.previous else report)
        key = ("previous:" if c.previous else "") + c.spec.pointer
        values[key] = v
        if v is None:
            blanks.append(c)
        else:
            total += c.weight * v
    return total, blanks, values


def _may_only_add(blanks: list[_Cell]) -> bool:
    # a blank that can only be >= 0 and is added can only raise its side's sum
    return all(c.weight > 0 and c.spec.column.kind is not CellKind.SIGNED for c in blanks)


def _run_equation(eq: Equation, report: Report, previous: Report | None, memo: dict[Any, Any]
                  ) -> Iterable[Finding]:
    prev_spec = previous.spec if previous is not None else None
    unchecked: list[_Instance] = []
    unchecked_blanks: list[str] = []
    compiled = compile_equation(eq, report.spec, prev_spec)
    instances = compiled.instances
    if compiled.table is not None:
        values = table_values(report, compiled.table, memo)
        if None not in values:
            instances = tuple(inst for inst, (left, right) in zip(instances, compiled.sides, strict=False)
                              if sum(left(values)) != sum(right(values)))
    for inst in instances:
        left, lb, lv = _sum(inst.left, report, previous)
        right, rb, rv = _sum(inst.right, report, previous)
        if not lb and not rb:
            if left == right:
                continue
        elif not (not lb and _may_only_add(rb) and right > left) and not (
                not rb and _may_only_add(lb) and left > right):
            unchecked.append(inst)
            unchecked_blanks.extend(c.spec.pointer for c in (*lb, *rb))
            continue
        # the equation fails, and no value of the blank cells could make it hold
        cells = (*inst.left, *inst.right)
        blanks = [c.spec.pointer for c in (*lb, *rb)]
        finding = Finding.make(
            eq.code, eq.severity, eq.message, pointer=inst.left[0].spec.pointer,
            pointers=tuple(c.spec.pointer for c in cells), labels=tuple(c.spec.label("zh") for c in cells),
            params={"at": inst.at, "left": left, "right": right, "diff": left - right,
                    "left_name": _names(inst.left, eq.left_name, eq.over),
                    "right_name": _names(inst.right, eq.right_name, eq.over),
                    "cells": lv | rv, "blank_cells": blanks})
        if blanks:  # said after the message, whatever the rule's template
            finding = attrs.evolve(finding, message=Label(
                finding.message.zh + f"（另有 {len(blanks)} 个空白单元格未计入）",
                finding.message.en + f" ({len(blanks)} blank cells not counted)"))
        yield finding
    if unchecked:
        pointers = tuple(dict.fromkeys(unchecked_blanks))
        yield Finding(
            code=UNCHECKED, severity=Severity.INFO, pointer=pointers[0] if pointers else "",
            pointers=pointers,
            params={"rule": eq.code, "instances": len(unchecked), "blank_cells": list(pointers)},
            message=Label(
                f"{eq.code} 有 {len(unchecked)} 处因空白单元格无法完整核对（空白不按 0 计）",
                f"{eq.code}: {len(unchecked)} instance(s) could not be fully checked because of blank cells "
                f"(a blank is not counted as 0)"),
        )


def evaluate(report: Report, rules: Iterable[Rule], previous: Report | None = None, *,
             config: Mapping[str, Mapping[str, Any]] | None = None, load_findings: Sequence[Finding] = (),
             registry: Registry | None = None) -> list[Finding]:
    """Run rules on a report (series rules only when ``previous`` is given); findings sorted by
    severity, then code, in document order within a code.  ``config`` overrides the rules'
    options by code; ``load_findings`` are what loading the report found (``ctx.load_findings``)."""
    findings: list[Finding] = []
    memo: dict[Any, Any] = {}
    for rule in rules:
        if not rule.applies_to(report) or rule.scope == "batch":
            continue
        if rule.scope == "series" and previous is None:
            continue
        prev = previous if rule.scope == "series" else None
        if isinstance(rule, Equation):
            if prev is not None and (prev.year is None or report.year is None or prev.year != report.year - 1):
                continue  # not consecutive years: GD-X-SERIES says so, the balances would mislead
            findings.extend(_run_equation(rule, report, prev, memo))
        elif isinstance(rule, Check):
            ctx = RuleContext(rule, memo, options=_options(rule, config), registry=registry,
                              load_findings=load_findings, spec=report.spec)
            try:
                if rule.scope == "series":
                    assert prev is not None
                    findings.extend(cast(SeriesCheck, rule.check)(report, prev, ctx))
                else:
                    findings.extend(cast(ReportCheck, rule.check)(report, ctx))
            except Exception as exc:
                raise PluginError(f"rule {rule.code} failed: {type(exc).__name__}: {exc}") from exc
    findings.sort(key=lambda f: (f.severity.rank, f.code))  # stable: document order within a code
    return findings


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
        try:
            for k, finding in cast(BatchCheck, rule.check)([reports[i] for i in mine], ctx):
                target = mine[k]
                spec = reports[target].spec
                if not finding.labels and finding.pointers:  # its official labels, as a report rule's get
                    named = [spec.label_at(p) for p in finding.pointers]
                    if all(named):
                        finding = attrs.evolve(finding, labels=tuple(label.zh for label in named if label))
                out[target].append(finding)
        except Exception as exc:  # noqa: BLE001 - a rule's failure is reported with its code
            raise PluginError(f"rule {rule.code} failed: {type(exc).__name__}: {exc}") from exc
    for each in out:
        each.sort(key=lambda f: (f.severity.rank, f.code))
    return out


def _options(rule: Rule, config: Mapping[str, Mapping[str, Any]] | None) -> Mapping[str, Any]:
    extra = config.get(rule.code) if config else None
    return {**rule.options, **extra} if extra else rule.options


def fill_totals(report: Report, rules: Iterable[Rule]) -> tuple[Report, list[str]]:
    """Fill blank total cells that a summation rule (``derives=True``) determines.

    Only a blank cell that is the single term of its side is filled, from a side with no
    blanks, and only with a non-negative value; published cells are never changed.  Repeats
    until nothing more can be filled (a row total may need a column total first).
    """
    equations = [r for r in rules if isinstance(r, Equation) and r.derives and r.scope == "report"
                 and r.applies_to(report)]
    filled: list[str] = []
    changed = True
    while changed:
        changed = False
        for eq in equations:
            for inst in compile_equation(eq, report.spec, None).instances:
                for target, other in ((inst.left, inst.right), (inst.right, inst.left)):
                    if len(target) != 1 or target[0].get(report) is not None:
                        continue
                    total, blanks, _ = _sum(other, report, None)
                    if blanks or total < 0 or target[0].weight != 1 or any(c.weight != 1 for c in other):
                        continue
                    report = report.with_cells({target[0].spec.pointer: total})
                    filled.append(target[0].spec.pointer)
                    changed = True
    return report, filled

