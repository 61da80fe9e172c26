"""PDF: the text layer, page by page, through pdfplumber (the ``[pdf]`` extra), within limits.

Tables are read by the position of their cells on the page (pdfplumber's table finder), not by
the order of the text: in the official Word template the total cells are top-aligned and the
others centred, so the text order of a row whose label wraps is not its column order.  Each
table row becomes one '|'-separated line, as a web page's does; the text around the tables is
the page's text in reading order.

A PDF is hostile input like any other: :class:`Limits` bounds its pages, the bytes its streams
decompress to (a decompression bomb stops at the limit, before the memory is taken) and the
time spent; over a limit, a :class:`~govdisclosure.errors.LoadError` says which and where.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

import attrs

from ..errors import LoadError, problem
from ..formats.spec import Label

__all__ = ["Limits", "pdf_text"]


@attrs.frozen
class Limits:
    """How much of a PDF is read at most."""

    pages: int = 200  #: a report has a few dozen pages at most
    decompressed: int = 256 * 1024 * 1024  #: bytes all its streams may decompress to (fonts included)
    seconds: float = 60.0  #: time for the whole file


DEFAULT_LIMITS = Limits()
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

    def decompress(self, data: bytes, *args: Any) -> bytes:
        d = zlib.decompressobj(*args)
        out = d.decompress(data, self.left + 1)
        self._take(len(out))
        if d.unconsumed_tail:
            self._take(self.left + 1)
        return out

    def decompressobj(self, *args: Any) -> Any:
        inner = zlib.decompressobj(*args)
        outer = self

        class _Obj:
            def decompress(self, data: bytes, *more: Any) -> bytes:
                out = inner.decompress(data, outer.left + 1)
                outer._take(len(out))
                if inner.unconsumed_tail:
                    outer._take(outer.left + 1)
                return out

            def flush(self, *more: Any) -> bytes:
                out = inner.flush(*more)
                outer._take(len(out))
                return out

        return _Obj()


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


def _fail(source: str, code: str, zh: str, en: str, page: int | None = None) -> LoadError:
    return LoadError([problem(code, "", Label(zh, en), page=page)], source)


def _is_number(cell: str | None) -> bool:
    return bool(cell) and cell.strip().replace(".", "", 1).isdigit()  # type: ignore[union-attr]


def _row_line(row: list[str | None], values_from: int) -> str:
    """A table row as one '|'-separated line: a cell's wrapped text joined; an empty cell where the
    table has its numbers is a blank cell ('—'), never a zero; merged cells (None) are not repeated."""
    out: list[str] = []
    numbers = any(_is_number(c) for c in row)  # a header row's empty cells are no blank cells
    for i, cell in enumerate(row):
        if cell is None:
            continue
        text = "".join(cell.split("\n")).strip()
        if text:
            out.append(text)
        elif numbers and i >= values_from:
            out.append("—")
    return " | ".join(out)


def _page_lines(page: Any) -> list[str]:
    """A page's lines: text in reading order, tables as rows of cells."""
    tables = [t for t in page.find_tables() if any(
        sum(1 for c in row if c and c.strip()) >= _DATA_CELLS for row in t.extract())]
    if not tables:
        return (page.extract_text() or "").split("\n")
    tables.sort(key=lambda t: t.bbox[1])
    lines: list[str] = []
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
            values_from = min((i for row in rows for i, c in enumerate(row) if _is_number(c)), default=len(rows[0]))
            lines.extend(line for line in (_row_line(row, values_from) for row in rows) if line)
            top = table.bbox[3]
    return lines


def pdf_text(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str, tuple[int, ...]]:
    """The text of every page, joined by newlines, and the page each line is on."""
    try:
        import pdfplumber  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise _fail(source, "GD-LOAD-INPUT", "读取 PDF 需要安装 pdfplumber：pip install govdisclosure[pdf]",
                    "reading PDF needs pdfplumber: pip install govdisclosure[pdf]") from None
    lines: list[str] = []
    pages: list[int] = []
    start = time.monotonic()
    number = 0
    bounded = None
    try:
        with _bounded(limits.decompressed) as bounded, pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.pages:
                raise _fail(source, "GD-LOAD-LIMIT", f"PDF 有 {len(pdf.pages)} 页，超过 {limits.pages} 页的上限",
                            f"the PDF has {len(pdf.pages)} pages, more than the limit of {limits.pages}")
            for number, page in enumerate(pdf.pages, 1):
                page_lines = _page_lines(page)
                lines.extend(page_lines)
                pages.extend([number] * len(page_lines))
                page.flush_cache()
                if time.monotonic() - start > limits.seconds:
                    raise _fail(source, "GD-LOAD-LIMIT", f"读取 PDF 超过 {limits.seconds:g} 秒的上限",
                                f"reading the PDF took longer than the limit of {limits.seconds:g} s", number)
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file: each is a located error
        if bounded is not None and bounded.exceeded:
            raise _fail(source, "GD-LOAD-LIMIT", f"PDF 解压后超过 {limits.decompressed:,} 字节的上限（可能是压缩炸弹）",
                        f"the PDF decompresses to more than the limit of {limits.decompressed:,} bytes "
                        "(a decompression bomb?)",
                        number or None) from None
        raise _fail(source, "GD-LOAD-BINARY", f"无法读取的 PDF：{exc}", f"an unreadable PDF: {exc}",
                    number or None) from None
    text = "\n".join(lines)
    if not text.strip():
        raise _fail(source, "GD-LOAD-NOT-REPORT", "不是年度报告：PDF 没有文字层（扫描件，此处不做文字识别）",
                    "not a report: the PDF has no text layer (a scan; no OCR here)")
    return text, tuple(pages)
