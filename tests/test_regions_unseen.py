"""Part headings and titles in shapes the parser had not met (hostile probe 11, defects 1, 2, 5, 10 and 15): each
test edits one complete report (``data/ingest/unseen-plain-2023.txt``, which parses exactly) in one way, and asks
that nothing of its tables or parts is lost, that no part is said missing, and that a heading read otherwise is
said (GD-PARSE-HEADING)."""

from __future__ import annotations

import re

import attrs
import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

BASE = (DATA / "ingest" / "unseen-plain-2023.txt").read_text(encoding="utf-8")
#: the form's six headings, verbatim (spec/tables.md)
HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
PREAMBLE_END = "至2023年12月31日止。\n"
OVERVIEW = "2023年，青田县市场监督管理局认真贯彻落实《条例》"
PROBLEMS = "一是公开内容不够全面；二是政策解读形式单一。下一步，我局将加强培训，提升公开质量。"
OTHER = "本年度未收取信息处理费。无其他需要报告的事项。"


def _parse(text: str) -> gd.LoadResult:
    return parse(text, from_="text")


def _complete(result: gd.LoadResult) -> gd.Report:
    """The report with every cell and narrative part of the base report: nothing lost, nothing said missing."""
    report, base = result.report, parse(BASE, from_="text").report
    for table in ("proactive", "requests", "review_litigation"):
        assert attrs.asdict(getattr(report, table)) == attrs.asdict(getattr(base, table)), table
    assert report.parts.overview is not None and report.parts.overview.startswith(OVERVIEW)
    assert report.parts.problems == PROBLEMS
    assert report.parts.other is not None and report.parts.other.startswith(OTHER)
    codes = {f.code for f in result.findings} | {f.code for f in gd.validate(report)}
    assert not codes & {"GD-PARSE-SECOND-REPORT", "GD-PARSE-NO-ROW", "GD-PARSE-TABLE", "GD-PARSE-UNSPLIT",
                        "GD-M-SECTIONS"}, codes
    return report


def _before_body(lines: str) -> str:
    """The base report with ``lines`` printed between its preamble and its first part."""
    return BASE.replace(PREAMBLE_END, PREAMBLE_END + lines, 1)


@pytest.mark.parametrize("listed", [
    "目录\n" + "\n".join(HEADINGS) + "\n",  # a table of contents
    "目  录\n" + "".join(f"{h}……………………{n}\n" for n, h in enumerate(HEADINGS, 1)),  # dot leaders, page numbers
    "目录\n" + "\n".join(HEADINGS) + "\n现将有关情况报告如下：\n",  # then a sentence before the first part
    "全文包括" + "；".join(HEADINGS) + "。\n",  # a sentence listing them
    "本报告由一、总体情况，二、主动公开政府信息情况等六个部分组成。\n",  # a sentence naming two
], ids=["contents", "contents-leaders", "contents-then-sentence", "sentence-lists-six", "sentence-names-two"])
def test_headings_listed_before_the_parts_are_the_preambles_text(listed: str) -> None:
    report = _complete(_parse(_before_body(listed)))
    assert report.parts.preamble is not None and report.parts.preamble.endswith(listed.strip())  # kept, as printed


@pytest.mark.parametrize("quoted", ["“二、主动公开政府信息情况”", "「五、存在的主要问题及改进情况」",
                                    "（四、政府信息公开行政复议、行政诉讼情况）"], ids=["quotes", "corners", "brackets"])
def test_a_heading_quoted_in_a_sentence_is_the_sentences(quoted: str) -> None:
    sentence = f"扎实推进政府信息公开工作，按照{quoted}栏目的要求逐项整改。"
    report = _complete(_parse(BASE.replace("扎实推进政府信息公开工作。", sentence, 1)))
    assert report.parts.overview is not None and sentence in report.parts.overview


def test_an_empty_part_after_a_table_of_contents_stays_empty() -> None:
    text = _before_body("目录\n" + "\n".join(HEADINGS) + "\n").replace(PROBLEMS + "\n", "")
    report = _parse(text).report
    assert report.parts.problems is None and report.parts.other is not None and report.parts.other.startswith(OTHER)


@pytest.mark.parametrize("mention", ["按照二、主动公开政府信息情况要求做好公开。", "另见三、收到和处理政府信息公开申请情况一节。"])
def test_headings_printed_one_after_another_lose_to_no_mention_in_a_sentence(mention: str) -> None:
    """Parts 2 and 3 printed with their tables as images: their headings one after another look listed; a
    heading mentioned later inside a sentence (review 11, #1) took part 2 or 3, cut part 6 and gave that part
    the signature."""
    lines = BASE.split("\n")
    second, fourth = lines.index(HEADINGS[1]), lines.index(HEADINGS[3])
    text = "\n".join([*lines[:second + 1], HEADINGS[2], *lines[fourth:]]).replace(OTHER, OTHER + mention, 1)
    report = _parse(text).report
    assert report.parts.other is not None and report.parts.other.startswith(OTHER + mention)
    assert report.parts.proactive is None and report.parts.requests is None
    assert report.parts.overview is not None and report.parts.overview.startswith(OVERVIEW)
    assert HEADINGS[1] not in report.parts.overview


def _renumbered(numbering: str) -> str:
    """The base report with its six headings numbered by ``numbering`` ({zh}: 一…六, {n}: 1…6)."""
    text = BASE
    for n, heading in enumerate(HEADINGS, 1):
        zh, words = heading.split("、", 1)
        text = text.replace(f"\n{heading}\n", "\n" + numbering.format(zh=zh, n=n) + words + "\n", 1)
    return text


@pytest.mark.parametrize("numbering", ["第{zh}部分 ", "第{zh}部分：", "{zh} ", "（{zh}）", "{n}.", "{n}、", "## {n}. "],
                         ids=["part", "part-colon", "space", "brackets", "arabic-dot", "arabic-comma", "markdown"])
def test_headings_numbered_otherwise_start_their_parts(numbering: str) -> None:
    result = _parse(_renumbered(numbering))
    _complete(result)
    said = [f for f in result.findings if f.code == "GD-PARSE-HEADING"]
    assert [f.pointer for f in said] == [f"/parts/{p}" for p in ("overview", "proactive", "requests",
                                                                  "review_litigation", "problems", "other")]


def _moved(text: str, part: int, before: int) -> str:
    """``text`` with part ``part``'s heading and body (1-6) printed before part ``before``'s."""
    def span(k: int) -> tuple[int, int]:
        a = text.index(f"\n{HEADINGS[k - 1]}\n") + 1
        return a, (text.index(f"\n{HEADINGS[k]}\n") + 1 if k < 6 else len(text))
    (a, b), (c, _) = span(part), span(before)
    return text[:c] + text[a:b] + text[c:a] + text[b:]


@pytest.mark.parametrize(("part", "before"), [(4, 3), (3, 2), (5, 4), (6, 5)])
def test_a_part_printed_before_the_one_it_follows_is_found(part: int, before: int) -> None:
    _complete(_parse(_moved(BASE, part, before)))


@pytest.mark.parametrize("joined", ["和", "及", "、"], ids=["he", "ji", "comma"])
def test_a_merged_heading_owns_its_whole_line(joined: str) -> None:
    merged = f"五、存在的主要问题及改进情况{joined}其他需要报告的事项"
    text = BASE.replace(f"{HEADINGS[4]}\n", f"{merged}\n").replace(f"{HEADINGS[5]}\n", "")
    result = _parse(text)
    assert result.report.parts.problems is not None and result.report.parts.problems.startswith(PROBLEMS)
    assert [f.params["heading"] for f in result.findings if f.code == "GD-PARSE-HEADING"] == [merged]


@pytest.mark.parametrize("title", [
    "青田县市场监督管理局政府信息公开工作年度报告（2023年）",
    "青田县市场监督管理局政府信息公开工作年度报告（2023年度）",
    "青田县市场监督管理局关于2023年政府信息公开工作年度报告",
    "青田县市场监督管理局关于2023年度政府信息公开工作年度报告",
    "青田县市场监督管理局2023年政务公开工作年度报告",
], ids=["year-after", "year-after-niandu", "guanyu", "guanyu-niandu", "zhengwu"])
def test_titles_in_other_shapes(title: str) -> None:
    report = _parse(re.sub(r"^[^\n]*", title, BASE, count=1)).report
    assert (report.title, report.agency.name, report.year) == (title, "青田县市场监督管理局", 2023)
    assert report.parts.preamble is not None and not report.parts.preamble.startswith("青田县")


@pytest.mark.parametrize("sentence", ["青田县2023年政务公开工作年度报告另行发布。", "青田县2023年政府信息公开工作年度报告另行发布。",
                                      "本报告是青田县2023年政务公开工作年度报告的组成部分。"])
def test_a_sentence_naming_another_report_at_a_lines_start_is_no_title(sentence: str) -> None:
    """Review 11, #4: a line starting with a sentence that names a 政务公开 (or 政府信息公开) report took the title
    (and made 青田县 the agency); a title is alone on its line, or the same title printed again."""
    title = BASE.split("\n", 1)[0]
    report = _parse(BASE.replace("\n", "\n" + sentence, 1)).report
    assert (report.title, report.agency.name) == (title, "青田县市场监督管理局")
    assert report.parts.preamble is not None and report.parts.preamble.startswith(sentence)


def test_a_title_that_names_no_agency_is_a_title_with_no_agency() -> None:
    """Review 11, #5: 关于2023年政府信息公开工作年度报告 (no agency before 关于) was dropped whole into the preamble."""
    title = "关于2023年政府信息公开工作年度报告"
    report = _parse(re.sub(r"^[^\n]*", title, BASE, count=1)).report
    assert (report.title, report.agency.name, report.year) == (title, None, 2023)
    assert report.parts.preamble is not None and not report.parts.preamble.startswith(title)


@pytest.mark.parametrize("tail", [" 发布时间：2024-01-22 来源：县政府办公室", "（全文）", " 2024-01-18"])
def test_a_title_whose_line_goes_on_beats_a_link_to_another_years_report_above_it(tail: str) -> None:
    """Review 11b, #2: a sidebar's link to the 2022 report, alone on its line above the title, won over the title
    whose line went on (a date, 发布时间…, （全文）): year 2022, a false GD-M-YEAR.  Only a sentence running on
    from a title (…报告另行发布。) makes it another report's."""
    title = BASE.split("\n", 1)[0]
    report = _parse(f"相关报告\n{title.replace('2023', '2022')}\n{title}{tail}\n" + BASE.split("\n", 1)[1]).report
    assert (report.title, report.year) == (title, 2023)


@pytest.mark.parametrize("head,agency", [
    ("青田县市场监督管理局\n", "青田县市场监督管理局"),  # the agency on the line above the title
    ("发布机构：青田县市场监督管理局\n", "青田县市场监督管理局"),  # the page's info names it
    ("", None),  # nothing names it
])
def test_a_title_that_names_no_agency_takes_the_one_above_or_the_pages(head: str, agency: str | None) -> None:
    """Review 11b, #6: 关于2023年…报告 left the agency null though the line above or the page's 发布机构 named it."""
    report = _parse(head + re.sub(r"^[^\n]*", "关于2023年政府信息公开工作年度报告", BASE, count=1)).report
    assert report.agency.name == agency and report.year == 2023


@pytest.mark.parametrize("head,agency", [("", None), ("发布机构：青田县市场监督管理局\n", "青田县市场监督管理局")])
def test_a_report_that_prints_no_title_is_said_to(head: str, agency: str | None) -> None:
    """Probe 11 #10: a text whose title is cut off (an excerpt, a page giving it only in a picture) had no title and
    no agency, and neither the parse nor validate said so: the report could join no series without a word."""
    result = _parse(head + BASE.split("\n", 1)[1])
    assert (result.report.title, result.report.agency.name, result.report.year) == (None, agency, 2023)
    (found,) = [f for f in result.findings if f.code == "GD-PARSE-NO-TITLE"]
    assert found.severity == gd.Severity.WARNING and found.pointer == "/title"
    assert found.text("en").endswith("nor is the agency known" if agency is None else f"“{agency}” is the page's "
                                     "info table's")
    assert not [f for f in _parse(BASE).findings if f.code == "GD-PARSE-NO-TITLE"]  # a title printed: nothing said


def test_bold_marks_around_a_line_of_a_text_file_are_markup() -> None:
    """A Markdown conversion saved as .txt (**一、总体情况**): each part kept the next heading's ** at its end, and each
    heading was said to be worded otherwise (GD-PARSE-HEADING) for its trailing **.  A bold line's marks are markup
    (a bold sub-heading inside a part keeps its words); ** inside a line is the text's."""
    bold = "\n".join(f"**{line}**" if line in HEADINGS else line for line in BASE.split("\n"))
    bold = bold.replace("（二）依申请公开。", "\n**（二）依申请公开**\n", 1).replace(PROBLEMS, PROBLEMS + "\n**注**：单位为件。")
    result, plain = _parse(bold), _parse(BASE)
    assert bold.count("**") == 2 * len(HEADINGS) + 4
    assert not [f for f in result.findings if f.code == "GD-PARSE-HEADING"]
    parts = attrs.asdict(result.report.parts)
    assert parts.pop("problems") == PROBLEMS + "\n**注**：单位为件。"
    assert parts.pop("overview") == plain.report.parts.overview.replace("（二）依申请公开。", "\n（二）依申请公开\n", 1)
    assert {k: v for k, v in attrs.asdict(plain.report.parts).items() if k not in ("problems", "overview")} == parts
    assert [v for _, v in result.report.cells()] == [v for _, v in plain.report.cells()]


def test_markdown_headings_and_math_numbers_in_a_text_file_are_markup() -> None:
    """Probe 12c #8, #9: a Markdown conversion saved as .txt kept '# ' in the title and the agency, each part ended
    with the next heading's ##, and a cell written $0$ was no number."""
    lines = BASE.split("\n")
    marked = "\n".join(["# " + lines[0], *("## " + line if line in HEADINGS else line for line in lines[1:])])
    marked = marked.replace("（一）予以公开 20 2 1 0 1 0 24", "（一）予以公开 $20$ $2$ $1$ $0$ $1$ $0$ $24$")
    assert marked.count("$") == 14 and marked.count("## ") == len(HEADINGS)
    result, plain = _parse(marked), _parse(BASE)
    assert (result.report.title, result.report.agency.name) == (plain.report.title, plain.report.agency.name)
    assert attrs.asdict(result.report.parts) == attrs.asdict(plain.report.parts)
    assert [v for _, v in result.report.cells()] == [v for _, v in plain.report.cells()]
    kept = _parse(BASE.replace(PROBLEMS, PROBLEMS + "\n#1号文件已废止，费用$5元$。")).report.parts.problems
    assert kept is not None and kept.endswith("#1号文件已废止，费用$5元$。")  # no mark: a # or $ of the text's own


@pytest.mark.parametrize("cell,value", [("9S", 9), ("S9", 9), ("O", None), ("l", None), ("1O", 1)])
def test_a_table_cell_of_letters_and_digits_is_said(cell: str, value: int | None) -> None:
    """Probe 12c #3, #5: OCR's 6S (for 65) was read as 6 and a lone O (for 0) as nothing, both without a word (a
    wrong value, or the agency blamed for a blank).  The reading stands as it was; a warning names the cell."""
    row = "行政强制 9"
    assert BASE.count(f"\n{row}\n") == 1
    result = _parse(BASE.replace(f"\n{row}\n", f"\n行政强制 {cell}\n"))
    assert result.report.proactive.coercion.decisions == value  # the digits printed, or none: said below
    (found,) = [f for f in result.findings if f.code == "GD-PARSE-LETTERS"]
    line = BASE[:BASE.index(f"\n{row}\n") + 1].count("\n") + 1
    assert (found.severity, found.pointer, found.line, found.column) == (gd.Severity.WARNING, "/proactive", line, 6)
    assert f"“{cell}”" in found.text("zh") and "OCR" in found.text("en")
    assert not [f for f in _parse(BASE.replace(f"\n{row}\n", "\n行政强制 9件\n")).findings if f.code == "GD-PARSE-LETTERS"]


def test_a_running_header_after_each_page_footer_is_page_furniture() -> None:
    """Probe 12c #1: OCR text prints the report's title at each page's top after the last page's footer; inside table
    4 its year 2023 was read as the first cell and the rest shifted (wrong values, and GD-T4-SUM blamed the report)."""
    lines = BASE.split("\n")
    title, t3, t4 = lines[0], lines.index("（四）无法提供"), lines.index("3 1 2 1 7 2 0 1 1 4 1 0 0 1 2")
    paged = [*lines[:t3], "— 2 —", "", title, *lines[t3:t4], "— 3 —", "", title, *lines[t4:]]
    result, plain = _parse("\n".join(paged)), _parse(BASE)
    assert [v for _, v in result.report.cells()] == [v for _, v in plain.report.cells()]
    assert attrs.asdict(result.report.parts) == attrs.asdict(plain.report.parts)
    assert not [f for f in gd.validate(result) if f.code == "GD-T4-SUM"]
    # a report printed twice starts its pages alike: a numbered label after each copy's footer is its own
    twice = "\n".join([*lines[:t3], "— 2 —", "", *lines[t3:]])
    assert [v for _, v in _parse(twice + "\n" + twice).report.cells()] == [v for _, v in plain.report.cells()]
    # after one footer only, the line is the text's own (no header is known by one page): the title still read
    assert _parse("\n".join([*lines[:t4], "— 3 —", "", title, *lines[t4:]])).report.title == plain.report.title
