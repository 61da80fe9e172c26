"""The audit: store, resume, bad inputs, duplicates, series, metrics (hand-computed), CSV and CLI."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.audit import AgencyMap, Store, audit, examine
from govdisclosure.audit.examine import Examined, Failed
from govdisclosure.audit.run import export_csv
from govdisclosure.cli import cli
from govdisclosure.findings import printable
from govdisclosure.formats.spec import Label
from govdisclosure.io import Loader
from govdisclosure.plugins import hookimpl
from govdisclosure.testing import balanced_data, use_plugins

from .conftest import EXAMPLES, ROOT


def _doc(year: int = 2022, agency: str = "某县商务局", seed: int = 1, **cells: Any) -> dict[str, Any]:
    reg = gd.Registry.default()
    data = balanced_data(reg.format_for_year(year), random.Random(seed).randint, year=year)
    data["agency"] = {"name": agency, "level": "county_department", "region": "某省某市"}
    for pointer, value in cells.items():
        node = data
        keys = pointer.split("__")
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    return data


def _write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# ----------------------------------------------------------------------------- the real defects


def test_the_shipped_examples_show_the_real_defects(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite"
    summary = audit([str(EXAMPLES / "published"), str(EXAMPLES / "audit" / "constructed")], str(db), jobs=0,
                    exclude=("*.md",), agencies=AgencyMap.read(str(EXAMPLES / "audit" / "agencies.csv")))
    assert summary.failed == ()
    found = _rows(db, "SELECT agency, year, code, message_zh FROM report_findings WHERE severity = 'error'")
    pingtan = [m for a, y, c, m in found if a == "平潭综合实验区" and y == 2020 and c == "GD-T3-RESULTS-SUM"]
    assert sorted(pingtan) == ["「总计」列：（七）总计 = 21 ≠ 各项办理结果之和 = 27（差 -6）",
                               "「自然人」列：（七）总计 = 20 ≠ 各项办理结果之和 = 26（差 -6）"]
    carry = [(y, m) for a, y, c, m in found if c == "GD-X-CARRY"]
    assert (2022, "「总计」列：二、上年结转政府信息公开申请数量 = 1 ≠ 上年四、结转下年度继续办理 = 3（差 -2）") in carry
    # the map joined 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) into one series
    series = _rows(db, "SELECT agency, first_year, last_year, reports FROM series WHERE agency_key = "
                       "'id:js-huaian-hongze'")
    assert series == [("淮安市洪泽区人民政府", 2023, 2024, 2)]


# ----------------------------------------------------------------------------- store round trip, dedup, resume


def test_store_gives_back_the_report_it_was_given(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    audit([str(EXAMPLES / "pingtan-2020.json"), str(EXAMPLES / "huaian-city-2024.json")], str(db), jobs=0)
    with Store(str(db)) as store:
        for (rid, source) in store.db.execute("SELECT report_id, source FROM reports"):
            assert store.report(rid) == gd.load(source)
        tidy = store.query("SELECT row_label, column_label, value, blank FROM cells WHERE pointer = ? AND agency = ?",
                           ("/requests/total/natural_person", "平潭综合实验区"))
        assert [tuple(r) for r in tidy] == [("三、本年度办理结果 › （七）总计", "自然人", 20, 0)]


def test_rerun_updates_never_duplicates_and_a_changed_file_replaces_its_rows(tmp_path: Path) -> None:
    src, db = tmp_path / "in", tmp_path / "a.sqlite"
    a = _write(src, "a.json", _doc(seed=1))
    _write(src, "same-bytes-as-a.json", json.loads(a.read_text(encoding="utf-8")))
    _write(src, "b.json", _doc(seed=2, agency="某镇人民政府"))
    first = audit([str(src)], str(db), jobs=0)
    assert (first.examined, first.reports) == (3, 2)  # identical bytes at two paths: one report
    again = audit([str(src)], str(db), jobs=0)
    assert (again.examined, again.skipped, again.reports) == (0, 3, 2)
    cells = _rows(db, "SELECT COUNT(*) FROM cell_values")[0][0]
    changed = _doc(seed=1, requests__granted__natural_person=999)
    a.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    os.utime(a, ns=(1, 1))
    third = audit([str(src)], str(db), jobs=0)
    assert (third.examined, third.skipped, third.reports) == (1, 2, 3)  # the copy still holds the old bytes
    assert _rows(db, "SELECT COUNT(*) FROM cell_values")[0][0] == cells + cells // 2
    (src / "same-bytes-as-a.json").unlink()
    shutil.copy(a, src / "same-bytes-as-a.json")
    audit([str(src)], str(db), jobs=0)
    assert _rows(db, "SELECT COUNT(*) FROM reports")[0][0] == 2  # the old report went with its last input
    assert _rows(db, "SELECT COUNT(*) FROM cell_values")[0][0] == cells
    assert _rows(db, "SELECT value FROM cells WHERE pointer = '/requests/granted/natural_person' AND agency = ?",
                 "某县商务局") == [(999,)]


def test_an_interrupted_run_leaves_a_consistent_store_and_the_next_run_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    for i in range(12):
        _write(src, f"r{i:02d}.json", _doc(year=2019 + i % 6, agency=f"机关{i // 6}", seed=i))

    def interrupting(after: int) -> Any:
        def run(items: Any) -> Any:
            for n, (key, path) in enumerate(items):
                if n == after:
                    raise KeyboardInterrupt
                yield key, examine(path)
        return run

    db = tmp_path / "a.sqlite"
    stopped = audit([str(src)], str(db), batch=4, executor=interrupting(7))
    assert stopped.interrupted
    assert stopped.examined == 7
    # the series are grouped after the walk: an interrupted run's summary says they are not, not "0 series"
    said = [line for line in stopped.lines("en") if line.startswith("series")]
    assert said == ["series: the run was interrupted before they were all grouped and checked (the next run does it); "
                    "year pairs checked this run: 0"]
    assert [line for line in stopped.lines("zh") if line.startswith("系列")] == [
        "系列：运行在归并、核对完成之前中断，下次运行时完成；本次跨年核对 0 对"]
    assert _rows(db, "SELECT COUNT(*) FROM inputs")[0][0] == 7  # every finished input stored, nothing half
    assert _rows(db, "SELECT status FROM runs") == [("interrupted",)]
    # a crash (not Ctrl-C) in the middle of a batch: the batch is rolled back whole
    with pytest.raises(RuntimeError):
        def crashing(items: Any) -> Any:
            for n, (key, path) in enumerate(items):
                if n == 2:
                    raise RuntimeError("boom")
                yield key, examine(path)
        audit([str(src)], str(db), batch=100, executor=crashing)
    assert _rows(db, "SELECT COUNT(*) FROM inputs")[0][0] == 7
    resumed = audit([str(src)], str(db), jobs=0)
    assert (resumed.skipped, resumed.examined, resumed.reports) == (7, 5, 12)
    assert [line for line in resumed.lines("en") if line.startswith("series")] == [
        f"series (one agency's reports): 2, 2 spanning two or more years; year pairs checked this run: "
        f"{resumed.pairs_checked}"]
    fresh = tmp_path / "fresh.sqlite"
    audit([str(src)], str(fresh), jobs=0)
    q = ("SELECT r.source, f.code, f.pointer, f.message_en FROM findings f JOIN reports r USING (report_id) "
         "ORDER BY 1, 2, 3, 4")
    assert _rows(db, q) == _rows(fresh, q)
    pairs = "SELECT COUNT(*) FROM series_pairs"
    assert _rows(db, pairs) == _rows(fresh, pairs) == [(10,)]


# ----------------------------------------------------------------------------- bad inputs


class _Plugin:
    """Loaders that misbehave, for the time limit and crash paths."""

    @hookimpl
    def register_loaders(self) -> list[Loader]:
        def spin(_data: Any, _source: str, _registry: Any) -> Any:
            while True:
                pass

        def deaf(_data: Any, _source: str, _registry: Any) -> Any:
            # ignores the worker's own alarm: the parent must end the worker
            import signal
            import time

            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                time.sleep(0.05)

        def bug(_data: Any, _source: str, _registry: Any) -> Any:
            raise ValueError("a bug in a plugin")

        def die(_data: Any, _source: str, _registry: Any) -> Any:
            os._exit(3)

        label = Label("测试", "test")
        return [Loader("spin", label, (".spin",), spin), Loader("deaf", label, (".deaf",), deaf),
                Loader("bug", label, (".bug",), bug), Loader("die", label, (".die",), die)]


def test_workers_killed_with_chunks_unread_fail_their_inputs_not_the_audit(tmp_path: Path) -> None:
    # a worker that dies holding a chunk it has not read (the OOM killer, a loader's crash) leaves a socket that
    # reads as reset and refuses the next chunk (broken pipe): each is a dead worker, replaced, not a store error
    src = tmp_path / "in"
    _write(src, "good.json", _doc())
    for i in range(140):  # more than two chunks a worker: every worker dies with a chunk queued
        (src / f"{i:03d}.die").write_text("x", encoding="utf-8")
    with use_plugins(_Plugin()):
        summary = audit([str(src)], str(tmp_path / "a.sqlite"), jobs=2, limit=5)
    assert summary.reports == 1 and len(summary.failed) == 140
    assert {code for _, code, _, _ in summary.failed} == {"GD-AUDIT-CRASH"}


def test_bad_inputs_become_failed_inputs_with_reasons_and_never_stop_the_batch(tmp_path: Path) -> None:
    src = tmp_path / "in dir with spaces"
    _write(src, "good report.json", _doc())
    (src / "empty.json").write_bytes(b"")
    (src / "garbage.json").write_bytes(b"{not json")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (src / "notes.txt").write_text("会议纪要：今天讨论了食堂菜单。", encoding="utf-8")
    (src / "wrong-shape.json").write_text('{"format_version": "2021", "year": "last"}', encoding="utf-8")
    (src / "broken-link.json").symlink_to(tmp_path / "nowhere.json")
    for ext in ("spin", "deaf", "bug", "die"):
        (src / f"x.{ext}").write_text("x", encoding="utf-8")
    db = tmp_path / "a.sqlite"
    with use_plugins(_Plugin()):
        summary = audit([str(src)], str(db), jobs=2, limit=0.5)
    failed = {os.path.basename(p): (code, zh, en) for p, code, zh, en in summary.failed}
    assert summary.reports == 1
    assert set(failed) == {"empty.json", "garbage.json", "binary.txt", "notes.txt", "wrong-shape.json",
                           "broken-link.json", "x.spin", "x.deaf", "x.bug", "x.die"}
    assert failed["empty.json"][0] == "GD-LOAD-EMPTY"
    assert failed["garbage.json"][0] == "GD-LOAD-SYNTAX" and "line 1" in failed["garbage.json"][2]
    shape = failed["wrong-shape.json"]
    assert shape[0] in ("GD-LOAD-TYPE", "GD-LOAD-MISSING") and "/year" in shape[2]
    assert failed["x.spin"][0] == failed["x.deaf"][0] == "GD-AUDIT-TIMEOUT"
    assert failed["x.bug"][0] == "GD-AUDIT-CRASH" and "a bug in a plugin" in failed["x.bug"][2]
    assert failed["x.die"][0] == "GD-AUDIT-CRASH"
    assert all(zh and en for _, zh, en in failed.values())
    stored = dict(_rows(db, "SELECT path, error_code FROM failed_inputs"))
    assert {os.path.basename(p) for p in stored} == set(failed)
    out = tmp_path / "inputs.csv"
    with Store(str(db)) as store:
        export_csv(store, str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["status"] for r in rows} == {"ok", "failed"}
    assert next(r for r in rows if r["path"].endswith("x.spin"))["error_code"] == "GD-AUDIT-TIMEOUT"


def test_odd_names_and_symlink_loops(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    raw = os.fsencode(src) + b"/r\xff\xfe 2022.json"  # not UTF-8
    with open(raw, "w", encoding="utf-8") as fh:
        json.dump(_doc(), fh, ensure_ascii=False)
    (src / "sub").mkdir()
    _write(src / "sub", "年报 2023.json", _doc(year=2023, seed=5))
    (src / "sub" / "loop").symlink_to(src)
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert summary.reports == 2 and summary.failed == ()
    assert len(summary.loops) == 1 and summary.loops[0].endswith("loop")
    paths = _rows(db, "SELECT path, path_bytes FROM inputs ORDER BY path")
    assert any(p.endswith("r\\xff\\xfe 2022.json") and bytes(b) == raw for p, b in paths)
    again = audit([str(src)], str(db), jobs=0)
    assert again.skipped == 2  # the undecodable name is matched exactly on resume


def test_a_failed_input_is_one_line_naming_its_file_and_code_once(tmp_path: Path) -> None:
    """Review H9: "✗ A/ctrl2.txt: A/ctrl2.txt: … [GD-LOAD-TYPE] [GD-LOAD-TYPE]"."""
    src = tmp_path / "A"
    _write(src, "two-codes.json", {"format_version": "2021", "year": "last", "bogus": 1})
    _write(src, "one-code.json", {**_doc(), "parts": {"overview": 5}})
    _write(src, "new\nline.json", {"year": 2020})  # review H11: a newline in a name breaks no line
    summary = audit([str(src)], str(tmp_path / "a.sqlite"), jobs=0)
    assert any(p.endswith("/new\nline.json") for p, *_ in summary.failed)  # the name itself (probe 11 #8)
    assert not any("\n" in line for lang in ("zh", "en") for line in summary.lines(lang))
    failed = {os.path.basename(p): (code, zh, en) for p, code, zh, en in summary.failed}
    assert failed["one-code.json"][0] == "GD-LOAD-TYPE"
    code, zh, en = failed["two-codes.json"]
    assert code == "GD-LOAD-UNKNOWN"
    for reason in (zh, en):
        assert "two-codes.json" not in reason and "[GD-LOAD-UNKNOWN]" not in reason
        assert "/bogus" in reason and "/year" in reason and reason.count("[GD-LOAD-TYPE]") == 1  # another code: named
    assert "应为 报告年度" in zh and "expected a report year" in en
    for lang in ("zh", "en"):
        for name in failed:  # each shown on one line, escaped
            (line,) = [ln for ln in summary.lines(lang) if printable(name) in ln]
            assert line.count(printable(name)) == 1 and line.count(f"[{failed[name][0]}]") == 1, line
    (line,) = [ln for ln in summary.lines("zh") if "one-code.json" in ln]
    assert line.endswith("/parts/overview [一、总体情况]: 应为 字符串（不含控制字符、孤立代理项与 U+FFFE/U+FFFF），实际为 5 [GD-LOAD-TYPE]")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipes_and_links_out_of_the_audited_folders_are_left_out_and_said(tmp_path: Path) -> None:
    """Review H12: a FIFO was skipped without a word; a link to /etc/shadow was read."""
    src, other, outside = tmp_path / "in", tmp_path / "other", tmp_path / "outside"
    _write(src, "good.json", _doc())
    _write(other, "elsewhere.json", _doc(seed=2, agency="某镇人民政府"))
    _write(outside, "secret.json", _doc(seed=3, agency="外部机关"))  # a report: read, it would be stored
    _write(outside / "dir", "deep.json", _doc(seed=4, agency="外部机关二"))
    os.mkfifo(src / "pipe")
    (src / "shadow.json").symlink_to(outside / "secret.json")
    (src / "away").symlink_to(outside / "dir")
    (src / "same.json").symlink_to(src / "good.json")  # inside the folder: read
    (src / "next door.json").symlink_to(other / "elsewhere.json")  # inside another folder given: read
    db = tmp_path / "a.sqlite"
    summary = audit([str(src), str(other)], str(db), jobs=0)
    assert summary.failed == () and summary.reports == 2
    stored = {os.path.basename(p) for (p,) in _rows(db, "SELECT path FROM inputs")}
    assert stored == {"good.json", "same.json", "next door.json", "elsewhere.json"}
    left = {os.path.basename(p): (code, zh, en) for p, code, zh, en in summary.left_out}
    assert set(left) == {"pipe", "shadow.json", "away"}
    assert left["pipe"] == ("GD-AUDIT-NOT-FILE", "不是普通文件（命名管道），未读取", "not a regular file (a named pipe): not read")
    code, zh, en = left["shadow.json"]
    assert code == "GD-AUDIT-OUTSIDE" and str(outside / "secret.json") in zh and "out of the audited folders" in en
    assert left["away"][0] == "GD-AUDIT-OUTSIDE"
    for lang, count in (("zh", "未读取的路径 3 个"), ("en", "paths not read: 3")):
        lines = summary.lines(lang)
        assert count in lines and sum(ln.startswith("  ⊘ ") for ln in lines) == 3
    # said, not failed: the exit status is the one of the reports read; a pipe given by name is left out too
    run = CliRunner().invoke(cli, ["audit", str(src), str(src / "pipe"), "--db", str(tmp_path / "b.sqlite"),
                                   "--jobs", "0", "--lang", "en"])
    assert run.exit_code in (0, 1), run.output
    assert run.output.count("not a regular file (a named pipe): not read [GD-AUDIT-NOT-FILE]") == 2
    assert {"GD-AUDIT-OUTSIDE", "GD-AUDIT-NOT-FILE"} <= set(gd.Registry.default().rules)


def test_unreadable_paths_are_said_in_the_words_core_uses(tmp_path: Path) -> None:
    """Review H7: "无法读取（断开的链接？）：Too many levels of symbolic links" — the system's English in Chinese."""
    import errno

    from govdisclosure.io.source import os_reason, read_source

    src = tmp_path / "A"
    src.mkdir()
    (src / "loopA.json").symlink_to(src / "loopB.json")
    (src / "loopB.json").symlink_to(src / "loopA.json")
    (src / "broken.json").symlink_to(tmp_path / "nowhere.json")
    missing = tmp_path / "missing.json"
    summary = audit([str(src), str(missing)], str(tmp_path / "a.sqlite"), jobs=0)
    failed = {os.path.basename(p): (code, zh, en) for p, code, zh, en in summary.failed}
    loop, gone = os_reason(OSError(errno.ELOOP, "")), os_reason(OSError(errno.ENOENT, ""))
    assert failed["loopA.json"] == ("GD-LOAD-INPUT", f"无法读取符号链接的目标：{loop.zh}",
                                    f"cannot read the target of the symbolic link: {loop.en}")
    assert failed["broken.json"][1] == f"无法读取符号链接的目标：{gone.zh}"
    with pytest.raises(gd.LoadError) as core:
        read_source(missing)
    assert failed["missing.json"][1:] == (core.value.findings[0].message.zh, core.value.findings[0].message.en)
    # the agency map and the store: the same words
    with pytest.raises(gd.LoadError) as mapping:
        AgencyMap.read(str(tmp_path / "no-map.csv"))
    assert mapping.value.findings[0].message.zh == f"无法读取机关对照表：{gone.zh}"
    (tmp_path / "latin1.csv").write_bytes("match,agency_id\nk\xf6ln,1\n".encode("latin-1"))
    with pytest.raises(gd.LoadError) as latin:
        AgencyMap.read(str(tmp_path / "latin1.csv"))
    assert latin.value.findings[0].code == "GD-LOAD-BINARY" and "codec" not in latin.value.findings[0].message.zh
    (tmp_path / "notes.txt").write_text("这不是数据库。" * 200, encoding="utf-8")
    run = CliRunner().invoke(cli, ["audit", str(src), "--db", str(tmp_path / "notes.txt"), "--jobs", "0"])
    assert run.exit_code == 2 and "无法写入" in run.output and "不是 SQLite 数据库文件" in run.output, run.output
    system = [os.strerror(errno.ELOOP), os.strerror(errno.ENOENT), "file is not a database", "codec"]
    for zh in [z for _, _, z, _ in summary.failed] + [run.output, latin.value.findings[0].message.zh]:
        assert not any(words in zh for words in system), zh


def test_file_lists_on_standard_input(tmp_path: Path) -> None:
    a = _write(tmp_path, "a b.json", _doc())
    b = _write(tmp_path, "c.json", _doc(seed=3, agency="某镇人民政府"))
    db = tmp_path / "a.sqlite"
    run = CliRunner().invoke(cli, ["audit", "-", "--db", str(db), "--jobs", "0", "--lang", "en"],
                             input=f"{a}\n{b}\n".encode())
    assert run.exit_code == 0, run.output
    assert "reports in the store: 2" in run.output


def test_duplicate_agency_years_are_kept_and_flagged(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _write(src, "first.json", _doc(year=2022, seed=1))
    _write(src, "second.json", _doc(year=2022, seed=2))  # the same agency and year, other numbers
    _write(src, "earlier.json", _doc(year=2021, seed=3))
    db = tmp_path / "a.sqlite"
    summary = audit([str(src)], str(db), jobs=0)
    assert summary.reports == 3
    assert summary.duplicates == (("某县商务局", 2022, 2),)
    flagged = _rows(db, "SELECT r.source, f.message_en FROM findings f JOIN reports r USING (report_id) "
                        "WHERE f.code = 'GD-AUDIT-DUPLICATE' ORDER BY 1")
    assert [os.path.basename(s) for s, _ in flagged] == ["first.json", "second.json"]
    assert "second.json" in flagged[0][1] and "first.json" in flagged[1][1]
    # each of the two is checked against the year before: neither is dropped from the series
    assert _rows(db, "SELECT COUNT(*) FROM series_pairs") == [(2,)]


# ----------------------------------------------------------------------------- metrics, by hand


def _t3(received: int | None, granted: int, partial: int, withheld: int, unable: int) -> dict[str, Any]:
    """A 2021-format report of requests from natural persons only (the other cells 0)."""
    data = _doc(year=2022)
    rq = data["requests"]
    for path in ("received", "carried_over", "granted", "partially_granted", "total", "carried_forward"):
        rq[path] = dict.fromkeys(rq[path], 0)
    for group in ("withheld", "unable", "not_processed", "other"):
        for sub in rq[group]:
            rq[group][sub] = dict.fromkeys(rq[group][sub], 0)
    for row, value in ((rq["received"], received), (rq["granted"], granted), (rq["partially_granted"], partial),
                       (rq["withheld"]["state_secret"], withheld), (rq["unable"]["not_held"], unable),
                       (rq["total"], granted + partial + withheld + unable)):
        row["natural_person"] = row["total"] = value  # every request from a natural person: the table balances
    for group in data["review_litigation"].values():
        group.update(upheld=0, corrected=0, other=0, pending=0, total=0)
    return data


def test_metrics_on_hand_computed_examples(tmp_path: Path) -> None:
    src = tmp_path / "in"
    a = _t3(received=10, granted=6, partial=2, withheld=1, unable=1)          # 公开率 8/10
    a["agency"] = {"name": "甲局", "level": "county_department", "region": "某市"}
    a["review_litigation"]["review"].update(upheld=3, corrected=1, other=0, pending=2, total=6)
    b = _t3(received=30, granted=10, partial=0, withheld=5, unable=15)        # 公开率 10/30
    b["agency"] = {"name": "乙局", "level": "county_department", "region": "某市"}
    b["review_litigation"]["review"].update(upheld=1, corrected=1, other=2, pending=0, total=4)
    c = _t3(received=None, granted=4, partial=0, withheld=0, unable=0)        # received blank
    c["agency"] = {"name": "丙镇", "level": "township", "region": "某市"}
    c["requests"]["withheld"]["third_party"]["total"] = None                  # a blank inside 不予公开
    for name, data in (("a", a), ("b", b), ("c", c)):
        _write(src, f"{name}.json", data)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    got = {row[0]: row[1:] for row in _rows(
        db, "SELECT agency, received, disclosure_rate, withheld_share, unable_share, review_correction_rate "
            "FROM report_metrics")}
    assert got["甲局"] == (10, pytest.approx(0.8), pytest.approx(0.1), pytest.approx(0.1), pytest.approx(0.25))
    assert got["乙局"] == (30, pytest.approx(1 / 3), pytest.approx(1 / 6), pytest.approx(0.5), pytest.approx(0.25))
    # blank cells make the metric null for that report, never 0
    assert got["丙镇"][0] is None and got["丙镇"][2] is None
    assert got["丙镇"][1] == pytest.approx(1.0)
    # one level and year: ratio of the sums over the reports where the metric is known
    row = _rows(db, "SELECT reports, received, received_reports, disclosure_rate, disclosure_rate_reports, "
                    "withheld_share_reports FROM group_metrics WHERE region IS NULL AND year = 2022 AND level = "
                    "'county_department'")
    assert row == [(2, 40, 2, pytest.approx(18 / 40), 2, 2)]
    whole = _rows(db, "SELECT reports, received, received_reports, withheld_share_reports FROM group_metrics "
                      "WHERE region IS NULL AND level IS NULL AND year IS NULL")
    assert whole == [(3, 40, 2, 2)]
    ranking = _rows(db, "SELECT agency, rank FROM risk_ranking ORDER BY rank")
    assert ranking[0][0] == "丙镇"  # its blanks put it first among reports without errors


def test_year_over_year_along_a_series(tmp_path: Path) -> None:
    src = tmp_path / "in"
    first = _t3(received=10, granted=6, partial=2, withheld=1, unable=1)
    first["year"] = 2021
    second = _t3(received=25, granted=5, partial=0, withheld=0, unable=0)
    for name, data in (("2021", first), ("2022", second)):
        _write(src, f"{name}.json", data)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    assert _rows(db, "SELECT year, received, previous_received, received_change, received_ratio FROM metrics_yoy") \
        == [(2022, 25, 10, 15, 2.5)]


# ----------------------------------------------------------------------------- CLI


def test_cli_writes_store_csv_and_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, [
        "audit", str(EXAMPLES / "pingtan-2020.json"), str(EXAMPLES / "huaian-city-2024.json"),
        "--db", str(out / "a.sqlite"), "--csv", str(out / "a.csv"), "--html", str(out / "page" / "index.html"),
        "--jobs", "1"], catch_exceptions=False)
    assert run.exit_code == 1, run.output  # pingtan 2020's error
    assert "GD-T3-RESULTS-SUM" in run.output and "库中报告 2 份" in run.output
    assert (out / "page" / "index.html").exists()
    assert len(list(csv.DictReader((out / "a.csv").open(encoding="utf-8")))) == 2


def test_a_negative_top_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["audit", str(EXAMPLES / "pingtan-2020.json"), "--db", str(tmp_path / "a.sqlite"),
                                   "--html", str(tmp_path / "index.html"), "--top", "-1"])
    assert run.exit_code == 2 and "--top" in run.output and "-1" in run.output, run.output
    assert not (tmp_path / "a.sqlite").exists() and not (tmp_path / "index.html").exists()


def test_examine_results_pickle() -> None:
    import pickle

    ok = examine(str(EXAMPLES / "pingtan-2020.json"))
    assert isinstance(ok, Examined) and pickle.loads(pickle.dumps(ok)) == ok
    bad = examine(str(ROOT / "README.md"))
    assert isinstance(bad, Failed) and pickle.loads(pickle.dumps(bad)) == bad


def test_the_docs_carry_the_metrics_and_name_every_table_and_view(tmp_path: Path) -> None:
    from govdisclosure.audit.metrics import metrics_markdown

    doc = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    assert metrics_markdown(gd.Registry.default().format("2021")) in doc
    with Store(str(tmp_path / "a.sqlite")) as store:
        names = [n for (n,) in store.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                                "AND name NOT LIKE 'sqlite_%'")]
    assert len(names) > 15
    assert [n for n in names if f"`{n}`" not in doc] == []


def test_a_rule_that_fails_is_said_to_be_a_rule_not_the_loader(tmp_path: Path) -> None:
    """A plugin's rule that raised was recorded as 'the loader failed' (读取器出错) for every report."""
    from govdisclosure.rules import Check, Severity

    def check(report: Any, ctx: Any) -> Any:
        raise ZeroDivisionError("rule boom")

    class BadRule:
        @hookimpl
        def register_rules(self) -> list[Check]:
            return [Check(code="BAD-RULE", severity=Severity.WARNING, check=check,
                          description=Label("坏规则", "a bad rule"), message=Label("坏", "bad"))]

    src = tmp_path / "in"
    _write(src, "report.json", _doc())
    with use_plugins(BadRule()):
        summary = audit([str(src)], str(tmp_path / "a.sqlite"), jobs=0)
    [(_, code, zh, en)] = summary.failed
    assert code == "GD-AUDIT-CRASH" and zh.startswith("校验规则出错") and en.startswith("a rule failed")
    assert "BAD-RULE" in en and "rule boom" in en and "loader" not in en
