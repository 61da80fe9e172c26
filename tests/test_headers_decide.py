"""Printed column headers decide (probe 13 #1, #6, #2, #5; fix13-pdf's leftover): a table 3 printed with only its 总计
column, table 2's blocks printed with a column more or with the other version's columns, a last row whose label wraps
after its first characters, and a 2019 table 3 printed with the 2021 （六） sub-rows.  Inputs: ``data/probe13/``."""

from __future__ import annotations

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA
from .test_columns_header import _cells

PROBE = DATA / "probe13"
APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")


def _read(name: str) -> str:
    return (PROBE / name).read_text(encoding="utf-8")


def _kind(name: str) -> str:
    return "html" if name.endswith(".html") else "text"


def _column(requests: object, column: str) -> dict[str, object]:
    """Every cell of one column of table 3 (by row path)."""
    return _cells(attrs.asdict(requests), column)  # type: ignore[arg-type]


def _codes(result: gd.LoadResult) -> list[str]:
    return [f.code for f in result.findings]


# ----------------------------------------------------------------------------- #1 table 3 with only 总计

TOTALS = {"received": 18, "carried_over": 0, "granted": 12, "partially_granted": 0, "unable/not_held": 3,
          "other/no_correction": 2, "other/other": 1, "total": 18, "carried_forward": 0}


def _html_seven(text: str) -> str:
    """r12c with every row seven cells wide (the group rows seven empty cells): the form's columns."""
    header = "<td>总计</td></tr>"
    seven = "".join(f"<td>{c}</td>" for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"))
    text = text.replace(header, seven + "</tr>", 1)
    text = text.replace("<td></td></tr>", "<td></td>" * 7 + "</tr>")
    for n in ("18", "12", "3", "2", "1", "0"):
        text = text.replace(f"<td>{n}</td></tr>", f"<td>{n}</td>" + "<td>0</td>" * 5 + f"<td>{n}</td></tr>")
    return text


@pytest.mark.parametrize("name", ["r12-t3-total-only.txt", "r12b-t3-total-only-oneheader.txt",
                                  "r12c-t3-total-only.html"])
def test_a_table_3_printed_with_only_its_total_column_reads_totals_as_totals(name: str) -> None:
    result = parse(_read(name), from_=_kind(name))
    totals = _column(result.report.requests, "total")
    for path, value in TOTALS.items():
        assert totals[path] == value, path
    for column in APPLICANTS:
        assert set(_column(result.report.requests, column).values()) == {None}, column
    missing = [f.params["name"] for f in result.findings if f.code == "GD-PARSE-COLUMN-MISSING"]
    assert missing == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert not {"GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT"} & set(_codes(result))


@pytest.mark.parametrize("header", ["申请人情况 总计", "总计"])
def test_a_total_only_table_3_with_spaces_reads_totals_as_totals(header: str) -> None:
    # a variant not tuned on: numbers apart by spaces, the header's words by a space (or 总计 alone)
    text = _read("r12-t3-total-only.txt").replace(" | ", " ")
    text = text.replace("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况\n| 总计\n", header + "\n")
    assert header + "\n一、本年新收" in text
    result = parse(text, from_="text")
    assert _column(result.report.requests, "total")["received"] == 18
    assert _column(result.report.requests, "total")["granted"] == 12
    assert set(_column(result.report.requests, "natural_person").values()) == {None}


def test_a_group_rows_empty_cells_are_no_row_of_numbers() -> None:
    # the HTML table's group rows (三、本年度办理结果, （三）不予公开 …), their cells empty: no numbers of no row
    result = parse(_html_seven(_read("r12c-t3-total-only.html")), from_="html")
    assert "GD-PARSE-NO-ROW" not in _codes(result)
    assert _column(result.report.requests, "total")["received"] == 18
    assert _column(result.report.requests, "natural_person")["granted"] == 12


# ----------------------------------------------------------------------------- a last row's label wrapped

BASE = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
LAST_ROWS = "（七）总计 43 5 1 0 2 1 52\n四、结转下年度继续办理 0 1 0 0 0 0 1\n"


#: the last rows as printed: the label cut after 四、结 (numbers apart by spaces, by '|'), after 四、结转下年 in three lines
WRAPPED = {"spaces": "（七）总计\n四、结 0 1 0 0 0 0 1\n转下年度继续办理\n",
           "pipes": "（七）总计\n四、结 | 0 | 1 | 0 | 0 | 0 | 0 | 1\n转下年度继续办理\n",
           "three-lines": "（七）总计\n四、结转下年 0 1 0 0 0 0 1\n度继续\n办理\n"}


@pytest.mark.parametrize("rows", WRAPPED.values(), ids=WRAPPED.keys())
def test_a_last_rows_label_wrapped_after_its_numbers_keeps_them(rows: str) -> None:
    """fix13-pdf's leftover: （七）总计 printed blank, then the last row's label cut after its first characters with
    its numbers on that line: they were read as 总计's (the label's start was no label), the last row blank."""
    assert LAST_ROWS in BASE
    result = parse(BASE.replace(LAST_ROWS, rows), from_="text")
    requests = result.report.requests
    assert attrs.astuple(requests.carried_forward) == (0, 1, 0, 0, 0, 0, 1)
    assert set(attrs.astuple(requests.total)) == {None}
    assert "GD-PARSE-NO-ROW" not in _codes(result)
    assert "转下年度" not in str(result.report.parts.requests or "")  # the label's tail is the table's, no prose
