"""Issue 9, the loader's side: every problem of a file with the form's words and its line (6), what a clerk
writes by hand (7: numbers for amounts, words for "none", YAML), and the library's messages in Chinese (9)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govdisclosure as gd
from govdisclosure.cli import cli
from govdisclosure.errors import LoadError
from govdisclosure.io.jsonio import dump_yaml, read_yaml
from govdisclosure.io.limits import LIMITS

from .conftest import EXAMPLES

HUAIAN = EXAMPLES / "huaian-city-2024.json"


def huaian() -> dict[str, Any]:
    return json.loads(HUAIAN.read_text(encoding="utf-8"))


def _clerks_file() -> dict[str, Any]:
    """The file of issue 9 item 6: a mistyped row id, "12件" in a count cell, a -3."""
    data = huaian()
    requests = data["requests"]
    requests["carried_forwrd"] = requests.pop("carried_forward")
    requests["received"]["natural_person"] = "12件"
    requests["received"]["commercial"] = -3
    return data


def _problems(text: str, source: str) -> tuple[LoadError, list[str]]:
    with pytest.raises(LoadError) as info:
        gd.loads(text, source=source)
    return info.value, info.value.lines("zh")


# ----------------------------------------------------------------------------- 6. every problem, in the form's words


@pytest.mark.parametrize("ext", [".json", ".yaml"])
def test_every_problem_of_a_file_with_labels_line_and_a_suggestion(ext: str) -> None:
    data = _clerks_file()
    text = json.dumps(data, ensure_ascii=False, indent=2) if ext == ".json" else dump_yaml(data)
    exc, lines = _problems(text, f"report{ext}")
    by_pointer = {f.pointer: f for f in exc.findings}
    assert set(by_pointer) == {"/requests/carried_forwrd", "/requests/carried_forward",
                               "/requests/received/natural_person", "/requests/received/commercial"}
    typo = by_pointer["/requests/carried_forwrd"]
    assert typo.params["suggestion"] == "carried_forward" and "是否应为 carried_forward" in typo.text("zh")
    assert "did you mean carried_forward?" in typo.text("en")
    unit = by_pointer["/requests/received/natural_person"]
    assert unit.labels == ("一、本年新收政府信息公开申请数量 · 自然人",)
    assert "只写数字" in unit.text("zh") and "12" in unit.text("en")
    assert by_pointer["/requests/received/commercial"].labels == ("一、本年新收政府信息公开申请数量 · 商业企业",)
    for f in exc.findings:  # each on the line where it is written
        assert f.line is not None
        written = text.splitlines()[f.line - 1]
        key = f.pointer.rsplit("/", 1)[-1]
        assert key in written or f.code == "GD-LOAD-MISSING", (f.pointer, written)
    # and as the CLI prints them: all of them, one line each, with the row and column labels
    assert len(lines) == 4 and all(re.match(rf"report{ext}: 第 \d+ 行", line) for line in lines)
    assert any("[一、本年新收政府信息公开申请数量 · 自然人]" in line for line in lines)


@pytest.mark.parametrize("line, edit, hint", [
    ("  overview: null  # 一、总体情况", "  overview: 总体情况: 良好  # 一、总体情况", "加引号"),
    ("    natural_person: null  # 自然人", "    natural_person: 1,000  # 自然人", "数字不加千位分隔符：1000"),
    ("    natural_person: null  # 自然人", "    natural_person: 5# 自然人", "“#”前须有空格"),
    ("    natural_person: null  # 自然人", '    natural_person: "5"  # 自然人', "数字不加引号：5"),
    ("    natural_person: null  # 自然人", "    natural_person: ５  # 自然人", "数字请用半角：5"),  # review3, item 10
    ("year: 2025  # 报告年度", "year: ２０２５  # 报告年度", "数字请用半角：2025"),
    ("  level: county_department  # 机关层级：县级政府部门", "  level: 县级政府部门",  # review3, item 9
     "机关层级写代码：county_department（即“县级政府部门”）"),
])
def test_a_clerks_edit_of_the_commented_yaml_gets_the_right_hint(line: str, edit: str, hint: str) -> None:
    """The mistakes a clerk makes typing into the file ``new --to yaml`` writes (review2, item 9)."""
    text = gd.render(gd.new_report(2025, agency="某县统计局", level="county_department"), "yaml")
    assert line in text and "请给整段文字加引号" in text.split("\nformat_version")[0]  # the header says it
    exc, lines = _problems(text.replace(line, edit, 1), "report.yaml")
    assert len(lines) == 1 and hint in lines[0], lines
    assert exc.findings[0].line == text.splitlines().index(line) + 1


@pytest.mark.parametrize("line, edit, where, words", [
    ("    issued: null  # 本年制发件数", "    issued：5", (0, 11), "键后须用半角冒号"),
    ("    issued: null  # 本年制发件数", "    issued:\u30005", (0, 12), "冒号后须为半角空格"),
    ("  overview: null  # 一、总体情况", "  overview: 第一段\n  第二段", (1, 1), "多段文字请写成“键: |”"),
])
def test_a_slip_of_the_input_method_is_named_on_its_own_line(line: str, edit: str, where: tuple[int, int],
                                                              words: str) -> None:
    """YAML stumbles a line later and blames the indentation (review3, item 10)."""
    text = gd.render(gd.new_report(2025, agency="某县统计局", level="county_department"), "yaml")
    exc, lines = _problems(text.replace(line, edit, 1), "report.yaml")
    [found] = exc.findings
    assert (found.line, found.column) == (text.splitlines().index(line) + 1 + where[0], where[1])
    assert words in lines[0]


def test_words_yaml_took_for_a_comment_are_said() -> None:
    text = gd.render(gd.new_report(2025, agency="某县统计局", level="county_department"), "yaml")
    line = "  overview: null  # 一、总体情况"
    result = gd.reads(text.replace(line, "  overview: 本年度我局认真贯彻 # 条例精神", 1), source="r.yaml")
    assert result.report.parts.overview == "本年度我局认真贯彻"  # standard YAML: loaded as it reads
    [said] = [f for f in result.findings if f.code == "GD-LOAD-COMMENT"]
    assert said.line == text.splitlines().index(line) + 1 and "“条例精神”是注释" in said.message.zh
    kept = gd.reads(text.replace(line, "  overview: 本年度我局认真贯彻  # 一、总体情况", 1), source="r.yaml")
    assert not kept.findings  # the form's own comment, as new wrote it
    # review5 F1: the level corrected under new's comment for the old one is no text's tail; F8.7: the form's
    # own comment after the lost words is not quoted as lost
    level = gd.reads(text.replace("  level: county_department", "  level: other", 1), source="r.yaml")
    assert not level.findings
    both = gd.reads(text.replace(line, "  overview: 本年度我局认真贯彻 #条例  # 一、总体情况", 1), source="r.yaml")
    assert [f.params["comment"] for f in both.findings] == ["条例"]
    # F8.1: the same slip on a line continuing the text; a literal block keeps its '#' and says nothing
    for edit in ("  overview:\n    本年度我局认真贯彻 # 条例精神", "  overview: 本年度我局认真贯彻\n    落实条例 # 条例精神"):
        continued = gd.reads(text.replace(line, edit, 1), source="r.yaml")
        assert [(f.line, f.params["comment"]) for f in continued.findings] == [
            (text.splitlines().index(line) + 2, "条例精神")]
    block = gd.reads(text.replace(line, "  overview: |\n    本年度 # 不是注释", 1), source="r.yaml")
    assert block.report.parts.overview == "本年度 # 不是注释\n" and not block.findings


@pytest.mark.parametrize("edit, read", [
    ("  overview: |\n    第一段。\n\n    第二段。  # 一、总体情况", "第一段。\n\n第二段。\n"),  # null replaced by a block
    ("  overview: >-\n    第一段。\n    第二段。 #一、总体情况", "第一段。 第二段。"),
    ("  overview: |\n    第一段。 # 不是注释", "第一段。 # 不是注释\n"),  # the clerk's '#': kept, as before
    ("  overview: |\n    谈到一、总体情况", "谈到一、总体情况\n"),
])
def test_the_forms_own_comment_typed_into_a_block_is_not_report_text(edit: str, read: str) -> None:
    """Replacing ``null`` by a ``|`` block (as the file's header says for several paragraphs) leaves the form's own
    comment ``# 一、总体情况`` on the text's last line, where YAML reads it as text: it was published in the report."""
    text = gd.render(gd.new_report(2025, agency="某县统计局", level="county_department"), "yaml")
    result = gd.reads(text.replace("  overview: null  # 一、总体情况", edit, 1), source="r.yaml")
    assert result.report.parts.overview == read and not result.findings


def test_the_cli_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text(dump_yaml(_clerks_file()), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    problems = [line for line in result.stderr.splitlines() if "GD-LOAD" in line]
    assert len(problems) == 4 and "另有" not in result.stderr


def test_a_file_with_thousands_of_problems_lists_a_sane_number() -> None:
    data = huaian()
    for row in data["requests"].values():
        for column in row:
            row[column] = "无"
    data.update({f"x{i}": 1 for i in range(500)})
    with pytest.raises(LoadError) as info:
        gd.from_data(data)
    assert len(info.value.findings) == LIMITS.problems + 1
    assert "另有" in info.value.findings[-1].text("zh")


# ----------------------------------------------------------------------------- 7. what a clerk writes by hand


@pytest.mark.parametrize("written,kept", [("12.5", "12.5"), ("12", "12"), ("0.50", "0.50"), ("1E2", "100"),
                                          ("0.0000001", "0.0000001")])
def test_an_amount_written_as_a_number_is_kept_exactly(written: str, kept: str) -> None:
    json_text = HUAIAN.read_text(encoding="utf-8").replace('"amount": "96171.6"', f'"amount": {written}')
    assert f'"amount": {written}' in json_text
    report = gd.loads(json_text, source="r.json")
    assert report.proactive.fees.amount == Decimal(kept)
    assert gd.to_data(report)["proactive"]["fees"]["amount"] == kept  # the canonical dump keeps the string
    yaml_text = gd.render(gd.load(HUAIAN), "yaml").replace("amount: '96171.6'", f"amount: {written}")
    assert f"amount: {written}" in yaml_text
    assert gd.to_data(gd.loads(yaml_text, source="r.yaml"))["proactive"]["fees"]["amount"] == kept


def test_an_amount_number_that_is_not_exact_is_refused() -> None:
    data = huaian()
    data["proactive"]["fees"]["amount"] = 12.5  # from Python data: the decimal its author wrote
    assert gd.to_data(gd.from_data(data))["proactive"]["fees"]["amount"] == "12.5"
    for bad in (0.1 + 0.2, -1.5, 1e16, True):
        data["proactive"]["fees"]["amount"] = bad
        with pytest.raises(LoadError) as info:
            gd.from_data(data)
        assert info.value.findings[0].pointer == "/proactive/fees/amount"


@pytest.mark.parametrize("word", ["无", "/", "-", "—", "空", ""])
def test_a_word_for_none_gets_the_hint(word: str) -> None:
    data = huaian()
    data["requests"]["received"]["research"] = word
    with pytest.raises(LoadError) as info:
        gd.from_data(data)
    found = info.value.findings[0]
    assert "空白请写 null，没有请写 0" in found.text("zh") and "write null for a blank, 0 for none" in found.text("en")
    assert found.params["hint"] == "空白请写 null，没有请写 0"


def test_a_quoted_number_gets_its_own_hint() -> None:
    data = huaian()
    data["requests"]["received"]["research"] = "7"
    with pytest.raises(LoadError) as info:
        gd.from_data(data)
    assert "write the number without quotes: 7" in info.value.findings[0].text("en")


def test_new_writes_yaml_that_a_clerk_fills_in_and_loads(tmp_path: Path) -> None:
    out = tmp_path / "report.yaml"
    run = CliRunner().invoke(cli, ["new", "--year", "2025", "--agency", "某县商务局", "--level", "county_department",
                                   "-o", str(out)], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    text = out.read_text(encoding="utf-8")
    assert "\nformat_version: '2021'  # 格式版本：" in text and "{" not in text
    # every key of the tables says its row or column on the form (review C8)
    assert "  granted:  # （一）予以公开\n" in text and "    natural_person: null  # 自然人\n" in text
    assert "    commercial: null  # 法人或其他组织 · 商业企业\n" in text
    filled = text.replace("    natural_person: null", "    natural_person: 3", 1).replace("amount: null",
                                                                                        "amount: 12.5", 1)
    report = gd.loads(filled, source="report.yaml")
    assert report.agency.name == "某县商务局" and report.proactive.fees.amount == Decimal("12.5")
    assert gd.loads(gd.render(report, "yaml"), source="again.yaml") == report


_texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_texts, min_size=1, max_size=4))
def test_yaml_carries_any_text_a_report_may_hold(texts: list[str]) -> None:
    data = huaian()
    allowed = [t for t in texts if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", t)]
    for key, text in zip(("preamble", "overview", "problems", "other"), allowed, strict=False):
        data["parts"][key] = text
    data["title"] = allowed[0] if allowed else None
    report = gd.from_data(data)
    assert read_yaml(gd.render(report, "yaml"), "r.yaml") == gd.to_data(report)


# ----------------------------------------------------------------------------- 9. the library's messages, translated


@pytest.mark.parametrize("text,zh", [
    ('{"format_version": "2021",\n  "year": }', "此处应有一个值"),
    ('{"format_version": "2021" "year": 2024}', "两项之间应有逗号"),
    ('{"format_version": "2021", year: 2024}', "用双引号括起的键名"),
    ('{"format_version": "2021"} x', "多余的内容"),
    ('{"format_version": "20\\q21"}', "无效的转义"),
    ('{"format_version": "2021', "没有结束的双引号"),
])
def test_json_syntax_errors_in_chinese(text: str, zh: str) -> None:
    exc, lines = _problems(text, "r.json")
    assert zh in lines[0] and not re.search(r"Expecting|Unterminated|Extra data|Invalid", lines[0])
    assert exc.findings[0].line is not None


@pytest.mark.parametrize("text,zh", [
    ("format_version: 2021\nyear: [1, 2", "列表缺少"),
    ("format_version: 2021\nyear: [", "此处应有一个值"),
    ("format_version: 2021\nagency: {name: x", "对象缺少"),
    ("format_version: 2021\ntitle: 'x", "引号没有闭合"),
    ("format_version: 2021\nagency:\n\tname: x", "制表符"),
    ("format_version: 2021\nyear: 1: 2", "冒号"),
    ("format_version: 2021\ntitle: \"\\q\"", "未知的转义"),
    ("format_version: 2021\n---\nyear: 1", "一个 YAML 文档"),
])
def test_yaml_syntax_errors_in_chinese(text: str, zh: str) -> None:
    exc, lines = _problems(text, "r.yaml")
    assert zh in lines[0], lines[0]
    assert not re.search(r"[a-z]{4,} [a-z]{3,}", exc.findings[0].text("zh")), lines[0]  # no English sentence
    assert exc.findings[0].line is not None


def test_file_errors_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as missing:
        gd.load(tmp_path / "nonexistent-report.json")
    assert missing.value.lines("zh")[0].endswith("无法读取文件：文件不存在 [GD-LOAD-INPUT]")
    assert "no such file" in missing.value.lines("en")[0]
    with pytest.raises(LoadError) as folder:
        gd.load(tmp_path)
    assert "这是一个目录" in folder.value.lines("zh")[0] and "directory" not in folder.value.lines("zh")[0]
    with pytest.raises(LoadError) as parsed:
        gd.parse(tmp_path / "nonexistent-report.html")
    assert "文件不存在" in parsed.value.lines("zh")[0]
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "x.json")], catch_exceptions=False)
    assert "No such file" not in result.stderr and "文件不存在" in result.stderr


def test_content_given_for_a_file_name_is_said_so_and_not_echoed() -> None:
    """``load(text)`` for ``loads(text)``: before, the whole document (kilobytes) was the error's file name."""
    text = (EXAMPLES / "hutubi-shanggongxinju-2020.json").read_text(encoding="utf-8")
    with pytest.raises(LoadError) as given:
        gd.load(text)
    zh, en = given.value.lines("zh")[0], given.value.lines("en")[0]
    assert "loads()" in zh and "这不是文件名" in zh and "not a file name but content" in en
    assert len(en) < 200 and "\n" not in en


def test_csv_problems_in_chinese_with_their_line() -> None:
    text = gd.render(gd.load(HUAIAN), "csv").replace("meta,,year,2024", "meta,,year,二〇二四", 1)
    exc, lines = _problems(text, "r.csv")
    assert exc.findings[0].line == 3 and "应为 报告年度" in lines[0]
    exc, lines = _problems("table,row,column\n", "r.csv")
    assert "表头应为" in lines[0]


def test_a_refused_character_is_named_with_its_place() -> None:
    # review H10: the quote of a long text's start may not reach the character at fault
    data = huaian()
    data["parts"]["overview"] = "2020年，我区" * 20 + "\ufffe后文"
    with pytest.raises(LoadError) as info:
        gd.from_data(data)
    found = info.value.findings[0]
    assert found.pointer == "/parts/overview"
    assert "第 161 个字符为 '\\ufffe'（U+FFFE）" in found.text("zh") and "character 161" in found.text("en")
