"""A web page's table read on its grid (review 12c #11, probe 12c #11): an empty <td> right of the columns its block's
header names is the grid's width, no blank; a header row's and a title row's empty cells are a merged cell's; an empty
<td> inside the named columns is a blank the agency left, and stays one."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

INGEST = DATA / "ingest"
#: codes that say the reader misread the grid (a blank mark too many: numbers run together, a header read as a row)
_MISREAD = ("GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT", "GD-T2-UNKNOWN-ROW")


def _page() -> str:
    return (INGEST / "grid-plain-2023.html").read_text(encoding="utf-8")


def _reader(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from govdisclosure.ingest import html

    if reader == "fast":
        pytest.importorskip("selectolax")
    else:
        monkeypatch.setattr(html, "_flatten_fast", lambda text: None)


def _sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _misread(result: gd.ParseResult) -> list[str]:
    return [f"{f.code} {f.message}" for f in result.findings if f.code in _MISREAD]


@pytest.mark.parametrize("reader", ["fast", "standard"])
def test_a_one_value_block_in_a_4_column_grid_reads_its_value(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``行政许可 | 1523 | <td></td> | <td></td>`` read ``1523——`` (GD-PARSE-UNSPLIT ×4, the cells null), the header rows
    ``信息内容 | 本年处理决定数量 |  |`` and the title rows ``第二十条第（五）项 |  |  |`` numbers of no row, and table 4's
    three header rows ``行政复议 |  |  |  |  | 行政诉讼`` took its 15 numbers to no row."""
    _reader(reader, monkeypatch)
    got = parse(_page(), from_="html")
    assert _misread(got) == []
    t2: Any = got.report.proactive
    assert (t2.licensing.decisions, t2.penalty.decisions, t2.coercion.decisions) == (1523, 286, 19)
    assert t2.fees.amount == Decimal("35.6")
    assert (t2.normative_documents.issued, t2.normative_documents.repealed, t2.normative_documents.in_force) == (7, 2, 41)
    t4: Any = got.report.review_litigation
    assert (t4.review.upheld, t4.review.total, t4.litigation_after_review.other, t4.litigation_after_review.total) == (
        5, 8, 1, 1)
    t3: Any = got.report.requests
    assert (t3.received.natural_person, t3.received.total, t3.carried_forward.total) == (30, 33, 2)


@pytest.mark.parametrize("reader", ["fast", "standard"])
def test_empty_cells_inside_the_named_columns_stay_blanks(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule takes only the grid's width: a cell the agency left empty mid-row or at the row's end (table 3's
    total, table 4's last 总计, table 2's 现行有效件数), or a one-value row left empty, is blank (null), and its
    neighbours keep their columns."""
    _reader(reader, monkeypatch)
    page = _sub(_page(), "<td>（一）予以公开</td><td>12</td><td>1</td><td>0</td>",
                "<td>（一）予以公开</td><td>12</td><td>1</td><td></td>")
    page = _sub(page, _row("四、结转下年度继续办理", *"200000", "2"), _row("四、结转下年度继续办理", *"200000", ""))
    page = _sub(page, _row(*"52108100010010", "1"), _row("5", "2", "", *"08100010010", ""))
    page = _sub(page, _row("行政规范性文件", "7", "2", "41"), _row("行政规范性文件", "7", "2", ""))
    page = _sub(page, _row("行政强制", "19", "", ""), _row("行政强制", "", "", ""))
    got = parse(page, from_="html")
    assert _misread(got) == []
    t2: Any = got.report.proactive
    assert (t2.normative_documents.issued, t2.normative_documents.repealed, t2.normative_documents.in_force) == (
        7, 2, None)
    assert (t2.licensing.decisions, t2.penalty.decisions, t2.coercion.decisions) == (1523, 286, None)
    t3: Any = got.report.requests
    granted = t3.granted
    assert (granted.natural_person, granted.commercial, granted.research, granted.social_welfare, granted.total) == (
        12, 1, None, 0, 13)
    assert (t3.carried_forward.natural_person, t3.carried_forward.other_org, t3.carried_forward.total) == (
        2, 0, None)
    t4: Any = got.report.review_litigation
    assert (t4.review.upheld, t4.review.corrected, t4.review.other, t4.review.pending, t4.review.total) == (
        5, 2, None, 0, 8)
    assert (t4.litigation_after_review.other, t4.litigation_after_review.total) == (1, None)


@pytest.mark.parametrize("reader", ["fast", "standard"])
def test_a_grid_with_spans_and_header_cells_is_read_on_its_columns(
        reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Variant: title rows one <th colspan=4> or <td colspan="4">, table 3's label columns two (rowspan, colspan) and
    its header's first cell spanning them: the grid's columns are where the spans put the cells (a blank total
    stays one; a one-value row left empty is blank)."""
    _reader(reader, monkeypatch)
    page = _sub(_page(), _row("第二十条第（一）项", "", "", ""), "<tr><th colspan=4>第二十条第（一）项</th></tr>")
    for item in "五六八":
        page = _sub(page, _row(f"第二十条第（{item}）项", "", "", ""), f'<tr><td colspan="4">第二十条第（{item}）项</td></tr>')
    page = _sub(page, _row("行政许可", "1523", "", ""), _row("行政许可", "", "", ""))
    page = _sub(page, "<tr><td>申请人情况</td>", "<tr><td colspan=2 rowspan=3>申请人情况</td>")
    page = _sub(page, "<tr><td></td><td>自然人</td>", "<tr><td>自然人</td>")
    page = _sub(page, "<tr><td></td><td></td><td>商业企业</td>", "<tr><td></td><td>商业企业</td>")
    page = _sub(page, "<tr><td>1.属于国家秘密</td>", "<tr><td rowspan=8>（三）不予公开</td><td>1.属于国家秘密</td>")
    page = re.sub(r"<tr><td>((?:一、|二、|（一）|（二）|（七）|四、)[^<]*)</td>", r"<tr><td colspan=2>\1</td>", page)
    page = _sub(page, _row("4.保护第三方合法权益", "1", *"00000", "1"), _row("4.保护第三方合法权益", "1", *"00000", ""))
    got = parse(page, from_="html")
    assert _misread(got) == []
    t2: Any = got.report.proactive
    assert (t2.licensing.decisions, t2.penalty.decisions, t2.coercion.decisions) == (None, 286, 19)
    assert t2.fees.amount == Decimal("35.6")
    t3: Any = got.report.requests
    third = t3.withheld.third_party
    assert (third.natural_person, third.other_org, third.total) == (1, 0, None)
    assert (t3.received.total, t3.granted.total, t3.carried_forward.total) == (33, 13, 2)


@pytest.mark.parametrize("reader", ["fast", "standard"])
def test_a_2019_grids_blocks_of_two_values(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Variant: a 2019-format table 2 in a 4-column grid: its （八） and （九） blocks name two columns (a blank the
    agency left in the first of them stays one), its 3-value blocks three."""
    _reader(reader, monkeypatch)
    page = _page().replace("2023", "2020").replace("2024年", "2021年")
    start, end = page.index("<table"), page.index("</table>") + len("</table>")
    blocks = (("（一）", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
               [("规章", "0", "0", "0"), ("规范性文件", "3", "3", "")]),
              ("（五）", ("上一年项目数量", "本年增/减", "处理决定数量"),
               [("行政许可", "12", "", "340"), ("其他对外管理服务事项", "4", "0", "")]),
              ("（六）", ("上一年项目数量", "本年增/减", "处理决定数量"),
               [("行政处罚", "20", "-2", "88"), ("行政强制", "3", "+1", "5")]),
              ("（八）", ("上一年项目数量", "本年增/减", ""), [("行政事业性收费", "5", "", "")]),
              ("（九）", ("采购项目数量", "采购总金额", ""), [("政府集中采购", "7", "123.5万元", "")]))
    rows = []
    for item, header, data in blocks:
        rows += [_row(f"第二十条第{item}项", "", "", ""), _row("信息内容", *header), *(_row(*r) for r in data)]
    got = parse(page[:start] + "<table border=1>" + "".join(rows) + "</table>" + page[end:], from_="html")
    assert [f for f in got.findings if f.code in _MISREAD and f.pointer.startswith("/proactive")] == []
    t2: Any = got.report.proactive
    assert (t2.normative_documents.made, t2.normative_documents.published, t2.normative_documents.total_published) == (
        3, 3, None)
    assert (t2.licensing.previous, t2.licensing.change, t2.licensing.decisions) == (12, None, 340)
    assert (t2.other_services.previous, t2.other_services.change, t2.other_services.decisions) == (4, 0, None)
    assert (t2.coercion.previous, t2.coercion.change, t2.coercion.decisions) == (3, 1, 5)
    assert (t2.fees.previous, t2.fees.change) == (5, None)
    assert (t2.procurement.projects, t2.procurement.amount) == (7, Decimal("123.5"))


@pytest.mark.parametrize("reader", ["fast", "standard"])
@pytest.mark.parametrize("header", ["<td colspan=3>本年处理决定数量</td>", "<td colspan=2>本年处理决定数量</td><td></td>"],
                         ids=["colspan 3", "colspan 2 and an empty cell"])
def test_a_one_value_header_merged_across_the_value_columns_names_one(
        reader: str, header: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review 13a #5: the official template merges a one-value block's header across the three value columns
    (``信息内容 | <td colspan=3>本年处理决定数量</td>``); the data row ``行政许可 | 1523 |  |`` kept its empty cells as
    blanks (``1523——``: GD-PARSE-UNSPLIT, licensing null).  A merged header cell names one value column however wide
    it is drawn: 1523, as under three plain cells; the fee block's merged header too."""
    _reader(reader, monkeypatch)
    page = _sub(_page(), "<tr><td>信息内容</td><td>本年处理决定数量</td><td></td><td></td></tr><tr><td>行政许可</td>",
                f"<tr><td>信息内容</td>{header}</tr><tr><td>行政许可</td>")
    page = _sub(page, "<td>本年收费金额（单位：万元）</td><td></td><td></td>",
                "<td colspan=3>本年收费金额（单位：万元）</td>")
    got = parse(page, from_="html")
    assert _misread(got) == []
    t2: Any = got.report.proactive
    assert (t2.licensing.decisions, t2.penalty.decisions, t2.coercion.decisions) == (1523, 286, 19)
    assert t2.fees.amount == Decimal("35.6")


@pytest.mark.parametrize("reader", ["fast", "standard"])
def test_a_number_under_a_merged_header_cell_is_kept(reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit: only an empty cell under the merged header is no cell; a number printed there is the row's
    (``行政许可 | 1523 | 7 |``: two numbers for one value, said, never dropped)."""
    _reader(reader, monkeypatch)
    page = _sub(_page(), "<tr><td>信息内容</td><td>本年处理决定数量</td><td></td><td></td></tr><tr><td>行政许可</td>"
                "<td>1523</td><td></td>",
                "<tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr><tr><td>行政许可</td><td>1523</td><td>7</td>")
    got = parse(page, from_="html")
    t2: Any = got.report.proactive
    assert t2.licensing.decisions is None
    assert "GD-PARSE-ROW-WIDER" in [f.code for f in got.findings]  # two numbers for one cell: which cannot be told


@pytest.mark.parametrize("reader", ["fast", "standard"])
def test_an_empty_cell_under_a_header_merged_over_several_named_columns_stays_a_blank(
        reader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit of the merged one-value header: table 4 under two header rows (行政复议 | 行政诉讼, then 结果维持…总计 |
    未经复议直接起诉 | 复议后起诉, each merged over its five columns) with 复议后起诉's 其他结果 left empty: the header
    names several value columns, so the empty cell is a blank the agency left, and 0 and 1 keep their columns."""
    _reader(reader, monkeypatch)
    page = _page()
    start = page.index("<table", page.index("<p>四、政府信息公开行政复议"))
    end = page.index("</table>", start) + len("</table>")
    merged = ("<tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr><tr>"
              + "".join(f"<td>{w}</td>" for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
              + "<td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>"
              + _row(*"512081000100", "", "0", "1"))
    got = parse(page[:start] + "<table border=1>" + merged + "</table>" + page[end:], from_="html")
    after: Any = got.report.review_litigation.litigation_after_review
    assert (after.corrected, after.other, after.pending, after.total) == (0, None, 0, 1)
