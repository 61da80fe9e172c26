"""The audit's figures as review4 found them: roll-ups vs unknowns, duplicates, unsettled cells, series counts."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from govdisclosure.audit import AgencyMap, Store, audit
from govdisclosure.audit.page import write_page
from govdisclosure.audit.run import export_csv
from govdisclosure.errors import LoadError

from .conftest import ROOT
from .test_audit import _rows, _t3, _write


def _cells_of(page: str, title: str) -> list[list[str]]:
    """The rows of the table that follows the heading ``title`` on the audit page (cell text, tags dropped)."""
    table = page[page.index("<h2>" + title):]
    table = table[:table.index("</table>")]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>"):])]


def test_group_metrics_tell_a_roll_up_from_an_unknown(tmp_path: Path) -> None:
    # R-e: two 2022 reports of a known level, one 2022 report of no level, one report of no year
    src = tmp_path / "in"
    for name, received, level, year in (("a", 10, "county_department", 2022), ("b", 20, "county_department", 2022),
                                        ("c", 5, None, 2022), ("d", 7, "county_department", None)):
        data = _t3(received=received, granted=received, partial=0, withheld=0, unable=0)
        data["agency"] = {"name": f"{name}局", "level": level, "region": None}
        data["year"] = year
        _write(src, f"{name}.json", data)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    # the documented per-year query: one row per year, the year-less reports apart
    per_year = _rows(db, "SELECT year, reports, received FROM group_metrics WHERE by_year = 1 AND by_region = 0 "
                         "AND by_level = 0 ORDER BY year IS NULL, year")
    assert per_year == [(2022, 3, 35), (None, 1, 7)]
    assert _rows(db, "SELECT reports, received FROM group_metrics WHERE by_year + by_region + by_level = 0") == [
        (4, 42)]
    per_level = _rows(db, "SELECT level, reports FROM group_metrics WHERE by_level = 1 AND by_year = 0 AND "
                          "by_region = 0 ORDER BY level IS NULL, level")
    assert per_level == [("county_department", 3), (None, 1)]
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=2)
    rows = [r[:3] for r in _cells_of(page.read_text(encoding="utf-8"), "指标 / Metrics")]
    assert ["2022", "县级政府部门 / county_department", "2"] in rows
    assert ["2022", "未知 / unknown", "1"] in rows            # no level: unknown, not "all"
    assert ["2022", "全部 / all", "3"] in rows                # every level of 2022
    assert ["未知 / unknown", "全部 / all", "1"] in rows      # no year
    assert ["全部 / all", "未知 / unknown", "1"] in rows
    assert ["全部 / all", "县级政府部门 / county_department", "3"] in rows


def test_a_duplicate_agency_year_is_summed_once(tmp_path: Path) -> None:
    # R-f: one agency's 2022 report three times (as txt, PDF and docx would be: different bytes, same figures),
    # and another agency's report once
    src = tmp_path / "in"
    for name, title in (("a-copy.json", "txt"), ("b-copy.json", "pdf"), ("c-copy.json", "docx")):
        data = _t3(received=100, granted=60, partial=20, withheld=10, unable=10)
        data["agency"] = {"name": "甲局", "level": "county_department", "region": "某市"}
        data["title"] = f"甲局 2022 年报（{title}）"
        if name == "a-copy.json":  # the first by path has a blank cell: another copy is summed
            data["proactive"]["normative_documents"]["issued"] = None
        _write(src, name, data)
    other = _t3(received=5, granted=5, partial=0, withheld=0, unable=0)
    other["agency"] = {"name": "乙局", "level": "county_department", "region": "某市"}
    _write(src, "other.json", other)
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert summary.duplicates == (("甲局", 2022, 3),)
    # the copy with the fewest empty cells, then the first by path, is the one summed
    counted = _rows(db, "SELECT source, counted FROM duplicates ORDER BY source")
    assert [(Path(s).name, c) for s, c in counted] == [("a-copy.json", 0), ("b-copy.json", 1), ("c-copy.json", 0)]
    row = _rows(db, "SELECT reports, duplicates, received, handled, disclosure_rate FROM group_metrics "
                    "WHERE by_year = 1 AND by_level = 0 AND by_region = 0")
    assert row == [(2, 2, 105, 105, (80 + 5) / 105)]
    # the summary lists each file of the agency-year under it, the summed one marked
    lines = summary.lines()
    at = lines.index("  ⚠ 甲局 2022: 3 份报告（都保留，已标出；合计只计一份）")
    assert [x.strip() for x in lines[at + 1:at + 4]] == [
        str(src / "b-copy.json") + "（计入合计）", str(src / "a-copy.json"), str(src / "c-copy.json")]
    assert str(src / "b-copy.json") + " (summed)" in "\n".join(summary.lines("en"))
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=2)
    text = page.read_text(encoding="utf-8")
    funnel = text[text.index("申请办理漏斗"):text.index("指标 / Metrics")]
    assert ">105</text>" in funnel and ">305</text>" not in funnel
    assert "含同一机关同一年度的重复报告 2 份，合计只计其中一份" in funnel
    dups = _cells_of(text, "同一机关同一年度的多份报告")
    assert [(Path(r[2]).name, r[3]) for r in dups] == [("b-copy.json", "✓"), ("a-copy.json", ""), ("c-copy.json", "")]


def test_a_cell_the_parser_could_not_split_is_unsettled_not_blank(tmp_path: Path) -> None:
    # R-h: 平潭 2020 printed 「7777166」 across 规范性文件's three cells (several splits fit); 045 printed "/"
    corpus = ROOT / "tests" / "data" / "corpus" / "reports"
    db = tmp_path / "a.sqlite"
    audit([str(corpus / "009-pingtan-2020-zfxxgknb.txt"), str(corpus / "045-district-tongjiju-2023-pages-excerpt.txt")],
          str(db), jobs=0)
    cell = _rows(db, "SELECT blank, unsettled, json_extract(provenance, '$.candidates') FROM cells WHERE year = 2020 "
                     "AND row_label = '规范性文件' AND column_label = '本年新制作数量'")
    assert cell == [(0, 1, "7|77|777|7777|77771")]
    slash = _rows(db, "SELECT DISTINCT blank, unsettled FROM cells WHERE json_extract(provenance, '$.raw') = '/'")
    assert slash == [(1, 0)]
    ranked = dict(_rows(db, "SELECT year, blanks || '/' || unsettled FROM risk_ranking"))
    assert ranked[2020] == "0/16"  # the agency left nothing blank: its 16 empty cells are the parser's doubts
    with Store(str(db)) as store:
        export_csv(store, str(tmp_path / "a.csv"))
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert [(r["blanks"], r["unsettled"]) for r in rows if r["year"] == "2020"] == [("0", "16")]


def test_series_over_two_years_and_the_pairs_checked(tmp_path: Path) -> None:
    # R-k: 甲局 has 2023 and 2024 (the 2024 file sorted first, in the same chunk); 乙局 two copies of 2022 only
    src = tmp_path / "in"
    for name, agency, year, title in (("a-2024.json", "甲局", 2024, None), ("b-2023.json", "甲局", 2023, None),
                                      ("c-2022.json", "乙局", 2022, "txt"), ("d-2022.json", "乙局", 2022, "pdf")):
        data = _t3(received=3, granted=3, partial=0, withheld=0, unable=0)
        data["agency"] = {"name": agency, "level": "county_department", "region": "某市"}
        data["year"], data["title"] = year, title
        _write(src, name, data)
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert (summary.series, summary.series_multi) == (2, 1)  # 乙局's two reports are one year
    assert summary.pairs_checked == 1 == len(_rows(db, "SELECT * FROM series_pairs"))
    assert "系列（同一机关的各年度报告）2 个，其中跨两个以上年度 1 个；本次跨年核对 1 对" in summary.lines()
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=2)
    assert '<div class="card"><b>1</b>跨年系列 / series over two or more years</div>' in page.read_text(encoding="utf-8")


def test_the_agency_map_takes_level_names(tmp_path: Path) -> None:
    # R-n4: the map's level as `new --level` takes it: an id, or its name in Chinese or English
    path = tmp_path / "map.csv"
    path.write_text("match,agency_id,name,level,region\n*hongze*,x,洪泽,县级人民政府,\n*a*,y,,county department,\n"
                    "*b*,z,,township,\n", encoding="utf-8")
    levels = [mapped.level for _, mapped in AgencyMap.read(str(path)).rows]
    assert levels == ["county_government", "county_department", "township"]
    path.write_text("match,agency_id,name,level,region\n*hongze*,x,洪泽,县政府,\n", encoding="utf-8")
    with pytest.raises(LoadError) as bad:
        AgencyMap.read(str(path))
    assert "line 2" in str(bad.value) and "'县政府'" in str(bad.value)
    assert "county_government（县级人民政府）" in bad.value.findings[0].text("zh")


def test_the_input_counts_add_up_with_a_broken_link(tmp_path: Path) -> None:
    # R-n5: one report and a symbolic link to nothing
    src = tmp_path / "in"
    _write(src, "a.json", _t3(received=1, granted=1, partial=0, withheld=0, unable=0))
    (src / "gone.json").symlink_to(tmp_path / "nowhere.json")
    db = tmp_path / "a.sqlite"
    for examined, skipped in ((1, 0), (0, 1)):  # a first run, then a re-run
        summary = audit([str(src)], str(db), jobs=0)
        assert (summary.seen, summary.examined, summary.skipped, summary.unopened) == (2, examined, skipped, 1)
        assert summary.lines()[0] == (f"输入 2 个：本次读取 {examined} 个，已存且未改动而跳过 {skipped} 个，"
                                      "无法打开 1 个（原因见下）")
        assert summary.lines("en")[0].endswith(", 1 could not be opened (why: below)")
        assert [Path(f[0]).name for f in summary.failed] == ["gone.json"]


def test_empty_tables_on_the_page_say_none(tmp_path: Path) -> None:
    # R-n6: no failed input, no duplicate agency-year
    src = tmp_path / "in"
    _write(src, "a.json", _t3(received=1, granted=1, partial=0, withheld=0, unable=0))
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=2)
    text = page.read_text(encoding="utf-8")
    assert _cells_of(text, "无法读取的输入") == [["无 / none"]]
    assert _cells_of(text, "同一机关同一年度的多份报告") == [["无 / none"]]
    assert '<td class="none" colspan="3">无 / none</td>' in text


def _blank(node: Any) -> Any:
    return {k: _blank(v) for k, v in node.items()} if isinstance(node, dict) else None


def test_a_blank_form_is_not_a_report(tmp_path: Path) -> None:
    # R-g: the official template among the reports: no agency, no year, every cell blank
    src = tmp_path / "in"
    form = _t3(received=1, granted=1, partial=0, withheld=0, unable=0)
    for table in ("requests", "proactive", "review_litigation"):
        form[table] = _blank(form[table])
    form["year"], form["agency"], form["published_on"] = None, {"name": None, "level": None, "region": None}, None
    _write(src, "template.json", form)
    # a report with a name but no figures yet is still a report (and so is one with a year alone)
    named = dict(form, agency={"name": "甲局", "level": None, "region": None})
    _write(src, "named.json", named)
    _write(src, "report.json", _t3(received=1, granted=1, partial=0, withheld=0, unable=0))
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert summary.reports == 2
    assert [(Path(p).name, c) for p, c, _, _ in summary.failed] == [("template.json", "GD-AUDIT-BLANK-FORM")]
    _, _, zh, en = summary.failed[0]
    assert zh.startswith("空白表格：没有机关名称、没有年度") and en.startswith("a blank form: no agency name, no year")
    assert _rows(db, "SELECT COUNT(*) FROM reports WHERE agency IS NULL") == [(0,)]
    assert _rows(db, "SELECT description_zh FROM rules WHERE code = 'GD-AUDIT-BLANK-FORM'") != []


@pytest.mark.parametrize("jobs", [0, 1])
def test_two_copies_of_last_years_report_give_the_pair_its_findings_once(tmp_path: Path, jobs: int) -> None:
    """Two files of the same bytes are one report: the pair (this year, last year) it makes is checked and its
    cross-year findings stored once, also when both copies lie in the chunk of this year's report."""
    def series_findings(copies: int) -> list[tuple[Any, ...]]:
        src = tmp_path / f"in{copies}-{jobs}"
        # last year's copies sorted first: stored before this year's report, whose pairs the worker checked
        for name, year in (("b-2024.json", 2024), *((f"a{i}-2023.json", 2023) for i in range(copies))):
            data = _t3(received=3, granted=3, partial=0, withheld=0, unable=0)
            data["agency"] = {"name": "甲局", "level": "county_department", "region": "某市"}
            data["year"] = year
            if year == 2023:  # carried forward 2, carried over 0 the year after: a cross-year finding
                data["requests"]["carried_forward"].update(natural_person=2, total=2)
            _write(src, name, data)
        db = tmp_path / f"a{copies}-{jobs}.sqlite"
        audit([str(src)], str(db), jobs=jobs)
        return _rows(db, "SELECT code, pointer, message_en FROM findings WHERE scope = 'series' ORDER BY 1, 2, 3")

    once = series_findings(1)
    assert once and {code for code, _, _ in once} >= {"GD-X-CARRY"}
    assert series_findings(2) == once
