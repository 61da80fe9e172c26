"""The audit and aggregate as review5 found them: cells never found, units of summed amounts, resumed runs."""

from __future__ import annotations

import csv
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import attrs
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.audit import Store, audit
from govdisclosure.audit.aggregate import aggregate
from govdisclosure.audit.page import write_page
from govdisclosure.audit.run import export_csv
from govdisclosure.audit.store import SCHEMA_VERSION
from govdisclosure.cli import cli
from govdisclosure.model import CellProvenance
from govdisclosure.model.scalars import Text

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
    assert _rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
    assert _rows(db, "SELECT COUNT(*) FROM cell_specs WHERE printed_row IS NULL") == [(0,)]


# ----------------------------------------------------------------------------- F7: the units of summed amounts


def _procurement(amount: str, unit: str | None, name: str) -> gd.Report:
    """A 2019 report whose 采购总金额 is ``amount`` as published in ``unit`` (None: typed with no unit)."""
    from govdisclosure.testing import balanced_data

    data = balanced_data(gd.Registry.default().format("2019"), random.Random(len(name)).randint, year=2019)
    data["agency"] = {"name": name, "level": "county_department", "region": None}
    data["proactive"]["procurement"]["amount"] = amount
    if unit is not None:
        data["provenance"] = {"/proactive/procurement/amount": {"raw": amount + unit, "unit": unit, "line": 45}}
    return gd.from_data(data)


AMOUNT = "/proactive/procurement/amount"


def test_amounts_of_one_unit_keep_it_and_元_and_万元_are_converted_exactly() -> None:
    yuan, wan = _procurement("251000", "元", "甲"), _procurement("52.15", "万元", "乙")
    same = aggregate([("a.json", yuan), ("b.json", _procurement("100", "元", "丙"))])
    assert same.cell(AMOUNT) == Decimal("251100") and same.provenance[AMOUNT].unit == "元"
    mixed = aggregate([("a.json", yuan), ("b.json", wan)])  # 251000 元 + 521500 元, not 251052.15
    assert gd.dump(mixed).count('"amount": "772500"') == 1 and mixed.provenance[AMOUNT].unit == "元"
    assert mixed.provenance[AMOUNT].note is None  # a converted sum is not in doubt
    tiny = aggregate([("a.json", _procurement("0.01", "元", "甲")), ("b.json", _procurement("0.000001", "万元", "乙"))])
    assert tiny.cell(AMOUNT) == Decimal("0.02")  # exact, both ways of writing a cent
    wans = aggregate([("a.json", wan), ("b.json", _procurement("1.5", "万元", "丙"))])
    assert wans.cell(AMOUNT) == Decimal("53.65") and wans.provenance[AMOUNT].unit == "万元"
    typed = aggregate([("a.json", _procurement("3", None, "甲")), ("b.json", _procurement("4", None, "乙"))])
    assert typed.cell(AMOUNT) == 7 and AMOUNT not in typed.provenance  # nobody says: as typed
    assert mixed == gd.loads(gd.dump(mixed), source="t.json")
    assert "772500元" in gd.render(mixed, "markdown")  # the sum shown in its unit


def test_an_amount_with_no_unit_beside_one_with_a_unit_leaves_the_sum_blank(tmp_path: Path) -> None:
    parts = [("a.json", _procurement("251000", "元", "甲")), ("b.json", _procurement("52.15", None, "乙")),
             ("c.json", _procurement("7", "元", "丙"))]
    total = aggregate(parts)
    assert total.cell(AMOUNT) is None
    assert total.provenance[AMOUNT].note == ("单位不同：元（a.json、c.json），未注明（b.json） / "
                                             "units differ: 元 (a.json, c.json), none given (b.json)")
    paths = []
    for name, report in parts:
        (tmp_path / name).write_text(gd.dump(report), encoding="utf-8")
        paths.append(str(tmp_path / name))
    run = CliRunner().invoke(cli, ["aggregate", *paths, "-o", str(tmp_path / "t.json")])
    assert run.exit_code == 0 and "其中单位不同 1 个" in run.output
    run = CliRunner().invoke(cli, ["aggregate", *paths, "-o", str(tmp_path / "t.json"), "--lang", "en"])
    assert "1 of them amounts in different units" in run.output


def test_the_form_s_fixed_unit_is_the_sum_s() -> None:
    # 2021's 本年收费金额（单位：万元）: a unit-less amount is in 万元; one printed in 元 is converted to 万元
    one = gd.load(ROOT / "examples" / "huaian-city-2024.json")
    fees = "/proactive/fees/amount"
    yuan = one.with_cells({fees: Decimal("15000")})
    yuan = attrs.evolve(yuan, provenance={fees: CellProvenance(raw=Text("15000元"), unit=Text("元"))})
    plain = attrs.evolve(one.with_cells({fees: Decimal("1.5")}), agency=attrs.evolve(one.agency, name="乙局"))
    total = aggregate([("a.json", yuan), ("b.json", plain)])
    assert total.cell(fees) == Decimal("3") and total.provenance[fees].unit == "万元"
    both_plain = aggregate([("a.json", plain), ("b.json", attrs.evolve(plain, agency=one.agency))])
    assert both_plain.cell(fees) == Decimal("3") and fees not in both_plain.provenance


# ----------------------------------------------------------------------------- F8.4: a resumed run's pairs


def test_a_resumed_run_says_the_pairs_it_checked_and_the_store_s(tmp_path: Path) -> None:
    src = tmp_path / "in"
    for name, year in (("a-2022.json", 2022), ("a-2023.json", 2023)):
        data = _t3(received=3, granted=3, partial=0, withheld=0, unable=0)
        data["agency"] = {"name": "甲局", "level": "county_department", "region": "某市"}
        data["year"] = year
        _write(src, name, data)
    db = tmp_path / "a.sqlite"
    first = audit([str(src)], str(db), jobs=0)
    assert (first.pairs_checked, first.pairs_stored) == (1, 1)
    assert any(line.endswith("本次跨年核对 1 对") for line in first.lines())  # nothing more to say
    other = _t3(received=1, granted=1, partial=0, withheld=0, unable=0)
    other["agency"] = {"name": "乙局", "level": "county_department", "region": "某市"}
    _write(src, "b-2022.json", other)
    again = audit([str(src)], str(db), jobs=0)
    assert (again.skipped, again.pairs_checked, again.pairs_stored) == (2, 0, 1)
    assert any(line.endswith("本次跨年核对 0 对（库中共 1 对）") for line in again.lines())
    assert any(line.endswith("year pairs checked this run: 0 (1 in the store)") for line in again.lines("en"))


# ----------------------------------------------------------------------------- F8.5: a note said once per language


def test_a_sum_s_blank_note_is_said_once_in_each_language() -> None:
    one = gd.load(ROOT / "examples" / "huaian-city-2024.json")
    pointer = "/requests/received/commercial"
    other = attrs.evolve(one.with_cells({pointer: None}), agency=attrs.evolve(one.agency, name="乙局"))
    summed = aggregate([("p/013.json", one), ("b.json", other)])
    assert summed.provenance[pointer].note == "空白于：b.json / blank in: b.json"
    page = gd.render(summed, "html")
    assert 'title="空白于：b.json；此处留空 / blank in: b.json; left blank here"' in page
    assert "存疑：空白于" not in page and "in doubt: 空白于" not in page
    text = gd.render(summed, "markdown")
    assert "空白于：b.json；此处留空（" in text and "blank in: b.json; left blank here）" in text
    assert gd.loads(text, source="t.md") == summed == gd.loads(page, source="t.html")


def test_a_note_in_both_languages_gives_each_reader_its_half() -> None:
    from govdisclosure.ingest.solve import BUDGET_NOTE, UNSPLIT_NOTE
    from govdisclosure.io.marks import doubt_note, note_text

    unsplit = doubt_note(CellProvenance(raw=Text("123"), line=4, note=Text(UNSPLIT_NOTE)), True)
    assert unsplit.zh == "存疑：无法把本行数字拆分到各列（原文“123”）；此处留空"
    assert unsplit.en == "in doubt: the row's numbers could not be split into its cells (printed “123”); left blank here"
    budget = note_text(BUDGET_NOTE)  # an English half with a colon of its own
    assert (budget.zh, budget.en) == ("解析工作量用尽，未拆分", "the parse's work budget ran out: not split")
    assert (note_text("字迹不清").zh, note_text("字迹不清").en) == ("字迹不清", "字迹不清")  # a clerk's
    odd = "空白于：a / b.json / blank in: a / b.json"  # a name with " / " in it: shown whole rather than cut
    assert (note_text(odd).zh, note_text(odd).en) == (odd, odd)
    # a sum written before the notes came in halves
    old = note_text("空白于 / blank in: a.json, b.json")
    assert (old.zh, old.en) == ("空白于：a.json, b.json", "blank in: a.json, b.json")
    units = doubt_note(CellProvenance(note=Text("单位不同：元（a.json），未注明（b.json） / units differ: 元 (a.json), "
                                               "none given (b.json)")), True)
    assert units.zh == "单位不同：元（a.json），未注明（b.json）；此处留空"
