"""The PDF reader on a Word template's PDFs (probe 12a, tests/data/pdf/README.md): a table row broken over a page
break, a table block using fewer columns than the grid, a running header, a text layer that does not decode."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.errors import LoadError

from .conftest import DATA

PDF = DATA / "pdf"


def _flat(data: Any, at: str = "") -> dict[str, Any]:
    if not isinstance(data, dict):
        return {at: data}
    return {k: v for key, value in data.items() for k, v in _flat(value, f"{at}/{key}").items()}


def _same(got: Any, expected: Any) -> bool:
    return str(got) == str(expected) or (got is not None and expected is not None and float(got) == float(expected))


def _check_all(name: str, title: bool = True) -> gd.LoadResult:
    """``name``'s every cell, its year, title and agency (unless not ``title``) and each part's sentences as its
    truth says (the parts hold nothing else but the signature after part 6)."""
    pytest.importorskip("pdfplumber")
    result = parse(PDF / f"{name}.pdf")
    got = json.loads(gd.dump(result.report))
    truth = json.loads((PDF / f"{name}.expect.json").read_text(encoding="utf-8"))
    for table in ("proactive", "requests", "review_litigation"):
        cells, expected = _flat(got[table], f"/{table}"), _flat(truth[table], f"/{table}")
        wrong = {k: (cells.get(k), v) for k, v in expected.items() if not _same(cells.get(k), v)}
        assert not wrong, wrong
        assert all(v is None for k, v in cells.items() if k not in expected)
    assert got["year"] == truth["year"]
    if title:
        assert (got["title"], got["agency"]["name"]) == (truth["title"], truth["agency"])
    for part, sentences in truth["parts"].items():
        text = re.sub(r"\s+", "", got["parts"].get(part) or "")
        for sentence in sentences:
            assert re.sub(r"\s+", "", sentence) in text, (part, sentence)
            text = text.replace(re.sub(r"\s+", "", sentence), "", 1)
        if part != "other":
            assert text == "", (part, text)
    return result


def test_a_table_row_broken_over_a_page_break_is_read_as_one_row() -> None:
    """p02: （五 | 1.信访举报 | 0 … at the foot of page 3, ）不予处理 | 投诉类申请 at the top of page 4; the row's 7 cells
    were null and validate blamed the agency (GD-T3-BLANK).  Its cells are on the page the row starts on."""
    result = _check_all("p02-wrapping-2024", title=False)  # its title wrapped over three lines: probe 12a #3
    assert result.report.provenance["/requests/not_processed/petitions/natural_person"].page == 3
    assert not [f for f in result.findings if f.code.startswith("GD-PARSE-")
                and f.code not in ("GD-PARSE-LEVEL",)], result.findings


def test_an_empty_cell_of_a_column_its_header_does_not_use_is_no_value() -> None:
    """p04: the 2019 table 2's （八）（九） blocks name 3 of the grid's 4 columns; the empty 4th cell was read as a blank
    value ('—'), the row had a value more than its header and its numbers were refused as written together."""
    result = _check_all("p04-format2019-2020")
    assert not [f for f in result.findings if f.code in ("GD-PARSE-UNSPLIT", "GD-PARSE-UNSETTLED")]


def test_a_running_header_is_not_read_as_the_reports_text() -> None:
    """p05: 临江县人民政府信息公开 at the top of each of the 6 pages was the whole of parts 2-4 and the end of part 1."""
    result = _check_all("p05-landscape-pagenums-2024")
    assert "临江县人民政府信息公开" not in json.dumps(json.loads(gd.dump(result.report))["parts"], ensure_ascii=False)


def test_a_pdf_whose_text_does_not_decode_is_said_to_not_decode() -> None:
    """Every Chinese glyph's text 本 or 临 (a font without a proper text map): it was refused as "not a report"."""
    pytest.importorskip("pdfplumber")
    with pytest.raises(LoadError) as info:
        parse(PDF / "p01-county-2024-nocjkfont.pdf")
    (finding,) = info.value.findings
    assert finding.code == "GD-LOAD-NOT-REPORT" and str(info.value.file).endswith("p01-county-2024-nocjkfont.pdf")
    assert "文字层无法解码" in finding.text("zh") and "只有 2 种（本、临）" in finding.text("zh")
    assert "OCR" in finding.text("zh") and "不是年度报告" not in finding.text("zh")
    assert "does not decode" in finding.text("en") and "re-export the PDF with embedded fonts, or OCR it" in \
        finding.text("en")


def test_only_text_of_one_glyph_or_of_unmapped_glyphs_does_not_decode() -> None:
    from govdisclosure.ingest.pdf import _undecoded

    report = "临江县市场监督管理局2024年政府信息公开工作年度报告。本报告根据条例编制，统计期限自1月1日起。" * 3
    assert _undecoded(report) is None
    assert _undecoded("本" * 30 + "临" * 5 + "2024") is None  # too few to tell
    assert _undecoded("本临" * 40 + "2024") is not None
    assert _undecoded("(cid:12)(cid:345) 2024 " * 30) is not None and _undecoded("(cid:1) 2024") is None
    assert _undecoded("Annual report 2024, " * 50) is None  # not Chinese: the parser says what it is


def _row(*cells: str | None) -> list[str | None]:
    return list(cells)


def test_a_tail_joins_its_row_only_when_it_is_a_labels_tail_under_its_columns() -> None:
    from govdisclosure.ingest.pdfpages import continued

    tail = {"cells": _row("（五", "1.信访举报", "0", "0", "0", "0", "0", "0", "0"), "from": 2}
    head = {"cells": _row("）不予处理", "投诉类申请", "", "", "", "", "", "", "")}
    assert continued(tail, head) == "（五）不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    # the label's tail in the second label column only, the first column's merged cell above (None)
    tail2 = {"cells": _row(None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处", "0", "1", "0", "0", "0", "0", "1"),
             "from": 2}
    assert continued(tail2, {"cells": _row(None, "理其政府信息公开申请", "", "", "", "", "", "", "")}) == (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 1 | 0 | 0 | 0 | 0 | 1")
    # a row of its own printed blank at the page's top; a row with values; other columns; a tail printing no value
    assert continued(tail, {"cells": _row(None, "2.重复申请", "", "", "", "", "", "", "")}) is None
    assert continued(tail, {"cells": _row("）不予处理", "投诉类申请", "0", "", "", "", "", "", "")}) is None
    assert continued(tail, {"cells": _row("）不予处理", "投诉类申请", "", "")}) is None
    blank = {"cells": _row("（五", "1.信访举报", "", "", "", "", "", "", ""), "from": 2}
    assert continued(blank, head) is None


def _page(*lines: str, head: int | None = None, after: int = 0, tail: int | None = None,
          cells: tuple[list[str | None], list[str | None]] | None = None) -> tuple[list[str], dict[str, Any]]:
    edges: dict[str, Any] = {}
    if cells is not None and tail is not None:
        edges["tail"] = {"line": tail, "cells": cells[0], "from": 1}
    if cells is not None and head is not None:
        edges["head"] = {"line": head, "cells": cells[1], "after": after, "from": 1}
    return list(lines), edges


def test_a_row_is_joined_across_the_pages_furniture_and_the_tables_repeated_header_only() -> None:
    from govdisclosure.ingest.pdf import _join_broken_rows, _running

    cells = (_row("2.没有现成信息需要另", "0", "1"), _row("行制作", "", ""))
    for between, joined in ((("- 3 -", "第 3 页 共 5 页"), True), (("本页完。",), False)):
        one = _page("正文。", "1.本机关不掌握 | 2 | 0", "2.没有现成信息需要另 | 0 | 1", *between, tail=2, cells=cells)
        two = _page("临江县政务公开", "自然人 | 法人", "行制作", "3.补正后申请内容仍不明确 | 1 | 0", head=2, after=1,
                    tail=3, cells=cells)
        pages, edges = [one[0], two[0]], [one[1], two[1]]
        top, bottom = _running([*pages, ["临江县政务公开", "正文"], ["临江县政务公开", "正文"]])
        _join_broken_rows(pages, edges, top | bottom)
        assert (pages[0][2] == "2.没有现成信息需要另行制作 | 0 | 1") is joined
        assert ("行制作" not in pages[1]) is joined and ("tail" in edges[1]) and pages[1][edges[1]["tail"]["line"]] == (
            "3.补正后申请内容仍不明确 | 1 | 0")


def test_a_running_header_is_a_line_at_the_edge_of_most_pages() -> None:
    from govdisclosure.ingest.pdf import _running

    header, footer = "临江县人民政府信息公开", "临江县人民政府办公室印发"
    pages = [[header, "标题", "正文一。", "- 1 -"], ["正文二。", "规章 | 0 | 0", footer, "- 2 -"],
             [header, "规章 | 0 | 0", "二、主动公开政府信息情况", footer], [header, "结尾。", footer, "第 4 页 共 4 页"]]
    assert _running(pages) == ({header}, {footer})
    # a line on the edge of half the pages only, a table's row, a sentence printed once: none
    assert _running([*pages[:2], ["正文三。", "规章 | 0 | 0"], ["开头", "规章 | 0 | 0"]]) == (set(), set())
    top = [["临江县人民政府信息公开", "正文一", "正文二", "正文三"], ["临江县人民政府 信息公开", "正文四", "正文五", "正文六"],
           ["临江县人民政府信息公开", "正文七", "正文八", "正文九"]]
    assert _running(top) == ({header}, set())
    # two pages are not "most pages"; the top of one page and the bottom of another are not one edge (review 12a #1)
    assert _running(top[:2]) == (set(), set())
    assert _running([top[0], top[1][::-1], top[2][1:]]) == (set(), set())


def test_a_header_rows_empty_cells_past_its_named_columns_are_no_cells() -> None:
    from govdisclosure.ingest.pdfpages import _row_line, by_header

    rows = [_row("第二十条第（五）项", None, None, None), _row("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
            _row("行政许可", "46", "", "312"),
            _row("第二十条第（八）项", None, None, None), _row("信息内容", "上一年项目数量", "本年增/减", ""),
            _row("行政事业性收费", "3", "减1", ""), _row("政府集中采购", "", "", "")]
    lines = [_row_line(row, 1) for row in by_header(rows, 1)]
    assert lines[2] == "行政许可 | 46 | — | 312"  # a blank the header names a column for: blank
    assert lines[5] == "行政事业性收费 | 3 | 减1"
    assert lines[6] == "政府集中采购"  # printed blank: no value, as before
    # table 3's headers over three rows: the total named in the second row, its cell None in the third
    t3 = [_row("（本列数据的勾稽关系为…）", None, "申请人情况", None, None),
          _row(None, None, "自然人", "法人或其他组织", "总计"), _row(None, None, None, "商业企业", None),
          _row("一、本年新收政府信息公开申请数量", None, "3", "", "")]
    assert _row_line(by_header(t3, 2)[3], 2) == "一、本年新收政府信息公开申请数量 | 3 | — | —"


_TITLE, _AGENCY = "临川县自然资源局2023年政府信息公开工作年度报告", "临川县自然资源局"


def _review12a(name: str) -> tuple[gd.LoadResult, dict[str, Any]]:
    """Review 12a's PDF (tests/data/pdf/README.md): its title, agency and signature read."""
    pytest.importorskip("pdfplumber")
    result = parse(PDF / f"{name}.pdf")
    got = json.loads(gd.dump(result.report))
    assert (got["title"], got["agency"]["name"], got["year"]) == (_TITLE, _AGENCY, 2023)
    assert not [f for f in result.findings if f.code == "GD-PARSE-NO-TITLE"]
    assert got["parts"]["other"].endswith("本年度未收取信息处理费。\n临川县自然资源局\n2024年1月20日")
    return result, got


def test_a_short_reports_title_and_signature_are_no_running_header() -> None:
    """p1 (3 pages): 临川县自然资源局 as the title's first line at page 1's top and as the signature at page 3's bottom
    was taken for a running header and dropped twice: no title, no agency (review 12a #1)."""
    _review12a("p1-t2-blank-row-at-page-top")


def test_a_word_header_repeating_the_title_or_the_agency_is_dropped_but_not_the_title() -> None:
    """d1/d2 (6 pages): a Word header printing the title (d1) or the agency (d2) on every page, page 1's own title
    below it: the header's line is dropped, the title's not (it was: no title, no agency; review 12a #1)."""
    for name in ("d1-header-title", "d2-header-agency"):
        result, got = _review12a(name)
        cells = {k: v for table in ("proactive", "requests", "review_litigation")
                 for k, v in _flat(got[table], f"/{table}").items()}
        assert all(v is not None for v in cells.values()), [k for k, v in cells.items() if v is None]
        assert got["requests"]["partially_granted"]["natural_person"] == 4  # a row broken over a page break
        assert _TITLE not in json.dumps(got["parts"], ensure_ascii=False)
        # the (八) block's header at page 2's foot, its row on page 3: no 4th cell ("35.6——" was unsplit)
        assert str(got["proactive"]["fees"]["amount"]) == "35.6", name
        assert not [f for f in result.findings if f.code in ("GD-PARSE-UNSPLIT", "GD-PARSE-UNSETTLED")]


def test_a_running_header_is_dropped_once_per_page_edge_never_the_title_or_signature() -> None:
    from govdisclosure.ingest.pdf import _dropped, _running

    title, agency, body = _TITLE, _AGENCY, ["本报告依据条例编制。", "一、总体情况", "正文。"]

    def dropped(pages: list[list[str]]) -> list[list[str]]:
        return [[page[i] for i in sorted(drop)] for page, drop in zip(pages, _dropped(pages, _running(pages)),
                                                                        strict=True)]

    # a header on pages 2-4 only (Word's "different first page"), page 1's title the same words: kept
    pages = [[title, *body], [title, "正文二。", "正文三。"], [title, "正文四。", "正文五。"], [title, "正文六。", "正文七。"]]
    assert dropped(pages) == [[], [title], [title], [title]]
    # the header is the only title printed: kept on page 1
    pages = [[title, *body[1:]], *pages[1:]]
    assert dropped(pages) == [[], [title], [title], [title]]
    # the agency as a header on every page and as the title's first line: the header's line only
    pages = [[agency, agency, "2023年政府信息公开工作年度报告", *body], [agency, "正文二。", "正文三。"],
             [agency, "正文四。", "正文五。"], [agency, "正文六。", agency, "2024年1月20日"]]
    assert dropped(pages) == [[agency], [agency], [agency], [agency]]
    assert _dropped(pages, _running(pages))[3] == {0}  # not the signature
    # a footer with the agency on pages 1-3, the signature at the foot of page 4: the signature kept
    pages = [[title, *body, agency], ["正文二。", "正文三。", agency], ["正文四。", "正文五。", agency],
             ["正文六。", agency, "二〇二四年一月二十日"]]
    assert dropped(pages) == [[agency], [agency], [agency], []]
    # a footer with the agency under pages of table rows with one line of text besides: at their bottom, not also at
    # their top (the agency as the title's first line at page 1's top was dropped with it)
    rows = ["规章 | 0 | 0"] * 3
    pages = [[agency, "2023年政府信息公开工作年度报告", *body, *rows, agency], ["项加第四项之和）", *rows, agency],
             ["当理由大量反复申请", *rows, agency], [*rows, "正文。", agency, "2024年1月20日", agency]]
    assert _running(pages) == (set(), {agency})
    assert dropped(pages) == [[agency], [agency], [agency], [agency]] and _dropped(pages, _running(pages))[3] == {6}
    # two pages: the agency at the top of one and the bottom of the other is the report's text
    pages = [[agency, "2023年政府信息公开工作年度报告", *body], ["正文二。", agency, "2024年1月20日"]]
    assert dropped(pages) == [[], []]


def test_a_row_printed_blank_at_a_pages_top_is_not_joined_to_the_row_before() -> None:
    """p1: 行政处罚 | 286 ends page 1, 行政强制 (left blank) starts page 2: the two were one row 行政处罚行政强制 | 286,
    286 read as 行政强制's and 行政处罚 blamed as blank (review 12a #2).  A row is continued only where its pieces
    join into a label of the form and the next page's piece is none by itself."""
    result, got = _review12a("p1-t2-blank-row-at-page-top")
    assert got["proactive"]["penalty"]["decisions"] == 286 and got["proactive"]["coercion"]["decisions"] is None
    assert result.report.provenance["/proactive/penalty/decisions"].page == 1


def test_a_tail_is_joined_only_into_a_label_of_the_form() -> None:
    from govdisclosure.ingest.pdf import _labels
    from govdisclosure.ingest.pdfpages import continued, label_key

    registry = gd.Registry.core()
    labels = _labels(registry.format(v) for v in registry.formats)
    assert labels is not None and _labels(()) is None
    assert label_key("（五）不予处理") == label_key("不予处理") == "不予处理" and label_key("）不予处理") is None
    t2 = {"cells": _row("行政处罚", "286", "", ""), "from": 1}
    assert continued(t2, {"cells": _row("行政强制", "", "", "")}) == "行政处罚行政强制 | 286 | — | —"  # by shape
    assert continued(t2, {"cells": _row("行政强制", "", "", "")}, labels) is None
    assert continued(t2, {"cells": _row("行政 强制", "", "", "")}, labels) is None
    t2b = {"cells": _row("行政事业性", "35.6", "", ""), "from": 1}
    assert continued(t2b, {"cells": _row("收费", "", "", "")}, labels) == "行政事业性收费 | 35.6 | — | —"
    # table 3: the group and the row label both broken; a row of its own with its number left out; no label joined
    tail = {"cells": _row("（五", "1.信访举报", "0", "0", "0", "0", "0", "0", "0"), "from": 2}
    head = {"cells": _row("）不予处理", "投诉类申请", "", "", "", "", "", "", "")}
    assert continued(tail, head, labels) == "（五）不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0"
    assert continued(tail, {"cells": _row(None, "重复申请", "", "", "", "", "", "", "")}, labels) is None
    assert continued(tail, {"cells": _row(None, "投诉类", "", "", "", "", "", "", "")}, labels) is None
    d2 = {"cells": _row("（二）部分公开（区分处理的，只计这一", None, "4", "0", "0", "0", "0", "0", "4"), "from": 2}
    assert continued(d2, {"cells": _row("情形，不计其他情形）", None, "", "", "", "", "", "", "")}, labels) is not None


def _fix13(name: str) -> tuple[gd.LoadResult, dict[str, Any], dict[str, Any]]:
    """A PDF of ``make_fix13.py`` (tests/data/pdf/README.md): review 12a's report, its title, agency, signature read;
    its cells by their paths."""
    result, got = _review12a(name)
    cells = {k: v for table in ("proactive", "requests", "review_litigation")
             for k, v in _flat(got[table], f"/{table}").items()}
    return result, got, cells


_PEOPLE = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total")


def test_a_blank_row_above_a_last_row_broken_over_a_page_does_not_take_its_numbers() -> None:
    """f13-t3-*: （七）总计 printed blank, then 四、结 | 2 0 0 0 0 0 2 at a page's foot and 转下年度继续办理 alone at the next
    page's top (a table of one cell of text, read as text): 结转's numbers were read as 总计's, 结转 null, no finding
    (review 12c #8).  The tail is that table's row, joined to the row it ends."""
    for name, blank in (("f13-t3-total-blank-carried-broken", ("total",)),
                        ("f13-t3-two-blank-carried-broken", ("total", "other/other"))):
        result, got, cells = _fix13(name)
        assert [got["requests"]["carried_forward"][k] for k in _PEOPLE] == [2, 0, 0, 0, 0, 0, 2], name
        empty = [k for k, v in cells.items() if v is None]
        assert sorted(empty) == sorted(f"/requests/{row}/{k}" for row in blank for k in _PEOPLE), (name, empty)
        start = result.report.provenance["/requests/carried_forward/natural_person"].page  # the page it starts on
        assert start == result.report.provenance["/requests/other/fee_unpaid/natural_person"].page, name


def test_a_pages_first_table_of_label_text_only_is_a_row_of_the_table_before() -> None:
    from govdisclosure.ingest.pdfpages import _tail_only

    carry: dict[str, Any] = {"from": 1, "columns": 8}
    tail = [_row("转下年\n度继续\n办理", "", "", "", "", "", "", "")]
    assert _tail_only(tail, carry)
    assert not _tail_only(tail, {})  # the page before ended in no table: a framed paragraph
    assert not _tail_only(tail, {"from": 1, "columns": 4})  # other columns
    assert not _tail_only(tail, {"from": 8, "columns": 8})  # the table before had no number
    assert not _tail_only([_row("转下年", "2", "", "", "", "", "", "")], carry)
    assert not _tail_only([_row("", "", "", "", "", "", "", "")], carry)


def test_a_running_header_or_footer_of_two_lines_is_not_read() -> None:
    """f13-header-footer-two-lines: a Word header 临川县人民政府信息公开 / 临川县自然资源局 and footer
    临川县自然资源局办公室编印 / 联系电话：… on every page: the outer line was dropped, the inner one read on every
    page (in parts 1 and 6 as text; review 12c #12).  f13-short-…: a header whose inner line is the title above page
    1's own title, a footer whose inner line is the agency right below the signature: the title and the signature
    kept."""
    for name in ("f13-header-footer-two-lines", "f13-short-header-title-footer-agency"):
        _, got, cells = _fix13(name)
        assert all(v is not None for v in cells.values()), [k for k, v in cells.items() if v is None]
        parts = json.dumps(got["parts"], ensure_ascii=False)
        for line in ("临川县人民政府信息公开", "办公室编印", "联系电话"):
            assert line not in parts, (name, line)
        assert _TITLE not in parts and parts.count(_AGENCY) == 1, name  # the signature's


def test_a_run_of_running_lines_at_a_page_edge_is_dropped_never_the_title_or_signature() -> None:
    from govdisclosure.ingest.pdf import _dropped, _running

    outer, inner, foot, phone = "临川县人民政府信息公开", "政府信息公开工作年度报告（2023）", "临川县自然资源局", "电话：0794-1234567"
    pages = [[outer, inner, _TITLE, "一、总体情况", "正文。", foot, phone], [outer, inner, "正文二。", "正文三。", foot, phone],
             [outer, inner, "正文四。", "正文五。", foot, phone],
             [outer, inner, "正文六。", _AGENCY, "2024年1月20日", foot, phone]]
    drop = _dropped(pages, _running(pages))
    assert [[page[i] for i in sorted(d)] for page, d in zip(pages, drop, strict=True)] == [[outer, inner, foot, phone]] * 4
    # a line inward of the header that is not on the other pages' edges stays; so does a title of two lines below a
    # header printing the agency (its first line the same words)
    pages = [[outer, _AGENCY, "2023年政府信息公开工作年度报告", "正文。"], [outer, _AGENCY, "正文二。"], [outer, _AGENCY, "正文三。"]]
    assert _dropped(pages, _running(pages)) == [{0}, {0, 1}, {0, 1}]
    pages = [[outer, "正文一。", "正文二。"], [outer, "正文三。", "正文四。"], [outer, "正文五。", "正文六。"]]
    assert _dropped(pages, _running(pages)) == [{0}, {0}, {0}]
