"""HTML in the layout of the official form, and the reader that loads it back.

The page is self-contained (embedded CSS, no external assets, screen and A4 print styles,
Chinese font fallbacks); ``fragment=True`` gives the ``<article>`` alone, for pasting into a
site's CMS.  Every cell carries its JSON pointer (``data-cell``) and every envelope field its
name (``data-field``), so that the reader needs no guessing: ``load(render(r, "html")) == r``.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from ..errors import LoadError, problem
from ..findings import Finding, Severity
from ..formats.spec import CellKind, CellSpec, FormatSpec, Part
from ..labels import Label
from ..model import FORMAT_VERSION_DOC, VARIANT_DOC
from ..model.scalars import LEVEL_LABELS, IsoDate
from ..plugins import hookimpl
from . import Loader, Renderer, RenderOptions
from .envelope import cell_text, from_text, integer_or_text, meta_fields, provenance_fields, put, to_text, with_required
from .marks import DOUBT, DOUBTS, doubt_note, in_doubt, place
from .source import LIMITS, check_size, structure

if TYPE_CHECKING:
    from ..ingest.state import State
    from ..model import Report
    from ..registry import Registry

GENERATOR = "govdisclosure"

#: the page around a report (a standalone page only)
PAGE_CSS = """
body { margin: 0; background: #f4f4f4; }
@media print { body { background: #fff; } }
"""

#: the report's own styles, every rule scoped to ``.gd-report`` so that a fragment pasted into a site's CMS
#: keeps its table borders without touching the site
CSS = """
.gd-report { --ink: #111; --rule: #333; --muted: #555; --mark: #fde2e1; --mark-ink: #a40e0e; color: var(--ink);
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "STSong", serif;
  max-width: 60rem; margin: 1.5rem auto; padding: 2rem 2.5rem; background: #fff; line-height: 1.7;
  box-sizing: border-box; }
.gd-report h1 { font-size: 1.6rem; text-align: center; margin: 0 0 1rem; }
.gd-report h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif; }
.gd-report .gd-meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 1rem;
  color: var(--muted); font-size: .95rem; }
.gd-report .gd-meta dt { font-weight: bold; } .gd-report .gd-meta dd { margin: 0; }
.gd-report .gd-text p { margin: 0 0 .4rem; text-indent: 2em; white-space: pre-wrap; min-height: 1em; }
.gd-report .gd-text br.gd-wrap { display: none; }
.gd-report .gd-scroll { overflow-x: auto; max-width: 100%; }
.gd-report .gd-table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem;
  table-layout: auto; }
.gd-report .gd-table th, .gd-report .gd-table td { border: 1px solid var(--rule); padding: .25rem .4rem;
  vertical-align: middle; }
.gd-report .gd-table th { font-weight: normal; text-align: center; background: #fafafa; }
.gd-report .gd-table th.gd-row { text-align: left; }
.gd-report .gd-table th.gd-title { font-weight: bold; text-align: left; }
.gd-report .gd-table th.gd-corner { font-size: .8rem; }
.gd-report .gd-table th.gd-column { word-break: keep-all; }
.gd-report .gd-table td { text-align: center; font-variant-numeric: tabular-nums; min-width: 2.5em; height: 1.7em; }
.gd-report .gd-table td.gd-flag { background: var(--mark); color: var(--mark-ink); font-weight: bold; }
.gd-report .gd-unit { font-size: .8em; color: var(--muted); }
.gd-report .gd-doubt { color: var(--mark-ink); font-weight: bold; cursor: help; }
.gd-report .gd-doubt sup { font-size: .7em; }
.gd-report .gd-doubts { font-size: .85rem; margin: -.5rem 0 1rem; color: var(--muted); }
.gd-report .gd-doubts p { margin: 0; } .gd-report .gd-doubts ol { margin: .2rem 0; padding-left: 1.6rem; }
.gd-report .gd-findings { font-size: .9rem; margin: 0 0 1rem; padding-left: 1.2rem; }
.gd-report .gd-findings .gd-error, .gd-report .gd-findings .gd-fatal { color: var(--mark-ink); }
.gd-report .gd-findings code { font-size: .85em; }
@media print {
  @page { size: A4; margin: 18mm 15mm; }
  .gd-report { max-width: none; margin: 0; padding: 0; }
  .gd-report .gd-scroll { overflow: visible; }
  .gd-report .gd-table { font-size: 9pt; page-break-inside: auto; }
  .gd-report .gd-table thead { display: table-header-group; }
  .gd-report .gd-table tr { page-break-inside: avoid; }
  .gd-report .gd-table td.gd-flag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(text: str) -> str:
    from html import escape  # imported on first use: html's entities cost ~7 ms a start that writes no page

    return escape(text, quote=True)


@functools.lru_cache(maxsize=4096)
def _e_label(text: str) -> str:
    """A label of the form, escaped once (the same few hundred on every page)."""
    return _e(text)


#: characters that reorder the text around them (U+202E shows "收到21件" as "收到件12"): each is kept, and
#: isolated in a <bdi> so that it reorders nothing outside itself
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ISOLATED = r"<bdi>\g<0></bdi>"


#: a line break that only wraps a line of PDF text (text.soft_breaks): kept, so the text reads back the
#: same, but not shown (CSS), so a paragraph reads as one, not as a column of indented fragments
WRAP = '<br class="gd-wrap">'


#: a wrapped line of a printed page holds more than this many display columns (a line of an A4 page holds
#: 50-80; a clerk's list item "一是加强组织领导" 16), so short lines of a list are never run together
WRAPPED_MIN_WIDTH = 40


def _lines(text: str, printed: bool) -> str:
    """The text's paragraphs; for the text of a printed page (``printed``: a parsed report), the lines that
    only wrap it are joined in what is shown.  A text someone typed (a clerk's YAML) keeps every line."""
    soft: frozenset[int] = frozenset()
    if printed and "\n" in text:
        from ..text.sentences import display_width, soft_breaks  # a page's render only: no parse's start

        soft = frozenset(i for i in soft_breaks(text)
                         if display_width(text[text.rfind("\n", 0, i) + 1:i]) >= WRAPPED_MIN_WIDTH)
    out, start = [], 0
    for at in [*sorted(i for i in range(len(text)) if text[i] == "\n" and i not in soft), len(text)]:
        paragraph = text[start:at]
        shown = WRAP.join(_BIDI.sub(_ISOLATED, _e(line)) for line in paragraph.split("\n"))
        out.append(f"<p>{shown}</p>")
        start = at + 1
    return "".join(out)


def _display(field_type: Any, value: Any) -> str:
    if field_type is IsoDate:
        return f"{value.year}年{value.month}月{value.day}日"
    return to_text(value)


@functools.cache
def _table_template(spec: FormatSpec, table_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Static HTML chunks around each value cell, and the cells' pointers, in order: the fast path
    renders a table by interleaving them with the values."""
    chunks: list[str] = []
    pointers: list[str] = []
    buf = [f'<div class="gd-scroll"><table class="gd-table" data-table="{table_id}"><thead>']
    in_head = True
    from .layout import table_layout  # a page's writing only: every registry imports this plugin, a parse no page

    for line in table_layout(spec, table_id):
        if in_head and not line.header:  # the first header lines repeat on every printed page
            buf.append("</thead><tbody>")
            in_head = False
        buf.append("<tr>")
        for slot in line.slots:
            span = (f' colspan="{slot.colspan}"' if slot.colspan > 1 else "") + (
                f' rowspan="{slot.rowspan}"' if slot.rowspan > 1 else "")
            if slot.kind == "value":
                assert slot.cell is not None
                buf.append(f'<td{span} data-cell="{_e(slot.cell.pointer)}"')
                chunks.append("".join(buf))
                pointers.append(slot.cell.pointer)
                buf = ["</td>"]
            else:
                scope = ' scope="row"' if slot.kind in ("row", "group") and not line.header else ""
                buf.append(f'<th class="gd-{slot.kind}"{span}{scope}>{_e(slot.label.zh if slot.label else "")}</th>')
        buf.append("</tr>")
    buf.append("</tbody></table></div>")
    chunks.append("".join(buf))
    return tuple(chunks), tuple(pointers)


def _cell(report: Report, pointer: str, value: Any, flagged: set[str], doubts: list[tuple[CellSpec, Any]]) -> str:
    attrs = ' class="gd-flag"' if pointer in flagged else ""
    unit = mark = ""
    prov = report.provenance.get(pointer)
    if prov is not None:
        for f in provenance_fields():
            v = f.get(prov)
            if v is not None:
                attrs += f' data-{f.key}="{_e(to_text(v))}"'
        if prov.unit:
            unit = f'<span class="gd-unit">{_e(prov.unit)}</span>'
        if in_doubt(prov):  # a visible mark, its note on hover and under the table: never an ordinary blank
            doubts.append((report.spec.cell(pointer), prov))
            note = doubt_note(prov, value is None)
            mark = (f'<span class="gd-doubt" title="{_e(note.zh)} / {_e(note.en)}">{DOUBT}'
                    f"<sup>{len(doubts)}</sup></span>")
    return f"{attrs}>{cell_text(value)}{unit}{mark}"


def render_table(report: Report, table_id: str, flagged: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    chunks, pointers = _table_template(report.spec, table_id)
    values = report.values(table_id)
    special = flagged or report.provenance
    counts_only = _counts_only(report.spec, table_id)  # else cell_text: an amount never in exponent form
    doubts: list[tuple[CellSpec, Any]] = []
    out = [chunks[0]]
    for i, value in enumerate(values):
        if special and (pointers[i] in flagged or pointers[i] in report.provenance):
            out.append(_cell(report, pointers[i], value, flagged, doubts))
        elif value is None:
            out.append(">")
        else:
            out.append(f">{value}" if counts_only else ">" + cell_text(value))
        out.append(chunks[i + 1])
    if doubts:
        out.append(_doubts(report, doubts))
    return "".join(out)


def _doubts(report: Report, doubts: list[tuple[CellSpec, Any]]) -> str:
    """The note under a table on its cells in doubt, each by its labels (a reader does not know pointers)."""
    items = []
    for cell, prov in doubts:
        note, where = doubt_note(prov, report.cell(cell.pointer) is None), place(cell)
        items.append(f"<li>{_e(where.zh)}：{_e(note.zh)}<br>"
                     f'<span lang="en">{_e(where.en)}: {_e(note.en)}</span></li>')
    return (f'<div class="gd-doubts"><p>{DOUBT} {_e(DOUBTS.zh)} / {_e(DOUBTS.en)}</p>'
            f'<ol>{"".join(items)}</ol></div>')


@functools.cache
def _counts_only(spec: FormatSpec, table_id: str) -> bool:
    return all(c.column.kind is not CellKind.AMOUNT for c in spec.cells() if c.table.id == table_id)


def _findings_list(findings: list[Finding], lang: str) -> str:
    items = "".join(
        f'<li class="gd-{f.severity.value}"><code>{_e(f.code)}</code> {_e(f.severity.label.get(lang))}：'
        f"{_e(f.text(lang))}</li>" for f in findings)
    return f'<ul class="gd-findings">{items}</ul>' if items else ""


def render_html(report: Report, /, **options: Any) -> str:
    """The report as a page (or, with ``fragment=True``, an ``<article>`` with its own scoped styles)
    in the layout of the official form.

    ``findings``: cells involved in a failing rule are marked and the findings listed under
    the table they concern (findings about the whole report under the title).
    """
    opts = RenderOptions.of(options)
    spec = report.spec
    by_table: dict[str, list[Finding]] = {}
    for finding in opts.findings:
        by_table.setdefault(finding.pointer.split("/")[1] if finding.pointer.count("/") > 1 else "", []).append(finding)
    out = [f'<article class="gd-report" data-format-version="{_e(spec.version)}"'
           + (f' data-variant="{_e(spec.variant)}"' if spec.variant else "") + ">"]
    if opts.fragment:
        out.append(f"<style>{CSS}</style>")
    if report.title is not None:
        out.append(f'<h1 data-field="title">{_e(report.title)}</h1>')
    out.append(_meta(report, opts.registry))
    out.append(_findings_list(by_table.get("", []), opts.lang))
    if report.parts.preamble is not None:
        preamble = _lines(report.parts.preamble, bool(report.provenance))
        out.append(f'<div class="gd-text" data-field="parts.preamble">{preamble}</div>')
    for part in spec.parts:
        out.append(_part(report, part, by_table, opts.lang))
    out.append("</article>")
    body = "".join(out)
    if opts.fragment:
        return body + "\n"
    title = _e(report.title or f"{report.agency.name or ''}{report.year or ''}年政府信息公开工作年度报告")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="{GENERATOR}"><title>{title}</title>'
            f"<style>{PAGE_CSS}{CSS}</style></head><body>{body}</body></html>\n")


def _meta(report: Report, registry: Registry | None) -> str:
    """The envelope as the published page shows it: names of fields, values in words."""
    out = ['<dl class="gd-meta">']
    for f in meta_fields():
        value = f.get(report)
        if value is None or f.key == "title":
            continue
        shown = LEVEL_LABELS[value].zh if f.key == "agency.level" else _display(f.type, value)
        out.append(f'<dt>{_e_label(f.label.zh)}</dt><dd data-field="{f.key}" data-value="{_e(to_text(value))}">'
                   f"{_e(shown)}</dd>")
    spec = report.spec
    out.append(f"<dt>{_e_label(FORMAT_VERSION_DOC.zh)}</dt><dd>{_e_label(spec.label.zh)}（{_e_label(spec.notice)}）</dd>")
    if spec.variant is not None:  # the regional variant by its own name: where its extra rows come from
        variant = registry.variants.get(spec.variant) if registry is not None else None
        out.append(f"<dt>{_e(VARIANT_DOC.zh)}</dt><dd>{_e(variant.label.zh if variant else spec.variant)}</dd>")
    out.append("</dl>")
    return "".join(out)


def _part(report: Report, part: Part, by_table: dict[str, list[Finding]], lang: str) -> str:
    field = f"parts.{part.id}"
    text = getattr(report.parts, part.id)  # a narrative part, or the prose printed around a table
    out = [f'<section class="gd-part" data-part="{part.number}"><h2>{_e_label(part.heading.zh)}</h2>']
    if text is not None:
        out.append(f'<div class="gd-text" data-field="{field}">{_lines(text, bool(report.provenance))}</div>')
    if part.is_table:
        found = by_table.get(part.id, [])
        flagged = {p for f in found if f.severity.rank <= Severity.WARNING.rank for p in f.pointers}
        out.append(render_table(report, part.id, flagged))
        out.append(_findings_list(found, lang))
    else:
        out.append(_findings_list([f for f in by_table.get("parts", []) if f.pointer == f"/{field.replace('.', '/')}"],
                                  lang))
    out.append("</section>")
    return "".join(out)


# ----------------------------------------------------------------------------- reading back


#: how a page (or a fragment pasted into a site's page) written by :func:`render_html` is known, whatever its
#: text says: the element that opens our report (text of ours never holds a "<"), with its cells marked
OWN_MARK = re.compile(r'<article class="gd-report" data-format-version="')


def cell_value(spec: FormatSpec | None, pointer: str, text: str) -> Any:
    """A cell's text as canonical JSON: null, a count, or an amount's decimal string.

    Only ASCII digits make a count (``int()`` would also take ``١٢`` and ``1_000``); anything else
    stays text, which the loader refuses with its place."""
    text = text.strip()
    if text == "":
        return None
    try:
        kind = spec.cell(pointer).column.kind if spec is not None else None
    except KeyError:
        kind = None  # an unknown cell: the loader reports it with its pointer
    return text if kind is CellKind.AMOUNT else integer_or_text(text)


def spec_for(registry: Registry, version: str | None, variant: str | None) -> FormatSpec | None:
    """The resolved format a document of ours names, or None (the loader then reports what is wrong)."""
    try:
        return registry.format(version or "", variant or None)
    except (KeyError, TypeError):
        return None


def read_html(data: bytes | str, source: str, registry: Registry) -> Any:
    """A report from a page written by :func:`render_html` (or a page holding such a fragment), known by
    its own mark; any other page is parsed as a published report (:mod:`govdisclosure.ingest`)."""
    text, ours = _page(data, source)
    if not ours:
        from ..ingest import parse

        return parse(text, from_="html", registry=registry)
    return _read_own(text, source, registry)


def begin_html(data: bytes | str, source: str, registry: Registry) -> State | None:
    """The state :func:`read_html` runs the parser's stages from for a published page (a batch runs them over many
    inputs at once); None for a page of ours, which is read otherwise."""
    from ..ingest import _begun

    text, ours = _page(data, source)
    return None if ours else _begun(text, "html", None, registry)


def _page(data: bytes | str, source: str) -> tuple[str, bool]:
    """A page's text, and whether it is ours (our article, and its cells: read as such, not parsed)."""
    from ..ingest.charset import decode_bytes

    text = decode_bytes(data, source) if isinstance(data, bytes) else data
    return text, OWN_MARK.search(text) is not None and "data-cell=" in text


def _read_own(text: str, source: str, registry: Registry) -> Any:
    check_size(text, source)
    from ._page_reader import Reader

    reader = Reader()
    reader.feed(text)
    reader.close()
    if reader.version is None or not reader.cells:
        raise LoadError([problem("GD-LOAD-INPUT", "", Label(
            "不是 govdisclosure 生成的 HTML（缺少 data-format-version 与 data-cell 标记）",
            "not HTML written by govdisclosure (no data-format-version and data-cell marks)"))], source)
    if reader.repeated:
        raise LoadError([problem("GD-LOAD-SYNTAX", pointer, Label(
            f"重复：第 {first} 行已给出此项", f"repeated: line {first} gives it already"), line=line)
            for pointer, line, first in reader.repeated[:LIMITS.problems]], source)
    data: dict[str, Any] = {"format_version": reader.version, "variant": reader.variant or None}
    by_key = {f.key: f for f in meta_fields()}
    for key, value in reader.fields.items():
        field = by_key.get(key)
        put(data, tuple(key.split(".")), from_text(field, value) if field else value)
    for key, lines in reader.texts.items():
        put(data, tuple(key.split(".")), "\n".join(lines))
    spec = spec_for(registry, reader.version, reader.variant)
    for pointer, value in reader.cells.items():
        put(data, tuple(pointer.strip("/").split("/")), cell_value(spec, pointer, value))
    if reader.provenance:
        fields = {f.key: f for f in provenance_fields()}
        data["provenance"] = {p: {k: from_text(fields[k], v) for k, v in prov.items()}
                              for p, prov in reader.provenance.items()}
    return structure(with_required(data), source, registry, reader.positions)


def _sniff(text: str) -> bool:
    # lowered only as far as the marks reach (a character lowers to one or more: the prefix is the same); lowering
    # 2,000 characters of a text report was ~17 µs of every input sniffed
    head = text.lstrip()[:len("<!doctype html")].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or head.startswith("<article")


@hookimpl
def register_renderers() -> list[Renderer]:
    return [Renderer("html", Label("HTML（官方表格版式）", "HTML in the official layout"), ".html", "text/html",
                     render_html)]


@hookimpl
def register_loaders() -> list[Loader]:
    return [Loader("html", Label("HTML：govdisclosure 生成的，或发布的网页", "HTML: written by govdisclosure, or a "
                                                                      "published page"),
                   (".html", ".htm"), read_html, sniff=_sniff, binary=True, priority=5)]
