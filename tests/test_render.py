"""Renderers: every format reads back what it wrote, for every report; what each looks like."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import govdisclosure as gd
from govdisclosure.testing import reports

from .conftest import EXAMPLES, data_path

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
    assert cells[("requests", "total", "total")]["row_label"] == "（七）总计"
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
