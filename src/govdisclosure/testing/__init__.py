"""Helpers for testing govdisclosure and its plugins (needs the ``[test]`` extra: hypothesis).

- :func:`reports` is a hypothesis strategy of reports of any resolved format that balance
  (every summation rule holds), optionally with blank cells;
- :func:`use_plugins` swaps the process's plugin manager for one with extra plugins, for the
  duration of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from ..api import from_data, to_data
from ..formats.spec import CellKind, CellSpec, FormatSpec
from ..model import Parts, Report, empty_report
from ..model.scalars import LEVELS
from ..registry import Registry, using
from ..rules.compiled import expand
from ..rules.types import Equation

__all__ = ["balanced_data", "reports", "use_plugins"]


@contextlib.contextmanager
def use_plugins(*plugins: Any, entry_points: bool = False, block: tuple[str, ...] = ()) -> Iterator[Registry]:
    """Run a ``with`` block with exactly core's plugins (less ``block``) plus ``plugins`` — no
    entry-point scan unless asked, so what else is installed cannot change the result.  The
    registry is yielded and is the default of every public function inside the block."""
    with using(Registry.of(*plugins, entry_points=entry_points, block=block)) as registry:
        yield registry


def _put(data: dict[str, Any], pointer: str, value: Any) -> None:
    keys = pointer.strip("/").split("/")
    for k in keys[:-1]:
        data = data[k]
    data[keys[-1]] = value


def balanced_data(spec: FormatSpec, randint: Callable[[int, int], int], *, year: int | None = None,
                  max_count: int = 60, registry: Registry | None = None) -> dict[str, Any]:
    """Canonical data of a report of ``spec`` whose cells satisfy every declared balance.

    ``randint(lo, hi)`` supplies every number (``random.Random.randint``, or a hypothesis draw),
    so the benchmark and the property tests make reports the same way.  The balances are the
    registry's ``Equation`` rules: each determines one cell from the others (a sum's total, or a
    cell no other balance determines), the rest are drawn.
    """
    reg = registry if registry is not None else Registry.default()
    last = spec.last_year or spec.first_year + 5
    year = year if year is not None else randint(spec.first_year, last)
    data = to_data(empty_report(spec, year=year))
    instances = _instances(reg, spec)
    dependent: dict[str, int] = {}  # cell -> the instance that determines it
    for k, (left, right, derives) in enumerate(instances):
        order = [*left, *right] if derives else [*right, *left]
        choice = next((p for p in order if p not in dependent), None)
        if choice is not None:
            dependent[choice] = k
    values = {cell.pointer: _draw(cell, randint, max_count) for cell in spec.cells() if cell.pointer not in dependent}
    while True:
        solved = _solve(instances, values)
        # a cell that came out negative: raise a drawn cell on the other side of its balance, solve again
        # (a sum of cells that are negative themselves is mended through them)
        fix = next(((free, -solved[p]) for p in dependent if solved[p] < 0
                    for left, right, _ in (instances[dependent[p]],)
                    for free in (right if p in left else left) if free not in dependent), None)
        if fix is None:
            break
        values[fix[0]] += fix[1]
    for pointer, value in solved.items():
        _put(data, pointer, value)
    words = "政府信息公开工作情况信息处理费一二三"

    def text() -> str:
        return "".join(words[randint(0, len(words) - 1)] for _ in range(randint(1, 30)))

    data["parts"] = {f.name: text() for f in attrs.fields(Parts)}
    data["agency"] = {"name": ("某县商务局", "某市人民政府", "某镇人民政府")[randint(0, 2)],
                      "level": (None, *LEVELS)[randint(0, len(LEVELS))], "region": None}
    data["title"] = (None, f"某机关{year}年政府信息公开工作年度报告")[randint(0, 1)]
    data["published_on"] = (None, dt.date(year + 1, 1, randint(1, 31)).isoformat())[randint(0, 1)]
    return data


def _draw(cell: CellSpec, randint: Callable[[int, int], int], max_count: int) -> Any:
    if cell.column.kind is CellKind.SIGNED:
        return randint(-max_count, max_count)
    if cell.column.kind is CellKind.AMOUNT:
        return f"{randint(0, 10**6)}.{randint(0, 99):02d}"
    return randint(0, max_count)


@functools.cache
def _instances(reg: Registry, spec: FormatSpec) -> tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]:
    """The registry's balances of one report as (left cells, right cells, is a sum that derives)."""
    out = []
    for rule in sorted((r for r in reg.rules.values() if isinstance(r, Equation) and r.scope == "report"
                        and r.applies_to_format(spec)), key=lambda r: not r.derives):
        cells = spec.cells()
        for inst in expand(rule, spec):
            if all(w == 1 for _, w in (*inst.left, *inst.right)):
                left = tuple(cells[s].pointer for s, _ in inst.left)
                out.append((left, tuple(cells[s].pointer for s, _ in inst.right), rule.derives))
    return tuple(out)


def _solve(instances: tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...], drawn: dict[str, Any]
           ) -> dict[str, Any]:
    values = dict(drawn)
    changed = True
    while changed:
        changed = False
        for left, right, _ in instances:
            unknown = [p for p in (*left, *right) if p not in values]
            if len(unknown) != 1:
                continue
            target = unknown[0]
            total = sum(values[p] for p in right if p != target) - sum(values[p] for p in left if p != target)
            values[target] = total if target in left else -total
            changed = True
    return values


def reports(spec: FormatSpec | None = None, *, blanks: bool = False, max_count: int = 60,
            registry: Registry | None = None) -> Any:
    """A hypothesis strategy of balanced reports of ``spec`` (default: either official format).

    ``registry``: the plugins the reports are made with (give the one a variant's spec came from);
    default: the registry in force when a report is drawn.  See :func:`balanced_data`.  With
    ``blanks=True`` some cells are then blanked, which may only make rules unassessable, never failing.
    """
    from hypothesis import strategies as st

    first = registry if registry is not None else Registry.default()
    specs = [spec] if spec is not None else [first.format(v) for v in first.formats]

    @st.composite
    def build(draw: Any) -> Report:
        # the registry in force when drawing (a use_plugins block of the test), unless one was given
        reg = registry if registry is not None else Registry.default()
        sp = draw(st.sampled_from(specs))
        data = balanced_data(sp, lambda lo, hi: draw(st.integers(lo, hi)), max_count=max_count, registry=reg)
        if blanks:
            for cell in sp.cells():
                if draw(st.integers(0, 9)) == 0:
                    _put(data, cell.pointer, None)
        return from_data(data, registry=reg)

    return build()
