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

from ..errors import LoadError, problem
from ..formats.spec import Label
from .state import State

__all__ = ["MAX_DIGITS", "TABLES", "Token", "items", "tokens"]

TABLES = ("proactive", "requests", "review_litigation")


class Token(NamedTuple):  # a tuple: a report has hundreds
    """One piece of a table's stream: a published number, a blank mark, or text (labels, headers)."""

    kind: str  #: "num", "blank" or "text"
    text: str  #: digits as read ("2648", "-18", "73802895.90"); a blank mark's or the text itself
    raw: str  #: as published ("减18", "73802895.90元", "１２")
    at: int  #: offset in the text
    unit: str | None = None
    #: a lone '|' line: an empty cell in some scraped tables, a row's end in others
    soft: bool = False
    #: printed between '|' separators: one whole cell, never split into several
    cell: bool = False

    @property
    def blank(self) -> bool:
        return self.kind == "blank"


#: a token made from all seven fields at once, without the named constructor's call (hundreds a report)
_new = tuple.__new__


#: what the tokenizer reads (whitespace and '|' between matches are skipped by the regex engine)
_TOKEN = re.compile(
    r"(?P<mark>\[\d{1,2}\]|[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+)"
    r"|(?P<num>(?:(?P<sign>[-+]|减|增)\s?)?(?P<digits>\d+(?:\.\d+)?)(?P<unit>万元|元)?)"
    r"|(?P<blank>(?<![^\s|])(?:[/—–]+|-|无)(?![^\s|]))"
    r"|(?P<text>[^\d\s|/—–\-+减增无\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+"
    r"(?:[ \t]+[^\d\s|/—–\-+减增无\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+)*|[^\s|])",
)
#: a single digit before '.'/'、' (and a label) numbers the label: 2.其他法律…, 1. 属于国家秘密
_NUMBERING_AFTER = re.compile(r"[.、]\s*(?=[^\d\s|])")
#: notes printed inside labels, with years or examples in them: (指2019年事项数) (减用负值表示,如-8)
_NOTE = re.compile(r"\((?=[^()\n]*[\u4e00-\u9fff])(?=[^()\n]*\d)[^()\n]*(?:\)|$)", re.M)
#: the delimiter row under a Markdown table's header: the header's digits (数据1 … 数据6) are words
_MD_DELIMITER = re.compile(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
#: a longest count (issue 8): more digits than this are not a count
MAX_DIGITS = 15


def _headers(text: str) -> list[tuple[int, int]]:
    """Spans (offsets in ``text``) of Markdown header rows: the line above each delimiter row."""
    out = []
    for m in _MD_DELIMITER.finditer(text):
        end = m.start() - 1
        if end > 0:
            out.append((text.rfind("\n", 0, end) + 1, end))
    return out


def items(folded: str, raw: str, start: int, end: int) -> list[Token]:
    """Numbers, blank marks and text of ``folded[start:end]``, in order (text merged per line)."""
    region = folded[start:end]
    if "(" in region:  # hide digits in explanatory notes, keeping every offset
        region = _NOTE.sub(lambda m: "(" + "…" * (len(m.group(0)) - 2) + ")", region)
    out: list[Token] = []
    pos = 0
    if "---" in region:  # a Markdown header row is one text (its digits are words), read between the others
        for a, b in _headers(region):
            _lines(region, pos, a, start, raw, out)
            line = region[a:b]
            if "|" in line and line.strip() == "|":
                out.append(_new(Token, ("blank", "|", "", start + a, None, True, False)))
            else:
                out.append(_new(Token, ("text", line.replace("|", " "), line, start + a, None, False, False)))
            pos = b + 1
    _lines(region, pos, len(region), start, raw, out)
    return out


#: characters that make a line need the full tokenizer (marks, signs, blank marks, brackets of notes)
_SPECIAL = "/—–\\-+减增无\\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079"
#: whitespace within a line (what ``\s`` and ``str.strip()`` take, but the line's end): the whole region is
#: read by one pattern, so no part of a line's pattern may run on into the next line
_SPACE = re.escape("".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n"))
#: separators between a line's pieces
_SEP = f"[{_SPACE}|]"
#: a label with no digit in it (a list number '1.' or '1、' before it aside)
_LABEL = rf"(?:[1-9][.、][ \t]*)?[^\d\s|{_SPECIAL}](?:[^\d|\n{_SPECIAL}]*[^\d\s|{_SPECIAL}])?"
#: each line of a region, read in one match: a lone '|'; separators only (nothing); the common lines, text
#: only or a label then plain numbers (the row's first number: the others are read one by one after it, as
#: ``more``); or any other line (read by the full tokenizer).  Every non-empty line is matched from its
#: start, so the scan is only ever inside a line after a number of a row checked whole (the lookahead).
_LINE = re.compile(
    rf"^(?:(?P<soft>[{_SPACE}]*\|[{_SPACE}]*$)"
    r"|[ \t|]+$"
    rf"|(?P<text>{_SEP}*(?P<label>{_LABEL}){_SEP}*$)"
    rf"|(?P<row>(?=(?P<pipe>[^\n]*\|)?){_SEP}*(?:(?P<row_label>{_LABEL}){_SEP}+)?"
    rf"(?P<first>\d{{1,15}})(?=(?:{_SEP}+\d{{1,15}})*{_SEP}*$))"
    r"|(?P<other>[^\n]+))"
    rf"|{_SEP}+(?P<more>\d{{1,15}})", re.M)
_LABEL_GROUP, _PIPE, _ROW_LABEL, _FIRST, _MORE = (
    _LINE.groupindex[g] for g in ("label", "pipe", "row_label", "first", "more"))


def _lines(region: str, pos: int, endpos: int, base: int, raw: str, out: list[Token]) -> None:
    """The tokens of the lines of ``region[pos:endpos]`` (whole lines), appended to ``out``."""
    piped = False  # the row's line has a '|' in it (its numbers are cells)
    for m in _LINE.finditer(region, pos, endpos):
        kind = m.lastgroup
        if kind == "more":
            digits = m.group(_MORE)
            at = base + m.start(_MORE)
            out.append(_new(Token, ("num", digits, raw[at:at + len(digits)], at, None, False, piped)))
        elif kind == "row":
            piped = m.start(_PIPE) >= 0
            _row(m, base, raw, piped, out)
        elif kind == "text":
            label = m.group(_LABEL_GROUP)
            out.append(_new(Token, ("text", label, label, base + m.start(_LABEL_GROUP), None, False, False)))
        elif kind == "soft":
            out.append(_new(Token, ("blank", "|", "", base + m.start(), None, True, False)))
        elif kind == "other":
            _tokens(m.group(), base + m.start(), raw, out)


def _row(m: re.Match[str], base: int, raw: str, piped: bool, out: list[Token]) -> None:
    """A row's label (if printed on its line) and first number."""
    label = m.group(_ROW_LABEL)
    if label is not None:
        out.append(_new(Token, ("text", label, label, base + m.start(_ROW_LABEL), None, False, False)))
    digits = m.group(_FIRST)
    at = base + m.start(_FIRST)
    out.append(_new(Token, ("num", digits, raw[at:at + len(digits)], at, None, False, piped)))


#: the groups of a number's match (by index: no name looked up for each number)
_SIGN, _DIGITS_GROUP, _UNIT = (_TOKEN.groupindex[g] for g in ("sign", "digits", "unit"))


def _tokens(line: str, line_start: int, raw: str, out: list[Token]) -> None:
    """The tokens of any line (numbering digits, signs, units, blank marks, footnote marks)."""
    piped = "|" in line
    text_at = -1  # index in ``out`` of this line's last text piece, while text continues it
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup
        if kind == "mark":  # a footnote mark ([1], ①, ¹) is no number of any row, nor a label's text
            continue
        piece = m.group(0)
        at = line_start + m.start()
        if kind == "text":
            if text_at == len(out) - 1 and text_at >= 0:
                prev = out[text_at]
                out[text_at] = Token("text", prev.text + piece, prev.raw + piece, prev.at)
            else:
                out.append(Token("text", piece, piece, at))
                text_at = len(out) - 1
        elif kind == "blank":
            out.append(Token("blank", piece, raw[at:at + len(piece)], at, cell=piped))
        elif _numbered(line, m):
            # "…00002.其他法律…": the last digit numbers the next label
            digits = m.group(_DIGITS_GROUP)
            if len(digits) > 1:
                out.append(_num(piece[:-1], m.group(_SIGN), digits[:-1], None, at, raw, piped))
            out.append(Token("text", digits[-1], digits[-1], at + len(piece) - 1))
            text_at = len(out) - 1
        elif m.group(_SIGN) is None and m.group(_UNIT) is None:  # the common case, inline
            out.append(_new(Token, ("num", piece, raw[at:at + len(piece)], at, None, False, piped)))
        else:
            out.append(_num(piece, m.group(_SIGN), m.group(_DIGITS_GROUP), m.group(_UNIT), at, raw, piped))


def _numbered(line: str, m: re.Match[str]) -> bool:
    """A number whose last digit numbers the label after it (whole digits, then '.' or '、' and a label)."""
    end = m.end()
    return end < len(line) and line[end] in ".、" and m.group(_UNIT) is None \
        and "." not in m.group(_DIGITS_GROUP) and _NUMBERING_AFTER.match(line, end) is not None


def _num(piece: str, sign: str | None, digits: str, unit: str | None, at: int, raw: str, piped: bool) -> Token:
    value = "-" + digits if sign == "-" or sign == "减" else digits
    return Token("num", value, raw[at:at + len(piece)].strip(), at, unit, False, piped)


def not_a_report(source: str, zh: str, en: str) -> LoadError:
    return LoadError([problem("GD-LOAD-NOT-REPORT", "", Label(f"不是年度报告：{zh}", f"not a report: {en}"))], source)


def tokens(state: State) -> State:
    streams = {t: tuple(items(state.folded, state.raw, a, b)) for t, (a, b) in state.tables.items()}
    if not state.parts or not any(i.kind == "text" for s in streams.values() for i in s):
        heading = state.registry.format(max(state.registry.formats)).parts[1].heading.zh
        raise not_a_report(state.source, f"找不到六个部分的标题和表格（如“{heading}”）",
                           f"no part headings and no tables found (such as {heading})")
    return state.but(streams=streams)
