"""Tables printed as an annex after the signature, and a title wrapped over lines (hostile probe 12a, defects 1
and 3).  The probe's PDF text (``data/probe12a/``) and edits of a complete report (``data/ingest/
unseen-plain-2023.txt``, which parses exactly) in the shapes agencies print: every cell read, no second report,
“附件N” no cell, the sentences citing the annex kept in their parts; a wrapped title's agency whole."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

BASE = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
TITLE = "青田县市场监督管理局2023年政府信息公开工作年度报告"
#: the headings of parts 2 to 5 (spec/tables.md), between which the tables stand
HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况")
CAPTIONS = ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")
TABLES = ("proactive", "requests", "review_litigation")
OTHER = "本年度未收取信息处理费。无其他需要报告的事项。\n青田县市场监督管理局\n2024年1月18日"
#: what says the parser lost or misplaced something
WRONG = {"GD-PARSE-SECOND-REPORT", "GD-PARSE-REPORT-AGAIN", "GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT", "GD-PARSE-TABLE",
         "GD-PARSE-UNSETTLED", "GD-M-SECTIONS"}


def _tables(text: str) -> list[str]:
    """The three tables of the base report, as printed under their parts."""
    return [text[text.index(a + "\n") + len(a) + 1:text.index(b + "\n")]
            for a, b in itertools.pairwise(HEADINGS)]


def _annexed(heads: list[str], cite: str = "具体情况详见附件{n}。\n", between: str = "") -> str:
    """The base report with each table replaced by ``cite`` and printed after the signature under its head."""
    text, tables = BASE, _tables(BASE)
    for n, table in enumerate(tables, 1):
        text = text.replace(table, cite.format(n=n), 1)
    text = text.rstrip("\n") + "\n" + between
    return text + "".join(head.format(n=n) + table for n, (head, table) in enumerate(zip(heads, tables, strict=True), 1))


def _codes(result: gd.LoadResult) -> set[str]:
    return {f.code for f in result.findings} | {f.code for f in gd.validate(result.report)}


@pytest.mark.parametrize(("heads", "cite", "between"), [
    ([f"附件{{n}}\n{c}\n" for c in CAPTIONS], "具体情况详见附件{n}。\n", ""),  # 附件1, its caption, the table
    ([f"附件{{n}}：{c}\n" for c in CAPTIONS], "具体情况详见附件{n}。\n", ""),  # 附件1：caption on one line
    ([f"表{'一二三'[i]} {c}\n" for i, c in enumerate(CAPTIONS)], "详见附表{n}\n", ""),  # 表一 caption; no '。'
    (["附件{n}\n"] * 3, "具体情况详见附件{n}。\n", "附件：\n"),  # no caption; a line announcing the annex
], ids=["head-caption", "head-colon-caption", "table-numbered-no-stop", "head-only"])
def test_tables_printed_as_an_annex_are_the_reports(heads: list[str], cite: str, between: str) -> None:
    result = parse(_annexed(heads, cite, between), from_="text")
    report, base = result.report, parse(BASE, from_="text").report
    for table in TABLES:
        assert attrs.asdict(getattr(report, table)) == attrs.asdict(getattr(base, table)), table
    for n, table in enumerate(TABLES, 1):
        assert getattr(report.parts, table) == cite.format(n=n).strip()  # the sentence citing the annex stays
    assert report.parts.other == (OTHER + "\n" + between).rstrip("\n")  # part 6 ends at the annex: no table in it
    assert report.title == TITLE and report.published_on == dt.date(2024, 1, 18)
    assert not _codes(result) & WRONG, _codes(result)


def test_an_annex_of_tables_in_a_pdfs_text() -> None:
    """The probe's PDF (the official template filled, its tables after the signature under 附件1–3) as the PDF
    reader gives its lines: every cell, title, agency, date and sentence of the truth."""
    text = (DATA / "probe12a" / "tables-as-annex-2024.txt").read_text(encoding="utf-8")
    truth: dict[str, Any] = json.loads((DATA / "probe12a" / "tables-as-annex-2024.expect.json").read_text("utf-8"))
    result = parse(text, from_="text")
    data = gd.to_data(result.report)
    for table in TABLES:
        assert _flat(data[table]) == {k: None if v is None else str(v) for k, v in _flat(truth[table]).items()}
    assert (data["title"], data["agency"]["name"], data["agency"]["level"], data["published_on"]) == (
        truth["title"], truth["agency"], truth["level"], truth["published_on"])
    for part, sentences in truth["parts"].items():
        printed = re.sub(r"\s+", "", data["parts"][part] or "")
        assert all(re.sub(r"\s+", "", s) in printed for s in sentences), part
    assert data["parts"]["other"].endswith("2025年1月20日")  # the signature, then no 附件 line nor table
    assert not _codes(result) & WRONG, _codes(result)


def _flat(node: Any, at: str = "") -> dict[str, str | None]:
    if isinstance(node, dict):
        return {k: v for key, value in node.items() for k, v in _flat(value, f"{at}/{key}").items()}
    return {at: None if node is None else str(node)}


def test_an_annex_that_is_another_document_is_no_table() -> None:
    """附件 after the signature holding a notice (its 一、/二、 headings, a count): no table, no cell from the
    citing sentences' numbers, no second report; each table said not found, the report loaded."""
    text = BASE
    for n, table in enumerate(_tables(BASE), 1):
        text = text.replace(table, f"具体情况详见附件{n}。\n", 1)
    text += ("附件1\n青田县市场监督管理局关于印发2023年政务公开工作要点的通知\n各科室：\n现将《2023年政务公开工作要点》印发"
             "给你们，请认真贯彻落实。\n一、总体要求\n坚持以公开为常态。\n二、重点任务\n（一）推进决策公开。全年公开重大决策草案3件。\n")
    result = parse(text, from_="text")
    report = result.report
    assert all(v is None for v in report.values())
    for n, table in enumerate(TABLES, 1):
        assert getattr(report.parts, table) == f"具体情况详见附件{n}。"
    codes = [f.code for f in result.findings]
    assert codes.count("GD-PARSE-TABLE") == 3
    assert not set(codes) & {"GD-PARSE-SECOND-REPORT", "GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT"}, codes
    assert report.parts.other is not None and report.parts.other.endswith("全年公开重大决策草案3件。")


AGENCY = "中国（福建）自由贸易试验区平潭片区管理委员会行政审批与市场监督管理局"


@pytest.mark.parametrize("title", [
    # the probe's PDF: the agency wrapped, then the title's words
    "中国（福建）自由贸易试验区平潭片区管理委员会行\n政审批与市场监督管理局 2023 年政府信息公开工\n作年度报告\n",
    "中国（福建）自由贸易试验区平潭片区管理委员会行政审批\n与市场监督管理局2023年政府信息公开工作年度报告\n",
    "中国（福建）自由贸易试验区平潭\n片区管理委员会行政审批与市场监\n督管理局2023年政府信息公开工作\n年度报告\n",
], ids=["probe-pdf", "two-lines", "three-lines"])
def test_a_wrapped_titles_lines_are_joined(title: str) -> None:
    result = parse(BASE.replace(TITLE + "\n", title, 1), from_="text")
    report = result.report
    assert report.title == AGENCY + "2023年政府信息公开工作年度报告"
    assert report.agency.name == AGENCY and report.agency.level == "county_department"
    assert report.parts.preamble is not None and report.parts.preamble.startswith("本报告根据")


@pytest.mark.parametrize("above", [
    "青田县市场监督管理局文件\n",  # a red header
    "中共青田县委办公室青田县人民政府办公室青田县市场监督局文件\n",  # a red header as wide as the title
    "青市监发〔2024〕3号\n",  # a document's number
    "根据条例规定，现将我局年度报告全文公布如下。\n",  # a sentence (the preamble's)
    "首页 > 政府信息公开 > 年度报告\n",  # a page's path
    "首页 机构概况 政务公开 办事服务 互动交流 专题专栏\n",  # a page's menu
    "某某局\n2024年1月5日\n",  # another text's signature
], ids=["red-header", "red-header-wide", "document-number", "sentence", "path", "menu", "signature"])
def test_a_line_above_a_whole_title_is_not_joined_to_it(above: str) -> None:
    report = parse(BASE.replace(TITLE + "\n", above + TITLE + "\n", 1), from_="text").report
    assert report.title == TITLE and report.agency.name == "青田县市场监督管理局"
