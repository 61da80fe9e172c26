"""The store's writing made cheaper holds the rows the statements before wrote: a report inserted unless its bytes
are stored (not looked up first), inputs not looked up in a store that held none, bytes bound as bytearrays, the
values' exact text read only from a JSON text holding a string, the reports' flags set only where they change; and
the workers' results read straight into one buffer."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

import govdisclosure as gd
from govdisclosure.audit import audit
from govdisclosure.audit.agencies import AgencyMap, identity
from govdisclosure.audit.examine import Examined
from govdisclosure.audit.pool import receive_results, send_results
from govdisclosure.audit.store import Store
from govdisclosure.findings import path_text
from govdisclosure.testing import balanced_data

from .conftest import DATA

CORPUS = DATA / "corpus" / "reports"


# ----------------------------------------------------------------------------- the statements before, as they were


def _report_before(self: Store, ex: Examined, agencies: AgencyMap) -> int:
    row = self.db.execute("SELECT report_id, source FROM reports WHERE content_hash = ?", (ex.digest,)).fetchone()
    if row is not None and (not self.refresh or row[0] in self._refreshed):
        return int(row[0])
    key, name, level, region = named = identity(ex.agency, ex.level, ex.region, row[1] if row else ex.path, agencies)
    if row is not None:
        report_id = int(row[0])
        self._restore(report_id, ex, named)  # (as it was: the statements moved)
    else:
        cur = self.db.execute(
            "INSERT INTO reports (content_hash, source, agency, agency_key, level, region, year, format_version, "
            "variant, published_on, title, envelope) VALUES (?,?,?,?,?,?,?,?,?,?,?,CAST(? AS TEXT))",
            (ex.digest, ex.path, name, key, level, region, ex.year, ex.format_version, ex.variant,
             ex.published_on, ex.title, ex.envelope))
        report_id = int(cur.lastrowid or 0)
    ids = self._cell_ids(ex.format_version, ex.variant)
    self.db.execute("INSERT INTO cell_values SELECT ?, ? + key, value, CASE WHEN type = 'text' THEN value END "
                    "FROM json_each(CAST(? AS TEXT))", (report_id, ids[0], ex.values))
    if ex.provenance:
        fkey = ex.format_version + (f"/{ex.variant}" if ex.variant else "")
        self.db.execute("INSERT INTO cell_provenance SELECT ?, s.cell_id, j.value FROM json_each(CAST(? AS TEXT)) j "
                        "CROSS JOIN cell_specs s ON s.format_key = ? AND s.pointer = j.key",
                        (report_id, ex.provenance, fkey))
    self._findings(report_id, None, "report", ex.findings)
    for digest, rows in ex.pairs:
        prev = self.db.execute("SELECT report_id FROM reports WHERE content_hash = ?", (digest,)).fetchone()
        if prev is not None:
            cur = self.db.execute("INSERT OR IGNORE INTO series_pairs VALUES (?, ?)", (report_id, prev[0]))
            if cur.rowcount:
                self._pairs_stored += cur.rowcount
                self.db.execute("INSERT OR IGNORE INTO temp.run_pairs VALUES (?, ?)", (report_id, prev[0]))
                self._findings(report_id, prev[0], "series", rows)
    return report_id


def _input_before(self: Store, path: bytes, size: int | None, mtime: int | None, digest: str | None,
                  loader: str | None, status: str, error: tuple[str, str, str] | None, report_id: int | None,
                  seconds: float | None, run_id: int) -> None:
    old = self.db.execute("SELECT report_id FROM inputs WHERE path_bytes = ?", (path,)).fetchone()
    code, zh, en = error or (None, None, None)
    self.db.execute(
        "INSERT INTO inputs (path, path_bytes, size, mtime_ns, content_hash, loader, status, error_code, error_zh, "
        "error_en, report_id, seconds, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (path_bytes) DO UPDATE SET path = excluded.path, size = excluded.size, "
        "mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash, loader = excluded.loader, "
        "status = excluded.status, error_code = excluded.error_code, error_zh = excluded.error_zh, "
        "error_en = excluded.error_en, report_id = excluded.report_id, seconds = excluded.seconds, "
        "run_id = excluded.run_id",
        (path_text(path), path, size, mtime, digest, loader, status, code, zh, en, report_id, seconds, run_id))
    if old is not None and old[0] is not None and old[0] != report_id:
        self._drop_if_orphan(old[0])


def _flag_reports_before(self: Store) -> None:
    # every report reset, then set (the reset came before the series were made, which read none of the three)
    self.db.execute("UPDATE reports SET series_id = NULL, duplicate = 0, counted = 1")
    self.db.execute("UPDATE reports SET series_id = (SELECT series_id FROM series s "
                    "WHERE s.agency_key = reports.agency_key) WHERE agency_key IS NOT NULL")
    self.db.execute("UPDATE reports SET duplicate = 1 WHERE (agency_key, year) IN (SELECT agency_key, year "
                    "FROM reports WHERE agency_key IS NOT NULL AND year IS NOT NULL "
                    "GROUP BY agency_key, year HAVING COUNT(*) > 1)")
    self.db.execute(
        "UPDATE reports SET counted = 0 WHERE report_id IN (SELECT report_id FROM (SELECT r.report_id, "
        "ROW_NUMBER() OVER (PARTITION BY r.agency_key, r.year ORDER BY (SELECT COUNT(*) FROM cell_values v "
        "WHERE v.report_id = r.report_id AND v.value IS NULL), r.source, r.report_id) AS n "
        "FROM reports r WHERE r.duplicate = 1) WHERE n > 1)")


def _before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "_report", _report_before)
    monkeypatch.setattr(Store, "_input", _input_before)
    monkeypatch.setattr(Store, "_flag_reports", _flag_reports_before)
    # every input looked up (in the walk, and before it is written), whatever the store held
    monkeypatch.setattr(Store, "new_inputs", property(lambda _self: False, lambda _self, _value: None),
                        raising=False)


# ----------------------------------------------------------------------------- the rows compared


def _rows(db: str) -> dict[str, list[Any]]:
    """Every row of every table (the runs' times and the inputs' seconds aside: the clock's)."""
    con = sqlite3.connect(db)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")
                    if (table, r[1]) not in {("inputs", "seconds"), ("runs", "started"), ("runs", "finished")}]
            listed = ", ".join(cols)
            out[table] = con.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}").fetchall()
        out["report_summary"] = con.execute("SELECT * FROM report_summary ORDER BY report_id").fetchall()
        return out
    finally:
        con.close()


def _doc(year: int, agency: str, seed: int) -> str:
    data = balanced_data(gd.Registry.default().format_for_year(year), random.Random(seed).randint, year=year)
    data["agency"] = {"name": agency, "level": "county_department", "region": "某省某市"}
    return json.dumps(data, ensure_ascii=False)


def _folder(root: Path) -> Path:
    """Published texts (amounts among their cells, and not), one copied under another name (the same bytes: one
    report), an agency's two years (a year pair), an agency-year twice (duplicates), a file that is no report."""
    folder = root / "in"
    folder.mkdir()
    for name in ("009-pingtan-2020-zfxxgknb.txt", "012-pingtan-2022-zfxxgknb.txt", "013-pingtan-2024-zfxxgknb.txt",
                 "021-huaian-hongze-district-2023-pdf.txt", "022-huaian-hongze-district-2024-pdf.txt"):
        shutil.copy(CORPUS / name, folder / name)
    shutil.copy(CORPUS / "012-pingtan-2022-zfxxgknb.txt", folder / "copy-of-012.txt")
    (folder / "a-2022.json").write_text(_doc(2022, "某县商务局", 1), encoding="utf-8")
    (folder / "b-2022.json").write_text(_doc(2022, "某县商务局", 2), encoding="utf-8")
    (folder / "a-2023.json").write_text(_doc(2023, "某县商务局", 3), encoding="utf-8")
    (folder / "c-2023.json").write_text(_doc(2023, "某县商务厅", 4), encoding="utf-8")
    (folder / "notes.txt").write_text("这不是报告", encoding="utf-8")
    return folder


def test_a_store_holds_the_rows_the_statements_before_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("match,agency_id\n某县商务厅,商务\n某县商务局,商务\n", encoding="utf-8")
    fast, before = str(tmp_path / "fast.db"), str(tmp_path / "before.db")

    def runs(db: str, jobs: int) -> list[dict[str, list[Any]]]:
        out = []
        for step in range(6):
            kwargs: dict[str, Any] = {}
            if step == 1:  # a file changed (its old report an orphan, dropped), a copy gone
                (folder / "a-2022.json").write_text(_doc(2022, "某县商务局", 5), encoding="utf-8")
                (folder / "copy-of-012.txt").unlink()
                kwargs["prune"] = True
            elif step == 2:  # read again by this version: every report re-stored
                kwargs["refresh"] = True
            elif step == 3:  # two agencies mapped to one: the flags of stored reports change
                kwargs["agencies"] = AgencyMap.read(str(agencies))
            elif step == 4:  # a copy back (a report already stored, under another path)
                shutil.copy(CORPUS / "012-pingtan-2022-zfxxgknb.txt", folder / "copy-of-012.txt")
            # (step 5: unmapped again, the flags back)
            audit([str(folder)], db, jobs=jobs, progress=False, **kwargs)
            out.append(_rows(db))
        return out

    state = {p.name: p.read_bytes() for p in folder.iterdir()}
    got = runs(fast, 1)  # (through a worker process: its results read straight into one buffer)
    for p in folder.iterdir():
        p.unlink()
    for name, data in state.items():
        (folder / name).write_bytes(data)
    with monkeypatch.context() as m:
        _before(m)
        expected = runs(before, 0)
    for step, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        for table in theirs:
            # (the inputs' times: the files rewritten for the second store)
            if table == "inputs":
                assert [r[:4] + r[5:] for r in ours[table]] == [r[:4] + r[5:] for r in theirs[table]], step
            else:
                assert ours[table] == theirs[table], (step, table)
    # what the steps were meant to reach
    values = got[-1]["cell_values"]
    exact = {r[0] for r in values if r[3] is not None}
    assert exact and exact != {r[0] for r in values}  # reports with an amount's exact text, and reports without
    flags = [[(row[0], row[12], row[13], row[15]) for row in rows["reports"]] for rows in got]
    assert {(1, 1), (1, 0), (0, 1)} <= {f[2:] for f in flags[3]}  # (duplicate, counted)
    assert flags[3] != flags[2] and flags[5] != flags[3]  # stored reports' series and flags changed by the map
    assert got[3]["series_pairs"]


def test_only_a_run_into_a_store_that_held_no_inputs_looks_none_up(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    fresh: list[bool] = []
    original = Store._input

    def spy(self: Store, *args: Any) -> None:
        fresh.append(self.new_inputs)
        original(self, *args)

    monkeypatch.setattr(Store, "_input", spy)
    db = str(tmp_path / "a.db")
    audit([str(folder)], db, jobs=0, progress=False)
    assert fresh and all(fresh)
    fresh.clear()
    (folder / "a-2022.json").write_text(_doc(2022, "某县商务局", 5), encoding="utf-8")
    audit([str(folder)], db, jobs=0, progress=False)
    assert fresh == [False]  # the changed file: its old report looked up (and dropped, an orphan)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM reports WHERE report_id NOT IN (SELECT report_id FROM inputs "
                       "WHERE report_id IS NOT NULL)").fetchone() == (0,)
    con.close()
    with Store(db) as store:
        assert store.new_inputs is False  # a store opened is never taken to hold none (a run says so)


# ----------------------------------------------------------------------------- the workers' results


def _sender(conn: Any, objs: list[Any]) -> None:
    for obj in objs:
        send_results(conn, obj)


@pytest.mark.parametrize("size", [0, 1, 100_000, 3_000_000])
def test_results_cross_as_sent(size: int) -> None:
    ours, theirs = mp.Pipe()
    objs = [[(i, "报告" * (size // 6) + str(i), os.urandom(size // 2))] for i in range(3)]
    t = threading.Thread(target=_sender, args=(theirs, objs))  # (a message past the pipe's buffer needs a reader)
    t.start()
    try:
        assert [receive_results(ours) for _ in objs] == objs
    finally:
        t.join()
        ours.close()
        theirs.close()


def test_a_worker_gone_is_eof_before_a_message_and_an_error_within_one() -> None:
    ours, theirs = mp.Pipe()
    theirs.close()
    with pytest.raises(EOFError):
        receive_results(ours)
    ours.close()
    ours, theirs = mp.Pipe()
    os.write(theirs.fileno(), (100).to_bytes(8, "big") + b"\x80\x05")
    theirs.close()
    with pytest.raises(OSError, match="end of file during message"):
        receive_results(ours)
    ours.close()


def test_gd_unchecked_blank_cells_are_stored_once_and_read_whole(tmp_path: Path) -> None:
    """GD-UNCHECKED's blank cells are its pointers: stored once (they were half of a store's bytes), its params
    read whole through ``report_findings`` and :meth:`Store.findings_of`, as a store before schema 5 held them."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = "040-jiaxian-xizhen-2022-pages-excerpt.txt"
    shutil.copy(CORPUS / name, folder / name)
    db = str(tmp_path / "a.db")
    audit([str(folder)], db, jobs=0, progress=False)
    found = [f for f in gd.validate(gd.reads((CORPUS / name).read_bytes(), source=name)) if f.code == "GD-UNCHECKED"]
    assert len(found) == 4 and all(f.params["blank_cells"] for f in found)
    whole = [json.dumps(f.params, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for f in found]

    def read_back() -> None:
        with Store(db) as store:
            (report_id,) = store.db.execute("SELECT report_id FROM reports").fetchone()
            again = [f for f in store.findings_of(report_id) if f.code == "GD-UNCHECKED"]
        assert [f.params for f in again] == [f.params for f in found]
        assert [list(f.params) for f in again] == [sorted(f.params) for f in found]  # (keys in the stored order)

    read_back()
    con = sqlite3.connect(db)
    try:
        stored = con.execute("SELECT pointers, params FROM findings WHERE code = 'GD-UNCHECKED' "
                             "ORDER BY finding_id").fetchall()
        assert [json.loads(p) for p, _ in stored] == [list(f.pointers) for f in found]
        assert all(json.loads(params).keys() == {"instances", "rule"} for _, params in stored)
        read = "SELECT params FROM report_findings WHERE code = 'GD-UNCHECKED' ORDER BY finding_id"
        assert [p for (p,) in con.execute(read)] == whole
        # a row a store before schema 5 wrote holds them in both: read as it is, not twice
        ids = [i for (i,) in con.execute("SELECT finding_id FROM findings WHERE code = 'GD-UNCHECKED' "
                                         "ORDER BY finding_id")]
        con.executemany("UPDATE findings SET params = ? WHERE finding_id = ?", zip(whole, ids, strict=True))
        assert [p for (p,) in con.execute(read)] == whole
        con.commit()
    finally:
        con.close()
    read_back()


def test_a_store_a_newer_version_wrote_is_not_opened(tmp_path: Path) -> None:
    """Opening it would write this version's views over the newer one's and lower the version the store says."""
    from click.testing import CliRunner

    from govdisclosure.audit.store import SCHEMA_VERSION, NewerStore
    from govdisclosure.cli import cli

    db = str(tmp_path / "a.db")
    Store(db).close()
    newer = str(int(SCHEMA_VERSION) + 1)
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (newer,))
    con.execute("DROP VIEW report_findings")  # (a view this version would make again)
    con.commit()
    con.close()
    with pytest.raises(NewerStore, match=f"schema {newer}"):
        Store(db)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "013-pingtan-2024-zfxxgknb.txt", folder)
    run = CliRunner().invoke(cli, ["audit", str(folder), "--db", db, "--lang", "en"])
    assert run.exit_code == 2, run.output
    assert f"cannot write {db}: the store was written by a newer govdisclosure (schema {newer}" in run.output
    assert "Traceback" not in run.output
    run = CliRunner().invoke(cli, ["audit", str(folder), "--db", db])
    assert "该存储由更新版本的 govdisclosure 写入" in run.output
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (newer,)
        assert not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'report_findings'").fetchone()
        assert not con.execute("SELECT 1 FROM inputs").fetchone()
    finally:
        con.close()
    Store(str(tmp_path / "b.db")).close()  # (a new store, and one of this version, open)
    Store(str(tmp_path / "b.db")).close()


def _dump(db: str) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.mark.parametrize("damage, said_en, said_zh", [
    # another program's database that happens to have a table of that name
    ("CREATE TABLE inputs (x)", "no schema version", "没有结构版本"),
    # a store whose meta was damaged by hand: its version not a number, or the table gone
    ("STORE; UPDATE meta SET value = 'abc' WHERE key = 'schema_version'",
     "its schema version 'abc' is not a number", "结构版本 'abc' 不是数字"),
    ("STORE; DROP TABLE meta", "no schema version", "没有结构版本"),
])
def test_a_database_that_is_no_store_is_not_opened(tmp_path: Path, damage: str, said_en: str, said_zh: str) -> None:
    """Every store has its schema version from its first transaction: tables without one are someone else's (or a
    store damaged by hand), refused with a reason in both languages and left as they were, not written over."""
    from click.testing import CliRunner

    from govdisclosure.audit.store import NotAStore, StoreRefused
    from govdisclosure.cli import cli

    db = str(tmp_path / "a.db")
    if damage.startswith("STORE; "):
        Store(db).close()
        damage = damage.removeprefix("STORE; ")
    con = sqlite3.connect(db)
    con.execute(damage)
    con.commit()
    con.close()
    before = _dump(db)
    with pytest.raises(NotAStore, match=said_en) as caught:
        Store(db)
    assert isinstance(caught.value, StoreRefused) and isinstance(caught.value, sqlite3.DatabaseError)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "013-pingtan-2024-zfxxgknb.txt", folder)
    run = CliRunner().invoke(cli, ["audit", str(folder), "--db", db, "--lang", "en"])
    assert run.exit_code == 2, run.output
    assert f"cannot write {db}: not a govdisclosure audit store, or its meta table is damaged (it holds tables but " \
        f"{said_en}): give another --db file" in run.output
    assert "Traceback" not in run.output
    run = CliRunner().invoke(cli, ["audit", str(folder), "--db", db])
    assert run.exit_code == 2 and f"不是 govdisclosure 的审核存储，或其 meta 表已损坏（已有数据表，但{said_zh}）" in run.output
    assert _dump(db) == before
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")  # a file of no bytes is a new database: a store is made in it
    Store(str(empty)).close()
    Store(str(empty)).close()


def test_the_series_json_columns_are_compact(tmp_path: Path) -> None:
    """docs/audit.md: the JSON columns hold compact text (no space after ``,`` and ``:``)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for year in (2019, 2021, 2023):  # 2020 and 2022 missing
        (folder / f"r{year}.json").write_text(_doc(year, "甲市乙局", year), encoding="utf-8")
    (folder / "r2023b.json").write_text(_doc(2023, "甲市乙局", 7), encoding="utf-8")  # 2023 twice
    db = str(tmp_path / "a.db")
    audit([str(folder)], db, jobs=0)
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT missing_years, duplicate_years FROM series").fetchall()
    finally:
        con.close()
    assert rows == [("[2020,2022]", "[2023]")]
