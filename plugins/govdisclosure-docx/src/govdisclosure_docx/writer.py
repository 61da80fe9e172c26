"""The report as a Word document in the layout of the official template.

The package (styles, page set-up, properties) is made with python-docx once per process, and a
report fills in its body, title and envelope; the body is WordprocessingML written from core's
layout (:func:`govdisclosure.io.layout.table_layout`), each table's XML cached per format as
static chunks around its value cells, as core's HTML renderer does, so that a report costs
little more than its values.  Every label comes from the
declaration.  The report's envelope (everything but the tables and the narrative) travels in a
custom document property, so that the loader gives back exactly the report rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import attrs

import govdisclosure as gd
from govdisclosure.formats.spec import FormatSpec, Label
from govdisclosure.io.layout import table_layout
from govdisclosure.io.marks import DOUBT, DOUBTS, doubt_note, in_doubt, shown_unit
from govdisclosure.io.marks import place as cell_place
from govdisclosure.model import DOC
from govdisclosure.model import Report as BaseReport

from . import style
from .grid import Placed, PlacedTable, place

if TYPE_CHECKING:
    from govdisclosure.model import Report

__all__ = ["ENVELOPE_PROPERTY", "default_title", "render_docx"]

#: the custom document property that holds the report's envelope (canonical JSON)
ENVELOPE_PROPERTY = "govdisclosure-envelope"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every custom property carries

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: characters a run writes as elements: a tab, a line break within the paragraph, a carriage return
_SPECIAL = re.compile("([\t\n\r])")
_ELEMENT = {"\t": "<w:tab/>", "\n": "<w:br/>", "\r": "<w:cr/>"}


def default_title(agency: str | None, year: int | None) -> str:
    """The title printed when the report has none: agency, year, the name of the report."""
    return f"{agency or ''}{f'{year}年' if year is not None else ''}政府信息公开工作年度报告"


# ----------------------------------------------------------------------------- the package


def _east_asian(element: Any, font: str) -> None:
    from docx.oxml.ns import qn

    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


@attrs.frozen
class _Package:
    """The parts of an empty document, and where a report's body, title and envelope go."""

    parts: tuple[tuple[str, bytes], ...]  #: zip member name -> content, in the package's order
    document: str  #: member name of the main document part
    body_at: tuple[str, str]  #: the main part's XML before and after the body's content
    core: str  #: member name of the core properties
    custom: str  #: member name of the custom properties


_TITLE, _SUBJECT, _ENVELOPE = "GOVDISCLOSURE-TITLE", "GOVDISCLOSURE-SUBJECT", "GOVDISCLOSURE-ENVELOPE"


@functools.cache
def _package() -> _Package:
    """An empty document with the template's page and the styles the body uses, made once by
    python-docx; a report only fills its body, title and envelope in (which spares opening and
    serialising every part of the package again for each report)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor, Twips

    doc = docx.Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(style.PAGE_WIDTH), Twips(style.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(style.MARGIN_TOP), Twips(style.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(style.MARGIN_LEFT), Twips(style.MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(style.HEADER_DISTANCE), Twips(style.FOOTER_DISTANCE)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(style.BODY_SIZE / 2)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _east_asian(normal.element, style.SONG)
    lang = normal.element.get_or_add_rPr().makeelement(qn("w:lang"), {qn("w:val"): "en-US", qn("w:eastAsia"): "zh-CN"})
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    # single-spaced: the template's 15.6 pt line grid would double every line set in a CJK font taller
    # than 宋体 (LibreOffice's Noto), so lines are spaced as they print with 宋体 and no grid is set
    normal.paragraph_format.line_spacing = 1.0

    def paragraph_style(style_id: str, size: int, *, bold: bool = False, align: Any = None,
                        indent: int | None = None, before: int = 0, after: int = 0) -> Any:
        s = styles.add_style(f"GD {style_id[2:]}", WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        s.quick_style = True
        s.font.size = Pt(size / 2)
        s.font.bold = bold
        fmt = s.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Twips(indent) if indent is not None else None
        fmt.space_before, fmt.space_after = Twips(before), Twips(after)
        return s

    paragraph_style(style.TITLE, style.TITLE_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=312, after=312)
    heading = paragraph_style(style.HEADING, style.BODY_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                              indent=style.FIRST_LINE_INDENT, before=156, after=78)
    heading.paragraph_format.keep_with_next = True
    ppr = heading.element.get_or_add_pPr()
    ppr.append(ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): "0"}))  # the navigation pane lists the parts
    paragraph_style(style.BODY, style.BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=style.FIRST_LINE_INDENT)
    paragraph_style(style.CELL, style.TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(style.SIGNATURE, style.BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph_style(style.PUBLISHED, style.BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, before=156)
    note = styles.add_style("GD Note", WD_STYLE_TYPE.CHARACTER)
    _east_asian(note.element, style.KAI)
    paragraph_style(style.DOUBT_NOTE, style.NOTE_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, after=40)
    doubt = styles.add_style("GD Doubt", WD_STYLE_TYPE.CHARACTER)
    doubt.font.bold = True
    doubt.font.color.rgb = RGBColor.from_string(style.DOUBT_COLOR)

    doc.core_properties.language = "zh-CN"
    doc.core_properties.author = ""
    doc.core_properties.comments = "govdisclosure"
    doc.core_properties.title, doc.core_properties.subject = _TITLE, _SUBJECT
    _prune(doc)
    package = doc.part.package
    custom = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, _custom_properties(_ENVELOPE), package)
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as z:
        parts = tuple((name, z.read(name)) for name in z.namelist())
    document = doc.part.partname.membername
    xml = dict(parts)[document].decode("utf-8")
    body = re.search(r"<w:body[^>]*>", xml)
    assert body is not None
    return _Package(parts, document, (xml[:body.end()], xml[body.end():]), "docProps/core.xml",
                    custom.partname.membername)


def _prune(doc: Any) -> None:
    """Leave out what python-docx's own template carries and this document does not use: its
    thumbnail (a picture of another document), the Word 2010 copy of the styles, bibliography
    sources, and the styles and latent styles no paragraph uses (the defaults and ours stay)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    unused = {RT.THUMBNAIL, RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in unused]:
            del rels[rid]
    styles = doc.styles.element
    for child in list(styles):
        if child.tag == qn("w:latentStyles") or (
                child.tag == qn("w:style") and child.get(qn("w:default")) != "1"
                and not (child.get(qn("w:styleId")) or "").startswith("GD")):
            styles.remove(child)


# ----------------------------------------------------------------------------- text


def _clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def _run(text: str, char_style: str | None = None) -> str:
    if not text:
        return ""
    rpr = f'<w:rPr><w:rStyle w:val="{char_style}"/></w:rPr>' if char_style else ""
    inner = "".join(_ELEMENT.get(p) or f'<w:t xml:space="preserve">{escape(p)}</w:t>'
                    for p in _SPECIAL.split(_clean(text)) if p)
    return f"<w:r>{rpr}{inner}</w:r>"


def _paragraph(text: str, style_id: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{_run(text)}</w:p>'


def _paragraphs(text: str, style_id: str) -> str:
    """One paragraph per line, as a clerk types them (an empty line stays an empty paragraph; a
    carriage return before the line's end stays one)."""
    return "".join(_paragraph(line, style_id) for line in text.split("\n"))


def _note_split(label: str) -> tuple[str, str]:
    """(text, note): a label's closing parenthesised sentence is its note (set in 楷体)."""
    if label.endswith(style.NOTE_CLOSE):
        start = label.rfind(style.NOTE_OPEN)
        if start >= 0 and style.NOTE_COMMA in label[start:]:
            return label[:start], label[start:]
    return label, ""


def _label_runs(label: Label | None) -> str:
    if label is None:
        return ""
    text, note = _note_split(label.zh)
    return _run(text) + _run(note, style.NOTE)


# ----------------------------------------------------------------------------- tables


def _align(p: Placed, table: PlacedTable, header: bool) -> str:
    kind = p.slot.kind
    if kind == "title":
        return "left"
    if kind == "corner" and p.slot.label is not None and not _note_split(p.slot.label.zh)[0]:
        return "both"  # a note
    if kind in ("row", "group") and not header and table.label_columns > 1:
        return "left"  # labels beside their groups (table 3); alone in their column (table 2) they are centred
    return "center"


def _tc(width: int, span: int, merge: str | None, jc: str) -> tuple[str, str, str]:
    """A cell as (start of its properties, rest of them and its paragraph's start, end): the
    shading goes between the first two, the runs between the last two."""
    pr = f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        pr += "<w:vMerge/>"
    return (pr, f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="{style.CELL}"/>'
                f'<w:jc w:val="{jc}"/></w:pPr>', "</w:p></w:tc>")


def _shading(fill: str | None) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""


@functools.cache
def _table_template(spec: FormatSpec, table_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Static XML around each value cell (a value cell is ``chunk + [shading] + chunk + text``),
    and the value cells' pointers in order."""
    table = place(table_layout(spec, table_id))
    pieces: list[str] = []
    pointers: list[str] = []
    b = f'w:val="single" w:sz="{style.BORDER}" w:space="0" w:color="000000"'
    pieces.append(
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(table.widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders><w:top {b}/><w:left {b}/><w:bottom {b}/><w:right {b}/><w:insideH {b}/><w:insideV {b}/>"
        f'</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{style.CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{style.CELL_MARGIN}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in table.widths) + "</w:tblGrid>")
    repeat = not any(p.slot.kind == "title" for row in table.rows[:table.header_rows] for p in row)
    open_merges: dict[int, tuple[int, int]] = {}  # grid column -> (last row, colspan) of a rowspan
    for r, row in enumerate(table.rows):
        header = all(p.slot.kind != "value" for p in row)
        trpr = f'<w:cantSplit/><w:trHeight w:val="{style.ROW_HEIGHT}" w:hRule="atLeast"/>'
        if repeat and r < table.header_rows:
            trpr += "<w:tblHeader/>"
        pieces[-1] += f"<w:tr><w:trPr>{trpr}<w:jc w:val=\"center\"/></w:trPr>"
        starts = {p.col: p for p in row}
        col = 0
        while col < table.columns:
            if col in open_merges and open_merges[col][0] >= r:
                span = open_merges[col][1]
                pieces[-1] += "".join(_tc(sum(table.widths[col:col + span]), span, "continue", "center"))
                col += span
                continue
            p = starts.get(col)
            if p is None:  # a row shorter than the grid (never in core's layouts): an empty cell keeps it whole
                pieces[-1] += "".join(_tc(table.widths[col], 1, None, "center"))
                col += 1
                continue
            slot = p.slot
            span = slot.colspan
            width = sum(table.widths[col:col + span])
            merge = "restart" if slot.rowspan > 1 else None
            if slot.rowspan > 1:
                open_merges[col] = (r + slot.rowspan - 1, span)
            if slot.kind == "value":
                assert slot.cell is not None
                head, middle, tail = _tc(width, span, merge, "center")
                pieces[-1] += head
                pieces.append(middle)
                pieces.append(tail)
                pointers.append(slot.cell.pointer)
            else:
                head, middle, tail = _tc(width, span, merge, _align(p, table, header))
                fill = style.TITLE_FILL if slot.kind == "title" else None
                pieces[-1] += head + _shading(fill) + middle + _label_runs(slot.label) + tail
            col += span
        pieces[-1] += "</w:tr>"
    pieces[-1] += "</w:tbl>"
    return tuple(pieces), tuple(pointers)


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def cell_shown(report: Report, pointer: str, value: Any, doubts: list[str]) -> tuple[str, str]:
    """(text, mark) a value cell prints: the value, an amount's published unit after it (``251000元``), and for a
    cell in doubt its mark and note's number (``？1``, its pointer appended to ``doubts``); the reader takes the
    unit and the mark off again."""
    prov = report.provenance.get(pointer)
    text = _value(value)
    if prov is None:
        return text, ""
    if value is not None:
        text += shown_unit(report.spec.cell(pointer), prov)
    if not in_doubt(prov):
        return text, ""
    doubts.append(pointer)
    return text, f"{DOUBT}{len(doubts)}"


def table_xml(report: Report, table_id: str, flagged: frozenset[str] = frozenset()) -> str:
    """One table of the report as WordprocessingML (``w:tbl``), and the notes on its cells in doubt under it."""
    chunks, pointers = _table_template(report.spec, table_id)
    out = [chunks[0]]
    doubts: list[str] = []
    for i, value in enumerate(report.values(table_id)):
        if pointers[i] in flagged:
            out.append(_shading(style.FLAG_FILL))
        out.append(chunks[2 * i + 1])
        text, mark = cell_shown(report, pointers[i], value, doubts)
        out.append(_run(text) + _run(mark, style.DOUBT))
        out.append(chunks[2 * i + 2])
    if doubts:
        out.append(_paragraph(f"{DOUBT} {DOUBTS.zh} / {DOUBTS.en}", style.DOUBT_NOTE))
        for n, pointer in enumerate(doubts, 1):
            prov = report.provenance[pointer]
            note, where = doubt_note(prov, report.cell(pointer) is None), cell_place(report.spec.cell(pointer))
            out.append(_paragraph(f"{n}. {where.zh}：{note.zh}（{where.en}: {note.en}）", style.DOUBT_NOTE))
    return "".join(out)


# ----------------------------------------------------------------------------- the document


def _flagged(findings: Iterable[Any] | None) -> frozenset[str]:
    out: set[str] = set()
    for f in findings or ():
        if getattr(f.severity, "rank", 3) <= 2:
            out.update(f.pointers or ((f.pointer,) if f.pointer else ()))
    return frozenset(out)


def _date(value: Any) -> str:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return f"{day.year}年{day.month}月{day.day}日"


def body_xml(report: Report, findings: Iterable[Any] | None = None) -> str:
    """The document's body: title, preamble, the six parts, and the closing where it is the report's own."""
    spec = report.spec
    flagged = _flagged(findings)
    title = report.title if report.title is not None else default_title(report.agency.name, report.year)
    out = [_paragraph(title, style.TITLE)]
    parts = report.parts
    if parts.preamble is not None:
        out.append(_paragraphs(parts.preamble, style.BODY))
    for part in spec.parts:
        out.append(_paragraph(part.heading.zh, style.HEADING))
        text = getattr(parts, part.id, None)
        if text is not None:
            out.append(_paragraphs(text, style.BODY))
        if part.is_table:
            out.append(table_xml(report, part.id, flagged))
    out.append(_closing(report))
    return "".join(out)


#: the field's own label (发布日期), as the HTML page's metadata names it
PUBLISHED_ON: Label = attrs.fields_dict(BaseReport)["published_on"].metadata[DOC]
#: a line that is a date alone, as a signature prints it (2021年1月20日, 二〇二一年一月二十日)
_DATE_LINE = re.compile(r"\s*(?:[12]\d{3}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d〇零一二三四五六七八九十]{1,3}\s*月"
                        r"\s*[\d〇零一二三四五六七八九十]{1,3}\s*日\s*")
#: the closing of the report as the source printed it: the agency and the date, on the text's last lines
SIGNED = 2


def _last_text(report: Report) -> str:
    parts = report.parts
    for part in reversed(report.spec.parts):
        text = getattr(parts, part.id, None)
        if isinstance(text, str) and text.strip():
            return text
    return parts.preamble or ""


def source_signed(report: Report) -> bool:
    """Whether the report's text ends with its own signature (a date alone on one of its last lines), as a
    parsed report keeps it (呼图壁 2020 ends 呼图壁县商务和工业信息化局 / 2021年1月20日)."""
    lines = [line for line in _last_text(report).split("\n") if line.strip()]
    return any(_DATE_LINE.fullmatch(line) for line in lines[-SIGNED:])


def parsed(report: Report) -> bool:
    """Whether the report was read from a published text (the parser leaves provenance or the counts its
    narrative states), not written by a clerk (``govdisclosure new``, or a JSON of their own)."""
    return bool(report.provenance) or report.stated is not None


def _closing(report: Report) -> str:
    """The 落款 under the text, only where it is the report's own.

    - the text already ends with its signature (a parsed report keeps it): nothing more, never twice;
    - a parsed report that printed none: its date is where it was posted (the web page's 发布时间), not a
      signature: written as what it is, 「发布日期：…」, left-aligned;
    - a report written here (``govdisclosure new``): the agency's own document, signed as an agency signs
      (GB/T 9704: the agency, then the date, right-aligned), with its ``published_on``; the official
      template leaves the closing to the agency.
    """
    if report.published_on is None or source_signed(report):
        return ""
    if parsed(report):
        return _paragraph(f"{PUBLISHED_ON.zh}：{_date(report.published_on)}", style.PUBLISHED)
    out = _paragraph(report.agency.name, style.SIGNATURE) if report.agency.name else ""
    return out + _paragraph(_date(report.published_on), style.SIGNATURE)


def envelope(report: Report) -> dict[str, Any]:
    """The canonical JSON of the report less its tables and narrative parts."""
    data = gd.to_data(report)
    skip = {t.id for t in report.spec.tables} | {"parts"}
    return {k: v for k, v in data.items() if k not in skip}


def _custom_properties(value: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{_CUSTOM_NS}" '
            f'xmlns:vt="{_VT_NS}"><property fmtid="{_FMTID}" pid="2" name="{ENVELOPE_PROPERTY}">'
            f"<vt:lpwstr>{value}</vt:lpwstr></property></Properties>").encode()


def render_docx(report: Report, *, findings: Iterable[Any] | None = None, **_: Any) -> bytes:
    """The report as a .docx file (bytes) in the official template's layout.

    ``findings``: cells a finding of severity warning or worse concerns are shaded.
    """
    package = _package()
    title = report.title if report.title is not None else default_title(report.agency.name, report.year)
    env = json.dumps(envelope(report), ensure_ascii=False, separators=(",", ":"))
    head, tail = package.body_at
    filled = {
        package.document: (head + body_xml(report, findings) + tail).encode("utf-8"),
        package.core: dict(package.parts)[package.core].replace(_TITLE.encode(), escape(_clean(title)).encode())
        .replace(_SUBJECT.encode(), escape(report.spec.label.zh).encode()),
        package.custom: dict(package.parts)[package.custom].replace(_ENVELOPE.encode(), escape(_clean(env)).encode()),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in package.parts:
            z.writestr(name, filled.get(name, data))
    return buf.getvalue()
