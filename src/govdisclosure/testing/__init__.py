"""Helpers for testing govdisclosure and its plugins (needs the ``[test]`` extra: hypothesis).

- :func:`reports` is a hypothesis strategy of reports of any resolved format that balance
  (every summation rule holds), optionally with blank cells;
- :func:`use_plugins` swaps the process's plugin manager for one with extra plugins, for the
  duration of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any, Callable, Iterator

from ..api import from_data, to_data
from ..formats.spec import CellKind, FormatSpec
from ..model import Report, empty_report
from ..model.scalars import LEVELS
from ..registry import Registry, using

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
                  max_count: int = 60) -> dict[str, Any]:
    """Canonical data of a report of ``spec`` whose tables 3 and 4 satisfy every equation.

    ``randint(lo, hi)`` supplies every number (``random.Random.randint``, or a hypothesis draw),
    so the benchmark and the property tests make reports the same way.
    """
    last = spec.last_year or spec.first_year + 5
    year = year if year is not None else randint(spec.first_year, last)
    data = to_data(empty_report(spec, year=year))

    def put(pointer: str, value: Any) -> None:
        _put(data, pointer, value)

    for cell in spec.cells():
        if cell.table.id != "proactive":
            continue
        if cell.column.kind is CellKind.SIGNED:
            put(cell.pointer, randint(-max_count, max_count))
        elif cell.column.kind is CellKind.AMOUNT:
            put(cell.pointer, f"{randint(0, 10**6)}.{randint(0, 99):02d}")
        else:
            put(cell.pointer, randint(0, max_count))

    # table 3: the result rows are free; every total follows from them
    rows = spec.rows("requests")
    columns = [c.id for c in rows[0][2].columns if c.id != "total"]
    fixed = {("received",), ("carried_over",), ("total",), ("carried_forward",)}
    leaves = [p for p, _, _ in rows if p not in fixed]
    values: dict[tuple[str, ...], dict[str, int]] = {p: {c: randint(0, max_count) for c in columns} for p in leaves}
    total = {c: sum(values[p][c] for p in leaves) for c in columns}
    forward = {c: randint(0, max_count) for c in columns}
    over = {c: randint(0, total[c] + forward[c]) for c in columns}
    values[("total",)], values[("carried_forward",)], values[("carried_over",)] = total, forward, over
    values[("received",)] = {c: total[c] + forward[c] - over[c] for c in columns}
    for path, cols in values.items():
        base = "/requests/" + "/".join(path)
        for c, v in cols.items():
            put(f"{base}/{c}", v)
        put(f"{base}/total", sum(cols.values()))

    for path, _, block in spec.rows("review_litigation"):
        base = "/review_litigation/" + "/".join(path)
        parts = {c.id: randint(0, max_count) for c in block.columns if c.id != "total"}
        for c, v in parts.items():
            put(f"{base}/{c}", v)
        put(f"{base}/total", sum(parts.values()))

    words = "政府信息公开工作情况信息处理费一二三"
    text = lambda: "".join(words[randint(0, len(words) - 1)] for _ in range(randint(1, 30)))  # noqa: E731
    data["parts"] = {"preamble": None, "overview": text(), "problems": text(), "other": text()}
    data["agency"] = {"name": ("某县商务局", "某市人民政府", "某镇人民政府")[randint(0, 2)],
                      "level": (None, *LEVELS)[randint(0, len(LEVELS))], "region": None}
    data["title"] = (None, f"某机关{year}年政府信息公开工作年度报告")[randint(0, 1)]
    data["published_on"] = (None, dt.date(year + 1, 1, randint(1, 31)).isoformat())[randint(0, 1)]
    return data


def reports(spec: FormatSpec | None = None, *, blanks: bool = False, max_count: int = 60) -> Any:
    """A hypothesis strategy of balanced reports of ``spec`` (default: either official format).

    See :func:`balanced_data`.  With ``blanks=True`` some cells are then blanked, which may only
    make rules unassessable, never failing.
    """
    from hypothesis import strategies as st

    reg = Registry.default()
    specs = [spec] if spec is not None else [reg.format(v) for v in reg.formats]

    @st.composite
    def build(draw: Any) -> Report:
        sp = draw(st.sampled_from(specs))
        data = balanced_data(sp, lambda lo, hi: draw(st.integers(lo, hi)), max_count=max_count)
        if blanks:
            for cell in sp.cells():
                if draw(st.integers(0, 9)) == 0:
                    _put(data, cell.pointer, None)
        return from_data(data)

    return build()
