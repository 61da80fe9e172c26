"""The Word document as a clerk opens it: read back with python-docx, every cell against the report and
every merge against the layout core derives from the declaration."""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import govdisclosure_docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx_helpers import EXAMPLES, document, render, save, unique_report

import govdisclosure as gd
from govdisclosure.formats.spec import Label, Row, RowAddition, Variant
from govdisclosure.io.layout import table_layout
from govdisclosure.io.marks import shown_unit
from govdisclosure.model.scalars import Text
from govdisclosure.plugins import hookimpl
from govdisclosure.testing import use_plugins


def _rectangles(table: Any) -> list[tuple[int, int, str]]:
    """(rowspan, colspan, text) of each distinct cell, in the order a reader meets them (row by row)."""
    grid = [[c._tc for c in row.cells] for row in table.rows]
    first: dict[Any, tuple[int, int]] = {}
    last: dict[Any, tuple[int, int]] = {}
    order = []
    for r, row in enumerate(grid):
        for c, tc in enumerate(row):
            if tc not in first:
                first[tc] = (r, c)
                order.append(tc)
            last[tc] = (r, c)
    out = []
    for tc in order:
        (r0, c0), (r1, c1) = first[tc], last[tc]
        text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
        out.append((r1 - r0 + 1, c1 - c0 + 1, text))
    return out


def _expected(report: gd.Report, table_id: str) -> list[tuple[int, int, str]]:
    values = dict(zip([c.pointer for c in report.spec.cells() if c.table.id == table_id], report.values(table_id),
                      strict=True))
    out = []
    for line in table_layout(report.spec, table_id):
        for slot in line.slots:
            if slot.kind == "value":
                assert slot.cell is not None
                value = values[slot.cell.pointer]
                # an amount in the unit it was published in (pingtan-2020's 73802895.90元, as the HTML page shows it)
                text = "" if value is None else str(value) + shown_unit(slot.cell, report.provenance.get(slot.cell.pointer))
            else:
                text = slot.label.zh if slot.label else ""
            out.append((slot.rowspan, slot.colspan, text))
    return out


@pytest.mark.parametrize("example", ["pingtan-2020", "huaian-city-2024", "hutubi-shanggongxinju-2020"])
def test_every_cell_and_merge_is_the_layout_core_derives(example: str) -> None:
    report = gd.load(EXAMPLES / f"{example}.json")
    doc = document(render(report))
    tables = [p.id for p in report.spec.parts if p.is_table]
    assert len(doc.tables) == len(tables)
    for table, table_id in zip(doc.tables, tables, strict=True):
        assert _rectangles(table) == _expected(report, table_id), table_id


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_distinct_values_land_in_their_cells(version: str) -> None:
    report = unique_report(version)
    doc = document(render(report))
    for table, part in zip(doc.tables, [p for p in report.spec.parts if p.is_table], strict=True):
        assert _rectangles(table) == _expected(report, part.id)


def test_blank_cells_stay_empty_and_zero_is_printed() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    data = gd.to_data(report)
    data["requests"]["granted"]["research"] = None
    data["requests"]["granted"]["natural_person"] = 0
    changed = gd.from_data(data)
    rects = _rectangles(document(render(changed)).tables[1])
    assert rects == _expected(changed, "requests")
    texts = [t for _, _, t in rects]
    assert "" in texts  # the blank cell
    row = report.spec.cell("/requests/granted/natural_person").row.label.zh
    at = texts.index(row)
    assert texts[at + 1] == "0" and texts[at + 3] == ""


def test_page_and_fonts_are_the_templates() -> None:
    doc = document(render(gd.load(EXAMPLES / "huaian-city-2024.json")))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert abs(section.top_margin - Mm(25.4)) < Mm(0.1) and abs(section.left_margin - Mm(31.75)) < Mm(0.1)
    normal = doc.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert normal.font.size.pt == 12
    title = doc.paragraphs[0]
    assert title.style.font.bold and title.style.font.size.pt == 18
    cell_style = doc.styles["GD Cell"]
    assert cell_style.font.size.pt == 10
    note = doc.styles["GD Note"]
    assert note.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"
    # the notes in parentheses are set in 楷体, as in the template
    spec = gd.load(EXAMPLES / "huaian-city-2024.json").spec
    corner = spec.table("requests").blocks[0].corner
    assert corner is not None
    runs = [r for r in doc.tables[1].rows[0].cells[0].paragraphs[0].runs]
    assert "".join(r.text for r in runs) == corner.zh and all(r.style.name == "GD Note" for r in runs)


def test_the_words_a_reader_sees_in_order() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    doc = document(render(report))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == report.title
    headings = [p.text for p in doc.paragraphs if p.style.name == "GD Heading"]
    assert headings == [p.heading.zh for p in report.spec.parts]
    body = "\n".join(texts)
    assert report.parts.overview is not None and report.parts.overview in body
    assert report.parts.problems is not None and report.parts.problems.split("\n")[0] in body
    # each table sits under its part's heading, and only there
    tokens: list[str] = []
    for el in doc.element.body:
        text = "".join(t.text or "" for t in el.iter(qn("w:t")))
        if el.tag == qn("w:tbl"):
            tokens.append("table")
        elif el.tag == qn("w:p") and text in headings:
            tokens.append(text)
    expected: list[str] = []
    for part in report.spec.parts:
        expected += [part.heading.zh] + (["table"] if part.is_table else [])
    assert tokens == expected


def test_a_report_without_title_gets_the_usual_one_and_dates_are_signed() -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    untitled = attrs.evolve(report, title=None)
    doc = document(render(untitled))
    assert doc.paragraphs[0].text == f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
    if report.published_on is not None:
        d = report.published_on
        assert doc.paragraphs[-1].text == f"{d.year}年{d.month}月{d.day}日"


def test_findings_shade_the_cells_they_concern() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    findings = [f for f in gd.validate(report) if f.severity.rank <= 1]
    assert findings
    doc = document(render(report, findings=findings))
    shaded = {tc for row in doc.tables[1].rows for tc in (c._tc for c in row.cells)
              if tc.tcPr is not None and tc.tcPr.find(qn("w:shd")) is not None}
    assert shaded
    plain = document(render(report))
    assert not any(c._tc.tcPr.find(qn("w:shd")) is not None for row in plain.tables[1].rows for c in row.cells)


def test_hostile_text_is_text() -> None:
    report = gd.load(EXAMPLES / "hutubi-shanggongxinju-2020.json")
    nasty = "<w:p>&amp; </w:t>]]> =1+2 @SUM(A1) \x01\x0b\tTab ＜script＞alert(1)</script>"
    parts = attrs.evolve(report.parts, overview=Text(nasty), problems=Text("x" * 20000))
    doc = document(render(attrs.evolve(report, parts=parts, title=Text("<b>标题</b> & co"))))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "<b>标题</b> & co"
    assert "<w:p>&amp; </w:t>]]> =1+2 @SUM(A1) \tTab ＜script＞alert(1)</script>" in texts


class _VariantPlugin:
    VARIANT = Variant(id="testrow", extends="2021", label=Label("测试变体", "test variant"), add_rows=(
        RowAddition("proactive", after="normative_documents",
                    rows=(Row("testrow_extra", Label("测试增列的行", "A row the test adds")),)),))

    @hookimpl
    def register_variants(self) -> list[Variant]:
        return [self.VARIANT]


def test_a_variants_rows_are_laid_out_from_the_declaration() -> None:
    with use_plugins(govdisclosure_docx, _VariantPlugin()):
        data = gd.to_data(gd.load(EXAMPLES / "huaian-city-2024.json"))
        data["variant"] = "testrow"
        data["proactive"]["testrow_extra"] = {"issued": 7, "repealed": 8, "in_force": 9}
        report = gd.from_data(data)
        doc = document(render(report))
        assert _rectangles(doc.tables[0]) == _expected(report, "proactive")
        assert [c.text for c in doc.tables[0].rows[4].cells] == ["测试增列的行", "7", "8", "9"]


PUBLISHED = EXAMPLES / "published"


def test_a_cell_the_parser_could_not_split_is_marked_and_noted() -> None:
    """(review4 R-c) 平潭 2020's 规范性文件 7777166: three counts run together. The cell shows a red ？ and its
    note's number, and a note under the table says, by labels, what was printed; the document reads back."""
    report = gd.read(PUBLISHED / "009-pingtan-2020-zfxxgknb.txt").report
    data = render(report)
    doc = document(data)
    row = next(r for r in doc.tables[0].rows if r.cells[0].text == "规范性文件")
    assert [c.text for c in row.cells[1:]] == ["？1", "？2", "？3"]
    run = row.cells[1].paragraphs[0].runs[0]
    assert run.style.name == "GD Doubt" and run.style.font.bold
    notes = [p.text for p in doc.paragraphs if p.style.name == "GD DoubtNote"]
    assert notes[0] == "？ 存疑单元格 / Cells in doubt"
    assert notes[1].startswith("1. 第二十条第（一）项 › 规范性文件 · 本年新制作数量：原文“7777166”无法唯一拆分，可能为 7、77")
    assert gd.loads(data, source="r.docx") == report
    row.cells[1].paragraphs[0].runs[0].text = "7"  # the clerk settles it in Word: the number is read
    assert gd.loads(save(doc), source="r.docx").proactive.normative_documents.made == 7


def test_an_amount_is_printed_with_its_published_unit() -> None:
    """(review4 R-d) 上海 2019's 采购总金额 251000元: the 2019 form fixes no unit; the cell prints it as published."""
    report = gd.read(PUBLISHED / "073-shanghai-gov-office-2019-wanda-jsstring.html").report
    data = render(report)
    row = next(r for r in document(data).tables[0].rows if r.cells[0].text == "政府集中采购")
    assert row.cells[-1].text == "251000元"
    assert gd.loads(data, source="r.docx") == report


def test_a_signature_only_where_it_is_the_reports_own() -> None:
    """(review4 R-j) 平潭 2020 printed no 落款; its date is the web page's posting date: the document says so
    (「发布日期：…」, left-aligned), and never signs in the agency's name. 呼图壁 2020 ends with its own signature,
    kept in its text: printed once. A report a clerk writes here is signed, agency then date."""
    pingtan = gd.read(PUBLISHED / "009-pingtan-2020-zfxxgknb.txt").report
    assert pingtan.published_on is not None and pingtan.parts.other == "无其他需要报告的事项"
    doc = document(render(pingtan))
    last = doc.paragraphs[-1]
    assert (last.text, last.style.name) == ("发布日期：2021年3月5日", "GD Published")
    assert not [p for p in doc.paragraphs if p.style.name == "GD Signature"]
    assert gd.loads(render(pingtan), source="r.docx") == pingtan

    hutubi = gd.read(PUBLISHED / "001-hutubi-shanggongxinju-2020-seed.txt").report
    assert hutubi.parts.other is not None and hutubi.parts.other.endswith("呼图壁县商务和工业信息化局\n2021年1月20日")
    texts = [p.text for p in document(render(hutubi)).paragraphs]
    assert texts[-2:] == ["呼图壁县商务和工业信息化局", "2021年1月20日"] and texts.count("2021年1月20日") == 1
    assert gd.loads(render(hutubi), source="r.docx") == hutubi

    written = gd.new_report(2024, agency="某县人民政府", level="county_government")
    written = attrs.evolve(written, published_on=datetime.date(2025, 1, 20))
    doc = document(render(written))
    assert [(p.text, p.style.name) for p in doc.paragraphs[-2:]] == [
        ("某县人民政府", "GD Signature"), ("2025年1月20日", "GD Signature")]
    assert gd.loads(render(written), source="r.docx") == written
