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


@pytest.mark.parametrize(("tables", "as_text"), [({0, 1, 2}, False), ({1, 2}, False), ({2}, False), ({1, 2}, True),
                                                 ({2}, True)])
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


def test_a_text_whose_every_table_was_an_image_left_no_trace_reads_as_a_list_of_headings() -> None:
    """The page's words with the markup dropped (the three <img> with it): each table's heading is followed by the next
    heading, as in a contents page or a notice listing them (review 12a #6): refused, not loaded as an empty report."""
    with pytest.raises(gd.LoadError) as refused:
        parse(_text(_as_images(COMPLETE, {0, 1, 2})), from_="text")
    assert refused.value.findings[0].code == "GD-LOAD-NOT-REPORT"


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
    # the report as data (its JSON) does not record that the parser lost rows: every empty cell is the agency's
    # blank there, with its provenance or without (review 12c #4: a row the agency left out must not go silent in
    # the JSON where the text says it); the parse's GD-PARSE-TRUNCATED is what tells the cut
    data = json.loads(gd.dump(report))
    for each in (data, {k: v for k, v in data.items() if k != "provenance"}):
        found = [f for f in gd.validate(gd.loads(json.dumps(each), source="x.json")) if f.code == "GD-T3-BLANK"]
        assert len(found) == 1 and found[0].params["count"] == 84


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
    # a header with nothing after it may be a report that stopped there (review 12a #4): said, but no rule silenced
    sure = last != "表头"
    assert [f.params["sure"] for f in said] == [sure]
    assert _blamed(result) == ([] if sure else [f"GD-M-SECTIONS {p}" for p in (table, "/parts/problems", "/parts/other")])


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


# ----------------------------------------------------------------------------- review 12a: #3-#6, #10

REVIEW = DATA / "review12a"
BASE = (REVIEW / "base.txt").read_text(encoding="utf-8")
T4_HEADER = ("行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
             "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n")
T4_ROW = "5 2 1 0 8 1 0 0 0 1 0 0 1 0 1\n"
AFTER_T4 = BASE[BASE.index(T4_ROW) + len(T4_ROW):]


def _errors(text: str) -> list[str]:
    return [f"{f.code} {f.pointer}" for f in gd.validate(parse(text, from_="text")) if f.severity.value == "error"]


def _blank_count(result: gd.LoadResult | gd.Report, code: str = "GD-T3-BLANK") -> int:
    said = [f for f in gd.validate(result) if f.code == code]
    return said[0].params["count"] if said else 0


@pytest.mark.parametrize("text", [
    (REVIEW / "n1-notice.txt").read_text(encoding="utf-8"),
    (REVIEW / "n2-index.txt").read_text(encoding="utf-8"),
    # the contents page as a web page, the headings as paragraphs
    "<html><body>" + "".join(f"<p>{line}</p>" for line in (REVIEW / "n2-index.txt").read_text(
        encoding="utf-8").splitlines()) + "</body></html>",
    # a notice with guidance under every prose part, each table's heading followed by the next
    "关于做好2024年度政府信息公开工作年度报告的通知\n一、总体情况\n全面总结本年度政府信息公开工作情况，内容应当具体翔实，数据准确。\n"
    "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进情况\n客观分析存在的问题，提出有针对性的改进措施，不得泛泛而谈。\n"
    "六、其他需要报告的事项\n说明收取信息处理费情况及落实上级年度政务公开工作要点情况。\n",
], ids=["notice", "contents", "contents-html", "notice-prose-everywhere"])
def test_a_notice_or_a_contents_page_listing_the_headings_is_not_a_report(text: str) -> None:
    """Review 12a #6: nothing stands under the table headings (no image, no caption): a list of headings."""
    with pytest.raises(gd.LoadError) as refused:
        parse(text.encode(), from_="html" if text.startswith("<") else "text")
    assert refused.value.findings[0].code == "GD-LOAD-NOT-REPORT"


@pytest.mark.parametrize("under", [
    '<figure><img src="/u/t.png"></figure>', '<p><img src="/u/t.png" alt="表格"></p><p>（图表）</p>',
    '<div><img src="/u/t.png"/></div>'], ids=["figure", "caption", "div"])
def test_tables_as_images_in_other_markup_leave_their_trace(under: str) -> None:
    """The image page's <img> paragraphs written otherwise: still a report, each table said not found as an image."""
    page = IMAGES.read_text(encoding="utf-8")
    page = re.sub(r'<p style="text-align:center"><img [^>]*></p>', under, page)
    result = parse(page.encode(), from_="html")
    assert [f.pointer for f in result.findings if f.code == "GD-PARSE-TABLE" and "heading" in f.params] == [
        "/proactive", "/requests", "/review_litigation"]
    assert _blamed(result) == []


@pytest.mark.parametrize(("table", "sentence"), [
    ("/review_litigation", "本年度未发生政府信息公开行政复议、行政诉讼案件。"),
    ("/review_litigation", "本年度我局未发生因政府信息公开引起的行政复议和行政诉讼"),
])
def test_a_table_written_as_a_sentence_is_left_out_not_an_image(table: str, sentence: str) -> None:
    """Review 12a #3: table 4 replaced by a sentence saying there was none: the report left the table out
    (GD-M-SECTIONS, as before), not a table printed as an image."""
    text = BASE.replace(T4_HEADER + T4_ROW, sentence + "\n")
    result = parse(text, from_="text")
    said = [f for f in result.findings if f.code == "GD-PARSE-TABLE"]
    assert [f.pointer for f in said] == [table] and "heading" not in said[0].params
    assert _errors(text) == [f"GD-M-SECTIONS {table}"]
    assert _blamed(result) == [f"GD-M-SECTIONS {table}"]


@pytest.mark.parametrize(("ending", "truncated"), [
    (T4_HEADER + "本年度无政府信息公开行政复议、行政诉讼情况\n", False),  # a sentence (no full stop) after the header
    (T4_HEADER + "本年度未发生行政复议、行政诉讼。\n", False),
    (T4_HEADER, True),  # the header and nothing after: perhaps cut, perhaps not
    ("本年度无政府信息公开行政复议、行政诉讼情况。\n", False),
])
def test_a_report_ending_with_table_4_unwritten_keeps_the_parts_it_left_out(ending: str, truncated: bool) -> None:
    """Review 12a #4: a report that stops after table 4's header (its numbers written as a sentence, or none), parts
    5 and 6 never written: GD-M-SECTIONS says all three are missing; a header with nothing after it is said to be
    perhaps cut (GD-PARSE-TRUNCATED, not sure), which silences no rule."""
    text = BASE[:BASE.index(T4_HEADER)] + ending
    result = parse(text, from_="text")
    cut = [f for f in result.findings if f.code == "GD-PARSE-TRUNCATED"]
    assert [(f.pointer, f.params["sure"]) for f in cut] == ([("/review_litigation", False)] if truncated else [])
    assert _errors(text) == ["GD-M-SECTIONS /review_litigation", "GD-M-SECTIONS /parts/problems",
                             "GD-M-SECTIONS /parts/other"]


@pytest.mark.parametrize(("blank", "count"), [
    (["四、结转下年度继续办理"], 7),  # the last row
    (["3.其他", "（七）总计", "四、结转下年度继续办理"], 21),  # the last three
    (["（七）总计", "四、结转下年度继续办理"], 14),
])
@pytest.mark.parametrize("ends_there", [False, True], ids=["complete", "ends-after-table-3"])
def test_rows_printed_blank_at_the_end_of_table_3_are_the_agency_s_blanks(blank: list[str], count: int,
                                                                          ends_there: bool) -> None:
    """Review 12a #5, #10: rows printed with their label alone after table 3's last number are found (their line
    recorded) and blank: GD-T3-BLANK counts them, as the base did, from the text and from the report as data; a text
    that ends with them is not cut inside the table."""
    lines = BASE.split("\n")
    for label in blank:
        k = next(i for i, line in enumerate(lines) if line.startswith(label + " "))
        lines[k] = label
    text = "\n".join(lines)
    if ends_there:
        text = text[:text.index("四、结转下年度继续办理") + len("四、结转下年度继续办理")] + "\n"
    result = parse(text, from_="text")
    assert "GD-PARSE-TRUNCATED" not in _codes(result.findings)
    assert _blank_count(result) == count
    assert result.report.provenance["/requests/carried_forward/natural_person"].line is not None
    data = gd.loads(gd.dump(result.report), source="x.json")
    assert _blank_count(data) == count


def test_a_row_the_parser_did_not_find_is_a_blank_where_it_lost_no_row() -> None:
    """Review 12a #5: the blank rules skip a row with no provenance only where the parser said it lost rows of the
    table (GD-PARSE-TRUNCATED, the table not found); a row printed blank under a label worded otherwise (合计) and the
    row after it, then part 4: the agency's blanks."""
    lines = BASE.split("\n")
    for label, printed in (("（七）总计", "（七）合计"), ("四、结转下年度继续办理", "四、结转下年度继续办理")):
        k = next(i for i, line in enumerate(lines) if line.startswith(label + " "))
        lines[k] = printed
    result = parse("\n".join(lines), from_="text")
    assert not {"GD-PARSE-TRUNCATED", "GD-PARSE-TABLE"} & set(_codes(result.findings))
    assert _blank_count(result) == 14
