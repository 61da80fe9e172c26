"""The scalar types of the canonical JSON, each declared once with its check and its schema.

The cattrs converter and the model's builders use ``convert`` and the JSON Schema generator uses
``schema``, so a loader verdict and a schema verdict come from the same line of this file.
"""

from __future__ import annotations

import datetime as _dt
import math
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

#: the most digits a count (or the whole part of an amount) may have: no report counts a quadrillion of
#: anything, and a bound keeps a hostile number from costing time in every step that reads it; the parser
#: and the JSON Schema use this same figure
MAX_DIGITS = 15
#: the largest count
MAX_COUNT = 10**MAX_DIGITS - 1
#: the most digits after the decimal point of an amount (a published one has 2 to 4; room for exact
#: conversions, never for a hostile million)
MAX_DECIMALS = 30

#: the report years a report may state
FIRST_YEAR, LAST_YEAR = 2000, 2100

_AMOUNT = re.compile(rf"^(0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})(\.[0-9]{{1,{MAX_DECIMALS}}})?$")
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_DATE_RE = re.compile(_DATE)


@attrs.frozen
class Scalar:
    name: str
    expected: Label  #: what a valid value is, for error messages
    schema: dict[str, Any]
    convert: Callable[[Any], Any]  #: JSON value -> model value; raises ScalarError
    dump: Callable[[Any], Any] = lambda v: v


def _decimal(v: Any) -> Decimal | None:
    """The decimal a JSON or YAML number stands for (an int, a Decimal from our readers, a float from Python
    data), if it is finite and has at most MAX_DIGITS digits before the point and MAX_DECIMALS after it.

    A float is taken as the shortest decimal that reads back as it when that has at most 15 significant
    digits: then it is the decimal its author wrote, whatever binary value stands for it."""
    if type(v) is int:
        d = Decimal(v) if v.bit_length() <= 64 else None
    elif type(v) is Decimal:
        d = v
    elif type(v) is float and math.isfinite(v):
        d = Decimal(repr(v))
        if len(d.as_tuple().digits) > 15:
            return None
    else:
        return None  # bool is no number here: type(True) is bool
    if d is None or not d.is_finite() or d.adjusted() >= MAX_DIGITS or int(d.as_tuple().exponent) < -MAX_DECIMALS:
        return None
    return d


def _int(v: Any, lo: int, hi: int) -> int:
    # JSON Schema's "integer" admits 3.0, so the loader does too (same number)
    d = v if type(v) is int else _decimal(v)
    if d is None or (type(d) is Decimal and d != d.to_integral_value()) or not lo <= d <= hi:
        raise ScalarError(v)
    return int(d)


def amount_text(value: Decimal) -> str:
    """An amount as the canonical JSON writes it: plain digits, never an exponent ("0.0000001", not "1E-7")."""
    return format(value, "f")


def _amount(v: Any) -> Decimal:
    if isinstance(v, str):
        if _AMOUNT.match(v):
            return Decimal(v)
        raise ScalarError(v)
    # a number (12.5): kept as the decimal it is, written back as the string "12.5"
    d = _decimal(v)
    text = "" if d is None else amount_text(d.copy_abs() if d == 0 else d)  # -0 is 0
    if not _AMOUNT.match(text):
        raise ScalarError(v)
    return Decimal(text)


# control characters other than tab and line breaks: no published text holds them, and HTML, CSV
# and Markdown cannot carry them; lone surrogates (no UTF-8 can encode one) and U+FFFE/U+FFFF
# (no XML can carry them: a spreadsheet or a Word file could not be written)
_TEXT = re.compile("^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]*$")


_NOT_TEXT = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")


def refused_character(v: Any) -> int | None:
    """Where the first character a text may not hold is (an index), or None."""
    found = _NOT_TEXT.search(v) if isinstance(v, str) else None
    return found.start() if found is not None else None


def _text(v: Any) -> str:
    if not isinstance(v, str) or not _TEXT.match(v):
        raise ScalarError(v)
    return v


def _date(v: Any) -> _dt.date:
    if isinstance(v, str) and _DATE_RE.match(v):
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
    Count: Scalar("count", Label(f"非负整数（最多 {MAX_DIGITS} 位）",
                                 f"a non-negative integer (at most {MAX_DIGITS} digits)"),
                  {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}, lambda v: _int(v, 0, MAX_COUNT)),
    Signed: Scalar("signed", Label(f"整数（可为负，最多 {MAX_DIGITS} 位）",
                                   f"an integer (may be negative; at most {MAX_DIGITS} digits)"),
                   {"type": "integer", "minimum": -MAX_COUNT, "maximum": MAX_COUNT},
                   lambda v: _int(v, -MAX_COUNT, MAX_COUNT)),
    Amount: Scalar("amount", Label(f'十进制数字字符串，如 "186.50"（整数部分最多 {MAX_DIGITS} 位）',
                                   f'a decimal string such as "186.50" (at most {MAX_DIGITS} digits before the point)'),
                   {"anyOf": [{"type": "string", "pattern": _AMOUNT.pattern},
                              # a number is accepted when it converts exactly; the canonical JSON writes a string
                              {"type": "number", "minimum": 0, "exclusiveMaximum": 10**MAX_DIGITS}]},
                   _amount, amount_text),
    Text: Scalar("text", Label("字符串（不含控制字符、孤立代理项与 U+FFFE/U+FFFF）",
                               "a string (no control characters, lone surrogates or U+FFFE/U+FFFF)"),
                 {"type": "string", "pattern": _TEXT.pattern}, _text),
    Year: Scalar("year", Label(f"报告年度（{FIRST_YEAR}–{LAST_YEAR} 的整数）",
                               f"a report year (an integer {FIRST_YEAR}-{LAST_YEAR})"),
                 {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                 lambda v: _int(v, FIRST_YEAR, LAST_YEAR)),
    IsoDate: Scalar("date", Label('ISO 日期 "YYYY-MM-DD"', 'an ISO date "YYYY-MM-DD"'),
                    {"type": "string", "format": "date", "pattern": _DATE}, _date, lambda d: d.isoformat()),
    Level: Scalar("level", Label("机关层级代码之一：" + "、".join(f"{k}（{v.zh}）" for k, v in LEVEL_LABELS.items()),
                                 "a level id, one of " + ", ".join(f"{k} ({v.en})" for k, v in LEVEL_LABELS.items())),
                  {"enum": list(LEVELS)}, _level),
}

CELL_TYPES = {CellKind.COUNT: Count, CellKind.SIGNED: Signed, CellKind.AMOUNT: Amount}
