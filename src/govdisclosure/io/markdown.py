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
from ..formats.spec import FormatSpec, Label
from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
from ..model.scalars import LEVEL_LABELS
from ..plugins import hookimpl
from . import Loader, Renderer
from .envelope import from_text, meta_fields, part_fields, provenance_fields, put, to_text
from .html import cell_value, spec_for
from .layout import walk_rows

if TYPE_CHECKING:
    from ..model import Report
    from ..registry import Registry

# what Markdown could read as syntax anywhere in a line, and what only at its start
_PUNCT = re.compile(r"([\\`*_{}\[\]<>|&~\"])")
_START = re.compile(r"^([#+=-]|[0-9]+(?=[.)]))")
_EDGE = {" ": "&#32;", "\t": "&#9;"}
_DECODE = re.compile(r"\\([!-/:-@\[-`{-~])|&#(\d+);|<br>")
EMPTY = '""'
FORMAT, VARIANT = FORMAT_VERSION_DOC, VARIANT_DOC
PROVENANCE = Label("单元格来源", "Where cells came from")
CELL = Label("单元格", "Cell")


def escape(text: str) -> str:
    """Inline Markdown that renders as ``text`` and that :func:`unescape` reads back exactly."""
    if text == "":
        return EMPTY
    body = _PUNCT.sub(r"\\\1", text).replace("\r", "&#13;").replace("\n", "<br>")
    m = _START.match(body)
    if m:  # a heading, list or underline marker at the start of the line
        end = m.end() + (1 if m.group(1)[0].isdigit() else 0)
        body = body[:end - 1] + "\\" + body[end - 1:]
    lead = len(body) - len(body.lstrip(" \t"))
    trail = len(body) - len(body.rstrip(" \t"))
    if lead == len(body):
        return "".join(_EDGE[c] for c in body)
    end = len(body) - trail
    return "".join(_EDGE[c] for c in body[:lead]) + body[lead:end] + "".join(_EDGE[c] for c in body[end:])


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


def _value(value: Any) -> str:
    return "" if value is None else str(value)


@functools.cache
def _table_template(spec: FormatSpec, table_id: str) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Lines of one table's Markdown: static lines, and rows as (prefix, pointers of the values)."""
    out: list[tuple[str, tuple[str, ...] | None]] = []
    for block in spec.table(table_id).blocks:
        if block.label is not None:
            out += [(f"### {escape(block.label.zh)}", None), ("", None)]
        corner = block.corner.zh if block.corner is not None else ""
        if block.columns_heading is not None:
            corner = f"{corner} {block.columns_heading.zh}".strip()
        header = [escape(corner) if corner else " "] + [
            escape(f"{c.group.zh} {c.label.zh}" if c.group else c.label.zh) for c in block.columns]
        out += [(_row(header), None), (_row(["---"] * len(header)), None)]
        for path, row, _, _ in walk_rows(block.rows):
            base = "/" + "/".join((table_id, *path)) + "/"
            out.append((f"| {escape(row.label.zh)} | ", tuple(base + c.id for c in block.columns)))
        out.append(("", None))
    return tuple(out)


def _spec_tables(report: Report, table_id: str) -> list[str]:
    values = {c.pointer: v for c, v in report.cells(table_id)}
    return [prefix if pointers is None else prefix + " | ".join(_value(values[p]) for p in pointers) + " |"
            for prefix, pointers in _table_template(report.spec, table_id)]


def render_markdown(report: Report, **_: Any) -> str:
    spec = report.spec
    title = report.title if report.title is not None else \
        f"{report.agency.name or ''}{report.year or ''}年政府信息公开工作年度报告"
    out = [f"# {escape(title)}", ""]
    meta = [[escape(FORMAT.zh), escape(spec.version)]]
    if spec.variant:
        meta.append([escape(VARIANT.zh), escape(spec.variant)])
    for f in meta_fields():
        value = f.get(report)
        if value is not None:
            shown = f"{LEVEL_LABELS[value].zh}（{value}）" if f.key == "agency.level" else to_text(value)
            meta.append([escape(f.label.zh), escape(shown)])
    out += [*_table(["项目", "内容"], meta), ""]
    if report.parts.preamble is not None:
        out += [escape(report.parts.preamble), ""]
    for part in spec.parts:
        out += [f"## {escape(part.heading.zh)}", ""]
        if part.is_table:
            around = getattr(report.parts, part.id)  # prose the report prints in this part, besides its table
            if around is not None:
                out += [escape(around), ""]
            out += _spec_tables(report, part.id)
        else:
            text = getattr(report.parts, part.id)
            if text is not None:
                out += [escape(text), ""]
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


def read_markdown(text: str, source: str, registry: Registry) -> dict[str, Any]:
    """Canonical data from Markdown written by :func:`render_markdown`."""
    lines = text.lstrip("\ufeff").split("\n")
    data: dict[str, Any] = {}
    meta_by_label = {f.label.zh: f for f in meta_fields()}
    level_by_label = {f"{v.zh}（{k}）": k for k, v in LEVEL_LABELS.items()}
    spec: FormatSpec | None = None
    section: str | None = None  # None: before the first part; a part id; or "provenance"
    table_rows: list[list[str]] = []
    paragraphs: dict[str | None, str] = {}
    block_label: str | None = None  # the ### heading over a table-2 block

    def flush_table(at: int) -> None:
        nonlocal spec
        if not table_rows:
            return
        header, body = table_rows[0], table_rows[2:]
        if section is None:  # the metadata table
            for label, value in body:
                key = unescape(label)
                if key == FORMAT.zh:
                    data["format_version"] = unescape(value)
                elif key == VARIANT.zh:
                    data["variant"] = unescape(value)
                elif key in meta_by_label:
                    f = meta_by_label[key]
                    raw = unescape(value)
                    put(data, f.path, level_by_label.get(raw, raw) if f.key == "agency.level" else from_text(f, raw))
                else:
                    raise _fail(source, at, f"未知的项目：{key}", f"unknown field: {key}")
            spec = spec_for(registry, data.get("format_version"), data.get("variant"))
        elif section == "provenance":
            fields = provenance_fields()
            prov: dict[str, Any] = data.setdefault("provenance", {})
            for row in body:
                entry = {f.key: from_text(f, unescape(v)) for f, v in zip(fields, row[1:], strict=False) if v != ""}
                prov[unescape(row[0])] = entry
        else:
            if spec is None:
                raise _fail(source, at, "表格之前缺少格式版本", "a table before the format version")
            table = spec.table(section)
            columns = [unescape(h) for h in header[1:]]
            block = next((b for b in table.blocks if (b.label.zh if b.label else None) == block_label and [
                f"{c.group.zh} {c.label.zh}" if c.group else c.label.zh for c in b.columns] == columns), None)
            if block is None:
                raise _fail(source, at, f"表头与{table.label.zh}的任何部分都不符", f"a header that fits no block of {table.id}")
            paths = {row.label.zh: path for path, row, _, _ in walk_rows(block.rows)}
            for row in body:
                label = unescape(row[0])
                if label not in paths:
                    raise _fail(source, at, f"未知的行：{label}", f"unknown row: {label}")
                for col, value in zip(block.columns, row[1:], strict=False):
                    pointer = "/" + "/".join((section, *paths[label], col.id))
                    put(data, tuple(pointer.strip("/").split("/")), cell_value(spec, pointer, value))
        table_rows.clear()

    for number, line in enumerate(lines, 1):
        if line.startswith("|"):
            table_rows.append(_cells(line))
            continue
        flush_table(number)
        if line.startswith("### "):
            block_label = unescape(line[4:])
        elif line.startswith("## "):
            block_label = None
            heading = unescape(line[3:])
            if heading == PROVENANCE.zh:
                section = "provenance"
                continue
            if spec is None:
                raise _fail(source, number, "缺少格式版本", "no format version before the first part")
            part = next((p for p in spec.parts if p.heading.zh == heading), None)
            if part is None:
                raise _fail(source, number, f"未知的部分：{heading}", f"unknown part: {heading}")
            section = part.id
        elif line.startswith("# ") or not line.strip():
            continue
        else:
            paragraphs[section] = unescape(line)
    flush_table(len(lines))
    if "format_version" not in data:
        raise _fail(source, 1, "不是 govdisclosure 生成的 Markdown（缺少格式版本表）",
                    "not Markdown written by govdisclosure (no format table)")
    texts = {f.path[1]: f for f in part_fields(spec)} if spec is not None else {}
    for section_id, value in paragraphs.items():
        key = "preamble" if section_id is None else section_id
        if key in texts:
            put(data, texts[key].path, value)
    return data


def _sniff(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("# ") and f"| {FORMAT.zh} |" in text[:3000]


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("markdown", Label("Markdown（GFM 表格）", "Markdown with GFM tables"), ".md", "text/markdown",
                     render_markdown)]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("markdown", Label("govdisclosure 生成的 Markdown", "Markdown written by govdisclosure"),
                   (".md", ".markdown"), read_markdown, sniff=_sniff)]
