"""Helpers for testing govdisclosure and its plugins (needs the ``[test]`` extra: hypothesis).

- :func:`reports` is a hypothesis strategy of reports of any resolved format that balance
  (every summation rule holds), optionally with blank cells;
- :func:`use_plugins` swaps the process's plugin manager for one with extra plugins, for the
  duration of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any, Iterator

from .api import from_data, to_data
from .formats.spec import CellKind, FormatSpec
from .model import Report, empty_report
from .model.scalars import LEVELS
from .plugins import manager

__all__ = ["reports", "use_plugins"]


@contextlib.contextmanager
def use_plugins(*plugins: Any, entry_points: bool = False, block: tuple[str, ...] = ()
                ) -> Iterator[manager.Registry]:
    """Run a block with core's plugins (less ``block``) plus ``plugins`` (no entry-point scan
    unless asked)."""
    saved = list(manager._PM)
    manager._PM[:] = [manager.make_plugin_manager(entry_points=entry_points, extra=plugins, block=block)]
    manager._registry_for.cache_clear()
    try:
        yield manager.get_registry()
    finally:
        manager._PM[:] = saved
        manager._registry_for.cache_clear()


def reports(spec: FormatSpec | None = None, *, blanks: bool = False, max_count: int = 60) -> Any:
    """A strategy of balanced reports of ``spec`` (default: either official format).

    Table 3 and 4 satisfy every equation of rules.md; table 2 holds arbitrary values of the
    right kinds; the envelope is consistent (year served by the format, parts non-empty,
    published after the year).  With ``blanks=True`` some cells are then blanked, which may only
    make rules unassessable, never failing.
    """
    from hypothesis import strategies as st

    reg = manager.get_registry()
    specs = [spec] if spec is not None else [reg.format(v) for v in reg.formats]

    @st.composite
    def build(draw: Any) -> Report:
        sp = draw(st.sampled_from(specs))
        last = sp.last_year or sp.first_year + 5
        year = draw(st.integers(sp.first_year, last))
        data = to_data(empty_report(sp, year=year))
        count = st.integers(0, max_count)

        def put(pointer: str, value: Any) -> None:
            keys = pointer.strip("/").split("/")
            node = data
            for k in keys[:-1]:
                node = node[k]
            node[keys[-1]] = value

        for cell in sp.cells():
            if cell.table.id != "proactive":
                continue
            if cell.column.kind is CellKind.SIGNED:
                put(cell.pointer, draw(st.integers(-max_count, max_count)))
            elif cell.column.kind is CellKind.AMOUNT:
                amount = draw(st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False))
                put(cell.pointer, str(Decimal(amount)))
            else:
                put(cell.pointer, draw(count))

        # table 3: result leaves are free; every total follows from them
        rows = sp.rows("requests")
        columns = [c.id for c in rows[0][2].columns if c.id != "total"]
        leaves = [p for p, _, _ in rows if p not in (("received",), ("carried_over",), ("total",),
                                                     ("carried_forward",))]
        values: dict[tuple[str, ...], dict[str, int]] = {}
        for path in leaves:
            values[path] = {c: draw(count) for c in columns}
        values[("total",)] = {c: sum(values[p][c] for p in leaves) for c in columns}
        values[("carried_forward",)] = {c: draw(count) for c in columns}
        values[("carried_over",)] = {
            c: draw(st.integers(0, values[("total",)][c] + values[("carried_forward",)][c])) for c in columns}
        values[("received",)] = {
            c: values[("total",)][c] + values[("carried_forward",)][c] - values[("carried_over",)][c]
            for c in columns}
        for path, cols in values.items():
            for c, v in cols.items():
                put("/requests/" + "/".join(path) + "/" + c, v)
            put("/requests/" + "/".join(path) + "/total", sum(cols.values()))

        for path, _, block in sp.rows("review_litigation"):
            parts = {c.id: draw(count) for c in block.columns if c.id != "total"}
            for c, v in parts.items():
                put("/review_litigation/" + "/".join(path) + "/" + c, v)
            put("/review_litigation/" + "/".join(path) + "/total", sum(parts.values()))

        text = st.text(alphabet="政府信息公开工作情况信息处理费一二三", min_size=1, max_size=30)
        data["parts"] = {"preamble": None, "overview": draw(text), "problems": draw(text), "other": draw(text)}
        data["agency"] = {"name": draw(st.sampled_from(["某县商务局", "某市人民政府", "某镇人民政府"])),
                          "level": draw(st.none() | st.sampled_from(LEVELS)), "region": None}
        data["title"] = draw(st.none() | st.just(f"某机关{year}年政府信息公开工作年度报告"))
        data["published_on"] = draw(st.none() | st.dates(dt.date(year + 1, 1, 1), dt.date(year + 1, 1, 31))
                                    .map(dt.date.isoformat))
        if blanks:
            for cell in sp.cells():
                if draw(st.integers(0, 9)) == 0:
                    put(cell.pointer, None)
        return from_data(data)

    return build()
