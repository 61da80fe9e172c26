"""Markdown (CommonMark + GFM tables), readable as plain text, and the reader that loads it back.

Text is written so that markdown-it-py renders it as written and the reader recovers it exactly:
ASCII punctuation is backslash-escaped, a line break inside a field is ``<br>``, edge spaces
are character references, an empty string is ``""`` and a missing field is left out.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from ..errors import LoadError, problem
from ..formats.spec import CellKind, CellSpec, Column, FormatSpec
from ..labels import Label
from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
from ..model.scalars import LEVEL_LABELS, level_id
from ..plugins import hookimpl
from . import Loader, LoadResult, Renderer
from .envelope import (
    CONTENT,
    ITEM,
    PROVENANCE,
    cell_text,
    from_text,
    meta_fields,
    part_fields,
    provenance_fields,
    put,
    to_text,
    with_required,
)
from .html import cell_value, spec_for
from .marks import DOUBT, doubt_note, in_doubt, place, shown_unit
from .source import check_size

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

# what Markdown could read as syntax anywhere in a line, and what only at its start
_PUNCT = re.compile(r"([\\`*_{}\[\]<>|&~\"])")
_START = re.compile(r"^([#+=-]|[0-9]+(?=[.)]))")
#: the first line of our Markdown: how a reader knows it, whatever the text holds (an HTML comment: invisible)
MARKER = "<!-- govdisclosure markdown -->"
#: how much of a text the sniffing looks at
SNIFF = 8192
#: a group's label row is bold: text of ours never holds an unescaped "*"
GROUP_MARK = "**"
_DECODE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(\d+);|<br>")
EMPTY = '""'
FORMAT, VARIANT = FORMAT_VERSION_DOC, VARIANT_DOC
CELL = Label("单元格", "Cell")
#: a footnote's definition (on a cell in doubt) starts its line so; escaped text never does
FOOTNOTE = "[^"
#: the mark and footnote reference after a cell in doubt's value
_DOUBT_REF = re.compile(re.escape(DOUBT) + r"\[\^[0-9]+\]$")


def escape(text: str) -> str:
    """Inline Markdown that renders as ``text`` and that :func:`unescape` reads back exactly."""
    if text == "":
        return EMPTY
    body = _PUNCT.sub(r"\\\1", text).replace("\r", "&#13;").replace("\n", "<br>")
    m = _START.match(body)
    if m:  # a heading, list or underline marker at the start of the line
        end = m.end() + (1 if m.group(1)[0].isdigit() else 0)
        body = body[:end - 1] + "\\" + body[end - 1:]
    # whitespace at the edges (any: U+3000 and U+00A0 too) would be trimmed by a Markdown reader
    lead = len(body) - len(body.lstrip())
    if lead == len(body):
        return _refs(body)
    end = len(body.rstrip())
    return _refs(body[:lead]) + body[lead:end] + _refs(body[end:])


def _refs(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


def unescape(text: str) -> str:
    if text == EMPTY:
        return ""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return chr(int(m.group(2)))
        return "\n"
    return _DECODE.sub(sub, text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


@functools.cache
def _table_template(spec: FormatSpec, table_id: str) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Lines of one table's Markdown: static lines, and rows as (prefix, pointers of the values).

    A group's label (（三）不予公开) is a row of its own, in bold, over the rows it holds: GFM cannot
    merge cells, and without it 1.属于国家秘密 and 1.本机关不掌握… would read as siblings."""
    from .layout import walk_rows  # writing or reading Markdown only: a parse imports this plugin, uses none of it

    out: list[tuple[str, tuple[str, ...] | None]] = []
    for block in spec.table(table_id).blocks:
        if block.label is not None:
            out += [(f"### {escape(block.label.zh)}", None), ("", None)]
        corner = block.corner.zh if block.corner is not None else ""
        if block.columns_heading is not None:
            corner = f"{corner} {block.columns_heading.zh}".strip()
        header = [escape(corner) if corner else " "] + [escape(_column_title(c)) for c in block.columns]
        out += [(_row(header), None), (_row(["---"] * len(header)), None)]
        for path, row, opening, _ in walk_rows(block.rows):
            for group, _ in opening:
                out.append((_row([f"{GROUP_MARK}{escape(group.label.zh)}{GROUP_MARK}"]), None))
            base = "/" + "/".join((table_id, *path)) + "/"
            out.append((f"| {escape(row.label.zh)} | ", tuple(base + c.id for c in block.columns)))
        out.append(("", None))
    return tuple(out)


def _column_title(column: Column) -> str:
    return f"{column.group.zh} {column.label.zh}" if column.group else column.label.zh


@functools.cache
def _slots(spec: FormatSpec, table_id: str) -> tuple[tuple[str, tuple[int, ...] | None], ...]:
    """The template with each row's pointers as positions in ``report.values(table_id)``."""
    where = {c.pointer: i for i, c in enumerate(c for c in spec.cells() if c.table.id == table_id)}
    return tuple((prefix, None if pointers is None else tuple(where[p] for p in pointers))
                 for prefix, pointers in _table_template(spec, table_id))


def _spec_tables(report: Report, table_id: str, doubts: list[tuple[CellSpec, Any]]) -> list[str]:
    """The table's lines; a cell in doubt gets its mark and footnote (``？[^3]``, noted in ``doubts``), an amount
    the unit it was published in (:mod:`.marks`)."""
    values = report.values(table_id)
    texts = [cell_text(v) for v in values]
    if report.provenance:
        cells = [c for c in report.spec.cells() if c.table.id == table_id]
        for i, cell in enumerate(cells):
            prov = report.provenance.get(cell.pointer)
            if prov is None:
                continue
            if values[i] is not None and (unit := shown_unit(cell, prov)):
                texts[i] += escape(unit)
            if in_doubt(prov):
                doubts.append((cell, prov))
                texts[i] += f"{DOUBT}[^{len(doubts)}]"
    return [prefix if slots is None else prefix + " | ".join([texts[i] for i in slots]) + " |"
            for prefix, slots in _slots(report.spec, table_id)]


def _footnotes(report: Report, doubts: list[tuple[CellSpec, Any]], first: int) -> list[str]:
    """GFM footnotes on the cells in doubt, each by its row and column labels."""
    out = []
    for n, (cell, prov) in enumerate(doubts[first:], first + 1):
        note, where = doubt_note(prov, report.cell(cell.pointer) is None), place(cell)
        out.append(f"[^{n}]: {escape(f'{where.zh}：{note.zh}（{where.en}: {note.en}）')}")
    return [*out, ""] if out else []


def render_markdown(report: Report, /, **_: Any) -> str:
    """The report as Markdown (GFM tables), readable as plain text; :func:`read_markdown` reads it back."""
    spec = report.spec
    title = report.title if report.title is not None else \
        f"{report.agency.name or ''}{report.year or ''}年政府信息公开工作年度报告"
    out = [MARKER, f"# {escape(title)}", ""]
    # the version a reader reads back, then the format's name and notice as the HTML page shows them
    meta = [[escape(FORMAT.zh), escape(f"{spec.version}（{spec.label.zh}，{spec.notice}）")]]
    if spec.variant:
        meta.append([escape(VARIANT.zh), escape(spec.variant)])
    for f in meta_fields():
        value = f.get(report)
        if value is not None:
            shown = LEVEL_LABELS[value].zh if f.key == "agency.level" else to_text(value)
            meta.append([escape(f.label.zh), escape(shown)])
    out += [*_table([escape(ITEM.zh), escape(CONTENT.zh)], meta), ""]
    doubts: list[tuple[CellSpec, Any]] = []
    if report.parts.preamble is not None:
        out += [escape(report.parts.preamble), ""]
    for part in spec.parts:
        out += [f"## {escape(part.heading.zh)}", ""]
        text = getattr(report.parts, part.id)  # a narrative part, or the prose printed around a table
        if text is not None:
            out += [escape(text), ""]
        if part.is_table:
            first = len(doubts)
            out += _spec_tables(report, part.id, doubts)
            out += _footnotes(report, doubts, first)
    if report.provenance:
        fields = provenance_fields()
        rows = [[escape(pointer)] + [escape(to_text(v)) if (v := f.get(prov)) is not None else "" for f in fields]
                for pointer, prov in report.provenance.items()]
        out += [f"## {escape(PROVENANCE.zh)}", "", *_table([escape(CELL.zh)] + [escape(f.label.zh) for f in fields],
                                                          rows), ""]
    return "\n".join(out)


# ----------------------------------------------------------------------------- reading back

_SPLIT = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip(" ") for c in _SPLIT.split(inner)]  # content edge spaces are &#32;


def _fail(source: str, line: int, zh: str, en: str) -> LoadError:
    return LoadError([problem("GD-LOAD-INPUT", "", Label(zh, en), line=line)], source)


class _Reader:
    """Reads our own Markdown back, line by line: headings set the section, tables are read whole."""

    def __init__(self, source: str, registry: Registry) -> None:
        self.source, self.registry = source, registry
        self.data: dict[str, Any] = {}
        self.spec: FormatSpec | None = None
        self.section: str | None = None  # None: before the first part; a part id; or "provenance"
        self.block_label: str | None = None  # the ### heading over a table-2 block
        self.paragraphs: dict[str | None, str] = {}
        self.seen: dict[str, int] = {}  # a cell's pointer -> the line that gave it: a second is refused
        self.units: dict[str, str] = {}  # an amount's pointer -> its text

    def read(self, lines: list[str]) -> dict[str, Any]:
        rows: list[list[str]] = []
        for number, line in enumerate(lines, 1):
            if line.startswith("|"):
                rows.append(_cells(line))
                continue
            if rows:
                self.table(rows, number - len(rows))
                rows = []
            self.line(line, number)
        if rows:
            self.table(rows, len(lines) - len(rows) + 1)
        if "format_version" not in self.data:
            raise _fail(self.source, 1, "不是 govdisclosure 生成的 Markdown（缺少格式版本表）",
                        "not Markdown written by govdisclosure (no format table)")
        self.split_units()
        texts = {f.path[1]: f for f in part_fields(self.spec)} if self.spec is not None else {}
        for section_id, value in self.paragraphs.items():
            key = "preamble" if section_id is None else section_id
            if key in texts:
                put(self.data, texts[key].path, value)
        return self.data

    def split_units(self) -> None:
        """An amount shown with the unit its provenance keeps (``251000元``) is the amount alone."""
        prov = self.data.get("provenance")
        for pointer, text in self.units.items():
            entry = prov.get(pointer) if isinstance(prov, dict) else None
            unit = entry.get("unit") if isinstance(entry, dict) else None
            if isinstance(unit, str) and unit and text.endswith(escape(unit)):
                put(self.data, tuple(pointer.strip("/").split("/")), text[:-len(escape(unit))].strip(" "))

    def line(self, line: str, number: int) -> None:
        if line.startswith("### "):
            self.block_label = unescape(line[4:])
        elif line.startswith("## "):
            self.block_label = None
            self.section = self.part(unescape(line[3:]), number)
        elif not (line.startswith(("# ", "<!--", FOOTNOTE)) or not line.strip()):  # text of ours starts with no "["
            self.paragraphs[self.section] = unescape(line)

    def part(self, heading: str, number: int) -> str:
        if heading == PROVENANCE.zh:
            return "provenance"
        if self.spec is None:
            raise _fail(self.source, number, "缺少格式版本", "no format version before the first part")
        part = next((p for p in self.spec.parts if p.heading.zh == heading), None)
        if part is None:
            raise _fail(self.source, number, f"未知的部分：{heading}", f"unknown part: {heading}")
        return part.id

    def table(self, rows: list[list[str]], at: int) -> None:
        header, body = rows[0], rows[2:]
        if self.section is None:
            self.meta(body, at)
        elif self.section == "provenance":
            fields = provenance_fields()
            prov: dict[str, Any] = self.data.setdefault("provenance", {})
            for row in body:
                prov[unescape(row[0])] = {f.key: from_text(f, unescape(v))
                                          for f, v in zip(fields, row[1:], strict=False) if v != ""}
        else:
            self.cells(header, body, at)

    def meta(self, body: list[list[str]], at: int) -> None:
        by_label = {f.label.zh: f for f in meta_fields()}
        for k, row in enumerate(body):
            key, raw = unescape(row[0]), unescape(row[1]) if len(row) > 1 else ""
            if key == FORMAT.zh:  # "2021（…格式，国办公开办函〔2021〕30号）", or the bare version
                self.data["format_version"] = raw.split("（", 1)[0].strip()
            elif key == VARIANT.zh:
                self.data["variant"] = raw
            elif key in by_label:
                f = by_label[key]
                # a level by its name; "name（id）" as 0.1 wrote it
                value = (level_id(raw) or level_id(raw.rsplit("（", 1)[-1].rstrip("）")) or raw
                         if f.key == "agency.level" else from_text(f, raw))
                put(self.data, f.path, value)
            else:
                raise _fail(self.source, at + 2 + k, f"未知的项目：{key}", f"unknown field: {key}")
        self.spec = spec_for(self.registry, self.data.get("format_version"), self.data.get("variant"))

    def cells(self, header: list[str], body: list[list[str]], at: int) -> None:
        spec, section = self.spec, self.section
        if spec is None or section is None:
            raise _fail(self.source, at, "表格之前缺少格式版本", "a table before the format version")
        try:
            table = spec.table(section)
        except KeyError:  # a table under a narrative part's heading (a damaged file)
            raise _fail(self.source, at, "此部分没有表格", "a table in a part that has none") from None
        columns = [unescape(h) for h in header[1:]]
        block = next((b for b in table.blocks if (b.label.zh if b.label else None) == self.block_label
                      and [_column_title(c) for c in b.columns] == columns), None)
        if block is None:
            raise _fail(self.source, at, f"表头与{table.label.zh}的任何部分都不符",
                        f"a header that fits no block of {table.id}")
        from .layout import walk_rows

        paths = {row.label.zh: path for path, row, _, _ in walk_rows(block.rows)}
        for k, row in enumerate(body):
            if row[0].startswith(GROUP_MARK) and row[0].endswith(GROUP_MARK):
                continue  # a group's label over its rows
            label = unescape(row[0])
            if label not in paths:
                raise _fail(self.source, at + 2 + k, f"未知的行：{label}", f"unknown row: {label}")
            for col, value in zip(block.columns, row[1:], strict=False):
                pointer = "/" + "/".join((section, *paths[label], col.id))
                if pointer in self.seen:  # a row given twice: the last would silently win
                    raise _fail(self.source, at + 2 + k, f"重复：第 {self.seen[pointer]} 行已给出此行",
                                f"repeated: line {self.seen[pointer]} gives this row already")
                self.seen[pointer] = at + 2 + k
                value = _DOUBT_REF.sub("", value)
                if col.kind is CellKind.AMOUNT and value:
                    self.units[pointer] = value  # an amount, perhaps with its unit: split once the provenance is read
                put(self.data, tuple(pointer.strip("/").split("/")), cell_value(spec, pointer, value))


def read_markdown(text: str, source: str, registry: Registry) -> dict[str, Any] | LoadResult:
    """Canonical data from Markdown written by :func:`render_markdown`; any other Markdown (a
    published report converted from PDF or Word) is parsed as a published report."""
    check_size(text, source)  # the data limit of every format of ours (io/limits.py)
    if not _sniff(text[:SNIFF]):
        from .. import ingest

        return ingest.parse_bytes(text, source=source, kind="markdown", registry=registry, loader="markdown")
    return with_required(_Reader(source, registry).read(text.lstrip("\ufeff").split("\n")))


def _sniff(head: str) -> bool:
    text = head.lstrip("\ufeff")
    if text.startswith(MARKER):
        return True
    lines = text.split("\n", 3)  # 0.1 wrote no marker: the title, a blank line, the table of fields
    return len(lines) > 2 and lines[0].startswith("# ") and lines[2] == _row([escape(ITEM.zh), escape(CONTENT.zh)])


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("markdown", Label("Markdown（GFM 表格）", "Markdown with GFM tables"), ".md", "text/markdown",
                     render_markdown)]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("markdown", Label("govdisclosure 生成的 Markdown", "Markdown written by govdisclosure"),
                   (".md", ".markdown"), read_markdown, sniff=_sniff, priority=5)]
