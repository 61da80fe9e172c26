"""Stage ``normalise``: the text as published, and beside it a view of the same length to match in.

The published text (``State.raw``) is what the narrative parts keep, character for character.
The view (``State.folded``) differs only where a character is replaced by exactly one other:
full-width ASCII by half-width (``，`` → ``,``, ``１`` → ``1``), odd spaces by a space, a page's
footer (``- 2 -``) by spaces, and, in a Traditional-script text, each Traditional character by
its Simplified one (OpenCC's ``t2s`` character table, one character at a time: no word is
rewritten).  Because each replacement is one character for one, an offset in the view is the
same offset in the published text: what is matched in the view is cut from the text.

The published text itself changes only where no report can hold a character (the model's text
refuses it: HTML, CSV and XML cannot carry it): a control character becomes a space, a
noncharacter (U+FFFE, U+FFFF) or a lone surrogate becomes U+FFFD, each one for one and each
said by a GD-PARSE-CONTROL finding (which characters, how many, where the first is).  A form
feed is a page break (PDF text has one between pages): it is read as a space without a word.
Directional formatting characters (U+202E reverses the text after it on screen) are kept, and
said too: what is displayed is not what is written.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any, Final

from ..findings import Finding
from ..labels import Label
from ..traditional import TRADITIONAL_CHARS as _TRADITIONAL_CHARS
from ..traditional import TRADITIONAL_MIN, TRADITIONAL_WINDOW, looks_traditional
from . import findings as F
from .patterns import compiled
from .state import State

__all__ = ["CHARACTER_CLASSES", "FOLD", "RADICALS", "blanked", "fold", "line_starts", "looks_traditional",
           "normalise"]

#: the radicals that a PDF's text layer gives for whole characters (a font draws 一 and the radical ⼀ U+2F00 with
#: one glyph, and its text map names the radical: browsers' and some writers' PDFs print every 一, 二, 工, 门 so), each
#: to the character it stands for: the 214 Kangxi radicals by Unicode's compatibility mapping (NFKC) but where a
#: Simplified font draws the radical as another form (⼾ is 户 there, NFKC's 戶), and the supplement's radicals that
#: are whole Simplified characters (by their Unicode names: CIVILIAN 民, C-SIMPLIFIED GATE 门, …)
_AS_DRAWN: Final = ("⼾户⾭青⺟母⺠民⻄西⻅见⻆角⻉贝⻋车⻓长⻔门⻘青⻙韦⻚页⻛风⻜飞"
             "⻝食⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻬齐⻮齿⻰龙⻳龟")
RADICALS: dict[int, int] = {
    **{c: ord(unicodedata.normalize("NFKC", chr(c))) for c in range(0x2F00, 0x2FD6)},
    **{ord(radical): ord(whole) for radical, whole in zip(_AS_DRAWN[::2], _AS_DRAWN[1::2], strict=True)},
}
#: one character for one: full-width ASCII to half-width; the minus signs of other scripts to '-' (U+2212 MINUS SIGN,
#: Word's and typeset formulas', ‒ FIGURE DASH and the small ﹣: a sign before digits, a blank mark alone); spaces of
#: every width to a space; radicals to the characters they stand for (a text copied from such a PDF has them too)
FOLD: dict[int, int] = {
    **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},
    **{c: 0x2D for c in (0x2212, 0x2012, 0xFE63)},
    **{c: 0x20 for c in (0x09, 0x3000, 0x00A0, 0xFEFF, *range(0x2000, 0x200C), 0x202F, 0x205F)},
    **RADICALS,
}

#: characters of the published text no report can hold, each class with what replaces it and how a finding
#: names it; directional formatting characters are kept (None), only said
CHARACTER_CLASSES: tuple[tuple[re.Pattern[str], str | None, Label, Label], ...] = (
    (compiled("[\x00-\x08\x0b\x0e-\x1f\x7f]"), " ", Label("控制字符", "control characters"),
     Label("空格", "a space")),
    (compiled(f"[{chr(0xD800)}-{chr(0xDFFF)}\ufffe\uffff]"), "\ufffd",  # surrogates by chr(): not in a mypyc literal
     Label("非字符或孤立代理项", "noncharacters or lone surrogates"), Label("U+FFFD（�）", "U+FFFD (�)")),
    (compiled("[\u202a-\u202e\u2066-\u2069]"), None,
     Label("方向控制字符", "directional formatting characters"),
     Label("", "")),
)
PAGE_BREAK: Final = "\x0c"
#: the places of one class a finding lists (the count says how many there are in all)
PLACES_SHOWN: Final = 20
#: the distinct characters of one class a finding names
CHARS_SHOWN: Final = 8

#: a page footer of PDF text, the whole of its line: "- 2 -", "第 2 页 共 6 页", "2/6"
_FOOTER_LINE: Final = (r"[ \t]*(?:[-—–][ \t]*\d+[ \t]*[-—–]"
                r"|第[ \t]*\d+[ \t]*页(?:[ \t]*[,，/]?[ \t]*共[ \t]*\d+[ \t]*页)?"
                r"|\d+[ \t]*/[ \t]*\d+)[ \t]*")
FOOTER: Final = compiled(rf"^{_FOOTER_LINE}$", re.M)
#: the same after a line break: a literal first character lets the engine skip to each line's start, where
#: ``^`` in multi-line mode is tried at every character
_FOOTER_AFTER_BREAK: Final = compiled(rf"\n({_FOOTER_LINE})(?![^\n])")

#: a line set in bold as Markdown writes it (**一、总体情况**), in a text file (a Markdown conversion saved as .txt):
#: its marks are blanked in the view, so that a heading's line is the heading alone
_BOLD_LINE: Final = compiled(r"^[ \t]*(\*\*)(?=[^\s*])([^\n]*?[^\s*])\*\*[ \t]*$", re.M)
#: a Markdown heading's marks at a line's start (# 某局2024年…报告, ## 一、总体情况), in a text file
_HEADING_MARKS: Final = compiled(r"^[ \t]*(#{1,6})[ \t]+(?=[^\s#])", re.M)
#: a number set as inline math ($217$, $0$: a converter's), in a text file: the dollars are marks
_MATH_NUMBER: Final = compiled(r"(?<![$\w])(\$)[ \t]*[-+]?[0-9][0-9 ,.]*?[ \t]*(\$)(?![$\w])")


@functools.cache
def _converter() -> Any:
    """OpenCC's Traditional-to-Simplified converter (``t2s``: characters, not Taiwan phrases), if installed."""
    try:
        import opencc  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    for config in ("t2s", "t2s.json"):
        try:
            return opencc.OpenCC(config)
        except Exception:  # noqa: BLE001 - the two OpenCC packages name configs differently, and fail differently
            continue
    return None


@functools.cache
def _simplified(char: str) -> str:
    out: str = _converter().convert(char)
    return out if len(out) == 1 else char


_FOLD_CHARS: dict[str, str] = {chr(c): chr(to) for c, to in FOLD.items()}
_FOLDABLE_CLASS: Final = "".join(re.escape(chr(c)) for c in sorted(FOLD))
_FOLDABLE: Final = compiled(f"[{_FOLDABLE_CLASS}]")
_UNUSUAL: Final = compiled("|".join(p.pattern for p, _, _, _ in CHARACTER_CLASSES))
#: what the one scan of a text stops at (:func:`_plain_view`): a character to fold, one no report can hold, and
#: in the first TRADITIONAL_WINDOW characters a Traditional one; every class of CHARACTER_CLASSES is "[...]"
_STOPS: Final = _FOLDABLE_CLASS + "".join(p.pattern[1:-1] for p, _, _, _ in CHARACTER_CLASSES)
_SCAN_HEAD: Final = compiled(f"[{_STOPS}{_TRADITIONAL_CHARS}]")
_SCAN: Final = compiled(f"[{_STOPS}]")


def _fold_plain(text: str, at: int = 0) -> str:
    """``text`` with its full-width ASCII and odd spaces replaced, from ``at`` on (none before it).

    A handful of distinct characters to replace: one C-speed pass each beats a translate table.  Each is
    replaced everywhere when first met, and what replaces it is never replaced, so the search goes on
    from there: the text is read once."""
    while m := _FOLDABLE.search(text, at):
        char = m.group()
        text = text.replace(char, _FOLD_CHARS[char])
        at = m.start() + 1
    return text


def _plain_view(raw: str) -> str | None:
    """``fold(raw)`` in one scan of ``raw``; None when ``raw`` holds a character no report can hold or looks
    Traditional (:func:`looks_traditional`), which :func:`normalise` then deals with the general way."""
    return _plain_view_by_char(raw) if COMPILED else _plain_view_matched(raw)


def _plain_view_matched(raw: str) -> str | None:
    """:func:`_plain_view` by the regex engine, which tries its character set at each character (~50 instructions
    a character: interpreted, the fastest way)."""
    view, at, traditional = raw, 0, 0
    for scan, end in ((_SCAN_HEAD, TRADITIONAL_WINDOW), (_SCAN, len(raw))):
        while m := scan.search(view, at, end):
            char = m.group()
            if (half := _FOLD_CHARS.get(char)) is not None:
                view = view.replace(char, half)
            elif char not in _TRADITIONAL_CHARS:
                return None  # a character of CHARACTER_CLASSES
            elif (traditional := traditional + 1) >= TRADITIONAL_MIN:
                return None
            at = m.start() + 1
        at = max(at, end)
    return view


#: what the one scan of a text (:func:`_plain_view_by_char`) does at a character: nothing, fold it, give up (one no
#: report can hold), count it (a Traditional one, in the first TRADITIONAL_WINDOW characters)
_GO_ON: Final = 0
_TO_FOLD: Final = 1
_UNREADABLE: Final = 2
_TRADITIONAL: Final = 3
#: ``re``'s parser (``sre_parse`` before Python 3.11)
_RE_PARSER: Final[Any] = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
#: how many code points the scan's table holds: every character it stops at is below U+10000
_BMP: Final = 0x10000


@functools.cache
def _stops_table() -> bytes:
    """What :func:`_plain_view_by_char` does at each character below U+10000 (one byte each: ``_GO_ON`` …), from the
    same classes as ``_SCAN_HEAD``: FOLD's keys, CHARACTER_CLASSES' ranges (each a "[...]" class, read by ``re``'s
    own parser: trying each character with the patterns took 17 ms), TRADITIONAL_CHARS."""
    table = bytearray(_BMP)
    for pattern, _, _, _ in CHARACTER_CLASSES:
        ((_, items),) = _RE_PARSER.parse(pattern.pattern)
        for op, value in items:
            first, last = value if op == _RE_PARSER.RANGE else (value, value)
            if last >= _BMP:  # the scan passes over the characters past the table: a class there needs the regex
                raise ValueError(f"character class {pattern.pattern!r} reaches past U+FFFF")
            table[first:last + 1] = bytes([_UNREADABLE]) * (last + 1 - first)
    for c in FOLD:
        table[c] = _TO_FOLD
    for char in _TRADITIONAL_CHARS:
        table[ord(char)] = _TRADITIONAL
    return bytes(table)


def _plain_view_by_char(raw: str) -> str | None:
    """:func:`_plain_view` by a compiled loop over the characters (~20 instructions a character where the engine's
    set costs ~50), each looked up in :func:`_stops_table` (made on the first call)."""
    table = _stops_table()
    view, traditional = raw, 0
    for i in range(len(raw)):
        c = ord(view[i])  # (the view: a character folded everywhere when first met is never met again)
        if c >= _BMP:
            continue
        kind = table[c]
        if kind == _GO_ON:
            continue
        if kind == _TO_FOLD:
            char = view[i]
            view = view.replace(char, _FOLD_CHARS[char])
        elif kind == _UNREADABLE:
            return None
        elif i < TRADITIONAL_WINDOW:
            traditional += 1
            if traditional >= TRADITIONAL_MIN:
                return None
    return view


def fold(text: str, traditional: bool = False) -> str:
    """The matching view of ``text`` (same length, see the module docstring)."""
    if not traditional:
        return _fold_plain(text)
    table = dict(FOLD)
    for char in set(text):
        if char > "\u2e7f" and (simple := _simplified(char)) != char:
            table[ord(char)] = ord(simple)
    return text.translate(table)


_LINE_BREAK: Final = compiled("\n")
_END: Final = re.Match.end
#: whether this module is compiled (mypyc): a compiled loop of ``str.find`` then beats the regex's match objects
#: (~1,000 instructions a line), where interpreted it costs more than they do
COMPILED: Final = not isinstance(fold, FunctionType)


def line_starts(text: str) -> tuple[int, ...]:
    """The offset of each line's first character: where each line break ends."""
    return _starts_found(text) if COMPILED else _starts_matched(text)


def _starts_matched(text: str) -> tuple[int, ...]:
    """:func:`line_starts` read at C speed (one object a line: splitting the text made a string and three numbers a
    line, about 15% more work)."""
    return (0, *map(_END, _LINE_BREAK.finditer(text)))


def _starts_found(text: str) -> tuple[int, ...]:
    """:func:`line_starts` by ``str.find`` (compiled: no object a line but the number)."""
    out = [0]
    at = text.find("\n")
    while at >= 0:
        at += 1
        out.append(at)
        at = text.find("\n", at)
    return tuple(out)


def _escaped(chars: set[str]) -> str:
    shown = ", ".join(f"\\u{ord(c):04x}" for c in sorted(chars)[:CHARS_SHOWN])
    return shown + (" …" if len(chars) > CHARS_SHOWN else "")


def unusual_characters(text: str, source: str, where: Callable[[int], dict[str, Any]] | None = None,
                       ) -> tuple[str, list[Finding]]:
    """``text`` with what no report can hold replaced (one for one), and a finding for each class of
    unusual character it holds; ``where(offset)`` gives the line, column and page of an offset (the
    finding is then at the first), else the finding points at the title."""
    found = []
    for pattern, replacement, kind, by in CHARACTER_CLASSES:
        first = pattern.search(text)
        if first is None:
            continue
        chars = pattern.findall(text)
        said: dict[str, Any] = {"kind": kind, "by": by, "chars": _escaped(set(chars)), "count": len(chars)}
        if where is not None:
            places = tuple(where(m.start()) for m in itertools.islice(pattern.finditer(text), PLACES_SHOWN))
            said.update(where(first.start()), places=tuple(f"{p['line']}:{p['column']}" for p in places))
        else:
            said["pointer"] = "/title"
        found.append((F.REPLACED if replacement is not None else F.DIRECTION)(file=source, **said))
        if replacement is not None:
            text = pattern.sub(replacement, text)
    return text, found


def _places(state: State) -> Callable[[int], dict[str, Any]]:
    def where(offset: int) -> dict[str, Any]:
        line = state.line(offset)
        return {"line": line, "column": offset - state.starts[line - 1] + 1, "page": state.page(offset)}

    return where


def _footers(folded: str, starts: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """Where the page footers are (:data:`FOOTER`'s matches), ``starts`` the lines' starts (:func:`line_starts`)."""
    if not ("页" in folded or "-" in folded or "/" in folded or "—" in folded or "–" in folded):
        return ()  # every footer holds one of these (a test at C speed: most texts have some)
    return _footers_by_line(folded, starts) if COMPILED else _footers_matched(folded)


def _footers_matched(folded: str) -> tuple[tuple[int, int], ...]:
    """:func:`_footers`: the first line's, then those after a line break, each tried by the regex engine."""
    first = FOOTER.match(folded)
    return (*((first.span(),) if first else ()), *(m.span(1) for m in _FOOTER_AFTER_BREAK.finditer(folded)))


def _footers_by_line(folded: str, starts: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """:func:`_footers`: each line that may start a footer by its first character tried (compiled: a test of one
    character is ~30 instructions where the engine's try at a line is ~300-800).  ``starts`` is typed a tuple: a
    compiled Sequence's item is looked up and unboxed the generic way (~20,000 instructions a report more)."""
    out = []
    end, lines = len(folded), len(starts)
    for k in range(lines):
        at = starts[k]
        if at >= end:
            continue
        c = ord(folded[at])
        if 0x30 <= c <= 0x39:  # of the footers only "2/6" starts with a digit: a table's lines of numbers hold no '/'
            if folded.find("/", at, starts[k + 1] if k + 1 < lines else end) < 0:
                continue
        elif not _may_start_footer(c):
            continue
        if m := FOOTER.match(folded, at):
            out.append(m.span())
    return tuple(out)


def _may_start_footer(c: int) -> bool:
    """Whether a line starting with the character ``c`` may be a footer: :data:`_FOOTER_LINE` starts with a space
    or tab, a dash, 第 or a decimal digit (no CJK ideograph is a digit; ASCII ones are 0-9)."""
    if c < 0x80:
        return c == 0x20 or c == 0x09 or c == 0x2D or 0x30 <= c <= 0x39
    return c == 0x7B2C or not 0x4E00 <= c <= 0x9FFF


#: characters of a line that may be a page's running header (the report's title, the agency's name): no more
RUNNING_MAX: Final = 60
#: a line that starts as a numbered label or heading does: （四）, (4), 1., 1、, 一、, 第一 (pdfpages._ROW_START's
#: twin, which that module, loaded by its path in a process of its own, cannot import)
_NUMBERED: Final = compiled(r"[（(]?[一二三四五六七八九十0-9]+[）)、.．]|第[一二三四五六七八九十0-9]")


def _running_headers(folded: str, footers: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The lines that stand first after two or more page footers, the same words each time (blank lines between
    aside): a page's running header, printed at the top of each page after the last page's footer, as OCR and a
    PDF's text layer give it (the report's title inside table 4 gave its year as a cell).  Each (start, end of line)."""
    after: dict[str, list[tuple[int, int]]] = {}
    for _, end in footers:
        at = end
        while at < len(folded) and folded[at] in " \t\n":
            at += 1
        stop = folded.find("\n", at)
        stop = len(folded) if stop < 0 else stop
        words = folded[at:stop].strip()
        # never a table's row or header (its cells '|'), nor a numbered label or heading ((四)无法提供, 1.…, 一、…): a
        # report printed twice starts its pages alike, and its rows are its own
        if 4 <= len(words) <= RUNNING_MAX and "|" not in words and not _NUMBERED.match(words):
            after.setdefault(words, []).append((at, stop))
    return [span for spans in after.values() if len(spans) > 1 for span in spans]


def blanked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with spaces in place of each span's characters (in order, apart), every offset kept."""
    pieces: list[str] = []
    at = 0
    for a, b in spans:
        pieces += (text[at:a], " " * (b - a))
        at = b
    return "".join([*pieces, text[at:]])


def _marks(folded: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int, str], ...]]:
    """Where a text file holds Markdown's marks (a converter's output saved as .txt): bold around a line, a
    heading's #s, the dollars of a number set as math; in order, apart.  And the numbers set as math with spaces
    between their digits (MinerU's $4 1$, $1 5 2 3$): the span between their dollars and the digits joined, as the
    Markdown reader reads them (:func:`.decode._md_number`).  Tests at C speed first: most texts have none."""
    spans: list[tuple[int, int]] = []
    if "**" in folded:
        spans += (span for m in _BOLD_LINE.finditer(folded) for span in (m.span(1), (m.end(2), m.end(2) + 2)))
    if "#" in folded:
        spans += (m.span(1) for m in _HEADING_MARKS.finditer(folded))
    spaced: list[tuple[int, int, str]] = []
    if "$" in folded:
        for m in _MATH_NUMBER.finditer(folded):
            spans += (m.span(1), m.span(2))
            if len(digits := folded[m.end(1):m.start(2)].split()) > 1:
                spaced.append((m.end(1), m.start(2), "".join(digits)))
    return tuple(sorted(spans)), tuple(spaced)


def _joined(text: str, spaced: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with each spaced number's span written as its digits together, then spaces (every offset kept)."""
    if not spaced:
        return text
    pieces: list[str] = []
    at = 0
    for a, b, digits in spaced:
        pieces += (text[at:a], digits.ljust(b - a))
        at = b
    return "".join([*pieces, text[at:]])


def normalise(state: State) -> State:
    raw = state.text
    if "\r" in raw:  # a test at C speed; a replace that finds nothing still reads the text (twice here)
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if PAGE_BREAK in raw:  # no class of CHARACTER_CLASSES holds it: before them or after, the same
        raw = raw.replace(PAGE_BREAK, " ")
    found: list[Finding] = []
    folded = _plain_view(raw)  # most texts: one scan
    if folded is None and _UNUSUAL.search(raw):
        raw, found = unusual_characters(raw, state.source, _places(state.but(starts=line_starts(raw))))
    title = state.page_title
    if title is not None and _UNUSUAL.search(title):
        title, more = unusual_characters(title, state.source)
        found += more
    if folded is None:
        traditional = looks_traditional(raw)
        if traditional and _converter() is None:
            found.append(F.NO_OPENCC(file=state.source))
            traditional = False
        folded = fold(raw, traditional)
    marks, spaced = _marks(folded)
    if marks:  # a spaced number set as math is one number in the view; the published text (raw) keeps it as printed
        folded = _joined(blanked(folded, marks), spaced)
    starts = line_starts(raw)  # the view's too: every line break is kept in it, where it is
    footers = _footers(folded, starts)
    if len(footers) > 1:  # a running header after the footers (a scan's or a text layer's page top: probe 12c #1)
        footers = tuple(sorted((*footers, *_running_headers(folded, footers))))
    if footers:
        folded = blanked(folded, footers)
    return state.but(text="", raw=raw, folded=folded, starts=starts, footers=footers, marks=marks, page_title=title,
                     findings=state.found(*found))
