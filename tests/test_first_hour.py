"""What a county clerk, a tool builder and a plugin author met in their first hour (issue 9), as they met it."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.cli import cli
from govdisclosure.formats import Label, Row, RowAddition, Variant
from govdisclosure.plugins import hookimpl
from govdisclosure.rules import Check
from govdisclosure.testing import use_plugins

from .conftest import EXAMPLES


def _blank_2025() -> gd.Report:
    return gd.new_report(2025, agency="某县商务局", level="县级政府部门")


# ----------------------------------------------------------------------------- the clerk


def test_the_published_page_reads_like_the_official_report() -> None:
    report = gd.load(EXAMPLES / "huaian-city-2024.json")
    for page in (gd.render(report, "html"), gd.render(report, "html", fragment=True)):
        assert "null" not in re.sub(r"<[^>]+>", " ", page)  # no schema notes in the words a reader sees
        assert "city_government" not in re.sub(r"<[^>]+>", " ", page)
        assert "设区的市级人民政府" in page
    markdown = gd.render(report, "markdown")
    assert "city\\_government" not in markdown and "（city" not in markdown
    assert gd.loads(markdown, source="r.md") == report


def test_a_fragment_for_a_cms_keeps_its_table_borders() -> None:
    fragment = gd.render(gd.load(EXAMPLES / "huaian-city-2024.json"), "html", fragment=True)
    assert fragment.startswith("<article") and "<style>" in fragment
    style = fragment.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r"\.gd-report \.gd-table th, \.gd-report \.gd-table td \{ border: 1px solid", style)
    assert "body" not in style  # scoped: nothing of the host page is restyled


def test_tables_scroll_print_their_header_again_and_keep_blank_cells_tall() -> None:
    page = gd.render(_blank_2025(), "html")
    assert page.count('<div class="gd-scroll">') == 3  # table 4 scrolls inside the page instead of overflowing
    assert page.count("<thead>") == 3 and "display: table-header-group" in page  # repeated on each printed page
    assert re.search(r"\.gd-table td \{[^}]*height: 1\.7em", page)  # an all-blank table 4 is not a strip


def test_markdown_table_3_shows_its_groups() -> None:
    markdown = gd.render(_blank_2025(), "markdown")
    lines = markdown.splitlines()
    secret = next(i for i, line in enumerate(lines) if "属于国家秘密" in line)
    not_held = next(i for i, line in enumerate(lines) if "本机关不掌握相关政府信息" in line)
    assert lines[secret - 1] == "| **（三）不予公开** |" and lines[not_held - 1] == "| **（四）无法提供** |"
    assert "| **三、本年度办理结果** |" in lines


def test_a_blank_report_gives_one_finding_per_cause() -> None:
    codes = [(f.code, f.pointer) for f in gd.validate(_blank_2025())]
    assert ("GD-M-SECTIONS", "/review_litigation") in codes
    assert not any(code == "GD-T4-BLANK" for code, _ in codes)  # the empty table is one finding, not two
    assert not any(code == "GD-M-FEES" for code, _ in codes)  # an empty part 6 is GD-M-SECTIONS' alone


def test_new_takes_the_level_by_name_and_writes_the_format_its_name_says(tmp_path) -> None:
    run = CliRunner().invoke(cli, ["new", "--year", "2025", "--agency", "某县商务局", "--level", "县级政府部门",
                                   "-o", str(tmp_path / "r.json")])
    assert run.exit_code == 0, run.output
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["agency"]["level"] == "county_department"
    wrong = CliRunner().invoke(cli, ["new", "--year", "2025", "--agency", "x", "--level", "县里"])
    assert wrong.exit_code == 2 and "county_department" in wrong.output and "Traceback" not in wrong.output


# ----------------------------------------------------------------------------- the tool builder


def test_render_takes_findings_true_and_says_what_it_takes() -> None:
    report = gd.load(EXAMPLES / "pingtan-2020.json")
    page = gd.render(report, "html", findings=True)
    assert 'class="gd-flag"' in page and "GD-T3-RESULTS-SUM" in page
    with pytest.raises(gd.RenderError, match="findings="):
        gd.render(report, "html", findings="yes")
    assert "findings=True" in (gd.render.__doc__ or "")
    for option in ({"comments": "no"}, {"fragment": 1}, {"bom": "yes"}, {"lang": "fr"}):  # "no" would be true
        with pytest.raises(gd.RenderError, match=f"{next(iter(option))}="):
            gd.render(report, "yaml", **option)
    with pytest.raises(TypeError, match="zeros="):
        gd.new_report(2025, zeros="yes")  # type: ignore[arg-type]


def test_validate_sorts_as_its_docstring_says() -> None:
    found = gd.validate(gd.load(EXAMPLES / "pingtan-2020.json"))
    keys = [(f.severity.rank, f.code) for f in found]
    assert keys == sorted(keys) and "severity" in (gd.validate.__doc__ or "")


# ----------------------------------------------------------------------------- the plugin author


class _Author:
    """What the docs show: a rule with severity as a string, a renderer, a regional variant."""

    @hookimpl
    def register_variants(self):
        return [Variant(id="mycounty", extends="2021", label=Label("某县（示例）", "A county (example)"),
                        add_rows=(RowAddition("proactive", "normative_documents",
                                              (Row("mycounty_other", Label("其他文件", "Other documents")),)),))]

    @hookimpl
    def register_rules(self):
        def check(report, ctx):
            value = report.cell("/proactive/mycounty_other/issued")
            if value:
                yield ctx.finding(pointer="/proactive/mycounty_other/issued", value=value)
        return [Check(code="MYCOUNTY-OTHER", severity="warning", check=check, variants={"mycounty"},
                      description=Label("其他文件", "Other documents"), message=Label("{value} 件", "{value} documents"))]


def test_a_plugin_rule_with_a_string_severity_runs_and_its_findings_carry_labels() -> None:
    with use_plugins(_Author()) as reg:
        spec = reg.format("2021", "mycounty")  # what a plugin's tests use to get its variant
        assert [c.id for c in spec.cell("/proactive/mycounty_other/issued").block.columns] == [
            "issued", "repealed", "in_force"]  # an added row takes its block's columns
        data = gd.to_data(gd.new_report(2024, variant="mycounty", registry=reg))
        data["proactive"]["mycounty_other"] = {"issued": 3, "repealed": 0, "in_force": 3}
        found = [f for f in gd.validate(gd.from_data(data, registry=reg), registry=reg) if f.code == "MYCOUNTY-OTHER"]
        assert found and found[0].severity is gd.Severity.WARNING and found[0].labels == ("其他文件 · 本年制发件数",)
        page = gd.render(gd.from_data(data, registry=reg), "html", registry=reg)
        assert "某县（示例）" in page  # the variant is named on the page


def test_a_bad_registration_is_refused_naming_the_plugin_and_field() -> None:
    class Bad:
        @hookimpl
        def register_rules(self):
            return [Check(code="BAD-RULE", severity="warning", check=lambda report: (),
                          description=Label("说明", "description"), message=Label("{x}", "{x}"))]

    with pytest.raises(gd.PluginError, match=r"plugin .*BAD-RULE.*'check'"), use_plugins(Bad()):
        pass
    with pytest.raises(gd.DeclarationError, match="severity 'loud'"):
        Check(code="BAD-RULE", severity="loud", check=lambda r, c: (), description=Label("a", "a"),
              message=Label("a", "a"))


@pytest.mark.parametrize("args", [["formats", "--variant", "single-other-row"], ["formats", "--variant", "nowhere"],
                                  ["formats", "--format-version", "2019", "--variant", "hubei"],
                                  ["schema", "--format-version", "2031"]])
def test_formats_and_schema_never_end_in_a_traceback(args: list[str]) -> None:
    run = CliRunner().invoke(cli, args)
    assert run.exception is None or isinstance(run.exception, SystemExit)
    assert run.exit_code in (0, 2) and "Traceback" not in run.output
    if run.exit_code == 2:
        assert "/" in run.output  # said in both languages


def test_fill_and_render_write_the_format_the_output_name_says_and_fill_says_what_it_could_not(tmp_path) -> None:
    runner = CliRunner()
    blank = tmp_path / "r.yaml"
    assert runner.invoke(cli, ["new", "--year", "2025", "--agency", "某县统计局", "--level", "县级政府部门",
                               "-o", str(blank)]).exit_code == 0
    assert "\nformat_version: '2021'" in blank.read_text(encoding="utf-8")  # YAML, as its name says
    data = gd.to_data(gd.load(blank))
    data["requests"]["received"].update(natural_person=5, commercial=1)
    half = tmp_path / "half.json"
    half.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    filled = runner.invoke(cli, ["fill", str(half), "-o", str(tmp_path / "f.yaml")])
    assert filled.exit_code == 0 and "\nformat_version: '2021'" in (tmp_path / "f.yaml").read_text(encoding="utf-8")
    # the received row's total waits for its blank cells: said, with what to write
    assert "一、本年新收政府信息公开申请数量 · 总计：未计算" in filled.stderr and "没有请填 0" in filled.stderr
    page = runner.invoke(cli, ["render", str(half), "-o", str(tmp_path / "p.html")])
    assert page.exit_code == 0 and (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_new_with_zeros_leaves_only_the_totals_for_fill(tmp_path) -> None:
    # issue 9 item 7: a clerk of an agency with few requests types only what it had
    runner = CliRunner()
    blank = tmp_path / "r.json"
    assert runner.invoke(cli, ["new", "--year", "2025", "--agency", "某县统计局", "--level", "县级政府部门", "--zeros",
                               "-o", str(blank)]).exit_code == 0
    report = gd.load(blank)
    blanks = {c.pointer for c, v in report.cells() if v is None}
    assert "/requests/total/natural_person" in blanks and "/requests/received/total" in blanks
    assert report.cell("/requests/received/natural_person") == 0
    data = gd.to_data(report)
    data["requests"]["received"]["natural_person"] = 2
    data["requests"]["granted"]["natural_person"] = 2
    filled, pointers = gd.fill_totals(gd.from_data(data))
    assert set(pointers) == blanks and not any(v is None for v in filled.values())
    assert filled.cell("/requests/total/total") == 2
    assert not [f for f in gd.validate(filled) if f.code.startswith(("GD-T", "GD-UNCHECKED"))]
