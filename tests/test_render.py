"""Renderers: every format reads back what it wrote, for every report; what each looks like."""

from __future__ import annotations

import csv
import io
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import govdisclosure as gd
from govdisclosure.testing import reports

from .conftest import EXAMPLES, ROOT, data_path

FORMATS = {"json": ".json", "html": ".html", "markdown": ".md", "csv": ".csv"}
# any text a report may hold: no surrogates (not UTF-8) and no control characters but \t \n \r
TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\t\n\r"), max_size=40)
NASTY = st.sampled_from(["", " ", "\n", "a\n\nb", " lead", "trail\t", "<script>alert(1)</script>", "| a | b |",
                         "# 标题", "1. 列表", "- 项", "*强调* _x_ `code` [链接](http://x)", "\\", '""', "&amp; &#32;",
                         "\r\n", "——", "　全角空格　", "<!---->", "a<br>b", "---", "===", "> 引用"])


@st.composite
def rich_reports(draw):
    """Balanced reports (blanks included) with arbitrary text and provenance."""
    report = draw(reports(blanks=True))
    data = gd.to_data(report)
    text = st.none() | NASTY | TEXT
    data["title"] = draw(text)
    data["agency"] = {"name": draw(text), "level": data["agency"]["level"], "region": draw(text)}
    data["parts"] = {k: draw(text) for k in ("preamble", "overview", "problems", "other")}
    if draw(st.booleans()):
        data["period"] = {"start": f"{report.year}-01-01", "end": f"{report.year}-12-31"}
    cells = [c.pointer for c in report.spec.cells()]
    prov = {}
    for pointer in draw(st.lists(st.sampled_from(cells), max_size=3, unique=True)):
        prov[pointer] = {k: v for k, v in {"raw": draw(NASTY | TEXT), "unit": draw(st.none() | st.sampled_from(["元", "万元"])),
                                           "line": draw(st.none() | st.integers(0, 10**6))}.items()
                         if v is not None}
    if prov:
        data["provenance"] = prov
    return gd.from_data(data)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", [p.stem for p in sorted(EXAMPLES.glob("*.json"))])
def test_examples_read_back(fmt: str, name: str) -> None:
    report = gd.load(EXAMPLES / f"{name}.json")
    text = gd.render(report, fmt)
    assert gd.loads(text, source=f"r{FORMATS[fmt]}") == report
    assert gd.loads(text) == report  # recognised without the file name too


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=rich_reports(), fmt=st.sampled_from(sorted(FORMATS)))
def test_every_format_reads_back_what_it_wrote(report, fmt: str) -> None:
    assert gd.loads(gd.render(report, fmt), source=f"r{FORMATS[fmt]}") == report


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=rich_reports())
def test_csv_with_bom_reads_back_and_as_bytes(report) -> None:
    text = gd.render(report, "csv", bom=True)
    assert text.startswith("\ufeff")
    assert gd.loads(text.encode("utf-8"), source="r.csv") == report


def test_html_escapes_every_text_field() -> None:
    data = json.loads((EXAMPLES / "huaian-city-2024.json").read_text(encoding="utf-8"))
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data["title"] = data["agency"]["name"] = data["parts"]["overview"] = evil
    data["provenance"] = {"/requests/total/total": {"raw": evil}}
    page = gd.render(gd.from_data(data), "html")
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_html_isolates_a_direction_override_and_reads_it_back() -> None:
    # review H10: U+202E in a published narrative would show "收到21件" as "收到件12" and reorder what follows
    data = json.loads((EXAMPLES / "huaian-city-2024.json").read_text(encoding="utf-8"))
    data["parts"]["overview"] = "收到\u202e21件\n下一行\u2066x\u2069"
    report = gd.from_data(data)
    page = gd.render(report, "html")
    assert "<p>收到<bdi>\u202e</bdi>21件</p>" in page and "<bdi>\u2066</bdi>x<bdi>\u2069</bdi>" in page
    assert gd.loads(page, source="r.html") == report


def test_html_layout_of_table_3() -> None:
    page = gd.render(gd.load(EXAMPLES / "huaian-city-2024.json"), "html", fragment=True)
    assert not page.startswith("<!DOCTYPE")
    assert '<th class="gd-corner" colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>' in page
    assert '<th class="gd-heading" colspan="7">申请人情况</th>' in page
    assert '<th class="gd-group" colspan="5">法人或其他组织</th>' in page
    assert '<th class="gd-group" rowspan="22" scope="row">三、本年度办理结果</th>' in page
    assert '<th class="gd-group" rowspan="3" scope="row">（六）其他处理</th>' in page
    assert '<th class="gd-group" colspan="10">行政诉讼</th>' in page
    assert '<td data-cell="/requests/received/total">3119</td>' in page


def test_html_findings_mark_cells_and_list_them() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    page = gd.render(report, "html", findings=gd.validate(report))
    assert '<td data-cell="/requests/total/natural_person" class="gd-flag">20</td>' in page
    assert '<td data-cell="/requests/granted/natural_person" class="gd-flag">6</td>' in page
    assert '<td data-cell="/requests/received/natural_person">20</td>' in page  # not involved
    assert page.count('<li class="gd-error"><code>GD-T3-RESULTS-SUM</code>') == 2
    assert gd.loads(page, source="p.html") == report  # marks do not change what is read back


def test_markdown_renders_through_markdown_it() -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    text = gd.render(report, "markdown")
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert rendered.count("<table>") == 4 + 1 + 1 + 1  # meta, 4 blocks of table 2, tables 3 and 4
    assert "<h2>三、收到和处理政府信息公开申请情况</h2>" in rendered
    assert "<td>3119</td>" in rendered
    assert "<h3>第二十条第（一）项</h3>" in rendered
    tokens = MarkdownIt("commonmark").enable("table").parse("| a |\n| --- |\n| " + "x" + " |\n\n" +
                                                            gd.io.markdown.escape("*不是强调* | 1. 不是列表"))
    inline = [t for t in tokens if t.type == "inline"][-1]
    assert [c.type for c in inline.children] == ["text"] * len(inline.children)
    assert "".join(c.content for c in inline.children) == "*不是强调* | 1. 不是列表"


def test_tidy_csv_uses_the_canonical_ids() -> None:
    text = gd.render(gd.load(EXAMPLES / "pingtan-2020.json"), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = {(r["table"], r["row"], r["column"]): r for r in rows}
    assert cells[("requests", "withheld.state_secret", "natural_person")]["value"] == "0"
    # (review4 R-n8) a row carries its groups, as the audit store's cell_specs: 3.其他 alone would not say which
    assert cells[("requests", "total", "total")]["row_label"] == "三、本年度办理结果 › （七）总计"
    assert cells[("requests", "withheld.state_secret", "natural_person")]["row_label"] == \
        "三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密"
    assert cells[("requests", "received", "total")]["row_label"] == "一、本年新收政府信息公开申请数量"
    assert gd.loads(text, source="r.csv") == gd.load(EXAMPLES / "pingtan-2020.json")
    assert cells[("proactive", "procurement", "amount")]["value"] == "73802895.90"
    assert cells[("provenance", "/proactive/procurement/amount", "unit")]["value"] == "元"
    path = data_path("corpus", "expected", "009-pingtan-2020-zfxxgknb.csv")
    expected = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(expected) == 198
    for row in expected:  # the same ids as the hand-checked corpus cells
        assert (row["table"], row["row"], row["column"]) in cells


def test_wide_csv_one_line_per_report() -> None:
    reports_ = [gd.load(p) for p in sorted(EXAMPLES.glob("*.json"))]
    from govdisclosure.io.csv import render_wide
    rows = list(csv.DictReader(io.StringIO(render_wide(reports_))))
    assert len(rows) == 3
    by_year = {r["year"]: r for r in rows}
    assert by_year["2024"]["requests.received.total"] == "3119"
    assert by_year["2020"]["proactive.procurement.amount"] in ("0", "73802895.90")
    assert by_year["2024"]["proactive.procurement.amount"] == ""  # not in the 2021 format


PINGTAN_2020 = EXAMPLES / "published" / "009-pingtan-2020-zfxxgknb.txt"
SHANGHAI_2019 = EXAMPLES / "published" / "073-shanghai-gov-office-2019-wanda-jsstring.html"


def test_a_cell_the_parser_could_not_split_is_marked_not_blank() -> None:
    """(review4 R-c) 平潭 2020 prints 规范性文件 7777166: three counts run together, no unique split. A reader of
    the page or the Markdown sees a mark and a note by the row and column labels, not an ordinary blank."""
    report = gd.read(PINGTAN_2020).report
    made = "/proactive/normative_documents/made"
    assert report.cell(made) is None and report.provenance[made].candidates
    page = gd.render(report, "html")
    cell = page[page.index(f'data-cell="{made}"'):]
    cell = cell[:cell.index("</td>")]
    assert '<span class="gd-doubt" title="原文“7777166”无法唯一拆分' in cell and ">？<sup>1</sup></span>" in cell
    assert "printed “7777166”: no unique split" in cell  # the title, in both languages
    notes = page[page.index('<div class="gd-doubts">'):]
    assert "<li>第二十条第（一）项 › 规范性文件 · 本年新制作数量：原文“7777166”无法唯一拆分，可能为 7、77、777、7777、77771；" \
           "此处留空" in notes
    assert gd.loads(page, source="p.html") == report
    assert gd.loads(gd.render(report, "html", fragment=True), source="f.html") == report
    text = gd.render(report, "markdown")
    assert "| 规范性文件 | ？[^1] | ？[^2] | ？[^3] |" in text.split("\n")
    footnote = next(line for line in text.split("\n") if line.startswith("[^1]: "))
    assert footnote.startswith("[^1]: 第二十条第（一）项 › 规范性文件 · 本年新制作数量：原文“7777166”无法唯一拆分")
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<td>？[^1]</td>" in rendered  # plain CommonMark shows the mark; GFM links it to the note
    assert gd.loads(text, source="p.md") == report


def test_a_cell_with_a_value_and_a_note_shows_both() -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    pointer = "/requests/received/natural_person"
    data = gd.to_data(report)
    data["provenance"] = {pointer: {"raw": "3,1l9", "note": "字迹不清 / illegible"}}
    doubted = gd.from_data(data)
    page = gd.render(doubted, "html")
    assert f'data-cell="{pointer}" data-raw="3,1l9" data-note="字迹不清 / illegible">' \
           f'{doubted.cell(pointer)}<span class="gd-doubt" title="存疑：字迹不清（原文“3,1l9”） / in doubt: illegible (printed “3,1l9”)"' in page
    text = gd.render(doubted, "markdown")
    assert f"| {doubted.cell(pointer)}？[^1] |" in text
    for fmt, suffix in (("html", ".html"), ("markdown", ".md")):
        assert gd.loads(gd.render(doubted, fmt), source="r" + suffix) == doubted


def test_an_amount_is_shown_in_the_unit_it_was_published_in() -> None:
    """(review4 R-d) 上海 2019 prints 采购总金额 251000元; the 2019 form fixes no unit, so the Markdown shows it
    with its unit as the page does, and wide CSV says each amount's unit in a column of its own."""
    report = gd.read(SHANGHAI_2019).report
    amount = "/proactive/procurement/amount"
    assert (str(report.cell(amount)), report.provenance[amount].unit) == ("251000", "元")
    assert '>251000<span class="gd-unit">元</span>' in gd.render(report, "html")
    text = gd.render(report, "markdown")
    assert "| 政府集中采购 | 6 | 251000元 |" in text.split("\n")
    assert gd.loads(text, source="r.md") == report
    data = gd.to_data(report)
    data["proactive"]["procurement"]["amount"] = "52.15"
    data["provenance"][amount]["unit"] = "万元"
    in_wan = gd.from_data(data)
    rows = list(csv.DictReader(io.StringIO(gd.io.csv.render_wide([report, in_wan, gd.load(EXAMPLES /
                                                                                           "huaian-city-2024.json")]))))
    got = [(r["proactive.procurement.amount"], r["proactive.procurement.amount.unit"]) for r in rows]
    assert got == [("251000", "元"), ("52.15", "万元"), ("", "")]
    assert "proactive.fees.amount.unit" not in rows[0]  # 2021's 本年收费金额（单位：万元）: the form fixes it
    header = next(csv.reader(io.StringIO(gd.io.csv.render_wide([report]))))
    assert header[header.index("proactive.procurement.amount") + 1] == "proactive.procurement.amount.unit"


def test_pdf_text_renders_as_paragraphs_and_reads_back_with_its_line_breaks() -> None:
    """A PDF's text wraps every ~28 characters: each wrap was a paragraph, 48 where 淮安 2024's part 1 has 6
    (review4, R-a). The wraps stay in the text (read back equal) but are not shown."""
    report = gd.parse(ROOT / "examples" / "published" / "020-huaian-city-2024-pdf.txt").report
    page = gd.render(report, "html")
    overview = page.split('data-field="parts.overview">', 1)[1].split("</div>", 1)[0]
    assert overview.count("<p>") < (report.parts.overview or "").count("\n") / 3
    assert 'class="gd-wrap"' in overview and "br.gd-wrap { display: none; }" in page
    assert gd.loads(page, source="p.html") == report


def test_a_typed_list_keeps_its_lines_and_a_pdfs_two_line_part_is_one_paragraph() -> None:
    """Review5 F5: a clerk's list typed in YAML ran together on the page; a PDF's two-line part 6 broke
    a paragraph inside 《…管理</p><p>办法》."""
    report = gd.new_report(2024, agency="某局", level="other")
    items = "本年度我局主要做了以下工作：\n一是加强组织领导\n二是完善制度建设\n三是强化平台管理\n四是加强监督考核"
    page = gd.render(attrs.evolve(report, parts=attrs.evolve(report.parts, overview=items)), "html")
    assert "<p>一是加强组织领导</p><p>二是完善制度建设</p>" in page and 'class="gd-wrap"' not in page.split("</style>")[1]
    parsed = gd.parse(ROOT / "examples" / "published" / "020-huaian-city-2024-pdf.txt").report
    page = gd.render(parsed, "html")
    other = page.split('data-field="parts.other">', 1)[1].split("</div>", 1)[0]
    assert other.count("<p>") == 1 and '管理<br class="gd-wrap">办法' in other
