"""A clerk filling in the blank workbook through openpyxl: values in the yellow cells only."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

import openpyxl
from govdisclosure_xlsx import plan
from govdisclosure_xlsx.write import COVER, KEY_COLUMN

import govdisclosure as gd
from govdisclosure.io.envelope import put
from govdisclosure.testing import balanced_data

NARRATIVE = {
    "parts.overview": "本年度，我局认真贯彻落实《条例》。\n第二段：依申请公开情况。",
    "parts.problems": "公开内容还不够全面，下一步将加强培训。",
    "parts.other": "本年度未收取信息处理费。",
}


def _get(data: dict[str, Any], pointer: str) -> Any:
    for key in pointer.strip("/").split("/"):
        data = data[key]
    return data


def typed_values(spec: Any, *, unbalanced: bool = False, seed: int = 0) -> dict[str, Any]:
    """What the clerk types: every cell of a balanced report (some changed when ``unbalanced``)."""
    data = balanced_data(spec, random.Random(seed).randint, year=2024)
    values = {c.pointer: _get(data, c.pointer) for c in spec.cells()}
    if unbalanced:
        values["/requests/received/natural_person"] += 5  # this column no longer balances
        values["/requests/granted/commercial"] = None  # this column left incomplete
    return values


def fill_like_a_clerk(blank: bytes, values: dict[str, Any]) -> bytes:
    """``blank`` with ``values`` (pointer -> value) typed into its yellow cells, and some text."""
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    spec = gd.new_report(2024).spec
    for table in spec.tables:
        ws = wb[plan.sheet_name(spec, table.id)]
        for pointer, (row, col) in plan.geometry(spec, table.id).positions.items():
            cell = ws.cell(row, col)
            if cell.data_type == "f":
                continue  # a total: the formula computes it
            assert not cell.protection.locked, f"{ws.title}!{cell.coordinate} is locked"
            value = values[pointer]
            cell.value = float(value) if isinstance(value, (str, Decimal)) else value
    cover = wb[COVER]
    for row in range(1, cover.max_row + 1):
        key = cover.cell(row, KEY_COLUMN).value
        if isinstance(key, str) and key in NARRATIVE:
            cover.cell(row, 2).value = NARRATIVE[key]
        elif key == "published_on":
            cover.cell(row, 2).value = dt.date(2025, 1, 20)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def expected_report(values: dict[str, Any]) -> Any:
    """The report the filled workbook holds: the typed values, totals as the equations give them
    (core's ``fill_totals``, not this plugin's code)."""
    blank = gd.new_report(2024, agency="某县商务局", level="county_department")
    spec = blank.spec
    totals = plan.sums(spec, gd.Registry.default().rules.values())
    typed = {p: (None if p in totals else Decimal(v) if isinstance(v, str) else v) for p, v in values.items()}
    data = gd.to_data(blank.with_cells(typed))
    for key, text in NARRATIVE.items():
        put(data, tuple(key.split(".")), text)
    put(data, ("published_on",), "2025-01-20")
    report, _ = gd.fill_totals(gd.from_data(data))
    return report
