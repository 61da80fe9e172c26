"""The audit's summary figures and lists, as review 12b found them (/work/coord/review12b-findings.md #8, #11, #12):
year pairs counted twice by --refresh, probable republications a short name shares with several longer ones or
that are all zeros but a cell, and the wording of the counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclosure.audit import audit

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
