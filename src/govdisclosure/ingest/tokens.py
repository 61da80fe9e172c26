"""Stage ``tokens``: each table's region as a stream of labels, numbers and blank marks.

Every shape seen in real reports goes through here: one cell per line with '|' spacers, rows of
space-separated numbers, digits run together without separators, PDF text with labels that wrap
around their numbers, and tables of pages, PDFs and Markdown flattened to '|' rows.  A number is
read from the matching view (full-width digits are digits) and keeps what was printed (``raw``)
and where (``at``, an offset in the text).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import attrs

from ..errors import LoadError, Problem
from ..formats.spec import Label
from .state import State

__all__ = ["TABLES", "Item", "Token", "items", "tokens"]

TABLES = ("proactive", "requests", "review_litigation")


class Token(NamedTuple):  # a tuple: a report has hundreds
    """One published number (or blank mark), as printed."""

    text: str  #: digits as read ("2648", "-18", "73802895.90")
    raw: str  #: as published ("减18", "73802895.90元", "１２")
    at: int  #: offset in the text
    blank: bool = False
    unit: str | None = None
    #: a lone '|' line: an empty cell in some scraped tables, a row's end in others
    soft: bool = False
    #: printed between '|' separators: one whole cell, never split into several
    cell: bool = False


class Item(NamedTuple):
    kind: str  #: "num", "blank" or "text"
    text: str
    at: int  #: offset in the text
    token: Token | None = None


_TOKEN = re.compile(
    r"(?P<num>(?:(?P<sign>[-+]|减|增)\s?)?(?P<digits>\d+(?:\.\d+)?)(?P<unit>万元|元)?)"
    r"|(?P<blank>(?<![^\s|])(?:[/—–]+|-|无)(?![^\s|]))"
    r"|(?P<sep>[\s|]+)"
    r"|(?P<text>[^\d\s|/—–\-+减增无\[]+|\[\d{1,2}\]|.)",
    re.S,
)
#: a single digit before '.'/'、' (and a label) numbers the label: 2.其他法律…, 1. 属于国家秘密
_NUMBERING_AFTER = re.compile(r"[.、]\s*(?=[^\d\s|])")
#: notes printed inside labels, with years or examples in them: (指2019年事项数) (减用负值表示,如-8)
_NOTE = re.compile(r"\((?=[^()\n]*[\u4e00-\u9fff])(?=[^()\n]*\d)[^()\n]*(?:\)|$)", re.M)
#: the delimiter row under a Markdown table's header: the header's digits (数据1 … 数据6) are words
_MD_DELIMITER = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
#: a longest count (issue 8): more digits than this are not a count
MAX_DIGITS = 15


def _headers(text: str, base: int) -> list[tuple[int, int]]:
    """Spans (offsets) of Markdown header rows: the line above each delimiter row."""
    out = []
    for m in _MD_DELIMITER.finditer(text):
        end = m.start() - 1
        if end > 0:
            out.append((base + text.rfind("\n", 0, end) + 1, base + end))
    return out


def items(folded: str, raw: str, start: int, end: int) -> list[Item]:
    """Numbers, blank marks and text of ``folded[start:end]``, in order."""
    region = folded[start:end]
    if "(" in region:  # hide digits in explanatory notes, keeping every offset
        region = _NOTE.sub(lambda m: "(" + "…" * (len(m.group(0)) - 2) + ")", region)
    headers = _headers(region, start) if "---" in region else []
    out: list[Item] = []
    append = out.append
    for line_start, line in _lines(region, start):
        if line.strip() == "|":
            append(Item("blank", "|", line_start, Token("", "", line_start, blank=True, soft=True)))
            continue
        if headers and any(a <= line_start <= b for a, b in headers):
            append(Item("text", line.replace("|", " "), line_start))
            continue
        piped = "|" in line
        last_text = -1  # index in ``out`` of this line's last text item
        for m in _TOKEN.finditer(line):
            kind = m.lastgroup
            if kind == "sep":
                continue
            at = line_start + m.start()
            if kind == "text":
                if last_text == len(out) - 1 and last_text >= 0:
                    prev = out[last_text]
                    out[last_text] = Item("text", prev.text + m.group(0), prev.at)
                else:
                    append(Item("text", m.group(0), at))
                    last_text = len(out) - 1
                continue
            if kind == "blank":
                token = Token("", raw[at:at + len(m.group(0))], at, blank=True, cell=piped)
                append(Item("blank", m.group(0), at, token))
                continue
            digits = m.group("digits")
            unit = m.group("unit")
            after = line[m.end():m.end() + 3]
            if "." not in digits and unit is None and _NUMBERING_AFTER.match(after):
                # "…00002.其他法律…": the last digit numbers the next label
                head = m.group(0)[:-1]
                if head and head[-1].isdigit():
                    append(_num(head, m.group("sign"), digits[:-1], None, at, raw, piped))
                append(Item("text", digits[-1], at + len(m.group(0)) - 1))
                last_text = len(out) - 1
                continue
            append(_num(m.group(0), m.group("sign"), digits, unit, at, raw, piped))
    return out


def _lines(region: str, base: int) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in region.split("\n"):
        out.append((base + pos, line))
        pos += len(line) + 1
    return out


def _num(text: str, sign: str | None, digits: str, unit: str | None, at: int, raw: str, piped: bool) -> Item:
    negative = sign in ("-", "减")
    value = ("-" if negative else "") + digits
    published = raw[at:at + len(text)].strip()
    return Item("num", value, at, Token(value, published, at, unit=unit, cell=piped))


def not_a_report(source: str, zh: str, en: str) -> LoadError:
    return LoadError([Problem("GD-LOAD-NOT-REPORT", "", Label(f"不是年度报告：{zh}", f"not a report: {en}"))], source)


def tokens(state: State) -> State:
    streams = {t: tuple(items(state.folded, state.raw, a, b)) for t, (a, b) in state.tables.items()}
    if not state.parts or not any(i.kind == "text" for s in streams.values() for i in s):
        raise not_a_report(state.source, "找不到六个部分的标题和表格（如“二、主动公开政府信息情况”）",
                           "no part headings and no tables found (such as 二、主动公开政府信息情况)")
    return attrs.evolve(state, streams=streams)
