"""Published Word documents laid out otherwise than one report under its title (probe 12a): two reports in one
document, a red header (发文机关标志, 文号) above the title, a table printed twice.  Each is built here from a report
rendered by the plugin, its envelope property removed (a published document: its envelope read from its words),
then changed with python-docx as a clerk would."""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx_helpers import document, render, save, unique_report
from govdisclosure_docx.reader import read_docx

import govdisclosure as gd
from govdisclosure.model.scalars import Text


def _report(agency: str, preamble: str, other: str) -> gd.Report:
    report = unique_report("2021")
    parts = attrs.evolve(report.parts, preamble=Text(preamble), other=Text(other))
    return attrs.evolve(report, agency=attrs.evolve(report.agency, name=Text(agency)), parts=parts,
                        title=Text(f"{agency}2024年政府信息公开工作年度报告"), year=2024)


def _published(report: gd.Report, plain: bool = False) -> Any:
    """The report as a Word document without its envelope property; ``plain``: every paragraph in the default
    style, as a clerk's document that fills the template by hand."""
    doc = document(render(report))
    package = doc.part.package
    rid = next(r for r in package.rels.values() if r.reltype == RT.CUSTOM_PROPERTIES).rId
    package.rels.pop(rid)
    if plain:
        for p in doc.paragraphs:
            p.style = doc.styles["Normal"]
    return doc


def _cells(report: gd.Report) -> dict[str, Any]:
    data = gd.to_data(report)
    out = {}
    for cell in report.spec.cells():
        node: Any = data
        for k in cell.pointer.strip("/").split("/"):
            node = node[k]
        out[cell.pointer] = node
    return out


FIRST = _report("临江县教育局", "本报告根据条例编制。", "本年度未收取信息处理费。")
SECOND = _report("临江县卫生健康局", "本报告由卫生健康局编制。", "卫生健康局另需报告的事项。")


@pytest.mark.parametrize("plain", [False, True], ids=["styled", "plain"])
@pytest.mark.parametrize("page_break", [True, False], ids=["page-break", "run-on"])
def test_a_second_report_in_the_same_document_is_not_the_first_reports_text(plain: bool, page_break: bool) -> None:
    """Probe 12a #4: two agencies' reports in one .docx. The first report's part 6 took the whole second report
    (title, preamble, headings, text), while the parser's finding said it was not read, and each of the second's
    table rows was said to be printed twice (45 DOCX-ROW-DUPLICATE). Now the first ends where the second starts, as
    the PDF of the same document does: one finding, the first's cells."""
    doc = _published(FIRST, plain)
    if page_break:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for child in _published(SECOND, plain).element.body:
        if child.tag != qn("w:sectPr"):
            sect.addprevious(copy.deepcopy(child))
    data, findings = read_docx(save(doc), "two.docx")
    read = gd.from_data(data)
    assert read.title == FIRST.title and read.agency.name == FIRST.agency.name
    assert _cells(read) == _cells(FIRST)
    assert read.parts.other is not None and read.parts.other.startswith("本年度未收取信息处理费。")
    assert "卫生健康局" not in read.parts.other  # neither the second's title nor its words
    assert read.parts.preamble == "本报告根据条例编制。"
    codes = [f.code for f in findings]
    assert codes.count("GD-PARSE-SECOND-REPORT") == 1
    assert "DOCX-ROW-DUPLICATE" not in codes


def test_a_table_printed_twice_is_said_once_a_row() -> None:
    """Table 4 printed twice: each of its three rows (复议, two kinds of suit) said once, not once a cell (15)."""
    doc = _published(FIRST)
    tables = doc.element.body.findall(qn("w:tbl"))
    tables[-1].addnext(copy.deepcopy(tables[-1]))
    data, findings = read_docx(save(doc), "twice.docx")
    duplicates = [f for f in findings if f.code == "DOCX-ROW-DUPLICATE"]
    assert sorted(f.pointer for f in duplicates) == ["/review_litigation/litigation_after_review",
                                                     "/review_litigation/litigation_direct",
                                                     "/review_litigation/review"]
    assert _cells(gd.from_data(data)) == _cells(FIRST)


HEADERS = {
    "red-header": ["临江县教育局文件", "临教发〔2025〕3号"],
    "issuer-line": ["临江县教育局文件", "临教发〔2025〕3号　　　　签发人：张三"],
    "one-line": ["临江县教育局办公室"],
}


@pytest.mark.parametrize("header", sorted(HEADERS))
@pytest.mark.parametrize("wrapped", [False, True], ids=["one-line-title", "wrapped-title"])
def test_a_red_header_above_the_title_is_no_preamble(header: str, wrapped: bool) -> None:
    """Probe 12a #8: 发文机关标志 and 文号 above the title: the preamble began with them and the title itself; the
    title was taken out of the preamble only when it was the document's first paragraph. Now the title and what
    stands above it are not the preamble (as in the PDF of the same document)."""
    doc = _published(FIRST, plain=True)
    title = doc.paragraphs[0]
    assert title.text == FIRST.title
    if wrapped:  # the agency on one line, the rest of the title on the next
        title.text = "临江县教育局"
        rest = copy.deepcopy(title._p)
        title._p.addnext(rest)
        Paragraph(rest, title._parent).text = "2024年政府信息公开工作年度报告"
    first = doc.paragraphs[0]
    for line in HEADERS[header]:
        first.insert_paragraph_before(line)
    first.insert_paragraph_before("")  # a blank line between the header and the title
    read = gd.loads(save(doc), source="red.docx")
    assert read.title == FIRST.title
    assert read.parts.preamble == "本报告根据条例编制。"
    assert _cells(read) == _cells(FIRST)
