"""Web pages: the encoding detected, page chrome dropped, tables flattened to '|' rows.

A table row becomes one line of cells joined by '|'; an empty value cell becomes a blank mark
('—'), so that blank and zero stay apart; spans need no expansion because a merged label cell
is printed once, in its first row, as the text parser expects.  A table's rows are read together
against its grid (spans laid out) by the PDF reader's rule (:func:`table_lines`): a header row's
empty cells, a title row's, and a data row's right of the columns its block's header names are no
blanks (a one-value block of table 2 in a 4-column grid).
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Any

from ..formats import published
from . import pdfpages
from .charset import decode_bytes
from .depth import check_nesting
from .tokens import IMAGE_MARK

_BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "table", "title",
          "header", "footer", "dd", "dt"}
#: never shown: an <iframe>'s or <noembed>'s content is what a browser without them would show (every browser has them)
_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "noembed"}
#: a frameset page's content for a browser without frames: the page as a reader has it (HTML5 parsers keep it as raw
#: text, tags and all; Python's reads the tags)
_NOFRAMES = "noframes"
_CELLS = {"tr", "td", "th"}
#: what no data cell holds: a cell holding one of these lays out a page (an older CMS prints the whole article in
#: <table><tr><td>), so its row is read as the page's text, each block on its lines, not as one row line
_LAYOUT = {"table", "h1", "h2", "h3", "h4", "h5", "h6"}
#: the same, in the order the fast reader looks them up (by name: a CSS query walks the page once a selector, at
#: several times the cost)
_LAYOUT_TAGS = tuple(sorted(_LAYOUT))
#: what stands between a definition list's term and its value (<dt>发布日期</dt><dd>2021年3月5日</dd>): one line,
#: as an info table's row reads ("发布日期 | 2021年3月5日")
_TERM_VALUE = " | "
#: an image outside a table's cells: its mark on a line of its own (a table published as a screenshot leaves a trace
#: under its heading, which a contents page listing the headings has not)
_IMAGE_LINE = f"\n{IMAGE_MARK}\n"
#: a cell's text and whether it is a <td>; its colspan and rowspan
Cell = tuple[str, bool]
Span = tuple[int, int]


class _Flatten(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False
        self._row: list[tuple[str, bool]] | None = None  # (text, is_td)
        self._spans: list[Span] = []  # the row's cells' (colspan, rowspan)
        self._cell_span = (1, 1)
        #: each open table's rows so far: where its line goes in ``out``, its cells and their spans (a table's rows
        #: are read together, :func:`table_lines`, when it ends)
        self._tables: list[list[tuple[int, list[Cell], list[Span]]]] = []
        self._cell: list[str] | None = None
        self._cell_td = False
        self._flows: list[tuple[list[str], list[int]]] = []  # the row's finished cells: their pieces and breaks
        self._breaks: list[int] = []  # where in the open cell a block element starts or ends
        self._sup = 0  # inside a <sup>: a footnote's number, not a cell's or a sentence's number

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._starting(tag)
        if tag in _SKIP and tag != "head":
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "tr":
            self._row, self._flows, self._spans = [], [], []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._cell_td, self._breaks = [], tag == "td", []
            found = dict(attrs)
            self._cell_span = (span(found.get("colspan")), span(found.get("rowspan")))
        elif tag == "dd" and self._cell is None:  # a definition list's term and value: one line, as a row's cells
            self.out.append(_TERM_VALUE)
        elif (tag in _BLOCK or tag in _CELLS) and self._cell is None:  # a laid-out row's cell: on its lines
            self.out.append("\n")
        elif tag in ("br", "img"):
            self._inline(tag)
        elif tag == "sup":
            self._sup += 1

    def _starting(self, tag: str) -> None:
        """What an element's start ends or opens: a <sup> left open, a cell's flow, a table's rows."""
        if self._sup and (tag in _BLOCK or tag in _CELLS):  # a <sup> left open ends with its line or cell
            self._sup = 0
        self._cell_edge(tag, start=True)
        if tag == "table":
            self._tables.append([])

    def _inline(self, tag: str) -> None:
        """A line break in a cell is a space; an image outside the cells leaves its mark (a table as a screenshot)."""
        if tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "img" and self._cell is None and not self._skip:
            self.out.append(_IMAGE_LINE)

    def handle_endtag(self, tag: str) -> None:
        self._cell_edge(tag, start=False)
        if tag == "table" and self._tables:
            self._table_end()
        if tag in _SKIP and tag != "head":
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append((" ".join("".join(self._cell).split()), self._cell_td))
            self._spans.append(self._cell_span)
            self._flows.append((self._cell, self._breaks))
            self._cell, self._sup = None, 0
        elif tag == "sup":
            self._sup = max(0, self._sup - 1)
        elif tag == "tr" and self._row is not None:
            self._flush_row()
        elif (tag in _BLOCK and self._cell is None and tag != "dt") or (tag in _CELLS and self._row is None):
            self.out.append("\n")  # a term's value follows on its line

    def _cell_edge(self, tag: str, *, start: bool) -> None:
        """In a cell: a table or a heading starting lays its row out; a block element's edge is kept (a line break
        if the row turns out to lay out the page)."""
        if self._cell is None:
            return
        if start and tag in _LAYOUT:
            self._lay_out()
        elif tag in _BLOCK and tag != "br":
            self._breaks.append(len(self._cell))

    def _lay_out(self) -> None:
        """The open row holds a table or a heading in a cell: it lays out the page, no data row.  Its cells so far
        are written as the page's text, and the rest of it is read as such (its own rows are rows)."""
        for pieces, breaks in [*self._flows, (self._cell or [], self._breaks)]:  # a line break at each block's edge
            cuts = [0, *breaks, len(pieces)]
            flow = "\n".join("".join(pieces[a:b]) for a, b in itertools.pairwise(cuts))
            self.out.append(f"\n{flow}\n")
        self._row, self._cell, self._flows, self._breaks, self._sup = None, None, [], [], 0

    def _flush_row(self) -> None:
        row, self._row = self._row or [], None
        if self._tables:  # its line written when its table ends
            self._tables[-1].append((len(self.out), row, self._spans))
            self.out.append("")
        else:
            self.out.append(row_line(row))

    def _table_end(self) -> None:
        rows = self._tables.pop()
        for (at, _, _), line in zip(rows, table_lines([(row, spans) for _, row, spans in rows]), strict=True):
            self.out[at] = line

    def close(self) -> None:
        super().close()
        while self._tables:  # a table left open ends with the page
            self._table_end()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title.append(data)
        elif self._cell is not None:  # spaced, as selectolax's reader separates a cell's pieces
            self._cell.append(f" {_superscript(data, self._cell[-1] if self._cell else '')} " if self._sup else data)
        else:
            self.out.append(_superscript(data, self.out[-1] if self.out else "") if self._sup else data)


_DIGIT = re.compile(r"\d")
#: a footnote's number printed superscript (12<sup>1</sup>, ？<sup>2</sup>, 共62件<sup>3</sup>)
_FOOTNOTE = re.compile(r"\s*(\d{1,3})\s*")
#: a question mark ending a cell (a footnote's mark after it, or not): dropped, so that the value is read (71？¹ is
#: 71; the doubt itself is not yet recorded in provenance), and a cell of it alone is blank (not known)
_DOUBT = re.compile(rf"\s*[?？](?=\s*(?:{published.FOOTNOTE_MARK})?$)")
_MARK = re.compile(published.FOOTNOTE_MARK)
#: what a value cell holds (a number, with its sign, separators and unit; a blank's mark; a footnote's mark): a
#: cell that is none of these is a label
_VALUE = re.compile(r"[增减+\-－]?[\d０-９,，.．\s]*(?:万?元|件|个|项|%|％)?(?:\s*\[\d{1,3}\])?|[—–\-/／无?？\s]+")


def _superscript(text: str, before: str) -> str:
    """Text printed superscript (``before``: the text before it): a footnote's number is written as the tokenizer's
    footnote mark ([1]: no number of any row or sentence, issue 12's class 8: 12<sup>1</sup> read 121 before); an
    exponent after a unit's letter (m<sup>2</sup>) and anything else as it is."""
    m = _FOOTNOTE.fullmatch(text)
    if m is None or (before[-1:].isascii() and before[-1:].isalpha()):
        return text
    return f"[{m.group(1)}]"


def row_line(row: list[tuple[str, bool]]) -> str:
    """A table row (cell text, is a <td>) as one '|'-separated line; an empty value cell is a blank
    mark ('—'), never a zero.  A GFM table's row is read with it too (:mod:`.decode`).  Empty cells before the
    row's label are no values: a merged group cell (（三）不予公开) that a CMS printed unmerged, empty in the
    group's later rows (probe 11b #4: '— | 2.重复申请 | 2 | …' joined its blank mark to the row's numbers)."""
    has_number = any(_DIGIT.search(text) for text, _ in row)
    lead = next((i for i, (text, _) in enumerate(row) if text), 0)
    if lead and not _VALUE.fullmatch(row[lead][0]):
        row = row[lead:]
    cells, seen = [], False
    for text, is_td in row:
        if is_td and ("?" in text or "？" in text):
            text = _DOUBT.sub("", text, count=1).strip() or "—"
        if is_td and "[" in text and _MARK.fullmatch(text):  # a footnote's mark alone: no value
            text = "—"
        if text:
            cells.append(text)
            seen = True
        elif is_td and (has_number or seen):
            cells.append("—")
    return "\n" + " | ".join(cells) + "\n" if cells else ""


#: the most columns or rows a cell's span is taken to cover, and the widest grid laid out (the form's widest table
#: has 15 columns): a page's colspan="1000" on every cell, or rowspans pushing each row's cells one column further
#: right, lays out no grid whose cost grows with its cells' count squared; a wider table is read row by row
_MAX_SPAN = 64
_MAX_WIDTH = 256


def span(value: str | None) -> int:
    """A colspan's or rowspan's value as the grid takes it: 1 unless a number from 1 to :data:`_MAX_SPAN`."""
    if value is None:
        return 1
    value = value.strip()
    return min(int(value), _MAX_SPAN) if value.isascii() and value.isdigit() and len(value) <= 5 and int(value) else 1


def _grid(rows: list[tuple[list[Cell], list[Span]]]) -> tuple[list[list[str | None]], list[list[int]]] | None:
    """The table's rows laid out on its grid, as the PDF reader has them (a cell's text at the column it starts
    in; None where a span covers), and the column each cell starts in; None for a grid wider than
    :data:`_MAX_WIDTH`."""
    grids: list[list[str | None]] = []
    starts: list[list[int]] = []
    below: list[int] = []  # each column: how many rows more a cell above (its rowspan) covers it; 0: none
    for cells, spans in rows:
        if not any(below) and len(cells) <= _MAX_WIDTH and all(s == (1, 1) for s in spans):  # most rows: no span
            grids.append([text for text, _ in cells])
            starts.append(list(range(len(cells))))
            continue
        # lists by column, not dicts: a row with a span costs a third as much
        taken = [n > 0 for n in below]  # a column covered from above, or by a cell of this row
        grid: list[str | None] = [None] * len(taken)
        at, col = [], 0
        for (text, _), (colspan, rowspan) in zip(cells, spans, strict=True):
            while col < len(taken) and taken[col]:
                col += 1
            end = col + colspan
            if end > _MAX_WIDTH:
                return None
            at.append(col)
            if end > len(taken):
                more = end - len(taken)
                taken.extend([False] * more)
                grid.extend([None] * more)
                below.extend([0] * more)
            grid[col] = text
            for k in range(col, end):
                taken[k] = True
                if rowspan > 1:
                    below[k] = rowspan
            col = end
        below = [n - 1 if n > 1 else 0 for n in below]
        width = len(taken)
        while width and not taken[width - 1]:
            width -= 1
        grids.append(grid[:width])
        starts.append(at)
    return grids, starts


def table_lines(rows: list[tuple[list[Cell], list[Span]]]) -> list[str]:
    """A table's rows as lines (:func:`row_line`), read on their grid by the PDF reader's rule
    (:func:`.pdfpages.by_header`): a data row's empty cell right of the columns its block's header names is no
    cell (a 2019/2021 table 2's one-value block in a 4-column grid: ``行政许可 | 1523 |  |`` gave two blanks and
    its number was refused); a header row's empty cells and a title row's (no number, a header row next:
    ``第二十条第（五）项 |  |  |``) are a merged cell's, no blanks.  An empty cell inside the named columns (table
    3's total left empty) stays a blank.  A table with no number is read row by row, as it always was."""
    laid = _grid(rows)
    if laid is None:
        return [row_line(cells) for cells, _ in rows]
    grids, starts = laid
    # whether each cell is a number, asked once (the PDF reader's test, in Python: a call costs what the rest of a
    # cell's work does); an empty cell is none.  A row with a number heads nothing (:func:`.pdfpages.is_header`),
    # and a table with no header row is as :func:`.pdfpages.by_header` leaves it
    numbers = [[bool(c) and pdfpages.is_number(c) for c in grid] for grid in grids]
    values_from = min((row.index(True) for row in numbers if True in row), default=None)
    if values_from is None:
        return [row_line(cells) for cells, _ in rows]
    header = [True not in number and pdfpages.names_values(grid, values_from)
              for grid, number in zip(grids, numbers, strict=True)]
    kept = pdfpages.by_header(grids, values_from, headers=header) if True in header else grids
    lines = []
    for r, (cells, _) in enumerate(rows):
        if header[r] or (r + 1 < len(rows) and header[r + 1] and True not in numbers[r]):
            lines.append(row_line([(text, False) for text, _ in cells]))
        else:
            lines.append(row_line([cell for cell, col in zip(cells, starts[r], strict=True)
                                   if kept[r][col] is not None]))
    return lines


def _flatten_stdlib(text: str) -> tuple[list[str], str]:
    parser = _Flatten()
    parser.feed(text)
    parser.close()
    return parser.out, "".join(parser.title)


#: what a tag that is not an element is called by selectolax (text, comments, doctype)
_TEXT = "-text"


def _flatten_fast(text: str) -> tuple[list[str], str] | None:
    """The same flattening with a C HTML parser (selectolax, the ``[parse]`` extra), or None without it."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        return None
    tree = LexborHTMLParser(text)
    if tree.root is None:
        return [], ""
    _mark_footnotes(tree)
    titles = tree.tags("title")
    out: list[str] = []
    layout = _layout_cells(tree, set())
    tables: dict[int, list[tuple[int, list[Cell], list[Span]]]] = {}  # each table's rows, as :class:`_Flatten`'s
    spanned = _spanned(tree, {})
    stack: list[Any] = [tree.root]  # nodes, and None where a block element ends: no recursion, any depth
    while stack:
        node = stack.pop()
        if node is None:
            out.append("\n")
        else:
            _visit(node, out, stack, (LexborHTMLParser, layout, tables, spanned))
    for rows in tables.values():
        for (at, _, _), line in zip(rows, table_lines([(row, spans) for _, row, spans in rows]), strict=True):
            out[at] = line
    return out, titles[0].text() if titles else ""


#: the elements with a span (one query a page: asking each cell for its attributes costs more than the row's text;
#: only a row's cells are looked up, so the query need not name them, which halves its cost)
_SPANNED_CSS = "[colspan], [rowspan]"


def _spanned(tree: Any, spanned: dict[int, Span]) -> dict[int, Span]:
    """The spans of the page's elements that have one (its cells among them), by their ``mem_id``."""
    for cell in tree.css(_SPANNED_CSS):
        found = cell.attributes
        spanned[cell.mem_id] = (span(found.get("colspan")), span(found.get("rowspan")))
    return spanned


def _table_of(row: Any) -> int:
    """The ``mem_id`` of the table a row is in (its parent's or its row group's)."""
    up = row.parent
    if up is not None and up.tag != "table":
        up = up.parent
    return int(up.mem_id) if up is not None else 0


def _layout_cells(tree: Any, layout: set[int]) -> set[int]:
    """The cells (their ``mem_id``) that lay out a page: the nearest cell around a table or a heading, as
    :class:`_Flatten` finds them.  Each element is climbed past once (linear in the page, however deep; a climb
    that finds no cell marks its way too: none is above it)."""
    climbed: set[int] = set()
    for node in itertools.chain.from_iterable(tree.tags(tag) for tag in _LAYOUT_TAGS):
        up = node.parent
        while up is not None and up.mem_id not in climbed:
            climbed.add(up.mem_id)
            if up.tag in ("td", "th"):
                layout.add(up.mem_id)
                break
            up = up.parent
    return layout


def _visit(node: Any, out: list[str], stack: list[Any],
           walk: tuple[Any, set[int], dict[int, Any], dict[int, Span]]) -> None:
    """One node of :func:`_flatten_fast`'s walk: its text or row written (a row's place kept, its line written
    when its table's rows are read together), its children to come pushed on ``stack``."""
    parser, layout, tables, spanned = walk
    tag = node.tag
    if tag == _TEXT:
        out.append(node.text(deep=False) or "")
    elif tag == "img":  # an image's place, as :class:`_Flatten` marks it (a data row's are in its row's text)
        out.append(_IMAGE_LINE)
    elif tag == _NOFRAMES:  # its raw text read as the markup it is (each level shorter: no loop)
        raw = node.text(deep=True) or ""
        inner = parser(raw)
        if inner.root is not None:
            _mark_footnotes(inner)
            _layout_cells(inner, layout)
            _spanned(inner, spanned)
            stack.append(inner.root)
    elif tag == "tr" and (found := _row_cells(node, layout)) is not None:
        cells = [(" ".join(c.text(True, " ").split()), is_td) for c, is_td in found]
        spans = [spanned.get(c.mem_id, (1, 1)) for c, _ in found] if spanned else [(1, 1)] * len(found)
        tables.setdefault(_table_of(node), []).append((len(out), cells, spans))
        out.append("")
    elif tag not in _SKIP and tag != "title" and not tag.startswith(("_", "!")):
        if tag in _BLOCK or tag in _CELLS:  # a row that lays out the page: its cells read as blocks
            _open_block(tag, out, stack)
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend(children)


def _row_cells(row: Any, layout: set[int]) -> list[tuple[Any, bool]] | None:
    """A row's cells and whether each is a <td>; None for a row that lays out the page (a cell of it in ``layout``)."""
    found = []
    for child in row.iter():
        name = child.tag
        if name == "td" or name == "th":
            if layout and child.mem_id in layout:
                return None
            found.append((child, name == "td"))
    return found


def _open_block(tag: str, out: list[str], stack: list[Any]) -> None:
    """A block element's start (a line break; a definition's value: on its term's line), and its end to come (None
    on the stack: a line break; none after a term, whose value follows on its line)."""
    out.append(_TERM_VALUE if tag == "dd" else "\n")
    if tag != "dt":
        stack.append(None)


def _mark_footnotes(tree: Any) -> None:
    """The superscript footnote numbers written as marks, as :class:`_Flatten` does (one look-up a page)."""
    for sup in tree.tags("sup"):
        before = sup.prev
        sup.replace_with(_superscript(sup.text(deep=True), before.text(deep=True) if before is not None else ""))


def html_to_text(data: bytes | str, source: str) -> tuple[str, str | None]:
    """The page's text with its tables as '|' rows, and its <title>."""
    text = decode_bytes(data, source) if isinstance(data, bytes) else data
    check_nesting(text, source)  # before the parser takes quadratic time over a deep page
    out, title = _flatten_fast(text) or _flatten_stdlib(text)
    flat = "".join(out)
    flat = "\n".join(filter(None, [line.strip() for line in flat.split("\n")]))  # each line stripped once
    return flat, " ".join(title.split()) or None
