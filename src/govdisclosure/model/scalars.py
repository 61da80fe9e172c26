"""The scalar types of the canonical JSON, each declared once with its check and its schema.

The cattrs converter uses ``check`` and the JSON Schema generator uses ``schema``, so a loader
verdict and a schema verdict come from the same line of this file.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NewType

import attrs

from ..errors import ScalarError
from ..formats.spec import CellKind, FormatSpec
from ..labels import Label

#: attrs metadata key under which envelope fields carry their description (a Label)
DOC = "govdisclosure.doc"
#: what the text before part 1 is called (not a part of the form)
PREAMBLE = Label("正文前的说明", "Text before part 1 (not part of the form)")


def part_doc(spec: FormatSpec, part_id: str) -> Label:
    """How a part's text field is called: the part's heading (for a table's part, the text around it)."""
    part = next(p for p in spec.parts if p.id == part_id)
    if part.is_table:
        return Label(f"{part.heading.zh}（表格以外的文字）", f"{part.heading.en}: text outside the table")
    return part.heading


def stated_doc(spec: FormatSpec, stated_id: str) -> Label:
    """How a stated count is called."""
    return next(s.label for s in spec.stated if s.id == stated_id)


Count = NewType("Count", int)
Signed = NewType("Signed", int)
Amount = NewType("Amount", Decimal)
Text = NewType("Text", str)
Year = NewType("Year", int)
IsoDate = NewType("IsoDate", _dt.date)
Level = NewType("Level", str)

#: how each level reads in a rendered report
LEVEL_LABELS: dict[str, Label] = {
    "state_council_department": Label("国务院部门", "State Council department"),
    "provincial_government": Label("省级人民政府", "provincial government"),
    "provincial_department": Label("省级政府部门", "provincial department"),
    "city_government": Label("设区的市级人民政府", "city government"),
    "city_department": Label("设区的市级政府部门", "city department"),
    "county_government": Label("县级人民政府", "county government"),
    "county_department": Label("县级政府部门", "county department"),
    "township": Label("乡镇人民政府、街道办事处", "township or street office"),
    "other": Label("其他", "other"),
}

#: ``agency.level`` values (json.md)
LEVELS: tuple[str, ...] = tuple(LEVEL_LABELS)


def level_id(name: str) -> str | None:
    """The ``agency.level`` id of a level written as its id or its name in either language
    (``县级政府部门`` -> ``county_department``); None if it is none of them."""
    text = name.strip()
    if text in LEVEL_LABELS:
        return text
    for key, label in LEVEL_LABELS.items():
        if text in (label.zh, label.en) or text.lower() == label.en.lower():
            return key
    return None

_AMOUNT = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@attrs.frozen
class Scalar:
    name: str
    expected: Label  #: what a valid value is, for error messages
    schema: dict[str, Any]
    convert: Callable[[Any], Any]  #: JSON value -> model value; raises ScalarError
    dump: Callable[[Any], Any] = lambda v: v


def _int(v: Any, lo: int | None = None, hi: int | None = None) -> int:
    # JSON Schema's "integer" admits 3.0, so the loader does too (same number); bool is no count
    if type(v) is float and v.is_integer():
        v = int(v)
    if type(v) is not int or (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ScalarError(v)
    return v


def _amount(v: Any) -> Decimal:
    if not isinstance(v, str) or not _AMOUNT.match(v):
        raise ScalarError(v)
    return Decimal(v)


# control characters other than tab and line breaks: no published text holds them, and
# HTML, CSV and Markdown cannot carry them
_TEXT = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")


def _text(v: Any) -> str:
    if not isinstance(v, str) or not _TEXT.match(v):
        raise ScalarError(v)
    return v


def _date(v: Any) -> _dt.date:
    if isinstance(v, str) and re.match(_DATE, v):
        try:
            return _dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise ScalarError(v)


def _level(v: Any) -> str:
    if not isinstance(v, str) or v not in LEVELS:
        raise ScalarError(v)
    return v


SCALARS: dict[Any, Scalar] = {
    Count: Scalar("count", Label("非负整数", "a non-negative integer"),
                  {"type": "integer", "minimum": 0}, lambda v: _int(v, 0)),
    Signed: Scalar("signed", Label("整数（可为负）", "an integer (may be negative)"),
                   {"type": "integer"}, _int),
    Amount: Scalar("amount", Label('十进制数字字符串，如 "186.50"', 'a decimal string such as "186.50"'),
                   {"type": "string", "pattern": _AMOUNT.pattern}, _amount, str),
    Text: Scalar("text", Label("字符串（不含控制字符）", "a string (no control characters)"),
                 {"type": "string", "pattern": _TEXT.pattern}, _text),
    Year: Scalar("year", Label("报告年度（2000–2100 的整数）", "a report year (an integer 2000-2100)"),
                 {"type": "integer", "minimum": 2000, "maximum": 2100}, lambda v: _int(v, 2000, 2100)),
    IsoDate: Scalar("date", Label('ISO 日期 "YYYY-MM-DD"', 'an ISO date "YYYY-MM-DD"'),
                    {"type": "string", "format": "date", "pattern": _DATE}, _date, lambda d: d.isoformat()),
    Level: Scalar("level", Label("机关层级之一：" + "、".join(LEVELS), "one of " + ", ".join(LEVELS)),
                  {"enum": list(LEVELS)}, _level),
}

CELL_TYPES = {CellKind.COUNT: Count, CellKind.SIGNED: Signed, CellKind.AMOUNT: Amount}
