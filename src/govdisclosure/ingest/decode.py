"""Stage ``decode``: the input's bytes or text as text, whatever it came as (text, web page, PDF, Markdown).

Web pages and PDFs come out with their tables flattened to one '|'-separated line per table row
(:mod:`.html`, :mod:`.pdf`), so that every later stage reads one shape of text.
"""

from __future__ import annotations

import re

from ..errors import LoadError, problem
from ..io.limits import LIMITS
from ..io.source import blank
from ..io.source import suffix as file_suffix
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
#: a Markdown image, ![alt](path): what a converter leaves where it could not read a table
_MD_IMAGE = compiled(r"!\[[^\]\n]*\]\([^)\n]*\)")
#: a GFM table: its rows, each a line from its first '|' to its last (with the line's end)
_MD_TABLE = compiled(r"^(?:[^\S\n]*\|.*\|[^\S\n]*(?:\n|\Z))+", re.M)
#: a '|' between cells (an escaped one, \|, is a cell's text)
_MD_BAR = compiled(r"(?<!\\)\|")
#: a GFM delimiter row's cell (--- , :---:): markup, wherever the row stands
_MD_DELIMITER = compiled(r":?-+:?")
#: a number a converter wrote as LaTeX inline math ($217$; MinerU spaces its digits, $2 1 7$, $1 8 6 5 1 . 0 6$): the
#: marks are markup around one number (a '$' right before a digit closes nothing, as pandoc reads it)
_MD_MATH = compiled(r"(\${1,2})[ \t]*([+\-]?\d(?:[ \t]*[\d.,])*)[ \t]*\1(?!\d)")
#: a converted page's HTML tables (MinerU writes every table so, marker and docling those with merged cells)
_MD_HTML_TABLE = compiled(r"<(/?)table\b", re.I)
#: the letters a value cell may hold (a sign in words, a unit, a blank's 无): any other letter makes a label cell
_MD_VALUE_LETTERS = frozenset("增减万元件个项无")


def _md_tables(block: re.Match[str]) -> str:
    """A GFM table's rows read as a web page's (:func:`.html.row_line`), each a line: an empty cell, or one of ？
    alone, is a blank mark in its place (``|  |  | 0 |`` is a total of 0, not a first cell's 0), a ？ after a value
    goes.  Empty cells at a row's end are left out: they may be a wider table's columns, and missing cells at a row's
    end are blank.  A row with no value is a header row, read as a page's <th> cells: an empty cell is a merged
    label's column.  Delimiter rows are markup; empty cells before a row's first value in a column that holds labels
    in other rows, or before a label, are a merged label's (pandoc leaves them empty: 一、本年新收… |  |  | 217)."""
    rows: list[tuple[list[str], bool]] = []
    for line in block.group(0).splitlines():
        cells = [cell.strip() for cell in _MD_BAR.split(line.strip()[1:-1])]
        while cells and not cells[-1]:
            cells.pop()
        if cells and all(_MD_DELIMITER.fullmatch(cell) for cell in cells) and (
                len(rows) == 1 or any(":" in cell or "---" in cell for cell in cells)) and not (
                len(rows) == 1 and all(_md_label(cell) or not cell for cell in rows[0][0])):
            cells = []  # a table's second line, or unmistakably one (a row of "-" blanks elsewhere is values); kept
            # under a header of labels, as it always was (the stages read a header's 数据1 … by the blanks under it)
        rows.append((cells, any(_md_value(cell) for cell in cells)))
    label_columns = {i for cells, values in rows if values for i, cell in enumerate(cells) if _md_label(cell)}
    lines = [_md_row(cells, values, label_columns) for cells, values in rows]  # a line each: line numbers hold
    return "\n".join(lines) + ("\n" if block.group(0).endswith("\n") else "")


def _md_row(cells: list[str], values: bool, label_columns: set[int]) -> str:
    """One GFM row as :func:`_md_tables` reads it (``values``: whether it holds one)."""
    from .html import row_line

    if not values:  # a header row's empty cells are a merged label's, not blanks
        return row_line([(cell, False) for cell in cells]).strip("\n")
    first = next((i for i, cell in enumerate(cells) if cell and not _md_label(cell)), len(cells))
    marked, label_after = [], False
    for i in range(len(cells) - 1, -1, -1):  # from the row's end: whether a label comes after each cell
        cell = cells[i]
        merged = i < first and not cell and (i in label_columns or label_after)
        marked.append((cell, not merged))
        label_after = label_after or (i < first and _md_label(cell))
    marked.reverse()
    return row_line(marked).strip("\n")


def _md_label(cell: str) -> bool:
    """Whether a GFM cell is a label's (a letter no value has: 1.属于国家秘密 is one, 71？[^2] and 5万元 are not)."""
    return any(ch.isalpha() and ch not in _MD_VALUE_LETTERS for ch in cell)


#: what a cell that holds a value may be made of besides digits: a blank mark (as the tokenizer reads them) or a doubt
_MD_BLANK = frozenset("/—–-无〇○?？")


def _md_value(cell: str) -> bool:
    """Whether a GFM cell holds a value (a digit, or a blank mark alone), as a header row's cells never do (the
    official table 4's three header rows: 行政复议 |  |  |  |  | 行政诉讼 … were read as rows of blanks, their 15
    numbers then lost)."""
    return any(ch.isdigit() for ch in cell) or (cell != "" and set(cell) <= _MD_BLANK)


def _md_number(m: re.Match[str]) -> str:
    """A number written as inline math, its marks and the spaces between its digits gone."""
    return "".join(m.group(2).split())


def _markdown(text: str, source: str) -> str:
    """A Markdown text as a reader shows it: its HTML tables as a web page's (:func:`.html.html_to_text`), its GFM
    tables' rows as '|' lines, its markup gone."""
    if "$" in text:
        text = _MD_MATH.sub(_md_number, text)
    pieces, depth, start, at = [], 0, 0, 0
    for edge in _MD_HTML_TABLE.finditer(text) if "<" in text else ():  # one pass; a nested table is its table's
        if edge.group(1):
            if depth == 1:
                end = text.find(">", edge.end())
                end = len(text) if end < 0 else end + 1
                pieces += [_md_text(text[at:start]), _html_table(text[start:end], source)]
                at = end
            depth = max(0, depth - 1)
        else:
            if depth == 0:
                start = edge.start()
            depth += 1
    if depth:  # a table left open: the rest is its (as a browser reads it)
        pieces += [_md_text(text[at:start]), _html_table(text[start:], source)]
        at = len(text)
    pieces.append(_md_text(text[at:]))
    return "".join(pieces)


def _html_table(table: str, source: str) -> str:
    """An HTML table inside Markdown: its rows as a page's, on lines of their own."""
    from .html import html_to_text

    return f"\n{html_to_text(table, source)[0]}\n"


def _md_text(text: str) -> str:
    """Markdown outside HTML tables: GFM tables as '|' rows, markup and escapes as a reader shows them."""
    if "|" in text:
        text = _MD_TABLE.sub(_md_tables, text)
    for markup, kept in _MD_MARKUP:
        text = markup.sub(kept, text)
    if "![" in text:  # an image (MinerU's table it could not read): the page reader's mark, never its path's digits
        from .tokens import IMAGE_MARK

        text = _MD_IMAGE.sub(f"\n{IMAGE_MARK}\n", text)
    return _MD_ESCAPE.sub(_md_unescape, text)


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
    suffix = file_suffix(name).lower() if "." in name else ""  # no dot, no suffix
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    if isinstance(data, bytes):
        head = data[:2048]
    elif data.find("<", 0, 2048) < 0 and not data.startswith("%PDF"):  # no tag (tests at C speed: most texts)
        return "text"
    else:
        head = data[:2048].encode("utf-8", "replace")  # a '<' is one byte in UTF-8, and only itself
    if head.startswith(b"%PDF"):
        return "pdf"
    if _MARKUP.search(head):
        return "html"
    return "text"


_EMPTY = Label("输入为空，不是报告", "the input is empty: not a report")


def decode(state: State) -> State:
    """The text of the input (``state.kind`` says what it is)."""
    data = state.data  # dropped from the state once decoded
    if blank(data):  # as every loader says it (the parser said "no parts, no tables": not a report)
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
    if blank(text):  # a UTF-16 file of its byte-order mark alone (Notepad's "Unicode", saved empty)
        raise LoadError([problem("GD-LOAD-EMPTY", "", _EMPTY)], state.source)
    if state.kind == "markdown":  # GFM tables are '|' rows already: their cells as a page's are read; markup goes
        text = _markdown(text, state.source)
    return state.but(data="", text=_bounded(text, state.source))


def _bounded(text: str, source: str) -> str:
    """The text, if it is within the limit of what the parser reads (its time and memory grow with it)."""
    if len(text) > LIMITS.published_chars:  # imported only to refuse: a compiled import is ~8,000 instructions a call
        from ..io.source import check_size

        check_size(text, source, LIMITS.published_chars, Label("发布报告的文字", "the published report's text"))
    return text
