"""The audit and aggregate as review5 found them: cells never found, units of summed amounts, resumed runs."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import govdisclosure as gd
from govdisclosure.audit import Store, audit
from govdisclosure.audit.page import write_page
from govdisclosure.audit.run import export_csv

from .conftest import ROOT
from .test_audit import _rows, _t3, _write

CORPUS = ROOT / "tests" / "data" / "corpus" / "reports"


def test_a_cell_the_parser_never_found_is_not_found_not_blank(tmp_path: Path) -> None:
    # F6: 045 is an excerpt: table 3 ends after a few rows and table 4 is not there (GD-PARSE-TABLE); what it
    # printed empty ("/" on line 15, the empty cells of the rows it has) are blanks, the rest is not found
    src = tmp_path / "in"
    parsed = gd.parse(str(CORPUS / "045-district-tongjiju-2023-pages-excerpt.txt")).report
    (src / "045.json").parent.mkdir(parents=True)
    (src / "045.json").write_text(gd.dump(parsed), encoding="utf-8")  # the parse kept as JSON: provenance kept
    agency = _t3(received=None, granted=0, partial=0, withheld=0, unable=0)  # an agency's own JSON, two nulls
    agency["agency"] = {"name": "甲局", "level": "county_department", "region": "某市"}
    # what a cell printed, without the line a parser finds a row on (a Word table read cell by cell writes this)
    agency["provenance"] = {"/requests/received/natural_person": {"raw": "/"}}
    _write(src, "agency.json", agency)
    db = tmp_path / "a.sqlite"
    audit([str(CORPUS / "045-district-tongjiju-2023-pages-excerpt.txt"), str(src)], str(db), jobs=0)
    by_source = {Path(s).name: (b, u, n) for s, b, u, n in _rows(
        db, "SELECT source, blanks, unsettled, not_found FROM report_summary")}
    # the text and its parse as JSON are one report each, and count alike
    assert by_source["045-district-tongjiju-2023-pages-excerpt.txt"] == by_source["045.json"] == (22, 0, 169)
    assert by_source["agency.json"] == (2, 0, 0)  # not the parser's: its nulls are the agency's blanks
    slash = _rows(db, "SELECT DISTINCT blank, unsettled, not_found FROM cells WHERE json_extract(provenance, '$.raw') "
                      "= '/' OR (year = 2022 AND value IS NULL)")
    assert slash == [(1, 0, 0)]
    # a located row's other empty cells (no provenance of their own) are blanks; table 4 is not found
    located = _rows(db, "SELECT DISTINCT blank, not_found FROM cells WHERE year = 2023 AND table_id = 'requests' "
                        "AND row_id = 'received' AND value IS NULL")
    assert located == [(1, 0)]
    table4 = _rows(db, "SELECT DISTINCT blank, not_found FROM cells WHERE year = 2023 "
                       "AND table_id = 'review_litigation'")
    assert table4 == [(0, 1)]
    # the cells are in exactly one state
    assert _rows(db, "SELECT COUNT(*) FROM cells WHERE value IS NULL AND blank + unsettled + not_found != 1") == [(0,)]
    assert _rows(db, "SELECT COUNT(*) FROM cells WHERE value IS NOT NULL AND blank + unsettled + not_found != 0") == [
        (0,)]
    assert sorted(_rows(db, "SELECT blanks, not_found FROM risk_ranking")) == [(2, 0), (22, 169), (22, 169)]
    with Store(str(db)) as store:
        export_csv(store, str(tmp_path / "a.csv"))
        page = tmp_path / "index.html"
        write_page(store, str(page), top=5)
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert sorted((r["blanks"], r["unsettled"], r["not_found"]) for r in rows) == [
        ("2", "0", "0"), ("22", "0", "169"), ("22", "0", "169")]
    text = page.read_text(encoding="utf-8")
    assert "未找到 / not found" in text and '<td class="n">169</td>' in text
    assert "未找到：解析时没有找到该格所在的表或行" in text and "not found: the parser did not find" in text


def test_a_store_of_schema_2_learns_the_printed_rows(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    audit([str(CORPUS / "045-district-tongjiju-2023-pages-excerpt.txt")], str(db), jobs=0)
    con = sqlite3.connect(db)
    con.executescript("DROP VIEW cells; DROP VIEW report_summary; "
                      "DROP VIEW risk_ranking; ALTER TABLE cell_specs DROP COLUMN printed_row;")
    con.close()
    with Store(str(db)):
        pass
    assert _rows(db, "SELECT blanks, not_found FROM report_summary") == [(22, 169)]
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("3",)]
    assert _rows(db, "SELECT COUNT(*) FROM cell_specs WHERE printed_row IS NULL") == [(0,)]
