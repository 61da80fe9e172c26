"""Stage ``tokens``: each table's region as a stream of labels, numbers and blank marks.

Every shape seen in real reports goes through here: one cell per line with '|' spacers, rows of
space-separated numbers, digits run together without separators, PDF text with labels that wrap
around their numbers, and tables of pages, PDFs and Markdown flattened to '|' rows.  A number is
read from the matching view (full-width digits are digits) and keeps what was printed (``raw``)
and where (``at``, an offset in the text).
"""

from __future__ import annotations

import heapq
import operator
import re
from typing import Final, NamedTuple

from ..errors import LoadError, problem
from ..findings import Finding
from ..formats import published
from ..formats.spec import Label
from . import findings as F
from .normalise import COMPILED, blanked
from .patterns import compiled
from .state import State

__all__ = ["IMAGE_MARK", "MAX_DIGITS", "MEASURE_WORDS", "TABLES", "Token", "cell_words", "image_like", "items",
           "tokens"]

TABLES: Final = ("proactive", "requests", "review_litigation")


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


#: a token made from all seven fields at once, without the named constructor's call (hundreds a report); the module's
#: names are final (``Final``) where the compiled build reads them at each line or token: it reads a final name from
#: a static (or inlines its value), any other from the module's dict
_new: Final = tuple.__new__
_Token: Final = Token


#: what makes the number after it signed (``_TOKEN``'s sign, before at most one whitespace character); the minus
#: signs of other scripts (U+2212 −, ‒, ﹣) are '-' in the view (:mod:`.normalise`); an en dash right before digits
#: is a minus too (Word's; alone it is a blank mark), and 减少/增加 are 减/增 written in words (probe 13 #4), with 了
#: after them or not (减少了2 was +2, its words dropped: review 13b #9)
_SIGNS: Final = "-+减增"
_EN_DASH: Final = "–"
_SIGN_WORDS: Final = ("减少", "增加")
_PERFECT: Final = "了"
_MINUS_START: Final = ("-", "减", _EN_DASH)
#: a change's sign in other words, which a cell prints before its number (本年增/减: 下降2, 同比增长3, 比上年减少了1:
#: review 13b #9): no character of them starts a token (上 and 下 are labels' too), so the text run before the
#: number is looked up whole once read (compacted), where it starts a cell; '' for the words that only say against
#: what (同比) before a number signed already (同比减少2).  The number's raw is the whole cell, and the rows stage says
#: each such cell (GD-PARSE-WORDS)
_CHANGE_WORDS: Final = {
    before + word + perfect: sign
    for before in ("", "同比", "比上年", "较上年", "比去年", "较去年", "与上年相比", "同比上年")
    for words, sign in ((("下降", "降低", "减少"), "-"), (("增长", "上升", "增加"), "+"))
    for word in words for perfect in ("", _PERFECT)} | {
    before: "" for before in ("同比", "比上年", "较上年", "比去年", "较去年", "与上年相比", "同比上年")}
#: the longest words of a change (a longer text is none: most labels)
_LONGEST_CHANGE: Final = max(map(len, _CHANGE_WORDS))
#: the words of ``_CHANGE_WORDS`` a change's sign ends in that ``_SIGN_WORDS`` has not (``_signed``)
_WORD_SIGNS: Final = ("下降", "降低", "增长", "上升")
#: the measure words that name a count's unit (2次, 12 件), printed after its number in a cell: read with it (its raw),
#: and said once a report (GD-PARSE-WORDS)
MEASURE_WORDS: Final = "件次个条项"
#: characters no text holds: those that start the other tokens (signs, blank marks, zeros written 〇, a note's
#: bracket, footnote marks)
_SPECIAL: Final = "/—–\\-+减增无〇○\\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079"
_TEXT_CHAR: Final = rf"[^\d\s|{_SPECIAL}]"
#: every whitespace character (``str.isspace``, ``\s``), spelled out: finding them (every character below U+3001)
#: took ~12 M instructions at each start; a test checks them against Unicode's
WHITESPACE: Final = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                     "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: whitespace but a space and a tab, escaped for a class
_OTHER_SPACES: Final = "".join(re.escape(c) for c in WHITESPACE if c not in " \t")
#: a character of a run of text: a text character, a space or a tab
_RUN_CHAR: Final = rf"[^\d|{_SPECIAL}{_OTHER_SPACES}]"
#: what the tokenizer reads, as ``findall`` returns it (no match object a token): the separators before each token
#: (whitespace and '|'), then the token: a run of text (text characters with spaces or tabs between them; tried first:
#: most tokens are text, and no other token starts with a character of it; ended by a look back, not by a group
#: repeated), a footnote mark, a number (a sign, digits, a unit: read apart from it, not by groups of their own), a
#: blank mark or a zero written as a character (〇, ○), or any other character (text).  Two groups, not one for each
#: kind: the engine saves and restores every group's marks at each branch and repeat, and ``findall`` makes a
#: string of each group; the kind is told from the token's first character (``_tokens``).  ``{grouped}``: a count's
#: groups of three digits after commas (2,932), in a line whose commas do not separate its cells
_TOKEN_FORM: Final = (
    rf"([\s|]*)({_TEXT_CHAR}{_RUN_CHAR}*(?<={_TEXT_CHAR})"
    rf"|{published.FOOTNOTE_MARK}|[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]+"
    rf"|(?:(?:{'|'.join(_SIGN_WORDS)}|[减增])\s*(?:{_PERFECT}\s*)?|[-+]\s?|{_EN_DASH}|)\d+{{grouped}}(?:\.\d+)?(?:万元|元|万(?![\u4e00-\u9fff])|)"
    r"|(?<![^\s|])(?:[/—–]+|-|无|[〇○])(?![^\s|])"
    r"|[^\s|])"
)
_TOKEN: Final = compiled(_TOKEN_FORM.replace("{grouped}", r"(?:,\d{3}(?!\d))*"))
_TOKEN_UNGROUPED: Final = compiled(_TOKEN_FORM.replace("{grouped}", ""))
#: a token as ``findall`` reads it: the separators before it, the token
_Found = tuple[str, str]
#: the characters that start the footnote marks but '[' (circled and superscript digits: ``_SPECIAL``'s)
_MARKS: Final = "".join(map(chr, (*range(0x2460, 0x2474), 0xB9, 0xB2, 0xB3, *range(0x2070, 0x207A))))
#: what a token of one character is that is a blank mark (or a zero written as a character) where it stands alone
#: (``/``, ``—`` and ``–`` may be repeated: a token of two or more is a blank mark)
_BLANKS: Final = "/—–-无〇○"
#: the characters of ``_SPECIAL``: every token but a run of text or a number starts with one of them
_SPECIAL_CHARS: Final = "/—–-+减增无〇○[" + _MARKS
#: what a number's unit is (the pattern's)
_UNIT_WAN: Final = "万元"
_UNIT: Final = "元"
_WAN: Final = "万"
#: a comma that separates cells: after a digit but before no group of three, or before a number after a label
#: (自然人,100,200: those are three cells, not 100200); the comma first, so that the engine skips to each comma
#: (a lookbehind first is tried at every character of a line)
_CELL_COMMA: Final = compiled(r",(?:(?!\d{3}(?!\d))(?<=\d,)|(?=\d)(?<!\d,))")
#: notes printed inside labels, with years or examples in them: (指2019年事项数) (减用负值表示,如-8)
_NOTE: Final = compiled(r"\((?=[^()\n]*[\u4e00-\u9fff])(?=[^()\n]*\d)[^()\n]*(?:\)|$)", re.M)
#: the delimiter row under a Markdown table's header: the header's digits (数据1 … 数据6) are words
_MD_DELIMITER: Final = compiled(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
#: a longest count (issue 8): more digits than this are not a count
MAX_DIGITS: Final = 15


def _headers(text: str, base: int) -> list[tuple[int, int]]:
    """Spans (offsets) of Markdown header rows: the line above each delimiter row."""
    out = []
    for m in _MD_DELIMITER.finditer(text):
        end = m.start() - 1
        if end > 0:
            out.append((base + text.rfind("\n", 0, end) + 1, base + end))
    return out


#: a number that names a table or an annex (见附表3：, 详见表3, 附件 2): no cell, though a table's lead-in line puts it
#: before the first row (no label of the form holds 附 or 表); ``regions._cited`` skips the same when ending a table
_CITED: Final = compiled(r"(?:附件|表)[ \t]{0,2}(\d+(?:[-.]\d+)*)")


def _no_cells(region: str) -> str:
    """``region`` with the digits that are no cell hidden, every offset kept: an explanatory note's, and a table's or
    an annex's number (its lead-in line's text stays, a label of none of the form's rows)."""
    if "(" in region and (not COMPILED or _has_note(region)):
        region = _NOTE.sub(lambda m: "(" + "…" * (len(m.group(0)) - 2) + ")", region)
    if "表" in region or "附件" in region:
        region = blanked(region, [m.span(1) for m in _CITED.finditer(region)])
    return region


#: the ideographs a note's text holds one of (``_NOTE``'s)
_IDEOGRAPHS: Final = (0x4E00, 0x9FFF)
#: what ends a note's text (``_NOTE``'s ``[^()\n]``), as codes
_OPEN: Final = ord("(")
_CLOSE: Final = ord(")")
_NEWLINE: Final = ord("\n")


def _has_note(region: str) -> bool:
    """Whether ``_NOTE`` finds a note in ``region``: an ideograph and a decimal digit between a '(' and the ')' or
    the line's end after it (no other '(' between); read with string methods and a compiled loop over the brackets'
    text (the engine's lookaheads cost ~2,900 instructions at each '(' of a table's labels, (一) (二) …, of which few
    hold a note)."""
    low, high = _IDEOGRAPHS
    at = region.find("(")
    while at >= 0:
        ideograph = digit = False
        j = at + 1
        while j < len(region):
            c = ord(region[j])  # (a code, not a string of one character: most are ideographs, each a new string)
            if c in (_OPEN, _CLOSE, _NEWLINE):
                break
            ideograph = ideograph or low <= c <= high
            digit = digit or _kind(region, j) in (_K_DIGIT, _K_DECIMAL)
            j += 1
        if ideograph and digit and (j == len(region) or region[j] != "("):  # (closed, or ended by the line's end)
            return True
        at = region.find("(", j) if j < len(region) and region[j] != "(" else (j if j < len(region) else -1)
    return False


def items(folded: str, raw: str, start: int, end: int, notes: tuple[tuple[int, int], ...] = ()) -> list[Token]:
    """Numbers, blank marks and text of ``folded[start:end]``, in order (text merged per line); ``notes``: the spans
    of notes printed between the rows (prose: no tokens)."""
    region = _no_cells(folded[start:end])
    headers = _headers(region, start) if "---" in region else []
    region, tabbed = _tab_rows(region, raw, start) if "\t" in raw[start:end] else (region, [])
    if notes:  # a note between the rows is prose (the narrative stage keeps it), its numbers no row's
        region = blanked(region, [(a - start, b - start) for a, b in notes])
    out: list[Token] = []
    pos = start
    for line in region.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        core = line.strip(_SEPARATORS)
        mark = len(out)
        if not core and line.strip() == "|":  # a lone '|': an empty cell, or a row's end
            out.append(_new(_Token, ("blank", "|", "", line_start, None, True, False)))
        elif headers and any(a <= line_start <= b for a, b in headers):
            out.append(Token("text", line.replace("|", " "), line, line_start))
        elif not core:  # separators only
            continue
        elif _decimal_char(core[-1]):  # numbers end the line (a label ends in no digit, so it is no plain label)
            if len(core) <= MAX_DIGITS and _decimal(core):  # one number alone (a cell a line): what _ROW_LINE reads
                at = line_start + line.find(core)
                out.append(_new(_Token, ("num", core, raw[at:at + len(core)], at, None, False, "|" in line)))
            else:
                _row_line(line, line_start, raw, out)
        elif _plain(core):  # a label alone, with no digit or mark in it (a list number aside): what _TEXT_LINE reads
            out.append(_new(_Token, ("text", core, core, line_start + line.find(core), None, False, False)))
        else:  # (a line that is no plain label is none that _TEXT_LINE reads: the full tokenizer reads it)
            _tokens(line, line_start, raw, out, "|" in line)
        if "|" in core and len(out) - mark > 1:
            _empty_cells(line, line_start, out, mark)
    return list(heapq.merge(out, tabbed, key=_AT)) if tabbed else out


def _empty_cells(line: str, line_start: int, out: list[Token], mark: int) -> None:
    """A blank in its place for each empty cell between two '|' that stands between two values of the line (its
    tokens: ``out[mark:]``): 9 | 2 || 0 printed the third cell empty, and read as separators only, the numbers
    after it moved left into it (review 14 #3), where a page's empty <td> is a blank.  An empty cell before the
    first value (after the label: a merged label cell printed apart) or after the last (a row's edge, a spacer) is
    no value's."""
    pieces = line.split("|")
    if len(pieces) < 3:
        return
    gaps: list[int] = []  # where each empty cell's opening '|' is, in the text
    offset = len(pieces[0])
    for piece in pieces[1:-1]:
        if not piece.strip():
            gaps.append(line_start + offset)
        offset += len(piece) + 1
    if not gaps:
        return
    row = out[mark:]
    filled: list[Token] = []
    i = 0
    for gap in gaps:
        while i < len(row) and row[i].at < gap:
            filled.append(row[i])
            i += 1
        if filled and i < len(row) and filled[-1].kind != "text" and row[i].kind != "text":
            filled.append(_new(_Token, ("blank", "|", "", gap, None, False, True)))  # (shown as its '|')
    out[mark:] = filled + row[i:]


_AT: Final = operator.attrgetter("at")


#: a label: text with no digit in it but a list number before it (1. 2、)
_LABEL: Final = rf"(?:[1-9][.、][ \t]*)?{_TEXT_CHAR}(?:[^\d|{_SPECIAL}]*{_TEXT_CHAR})?"
#: the common lines, read in one match: text only (kept as the reference of _plain: tests/test_tokens_fast.py); or a
#: label then plain numbers
_TEXT_LINE: Final = compiled(rf"[\s|]*({_LABEL})[\s|]*$")
_ROW_LINE: Final = compiled(rf"[\s|]*(?:({_LABEL})[\s|]+)?" r"(\d{1,15}(?:[\s|]+\d{1,15})*)[\s|]*$")
#: what separates a line's pieces: the ``[\s|]`` of the patterns above, as characters to strip (the line's end is
#: in no line)
_SEPARATORS: Final = WHITESPACE.replace("\n", "") + "|"
#: the separators and the (ASCII) digits of the numbers that end a row's line
_DIGITS: Final = "0123456789"
#: (the digits and the space first: ``rstrip`` looks each character it strips up in this string, in order)
_ROW_CHARS: Final = _DIGITS + " " + _SEPARATORS.replace(" ", "")
#: what makes a line's text more than a plain label (a digit, a '|' inside it, a sign, a mark, a blank mark)
_UNPLAIN: Final = compiled(rf"[\d|{_SPECIAL}]")
_LIST_DIGITS: Final = "123456789"


def _decimal(text: str) -> bool:
    """``text.isdecimal()``, at a native call's cost where it is not one (most characters asked are a label's): the
    compiled build calls ``isdigit`` natively, ``isdecimal`` as a method; every decimal character is a digit."""
    return text.isdigit() and text.isdecimal()


def _decimal_char(char: str) -> bool:
    """:func:`_decimal` of one character, without the method's call where it is an ASCII digit (most asked that are
    digits): ``isdigit`` and ``ord`` are native calls, and an ASCII character that is a digit is a decimal one."""
    return char.isdigit() and (ord(char) < 0x80 or char.isdecimal())


def _plain(core: str) -> bool:
    """The line is one label (``core``: the line without the separators around it): no digit, '|' or mark in it but
    a list number before it ('1.', '2、', spaces or tabs after it), as ``_TEXT_LINE`` reads it whole."""
    if core[0] in _LIST_DIGITS and core[1:2] in (".", "、"):
        rest = core[2:].lstrip(" \t")
        return rest != "" and not rest[0].isspace() and _none_unplain(rest)
    return _none_unplain(core)


def _none_unplain(text: str) -> bool:
    """No character of ``_UNPLAIN`` in ``text``: compiled, a loop over its characters (a label's ~15 cost ~300
    instructions, where a search cost ~1,800: the call, then a set with a Unicode category at each character)."""
    return _none_unplain_by_char(text) if COMPILED else _UNPLAIN.search(text) is None


#: what :func:`_none_unplain_by_char` does at a character (below U+10000; above it, as _ASK): go on, stop (a character
#: of ``_UNPLAIN``), or ask ``str.isdecimal`` (``\d``)
_PLAIN_CHAR: Final = 0
_UNPLAIN_CHAR: Final = 1
_ASK: Final = 2
#: the characters of U+3000-U+9FFF (CJK marks, kana, ideographs: a label's) hold no decimal digit (a test checks)
_NO_DIGITS: Final = (0x3000, 0xA000)


def _char_table(ask: int, marked: tuple[tuple[str, int], ...]) -> bytes:
    """A byte a character below U+10000: 0 for ASCII and :data:`_NO_DIGITS` (no decimal digit there), ``ask`` for
    the rest (``str.isdecimal`` decides), then each of ``marked``'s characters its value, in order (a later one
    overrides)."""
    table = bytearray([ask]) * 0x10000
    table[:0x80] = bytes(0x80)
    low, high = _NO_DIGITS
    table[low:high] = bytes(high - low)
    for chars, value in marked:
        for char in chars:
            table[ord(char)] = value
    return bytes(table)


def _unplain_table() -> bytes:
    """What :func:`_none_unplain_by_char` does at each character below U+10000 (one byte each)."""
    return _char_table(_ASK, ((_DIGITS + "|" + _SPECIAL_CHARS, _UNPLAIN_CHAR),))


#: (made where compiled only: a final name is read from a static, where a cached function's call cost ~280
#: instructions a label)
_UNPLAIN_TABLE: Final = _unplain_table() if COMPILED else b""


def _none_unplain_by_char(text: str) -> bool:
    """:func:`_none_unplain`, each character looked up in :data:`_UNPLAIN_TABLE`."""
    table = _UNPLAIN_TABLE
    for i in range(len(text)):
        c = ord(text[i])
        kind = table[c] if c < 0x10000 else _ASK
        if kind == _UNPLAIN_CHAR or (kind == _ASK and text[i].isdecimal()):
            return False
    return True


def _row_line(line: str, line_start: int, raw: str, out: list[Token]) -> None:
    """The tokens of a line that numbers end, appended to ``out``: read with string methods (at C speed, nothing
    backtracked over) as ``_row_line_by_patterns`` reads it, when its numbers are plain (ASCII digits, each at most
    ``MAX_DIGITS``); else by the patterns."""
    head = line.rstrip(_ROW_CHARS)  # all but the numbers that end the line (and the separators between them)
    if head and _decimal_char(head[-1]):  # a digit of another script (full-width) before them: the patterns read it
        _row_line_by_patterns(line, line_start, raw, out)
        return
    numbers = line[len(head):].lstrip(_SEPARATORS)
    first = len(line) - len(numbers)  # where the first number starts
    numbers = numbers.rstrip(_SEPARATORS)
    # maybe too long for a count (a compiled loop, not max over map: a call a number)
    if len(numbers) > MAX_DIGITS and any(len(number) > MAX_DIGITS for number in numbers.split()):
        _row_line_by_patterns(line, line_start, raw, out)
        return
    label = head.lstrip(_SEPARATORS)
    piped = "|" in line
    if not label or (first > len(head) and _plain(label)):  # a label (if any), plain numbers: as _ROW_LINE reads
        if label:
            out.append(_new(_Token, ("text", label, label, line_start + len(head) - len(label), None, False, False)))
        _numbers(numbers, line_start + first, raw, out, piped)
        return
    cut = _apart(head, numbers, first, line)
    if cut < 0:
        _tokens(line, line_start, raw, out, piped)
        return
    _tokens(line[:cut], line_start, raw, out, piped)  # only what is before them is for the full tokenizer
    _numbers(numbers[cut - first:], line_start + cut, raw, out, piped)


def _signed(before: str) -> bool:
    """Whether what is before a number ends in a sign (a character of ``_SIGNS``, or 减少/增加): the sign is the
    number's, read by the full tokenizer."""
    before = before[:-1].rstrip(" \t") if before.endswith(_PERFECT) else before
    return before[-1:] in _SIGNS or before.endswith(_SIGN_WORDS) or before.endswith(_WORD_SIGNS)


def _in_cell(head: str, gap: str) -> bool:
    """Whether the words that end ``head`` stand in a cell before the number after them (``gap`` between: a space or
    a tab), after another number (5 | 同比 0): the full tokenizer reads them as the cell's words (GD-PARSE-WORDS)."""
    if gap != " " and gap != "\t":
        return False
    cut = max(head.rfind(" "), head.rfind("|"), head.rfind("\t"))
    return cut > 0 and head[:cut].rstrip(_SEPARATORS)[-1:].isdecimal()


def _apart(head: str, numbers: str, first: int, line: str) -> int:
    """Where the numbers that end a line (``numbers``, at ``first``, after ``head``) start that stand apart from what
    is before them, unsigned, as ``_TAIL`` finds them; -1 if none do."""
    if first > len(head):  # separators before the first: all of them, unless a sign stands right before it
        return -1 if _signed(head) or _in_cell(head, line[len(head):first]) else first
    after = numbers.lstrip(_DIGITS).lstrip(_SEPARATORS)  # the first is run together with the text: those after it
    return first + len(numbers) - len(after) if after else -1


def _row_line_by_patterns(line: str, line_start: int, raw: str, out: list[Token]) -> None:
    """The tokens of a line that numbers end, appended to ``out``, as the patterns read it."""
    m = _ROW_LINE.match(line)
    if m:
        _row(line, m, line_start, raw, out)
        return
    tail = _TAIL.match(line[::-1])
    if tail is not None:
        cut = len(line) - tail.end()  # where the first of the numbers that end the line starts
        before = line[:cut].rstrip(_SEPARATORS)
        if before and not _signed(before) and not _in_cell(before, line[len(before):cut]):
            # they stand apart from what is before them, unsigned: only that is for the full tokenizer
            piped = "|" in line
            _tokens(line[:cut], line_start, raw, out, piped)
            _numbers(line[cut:len(line.rstrip(_SEPARATORS))], line_start + cut, raw, out, piped)
            return
    _tokens(line, line_start, raw, out, "|" in line)


def _tab_rows(region: str, raw: str, base: int) -> tuple[str, list[Token]]:
    """The rows of cells separated by tabs in ``region`` (at ``base``; a table copied from Word or Excel as text) that
    hold an empty cell and a number: their tokens, and the region with those lines blanked (every offset kept).
    Each cell is read whole and an empty one between two tabs is a blank in its place: read as one gap, the tabs
    around it moved the numbers after it left into it.  Tabs before the first cell or after the last are no
    cells.  (The folded text has a space for each tab: the published text says where the tabs are.)"""
    out: list[Token] = []
    read: list[tuple[int, int]] = []  # the lines read, in the region
    seen, end = base, base + len(region)
    for m in _TWO_TABS.finditer(raw, base, end):
        if m.start() < seen:  # on a line already looked at
            continue
        line_start = max(base, raw.rfind("\n", base, m.start()) + 1)
        seen = raw.find("\n", m.end(), end)
        seen = end if seen < 0 else seen  # the line's end (the region's, for its last line)
        a, b = line_start - base, seen - base
        if _HAS_DIGIT.search(region, a, b):
            _tab_cells(region[a:b], raw[line_start:seen].split("\t"), line_start, raw, out)
            read.append((a, b))
    return blanked(region, read), out


def _tab_cells(line: str, cells: list[str], line_start: int, raw: str, out: list[Token]) -> None:
    """The tokens of a line (folded) whose published ``cells`` the tabs separate, appended to ``out``."""
    filled = [i for i, cell in enumerate(cells) if cell.strip()]
    offset = 0
    for i, cell in enumerate(cells):
        if filled[0] <= i <= filled[-1]:
            if cell.strip():
                _tokens(line[offset:offset + len(cell)], line_start + offset, raw, out, True)
            else:
                out.append(_new(_Token, ("blank", "", "", line_start + offset, None, False, True)))
        offset += len(cell) + 1


#: two tabs with nothing but spaces between them: an empty cell
_TWO_TABS: Final = compiled(r"\t[^\S\n\t]*\t")
_HAS_DIGIT: Final = compiled(r"\d")


#: the numbers that end a line, each after separators, read backwards (from the line reversed: one match, no search
#: from each place in the line): the full tokenizer reads them alike, unless a sign stands right before the first
_TAIL: Final = compiled(r"[\s|]*(?:\d{1,15}[\s|]+)*\d{1,15}(?=[\s|])")


def _row(line: str, m: re.Match[str], line_start: int, raw: str, out: list[Token]) -> None:
    """A label (if any) then plain numbers: the numbers found in their own string, by position."""
    label = m.group(1)
    if label:
        out.append(_new(_Token, ("text", label, label, line_start + m.start(1), None, False, False)))
    _numbers(m.group(2), line_start + m.start(2), raw, out, "|" in line)


def _numbers(numbers: str, first: int, raw: str, out: list[Token], piped: bool) -> None:
    """Plain numbers (digits, each at most ``MAX_DIGITS``) and the separators between them, at ``first``."""
    if numbers.isdigit():  # one number (a cell a line): no search for the others
        out.append(_new(_Token, ("num", numbers, raw[first:first + len(numbers)], first, None, False, piped)))
        return
    parts = numbers.split(" ")
    if all(part.isdigit() for part in parts):  # one space between them (the common row): placed by lengths
        # printed as read: each number is its own raw (find bounded to the numbers' length: a native call, where
        # startswith with a start is a method's)
        same = raw.find(numbers, first, first + len(numbers)) == first
        at = first
        for digits in parts:
            out.append(_new(_Token, ("num", digits, digits if same else raw[at:at + len(digits)], at, None, False,
                                    piped)))
            at += len(digits) + 1
        return
    pos = 0
    for digits in (numbers.replace("|", " ") if "|" in numbers else numbers).split():
        pos = numbers.find(digits, pos)  # the next digits: only separators before them
        at = first + pos
        out.append(_new(_Token, ("num", digits, raw[at:at + len(digits)], at, None, False, piped)))
        pos += len(digits)


def _tokens(line: str, line_start: int, raw: str, out: list[Token], piped: bool) -> None:
    """The tokens of any line (numbering digits, signs, units, blank marks, footnote marks); ``piped``: the line
    holds a '|'."""
    text: list[str] = []  # the pieces of a text token still read (text pieces with only marks or separators between)
    text_at = 0
    pattern = _TOKEN_UNGROUPED if "," in line and _CELL_COMMA.search(line) else _TOKEN
    # the separators after the last token stripped: no token follows them (and none is searched for after each)
    body = line.rstrip(_SEPARATORS)
    found: list[_Found] = _found_by_chars(body, pattern) if COMPILED else pattern.findall(body)
    at = line_start  # where the next match starts
    text_end = 0  # where the last text piece ends
    for seps, piece in found:
        at += len(seps)
        kind = _kind(piece, 0)  # (a text character, a special one or a decimal digit: the table's, no 1-char string)
        if kind == _K_TEXT or (kind == _K_SPECIAL and _other(piece, piece[0], seps != "" or at == line_start, line,
                                                             at - line_start)):
            # a run of text (no other token starts with its first character), or another character; a count's
            # measure word alone after its number (2次) is the number's
            if len(piece) == 1 and piece in MEASURE_WORDS and not text and _measured(piece, seps, at, line, line_start,
                                                                                    raw, out):
                at += 1
                continue
            text_at = text_at if text else at
            text.append(piece)
            at += len(piece)
            text_end = at
            continue
        first = piece[0]
        if first in _MARKS or first == "[":  # a footnote mark ([1], ①, ¹) is no number of any row, nor a label's text
            at += len(piece)
            continue
        if _decimal_char(first) or (len(piece) > 1 and (first in _SIGNS or (first == _EN_DASH and piece[1].isdecimal()))
                                 ):  # a number (digits, or a sign and digits; '–/' repeated is a blank mark)
            sign = _before_number(text, text_at, text_end == at - len(seps), seps, first, line, line_start,
                                  piped or at - line_start + len(piece) == len(body), out) if text else None
            numbering = _number(line, piece, at, line_start, raw, out, piped) if sign is None else _signed_by(
                sign, text, text_at, line, piece, at, line_start, raw, out, piped)
            at += len(piece)
            if numbering:  # the label it numbers is read on from it
                text.append(numbering)
                text_at = at - 1
            continue
        if text:
            _text(text, text_at, out, text[0][0] == "(" and _note(text, text_at, out))
        if piece == "〇" or piece == "○":  # alone in a cell: a zero written as a character
            out.append(_new(_Token, ("num", "0", raw[at:at + 1], at, None, False, piped)))
            at += 1
        else:
            out.append(_new(_Token, ("blank", piece, raw[at:at + len(piece)], at, None, False, piped)))
            at += len(piece)
    if text:
        _text(text, text_at, out, text[0][0] == "(" and _note(text, text_at, out))


#: what :func:`_found_by_chars` makes of a character (below U+10000; above it, as _K_ASK): a text character (a run
#: of text's first), a space or a tab (a separator, or inside a run of text), another separator (whitespace, '|'), an
#: ASCII digit, a character of ``_SPECIAL_CHARS``, a decimal digit of another script, or ask ``str.isdecimal``
_K_TEXT: Final = 0
_K_SPACE: Final = 1
_K_SEP: Final = 2
_K_DIGIT: Final = 3
_K_SPECIAL: Final = 4
_K_DECIMAL: Final = 5
_K_ASK: Final = 6
#: what may follow a number's digits in the pattern: a unit's first character (the pattern reads on), a comma or a
#: point (thousands and decimals where a digit follows them)
_UNIT_START: Final = "元万"
_GROUP_MARKS: Final = ",."
#: the second character of a sign in words (减少, 增加)
_SIGN_PAIRS: Final = {"减": "少", "增": "加"}
#: the characters of a blank mark that may be repeated (``[/—–]+``)
_DASHES: Final = "/—–"
#: the characters that are a token of their own wherever they stand: a blank mark or a zero where alone, else text
_ALONE: Final = "无〇○"


def _kind_table() -> bytes:
    """What :func:`_found_by_chars` makes of each character below U+10000 (one byte each; 0 is ``_K_TEXT``)."""
    return _char_table(_K_ASK, ((WHITESPACE + "|", _K_SEP), (" \t", _K_SPACE), (_DIGITS, _K_DIGIT),
                                (_SPECIAL_CHARS, _K_SPECIAL)))


_KIND_TABLE: Final = _kind_table()


def _kind(text: str, i: int) -> int:
    """What ``text[i]`` is to :func:`_found_by_chars` (``_K_*``)."""
    c = ord(text[i])
    kind = _KIND_TABLE[c] if c < 0x10000 else _K_ASK
    if kind == _K_ASK:
        return _K_DECIMAL if text[i].isdecimal() else _K_TEXT
    return kind


def _sep_at(text: str, i: int) -> bool:
    """A separator at ``i`` (whitespace or '|'), or ``i`` outside ``text``: what ``(?![^\\s|])`` and ``(?<![^\\s|])``
    ask."""
    if i < 0 or i >= len(text):
        return True
    return _kind(text, i) in (_K_SPACE, _K_SEP)


def _found_by_chars(body: str, pattern: re.Pattern[str]) -> list[_Found]:
    """``pattern.findall(body)`` (``pattern``: ``_TOKEN`` or ``_TOKEN_UNGROUPED``; ``body``: a line without the
    separators after its last token), read character by character where a token is plain (a run of text, ASCII
    digits, a blank mark, a special character alone) and by ``pattern.match`` at the others (signed numbers, units,
    decimals, grouped digits, footnote marks): findall's engine cost ~3,500 instructions a token (its branches
    tried in order, a group's marks saved at each), the compiled loop a few hundred."""
    out: list[_Found] = []
    n = len(body)
    i = 0
    while i < n:
        start = i
        kind = _kind(body, i)
        while kind in (_K_SPACE, _K_SEP):
            i += 1
            if i == n:
                return out  # separators only: no token (the pattern's second group reads one character at least)
            kind = _kind(body, i)
        end = _plain_token_end(body, i, kind)
        if end < 0:  # for the pattern: a match at the separators (its first group is all of them)
            m = pattern.match(body, start)
            if m is None:  # pragma: no cover - the pattern's last branch reads any character but a separator
                return out
            out.append((body[start:i], m.group(2)))
            i = m.end()
            continue
        out.append((body[start:i], body[i:end]))
        i = end
    return out


def _plain_token_end(body: str, i: int, kind: int) -> int:
    """Where the token that starts at ``i`` (a character of ``kind``, no separator) ends, as the pattern reads it,
    where it is plain; -1 where the pattern is to read it."""
    if kind == _K_TEXT:
        return _text_end(body, i)
    if kind == _K_DIGIT:
        return _digits_end(body, i)
    return _special_end(body, i) if kind == _K_SPECIAL else -1  # (a digit of another script: the pattern's)


def _text_end(body: str, i: int) -> int:
    """The end of the run of text at ``i``: text characters, and spaces and tabs between them."""
    j = i + 1
    while j < len(body) and _kind(body, j) in (_K_TEXT, _K_SPACE):
        j += 1
    while body[j - 1] == " " or body[j - 1] == "\t":  # (the first is a text character)
        j -= 1
    return j


def _digits_end(body: str, i: int) -> int:
    """The end of the ASCII digits at ``i``, or -1 where the number's pattern reads on after them (a digit of
    another script, a group of thousands, decimals, a unit)."""
    j = i + 1
    while j < len(body):
        k = _kind(body, j)
        if k == _K_DIGIT:
            j += 1
            continue
        if k == _K_DECIMAL or body[j] in _UNIT_START:
            return -1
        # thousands and decimals are read where a digit follows the comma or point (2,932, 7.5); a list's number
        # before its label is not (2.其他法律…)
        return -1 if body[j] in _GROUP_MARKS and _decimal_at(body, j + 1) else j
    return j


def _decimal_at(body: str, i: int) -> bool:
    """A decimal digit (``\\d``) at ``i`` in ``body``."""
    return i < len(body) and _kind(body, i) in (_K_DIGIT, _K_DECIMAL)


def _space_at(body: str, i: int) -> bool:
    """Whitespace (``\\s``) at ``i`` in ``body``."""
    return i < len(body) and body[i] != "|" and _kind(body, i) in (_K_SPACE, _K_SEP)


def _signs_number(body: str, i: int) -> bool:
    """Whether the sign at ``i`` (减, 增, '-' or '+') starts a number, as the pattern reads it: 减少 or 增加 or the
    sign, whitespace, 了 and whitespace (减少了 2), then a digit; '-' or '+', one whitespace character at most, then
    a digit."""
    char = body[i]
    j = i + 1
    if char == "-" or char == "+":
        return _decimal_at(body, j) or (_space_at(body, j) and _decimal_at(body, j + 1))
    if j < len(body) and body[j] == _SIGN_PAIRS[char]:  # 减少, 增加: the sign's words (减 alone before 少 is none)
        j += 1
    while _space_at(body, j):
        j += 1
    if j < len(body) and body[j] == _PERFECT:
        j += 1
        while _space_at(body, j):
            j += 1
    return _decimal_at(body, j)


def _special_end(body: str, i: int) -> int:
    """The end of the token that a character of ``_SPECIAL_CHARS`` starts at ``i``: a blank mark (a dash repeated),
    footnote marks, or the character alone (text, a blank mark, a zero); -1 where it may start a number or a
    footnote mark in brackets ([1], [^2]): the pattern's."""
    char = body[i]
    following = _kind(body, i + 1) if i + 1 < len(body) else _K_SEP
    if char in _DASHES:  # a blank mark where it stands alone (repeated), else the character alone as text
        j = i + 1
        while j < len(body) and body[j] in _DASHES:
            j += 1
        if _sep_at(body, i - 1) and _sep_at(body, j):
            return j
        return -1 if char == _EN_DASH and following in (_K_DIGIT, _K_DECIMAL) else i + 1
    if char in _MARKS:  # footnote marks, one or more
        j = i + 1
        while j < len(body) and body[j] in _MARKS:
            j += 1
        return j
    if char in _ALONE:
        return i + 1
    if char == "[":  # a footnote mark in brackets ([1], [^2]): the pattern's; else '[' alone
        return -1 if following in (_K_DIGIT, _K_DECIMAL) or body[i + 1:i + 2] == "^" else i + 1
    return -1 if _signs_number(body, i) else i + 1  # a sign before a number (减少 2, - 2, 增了3), or the sign alone


def _signed_by(sign: str, text: list[str], text_at: int, line: str, piece: str, at: int, line_start: int, raw: str,
               out: list[Token], piped: bool) -> str:
    """The number ``piece`` (at ``at``) read as ``_number`` reads it, and signed by the change's words before it
    (``text``, at ``text_at``: ``sign`` '-', '+' or ''), its raw the whole cell; or, where its last digit numbers a
    label after it, the words read as text, and that digit returned."""
    numbering = _number(line, piece, at, line_start, raw, out, piped)
    if numbering:
        _text(text, text_at, out, True)
        return numbering
    tok = out[-1]
    end = at + len(piece)
    out[-1] = tok._replace(text="-" + tok.text if sign == "-" else tok.text, at=text_at, raw=raw[text_at:end].strip())
    text.clear()
    return ""


def _after_number(out: list[Token], at: int) -> bool:
    """Whether the last token read is a number that ends at ``at``."""
    return bool(out) and out[-1][0] == "num" and out[-1][3] + len(out[-1][2]) == at


def _measured(piece: str, seps: str, at: int, line: str, line_start: int, raw: str, out: list[Token]) -> bool:
    """Whether ``piece`` (at ``at``, after ``seps``) is a count's measure word alone after its number in a cell (2次,
    12 件): then read with it (the number's raw takes it)."""
    if len(piece) != 1 or (seps != "" and seps != " " and seps != "\t") or \
            not _cell_ends(line, at - line_start + 1) or not _after_number(out, at - len(seps)):
        return False
    tok = out[-1]
    out[-1] = tok._replace(raw=raw[tok.at:at + 1])
    return True


def _note(text: list[str], text_at: int, out: list[Token]) -> bool:
    """Whether the text read is a note in brackets right after a number (12（含转办3）): the number's cell's words."""
    return text[0][0] == "(" and _after_number(out, text_at)  # (tested first where called)


def _before_number(text: list[str], text_at: int, next_to: bool, seps: str, first: str, line: str, line_start: int,
                   alone: bool, out: list[Token]) -> str | None:
    """The sign that the text read (``text``, at ``text_at``) gives the number after it (``first``: its first
    character, ``seps`` before it; ``next_to``: no footnote mark between) where it is a change's words that start
    the number's cell (下降2: '-'; see ``_change_sign``); else None, the text appended, said to touch the number in
    its cell (约12: ``cell``) where it starts a cell right before it, or starts the line where the line is a line of
    cells or ends with the number (``alone``: a cell a line)."""
    touching = False
    if next_to and (seps == "" or seps == " " or seps == "\t"):
        start = text_at - line_start
        after = start > 0 and line[start - 1] in _SEPARATORS  # (a label starts its line, but in a line of cells)
        if after or start == 0:
            sign = _change_sign(text, first, line, start) if len(text[0]) <= _LONGEST_CHANGE + 3 else None  # (a label)
            if sign is not None:
                return sign
            touching = after or alone
    _text(text, text_at, out, touching or (text[0][0] == "(" and _note(text, text_at, out)))
    return None


def _change_sign(text: list[str], first: str, line: str, start: int) -> str | None:
    """The sign the words that start a cell right before a number (``text``'s pieces, at ``start`` in ``line``) give
    it where they are the words of a change printed together (``_CHANGE_WORDS``: '-', '+', or '' for 同比 before a
    number signed already, ``first`` its first character); else None (a label, a sentence, other words: text)."""
    words = "".join(text)
    sign = _CHANGE_WORDS.get(words.replace(" ", "") if " " in words else words)
    if sign is None or (sign == "") == first.isdecimal() or (len(text) > 1 and not line.startswith(words, start)):
        return None  # 同比 before digits alone; 下降 before a signed number; words a separator parts (减|少)
    return sign


#: what a number's raw prints besides its digits and is no word: signs of any script, spaces, a decimal point, commas
_NUMBER_MARKS: Final = " \t.,-+\u2212\u2012\u2013\ufe63\uff0d\uff0b\u3000减增"
_UNITS: Final = (_UNIT_WAN, _UNIT, _WAN)
#: the minus signs a number's raw may print (the view's '-' for those of other scripts)
_MINUS_MARKS: Final = "-\u2212\u2012\u2013\ufe63\uff0d减"


def cell_words(raw: str, folded: str | None = None) -> tuple[str, str] | None:
    """The words a cell's raw prints beside its number (``raw``: as the tokens or the rows stage kept it; ``folded``:
    its matching view, as long, where it differs: 減 is 减), as printed, and how they were taken: "minus" or "plus"
    (a change's sign in words, a measure word after it or not: 下降2, 同比增加2件), "measure" (a count's measure word
    alone: 2次, 12 件) or "unread" (any other: 约12, 12（含转办3）); None where it prints none (12, 减2, −1, 38.6万元,
    １２)."""
    view = raw if folded is None else folded
    start = next((i for i, c in enumerate(view) if c.isdecimal()), -1)
    if start < 0 or all(c.isdecimal() or c in _NUMBER_MARKS for c in view):
        return None
    end = start  # the number's end: digits, a decimal point, commas, spaces between digits (1 2)
    while end < len(view) and (view[end].isdecimal() or (view[end] in "., " and view[end + 1:end + 2].isdecimal())):
        end += 1
    rest = len(view) - len(view[end:].lstrip())
    for unit in _UNITS:
        if view.startswith(unit, rest):
            end = rest + len(unit)
            break
    after = view[end:].strip()
    words = view[:start].replace(" ", "").replace("\t", "").replace("\u3000", "")
    bare = words.rstrip(_NUMBER_MARKS)
    measure = len(after) == 1 and after in MEASURE_WORDS
    printed_after = raw[end:].strip()
    said = raw[:start].strip() + ("…" + printed_after if after else "") if bare else printed_after
    if after and not measure:
        return said, "unread"
    if not bare:
        return (printed_after, "measure") if measure else None
    sign = _CHANGE_WORDS.get(bare)
    if sign == "" and bare != words:  # 同比 before a signed number: its sign's
        sign = "-" if any(c in _MINUS_MARKS for c in words[len(bare):]) else "+"
    return said, "minus" if sign == "-" else "plus" if sign == "+" else "unread"


def _cell_ends(line: str, end: int) -> bool:
    """Nothing but a separator (or the line's end) at ``end`` in ``line``: a cell's last character before it."""
    return end >= len(line) or line[end] in _SEPARATORS


def _other(piece: str, first: str, after: bool, line: str, start: int) -> bool:
    """Whether a token read by ``_TOKEN`` (``piece``, at ``start`` in ``line``) that starts with a character of
    ``_SPECIAL`` (``first``) is another character (text), not a footnote mark, a number, a blank mark or a zero written
    as a character, as the pattern's alternatives read it; ``after``: the token follows separators or starts the
    line."""
    if len(piece) > 1 or first in _MARKS:  # a footnote mark, a signed number, '/', '—' or '–' repeated; or a mark
        return False
    if first not in _BLANKS or not after:  # no blank mark, or one after no separator
        return True
    following = line[start + 1:start + 2]  # a blank mark stands alone: a separator or the line's end after it
    return not (following == "" or following == "|" or following.isspace())


def _text(pieces: list[str], at: int, out: list[Token], cell: bool = False) -> None:
    """A text token of these pieces (emptied), appended; ``cell``: words that touch a number in its cell, or a row's
    label (the rows stage tells them apart: :func:`.rows._beside`)."""
    joined = "".join(pieces)
    out.append(_new(_Token, ("text", joined, joined, at, None, False, cell)))
    pieces.clear()


def _number(line: str, piece: str, at: int, line_start: int, raw: str, out: list[Token], piped: bool) -> str:
    """A number's token appended (``piece``, at ``at``); or, when its last digit numbers the label after it
    ("…00002.其他法律…"), the others' (if any), and that digit returned (else "")."""
    end = at - line_start + len(piece)  # where it ends in the line
    # whole digits (no unit, which ends in 元, nor a decimal point), then '.' or '、' and a label
    if end < len(line) and line[end] in ".、" and piece[-1] != "元" and piece[-1] != _WAN and "." not in piece \
            and _numbering_after(line, end):
        sign, digits, _ = _parts(piece)
        if len(digits) > 1:
            out.append(_num(piece[:-1], sign, digits[:-1], None, at, raw, piped))
        return digits[-1]
    if _decimal(piece):  # the common case, inline (no sign or unit: _num() reads a decimal alike)
        out.append(_new(_Token, ("num", piece, raw[at:at + len(piece)], at, None, False, piped)))
        return ""
    sign, digits, unit = _parts(piece)
    if "," in piece:  # 2,932: digits grouped by thousands are one number, never split into cells
        out.append(_num(piece, sign, digits.replace(",", ""), unit or None, at, raw, True))
    else:
        out.append(_num(piece, sign, digits, unit or None, at, raw, piped))
    return ""


def _numbering_after(line: str, end: int) -> bool:
    """Whether a single digit before '.'/'、' (``line[end]``, tested first where called) numbers a label
    (2.其他法律…, 1. 属于国家秘密), as ``[.、]\\s*(?=[^\\d\\s|])`` matched at ``end``, read by string methods:
    whitespace (``\\s``: ``str.isspace``), then a character that is no digit (``\\d``: ``str.isdecimal``),
    whitespace or '|' (a match cost ~1,900 instructions, ~10 a report)."""
    i = end + 1
    while i < len(line) and line[i].isspace():
        i += 1
    return i < len(line) and not _decimal_char(line[i]) and line[i] != "|"


def _parts(piece: str) -> tuple[str, str, str]:
    """A number's sign, digits and unit ("" for none)."""
    sign = piece[:2] if piece[:2] in _SIGN_WORDS else piece[0] if piece[0] in _SIGNS or piece[0] == _EN_DASH else ""
    if sign and piece[len(sign):].lstrip().startswith(_PERFECT):  # 减少了 2: the sign is its words
        sign = piece[:piece.index(_PERFECT) + 1]
    # "25.1万" (万 without 元) is 万元 as printed in a cell: the raw keeps what was printed
    printed = 2 if piece.endswith(_UNIT_WAN) else 1 if piece[-1] == _UNIT or piece[-1] == _WAN else 0
    unit = _UNIT if piece[-1] == _UNIT and printed == 1 else _UNIT_WAN if printed else ""
    digits = piece[len(sign):len(piece) - printed]
    return sign, digits.lstrip() if sign else digits, unit  # spaces may stand between a sign and its digits


def _num(piece: str, sign: str, digits: str, unit: str | None, at: int, raw: str, piped: bool) -> Token:
    value = "-" + digits if sign.startswith(_MINUS_START) else digits
    return _new(_Token, ("num", value, raw[at:at + len(piece)].strip(), at, unit, False, piped))


def not_a_report(source: str, zh: str, en: str) -> LoadError:
    return LoadError([problem("GD-LOAD-NOT-REPORT", "", Label(f"不是年度报告：{zh}", f"not a report: {en}"))], source)


def _on_its_line(text: str, start: int, end: int) -> bool:
    """Nothing but whitespace before ``start`` and after ``end`` on their line: a heading printed as one."""
    line_end = text.find("\n", end)
    return not text[text.rfind("\n", 0, start) + 1:start].strip() and \
        not text[end:line_end if line_end >= 0 else len(text)].strip()


#: the characters of prose under a part's heading that make it a part written, not a heading listed (the
#: shortest part, 六、其他需要报告的事项's "无。", aside: a report with tables as images has 一、总体情况's paragraphs)
MIN_PROSE: Final = 20
#: what the page reader writes where a page shows an image (an <img> outside a table's cells): a table published as
#: a screenshot leaves it under its heading, so that the heading is not one of a list of headings
IMAGE_MARK: Final = "[图片]"


#: a contents page's reference under a heading (第3页, …… 3): no caption of an image
_PAGE_REFERENCE: Final = compiled(r"第\s*\d+\s*页|[.…·]{3,}\s*\d+\s*$")


def image_like(text: str) -> bool:
    """Whether what stands under a table part's heading (stripped, not empty) may be the table as an image: an
    image's mark, or a line too short to be a sentence (a caption: 表2 主动公开情况); not a sentence saying what the
    table would (本年度未发生政府信息公开行政复议、行政诉讼案件。: the table left out, its part written)."""
    words = text.replace(IMAGE_MARK, "").strip()
    if "。" in words or len(words) >= MIN_PROSE or _PAGE_REFERENCE.search(words):
        return False  # a sentence of its own (an icon before it: review 12c #6), or a contents page's 第3页
    return IMAGE_MARK in text or bool(words)


def _tables_unprinted(state: State) -> bool:
    """The three table parts each printed under a heading on its own line with an image (or its caption) under it,
    and a part of prose so too with its text, though no table has a word in the text: the tables were published as
    images (screenshots of the sheets); not a text that only names the headings (a contents page, a notice listing
    them: each table's heading followed by the next heading)."""
    parts, raw = state.parts, state.raw
    if state.title is not None and "通知" in raw[state.title[0]:].split("\n", 1)[0]:
        return False  # a notice's title (关于做好2023年…年度报告编制发布工作的通知: review 12c #5), no report's
    tables = prose = 0
    for part, span in parts.items():
        if span.body > span.start and _on_its_line(raw, span.start, span.body):
            under = raw[span.body:span.end].strip()
            if part in TABLES:
                tables += bool(under) and image_like(under)
            elif len(under) >= MIN_PROSE:
                prose += 1
    return tables == len(TABLES) and prose > 0


#: the letters OCR gives for digits (O 0, l and I 1, S 5, B 8); the first four also stand alone for a digit
_OCR_LETTERS: Final = "OoIlSB"
#: a cell of a table's row that is digits with letters OCR takes digits for (6S, l0, 1O), or such a letter alone (O
#: for 0, l for 1): never a label's word (a label has no digit, and a lone O or l is no word of one)
_LETTERED: Final = compiled(rf"(?<![^\s|])(?:[0-9]+[{_OCR_LETTERS}][0-9{_OCR_LETTERS}]*"
                            rf"|[{_OCR_LETTERS}]+[0-9][0-9{_OCR_LETTERS}]*|[{_OCR_LETTERS[:4]}])(?![^\s|])")


def _lettered(state: State) -> list[Finding]:
    """Where a table's row holds a cell of digits and letters, or such a letter alone (:data:`_LETTERED`):
    the rows stage reads its digits or none, which would otherwise go without a word."""
    out = []
    for table, (a, b) in state.tables.items():
        # most tables hold none of the letters: a scan for each (at C speed, native calls), not the engine's
        if all(state.folded.find(c, a, b) < 0 for c in _OCR_LETTERS):
            continue
        for m in _LETTERED.finditer(state.folded, a, b):
            at, cell = m.start(), m.group()
            line = state.line(at)
            out.append(F.LETTERS(pointer=f"/{table}", file=state.source, line=line,
                                 column=at - state.starts[line - 1] + 1, page=state.page(at),
                                 cell=state.raw[at:at + len(cell)]))
    return out


def tokens(state: State) -> State:
    # an image's mark is no label of the table (a table as a screenshot is not printed: GD-PARSE-TABLE says so)
    streams = {t: tuple(items(state.folded, state.raw, a, b, state.notes.get(t, ()))) for t, (a, b) in
               state.tables.items()}
    if IMAGE_MARK in state.folded:  # (a page's image only: a test at C speed)
        streams = {t: tuple(i for i in s if i.text != IMAGE_MARK) for t, s in streams.items()}
    # no table printed, but a part that would hold one says where it is (具体情况详见附件1。), or the three tables'
    # headings stand with the other parts' text (the tables published as images): a report all the same
    if not state.parts or (not any(i.kind == "text" for s in streams.values() for i in s)
                           and not any(state.narrative.get(t) for t in state.tables) and not _tables_unprinted(state)):
        heading = state.registry.format(max(state.registry.formats)).parts[1].heading.zh
        if any(span.body > span.start for span in state.parts.values()):  # headings, but no table as text
            raise not_a_report(state.source, "找到部分标题，但没有以文字印出的表格，也没有三张表的标题与其他部分的正文"
                                             f"（如“{heading}”；只列出了标题？）",
                               "part headings found, but no table printed as text, nor the three tables' headings "
                               f"with the other parts' text (such as {heading}; headings only listed?)")
        raise not_a_report(state.source, f"找不到六个部分的标题和表格（如“{heading}”）",
                           f"no part headings and no tables found (such as {heading})")
    lettered = _lettered(state)
    return state.but(streams=streams, findings=state.found(*lettered)) if lettered else state.but(streams=streams)
