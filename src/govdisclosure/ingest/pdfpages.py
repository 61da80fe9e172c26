"""A PDF's pages as lines, through pdfplumber: the work :mod:`.pdf` runs in a process of its own.

This module imports nothing of govdisclosure (only the standard library, and pdfplumber when it
reads), so that the worker process loads it by its path and starts in about a tenth of a second;
:mod:`.pdf` turns what it reports into located errors.

Tables are read by the position of their cells on the page (pdfplumber's table finder), not by
the order of the text: in the official Word template the total cells are top-aligned and the
others centred, so the text order of a row whose label wraps is not its column order.  Each
table row becomes one '|'-separated line, as a web page's does; the text around the tables is
the page's text in reading order.

What the reader reports, in order, one JSON object a line (:func:`events`): ``{"count": N}`` (the
number of pages), ``{"page": n, "lines": [...], "head": ..., "tail": ...}`` for each page read (``head`` and
``tail``, where the page has tables: its table rows at its edges, by which :mod:`.pdf` joins a row broken over a
page break: :func:`continued`), then ``{"done": true}`` or
``{"error": KIND, "page": n, "detail": "..."}`` with KIND one of ``pages`` (more than allowed),
``decompressed`` (the streams decompress to more than allowed), ``memory`` (the worker's memory
limit was reached), ``unreadable`` (pdfminer could not read it; ``detail`` is its message).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import threading
import zlib
from collections.abc import Iterator
from typing import Any

__all__ = ["by_header", "continued", "events", "is_header", "is_number", "label_key", "main", "names_values"]

#: seconds the worker lives past the time limit before it ends itself (the parent ends it at the limit)
_GRACE = 2.0
#: a row is a table's (not a text box's) when it has at least this many cells with text
_DATA_CELLS = 2


class _TooLarge(Exception):
    pass


class _BoundedZlib:
    """What pdfminer sees as ``zlib`` while a PDF is read: every decompression counts against one
    budget and stops at it (``max_length``), so that a bomb never takes the memory."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    def __init__(self, budget: int) -> None:
        self.left = budget
        self.exceeded = False

    def _take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            self.exceeded = True  # pdfplumber may wrap the exception: the flag says what happened
            raise _TooLarge

    def _through(self, d: Any, data: bytes) -> bytes:
        """Decompressed a chunk at a time, each counted as it comes: a bomb stops at the budget, never
        holding more than the budget (whatever the worker's memory limit)."""
        out = bytearray()
        piece: bytes = d.decompress(data, _CHUNK)
        while True:
            out += piece
            self._take(len(piece))
            if not d.unconsumed_tail and len(piece) < _CHUNK:
                return bytes(out)
            piece = d.decompress(d.unconsumed_tail, _CHUNK)

    def decompress(self, data: bytes, *args: Any) -> bytes:
        return self._through(zlib.decompressobj(*args), data)

    def decompressobj(self, *args: Any) -> Any:
        inner = zlib.decompressobj(*args)
        outer = self

        class _Obj:
            def decompress(self, data: bytes, *more: Any) -> bytes:
                return outer._through(inner, data)

            def flush(self, *more: Any) -> bytes:
                out = inner.flush(*more)
                outer._take(len(out))
                return out

        return _Obj()


#: bytes decompressed at a time
_CHUNK = 1 << 20
_LOCK = threading.Lock()  # the bounded zlib is swapped into pdfminer for one file at a time


@contextlib.contextmanager
def _bounded(budget: int) -> Iterator[_BoundedZlib]:
    import pdfminer.pdftypes as pdftypes

    with _LOCK:
        original = pdftypes.zlib  # type: ignore[attr-defined]
        bounded = _BoundedZlib(budget)
        pdftypes.zlib = bounded  # type: ignore[attr-defined,assignment]
        try:
            yield bounded
        finally:
            pdftypes.zlib = original  # type: ignore[attr-defined]


def is_number(cell: str | None) -> bool:
    """Whether a table cell's text is a number (digits, one decimal point)."""
    return bool(cell) and cell.strip().replace(".", "", 1).isdigit()  # type: ignore[union-attr]


#: a cell in doubt as our Word and web pages print it, its footnote's number after it (flattened into the text, or
#: read as superscript digits): ？ then the number (blank: not known), or a value then ？ and the number (the value);
#: as :func:`..html.row_line` reads ？<sup>n</sup> (the pattern is written here again: this module imports nothing of
#: govdisclosure)
_DOUBT = re.compile(r"\s*[?？]\s*[\d\u00b9\u00b2\u00b3\u2070\u2074-\u2079]{0,3}$")

#: a digit printed smaller and raised just after the character before it is a footnote's number (11¹, 3940 元³):
#: the text layer has no superscript, so it would be read as one more digit of the value (111); it is read as the
#: superscript digit it shows, which the tokenizer takes as a footnote mark
_SUPERSCRIPT = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
#: a superscript's size is at most this share of its base's (Word prints it at 2/3, browsers at 5/6)
_SMALLER = 0.9
#: its bottom is at least this share of the base's size above the base's bottom (Word and browsers: ~1/3)
_RAISED = 0.2
#: and it starts within this share of the base's size after the character before it ends
_NEXT_TO = 0.5


def _mark_superscripts(chars: list[dict[str, Any]]) -> None:
    """Each footnote digit of ``chars`` (pdfplumber's, in the order printed) made a superscript digit, in place
    (what the page's tables and text are then read from)."""
    base: dict[str, Any] | None = None  # the last character printed at its line's size
    before: dict[str, Any] | None = None
    for char in chars:
        text = char.get("text", "")
        if base is not None and before is not None and len(text) == 1 and "0" <= text <= "9" and _raised(
                char, base) and abs(char.get("x0", 0) - before.get("x1", 0)) <= _NEXT_TO * base.get("size", 0):
            char["text"] = text.translate(_SUPERSCRIPT)
        else:
            base = char
        before = char


def _raised(char: dict[str, Any], base: dict[str, Any]) -> bool:
    """Whether ``char`` is printed smaller than ``base`` and raised on its line."""
    size, bottom = base.get("size", 0), base.get("bottom", 0)
    return bool(char.get("upright", True) and 0 < char.get("size", 0) <= _SMALLER * size
                and base.get("top", 0) < char.get("bottom", 0) <= bottom - _RAISED * size)


def _row_line(row: list[str | None], values_from: int) -> str:
    """A table row as one '|'-separated line: a cell's wrapped text joined; an empty cell where the
    table has its numbers is a blank cell ('—'), never a zero; merged cells (None) are not repeated; a
    cell in doubt (``？2``, ``71？1``) is its value, or blank (before, ``？2`` was read as 2)."""
    out: list[str] = []
    numbers = any(is_number(c) or (c and _DOUBT.search(c)) for c in row)  # a header row's empty cells: no blanks
    for i, cell in enumerate(row):
        if cell is None:
            continue
        text = "".join(cell.split("\n")).strip()
        if i >= values_from and ("?" in text or "？" in text):
            text = _DOUBT.sub("", text) or "—"
        if text:
            out.append(text)
        elif numbers and i >= values_from:
            out.append("—")
    return " | ".join(out)


#: a CJK ideograph: a header's cell names its column in words (自然人, 本年制发件数), where a row printed blank
#: has dashes (—, /) in its value cells
_WORD = re.compile("[\u4e00-\u9fff]{2}")


def is_header(row: list[str | None], values_from: int) -> bool:
    """Whether ``row`` heads the columns below it: no number, and a value column named in words."""
    return not any(is_number(c) for c in row) and names_values(row, values_from)


def names_values(row: list[str | None], values_from: int) -> bool:
    """Whether ``row`` names a value column in words (:func:`is_header` of a row known to hold no number)."""
    return any(c and _WORD.search(c) for c in row[values_from:])


def by_header(rows: list[list[str | None]], values_from: int, carry: dict[str, Any] | None = None,
              headers: list[bool] | None = None) -> list[list[str | None]]:
    """``rows`` with each empty cell right of the columns its header names made no cell (None) where the
    header's own cell there is empty: the table's grid has a column that the block below that header does not
    use (a 2019 table 2's 4-column grid, its （八） block of 3), so the row has no value there; read as a blank
    ('—') it gave the row one value more than its header.  So too under a header that names one value column
    in a cell merged across the others (the official template's 本年处理决定数量 drawn across all three): it names
    one however wide it is drawn; a merged cell over several named columns (table 4's 复议后起诉 over its five)
    keeps their empty cells blanks.  A header is the run of header rows above (the columns any of them names).
    ``carry``: the header in force where the previous page's table ended (its block goes on at this page's
    top), updated to the one in force at the end of ``rows``.  ``headers``: :func:`is_header` of each row, where
    the caller has it already (the web page reader: asked again, it is most of the reading's cost)."""
    header: list[str | None] | None = carry.get("header") if carry else None
    named: int = carry.get("named", -1) if carry else -1  # the last column the header names
    values: int = carry.get("values", 0) if carry else 0  # how many value columns it names
    out = []
    previous_header = False
    for r, row in enumerate(rows):
        if headers[r] if headers is not None else is_header(row, values_from):
            words = [i for i, c in enumerate(row) if c and c.strip()]
            named = max(named if previous_header else -1, max(words, default=-1))
            values = (values if previous_header else 0) + sum(i >= values_from for i in words)
            header, previous_header = row, True
            out.append(row)
            continue
        previous_header = False
        if header is not None and len(header) == len(row):
            merged = values == 1  # a cell merged over the grid (None) right of a one-value header's: no column
            row = [None if i > named and i >= values_from and c is not None and not c.strip()
                   and (merged if (h := header[i]) is None else not h.strip()) else c for i, c in enumerate(row)]
        out.append(row)
    if carry is not None:
        carry.update(header=header, named=named, values=values)
    return out


#: a row label's start (一、 （一） 1. 1、 (1)): a fragment that starts so is a row of its own, not a row's tail
_ROW_START = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")
#: a label's words: its CJK ideographs (punctuation, brackets and spaces aside)
_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")


def label_key(text: str) -> str | None:
    """What a label cell is compared by: its ideographs after its numbering (``（一）予以公开`` and ``予以公开`` are
    one); None where it starts with punctuation after its numbering (``）不予处理``: a label's tail, no label)."""
    start = _ROW_START.match(text)
    rest = "".join(text[start.end() if start else 0:].split())
    return "".join(_IDEOGRAPH.findall(rest)) if rest and _IDEOGRAPH.match(rest) else None


def continued(tail: dict[str, Any], head: dict[str, Any], labels: frozenset[str] | None = None) -> str | None:
    """The line of a table row broken over a page break (Word and LibreOffice let a row break by default:
    its label's end and nothing else printed at the top of the next page's table), when ``head`` (the
    next page's table's first row after its header rows) is the tail of ``tail`` (the previous page's
    table's last row); else None.  Each is ``{"cells": [...], "from": the first value column}``.

    ``head`` is a tail when it has the columns of ``tail``, text in label columns only, no value, and
    does not start as a row label does; ``tail`` has a value (a row that printed none cannot be told from
    a row of its own).  With ``labels`` (the forms' row and group labels, :func:`label_key`), also when no
    label cell of ``head`` is a label by itself (行政强制 left blank at a page's top is a row of its own: table 2's
    labels have no numbering) and each cell it continues joins into a label."""
    before, after, values_from = tail["cells"], head["cells"], tail["from"]
    if len(before) != len(after) or not any(is_number(c) for c in before[values_from:]):
        return None
    if any(c and c.strip() for c in after[values_from:]):
        return None
    texts = [c for c in after[:values_from] if c and c.strip()]
    if not texts or _ROW_START.match(texts[0]):
        return None
    joined = [b if not a or not a.strip() else (b or "").rstrip("\n") + a for b, a in zip(before, after, strict=True)]
    if labels is not None:
        ends = [i for i, a in enumerate(after[:values_from]) if a and a.strip()]
        if any(label_key(str(after[i])) in labels or label_key(str(joined[i])) not in labels for i in ends):
            return None
    return _row_line(joined, values_from)


def _tail_only(rows: list[list[str | None]], carry: dict[str, Any]) -> bool:
    """Whether ``rows`` (a page's first table) are only text in the label columns of the table the previous page
    ended in, with its columns: the end of that table's last row, broken over the page break (四、结 | 2 … above,
    转下年度继续办理 alone here).  A table of one cell of text is otherwise no table (a framed paragraph); this one
    is read as that table's row, so that :func:`continued` may join it (read as text, its label's lines fell
    between the row's numbers and the next table)."""
    values_from = carry.get("from")
    columns = carry.get("columns")
    return (bool(rows) and isinstance(values_from, int) and isinstance(columns, int)
            and 0 < values_from < columns == len(rows[0])
            and all(len(row) == len(rows[0]) and not any(c and c.strip() for c in row[values_from:]) for row in rows)
            and any(c and c.strip() for row in rows for c in row[:values_from]))


def _page_lines(page: Any, carry: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """A page's lines: text in reading order, tables as rows of cells; and its table rows at its edges
    (``head``: the first table's first row after its header rows, ``tail``: the last table's last row,
    each with its line's index, its cells and its first value column) for :func:`continued`.  ``carry``: the
    header in force at the end of the previous page's last table, for this page's first table (the block goes
    on; :func:`by_header`), then the one at the end of this page's last table."""
    _mark_superscripts(page.chars)
    found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    tables = [t for n, t in enumerate(found) if any(
        sum(1 for c in row if c and c.strip()) >= _DATA_CELLS for row in t.extract()) or (n == 0 and _tail_only(
            t.extract(), carry))]
    if not tables:
        carry.clear()
        return str(page.extract_text() or "").split("\n"), {}
    lines: list[str] = []
    edges: dict[str, Any] = {}
    top = 0.0
    for table in (*tables, None):
        bottom = table.bbox[1] if table is not None else page.height
        boxes = [t.bbox for t in tables]

        def outside(obj: dict[str, Any], lo: float = top, hi: float = bottom, boxes: list[Any] = boxes) -> bool:
            middle = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            return lo <= middle < hi and not any(b[0] <= x <= b[2] and b[1] <= middle <= b[3] for b in boxes)

        text = page.filter(outside).extract_text() or ""
        if text.strip():
            lines.extend(text.split("\n"))
        if table is not None:
            rows = table.extract()
            values_from = min((i for row in rows for i, c in enumerate(row) if is_number(c)),
                              default=carry["from"] if table is tables[0] and _tail_only(rows, carry) else len(rows[0]))
            first = len(lines)
            edges.pop("tail", None)
            if table is not tables[0] or carry.get("from") != values_from:
                carry.clear()  # another table, or columns of another table: no header goes on into it
            carry.update({"from": values_from, "columns": len(rows[0])})
            for row in by_header(rows, values_from, carry):
                line = _row_line(row, values_from)
                if not line:
                    continue
                edge = {"line": len(lines), "cells": row, "from": values_from}
                if "head" not in edges and not is_header(row, values_from):
                    edges["head"] = {**edge, "after": first}
                edges["tail"] = edge
                lines.append(line)
            top = table.bbox[3]
    return lines, edges


def events(data: bytes, pages: int, decompressed: int) -> Iterator[dict[str, Any]]:
    """What reading the PDF finds, page by page (see the module docstring); at most ``pages`` pages,
    at most ``decompressed`` bytes out of its streams."""
    import pdfplumber  # type: ignore[import-not-found,import-untyped,unused-ignore]

    number = 0
    bounded = None
    carry: dict[str, Any] = {}  # the header in force at the end of a page's last table
    try:
        with _bounded(decompressed) as bounded, pdfplumber.open(io.BytesIO(data)) as pdf:
            yield {"count": len(pdf.pages)}
            if len(pdf.pages) > pages:
                yield {"error": "pages", "page": None, "detail": str(len(pdf.pages))}
                return
            for number, page in enumerate(pdf.pages, 1):
                lines, edges = _page_lines(page, carry)
                page.flush_cache()
                yield {"page": number, "lines": lines, **edges}
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file: each is reported
        kind = ("decompressed" if bounded is not None and bounded.exceeded else
                "memory" if _out_of_memory(exc) else "unreadable")
        yield {"error": kind, "page": number or None, "detail": str(exc)}  # the page being read
        return
    yield {"done": True}


def _out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or one pdfplumber wrapped (PdfminerException(e))."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        e = todo.pop()
        if not isinstance(e, BaseException) or any(e is s for s in seen):
            continue
        if isinstance(e, MemoryError):
            return True
        seen.append(e)
        todo.extend((*e.args[:1], e.__cause__, e.__context__))
    return False


def _limit(memory: int, seconds: float) -> None:
    """The worker's address space at most ``memory`` bytes (where the system has such a limit), and its
    life at most ``seconds`` and a little: the parent ends it then, this ends it if the parent was
    ended first (an orphan never reads on)."""
    timer = threading.Timer(seconds + _GRACE, os._exit, (3,))
    timer.daemon = True
    timer.start()
    try:
        import resource
    except ImportError:  # Windows: the time limit still holds
        return
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))


def main(argv: list[str]) -> None:
    """The worker: the PDF on standard input, its events on standard output (argv: pages, decompressed
    bytes, memory bytes, seconds)."""
    pages, decompressed, memory = (int(a) for a in argv[:3])
    data = sys.stdin.buffer.read()
    import pdfplumber  # noqa: F401 - loaded before the memory limit: the limit is for the reading

    _limit(memory, float(argv[3]))
    out = sys.stdout
    try:
        for event in events(data, pages, decompressed):
            out.write(json.dumps(event) + "\n")  # ASCII: whatever the locale
            out.flush()
    except MemoryError:  # while writing: the events so far say where
        out.write('{"error": "memory", "page": null, "detail": ""}\n')
