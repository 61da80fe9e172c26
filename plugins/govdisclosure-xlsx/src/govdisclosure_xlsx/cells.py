"""What a cell of the workbook holds, both ways: text (never a formula), numbers, and where it is."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.escape import unescape

#: Excel reads ``_xHHHH_`` in a string as an escaped character, and XML turns ``\r`` into ``\n``:
#: both are escaped on writing (``_x005F_`` is the underscore) so that a text reads back as it was
_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_|\r")
#: a text starting with one of these would be a formula if typed; it is stored as a string
FORMULA_START = ("=", "+", "-", "@")
#: the most a cell holds (Excel's limit is 32,767 characters)
CELL_LIMIT = 32_000


def ref(row: int, col: int, sheet: str | None = None) -> str:
    """``D12``, or ``表三!D12`` with the sheet."""
    cell = f"{get_column_letter(col)}{row}"
    return f"{sheet}!{cell}" if sheet else cell


def escape(text: str) -> str:
    return _EXCEL_ESCAPE.sub(lambda m: "_x000D_" if m.group() == "\r" else "_x005F_" + m.group()[1:], text)


def put_text(cell: Any, text: str) -> None:
    """A string cell, whatever the text starts with: never a formula (formula injection)."""
    cell.value = escape(text)
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # Excel shows it as typed, and keeps it text when edited


def read_text(value: Any) -> str:
    return unescape(value) if isinstance(value, str) else str(value)


def chunks(text: str) -> list[str]:
    """A text in pieces that each fit a cell (most texts: one piece)."""
    out = []
    while len(escape(text)) > CELL_LIMIT:
        size = CELL_LIMIT
        while len(escape(text[:size])) > CELL_LIMIT:  # escapes lengthen a text
            size //= 2
        out.append(text[:size])
        text = text[size:]
    return [*out, text]


def amount_value(value: Decimal) -> float | str:
    """An amount as a number when a double holds it exactly, else as its text (read back exactly)."""
    number = float(value)
    return number if Decimal(repr(number)) == value else format(value, "f")
