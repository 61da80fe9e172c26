"""Stage ``decode``: the input's bytes or text as text, whatever it came as (text, web page, PDF, Markdown).

Web pages and PDFs come out with their tables flattened to one '|'-separated line per table row
(:mod:`.html`, :mod:`.pdf`), so that every later stage reads one shape of text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LoadError, problem
from ..io.limits import LIMITS
from ..labels import Label
from .charset import decode_bytes
from .patterns import compiled
from .state import State

__all__ = ["KINDS", "decode", "sniff"]

#: what an input may be (``parse(from_=...)``); "auto" sniffs
KINDS = ("text", "html", "pdf", "markdown")

_MARKUP = re.compile(rb"<(?:html|table|body|p|div)[\s>]", re.I)
#: what a Markdown reader shows otherwise than written, in one pass (``\&#32;`` is the text "&#32;"): an escaped
#: punctuation mark, a character reference (``&#32;``, ``&#x3000;``, ``&amp;``: our Markdown writes the text's edge
#: whitespace and '\r' so, :func:`..io.markdown.escape`), a line break ``<br>``
_MD_ESCAPE = compiled(r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|<br>")
#: Markdown's markup, not the report's text: a heading's marks (## 二、主动公开…, which the part before kept), strong
#: emphasis (**三、本年度办理结果**), a comment on a line of its own; each pattern linear (one try a line, or up to
#: the next '*')
_MD_MARKUP = ((compiled(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M), ""), (compiled(r"\*\*([^*\n]+)\*\*"), r"\1"),
              (compiled(r"^[ \t]*<!--[^\n]*?-->[ \t]*$", re.M), ""))
#: a GFM table's row: a line from its first '|' to its last
_MD_ROW = compiled(r"^[^\S\n]*\|(.*)\|[^\S\n]*$", re.M)
#: a '|' between cells (an escaped one, \|, is a cell's text)
_MD_BAR = compiled(r"(?<!\\)\|")


def _md_row(row: re.Match[str]) -> str:
    """A GFM row's cells read as a web page's (:func:`.html.row_line`): an empty cell, or one of ？ alone, is a blank
    mark in its place (``|  |  | 0 |`` is a total of 0, not a first cell's 0), a ？ after a value goes.  Empty cells
    at the row's end are left out: they may be a wider table's columns, and missing cells at a row's end are blank.
    A row with no value is a header row, read as a page's <th> cells: an empty cell is a merged label's column."""
    from .html import row_line

    cells = [cell.strip() for cell in _MD_BAR.split(row.group(1))]
    while cells and not cells[-1]:
        cells.pop()
    head = not any(_md_value(cell) for cell in cells)  # a header row's empty cells are a merged label's, not blanks
    return row_line([(cell, not head) for cell in cells]).strip("\n")


#: what a cell that holds a value may be made of besides digits: a blank mark (as the tokenizer reads them) or a doubt
_MD_BLANK = frozenset("/—–-无〇○?？")


def _md_value(cell: str) -> bool:
    """Whether a GFM cell holds a value (a digit, or a blank mark alone), as a header row's cells never do (the
    official table 4's three header rows: 行政复议 |  |  |  |  | 行政诉讼 … were read as rows of blanks, their 15
    numbers then lost)."""
    return any(ch.isdigit() for ch in cell) or (cell != "" and set(cell) <= _MD_BLANK)


def _md_unescape(m: re.Match[str]) -> str:
    """What a Markdown reader shows for an escape, a character reference (as HTML reads it: an unknown name is
    kept as written, a code point out of range is U+FFFD) or a ``<br>``."""
    if m.group(1) is not None:
        return m.group(1)
    if m.group(0) == "<br>":
        return "\n"
    import html  # here: a published text's parse imports no HTML module (tests/test_start.py)

    return html.unescape(m.group(0))


def sniff(name: str, data: bytes | str) -> str:
    """The kind of an input, by its name's suffix, then by its first bytes."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    head = data[:2048] if isinstance(data, bytes) else data[:2048].encode("utf-8", "replace")
    if head.startswith(b"%PDF"):
        return "pdf"
    if _MARKUP.search(head):
        return "html"
    return "text"


_EMPTY = Label("输入为空，不是报告", "the input is empty: not a report")


def decode(state: State) -> State:
    """The text of the input (``state.kind`` says what it is)."""
    data = state.data  # dropped from the state once decoded
    if not data.strip():  # as every loader says it (the parser said "no parts, no tables": not a report)
        raise LoadError([problem("GD-LOAD-EMPTY", "", _EMPTY)], state.source)
    if state.kind == "pdf":
        from .pdf import pdf_text

        raw = data if isinstance(data, bytes) else data.encode("latin-1", "replace")
        registry = state.registry  # the forms, whose row labels a row broken over a page joins into
        forms = [*map(registry.format, registry.formats), *(registry.format(v.extends, v.id)
                                                            for v in registry.variants.values())]
        text, pages = pdf_text(raw, state.source, formats=forms)
        return state.but(data="", text=_bounded(text, state.source), pages=pages)
    if state.kind == "html":
        from .html import html_to_text

        text, title = html_to_text(data, state.source)
        return state.but(data="", text=_bounded(text, state.source), page_title=title)
    text = decode_bytes(data, state.source) if isinstance(data, bytes) else data
    if state.kind == "markdown":  # GFM tables are '|' rows already: their cells as a page's are read; markup goes
        if "|" in text:
            text = _MD_ROW.sub(_md_row, text)
        for markup, kept in _MD_MARKUP:
            text = markup.sub(kept, text)
        text = _MD_ESCAPE.sub(_md_unescape, text)
    return state.but(data="", text=_bounded(text, state.source))


def _bounded(text: str, source: str) -> str:
    """The text, if it is within the limit of what the parser reads (its time and memory grow with it)."""
    from ..io.source import check_size

    check_size(text, source, LIMITS.published_chars, Label("发布报告的文字", "the published report's text"))
    return text
