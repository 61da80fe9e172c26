"""Sum reports of one year and format into one (a city's departments into a city total)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import attrs

from ..errors import LoadError, problem
from ..formats.spec import Label
from ..model import Agency, CellProvenance, Parts, Report, empty_report
from ..model.scalars import Level, Text

__all__ = ["aggregate"]


def aggregate(reports: Sequence[tuple[str, Report]], *, agency: str | None = None, level: str | None = None,
              region: str | None = None, title: str | None = None) -> Report:
    """The cell-by-cell sum of ``reports`` (name, report), all of one year, format and variant.

    A cell blank in any input is blank in the sum, and its provenance names the inputs where it was
    blank; the preamble lists every input.  Raises :class:`LoadError` naming the input that does not fit.
    """
    if not reports:
        raise LoadError([problem("GD-LOAD-INPUT", "", Label("至少一份报告", "at least one report"))])
    name0, first = reports[0]
    for name, r in reports[1:]:
        for what, got, want in (("/format_version", r.format_version, first.format_version),
                                ("/variant", r.variant, first.variant), ("/year", r.year, first.year)):
            if got != want:
                shown = (Label("无（官方格式）", "none (the official format)") if want is None
                         else Label(str(want), str(want)))
                raise LoadError([problem("GD-LOAD-TYPE", what, Label(
                    f"与 {name0} 相同（{shown.zh}）：汇总只能合并同一年度、同一格式的报告",
                    f"the same as {name0} ({shown.en}): only reports of one year and format can be summed"),
                    got=got)], name)
    spec = first.spec
    sums: dict[str, Any] = {}
    provenance: dict[str, CellProvenance] = {}
    columns = list(zip(*(r.values() for _, r in reports), strict=True))
    for cell, values in zip(spec.cells(), columns, strict=True):
        blank_in = [reports[i][0] for i, v in enumerate(values) if v is None]
        if blank_in:
            sums[cell.pointer] = None
            provenance[cell.pointer] = CellProvenance(note=Text("空白于 / blank in: " + ", ".join(blank_in)))
        else:
            sums[cell.pointer] = sum(values[1:], values[0])
    names = [os.path.basename(n) for n, _ in reports]
    # the report's own text, in its language (the sum's inputs; English goes in messages, not the report)
    preamble = f"本报告由 {len(reports)} 份报告逐格相加汇总而成：" + "、".join(names) + "。"
    def text(value: str | None) -> Text | None:
        return None if value is None else Text(value)

    base = empty_report(spec, year=first.year, title=title,
                        agency=Agency(name=text(agency), level=None if level is None else Level(level),
                                      region=text(region)),
                        parts=Parts(preamble=Text(preamble)))
    return attrs.evolve(base.with_cells(sums), provenance=provenance)
