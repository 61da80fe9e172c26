"""Pages that hold less than the report (hostile probe 12b, defects 3 and 4): a page whose three tables are images,
and a page cut short inside a table.  The report is loaded with what the page prints; what the parser could not see
is said by the parser (GD-PARSE-TABLE, GD-PARSE-TRUNCATED) and blamed on the report by no rule; the blank rules count
the cells the report printed empty, as the audit store's ``blank`` does.  Inputs: ``data/probe12b`` (README.md)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.audit import audit

from .conftest import DATA

PAGES = DATA / "probe12b"
IMAGES = PAGES / "tables-as-images-2024.html"
CUT = PAGES / "cut-in-table3-2024.html"
COMPLETE = (PAGES / "complete-2023.html").read_text(encoding="utf-8")
#: what no rule may say of a table the parser did not see, or of the parts after the text's end
BLAME = re.compile(r"GD-M-SECTIONS|GD-T\d-BLANK")


def _codes(findings: list[gd.Finding]) -> list[str]:
    return [f.code for f in findings]


def _blamed(result: gd.LoadResult) -> list[str]:
    return [f"{f.code} {f.pointer}" for f in gd.validate(result) if BLAME.match(f.code)]


def _cut_after(page: str, label: str) -> str:
    """The page cut after the table row holding ``label`` (a download cut short: no </table>, nothing after)."""
    at = page.index(label)
    return page[:page.index("</tr>", at) + len("</tr>")]


def _as_images(page: str, tables: set[int]) -> str:
    """The page with its report tables (0: table 2, 1: table 3, 2: table 4) replaced by an image of each."""
    pieces = page.split('<table border="1"')
    out = pieces[0]
    for k, piece in enumerate(pieces[1:]):
        end = piece.index("</table>") + len("</table>")
        out += f'<p><img src="/u/t{k + 2}.png"></p>{piece[end:]}' if k in tables else '<table border="1"' + piece
    return out


def _text(page: str) -> str:
    """The page's words, a line each, as a scraper that drops the markup keeps them."""
    return re.sub(r"\n+", "\n", re.sub(r"<[^>]+>", "\n", page))


# ----------------------------------------------------------------------------- tables printed as images (#3)


def test_a_page_whose_tables_are_images_is_a_report_with_its_tables_not_found() -> None:
    result = gd.parse(IMAGES)
    report = result.report
    assert (report.year, report.agency.name, report.title) == (2024, "白河县教育局", "白河县教育局2024年政府信息公开工作年度报告")
    assert "1246" in (report.parts.overview or "") and "业务培训" in (report.parts.problems or "")
    assert all(v is None for v in report.values())
    tables = [f for f in result.findings if f.code == "GD-PARSE-TABLE"]
    assert [f.pointer for f in tables] == ["/proactive", "/requests", "/review_litigation"]
    assert all(f.params["heading"].endswith(f.message.zh[f.message.zh.index("（") + 1:f.message.zh.index("）")])
               for f in tables)  # each names its heading as printed
    assert "image" in tables[0].message.en and "图片" in tables[0].message.zh
    assert _blamed(result) == []
    assert not [f for f in gd.validate(result) if f.severity.value == "error"]


@pytest.mark.parametrize("tables", [{0, 1, 2}, {1, 2}, {2}])
@pytest.mark.parametrize("as_text", [False, True])
def test_tables_printed_as_images_blame_nothing_whichever_they_are(tables: set[int], as_text: bool) -> None:
    page = _as_images(COMPLETE, tables)
    result = parse(_text(page), from_="text") if as_text else parse(page.encode(), from_="html")
    unseen = {f.pointer for f in result.findings if f.code == "GD-PARSE-TABLE"}
    names = ("/proactive", "/requests", "/review_litigation")
    assert unseen == {names[k] for k in tables}
    assert _blamed(result) == []
    whole = gd.parse(COMPLETE.encode(), from_="html").report
    for k, name in enumerate(names):  # the tables printed as text are read as before
        if k not in tables:
            assert result.report.values(name[1:]) == whole.values(name[1:])


@pytest.mark.parametrize("text", [
    # a notice listing the six parts a report must have, each on its own line: no prose, no table
    "关于报送2024年度政府信息公开工作年度报告的通知\n各乡镇、各部门：\n报告应包括以下部分：\n一、总体情况\n二、主动公开政府信息情况\n"
    "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
    "请于1月31日前报送。\n",
    # a page of links to a report's parts
    "<html><body><ul>" + "".join(f"<li><a href='#'>{h}</a></li>" for h in (
        "白河县教育局2024年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")) + "</ul></body></html>",
], ids=["notice", "links"])
def test_headings_only_listed_are_still_not_a_report(text: str) -> None:
    with pytest.raises(gd.LoadError) as refused:
        parse(text.encode(), from_="html" if text.startswith("<") else "text")
    assert refused.value.findings[0].code == "GD-LOAD-NOT-REPORT"
    assert "headings found" in refused.value.lines("en")[0] and "no part headings" not in refused.value.lines("en")[0]


def test_the_image_page_without_its_prose_is_not_a_report() -> None:
    """The probe's page with every paragraph but the headings taken out: six headings and three images."""
    page = IMAGES.read_text(encoding="utf-8")
    body = page[page.index('<div class="content'):page.index('<div class="print')]
    bare = page.replace(body, re.sub(r"<p>(?![一二三四五六]、)[^<]*</p>", "", body))
    with pytest.raises(gd.LoadError) as refused:
        parse(bare.encode(), from_="html")
    assert refused.value.findings[0].code == "GD-LOAD-NOT-REPORT"


# ----------------------------------------------------------------------------- a text cut inside a table (#4)


def test_a_page_cut_inside_table_3_says_so_and_blames_no_blank() -> None:
    result = gd.parse(CUT)
    cut = [f for f in result.findings if f.code == "GD-PARSE-TRUNCATED"]
    assert len(cut) == 1 and cut[0].pointer == "/requests" and cut[0].params["rows"] == 12
    assert cut[0].params["row"] == "1.本机关不掌握相关政府信息" and "1.本机关不掌握相关政府信息" in cut[0].message.zh
    assert "ends inside" in cut[0].message.en and cut[0].line is not None
    assert _blamed(result) == []  # not 84/175 blanks of table 3, nor parts 4-6 missing
    report = result.report
    assert report.cell("/requests/unable/not_held/total") == 9  # what it prints is read
    # the report as data keeps its provenance and so the same reading; written without it (by hand), every empty
    # cell is the agency's blank, as before
    data = json.loads(gd.dump(report))
    assert [f for f in gd.validate(gd.loads(json.dumps(data), source="x.json")) if BLAME.match(f.code)
            and f.code != "GD-M-SECTIONS"] == []
    del data["provenance"]
    by_hand = [f for f in gd.validate(gd.loads(json.dumps(data), source="x.json")) if f.code == "GD-T3-BLANK"]
    assert len(by_hand) == 1 and by_hand[0].params["count"] == 84


@pytest.mark.parametrize(("label", "table", "last"), [
    ("行政许可", "/proactive", "行政许可"),  # inside table 2
    ("（一）予以公开", "/requests", "（一）予以公开"),
    ("2.没有现成信息需要另行制作", "/requests", "2.没有现成信息需要另行制作"),
    ("尚未审结</td><td>总计</td></tr>", "/review_litigation", "表头"),  # table 4's header, not its numbers
], ids=["table2", "table3-label-cut", "table3", "table4-header"])
@pytest.mark.parametrize("as_text", [False, True], ids=["html", "text"])
def test_a_text_cut_inside_any_table_is_said_to_end_there(label: str, table: str, last: str, as_text: bool) -> None:
    page = COMPLETE
    at = page.index("四、政府信息公开行政复议") if table == "/review_litigation" else 0
    cut = page[:page.index(label, at) + len(label)] if label.endswith("</tr>") else _cut_after(page, label)
    if label == "（一）予以公开":  # and a label cut short after it
        cut += '<tr><td colspan="2">（二）部分公开（区分处'
    result = parse(_text(cut), from_="text") if as_text else parse(cut.encode(), from_="html")
    said = [f for f in result.findings if f.code == "GD-PARSE-TRUNCATED"]
    assert [(f.pointer, f.params["row"]) for f in said] == [(table, last)]
    assert _blamed(result) == []


def test_a_complete_report_and_one_that_ends_with_its_last_row_are_not_cut() -> None:
    assert "GD-PARSE-TRUNCATED" not in _codes(gd.parse(COMPLETE.encode(), from_="html").findings)
    # a text ending with table 3's last row: its parts 4-6 missing are the report's (or a page cut there: unknown)
    ended = _cut_after(COMPLETE, "四、结转下年度继续办理")
    result = parse(ended.encode(), from_="html")
    assert "GD-PARSE-TRUNCATED" not in _codes(result.findings)
    assert "GD-M-SECTIONS" in _codes(gd.validate(result))


def test_a_row_printed_blank_is_the_agency_s_blank() -> None:
    """A row whose label is followed by the next row's (3.其他 printed with no number) is found, and blank: the parser
    records where it is, so neither the blank rules nor the store take it for a row never found."""
    result = gd.parse(DATA / "ingest" / "blank-row-run-together.txt")
    assert result.report.provenance["/requests/other/other/natural_person"].line is not None
    blank = [f for f in gd.validate(result) if f.code == "GD-T3-BLANK"]
    assert len(blank) == 1 and blank[0].pointer == "/requests/other/other/natural_person"


def test_the_blank_rules_and_the_store_count_the_same_blanks(tmp_path: Path) -> None:
    """GD-T*-BLANK counts what the audit store's ``cells`` view calls ``blank`` (not ``not_found``)."""
    corpus = DATA / "corpus" / "reports"
    inputs = [CUT, IMAGES, corpus / "045-district-tongjiju-2023-pages-excerpt.txt",
              corpus / "056-unknown-bureau-2019fmt-owenbabies-mirror-pages-excerpt.txt"]
    db = tmp_path / "a.sqlite"
    audit([str(p) for p in inputs], str(db), jobs=0)
    with sqlite3.connect(db) as con:
        stored = dict(((Path(s).name, t), (b, n)) for s, t, b, n in con.execute(
            "SELECT r.source, c.table_id, SUM(c.blank), SUM(c.not_found) FROM cells c JOIN reports r USING (report_id) "
            "GROUP BY r.source, c.table_id"))
    assert len({source for source, _ in stored}) == len(inputs)  # the image page is stored, not a failed input
    assert stored[(IMAGES.name, "requests")] == (0, 175)
    for path in inputs:
        result = gd.parse(path)
        said = {f.pointer.split("/")[1]: f.params["count"] for f in gd.validate(result) if BLAME.match(f.code)
                and f.code != "GD-M-SECTIONS"}
        for table in ("proactive", "requests", "review_litigation"):
            blanks, _ = stored[(path.name, table)]
            cells = len(result.report.values(table))
            # a table the report printed wholly blank is GD-M-SECTIONS' (one cause, one finding)
            assert said.get(table, 0) == (blanks if blanks < cells else 0), (path.name, table)
