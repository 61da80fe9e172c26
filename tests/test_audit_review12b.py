"""The audit's options that could lose a researcher's reports, as review 12b found them (/work/coord/review12b-findings.md):
--prune after a folder the walk could not read, paths under two spellings, files left out by --exclude or hidden;
--refresh when a re-read fails; Ctrl-C after a map change; the recorded version."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from govdisclosure.audit import audit

from .test_audit import _doc, _rows, _write


def _four(src: Path) -> None:
    _write(src, "2021/a.json", _doc(year=2021, agency="丙县教育局", seed=1))
    _write(src, "2022/a.json", _doc(year=2022, agency="丙县教育局", seed=2))
    _write(src, "2022/b.json", _doc(year=2022, agency="丁县教育局", seed=3))
    _write(src, "2022/c.json", _doc(year=2022, agency="戊县教育局", seed=4))


def _deny(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """A folder that cannot be listed (chmod 000, a share that dropped): as root chmod does not bite, so the error
    is raised where the walk lists it."""
    real, bad = os.scandir, os.fsencode(str(folder))

    def scandir(path: Any) -> Any:
        if os.fsencode(path).rstrip(b"/") == bad:
            raise PermissionError(13, "Permission denied", path)
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize("denied", ["2022", "", "2022/"])
def test_prune_keeps_what_lies_under_a_folder_the_walk_could_not_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, denied: str) -> None:
    # review 12b #1: the walk turned an unreadable folder into one failed input and went on; --prune then deleted
    # every stored input under it with its reports (the whole store when the folder given was the one)
    src = tmp_path / "in"
    _four(src)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    _deny(monkeypatch, (src / denied) if denied.strip("/") else src)
    run = audit([str(src) + ("/" if denied.endswith("/") else "")], str(db), jobs=0, prune=True)
    assert (run.unseen, run.pruned_reports, run.reports) == (0, 0, 4)
    assert run.unseen_kept == (3 if denied else 4)
    assert any("无法读取的目录" in line and "未删除" in line for line in run.lines())
    assert any("could not be checked: kept" in line for line in run.lines("en"))
    assert _rows(db, "SELECT COUNT(*) FROM cell_values") != [(0,)]


def test_prune_keeps_what_lies_under_a_folder_given_that_is_now_empty(tmp_path: Path) -> None:
    # review 12b #1: a share unmounted leaves its mount point empty; that is not every report deleted
    src = tmp_path / "in"
    _four(src)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    for p in sorted(src.rglob("*.json")):
        p.unlink()
    for d in ("2021", "2022"):
        (src / d).rmdir()
    run = audit([str(src)], str(db), jobs=0, prune=True)
    assert (run.unseen, run.unseen_kept, run.reports) == (0, 4, 4)


@pytest.mark.parametrize("first", ["absolute", "link", "dot"])
def test_prune_compares_paths_by_where_they_lead_not_as_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str) -> None:
    # review 12b #2: a store holding a folder under two spellings (absolute and relative, through a symlink,
    # ./reports) kept a deleted file's report after --prune, and said "0 reports dropped"
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "reports"
    _four(src)
    (tmp_path / "current").symlink_to(src)
    db = tmp_path / "a.sqlite"
    audit([{"absolute": str(src), "link": "current", "dot": "./reports"}[first]], str(db), jobs=0)
    audit(["reports"], str(db), jobs=0)
    assert _rows(db, "SELECT COUNT(*) FROM inputs") == [(8,)]
    (src / "2022" / "c.json").unlink()
    run = audit(["reports"], str(db), jobs=0, prune=True)
    assert (run.unseen, run.pruned_reports, run.reports) == (2, 1, 3)
    assert _rows(db, "SELECT COUNT(*) FROM inputs") == [(6,)]
    assert _rows(db, "SELECT COUNT(*) FROM reports WHERE agency = '戊县教育局'") == [(0,)]
    # the other spelling's inputs of files still there are kept
    again = audit(["reports"], str(db), jobs=0, prune=True)
    assert (again.unseen, again.reports) == (0, 3)


def test_files_left_out_by_exclude_or_hidden_are_not_gone(tmp_path: Path) -> None:
    # review 12b #3, #9: what the walk leaves out by rule (--exclude, a hidden file given by name before) was called
    # "deleted or moved?", and --prune deleted it with its report
    src = tmp_path / "in"
    _four(src)
    _write(src, ".drafts/d.json", _doc(year=2022, agency="子县教育局", seed=5))
    db = tmp_path / "a.sqlite"
    first = audit([str(src), str(src / ".drafts" / "d.json")], str(db), jobs=0)
    assert first.reports == 5
    run = audit([str(src)], str(db), jobs=0, exclude=("b.*", "2021"), prune=True)
    assert (run.unseen, run.unseen_kept, run.pruned_reports, run.reports) == (0, 0, 0, 5)
    assert not any("未见" in line or "删除" in line for line in run.lines())
    # a file really gone is still found gone beside them
    (src / "2022" / "c.json").unlink()
    gone = audit([str(src)], str(db), jobs=0, exclude=("b.*",), prune=True)
    assert (gone.unseen, gone.pruned_reports, gone.reports) == (1, 1, 4)


def _fail_on(monkeypatch: pytest.MonkeyPatch, name: str, code: str = "GD-AUDIT-TIMEOUT") -> None:
    """Reading ``name`` fails (a time limit on a busy machine, a parser regression), the others read as ever."""
    import govdisclosure.audit.run as run
    from govdisclosure.audit.examine import Failed

    real = run.examine_path

    def examine_path(path: bytes, **kw: Any) -> Any:
        if os.path.basename(path) == name.encode():
            return Failed(path.decode(), None, None, code, "读取超时", "timed out", 60.0), None
        return real(path, **kw)
    monkeypatch.setattr(run, "examine_path", examine_path)


def test_a_failed_re_read_keeps_the_stored_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # review 12b #4: --refresh sent every stored input back through the examiner, and one that failed this time
    # (a timeout, an I/O error, a regression) lost the report an earlier run had read, cells, findings and pairs
    src = tmp_path / "in"
    _four(src)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    cells = "SELECT report_id, cell_id, value FROM cell_values ORDER BY 1, 2"
    before, pairs = _rows(db, cells), _rows(db, "SELECT * FROM series_pairs")
    _fail_on(monkeypatch, "a.json")
    run = audit([str(src)], str(db), jobs=0, refresh=True)
    assert (run.examined, run.reports, run.failed) == (4, 4, ())
    assert sorted(Path(p).relative_to(src).as_posix() for p, *_ in run.kept) == ["2021/a.json", "2022/a.json"]
    assert any("无法重新读取，保留其先前的结果" in line for line in run.lines())
    assert any("could not be read again; their earlier results are kept" in line for line in run.lines("en"))
    assert _rows(db, cells) == before and _rows(db, "SELECT * FROM series_pairs") == pairs
    assert _rows(db, "SELECT status, error_code FROM inputs WHERE path LIKE '%a.json'") == [
        ("ok", "GD-AUDIT-TIMEOUT")] * 2
    # read again later, the failure is cleared
    monkeypatch.undo()
    again = audit([str(src)], str(db), jobs=0, refresh=True)
    assert (again.kept, again.reports) == ((), 4) and _rows(db, cells) == before


def test_an_input_that_cannot_be_looked_at_keeps_its_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # review 12b #4: a file on a share that returns EIO once lost its report, with or without --refresh
    src = tmp_path / "in"
    _four(src)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    real, bad = os.stat, os.fsencode(str(src / "2022" / "b.json"))

    def stat(path: Any, *a: Any, **k: Any) -> Any:
        if os.fsencode(path) == bad:
            raise OSError(5, "Input/output error", path)
        return real(path, *a, **k)
    monkeypatch.setattr(os, "stat", stat)
    run = audit([str(src)], str(db), jobs=0, prune=True)
    assert (run.reports, len(run.kept), run.failed, run.unseen) == (4, 1, (), 0)
    assert _rows(db, "SELECT COUNT(*) FROM reports WHERE agency = '丁县教育局'") == [(1,)]


def test_a_changed_file_that_fails_is_not_its_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # what a file held before is not kept when its bytes changed: the file is now another report, unread
    src = tmp_path / "in"
    _four(src)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    _write(src, "2022/c.json", _doc(year=2022, agency="戊县教育局", seed=9))
    _fail_on(monkeypatch, "c.json", "GD-LOAD-INPUT")
    run = audit([str(src)], str(db), jobs=0)
    assert (run.reports, run.kept, [Path(p).name for p, *_ in run.failed]) == (3, (), ["c.json"])


def test_ctrl_c_after_a_map_change_leaves_the_store_regrouped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # review 12b #6: the new keys were committed before the walk and the series regrouped only after it; Ctrl-C in
    # between left one agency in two series (a duplicate agency-year unflagged, both copies summed), and the summary
    # said the series were updated
    import govdisclosure.audit.run as run
    from govdisclosure.audit.agencies import AgencyMap

    src = tmp_path / "in"
    _write(src, "a.json", _doc(year=2021, agency="青川市白河县人民政府", seed=1))
    _write(src, "b.json", _doc(year=2022, agency="白河县人民政府", seed=2))
    _write(src, "c.json", _doc(year=2022, agency="青川市白河县人民政府", seed=3))
    db = tmp_path / "a.sqlite"
    assert audit([str(src)], str(db), jobs=0).series == 2
    (tmp_path / "m.csv").write_text("match,agency_id\n白河县人民政府,baihe\n青川市白河县人民政府,baihe\n", encoding="utf-8")
    mapping = AgencyMap.read(str(tmp_path / "m.csv"))
    for p in src.iterdir():  # something to read, as a resumed run has
        os.utime(p, (1e9, 1e9))

    def interrupted(self: Any, results: Any) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr(run._Run, "store_all", interrupted)
    cut = audit([str(src)], str(db), jobs=0, agencies=mapping)
    assert cut.interrupted and cut.rekeyed == 3
    assert _rows(db, "SELECT COUNT(DISTINCT agency_key), COUNT(DISTINCT series_id), SUM(duplicate), SUM(counted) "
                     "FROM reports") == [(1, 1, 2, 2)]
    assert cut.series == 1 and len(cut.duplicates) == 1
    assert any("系列随之重新归并" in line and "下次运行时补做" in line for line in cut.lines())
    assert any("checked on the next run" in line for line in cut.lines("en"))
    monkeypatch.undo()
    done = audit([str(src)], str(db), jobs=0, agencies=mapping)
    assert (done.pairs_stored, done.rekeyed) == (2, 0)


def test_a_map_moved_to_another_folder_is_not_announced(tmp_path: Path) -> None:
    # review 12b #10: the map's folder is part of its digest; moving it said "a different map, 0 changed"
    from govdisclosure.audit.agencies import AgencyMap

    src = tmp_path / "in"
    _four(src)
    db = tmp_path / "a.sqlite"
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.csv").write_text("match,agency_id\n丙县教育局,bing\n", encoding="utf-8")
    audit([str(src)], str(db), jobs=0)
    first = audit([str(src)], str(db), jobs=0, agencies=AgencyMap.read(str(tmp_path / "one" / "m.csv")))
    assert any("对照表" in line for line in first.lines())
    moved = audit([str(src)], str(db), jobs=0, agencies=AgencyMap.read(str(tmp_path / "two" / "m.csv")))
    assert moved.rekeyed == 0 and not any("对照表" in line for line in moved.lines())


def test_the_version_is_the_same_however_the_plugins_are_loaded(tmp_path: Path) -> None:
    # review 12b #5: with GOVDISCLOSURE_PLUGINS=core the core plugins are registered in process with no distribution,
    # and the version listed all ten as other plugins "?": the same install was "another version", --refresh advised
    from govdisclosure.audit import Store
    from govdisclosure.registry import Registry, distribution_version

    class Outside:  # a plugin of another package, registered in process: it can change results, so it is named
        pass

    outside = Outside()
    with Store(str(tmp_path / "a.sqlite"), registry=Registry.core()) as core, \
            Store(str(tmp_path / "b.sqlite"), registry=Registry.of(entry_points=True)) as installed, \
            Store(str(tmp_path / "c.sqlite"), registry=Registry.of(outside)) as more:
        assert core.version() == f"govdisclosure {distribution_version()}"
        assert "core-" not in installed.version()
        assert more.version().startswith(core.version() + " + ") and "core-" not in more.version()


def test_a_duplicate_names_the_first_cell_by_position(tmp_path: Path) -> None:
    # review 12b #7: the first differing cell was the first by text (position 10 before 3)
    src = tmp_path / "in"
    base = _doc(year=2022, agency="庚县教育局", seed=1)
    _write(src, "a.json", base)
    db = tmp_path / "a.sqlite"
    audit([str(src)], str(db), jobs=0)
    first, tenth = _rows(db, "SELECT s.pointer FROM cell_specs s JOIN reports r ON s.format_key = r.format_version "
                             "WHERE s.position IN (3, 10) ORDER BY s.position")
    assert first and tenth
    labels = _rows(db, "SELECT s.row_label_en || ' · ' || s.column_label_en FROM cell_specs s JOIN reports r "
                       "ON s.format_key = r.format_version WHERE s.position = 3")[0][0]
    other = json.loads((src / "a.json").read_text(encoding="utf-8"))
    for ptr in (first[0], tenth[0]):
        node = other
        *keys, last = [k for k in ptr.split("/") if k]
        for k in keys:
            node = node[int(k)] if isinstance(node, list) else node[k]
        node[last] = (node[last] or 0) + 7
    _write(src, "b.json", other)
    run = audit([str(src)], str(db), jobs=0)
    assert len(run.duplicates) == 1
    said = _rows(db, "SELECT message_en FROM findings WHERE code = 'GD-AUDIT-DUPLICATE'")
    assert said and all(f"first: {labels})" in m for (m,) in said), said
