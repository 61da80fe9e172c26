"""The audit's summary figures and lists, as review 12b found them (/work/coord/review12b-findings.md #8, #11, #12):
year pairs counted twice by --refresh, probable republications a short name shares with several longer ones or
that are all zeros but a cell, and the wording of the counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from govdisclosure.audit import Store, audit
from govdisclosure.audit.page import write_page
from govdisclosure.audit.store import REPUBLISHED_COUNTS

from .test_audit import _doc, _rows, _write


@pytest.mark.parametrize("names", [("a-2021.json", "b-2020.json"), ("x/2021.json", "y/2020.json"),
                                   ("a-2021.json", "b-2020.json", "c-2021-copy.json")])
def test_refresh_counts_each_year_pair_once(tmp_path: Path, names: tuple[str, ...]) -> None:
    # review 12b #8: a pair the worker checked (both reports read in one chunk, the later year first) was stored and
    # counted; re-reading its previous report then deleted it, and it was checked and counted again after the walk:
    # "year pairs checked this run: 5 (4 in the store)" where a fresh run says 4
    src = tmp_path / "in"
    for name in names:
        year = 2021 if "2021" in name else 2020
        _write(src, name, _doc(year=year, agency="某县教育局", seed=year))
    db = tmp_path / "a.sqlite"
    fresh = audit([str(src)], str(db), jobs=0)
    assert (fresh.pairs_checked, fresh.pairs_stored) == (1, 1)
    again = audit([str(src)], str(db), jobs=0, refresh=True)
    assert (again.pairs_checked, again.pairs_stored) == (1, 1)
    assert not any("库中共" in line for line in again.lines())
    # the store is as a fresh one: the pair's findings once
    audit([str(src)], str(tmp_path / "b.sqlite"), jobs=0)
    pairs = "SELECT code, COUNT(*) FROM findings WHERE previous_report_id IS NOT NULL GROUP BY code"
    assert _rows(db, pairs) == _rows(tmp_path / "b.sqlite", pairs)


def _sparse(agency: str, counts: int) -> dict[str, Any]:
    """A township's report: every count zero but ``counts`` of them (each with its row's total, which repeats it)."""
    doc = _doc(year=2022, agency=agency, seed=5)

    def zero(node: Any) -> Any:
        return {k: zero(v) for k, v in node.items()} if isinstance(node, dict) else 0 if isinstance(node, int) else node
    doc["proactive"], doc["requests"], doc["review_litigation"] = (
        zero(doc[k]) for k in ("proactive", "requests", "review_litigation"))
    doc["proactive"]["fees"]["amount"] = "0"
    rows = ["received", "granted", "partially_granted", "carried_over", "carried_forward"]
    for i in range(counts):
        row = doc["requests"][rows[i // 2]]
        row[("natural_person", "commercial")[i % 2]] = 1 + i
        row["total"] += 1 + i
    return doc


@pytest.mark.parametrize("shorts", [("教育局",), ("县教育局",), ("教育局", "县教育局")])
def test_a_name_matching_several_is_no_pair_to_map(tmp_path: Path, shorts: tuple[str, ...]) -> None:
    # review 12b #11: 教育局 ≈ 白河县教育局 and ≈ 青川县教育局 were listed as two independent pairs, each advised "map
    # them with --agencies", which would merge three agencies: if the short one equals both, the two county bureaus
    # equal each other (a template copied between counties, or a report under the wrong name)
    src = tmp_path / "in"
    same = _doc(year=2022, agency="白河县教育局", seed=1)
    for name in ("白河县教育局", "青川县教育局", *shorts):
        _write(src, f"{name}.json", {**same, "agency": {**same["agency"], "name": name}})
    # a pair on its own beside it is still a pair
    county = _doc(year=2022, agency="白河县人民政府", seed=2)
    _write(src, "county.json", county)
    _write(src, "portal.json", {**county, "agency": {**county["agency"], "name": "青川市白河县人民政府"}})
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert [(a, Path(s).name, b) for _, a, s, b, _ in summary.republications] == [
        ("青川市白河县人民政府", "portal.json", "白河县人民政府")]
    ((year, members),) = summary.republication_groups
    assert year == 2022 and [a for a, _ in members] == [*sorted(shorts, key=len), "白河县教育局", "青川县教育局"]
    lines = summary.lines()
    assert any("1 处" in line and "--agencies 对照：" in line for line in lines)
    group = next(i for i, line in enumerate(lines) if "并非逐级包含" in line)
    assert "勿直接用 --agencies 对照" in lines[group]
    assert f"与 {len(shorts) + 1} 个名称相同" in lines[group + 1] and "青川县教育局" in lines[group + 1]
    assert not any("教育局" in line for line in lines[:group])
    assert any(f"has the same cells as {len(shorts) + 1} other names" in line for line in summary.lines("en"))
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=5)
    text = page.read_text(encoding="utf-8")
    assert "template copied" in text and "白河县教育局 (" in text


@pytest.mark.parametrize(("counts", "listed"), [(1, False), (4, False), (REPUBLISHED_COUNTS, True)])
def test_sparse_reports_under_names_that_nest_are_not_republications(
        tmp_path: Path, counts: int, listed: bool) -> None:
    # review 12b #11: a report with a single non-zero cell passed the "not all zero" test; township reports are zeros
    # but for a count or two, and 城关镇人民政府 is in hundreds of counties: two of them agree by chance
    src = tmp_path / "in"
    doc = _sparse("城关镇人民政府", counts)
    _write(src, "a.json", doc)
    _write(src, "b.json", {**doc, "agency": {**doc["agency"], "name": "甲县城关镇人民政府"}})
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert bool(summary.republications) is listed
    # review 13a #8: below the threshold the pair is still listed, apart ("few counts: check"), not dropped
    assert bool(summary.republications_few) is not listed
    assert _rows(db, "SELECT COUNT(*) FROM cell_values v JOIN cell_specs s USING (cell_id) JOIN reports r "
                 "USING (report_id) WHERE r.agency = '城关镇人民政府' AND v.value != 0 AND s.row_id != 'total' "
                 "AND s.column_id != 'total'") == [(counts,)]


def test_inputs_of_another_version_outside_the_paths_given_are_not_skipped(tmp_path: Path) -> None:
    # review 12b #12: 「库中 N 个输入由另一版本读取…，未改动而跳过」 counted every stored input of another version, also
    # those under folders this run was not given (never walked: neither skipped nor read again by --refresh)
    for folder, seed in (("a", 1), ("b", 2)):
        _write(tmp_path / folder, "r.json", _doc(year=2022, agency=f"某县{folder}局", seed=seed))
    _write(tmp_path / "b", "s.json", _doc(year=2022, agency="某县丙局", seed=3))
    db = tmp_path / "a.sqlite"
    audit([str(tmp_path / "a"), str(tmp_path / "b")], str(db), jobs=0)
    con = sqlite3.connect(db)
    con.execute("UPDATE runs SET version = 'govdisclosure 0.0.1'")
    con.commit()
    con.close()
    run = audit([str(tmp_path / "a")], str(db), jobs=0)
    assert run.skipped == 1
    assert (run.other_versions, run.other_versions_elsewhere) == ((("govdisclosure 0.0.1", 1),),
                                                                 (("govdisclosure 0.0.1", 2),))
    lines, en = run.lines(), run.lines("en")
    assert any(line.startswith("库中 1 个输入由另一版本读取") for line in lines)
    assert any(line.startswith("另有 2 个由另一版本读取的输入") and "本次未读取也未跳过" in line for line in lines)
    assert any(line.startswith("1 stored input was examined by another version") for line in en)
    assert any(line.startswith("2 more stored inputs examined by another version") for line in en)
    refreshed = audit([str(tmp_path / "a")], str(db), jobs=0, refresh=True)
    assert (refreshed.other_versions, refreshed.other_versions_elsewhere) == ((), (("govdisclosure 0.0.1", 2),))


def test_english_counts_of_one_are_singular(tmp_path: Path) -> None:
    # review 12b #12: "1 stored inputs", "1 reports blank or unsettled", "1 agency-years"
    src = tmp_path / "in"
    _write(src, "a.json", _doc(year=2022, agency="某县商务局", seed=1, requests__received__total=None))
    _write(src, "b.json", _doc(year=2022, agency="某县财政局", seed=2))
    gone = _write(src, "c.json", _doc(year=2022, agency="某县教育局", seed=3))
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    gone.unlink()
    run = audit([str(src)], str(db), jobs=0)
    assert any(line.startswith("1 stored input under the folders given was not found") for line in run.lines("en"))
    page = tmp_path / "index.html"
    with Store(str(db)) as store:
        write_page(store, str(page), top=0)
    text = page.read_text(encoding="utf-8")
    assert "1 report blank or unsettled, not counted" in text and "1 reports" not in text
