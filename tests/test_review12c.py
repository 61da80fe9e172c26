"""Review 12c's regressions in the session's own fixes (tests/data/review12c/README.md): each failed before."""

from __future__ import annotations

import json
import re

import pytest

import govdisclosure as gd
from govdisclosure.api import parse

from .conftest import DATA

HERE = DATA / "review12c"


def _read(name: str) -> gd.LoadResult:
    return parse(HERE / name)


def test_the_page_readers_image_mark_is_no_part_text() -> None:
    """#3: '[图片]' (the reader's mark of an <img>, for the stages) was written into part 1's text."""
    report = _read("h1-photo-p1.html").report
    parts = json.dumps(gd.to_data(report)["parts"], ensure_ascii=False)
    assert "[图片]" not in parts and "图为我局召开政务公开工作推进会" in (report.parts.overview or "")


@pytest.mark.parametrize("name", ["h4-notice-photo.html", "n5-contents-pages.txt"])
def test_a_notice_with_the_forms_tables_as_images_or_a_contents_page_is_no_report(name: str) -> None:
    """#5: a notice (its agency read as 关于做好) and a contents page (第3页 under the headings) were loaded."""
    with pytest.raises(gd.LoadError) as refused:
        _read(name)
    assert refused.value.findings[0].code == "GD-LOAD-NOT-REPORT"


def test_table_4_left_out_after_an_icon_is_left_out() -> None:
    """#6: an icon before 本年度未发生…案件。 made the part "perhaps an image", silencing GD-M-SECTIONS."""
    result = _read("h6-t4-sentence-icon.html")
    said = [f for f in gd.validate(result) if f.code == "GD-M-SECTIONS"]
    assert [f.pointer for f in said] == ["/review_litigation"]


def test_a_copy_with_a_page_number_in_a_table_is_the_same_report() -> None:
    """#7: a bare page-number line inside the copy's table 3 made it 'other numbers: a corrected version?'."""
    codes = {f.code for f in _read("r5-again-pageno-bare.txt").findings}
    assert "GD-PARSE-REPORT-AGAIN" in codes and "GD-PARSE-SECOND-REPORT" not in codes


def _cells(report: gd.Report) -> int:
    data = gd.to_data(report)
    return sum(v is not None for t in ("proactive", "requests", "review_litigation")
               for v in _values(data[t]))


def _values(node: object) -> list[object]:
    if isinstance(node, dict):
        return [v for x in node.values() for v in _values(x)]
    return [node]


def _images_then(first_tables: str) -> str:
    """r10 with the first copy's table 2 printed as in the copy (``first_tables``: 'image' keeps its mark)."""
    text = (HERE / "r10-images-then-text.txt").read_text(encoding="utf-8")
    first, copy = text.split("附件：\n")
    table2 = copy[copy.index("第二十条第（一）项"):copy.index("三、收到")]
    if first_tables == "table 2":
        first = first.replace("二、主动公开政府信息情况\n[图片]\n", "二、主动公开政府信息情况\n" + table2)
    return first + "— 2 —\n" + copy


@pytest.mark.parametrize("name", ["r9-images-then-text.html", "r10-images-then-text.txt"])
def test_a_copy_printing_the_tables_an_images_page_shows_is_read(name: str) -> None:
    """#1: tables as images, then the same report as text (its attachment): the copy was cut off as another report
    ('a corrected version?': 0/200 cells).  The copy is the report's text: read, and said."""
    result = _read(name)
    codes = [f.code for f in result.findings]
    assert _cells(result.report) == 200 and "GD-PARSE-TEXT-COPY" in codes and "GD-PARSE-SECOND-REPORT" not in codes
    assert result.report.title == "临川县自然资源局2023年政府信息公开工作年度报告"
    assert not [f for f in gd.validate(result) if f.severity == gd.Severity.ERROR]


@pytest.mark.parametrize(("first", "cells"), [("image", 200), ("table 2", 200)])
def test_a_text_copy_after_a_page_number_or_with_one_table_printed_first(first: str, cells: int) -> None:
    """#1's variants: no 附件 line (a page number between), and a first copy printing table 2 only."""
    result = gd.reads(_images_then(first), source="r.txt")
    assert _cells(result.report) == cells and "GD-PARSE-TEXT-COPY" in [f.code for f in result.findings]


def test_a_copy_with_images_too_is_not_read_instead() -> None:
    """#1's limit: a copy whose tables are images too is no text of the tables: the first copy stays the report."""
    text = _images_then("image")
    first, copy = text.split("— 2 —\n")
    copy = copy[:copy.index("二、主动公开")] + first[first.index("二、主动公开"):first.index("五、")] + \
        copy[copy.index("五、"):]
    result = gd.reads(first + "— 2 —\n" + copy, source="r.txt")
    assert "GD-PARSE-TEXT-COPY" not in [f.code for f in result.findings]


def test_another_report_under_the_same_title_is_no_copy() -> None:
    """Review 13a #2: after a report whose tables are images, another agency's report under the very same title
    (城关镇人民政府 is a town of hundreds of counties) was read as this one's text copy: its part 1, its tables and its
    signature became this report's.  A copy prints the first's part 1 word for word; this one does not."""
    text = _images_then("image")
    first, copy = text.split("— 2 —\n")
    assert "312条" in copy
    result = gd.reads(first + "— 2 —\n" + copy.replace("312条", "88条"), source="r.txt")
    codes = [f.code for f in result.findings]
    assert "GD-PARSE-TEXT-COPY" not in codes and "GD-PARSE-SECOND-REPORT" in codes
    assert "312条" in (result.report.parts.overview or "") and _cells(result.report) == 0


@pytest.mark.parametrize("edit", ["photo", "clause"])
def test_a_copy_is_the_same_report_though_its_part_1_has_a_photo_or_a_clause_more(edit: str) -> None:
    """Review 13b #1: the copy rule of review 13a #2 wanted part 1 word for word, so a photo in the first copy's part 1
    (the page's <img>: an image mark) or a clause the page adds made the copy another report: every cell lost.  The
    same numbers and nearly the same words are the same part 1."""
    text = _images_then("image")
    first, copy = text.split("— 2 —\n")
    sentence = next(line for line in first.split("\n") if "312条" in line)
    first = first.replace(sentence, sentence + ("\n[图片]" if edit == "photo" else "（详见附件）"), 1)
    result = gd.reads(first + "— 2 —\n" + copy, source="r.txt")
    assert "GD-PARSE-TEXT-COPY" in [f.code for f in result.findings] and _cells(result.report) == 200


@pytest.mark.parametrize(("name", "agency"), [("w1-column-above-bare-dept.txt", "市生态环境局"),
                                              ("w2-unit-above-bare-dept.txt", "区教育局")])
def test_a_department_named_by_its_level_is_a_whole_title(name: str, agency: str) -> None:
    """#2: the long line above 市生态环境局2023年… was joined to the title as its wrapped agency."""
    report = _read(name).report
    assert (report.title, report.agency.name) == (f"{agency}2023年政府信息公开工作年度报告", agency)


def test_a_row_left_out_is_blank_in_the_reports_json_too() -> None:
    """#4: validating the parsed report's JSON went silent on the row 3.其他 the agency left out (the text did not)."""
    result = _read("b1-row-omitted.txt")
    from_text = [f.params["count"] for f in gd.validate(result) if f.code == "GD-T3-BLANK"]
    again = gd.loads(gd.dump(result.report), source="r.json")
    from_json = [f.params["count"] for f in gd.validate(again) if f.code == "GD-T3-BLANK"]
    assert from_text == from_json == [7]


def test_a_markdown_image_under_a_table_heading_is_an_image() -> None:
    """#9: MinerU's ![](images/<sha>.jpg) under each table heading: its path's hex digits were read as cells (28
    NO-ROW/UNSPLIT) and GD-M-SECTIONS blamed the report three times.  It is an image, as a page's <img> is."""
    result = _read("m2-mineru-tables-as-images.md")
    codes = [f.code for f in result.findings]
    assert "GD-PARSE-NO-ROW" not in codes and "GD-PARSE-UNSPLIT" not in codes
    tables = [f for f in result.findings if f.code == "GD-PARSE-TABLE"]
    assert [f.pointer for f in tables] == ["/proactive", "/requests", "/review_litigation"]
    assert all("image" in f.text("en") for f in tables)
    assert not [f for f in gd.validate(result) if f.code == "GD-M-SECTIONS"]
    assert "images/" not in json.dumps(gd.to_data(result.report)["parts"], ensure_ascii=False)


def _spaced(mark: str) -> str:
    """m1's text with its math written otherwise: 'inner' spaces inside the dollars, 'tab' tabs between the digits,
    'bare' single digits without dollars."""
    text = (HERE / "m1-spaced-math-saved-as.txt").read_text(encoding="utf-8")
    if mark == "inner":
        return re.sub(r"\$([0-9 .]+)\$", r"$ \1 $", text)
    if mark == "tab":
        return re.sub(r"\$([0-9 .]+)\$", lambda m: "$" + m.group(1).replace(" ", "\t") + "$", text)
    return re.sub(r"\$([0-9.])\$", r"\1", text) if mark == "bare" else text


@pytest.mark.parametrize("mark", ["as saved", "inner", "tab", "bare"])
def test_a_number_set_as_math_with_spaced_digits_in_a_text_file_is_one_number(mark: str) -> None:
    """#10: MinerU's $4 1$, $1 5 2 3$ in a .txt: the dollars were blanked, the digits left apart (28 UNSPLIT).  They
    are read as the Markdown reader reads them: one number, the published text kept as printed."""
    result = gd.reads(_spaced(mark), source="m1.txt")
    codes = [f.code for f in result.findings]
    assert _cells(result.report) == 200 and "GD-PARSE-UNSPLIT" not in codes
    data = gd.to_data(result.report)
    assert data["proactive"]["normative_documents"]["in_force"] == 41
    assert data["proactive"]["licensing"]["decisions"] == 1523
    assert data["proactive"]["fees"]["amount"] in ("35.6", 35.6)
