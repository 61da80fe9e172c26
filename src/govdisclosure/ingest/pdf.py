"""PDF: the text layer, page by page, through pdfplumber (the ``[pdf]`` extra), within limits.

The pages are read by :mod:`.pdfpages` (tables by the position of their cells, each row one
'|'-separated line) in a worker process of its own.  A PDF is hostile input like any other, and
pdfminer's work on one page is not bounded by anything the page says: a page of millions of text
operators, form XObjects that draw each other ten times over (a tiny file, exponential work), a
grid of lines for the table finder.  No check between pages or inside one loop of pdfminer bounds
all of that; the operating system does: the worker is ended when the time is up, and its address
space is limited (where the system has such a limit), whatever page and whatever code it is in.
:class:`Limits` also bounds the pages and the bytes the streams decompress to (a decompression
bomb stops at the limit, before the memory is taken).  Over a limit, a
:class:`~govdisclosure.errors.LoadError` says which and on what page.

The pages are then read together: a table row that Word or LibreOffice broke over a page break (its label's
end alone at the top of the next page's table, the two pieces one row label of the form) is one row again, on the
page it starts on; a line printed at the same edge (top or bottom) of most pages, three at least (a running header
or footer, with the lines inward of it so printed: one of two lines), is not read, as page numbers are not, never
the report's title or signature; a
text layer whose fonts map every Chinese glyph to one or two characters is said not to decode (re-export or OCR),
not taken for a text that is not a report.

A page's text is the characters it shows: where its fonts' text maps name a radical for a whole character
(⼀ U+2F00 for 一, as browsers' PDFs print every 一, 二, 工; :data:`.normalise.RADICALS`), the character is read.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from ..errors import LoadError, problem
from ..formats.spec import FormatSpec, Label, Row, iter_nodes
from . import pdfpages
from .normalise import FOOTER, RADICALS

#: a radical in a PDF's text (:data:`.normalise.RADICALS`)
_RADICAL = re.compile("[" + "".join(map(chr, RADICALS)) + "]")

__all__ = ["Limits", "pdf_text"]


@attrs.frozen
class Limits:
    """How much of a PDF is read at most."""

    pages: int = 200  #: a report has a few dozen pages at most
    decompressed: int = 256 * 1024 * 1024  #: bytes all its streams may decompress to (fonts included)
    seconds: float = 60.0  #: time for the whole file, inside a page too
    memory: int = 512 * 1024 * 1024  #: bytes of address space the worker may take (a real report needs < 100 MB)
    #: read in a worker process (the only way the time and memory limits hold inside a page); without it
    #: the time is checked between pages only
    isolate: bool = True


DEFAULT_LIMITS = Limits()

#: what the worker runs: its own import path (the working directory dropped: no file there may stand in for a
#: module), the parent's further entries after it (where pdfplumber may have been found), then
#: :mod:`.pdfpages` loaded by its path (not through the package, whose imports would double the start-up)
_BOOT = ("import sys\n"
         "if sys.path and sys.path[0] == '': del sys.path[0]\n"
         "import importlib.util, json, logging\n"
         "sys.path.extend(p for p in json.loads(sys.argv[1]) if p and p not in sys.path)\n"
         "spec = importlib.util.spec_from_file_location('govdisclosure_pdfpages', sys.argv[2])\n"
         "module = importlib.util.module_from_spec(spec)\n"
         "spec.loader.exec_module(module)\n"
         "logging.disable(logging.CRITICAL)\n"  # pdfminer's warnings are no concern of a reader
         "module.main(sys.argv[3:])\n")


def _fail(source: str, code: str, zh: str, en: str, page: int | None = None) -> LoadError:
    return LoadError([problem(code, "", Label(zh, en), page=page)], source)


def _isolated(data: bytes, limits: Limits) -> Iterator[dict[str, Any]]:
    """The worker's events; on time out, an error event for the page it was on; if the worker
    stopped without saying why, an error event with its exit code."""
    argv = [sys.executable, "-c", _BOOT, json.dumps(sys.path), str(pdfpages.__file__),
            str(limits.pages), str(limits.decompressed), str(limits.memory), str(limits.seconds)]
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError:  # no process can be started here (a sandbox, no processes left): read it in this one
        yield from _in_process(data, limits)
        return
    timed_out = False
    try:
        try:
            out, err = proc.communicate(data, timeout=max(limits.seconds, 0.001))
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.kill()
            out, err = proc.communicate()
    finally:
        if proc.poll() is None:  # interrupted (an alarm, ^C): never leave the worker running
            proc.kill()
            proc.wait()
    last: dict[str, Any] = {}
    for line in out.decode("ascii", "replace").splitlines():
        try:
            last = json.loads(line)
        except ValueError:  # the line it was writing when it was ended
            break
        yield last
    if timed_out:
        yield {"error": "seconds"}
    elif "error" not in last and "done" not in last:
        if b"MemoryError" in err:  # Python may abort rather than raise when memory runs out
            yield {"error": "memory"}
            return
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:]
        yield {"error": "stopped", "detail": f"{proc.returncode}" + (f": {tail[0]}" if tail else "")}


def _in_process(data: bytes, limits: Limits) -> Iterator[dict[str, Any]]:
    """The same events read here: the time is checked between pages only."""
    start = time.monotonic()
    for event in pdfpages.events(data, limits.pages, limits.decompressed):
        yield event
        if time.monotonic() - start > limits.seconds:
            yield {"error": "seconds"}
            return


#: what each kind of error event says: code, message (formatted with the event's detail and the limits)
_ERRORS: dict[str, tuple[str, str, str]] = {
    "pages": ("GD-LOAD-LIMIT", "PDF 有 {detail} 页，超过 {limits.pages} 页的上限",
              "the PDF has {detail} pages, more than the limit of {limits.pages}"),
    "seconds": ("GD-LOAD-LIMIT", "读取 PDF 超过 {limits.seconds:g} 秒的上限",
                "reading the PDF took longer than the limit of {limits.seconds:g} s"),
    "memory": ("GD-LOAD-LIMIT", "读取 PDF 所需内存超过 {mib:,.0f} MiB 的上限",
               "reading the PDF needs more memory than the limit of {mib:,.0f} MiB"),
    "decompressed": ("GD-LOAD-LIMIT", "PDF 解压后超过 {limits.decompressed:,} 字节的上限（可能是压缩炸弹）",
                     "the PDF decompresses to more than the limit of {limits.decompressed:,} bytes "
                     "(a decompression bomb?)"),
    "stopped": ("GD-LOAD-BINARY", "读取 PDF 的进程意外退出（退出码 {detail}）",
                "the process reading the PDF stopped unexpectedly (exit code {detail})"),
    "unreadable": ("GD-LOAD-BINARY", "无法读取的 PDF（文件已损坏，或不是 PDF；PDF 库的说明：{detail}）",
                   "an unreadable PDF (damaged, or not a PDF; the PDF library says: {detail})"),
}


def _error(event: dict[str, Any], source: str, limits: Limits, count: int | None, done: int) -> LoadError:
    """The located error an error event stands for: on the page it names (the worker's), else on the page
    after the ``done`` ones (the worker was ended); the page is said in the message too, as a finding
    without a line shows no page."""
    code, zh, en = _ERRORS[event["error"]]
    page = event["page"] if "page" in event else done + 1 if count is not None and done < count else None
    words = {"detail": event.get("detail", ""), "limits": limits, "mib": limits.memory / 2**20}
    at_zh, at_en = (f"（第 {page} 页）", f" (page {page})") if page is not None else ("", "")
    return _fail(source, code, zh.format(**words) + at_zh, en.format(**words) + at_en, page)


def _can_isolate() -> bool:
    return bool(sys.executable) and os.path.isfile(str(pdfpages.__file__))


#: lines at a page's top and bottom looked at for a running header or footer (page numbers not counted)
_EDGE_LINES = 2
#: a running header or footer is printed at the same edge of at least this many pages (and of more than half):
#: a line at the top of page 1 and the bottom of the last page of a short report is its title and signature
_RUNNING_PAGES = 3
#: a report's title has these words (政府信息公开工作年度报告); a line before a title line starting with its year
#: (2023年政府信息公开…年度报告) is the title's first line, the agency's name
_TITLE_WORD = "年度报告"
_YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年"
_YEAR_FIRST = re.compile(_YEAR)
#: a signature's date (2024年1月20日): the line before it is the agency signing
_DATE = re.compile(_YEAR + r"[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日")


def _key(line: str) -> str:
    return "".join(line.split())


def _text_lines(lines: list[str]) -> list[int]:
    """The indices of a page's lines of text (not a page number, an empty line or a table's row)."""
    return [i for i, line in enumerate(lines) if _key(line) and " | " not in line and not FOOTER.match(line)]


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    """The indices of a page's lines that may be a running header or footer: its first and its last
    :data:`_EDGE_LINES` lines of text, each edge from its outermost line inwards; a line is at the edge of the
    page's half it is in (a page of table rows and two lines of text: the first at its top, the second at its
    bottom, neither at both)."""
    text = _text_lines(lines)
    half = len(lines) / 2
    return [i for i in text[:_EDGE_LINES] if i < half], [i for i in text[::-1][:_EDGE_LINES] if i >= half]


def _running(pages: list[list[str]]) -> tuple[set[str], set[str]]:
    """The lines printed at the top, and those at the bottom, of most pages (of :data:`_RUNNING_PAGES` at least):
    a running header or footer (``临江县人民政府信息公开``), the pages' furniture as their numbers are, not the
    report's text.  A line counts at one edge only: the top of page 1 and the bottom of the last page are not one
    edge (a short report's agency, printed as its title's first line and as its signature, is no header)."""
    seen: tuple[dict[str, set[int]], dict[str, set[int]]] = ({}, {})
    for number, lines in enumerate(pages):
        for edge, at in zip(seen, _edges(lines), strict=True):
            for i in at:
                edge.setdefault(_key(lines[i]), set()).add(number)
    top, bottom = ({key for key, on in edge.items() if len(key) >= 2 and len(on) >= _RUNNING_PAGES
                    and 2 * len(on) > len(pages)} for edge in seen)
    return top, bottom


def _furniture(line: str, running: set[str]) -> bool:
    return not _key(line) or bool(FOOTER.match(line)) or _key(line) in running


def _is_title(lines: list[str], text: list[int], at: int) -> bool:
    """Whether line ``text[at]`` of the first page is the report's title, or its first line (the agency above a
    line starting with the year)."""
    key = _key(lines[text[at]])
    if _TITLE_WORD in key:
        return True
    after = _key(lines[text[at + 1]]) if at + 1 < len(text) else ""
    return _TITLE_WORD in after and bool(_YEAR_FIRST.match(after))


def _dropped(pages: list[list[str]], running: tuple[set[str], set[str]]) -> list[set[int]]:
    """The lines of each page that are its running header and footer: at each edge the outermost line printed
    there as on the other pages, and the lines inward of it while each is so printed too (a header or footer of two
    lines: the inner one was read as the text of parts 1 and 6); a header repeating the title or the agency above
    the page's own title line drops the header's only.  The report's title and its signature are never dropped: on
    the first page a title line (unless the same line stands right below it, or it is a whole title with another
    title below it: the header's inner line above the title), a line above a date (the signature); nor the only
    title line of all."""
    out: list[set[int]] = []
    for number, lines in enumerate(pages):
        text = _text_lines(lines)
        drop: set[int] = set()
        for keys, at in zip(running, _edges(lines), strict=True):
            outer = next((n for n, i in enumerate(at) if _key(lines[i]) in keys), len(at))
            for i in at[outer:]:
                if _key(lines[i]) not in keys:
                    break  # the run ends: the page's own text
                k = text.index(i)
                if number == 0 and _is_title(lines, text, k) and not (k + 1 < len(text) and (
                        _key(lines[text[k + 1]]) == _key(lines[i])
                        or (_TITLE_WORD in _key(lines[i]) and _is_title(lines, text, k + 1)))):
                    break  # page 1's title, not a header printing it (or a title of its own) right above it
                if k + 1 < len(text) and _DATE.fullmatch(_key(lines[text[k + 1]])):
                    break
                drop.add(i)
        out.append(drop)
    kept = (line for page, drop in zip(pages, out, strict=True) for i, line in enumerate(page) if i not in drop)
    if not any(_TITLE_WORD in _key(line) for line in kept):  # a header was the only title printed: one copy kept
        first = next(((n, i) for n, drop in enumerate(out) for i in sorted(drop) if _TITLE_WORD in _key(pages[n][i])),
                     None)
        if first is not None:
            out[first[0]].discard(first[1])
    return out


@functools.cache
def _format_labels(spec: FormatSpec) -> frozenset[str]:
    return frozenset(filter(None, (pdfpages.label_key(label) for node in (
        n for table in spec.tables for block in table.blocks for n in iter_nodes(block.rows))
        for label in (node.label.zh, *(node.aliases if isinstance(node, Row) else ())))))


def _labels(formats: Iterable[FormatSpec]) -> frozenset[str] | None:
    """The row and group labels of the forms (:func:`.pdfpages.label_key`), or None when no form is known."""
    specs = list(formats)
    return frozenset().union(*map(_format_labels, specs)) if specs else None


def _join_broken_rows(pages: list[list[str]], edges: list[dict[str, Any]], running: set[str],
                      labels: frozenset[str] | None = None) -> None:
    """Each table row broken over a page break made one row again (:func:`.pdfpages.continued`; ``labels``: the
    forms' row labels), in place: its line on the page it starts on, the tail's line taken off the next page.  Only
    where nothing but the pages' furniture (numbers, running header) and the table's repeated header rows stand
    between the two."""
    for n in range(len(pages) - 1):
        tail, head = edges[n].get("tail"), edges[n + 1].get("head")
        if tail is None or head is None:
            continue
        if not all(_furniture(line, running) for line in pages[n][tail["line"] + 1:]):
            continue
        if not all(_furniture(line, running) for line in pages[n + 1][:head["after"]]):
            continue
        if (joined := pdfpages.continued(tail, head, labels)) is not None:
            pages[n][tail["line"]] = joined
            del pages[n + 1][head["line"]]
            if edges[n + 1].get("tail", {}).get("line") == head["line"]:
                del edges[n + 1]["tail"]  # the next page's table was this row's tail alone
            elif "tail" in edges[n + 1]:
                edges[n + 1]["tail"]["line"] -= 1


#: a text layer that does not decode: at least this many CJK characters, nearly all (:data:`_ONE_GLYPH`) one or two
#: distinct characters (a font's text map giving one character for every glyph)
_CJK_SEEN = 40
_ONE_GLYPH = 0.8
_CJK = re.compile("[\u4e00-\u9fff]")
#: glyphs with no text map at all: pdfminer names them (cid:123); or a private-use character for each
_UNMAPPED = re.compile("\\(cid:\\d+\\)|[\ue000-\uf8ff]")


def _undecoded(text: str) -> tuple[str, str] | None:
    """Why the text layer does not decode, when it does not (in Chinese and English), else None."""
    cjk = _CJK.findall(text)
    if len(cjk) >= _CJK_SEEN:
        counts = sorted(Counter(cjk).values(), reverse=True)
        if sum(counts[:2]) >= _ONE_GLYPH * len(cjk):
            shown = "、".join(c for c, _ in Counter(cjk).most_common(2))
            return (f"{len(cjk)} 个汉字只有 {len(counts)} 种（{shown}）",
                    f"its {len(cjk)} Chinese characters are {len(counts)} distinct ones ({shown})")
        return None
    unmapped = len(_UNMAPPED.findall(text))
    if unmapped >= _CJK_SEEN:
        return (f"没有可读的汉字，却有 {unmapped} 个字形没有文字映射",
                f"it has no readable Chinese character, but {unmapped} glyphs with no text mapping")
    return None


def pdf_text(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS, formats: Iterable[FormatSpec] = ()
             ) -> tuple[str, tuple[int, ...]]:
    """The text of every page, joined by newlines, and the page each line is on.  A table row broken over
    a page break is read as one row (on the page it starts on), where its pieces join into a row label of one
    of ``formats`` (with none, by their shape alone); a running header or footer is not read."""
    if importlib.util.find_spec("pdfplumber") is None:
        raise _fail(source, "GD-LOAD-INPUT", "读取 PDF 需要安装 pdfplumber：pip install govdisclosure[pdf]",
                    "reading PDF needs pdfplumber: pip install govdisclosure[pdf]")
    pages: list[list[str]] = []
    edges: list[dict[str, Any]] = []
    count: int | None = None
    done = 0
    read = _isolated if limits.isolate and _can_isolate() else _in_process
    for event in read(data, limits):
        if "error" in event:
            raise _error(event, source, limits, count, done)
        if "count" in event:
            count = event["count"]
        elif "page" in event:
            done = event["page"]
            pages.append(list(event["lines"]))
            edges.append({k: event[k] for k in ("head", "tail") if k in event})
    running = _running(pages)
    _join_broken_rows(pages, edges, running[0] | running[1], _labels(formats))
    lines: list[str] = []
    numbers: list[int] = []
    for number, (page, furniture) in enumerate(zip(pages, _dropped(pages, running), strict=True), 1):
        kept = [line for i, line in enumerate(page) if i not in furniture]
        lines.extend(kept)
        numbers.extend([number] * len(kept))
    text = "\n".join(lines)
    if _RADICAL.search(text):  # the characters the page shows, not the radicals its fonts' text maps name
        text = text.translate(RADICALS)
    if not text.strip():
        raise _fail(source, "GD-LOAD-NOT-REPORT", "不是年度报告：PDF 没有文字层（扫描件，此处不做文字识别）",
                    "not a report: the PDF has no text layer (a scan; no OCR here)")
    if (why := _undecoded(text)) is not None:
        raise _fail(source, "GD-LOAD-NOT-REPORT",
                    f"PDF 的文字层无法解码（{why[0]}）：其字体的文字映射有误，读出的不是页面上的字；"
                    "请用嵌入字体重新导出 PDF，或先做文字识别（OCR）",
                    f"the PDF's text layer does not decode ({why[1]}): its fonts' text maps are wrong, so the "
                    "text read is not what the pages show; re-export the PDF with embedded fonts, or OCR it")
    return text, tuple(numbers)
