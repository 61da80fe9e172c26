"""A report on a site's page and the page around it (hostile probe 11b, defects 2, 4, 6 and 8): each test edits one
complete page (``data/probe11b/page-sidebar-2023.html``, whose cells and parts parse exactly) in one way, and asks
that the report's cells, title, year and parts are what the page's article prints, and the page's frame none of
them."""

from __future__ import annotations

import re

import pytest

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.ingest import html

from .conftest import DATA

BASE = (DATA / "probe11b" / "page-sidebar-2023.html").read_text(encoding="utf-8")
TITLE = "临江县教育局2023年政府信息公开工作年度报告"
_GROUP = re.compile(r'<tr><td rowspan="(\d+)">（')


def _page(page: str, reader: str, monkeypatch: pytest.MonkeyPatch) -> gd.LoadResult:
    """The page parsed with the fast reader (selectolax) or the standard library's."""
    if reader == "fast":
        pytest.importorskip("selectolax")
    elif html.__file__.endswith((".so", ".pyd")):  # compiled: a call inside the module is direct, not patched
        pytest.skip("the standard library's reader is tested in the pure Python build")
    else:
        monkeypatch.setattr(html, "_flatten_fast", lambda text: None)
    return parse(page, from_="html")


def _unmerged(page: str, empty: str) -> str:
    """Table 3's group cells (（三）不予公开 …) printed once each and ``empty`` in the group's later rows, as a CMS
    that unmerges a Word table prints them."""
    out, pending = [], 0
    for line in page.split("\n"):
        if m := _GROUP.match(line):
            pending = int(m.group(1)) - 1
            line = line.replace(f' rowspan="{m.group(1)}"', "", 1)
        elif pending and line.startswith("<tr>"):
            line, pending = line.replace("<tr>", "<tr>" + empty, 1), pending - 1
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("reader", ["fast", "stdlib"])
@pytest.mark.parametrize("empty", ["<td></td>", "<td>&nbsp;</td>", "<td></td><td> </td>", "<td><p></p></td>"],
                         ids=["empty", "nbsp", "two-empty", "empty-paragraph"])
def test_an_empty_cell_before_a_rows_label_is_no_value(empty: str, reader: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe 11b #4: a group cell printed empty in the group's later rows became a blank mark ('— | 2.重复申请 | 2 |
    …') that joined the row's numbers: all 105 cells of 不予公开 … 其他处理 were null (GD-PARSE-UNSPLIT)."""
    page = _unmerged(BASE, empty)
    assert page.count(empty) == 15  # 7 + 2 + 4 + 2 rows
    result = _page(page, reader, monkeypatch)
    assert result.report.values() == parse(BASE, from_="html").report.values()
    assert not [f for f in result.findings if f.code == "GD-PARSE-UNSPLIT"]


def test_an_empty_cell_before_a_value_is_still_a_blank() -> None:
    """Only a label ends the cells that are no values: an empty cell before a number is the row's blank."""
    assert html.row_line([("", True), ("5", True), ("3", True)]) == "\n— | 5 | 3\n"
    assert html.row_line([("", True), ("12.5万元", True)]) == "\n— | 12.5万元\n"
    assert html.row_line([("", True), ("—", True), ("3", True)]) == "\n— | — | 3\n"
    assert html.row_line([("", True), ("2.重复申请", True), ("2", True), ("", True)]) == "\n2.重复申请 | 2 | —\n"


HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
OUTLINE = ('<div class="outline"><ul>' + "".join(f'<li><a href="#p{n}">{h}</a></li>' for n, h in enumerate(HEADINGS, 1))
           + "</ul></div>")
PREAMBLE = "本报告根据《中华人民共和国政府信息公开条例》"


@pytest.mark.parametrize("page", [
    BASE.replace('<div class="content">', OUTLINE + '<div class="content">', 1),  # the probe's: after the sidebar
    BASE.replace('<div class="main">', '<div class="main">' + OUTLINE, 1),  # before the sidebar
    BASE.replace('<div class="content">', OUTLINE.replace("ul>", "ol>") + '<div class="content">', 1),
    BASE.replace('<div class="content">', '<table><tr><td>本文目录</td></tr>' + "".join(
        f'<tr><td><a href="#">{h}</a></td></tr>' for h in HEADINGS) + '</table><div class="content">', 1),
    BASE.replace('</ul></div>', '</ul></div>' + OUTLINE.replace("2023", ""), 1),  # inside the sidebar's box
], ids=["outline-after-sidebar", "outline-before-sidebar", "numbered-list", "contents-table", "in-sidebar"])
def test_an_outline_box_after_a_sidebar_leaves_the_title_the_articles(page: str) -> None:
    """Probe 11b #2: with the six headings named in an outline box above the article, the title was the last
    title-like line before the outline (the sidebar's link to the 2021 report): year 2021, two false GD-M-YEAR
    errors and a false GD-M-DEADLINE warning, and the preamble began with the sidebar and the outline."""
    result = parse(page, from_="html")
    report = result.report
    assert (report.title, report.year) == (TITLE, 2023)
    assert report.values() == parse(BASE, from_="html").report.values()
    assert report.parts.preamble is not None and report.parts.preamble.startswith(PREAMBLE)
    assert not {"GD-M-YEAR", "GD-M-DEADLINE"} & {f.code for f in gd.validate(report)}


def test_a_contents_list_between_a_documents_title_and_its_body_keeps_the_title() -> None:
    """The outline after the title: the title above it stays the report's (and is not taken twice)."""
    page = BASE.replace('<div class="part" id="p0">', OUTLINE + '<div class="part" id="p0">', 1)
    report = parse(page, from_="html").report
    assert (report.title, report.year) == (TITLE, 2023)
    assert report.values() == parse(BASE, from_="html").report.values()


SIDEBAR = re.search(r'<div class="sidebar">.*?</ul></div>', BASE, re.S).group(0)  # type: ignore[union-attr]
LAST_WORDS = "人大代表建议和政协提案办理结果均已公开。\n临江县教育局\n2024年1月22日"
_FOOTER = '<div class="footer">主办：临江县人民政府办公室 网站标识码：3310820001</div>'


@pytest.mark.parametrize("page", [
    BASE,  # the footer: 主办：… 网站标识码：…
    BASE.replace(SIDEBAR, "", 1).replace(_FOOTER, SIDEBAR + '<div class="related">相关阅读：<ul><li><a href="#">'
                                         '临江县人民政府2022年政府信息公开工作年度报告</a></li></ul></div>' + _FOOTER),
    BASE.replace(SIDEBAR, "", 1).replace(_FOOTER, SIDEBAR),  # the sidebar after the article, no footer
    BASE.replace(_FOOTER, '<div class="footer">承办：临江县大数据发展中心</div>'),
    BASE.replace(_FOOTER, '<div class="footer">Copyright © 2024 临江县人民政府 浙ICP备12345678号</div>'),
    BASE.replace(_FOOTER, '<div class="footer">政府网站标识码 3310820001</div>'),
], ids=["footer", "sidebar-related-footer", "sidebar-after", "chengban", "icp", "site-code"])
def test_the_pages_frame_after_the_article_is_not_part_6(page: str) -> None:
    """Probe 11b #6: part 6 ran on into the page after the article (a sidebar's link lists printed after it in the
    page's source, 相关阅读, the site's footer 主办：… 网站标识码：…), and the document rules read the site's
    navigation as the report's text."""
    report = parse(page, from_="html").report
    assert report.parts.other is not None and report.parts.other.endswith(LAST_WORDS)
    assert report.values() == parse(BASE, from_="html").report.values()


@pytest.mark.parametrize("after", [
    "年度报告\n临江县教育局2022年政府信息公开工作年度报告\n信息公开目录\n政府信息公开指南\n",
    "附件：临江县教育局2023年政府信息公开工作年度报告.pdf\n",
    "注：本报告中数据统计截至2023年12月31日。\n",
    "附表\n规章 | 0 | 0 | 0\n",
    "（此件主动公开）\n",
    "联系人：王某 联系电话：0578-1234567\n",
], ids=["link-list", "attachment", "note", "table", "disclosure-mark", "contact"])
def test_what_follows_the_signature_in_a_text_is_the_reports(after: str) -> None:
    """In a text, every line after the signature's date is the report's (review 11b, #3: lines that stated no
    sentence were cut without a word: 附件, 联系人, （此件主动公开）, an annex table of one number a row)."""
    text = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
    assert text.endswith("青田县市场监督管理局\n2024年1月18日\n")
    other = parse(text + after, from_="text").report.parts.other
    assert other is not None and other.endswith("2024年1月18日\n" + after.rstrip("\n"))


@pytest.mark.parametrize(("after", "kept"), [
    ("<p>年度报告</p><p>临江县教育局2022年政府信息公开工作年度报告</p><p>信息公开目录</p>", ""),  # a link list
    ("<p>（此件主动公开）</p>", "（此件主动公开）"),  # the document's own mark
    ("<p>联系人：王某 联系电话：0578-1234567</p>", "联系人：王某 联系电话：0578-1234567"),
], ids=["link-list", "disclosure-mark", "contact"])
def test_a_pages_link_list_after_the_signature_is_the_frame_and_its_own_lines_are_the_reports(after: str,
                                                                                              kept: str) -> None:
    text = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.splitlines()) + after + "</body></html>"
    other = parse(page, from_="html").report.parts.other
    assert other is not None and other.endswith("2024年1月18日" + ("\n" + kept if kept else ""))


@pytest.mark.parametrize("line", ["本年度完成政府门户网站ICP备案信息年度核验，网站运行平稳。",
                                  "承办：县政府办公室政务公开科，全年共办理人大代表建议12件。"])
def test_a_sentence_of_part_6_naming_a_footers_words_is_no_footer(line: str) -> None:
    """Review 11b, #4: a part-6 sentence with ICP备 in its first 40 characters, or starting 承办：, ended the report
    there (the rest of part 6 and the publication date lost, without a word).  A footer prints the ICP number,
    and its 主办：/承办： line states no sentence."""
    text = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
    last = "本年度未收取信息处理费。"
    assert last in text
    report = parse(text.replace(last, last + "\n" + line, 1), from_="text").report
    assert report.parts.other is not None and line in report.parts.other
    assert report.parts.other.endswith("2024年1月18日") and report.published_on is not None
