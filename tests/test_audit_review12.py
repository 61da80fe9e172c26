"""The audit's store over several runs, as probe 12b found it: the agency map, the CSV, inputs gone, an older version,
the page's counts, duplicates."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from govdisclosure.audit import Store, audit
from govdisclosure.audit.agencies import AgencyMap
from govdisclosure.audit.page import write_page
from govdisclosure.audit.run import export_csv
from govdisclosure.audit.store import SCHEMA_VERSION

from .test_audit import _doc, _rows, _write
from .test_audit_review5 import CORPUS


def _map(tmp_path: Path, *rows: str) -> AgencyMap:
    path = tmp_path / "agencies.csv"
    path.write_text("match,agency_id,name,level,region\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return AgencyMap.read(str(path))


def test_a_map_given_to_a_later_run_keys_the_whole_store(tmp_path: Path) -> None:
    # probe 12b #1: the map was applied only to the inputs a run read, so adding it to a resumed audit changed
    # nothing (the series stayed split, their year pairs never checked, no word)
    src = tmp_path / "in"
    _write(src, "a/2021.json", _doc(year=2021, agency="白河县教育局", seed=1))
    _write(src, "a/2022.json", _doc(year=2022, agency="县教育局", seed=2))
    _write(src, "b/2022.json", _doc(year=2022, agency="白河县卫健委", seed=3))
    _write(src, "b/2023.json", _doc(year=2023, agency="白河县卫生健康委员会", seed=4))
    db = tmp_path / "a.sqlite"
    first = audit([str(src)], str(db), jobs=0)
    assert (first.series, first.pairs_stored, first.rekeyed) == (4, 0, 0)
    assert not any("对照表" in line for line in first.lines())
    mapping = _map(tmp_path, "县教育局,jyj,白河县教育局,county_department,白河县", "白河县教育局,jyj",
                   "白河县卫健委,wjw,白河县卫生健康委员会", "白河县卫生健康委员会,wjw")
    second = audit([str(src)], str(db), jobs=0, agencies=mapping)
    assert (second.skipped, second.examined) == (4, 0)
    assert (second.series, second.pairs_checked, second.pairs_stored, second.rekeyed) == (2, 2, 2, 4)
    assert any("机关对照表与本库上次所用的不同" in line and "4 份" in line for line in second.lines())
    assert any("agency map differs" in line for line in second.lines("en"))
    assert _rows(db, "SELECT agency_key, agency, region FROM reports ORDER BY source") == [
        ("id:jyj", "白河县教育局", "某省某市"), ("id:jyj", "白河县教育局", "白河县"),
        ("id:wjw", "白河县卫生健康委员会", "某省某市"), ("id:wjw", "白河县卫生健康委员会", "某省某市")]
    # the same findings as a fresh store audited with the map
    fresh = tmp_path / "fresh.sqlite"
    audit([str(src)], str(fresh), jobs=0, agencies=mapping)
    findings = "SELECT agency, year, code, message_zh FROM report_findings ORDER BY 1, 2, 3, 4"
    assert _rows(db, findings) == _rows(fresh, findings)
    assert _rows(db, "SELECT agency_key, first_year, last_year FROM series ORDER BY 1") == _rows(
        fresh, "SELECT agency_key, first_year, last_year FROM series ORDER BY 1")
    # the same map again: nothing to say; none after one: grouped by name again, and said
    again = audit([str(src)], str(db), jobs=0, agencies=mapping)
    assert (again.rekeyed, again.pairs_checked) == (0, 0)
    assert not any("对照表" in line for line in again.lines())
    none = audit([str(src)], str(db), jobs=0)
    assert (none.series, none.pairs_stored, none.rekeyed) == (4, 0, 4)
    assert any("本次未给 --agencies" in line for line in none.lines())
    # a corrected row of the map is a change of map too
    fixed = _map(tmp_path, "县教育局,jyj", "白河县教育局,jyj", "白河县卫健委,wjw", "白河县卫生健康委员会,wjw")
    third = audit([str(src)], str(db), jobs=0, agencies=fixed)
    assert (third.series, third.pairs_stored) == (2, 2)


def test_the_csv_says_which_row_the_figures_count(tmp_path: Path) -> None:
    # probe 12b #5: a republished report was in the CSV once per input, every copy duplicate=1, and nothing said
    # which one the store sums: summing the CSV counted it three times
    src = tmp_path / "in"
    _write(src, "a/2023.json", _doc(year=2023, agency="某县商务局", seed=1))
    _write(src, "b/2023.json", _doc(year=2023, agency="某县商务局", seed=2))  # another report of the agency-year
    (src / "c").mkdir()
    (src / "c" / "copy.json").write_bytes((src / "a" / "2023.json").read_bytes())  # the same bytes: one report
    _write(src, "d/2023.json", _doc(year=2023, agency="某县财政局", seed=3))
    (src / "e.json").write_text("{}", encoding="utf-8")  # a failed input
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    with Store(str(db)) as store:
        export_csv(store, str(tmp_path / "a.csv"))
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert len(rows) == 5
    by_name = {Path(r["path"]).relative_to(src).as_posix(): r for r in rows}
    assert by_name["a/2023.json"]["report_id"] == by_name["c/copy.json"]["report_id"]
    assert by_name["a/2023.json"]["content_hash"] == by_name["c/copy.json"]["content_hash"] != ""
    assert by_name["e.json"]["counted"] == "0" and by_name["e.json"]["report_id"] == ""
    counted = [r for r in rows if r["counted"] == "1"]
    assert len(counted) == 2
    total = _rows(db, "SELECT reports, received FROM group_metrics WHERE by_year + by_region + by_level = 0")
    assert total == [(2, sum(int(r["received"]) for r in counted))]


def test_inputs_gone_from_the_folders_are_said_and_dropped_with_prune(tmp_path: Path) -> None:
    # probe 12b #6: inputs deleted or moved stayed in the store and kept counting, silently; a moved file's report
    # kept its old path as source
    src = tmp_path / "in"
    _write(src, "a/2022.json", _doc(year=2022, agency="某县商务局", seed=1))
    _write(src, "a/2023.json", _doc(year=2023, agency="某县商务局", seed=2))
    _write(src, "copy/2023.json", _doc(year=2023, agency="某县商务局", seed=3))  # a second report of 2023
    _write(src, "b/2023.json", _doc(year=2023, agency="某县财政局", seed=4))
    other = tmp_path / "elsewhere"
    _write(other, "x.json", _doc(year=2023, agency="某县水利局", seed=5))  # audited too, but not given below
    db = tmp_path / "a.sqlite"
    audit([str(src), str(other)], str(db), jobs=0)
    (src / "copy" / "2023.json").unlink()  # the researcher drops a wrongly scraped page
    (src / "moved").mkdir()
    (src / "b" / "2023.json").rename(src / "moved" / "2023.json")
    kept = audit([str(src)], str(db), jobs=0)
    assert (kept.unseen, kept.pruned, kept.reports) == (2, False, 5)
    assert [Path(p).relative_to(src).as_posix() for p in kept.unseen_paths] == ["b/2023.json", "copy/2023.json"]
    assert any("本次未见" in line and "--prune" in line for line in kept.lines())
    assert any("--prune drops them" in line for line in kept.lines("en"))
    # the moved file is the same report: its source is where it now lies
    assert _rows(db, "SELECT source FROM reports WHERE agency = '某县财政局'") == [(str(src / "moved" / "2023.json"),)]
    pruned = audit([str(src)], str(db), jobs=0, prune=True)
    assert (pruned.unseen, pruned.pruned, pruned.pruned_reports, pruned.reports) == (2, True, 1, 4)
    assert any("已从库中删除" in line for line in pruned.lines())
    assert pruned.duplicates == ()
    # what lies outside the folders given is not touched
    assert _rows(db, "SELECT COUNT(*) FROM inputs WHERE path LIKE ?", str(other) + "%") == [(1,)]
    assert _rows(db, "SELECT COUNT(*) FROM inputs") == [(4,)]
    again = audit([str(src)], str(db), jobs=0)
    assert again.unseen == 0 and not any("本次未见" in line for line in again.lines())


def test_a_store_made_by_another_version_is_said_and_refresh_reads_it_again(tmp_path: Path) -> None:
    # probe 12b #7: a resumed run never read an unchanged file again, whatever changed in the library: a store made
    # before an upgrade kept the old results for ever, and nothing said so
    src = tmp_path / "in"
    _write(src, "2022.json", _doc(year=2022, agency="某县商务局", seed=1))
    _write(src, "2023.json", _doc(year=2023, agency="某县商务局", seed=2))
    (src / "bad.json").write_text("{}", encoding="utf-8")
    db = tmp_path / "a.sqlite"
    first = audit([str(src)], str(db), jobs=0)
    assert first.other_versions == () and first.version.startswith("govdisclosure ")
    findings = "SELECT year, code, message_zh, previous_report_id IS NOT NULL FROM report_findings ORDER BY 1, 2, 3, 4"
    expected = _rows(db, findings)
    cells = "SELECT report_id, cell_id, value FROM cell_values ORDER BY 1, 2"
    expected_cells = _rows(db, cells)
    # what an older version left: a store of schema 3 (no version recorded), another reading of a cell, other
    # findings, another reason for the failed input
    con = sqlite3.connect(db)
    con.executescript("ALTER TABLE runs DROP COLUMN version; UPDATE cell_values SET value = 999 WHERE cell_id = "
                      "(SELECT MIN(cell_id) FROM cell_values); DELETE FROM findings; DELETE FROM series_pairs; "
                      "UPDATE inputs SET error_zh = '旧的原因' WHERE status = 'failed';")
    con.close()
    resumed = audit([str(src)], str(db), jobs=0)
    assert (resumed.skipped, resumed.examined) == (3, 0)
    assert resumed.other_versions == ((None, 3),)
    assert any("由另一版本读取" in line and "--refresh" in line for line in resumed.lines())
    assert any("--refresh reads every input again" in line for line in resumed.lines("en"))
    assert _rows(db, cells) != expected_cells
    refreshed = audit([str(src)], str(db), jobs=0, refresh=True)
    assert (refreshed.skipped, refreshed.examined, refreshed.reports) == (0, 3, 2)
    assert refreshed.other_versions == () and not any("另一版本" in line for line in refreshed.lines())
    assert _rows(db, cells) == expected_cells
    assert _rows(db, findings) == expected
    assert _rows(db, "SELECT error_zh != '旧的原因' FROM inputs WHERE status = 'failed'") == [(1,)]
    assert _rows(db, "SELECT COUNT(*) FROM series_pairs") == [(1,)]
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]


def test_the_page_counts_duplicate_agency_years_and_says_not_found_in_the_funnel(tmp_path: Path) -> None:
    # probe 12b #8: the card "duplicate agency-years" counted reports; #9: the funnel called the cells the parser
    # never found (a truncated page, an excerpt) "blank"
    src = tmp_path / "in"
    for seed in (1, 2, 3):
        _write(src, f"a{seed}.json", _doc(year=2023, agency="某县商务局", seed=seed))
    for seed in (4, 5):
        _write(src, f"b{seed}.json", _doc(year=2023, agency="某县财政局", seed=seed))
    db = tmp_path / "a.sqlite"
    audit([str(src), str(CORPUS / "045-district-tongjiju-2023-pages-excerpt.txt")], str(db), jobs=0)
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=5)
    text = page.read_text(encoding="utf-8")
    assert '<div class="card"><b>2</b>同机关同年重复 / duplicate agency-years</div>' in text
    assert "份报告未找到该表或行，未计入" in text and "1 report where the table or row was not found" in text  # (12b #12: plural)
    assert "份报告空白，未计入" not in text


def test_findings_per_rule_count_agency_years_beside_reports(tmp_path: Path) -> None:
    # probe 12b #10: the per-rule counts counted each copy of a duplicate agency-year: the same finding of one
    # agency-year counted twice, and nothing to count agency-years with
    src = tmp_path / "in"
    _write(src, "a1.json", _doc(year=2023, agency="某县商务局", seed=1))
    _write(src, "a2.json", _doc(year=2023, agency="某县商务局", seed=2))
    _write(src, "b.json", _doc(year=2023, agency="某县财政局", seed=3))
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert ("GD-AUDIT-DUPLICATE", "warning", 2, 2, 1) in summary.by_rule
    assert any("GD-AUDIT-DUPLICATE" in line and "（2 份报告，1 个机关年度）" in line for line in summary.lines())
    assert any("(2 reports, 1 agency-year)" in line for line in summary.lines("en"))  # (12b #12: plural)
    assert _rows(db, "SELECT findings, reports, agency_years FROM findings_by_rule WHERE code = 'GD-AUDIT-DUPLICATE'"
                 ) == [(2, 2, 1)]


def test_a_duplicate_says_whether_its_cells_differ(tmp_path: Path) -> None:
    # probe 12b #11: GD-AUDIT-DUPLICATE said "2 different reports" whether the copies were a republication (the
    # same cells in another page frame) or a corrected version with other numbers
    src = tmp_path / "in"
    base = _doc(year=2023, agency="某县商务局", seed=1)
    _write(src, "a.json", base)
    (src / "b.json").write_text(json.dumps(base, ensure_ascii=False, indent=1), encoding="utf-8")  # other bytes
    changed = _doc(year=2023, agency="某县商务局", seed=1)
    changed["requests"]["received"]["natural_person"] += 7
    _write(src, "c.json", changed)
    _write(src, "x/one.json", _doc(year=2023, agency="某县财政局", seed=2))
    (src / "x" / "two.json").write_text(json.dumps(_doc(year=2023, agency="某县财政局", seed=2), indent=2),
                                        encoding="utf-8")
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    rows = {Path(s).name: (json.loads(p), zh, en) for s, p, zh, en in _rows(
        db, "SELECT source, params, message_zh, message_en FROM report_findings WHERE code = 'GD-AUDIT-DUPLICATE'")}
    counted = _rows(db, "SELECT source FROM reports WHERE agency = '某县商务局' AND counted = 1")[0][0]
    assert Path(counted).name == "a.json"
    b, c = rows["b.json"], rows["c.json"]
    assert (b[0]["cells_differ"], Path(b[0]["compared_with"]).name) == (0, "a.json")
    assert b[1].endswith(f"与 {counted} 相比，单元格完全相同") and b[2].endswith(f"cells identical from {counted}'s")
    assert c[0]["cells_differ"] == 1
    assert "1 个单元格不同（首个：一、本年新收政府信息公开申请数量 · 自然人）" in c[1]
    assert "1 cell differs" in c[2]
    assert rows["a.json"][0]["cells_differ"] == 0  # compared with the next copy, b
    # two copies: the other is named once already
    assert rows["one.json"][1].endswith("）；单元格完全相同") and rows["two.json"][2].endswith("); cells identical")
    view = {Path(s).name: n for s, n in _rows(db, "SELECT source, cells_differ FROM duplicates")}
    assert view == {"a.json": 0, "b.json": 0, "c.json": 1, "one.json": 0, "two.json": 0}


def test_names_that_nest_with_identical_cells_are_listed_not_merged(tmp_path: Path) -> None:
    # probe 12b #2: a county's report republished under the city-prefixed name was a second agency, silently.
    # Names are never merged (朝阳区 is in Beijing and in Changchun); a pair of one year whose names nest and whose
    # cells are identical is listed, for the researcher to map
    src = tmp_path / "in"
    county = _doc(year=2023, agency="白河县人民政府", seed=1)
    _write(src, "county.json", county)
    _write(src, "city-portal.json", {**county, "agency": {**county["agency"], "name": "青川市白河县人民政府"}})
    bureau = _doc(year=2023, agency="白河县教育局", seed=2)
    _write(src, "jyj.json", bureau)
    _write(src, "jyj-short.json", {**bureau, "agency": {**bureau["agency"], "name": "县教育局"}})
    # names that nest, other numbers: two agencies
    _write(src, "cy-bj.json", _doc(year=2023, agency="北京市朝阳区人民政府", seed=3))
    _write(src, "cy.json", _doc(year=2023, agency="朝阳区人民政府", seed=4))
    # the same numbers, another year: not a pair
    _write(src, "county-2022.json", {**county, "year": 2022, "agency": {**county["agency"], "name": "某市白河县人民政府"}})
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    found = [(y, a, Path(s).name, b, Path(t).name) for y, a, s, b, t in summary.republications]
    assert found == [(2023, "白河县教育局", "jyj.json", "县教育局", "jyj-short.json"),
                     (2023, "青川市白河县人民政府", "city-portal.json", "白河县人民政府", "county.json")]
    assert summary.series == 7  # nothing merged
    lines = summary.lines()
    assert any("可能是同一份报告以不同机关名称发布" in line and "2 处" in line and "--agencies" in line for line in lines)
    assert any(line.startswith("  ≈ 2023 青川市白河县人民政府") for line in lines)
    assert any("probable republications" in line for line in summary.lines("en"))
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=5)
    text = page.read_text(encoding="utf-8")
    assert "Probable republications" in text and "<td>青川市白河县人民政府</td>" in text
    # mapped, they are one agency's: no longer listed
    mapping = _map(tmp_path, "青川市白河县人民政府,bh", "白河县人民政府,bh", "县教育局,jyj", "白河县教育局,jyj")
    assert audit([str(src)], str(db), jobs=0, agencies=mapping).republications == ()
