"""Probe 13's findings on the rules (tests/data/probe13b/README.md): rules that misjudged old formats, the other
version's rows and variants, and their words.  Each test failed before its fix."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.api import parse
from govdisclosure.cli import cli
from govdisclosure.findings import Finding, Severity
from govdisclosure.formats.spec import Label, Row, RowAddition, Variant
from govdisclosure.plugins import hookimpl

from .conftest import DATA

HERE = DATA / "probe13b"


def _text(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _parsed(name: str, *edits: tuple[str, str]) -> gd.LoadResult:
    text = _text(name)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return parse(text, from_="markdown" if name.endswith(".md") else "text")


def _codes(found: list[Finding]) -> list[str]:
    return [f.code for f in found]


def _of(found: list[Finding], code: str) -> list[Finding]:
    return [f for f in found if f.code == code]


# ----------------------------------------------------------------------------- #10


def test_a_2020_report_is_not_told_to_split_its_single_other_row() -> None:
    """#10: a 2020 report with a 2021 table 2 and the single （六）其他处理 row its year asks for was told to split
    that row into three; the wrong template is GD-M-FORMAT's finding alone."""
    result = _parsed("r33-2020-t2-2021-t3-single.txt")
    assert (result.report.year, result.report.format_version) == (2020, "2021")
    found = gd.validate(result)
    assert "GD-T3-OTHER-SINGLE" not in _codes(found) and _codes(found).count("GD-M-FORMAT") == 1


def test_a_2019_report_alike_is_not_told_either_but_a_2021_report_is() -> None:
    """#10, the class: another year that calls for the 2019 format; and a 2021 report, whose format asks for the
    three sub-rows, still told."""
    earlier = _parsed("r33-2020-t2-2021-t3-single.txt", ("2021年1月19日", "2020年1月19日"), ("2020", "2019"))
    assert earlier.report.year == 2019
    assert "GD-T3-OTHER-SINGLE" not in _codes(gd.validate(earlier))
    later = _parsed("r33-2020-t2-2021-t3-single.txt", ("2021年1月19日", "2022年1月19日"), ("2020", "2021"))
    assert later.report.year == 2021
    found = gd.validate(later)
    assert "GD-T3-OTHER-SINGLE" in _codes(found) and "GD-M-FORMAT" not in _codes(found)


# ----------------------------------------------------------------------------- #11


def test_the_2019_formats_rows_in_a_2021_table_are_said_to_be_so_once_each() -> None:
    """#11: 其他对外管理服务事项 and 政府集中采购 in a 2021 table were 'rows the format does not declare' (warnings),
    each said twice (GD-PARSE-NO-ROW and GD-T2-UNKNOWN-ROW).  Now GD-T2-LABEL names each as the 2019 format's row;
    the parser's warning that its numbers were not read stays (an info restating it is milder: review 13b #6)."""
    found = gd.validate(_parsed("r15-2021-with-2019-rows.txt"))
    assert not _of(found, "GD-T2-UNKNOWN-ROW")
    assert [f.params["label"] for f in _of(found, "GD-PARSE-NO-ROW")] == ["其他对外管理服务事项", "政府集中采购"]
    assert all(f.severity is Severity.WARNING for f in _of(found, "GD-PARSE-NO-ROW"))
    rows = _of(found, "GD-T2-LABEL")
    assert [(f.params["official"], f.params["other_version"], f.line) for f in rows] == [
        ("其他对外管理服务事项", "2019", 13), ("政府集中采购", "2019", 23)]
    assert all(f.severity is Severity.INFO for f in rows)
    assert "印有 2019 格式的“政府集中采购”行" in rows[1].text("zh") and "4、56.2 未读入" in rows[1].text("zh")
    assert "the 2019 format's row “Centralised government procurement”" in rows[1].text("en")
    assert "does not declare" not in " ".join(f.text("en") for f in found)


def _as_html(text: str) -> str:
    """A text report as a web page: each run of "a | b" lines a <table>, each other line a <p>."""
    out: list[str] = []
    rows: list[str] = []
    for line in text.split("\n"):
        if "|" in line:
            rows.append("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in line.split("|")) + "</tr>")
            continue
        if rows:
            out.append(f"<table>{''.join(rows)}</table>")
            rows = []
        out.append(f"<p>{html.escape(line)}</p>")
    return "<html><body>" + "\n".join(out) + "</body></html>"


@pytest.mark.parametrize("variant", ["html", "2023", "traditional"])
def test_the_2019_rows_are_named_on_a_page_in_another_year_and_in_traditional_script(variant: str) -> None:
    """#11, the class: the same rows on a web page, in a 2023 report, and printed in Traditional script in a
    report otherwise Simplified (政府集中採購: its label is compared in Simplified, as the rows' are)."""
    text = _text("r15-2021-with-2019-rows.txt")
    if variant == "html":
        result = parse(_as_html(text), from_="html")
    elif variant == "2023":
        result = parse(text.replace("2022年", "2024年").replace("2021", "2023"), from_="text")
    else:
        result = parse(text.replace("政府集中采购", "政府集中採購").replace("服务事项", "服務事項"), from_="text")
    found = gd.validate(result)
    assert not _of(found, "GD-T2-UNKNOWN-ROW") and len(_of(found, "GD-PARSE-NO-ROW")) == 2
    assert [f.params["official"] for f in _of(found, "GD-T2-LABEL")] == ["其他对外管理服务事项", "政府集中采购"]


def test_the_other_wording_of_a_2019_row_is_named_with_it() -> None:
    """#11, the class: 其他对外管理服务数量 (the 2019 row's other wording) in a 2022 Markdown report, beside the
    label variant 规范性文件 that GD-T2-LABEL already named."""
    found = gd.validate(_parsed("r06-2021-old-labels.md"))
    rows = _of(found, "GD-T2-LABEL")
    assert not _of(found, "GD-T2-UNKNOWN-ROW") and len(_of(found, "GD-PARSE-NO-ROW")) == 1 and len(rows) == 2
    other = next(f for f in rows if "other_version" in f.params)
    assert "“其他对外管理服务事项”行（印作“其他对外管理服务数量”）" in other.text("zh")
    renamed = next(f for f in rows if "other_version" not in f.params)  # its words as they were
    assert renamed.text("zh").startswith("表二第“行政规范性文件”行印作“规范性文件”（2019 格式的写法")


def test_a_row_of_no_version_is_still_unknown_once_and_the_parsers_finding_stays_without_the_rule() -> None:
    """#11: one finding per row for a row no version has too (GD-T2-UNKNOWN-ROW restates GD-PARSE-NO-ROW); a run
    that leaves the rules out keeps the parser's finding (nothing printed is dropped without one)."""
    result = _parsed("r15-2021-with-2019-rows.txt", ("政府集中采购", "政府购买服务项目"))
    found = gd.validate(result)
    assert [f.params["label"] for f in _of(found, "GD-T2-UNKNOWN-ROW")] == ["政府购买服务项目"]
    # the unknown row's warning restates the parser's; the 2019 row's info does not replace it
    assert [f.params["label"] for f in _of(found, "GD-PARSE-NO-ROW")] == ["其他对外管理服务事项"]
    alone = gd.validate(result, ignore=["GD-T2-"])
    assert [f.params["label"] for f in _of(alone, "GD-PARSE-NO-ROW")] == ["其他对外管理服务事项", "政府购买服务项目"]


def test_validate_json_names_only_the_codes_it_reports(tmp_path: Path) -> None:
    """Review 13b #8: GD-T2-UNKNOWN-ROW's params named the parser's finding it restates under a "code" key: a tool
    collecting every "code" of ``validate --output json`` counted a GD-PARSE-NO-ROW that was not reported."""
    path = tmp_path / "r15.txt"
    path.write_text(_text("r15-2021-with-2019-rows.txt").replace("政府集中采购", "政府购买服务项目"), encoding="utf-8")
    out = CliRunner().invoke(cli, ["validate", "--output", "json", str(path)]).output
    reported: list[str] = []
    every: list[str] = []

    def walk(node: object, top: bool) -> None:
        if isinstance(node, dict):
            if "code" in node:
                every.append(node["code"])
                if top:
                    reported.append(node["code"])
            for key, value in node.items():
                walk(value, top and key != "params" and "code" not in node)
        elif isinstance(node, list):
            for value in node:
                walk(value, top)

    walk(json.loads(out), True)
    assert "GD-T2-UNKNOWN-ROW" in reported
    assert sorted(every) == sorted(reported), out


@pytest.mark.parametrize("restates", [{"code": "GD-PARSE-NO-ROW", "line": 3, "label": "x"}, {"why": "mine"}, "text"])
def test_a_plugins_param_named_restates_is_its_own(restates: object) -> None:
    """Review 14 F-a: a plugin rule's finding with a param named ``restates`` of another shape made validate of every
    parsed report raise KeyError; only the shape the engine names (``parser_code``) restates a parser's finding."""
    from govdisclosure.rules import Check

    def mine(report: gd.Report, ctx: Any) -> Any:
        yield ctx.finding(pointer="/parts/overview", restates=restates)

    class Plugin:
        @hookimpl
        def register_rules(self) -> list[Check]:
            return [Check(code="X-RESTATES", severity=Severity.WARNING, check=mine, description=Label("d", "d"),
                          message=Label("m", "m"))]

    registry = gd.Registry.of(Plugin())
    result = _parsed("r15-2021-with-2019-rows.txt", ("政府集中采购", "政府购买服务项目"))
    codes = _codes(gd.validate(result, registry=registry))
    assert "X-RESTATES" in codes and "GD-PARSE-NO-ROW" in codes


# ----------------------------------------------------------------------------- #13


def _with_variants(*variants: Variant) -> gd.Registry:
    class Plugin:
        @hookimpl
        def register_variants(self) -> list[Variant]:
            return list(variants)

    return gd.Registry.of(Plugin())


def _other_documents(variant: str, extends: str) -> Variant:
    return Variant(variant, extends, Label("测试", "test"), add_rows=(RowAddition(
        "proactive", "normative_documents",
        (Row(f"{variant.replace('-', '_')}_other", Label("其他主动公开文件", "Other documents")),)),))


def test_the_hint_names_no_variant_of_another_format_version() -> None:
    """#13: a 2021 report's unknown row was said to load 'with the hubei variant', which extends the 2019 format
    only (following the hint fails); it is named for what it is."""
    registry = _with_variants(_other_documents("test-hubei", "2019"))
    # read by core (the variant not applied), checked by a run that has it
    f = _of(gd.validate(_parsed("r19-hubei-row-in-2021.txt"), registry=registry), "GD-T2-UNKNOWN-ROW")[0]
    assert f.params["declared"] == []
    assert "可按该变体读取" not in f.text("zh") and "load the report with it" not in f.text("en")
    assert "地区变体 test-hubei 为 2019 格式声明了此行，本报告为 2021 格式" in f.text("zh")


def test_the_hint_names_a_variant_of_the_reports_version() -> None:
    """#13, the class: a variant that extends the 2021 format is named to load the 2021 report with; the 2019
    one is not offered beside it."""
    registry = _with_variants(_other_documents("test-hubei", "2019"), _other_documents("test-2021", "2021"))
    # read by core (the variant not applied), checked by a run that has it
    f = _of(gd.validate(_parsed("r19-hubei-row-in-2021.txt"), registry=registry), "GD-T2-UNKNOWN-ROW")[0]
    assert [d["variant"] for d in f.params["declared"]] == ["test-2021"]
    assert "（地区变体 test-2021 声明了此行，可按该变体读取）" in f.text("zh")


# ----------------------------------------------------------------------------- #14


@pytest.mark.parametrize("name", ["随县经济开发区管理委员会", "随县高新区管委会"])
def test_a_development_zone_of_unknown_level_is_not_declared_a_government(name: str) -> None:
    """#14: ART50-4 said a 开发区管理委员会 '是人民政府' while the parser left its level unknown; GD-T2-LEVEL's English
    put its name where a level is said ('an agency of level 随县…')."""
    result = _parsed("r23-devzone-rules-2019.txt", ("随县经济开发区管理委员会", name))
    assert result.report.agency.level is None
    found = gd.validate(result)
    art = _of(found, "GD-M-ART50-4")[0]
    assert "是人民政府" not in art.text("zh") and "推断为人民政府（层级未定）" in art.text("zh")
    assert "is taken for a people's government by its name" in art.text("en")
    levels = _of(found, "GD-T2-LEVEL")
    assert levels and all("an agency of level" not in f.text("en") for f in levels)
    assert levels[0].text("en").startswith(f"{name} reports Rules")
    assert "开发区、园区、街道办事处等不制定规章" in levels[0].text("zh")


def test_a_known_level_keeps_its_words() -> None:
    """#14: a county department's 规章 is still said of its level; a people's government is still one."""
    result = _parsed("r23-devzone-rules-2019.txt", ("随县经济开发区管理委员会", "随县审计局"))
    assert result.report.agency.level == "county_department"
    f = _of(gd.validate(result), "GD-T2-LEVEL")[0]
    assert f.text("en").startswith("an agency of level ") and "(this level makes no 规章)" in f.text("en")
    town = _parsed("r23-devzone-rules-2019.txt", ("随县经济开发区管理委员会", "随县人民政府"))
    assert "随县人民政府是人民政府，其报告" in _of(gd.validate(town), "GD-M-ART50-4")[0].text("zh")


def test_the_summary_counts_one_in_the_singular_and_format_says_from_when(tmp_path: Path) -> None:
    """#14: '1 report(s) checked … 1 errors, 0 warnings, 2 infos'; GD-M-FORMAT '2021–今 年度'."""
    path = HERE / "r33-2020-t2-2021-t3-single.txt"
    en = CliRunner().invoke(cli, ["validate", "--lang", "en", str(path)])
    assert "1 report checked, 0 unreadable: 1 error, 0 warnings, 2 infos" in en.output, en.output
    assert "(which serves 2021 onwards)" in en.output
    zh = CliRunner().invoke(cli, ["validate", str(path)])
    assert "该格式适用于 2021 年度起" in zh.output and "今 年度" not in zh.output


# ----------------------------------------------------------------------------- #15


def _json(tmp_path: Path, name: str) -> str:
    out = tmp_path / (Path(name).stem + ".json")
    out.write_text(gd.dump(_parsed(name).report), encoding="utf-8")
    return str(out)


def test_compare_across_formats_says_which_cells_it_left_out(tmp_path: Path) -> None:
    """#15: comparing a 2019-format and a 2021-format report said '172 cells compared' and nothing of the 54 cells
    one of them has alone (规章's columns, 上一年项目数量, （六）其他处理's sub-rows)."""
    old, new = _json(tmp_path, "r16-2019fmt-2020-series.txt"), _json(tmp_path, "r17-2021fmt-2021-series.txt")
    text = CliRunner().invoke(cli, ["compare", old, new])
    assert text.exit_code == 0, text.output
    assert "未比较：两份报告格式不同（OLD 为 2019 格式，NEW 为 2021 格式），以下 54 个单元格只有一方有" in text.output
    assert "仅 OLD（26）：规章（本年新制作数量、本年新公开数量、对外公开总数量）" in text.output
    assert "政府集中采购（采购项目数量、采购总金额）" in text.output
    data = json.loads(CliRunner().invoke(cli, ["compare", old, new, "--output", "json"]).output)
    assert data["formats"] == ["2019", "2021"]
    assert len(data["not_compared"]["only_old"]) == 26 and len(data["not_compared"]["only_new"]) == 28
    same = CliRunner().invoke(cli, ["compare", old, old])
    assert "未比较" not in same.output  # one format: nothing left out, nothing said


@pytest.mark.parametrize(("year", "version", "said"), [(2020, "2021", True), (2022, "2019", True),
                                                       (2020, "2019", False), (2020, None, False)])
def test_new_says_when_the_format_is_not_the_years(tmp_path: Path, year: int, version: str | None,
                                                   said: bool) -> None:
    """#15: ``new --year 2020 --format-version 2021`` made a wrong-template blank without a word; it is made (the
    clerk may mean it) with a note."""
    out = tmp_path / "n.json"
    args = ["new", "--year", str(year), "--agency", "孝感市审计局", "--level", "city_department", "-o", str(out)]
    run = CliRunner().invoke(cli, [*args, *(["--format-version", version] if version else [])])
    assert run.exit_code == 0 and out.exists(), run.output
    assert ("GD-M-FORMAT" in run.output) is said
    if said:
        assert f"{year} 年度应使用" in run.output and f"this blank is on the {version} format" in run.output


def test_new_for_a_year_no_format_serves_is_made_and_said(tmp_path: Path) -> None:
    """Review 13b #5: ``new --year 2018 --format-version 2019`` wrote the blank, then failed (exit 2) looking up the
    year's own format for its note."""
    out = tmp_path / "n.json"
    run = CliRunner().invoke(cli, ["new", "--year", "2018", "--agency", "某县民政局", "--level", "county_department",
                                   "--format-version", "2019", "-o", str(out)])
    assert run.exit_code == 0 and out.exists(), run.output
    assert "没有适用于 2018 年度的格式" in run.output and "no installed format serves the year 2018" in run.output
