"""A table's lead-in line citing it by number, and a long line above a one-line title (review 12a, findings 8 and
9).  Edits of a complete report (``data/ingest/unseen-plain-2023.txt``, which parses exactly) in the shapes of the
review's inputs (``a4-cites-table.txt``: 复议诉讼情况见附表3： over table 4; ``w3-long-above.txt``: a publishers' line
over the title): the number of 附表N/附件N/表N is no cell, and a whole title takes no piece of the line above it."""

from __future__ import annotations

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

BASE = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
TITLE = "青田县市场监督管理局2023年政府信息公开工作年度报告"
AGENCY = "青田县市场监督管理局"
#: the headings of the parts holding the tables (spec/tables.md)
HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
TABLES = ("proactive", "requests", "review_litigation")
#: what says the parser lost or misplaced something
WRONG = {"GD-PARSE-NO-ROW", "GD-PARSE-UNSPLIT", "GD-PARSE-TABLE", "GD-PARSE-UNSETTLED", "GD-M-SECTIONS",
         "GD-PARSE-SECOND-REPORT"}


def _codes(result: gd.LoadResult) -> set[str]:
    return {f.code for f in result.findings} | {f.code for f in gd.validate(result.report)}


@pytest.mark.parametrize("lead_in", [
    "复议诉讼情况见附表{n}：",  # the review's: a colon, the table right under it
    "具体情况详见表{n}",  # 表N, no mark after it
    "详见附件{n}。",  # a full stop
    "情况见附件 {n}",  # a space before the number
    "（详见附表{n}）",  # in brackets
    "见附表{n}-1：",  # a sub-table's number
], ids=["fubiao-colon", "biao-bare", "fujian-stop", "fujian-space", "brackets", "sub-table"])
def test_a_tables_number_in_its_lead_in_is_no_cell(lead_in: str) -> None:
    text = BASE
    for n, heading in enumerate(HEADINGS, 1):
        text = text.replace(heading + "\n", f"{heading}\n{lead_in.format(n=n)}\n", 1)
    result = parse(text, from_="text")
    base = parse(BASE, from_="text").report
    for table in TABLES:
        assert attrs.asdict(getattr(result.report, table)) == attrs.asdict(getattr(base, table)), table
    assert not _codes(result) & WRONG, _codes(result)


#: the title's words after the year
WORDS = "2023年政府信息公开工作年度报告"


@pytest.mark.parametrize(("printed", "agency"), [
    # the review's: publishers' names on one unpunctuated line, wider than the title under it
    ("中共青田县委青田县人民政府青田县市场监督管理局联合发布\n" + TITLE, AGENCY),
    ("中共青田县委办公室青田县人民政府办公室青田县市场监督管理局\n" + TITLE, AGENCY),  # names only, no 发布
    ("浙江省丽水市青田县人民政府办公室主办青田县大数据中心承办\n" + TITLE, AGENCY),  # a site's line
    # the year's line starts with no place (no whole name): joined, from after the lead (…发布), not from the same
    # words printed earlier on the lead's line
    ("国家市场监督管理总局和市场监督管理局联合发布\n市场监督管理局" + WORDS, "市场监督管理局"),
    # wrapped agencies, still joined: the year's line holds a name's tail
    ("中国（浙江）自由贸易试验区丽水片区管理委员会青田县市场\n监督管理局" + WORDS,
     "中国（浙江）自由贸易试验区丽水片区管理委员会青田县市场监督管理局"),
    ("丽水市青田县市场监督管理局（青田县知识产权局、青田\n县食品安全委员会办公室）" + WORDS,
     "丽水市青田县市场监督管理局（青田县知识产权局、青田县食品安全委员会办公室）"),
    ("丽水市青田县市场监督管理局青田县林业局（青田县自然资源确权登记\n中心）" + WORDS,
     "丽水市青田县市场监督管理局青田县林业局（青田县自然资源确权登记中心）"),
], ids=["publishers", "red-header-names", "site", "not-whole-from-lead", "wrapped-zone", "wrapped-brackets",
        "wrapped-bracket-tail"])
def test_a_long_line_above_a_whole_title_is_not_joined_to_it(printed: str, agency: str) -> None:
    report = parse(BASE.replace(TITLE + "\n", printed + "\n", 1), from_="text").report
    assert (report.title, report.agency.name) == (agency + WORDS, agency)
